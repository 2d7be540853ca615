// Words that work at every step: 帮助, 返回, 重新开始, 人工, 退订/订阅, and for registered workers
// 我的信息 and 修改.
import { describe, expect, it } from "vitest";
import { context, conversation, fakeBoard, minutesAfter, playTranscript, REGISTERED, SMS, WECHAT } from "./support.ts";

const PHONE = "+8613812345678";

/** A worker's answers, step by step, from the welcome up to the summary. */
const ANSWERS = ["你好", "1", "1", "张三", "350622199001011230", "云霄", "4", "1", "1", "1 3", "1", "2", "3000", "1"];
const STEP_AFTER = ["purpose", "consent", "name", "idNumber", "county", "township", "village", "povertyStatus", "categories", "occupations", "workRange", "wageFloor", "training", "summary"];

/** A conversation that has answered `count` messages of ANSWERS. */
async function chatAt(step: string) {
  const chat = conversation(context(SMS), { phone: PHONE });
  for (const text of ANSWERS.slice(0, STEP_AFTER.indexOf(step) + 1)) await chat.say(text);
  expect(chat.session()!.step).toBe(step);
  return chat;
}


describe("人工", () => {
  it.each([
    // what is known so far (the SMS sender's number, the name, the county): a coordinator there can call
    ["consent", undefined, PHONE, undefined],
    ["name", undefined, PHONE, undefined],
    ["township", "350622", PHONE, "张三"],
    ["occupations", "350622103201", PHONE, "张三"],
    ["summary", "350622103201", PHONE, "张三"],
  ])("at %s asks a coordinator and goes on", async (step, regionCode, phone, name) => {
    const chat = await chatAt(step);
    const before = chat.session()!;
    const asked = await chat.say("帮助");
    const question = asked.sent.join("\n").split("\n").slice(1).join("\n");
    const turn = await chat.say("人工");
    expect(turn.events).toEqual([{ type: "human_requested", step, ...(regionCode ? { regionCode } : {}), ...(phone ? { phone } : {}), ...(name ? { name } : {}) }]);
    expect(turn.sent[0]).toContain("协理员");
    expect(turn.sent[0]).toContain("打电话");
    // The question is asked again and nothing else changed.
    expect(question).toMatch(/\n\d .+$/); // the question with its choices
    expect(turn.sent.join("\n").endsWith(question)).toBe(true);
    expect(chat.session()).toMatchObject({ step, answers: before.answers });
  });
});

describe("人工 where nobody has the number", () => {
  /** A WeChat conversation at the name question. */
  async function weChatAtName() {
    const chat = conversation(context(WECHAT));
    await playTranscript(chat, [["找工作", []], ["同意", ["姓名"], ["consent_given"]]]);
    return chat;
  }

  // WeChat, or the web, before the phone question.
  it("asks for a number to call back, gives it to the request, and goes on", async () => {
    const chat = await weChatAtName();
    await playTranscript(chat, [
      ["人工", ["已请协理员帮您", "请回复您的手机号码"], [{ type: "human_requested", step: "name" }]],
      ["139 1234 5678", ["记下了", "姓名"], [{ type: "human_requested", step: "name", phone: "+8613912345678" }]],
      ["张三", ["身份证"]],
      // the number given is the registration's: not asked for again
      ["350622198001011236", ["您家在云霄县吗"]],
    ]);
    expect(chat.session()!.answers).toMatchObject({ name: "张三", phone: "+8613912345678" });
  });

  it("takes 不留, and reads anything else as the answer it was asked", async () => {
    const chat = await weChatAtName();
    await playTranscript(chat, [
      ["人工", ["请回复您的手机号码"], [{ type: "human_requested", step: "name" }]],
      ["不留", ['再回复"人工"', "姓名"], []],
      // asked once: a number typed later is no longer the callback's
      ["人工", ["请回复您的手机号码"], [{ type: "human_requested", step: "name" }]],
      ["李四", ["身份证"], []],
      ["13912345678", ["身份证"], []],
    ]);
    expect(chat.session()!.answers.name).toBe("李四");
  });

  // an SMS sender (the channel proves the number), a registered worker (on their record)
  it("is not asked where the number is known", async () => {
    const sms = conversation(context(SMS), { phone: PHONE });
    await playTranscript(sms, [["你好", []], ["人工", ["尽快打电话"], [{ type: "human_requested", step: "purpose", phone: PHONE }]]]);
    const registered = conversation(context(WECHAT, REGISTERED));
    await playTranscript(registered, [["你好", []], ["人工", ["尽快打电话"], [{ type: "human_requested", step: "home" }]]]);
    for (const turn of [...sms.log, ...registered.log]) expect(turn.sent.join("\n")).not.toContain("请回复您的手机号码");
  });

  it("carries an SMS sender's number that is no Chinese mobile as it came", async () => {
    const abroad = conversation(context(SMS), { phone: "+447700900123" });
    await abroad.say("你好");
    const turn = await abroad.say("人工");
    expect(turn.events).toEqual([{ type: "human_requested", step: "purpose", phone: "+447700900123" }]);
    expect(turn.sent.join("\n")).toContain("尽快打电话");
  });
});

