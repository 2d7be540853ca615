// The worker's job search as golden transcripts: the list, details, 报名 with the phone question,
// 换一批, 不合适 with its reason, a search engine that is down, and a reply to a pushed job.
import { describe, expect, it } from "vitest";
import { conversation, context, fakeBoard, minutesAfter, playTranscript, REGISTERED, SMS, T0, VACANCIES, WECHAT } from "./support.ts";

const PHONE = "+8613812345678";

describe("job search", () => {
  it("shows the best three in one line each, then details, then applies and asks about the phone", async () => {
    const board = fakeBoard();
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    const [list] = await playTranscript(chat, [
      ["找工作", ["1 家政服务员·同乡镇·月薪4000-5000", "2 住家保姆", "3 养老护理员", "4 换一批"], ["jobs_requested", { type: "jobs_shown", vacancyIds: ["v1", "v2", "v3"] }]],
      ["2", ["住家保姆｜云霄县莆美镇", "月薪5000，包住，有社保", "18-55岁", "1 报名", "2 不合适", "3 换一批"]],
      ["1", ["已报名", "电话给招聘方", "1 同意"], [{ type: "job_applied", vacancyId: "v2", source: "search" }]],
      ["同意", ["招聘方会打电话给您", "1 找工作"], [{ type: "phone_share_answered", vacancyId: "v2", share: true }]],
    ]);
    // Each job is one line of the list, whole.
    for (const job of ["家政服务员·同乡镇·月薪4000-5000", "住家保姆·县内·月薪5000", "养老护理员·县内·月薪3500"]) {
      expect(list!.sent.some((text) => text.split("\n").some((line) => line.endsWith(job)))).toBe(true);
    }
    expect(board.searches[0]).toEqual({ exclude: [], feedback: [], limit: 3 });
  });

  it("says in a job's details whether it gives meals and board, and what else the employer asks", async () => {
    const board = fakeBoard();
    board.vacancies = board.vacancies.map((vacancy) =>
      vacancy.id === "v2" ? { ...vacancy, meals: true, requirements: "有健康证" } : vacancy.id === "v3" ? { ...vacancy, meals: true, gist: "夜班另有补贴" } : vacancy,
    );
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await chat.say("找工作");
    const both = (await chat.say("2")).sent.join("\n");
    expect(both).toContain("月薪5000，包吃住，有社保");
    expect(both).toContain("要求：有健康证");
    await chat.say("0");
    const meals = (await chat.say("3")).sent.join("\n");
    expect(meals).toContain("月薪3500，包吃，有社保");
    // A vacancy posted elsewhere says what its text says.
    expect(meals).toContain("说明：夜班另有补贴");
  });

  it("takes a greeting at the phone question for hello, not for the 好 of yes: the phone stays unshared", async () => {
    const chat = conversation(context(SMS, REGISTERED, { board: fakeBoard() }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["找工作", ["2 住家保姆"], ["jobs_requested", "jobs_shown"]],
      ["2", ["1 报名"]],
      ["1", ["电话给招聘方", "1 同意", "2 不同意"], ["job_applied"]],
      ["你好", ["请回复：1同意，2不同意"]],
      ["您好，不同意", ["不给电话"], [{ type: "phone_share_answered", vacancyId: "v2", share: false }]],
    ]);
  });

  it("sends a short list in one SMS, its line of what to do included", async () => {
    const chat = conversation(context(SMS, REGISTERED, { board: fakeBoard({ vacancies: VACANCIES.slice(3, 5) }) }), { phone: PHONE });
    await chat.say("你好");
    const { sent } = await chat.say("找工作");
    expect(sent).toEqual([expect.stringMatching(/^回复数字看详情：\n1 保洁员.*\n2 竹编工.*\n3 换一批\n0 返回$/)]);
  });

  it("换一批 leaves out what was shown, and says so when nothing is left", async () => {
    const board = fakeBoard();
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["找工作", ["1 家政服务员"], ["jobs_requested", "jobs_shown"]],
      ["换一批", ["1 保洁员", "2 竹编工", "3 快递员"], [{ type: "jobs_shown", vacancyIds: ["v4", "v5", "v6"] }]],
      ["4", ["暂时没有更多岗位了", "1 保洁员"]],
    ]);
    expect(board.searches.map((search) => search.exclude)).toEqual([[], ["v1", "v2", "v3"], ["v1", "v2", "v3", "v4", "v5", "v6"]]);
  });

  it("不合适 asks why, remembers it for the next list, and 0 goes back", async () => {
    const board = fakeBoard();
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["找工作", ["1 家政服务员"], ["jobs_requested", "jobs_shown"]],
      ["1", ["家政服务员｜云霄县莆美镇"]],
      ["0", ["1 家政服务员", "4 换一批"]],
      ["1", ["家政服务员｜"]],
      ["不合适", ["哪里不合适", "1 离家太远", "3 不想做这种活"]],
      ["3", ["1 保洁员"], [{ type: "job_declined", vacancyId: "v1", reason: "work" }, { type: "jobs_shown" }]],
    ]);
    expect(board.searches.at(-1)).toEqual({
      exclude: ["v1", "v2", "v3"],
      feedback: [{ reason: "不想做这种活", occupationCode: "4-10-01-06" }],
      limit: 3,
    });
  });

  it("a distance reason teaches nearness, not the kind of work", async () => {
    const board = fakeBoard();
    const chat = conversation(context(WECHAT, REGISTERED, { board }));
    await chat.say("你好");
    await playTranscript(chat, [
      ["找工作", [], ["jobs_requested", "jobs_shown"]],
      ["3", ["养老护理员"]],
      ["2", ["离家太远"]],
      ["太远", [], [{ type: "job_declined", vacancyId: "v3", reason: "far" }, { type: "jobs_shown" }]],
    ]);
    expect(board.searches.at(-1)!.feedback).toEqual([{ reason: "离家太远" }]);
  });

  it("goes home kindly when nothing is left after a 不合适", async () => {
    const board = fakeBoard();
    board.vacancies = board.vacancies.slice(0, 1);
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["找工作", ["1 家政服务员", "2 换一批"], ["jobs_requested", "jobs_shown"]],
      ["1", ["家政服务员"]],
      ["2", ["哪里不合适"]],
      ["2", ["记下了", "暂时没有别的", "1 找工作"], [{ type: "job_declined", reason: "pay" }]],
    ]);
  });

  it("says kindly when the search is down, and offers the menu again", async () => {
    const board = fakeBoard({ down: true });
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [["1", ["暂时忙", "1 找工作"], ["jobs_requested"]]]);
    board.down = false;
    await playTranscript(chat, [["1", ["1 家政服务员"], ["jobs_requested", "jobs_shown"]]]);
  });

  it("tells the worker when a job was filled between the list and the choice", async () => {
    const board = fakeBoard();
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await chat.say("找工作");
    board.vacancies = board.vacancies.filter((vacancy) => vacancy.id !== "v2");
    await playTranscript(chat, [
      ["2", ["刚招满了"]],
      ["①", ["家政服务员｜"]],
    ]);
  });

  it("says when there is no job for the worker yet", async () => {
    const board = fakeBoard({ vacancies: [] });
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [["找工作", ["暂时没有合适您的岗位", "1 找工作"], ["jobs_requested"]]]);
  });

  it.each(["有没有厂里的活", "想进厂打工", "有活儿干吗"])("takes %s at the menu for 找工作", async (asked) => {
    const chat = conversation(context(SMS, REGISTERED, { board: fakeBoard() }), { phone: PHONE });
    await chat.say("你好");
    expect((await chat.say(asked)).events).toContainEqual(expect.objectContaining({ type: "jobs_requested" }));
  });
});

