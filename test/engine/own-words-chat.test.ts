// What the chat does with answers it reads in people's own words, and with those it cannot read:
// a negation is never turned into its opposite, a re-ask quotes what it read, three misses bring a
// guess asked back, six bring a coordinator without being asked and (where a safe answer exists) the
// next question; a township of the neighbouring county is offered with its county.
import { describe, expect, it } from "vitest";
import { context, conversation, playTranscript, SMS, type Conversation } from "./support.ts";

const PHONE = "+8613800000001";

/** A worker who has just said they live in 云霄县: the township menu is next. */
async function atTownship(): Promise<Conversation> {
  const chat = conversation(context(SMS), { phone: PHONE });
  await playTranscript(chat, [
    ["找工作", []],
    ["同意", [], ["consent_given"]],
    ["王五", []],
    ["350622199001011230", []],
    ["云霄", ["请选乡镇"]],
  ]);
  return chat;
}

/** A worker from 云霄县 at the where-to-work question, having answered everything before it. */
async function atWorkRange(): Promise<Conversation> {
  const chat = await atTownship();
  await playTranscript(chat, [
    ["莆美", []],
    ["莆东", ["建档立卡"]],
    ["已经脱贫了", ["是否属于"]],
    ["没有低保", ["想做什么工作"]],
    ["什么活都干", ["愿意去哪里工作"]],
  ]);
  return chat;
}

describe("answers in people's own words", () => {
  it("reads a negation as what it means, not as the option it names", async () => {
    const chat = await atWorkRange();
    expect(chat.session()!.answers).toMatchObject({ povertyStatus: "lifted", categories: [], wishedOccupations: [] });
    await playTranscript(chat, [
      ["不出省", ["每月工资"]],
      ["三千", ["培训"]],
      ["没时间", ["请核对"]],
    ]);
    expect(chat.session()!.answers).toMatchObject({ workRange: "province", wantsTraining: false, trainingWish: null });
    expect(chat.log.at(-1)!.sent.join("\n")).toContain("想做的工作：什么都行");
  });

  it("reads a province named instead of a range against the worker's home", async () => {
    const chat = await atWorkRange();
    await chat.say("去广东也行");
    expect(chat.session()!.answers.workRange).toBe("anywhere");
    await chat.say("0");
    await chat.say("厦门就行");
    expect(chat.session()!.answers.workRange).toBe("province");
  });

  it("never records a job the worker refused", async () => {
    const chat = await atWorkRange();
    await chat.say("0");
    const turn = await chat.say("不想进厂");
    expect(turn.session.step).toBe("occupations");
    expect(turn.session.answers.wishedOccupations).toBeUndefined();
  });
});

describe("answers not understood", () => {
  it("quotes what it read, asks back its best guess after three misses, and takes the yes", async () => {
    const chat = await atWorkRange();
    const first = await chat.say("看情况");
    expect(first.sent[0]).toMatch(/^没看懂"看情况"，请回复数字\n1 只在本县/);
    expect((await chat.say("嗯嗯嗯嗯嗯嗯嗯嗯")).sent[0]).toContain('没看懂"嗯嗯嗯嗯嗯…"');
    const third = await chat.say("外边");
    expect(third.sent.join("\n")).toContain('您是说"外省也行"吗？\n1 是\n2 不是');
    await playTranscript(chat, [["是", ["每月工资"]]]);
    expect(chat.session()!.answers.workRange).toBe("anywhere");
  });

  it("shows the menu again when the guess is wrong, and reads a number typed instead of yes or no", async () => {
    const chat = await atWorkRange();
    for (const text of ["看情况", "不好说", "外边"]) await chat.say(text);
    await playTranscript(chat, [["不是", ["好的，请回复数字选择", "1 只在本县"]]]);
    expect(chat.session()!.guess).toBeUndefined();
    await playTranscript(chat, [["2", ["每月工资"]]]);
    expect(chat.session()!.answers.workRange).toBe("province");
  });

  it("after six misses asks a coordinator to call and goes on with the answer that promises least", async () => {
    const chat = await atWorkRange();
    for (const text of ["看情况", "不好说", "啊啊", "看看再说", "嗯"]) await chat.say(text);
    expect(chat.session()!.step).toBe("workRange");
    await playTranscript(chat, [["再说吧", ["协理员", "每月工资"], [{ type: "human_requested", step: "workRange", phone: PHONE }]]]);
    expect(chat.session()!.answers.workRange).toBe("homeCounty");
  });

  it("at a step with no safe answer asks a coordinator once and keeps asking", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [["找工作", []], ["同意", [], ["consent_given"]]]);
    for (const text of ["1", "2", "3", "4", "5"]) await chat.say(text);
    await playTranscript(chat, [["6", ["协理员", "姓名"], [{ type: "human_requested", step: "name", phone: PHONE }]]]);
    await playTranscript(chat, [["7", ["姓名"], []]]);
    expect(chat.session()!.step).toBe("name");
  });
});

describe("a township typed that lies in the neighbouring county", () => {
  it("is offered with its county, and yes moves the home there", async () => {
    const chat = await atTownship();
    await playTranscript(chat, [
      ["南诏镇", ["南诏镇在诏安县，是吗？", "1 是", "2 不是"]],
      ["是", ["建档立卡"]],
    ]);
    expect(chat.session()!.answers).toMatchObject({ county: { code: "350624", name: "诏安县" }, township: { code: "350624100" } });
  });

  it("no shows the township menu of the county chosen again", async () => {
    const chat = await atTownship();
    await playTranscript(chat, [
      ["南诏", ["南诏镇在诏安县，是吗？"]],
      ["不是", ["请选乡镇", "1 云陵镇"]],
      ["莆美", ["请选村"]],
    ]);
    expect(chat.session()!.answers.county).toMatchObject({ code: "350622" });
  });
});