describe("退订 and 订阅", () => {
  it("opts out from any step with each of its words, keeps answering, and opts in again", async () => {
    const chat = await chatAt("county");
    await playTranscript(chat, [
      ["退订", ['已退订', '回复"订阅"'], ["opted_out"]],
      ["TD", ['回复"订阅"'], ["opted_out"]],
      ["stop", ['回复"订阅"'], ["opted_out"]],
      ["T", ['回复"订阅"'], ["opted_out"]],
    ]);
    expect(chat.session()!.optedOut).toBe(true);
    // Writing again: the conversation goes on where it was.
    await playTranscript(chat, [
      ["云霄", ["请选乡镇"]],
      ["START", ["已恢复订阅", "请选乡镇"], ["opted_in"]],
    ]);
    expect(chat.session()!.optedOut).toBe(false);
    await playTranscript(chat, [["订阅", ["已恢复订阅"], ["opted_in"]]]);
  });

  it("promises no pushes to a worker who has opted out of them", async () => {
    const chat = conversation(context(SMS, REGISTERED, { board: fakeBoard({ vacancies: [] }) }), { phone: "+8613812345678" });
    await chat.say("你好");
    expect((await chat.say("有活吗")).sent.join("\n")).toContain("有了会马上发给您");
    await chat.say("退订");
    const after = (await chat.say("有活吗")).sent.join("\n");
    expect(after).toContain('您退订了推送，想收到新岗位请回复"订阅"');
    expect(after).not.toContain("发给您");
  });

  it("records a WeChat unfollow silently and welcomes the follower back", async () => {
    const chat = conversation(context(WECHAT));
    await chat.say("你好");
    const unfollow = await chat.say("", { event: "unsubscribe" });
    expect(unfollow).toMatchObject({ sent: [], events: [{ type: "opted_out" }] });
    const follow = await chat.say("", { event: "subscribe" });
    expect(follow.events).toEqual([{ type: "opted_in" }]);
    expect(follow.sent.join()).toContain("1 找工作");
  });
});

describe("返回", () => {
  it("goes back one step at a time and forgets the answer given there", async () => {
    const chat = await chatAt("povertyStatus");
    expect(chat.session()!.answers.village?.name).toBe("莆东村");
    await playTranscript(chat, [["返回", ["请选村", "1 莆东村"]]]); // villages before the 社区
    expect(chat.session()).toMatchObject({ step: "village" });
    expect(chat.session()!.answers.village).toBeUndefined();
    await playTranscript(chat, [
      ["0", ["请选乡镇", "4 莆美镇"]],
      ["1", ["请选村", "1 塘坪村", "2 下港社区"]],
      ["2", ["建档立卡"]],
    ]);
    expect(chat.session()!.answers).toMatchObject({ township: { name: "云陵镇" }, village: { name: "下港社区" } });
  });

  it("goes back over the phone question the SMS channel answered", async () => {
    const chat = await chatAt("county");
    await playTranscript(chat, [["返回", ["身份证号码"]]]);
  });

  it("returns from a page turn and says so at the first step", async () => {
    const chat = await chatAt("township");
    await playTranscript(chat, [
      ["9", ["1 火田镇", "5 常山华侨经济开发区", "9 从头看"]],
      ["9", ["1 云陵镇", "9 更多"]],
      ["9", ["1 火田镇"]],
      // The fixture has no villages under 马铺乡: the village question is skipped.
      ["3", ["建档立卡"]],
    ]);
    // Every page numbers from 1: "3" on the second page is its third option.
    expect(chat.session()!.answers).toMatchObject({ township: { name: "马铺乡" } });
    expect(chat.session()!.answers.village).toBeUndefined();
    const first = conversation(context(SMS), { phone: PHONE });
    await first.say("你好");
    await playTranscript(first, [["返回", ["已经是第一步了", "1 找工作"]]]);
  });
});