describe("a reply to a pushed job", () => {
  const pushAt = minutesAfter(T0, 30);
  const pendingNotice = { kind: "job_push", subjectId: "v3", at: pushAt } as const;

  it("1 applies for the pushed job when it is the first reply after the push", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    // the push went out at T0+30 min; the next message is its answer
    const turn = await chat.say("1", { at: minutesAfter(T0, 45) });
    expect(turn.events).toEqual([{ type: "job_applied", vacancyId: "v3", source: "push" }]);
    expect(turn.sent.join("\n")).toContain("电话给招聘方");
  });

  it("报名 works as well as 1, and a first contact can answer a push too", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE, at: minutesAfter(T0, 40) });
    const turn = await chat.say("报名");
    expect(turn.events).toEqual([{ type: "job_applied", vacancyId: "v3", source: "push" }]);
  });

  it("after the worker has written since, 1 is the menu's 1 again", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    await chat.say("我的信息", { at: minutesAfter(T0, 50) });
    const turn = await chat.say("1", { at: minutesAfter(T0, 51) });
    expect(turn.events.map((event) => event.type)).toEqual(["jobs_requested", "jobs_shown"]);
  });

  it("a word that is not an answer to the push is read as usual", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("人工", { at: minutesAfter(T0, 45) });
    expect(turn.events).toMatchObject([{ type: "human_requested" }]);
  });

  it("a greeting or 不报名 applies for nothing, even as the first words ever", async () => {
    for (const text of ["你好", "不报名", "好的"]) {
      const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE, at: minutesAfter(T0, 40) });
      const turn = await chat.say(text);
      expect(turn.events.filter((event) => event.type === "job_applied"), text).toEqual([]);
    }
  });

  it("a no in words turns the job down, with why where it is said; a question shows its details", async () => {
    for (const [text, reason] of [["不去，太少了", "pay"], ["太远了", "far"], ["不要", "other"]] as const) {
      const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE, at: minutesAfter(T0, 40) });
      const turn = await chat.say(text);
      expect(turn.events, text).toMatchObject([{ type: "job_declined", vacancyId: "v3", reason }]);
      expect(turn.sent.join("\n")).toContain("好的，这个不报");
      expect(turn.sent.join("\n")).toContain("1 找工作"); // and the menu
    }
    const asking = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE, at: minutesAfter(T0, 40) });
    const details = await asking.say("这个厂在哪里？");
    expect(details.sent.join("\n")).toContain("1 报名");
    expect(asking.session()!.step).toBe("jobDetail");
    expect((await asking.say("1")).events).toMatchObject([{ type: "job_applied", vacancyId: "v3" }]);
  });

  it("says so when the pushed job is already filled", async () => {
    const board = fakeBoard();
    board.vacancies = board.vacancies.filter((vacancy) => vacancy.id !== "v3");
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice, board }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("1", { at: minutesAfter(T0, 45) });
    expect(turn.events).toEqual([]);
    expect(turn.sent.join("\n")).toContain("已经招满了");
  });
});