describe("重新开始", () => {
  it("starts over from the name, keeping the consent given", async () => {
    const chat = await chatAt("categories");
    await playTranscript(chat, [["重新开始", ["从头开始", "请回复您的姓名"]]]);
    expect(chat.session()).toMatchObject({ step: "name", answers: { consent: true }, history: [] });
    expect(Object.keys(chat.session()!.answers)).toEqual(["consent"]);
  });

  it("starts over from the welcome before consent", async () => {
    const chat = await chatAt("consent");
    await playTranscript(chat, [["重新开始", ["从头开始", "1 找工作"]]]);
  });
});

describe("帮助", () => {
  it.each(["帮助", "HELP", "？"])("%s explains the words and asks again", async (word) => {
    const chat = await chatAt("idNumber");
    await playTranscript(chat, [[word, ['"0"返回上一步', '"人工"找协理员', '"退订"', "身份证号码"]]]);
    expect(chat.session()!.step).toBe("idNumber");
  });

  it("is a command only as a whole word: 张帮助 is a name", async () => {
    const chat = await chatAt("name");
    await playTranscript(chat, [["张帮助", ["身份证号码"]]]);
    expect(chat.session()!.answers.name).toBe("张帮助");
  });
});

describe("修改 from the summary", () => {
  it("re-asks one field and comes back to the summary", async () => {
    const chat = await chatAt("summary");
    await playTranscript(chat, [
      ["2", ["要改哪一项", "1 姓名", "3 住址", "9 更多"]], // no phone: the SMS number is the phone
      ["9", ["2 最低月薪"]],
      ["2", ["每月工资"]],
      ["5000", ["请核对", "最低月薪：5000元", "1 确认"]],
      ["2", ["要改哪一项"]],
      ["住址", ["您家在云霄县吗"]],
      ["云霄", ["请选乡镇"]],
      ["1", ["请选村"]],
      ["塘坪", ["请核对", "住址：云霄县云陵镇塘坪村", "姓名：张三"]],
      ["1", ["登记成功"], [{ type: "worker_registered", profile: { wageFloor: 5000, homeRegionCode: "350622100201" } }]],
    ]);
  });
});

describe("registered workers: 我的信息 and 修改", () => {
  const ctx = context(SMS, REGISTERED);

  it("greets by name and shows the profile masked", async () => {
    const chat = conversation(ctx, { phone: PHONE });
    await playTranscript(chat, [
      ["你好", ["您好，张三", "1 找工作", "2 补贴政策", "3 我的信息"]],
      [
        "我的信息",
        ["姓名：张三", "身份证：350622********1230（男，35岁）", "电话：138****5678", "云霄县莆美镇莆东村", "想做的工作：家政服务\n", "本省都行", "3000元", "想学电工"],
        ["profile_shown"],
      ],
      ["找工作", ["回复数字看详情", "1 家政服务员·同乡镇"], ["jobs_requested", { type: "jobs_shown", vacancyIds: ["v1", "v2", "v3"] }]],
    ]);
  });

  it("shows the menu from its first page after a global word or 返回", async () => {
    // The simulator's capabilities: five options a page, no proven phone (so 绑定手机号 is a sixth).
    const chat = conversation(context({ ...SMS, knowsPhone: false }, REGISTERED));
    await playTranscript(chat, [
      ["你好", ["1 找工作", "9 更多"]],
      ["9", ["1 绑定手机号", "9 从头看"]],
      ["我的信息", ["姓名：张三", "1 找工作"], ["profile_shown"]],
      ["9", ["1 绑定手机号"]],
      ["修改", ["要改哪一项"]],
      ["0", ["1 找工作"]],
      ["1", ["回复数字看详情"], ["jobs_requested", { type: "jobs_shown", vacancyIds: ["v1", "v2", "v3"] }]],
    ]);
  });

  // The page turned to a moment ago is kept (3 there is no option); after a while the menu starts again.
  it("shows its menu from the first page to someone back after a while", async () => {
    const chat = conversation(context({ ...SMS, knowsPhone: false }, REGISTERED));
    await playTranscript(chat, [
      ["你好", ["1 找工作"]],
      ["9", ["1 绑定手机号"]],
      ["3", ["请回复1", "1 绑定手机号"]],
    ]);
    expect((await chat.say("2", { at: minutesAfter(chat.session()!.lastAt, 45) })).sent.join("\n")).toContain("补贴"); // 2 补贴政策
  });

  it("changes one field after confirming it", async () => {
    const chat = conversation(ctx, { phone: PHONE });
    await playTranscript(chat, [
      ["修改", ["要改哪一项", "4 家庭情况"]],
      ["家庭情况", ["建档立卡"]],
      ["2", ["可多选"]],
      ["1 2", ["改成：家庭情况：已脱贫，低保，特困，对吗？", "1 确认", "2 取消"]],
      [
        "1",
        ["已改好", "1 找工作"],
        [
          { type: "profile_field_changed", field: "povertyStatus", value: "lifted" },
          { type: "profile_field_changed", field: "categories", value: ["minimumLivingAllowance", "extremeHardship"] },
        ],
      ],
      ["修改", ["要改哪一项"]],
      ["1", ["姓名"]],
      ["张叁", ["改成：姓名：张叁，对吗？"]],
      ["取消", ["没有改"]],
      // the new value said again is a yes: 不限's 不 is no 取消
      ["修改", ["要改哪一项"]],
      ["最低月薪", ["每月工资最少"]],
      ["不限", ["改成：最低月薪：不限，对吗？"]],
      ["不限。", ["已改好"], [{ type: "profile_field_changed", field: "wageFloor", value: 0 }]],
    ]);
  });

  it("changes the wished work typed and confirmed as 对 without asking 改成…对吗 again", async () => {
    const chat = conversation(ctx, { phone: PHONE });
    await playTranscript(chat, [
      ["修改", ["要改哪一项"]],
      ["5", ["想做什么工作"]],
      ["电工", ["您想做的是：电工，对吗？"]],
      ["1", ["已改好", "1 找工作"], [{ type: "profile_field_changed", field: "wishedOccupations" }]],
    ]);
    expect(chat.session()!.step).toBe("home");
  });

  it("is not a global word before registration: at the summary it is the menu's 修改", async () => {
    const chat = await chatAt("summary");
    await playTranscript(chat, [["修改", ["要改哪一项"]]]);
  });
});

describe("manners", () => {
  it("answers a greeting, thanks, an OK or a goodbye at a worker's menu kindly, and never counts them as misses", async () => {
    const chat = conversation(context(SMS, REGISTERED), { phone: PHONE });
    await chat.say("你好");
    // After a push people say thank you, week after week: no 人工 hint, no coordinator called.
    await playTranscript(chat, [
      ["谢谢！", ["不客气！需要什么请回复数字", "1 找工作"]],
      ["好的", ["好的。需要什么请回复数字"]],
      ["收到，谢谢", ["不客气！"]],
      ["嗯嗯", ["好的。"]],
      ["拜拜", ["再见！有事随时回复数字"]],
      ["您好", ["您好！需要什么请回复数字", "1 找工作"]],
      ["好的谢谢您", ["不客气！"]],
      ["谢谢🙏", ["不客气！"]],
    ]);
    expect(chat.log.flatMap((turn) => turn.sent).join("\n")).not.toContain("人工");
    expect(chat.session()!.mistakes).toBe(0);
    // Anything else unread is still a miss.
    await playTranscript(chat, [["谢谢老板发工资", ['没看懂"谢谢老板发…"']]]);
    expect(chat.session()!.mistakes).toBe(1);
  });

  it("reads manners only at the menu: mid-question 好的 still answers a yes, and 谢谢 is no name", async () => {
    const chat = await chatAt("consent");
    await playTranscript(chat, [["好的", ["请回复您的姓名"], ["consent_given"]]]);
    await playTranscript(chat, [["谢谢", ["请回复您本人的姓名"]]]);
    expect(chat.session()).toMatchObject({ step: "name", mistakes: 1 });
  });

  it("greets a greeting back where a number is asked for, and still counts it, so someone stuck is still helped", async () => {
    const chat = await chatAt("purpose");
    await playTranscript(chat, [["您好！", ["您好！请回复数字", "1 找工作"]]]);
    expect(chat.session()!.mistakes).toBe(1);
    for (let miss = 2; miss < 6; miss++) await chat.say("你好");
    expect((await chat.say("你好")).events).toEqual([{ type: "human_requested", step: "purpose", phone: PHONE }]);
  });

  it("counts misses within a sitting: after a day's pause the count starts again", async () => {
    const chat = conversation(context(SMS, REGISTERED), { phone: PHONE });
    await chat.say("你好");
    await chat.say("abc");
    await chat.say("xyz");
    expect((await chat.say("qqq")).sent.join("\n")).toContain('回复"人工"');
    const nextDay = minutesAfter(chat.log.at(-1)!.session.lastAt, 24 * 60);
    const after = await chat.say("abc", { at: nextDay });
    expect(after.sent.join("\n")).not.toContain('回复"人工"');
    expect(chat.session()!.mistakes).toBe(1);
  });
});