describe("a worker who has found work", () => {
  it("is congratulated and their coordinator asked to record it; 想上班了 wants work instead", async () => {
    for (const text of ["我已经找到工作了", "在厂里上班了", "有工作了"]) {
      const chat = conversation(context(SMS, REGISTERED), { phone: PHONE });
      await chat.say("你好");
      const turn = await chat.say(text);
      expect(turn.events, text).toMatchObject([{ type: "human_requested", note: "说已找到工作，请核实就业情况" }]);
      expect(turn.sent.join("\n")).toContain("恭喜您找到工作");
    }
    const chat = conversation(context(SMS, REGISTERED), { phone: PHONE });
    await chat.say("你好");
    expect((await chat.say("我想上班了")).events.map((event) => event.type)).not.toContain("human_requested");
  });
});

describe("a reply to a follow-up", () => {
  const pendingNotice = { kind: "follow_up", subjectId: "app1", at: minutesAfter(T0, 30) } as const;

  it("1 says the worker is still there", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("1", { at: minutesAfter(T0, 60) });
    expect(turn.events).toEqual([{ type: "follow_up_answered", applicationId: "app1", stillWorking: true }]);
    expect(turn.sent.join("\n")).toContain("祝您工作顺利");
  });

  it("否 says the job was lost and shows new jobs at once", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("不在了", { at: minutesAfter(T0, 60) });
    expect(turn.events.map((event) => event.type)).toEqual(["follow_up_answered", "jobs_shown"]);
    expect(turn.events[0]).toMatchObject({ stillWorking: false });
    const sent = turn.sent.join("\n");
    expect(sent).toContain("帮您找新工作");
    expect(sent).toContain("1 家政服务员");
  });

  it("a 2 when the search is down still records the job loss and says so kindly", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice, board: fakeBoard({ down: true }) }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("2", { at: minutesAfter(T0, 60) });
    expect(turn.events).toEqual([{ type: "follow_up_answered", applicationId: "app1", stillWorking: false }]);
    expect(turn.sent.join("\n")).toContain("暂时忙");
  });
});

describe("benefits", () => {
  it("补贴 lists the host's lines and offers a person", async () => {
    const board = fakeBoard({ benefits: { have: ["职业培训：想学技能每年免费1次，找协理员报名", "交通补贴：外出务工可领，找协理员办"], toAsk: ["求职补贴：需要知道您是哪年毕业"] } });
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [["补贴", ["您可能享受", "职业培训：想学技能每年免费1次", "交通补贴", "求职补贴", '回复"人工"', "1 找工作"], ["benefits_shown"]]]);
  });

  it("does not say 您可能享受 over lines that only wait on a question", async () => {
    const board = fakeBoard({ benefits: { have: [], toAsk: ["求职补贴：需要知道您是哪年毕业"] } });
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    const said = (await chat.say("补贴")).sent.join("\n");
    expect(said).toContain("要问清您的情况才知道能不能领：\n求职补贴：需要知道您是哪年毕业");
    expect(said).not.toContain("您可能享受");
  });

  it("says so when nothing is found", async () => {
    const chat = conversation(context(SMS, REGISTERED, { board: fakeBoard() }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [["2", ["暂时没有查到"], ["benefits_shown"]]]);
  });
});

describe("我的报名", () => {
  it("lists the worker's applications with what became of each, asked in a word or a sentence", async () => {
    const board = fakeBoard({
      myApplications: [
        { title: "电子厂普工", employerName: "云霄县某电子科技有限公司", status: "applied", vacancyOpen: true },
        { title: "保洁员", employerName: null, status: "shared", vacancyOpen: true },
        { title: "竹编工", employerName: "莆美镇竹编帮扶车间", status: "applied", vacancyOpen: false },
        { title: "包装工", employerName: "阳下村扶贫车间", status: "hired", vacancyOpen: false },
      ],
    });
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["我的报名", ["您报名的岗位：", "电子厂普工（云霄县某电子科技有…）：已报名，等单位联系", "保洁员：电话已给单位，等单位打来", "竹编工（莆美镇竹编帮扶车间）：岗位已招满", "包装工（阳下村扶贫车间）：已录用", '回复"人工"', "1 找工作"]],
      ["我报名的那个厂怎么样了", ["您报名的岗位："]],
    ]);
    const none = conversation(context(SMS, REGISTERED, { board: fakeBoard() }), { phone: PHONE });
    await none.say("你好");
    expect((await none.say("报名怎么没人联系我")).sent.join("\n")).toContain('您还没有报名过岗位。回复"找工作"看岗位。');
    // Before registering, 我的报名 is no command: the welcome reads it.
    const stranger = conversation(context(SMS), { phone: PHONE });
    await stranger.say("你好");
    expect((await stranger.say("我的报名")).sent.join("\n")).not.toContain("报名过岗位");
  });
});

describe("找工作 from anywhere", () => {
  it("starts a fresh search from the details or a reason menu for a registered worker", async () => {
    const board = fakeBoard();
    const chat = conversation(context(SMS, REGISTERED, { board }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["找工作", ["1 家政服务员"], ["jobs_requested", "jobs_shown"]],
      ["1", ["家政服务员｜"]],
      ["2", ["哪里不合适"]],
      ["找工作", ["1 家政服务员", "4 换一批"], ["jobs_requested", "jobs_shown"]],
      ["0", ["1 找工作", "2 补贴政策"]],
    ]);
  });

  it("is the welcome's answer, not a command, before registration", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [["找工作", ["姓名、身份证", "1 同意"]]]);
  });
});

describe("a reply to a training offer", () => {
  const pendingNotice = { kind: "training_offer", subjectId: "course1", at: minutesAfter(T0, 30) } as const;

  it("1 asks the host to enrol, and says nothing of its own (the host knows the seats)", async () => {
    const chat = conversation(context(SMS, REGISTERED, { pendingNotice }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("1", { at: minutesAfter(T0, 40) });
    expect(turn.events).toEqual([{ type: "training_enrol_requested", courseId: "course1" }]);
    expect(turn.sent).toEqual([]);
    expect(turn.session.step).toBe("home");
  });
});

describe("two notices since the worker last wrote", () => {
  it("make a bare 1 answer neither: it is the menu's 1", async () => {
    const pendingNotices = [
      { kind: "training_offer", subjectId: "course1", at: minutesAfter(T0, 40) },
      { kind: "follow_up", subjectId: "app1", at: minutesAfter(T0, 30) },
    ] as const;
    const chat = conversation(context(SMS, REGISTERED, { pendingNotices: [...pendingNotices] }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("1", { at: minutesAfter(T0, 50) });
    expect(turn.events.map((event) => event.type)).toEqual(["jobs_requested", "jobs_shown"]);
  });

  it("but one sent before the worker last wrote does not count: the newer one is answered", async () => {
    const pendingNotices = [
      { kind: "training_offer", subjectId: "course1", at: minutesAfter(T0, 40) },
      { kind: "follow_up", subjectId: "app1", at: minutesAfter(T0, -30) },
    ] as const;
    const chat = conversation(context(SMS, REGISTERED, { pendingNotices: [...pendingNotices] }), { phone: PHONE });
    await chat.say("你好", { at: T0 });
    const turn = await chat.say("1", { at: minutesAfter(T0, 50) });
    expect(turn.events).toEqual([{ type: "training_enrol_requested", courseId: "course1" }]);
  });
});
