// 补贴政策 as a worker meets it: what they may get, then the questions that decide the rest, one at a
// time, each answer an event for the record; a benefit named is answered alone. The benefits are
// worked out by the real policies (Zhangzhou's, for a worker of 云霄县) from what the worker told.
import { describe, expect, it } from "vitest";
import { benefitsView, loadPolicyLibrary, policiesFor, type WorkerProfile } from "../../src/policies/index.ts";
import type { ToldFacts } from "../../src/engine/index.ts";
import { conversation, context, fakeBoard, playTranscript, REGISTERED, SMS, T0 } from "./support.ts";

const PHONE = "+8613812345678";
const ZHANGZHOU = policiesFor(loadPolicyLibrary(), "350622103207");
const SEEKER: WorkerProfile = {
  birthDate: "2003-03-15",
  sex: "female",
  povertyStatus: "lifted",
  categories: [],
  homeRegionCode: "350622103207",
  employmentStatus: "seeking",
  wantsTraining: false,
  trainingEnrolled: false,
  trainingCompleted: 0,
};

function chatAbout(profile: WorkerProfile, workRange: "homeCounty" | "province" | "anywhere" = "homeCounty") {
  const asked: ToldFacts[] = [];
  const board = fakeBoard({
    benefits: (told, forget) => {
      asked.push(told);
      return benefitsView(ZHANGZHOU, profile, { today: T0, workRange, told, forget });
    },
  });
  return { chat: conversation(context(SMS, REGISTERED, { board }), { phone: PHONE }), asked };
}

const told = (facts: ToldFacts) => ({ type: "benefit_facts_told", facts });

describe("补贴政策's questions", () => {
  it("asks what decides the rest, one question at a time, and says what the answers bring", async () => {
    const { chat } = chatAbout(SEEKER, "anywhere");
    await chat.say("你好");
    await playTranscript(chat, [
      ["补贴", ["问您几个问题，看能领哪些补贴。您参加城乡居民养老保险（农保）了吗？", "3 不清楚"], ["benefits_shown"]],
      ["没参加", ["您在自己做生意、开店，或准备创业吗？"], [told({ pensionEnrolled: false })]],
      ["不是", ["您读书读到哪一级？", "5 大专及以上"], [told({ startingBusiness: false })]],
      ["大专", ["哪一年毕业"], [told({ education: "college" })]],
      ["今年", ["谢谢！您可能享受：", "养老参保：", "求职补贴：毕业当年可领2000元", "到县外上班，还可领：\n交通补贴：外出务工可领交通补助", '回复"人工"', "1 找工作"], [told({ graduationYear: 2025 })]],
    ]);
    expect(chat.session()!.step).toBe("home");
  });

  it("asks the year of leaving school only where a school kind could bring a benefit", async () => {
    const { chat } = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: false });
    await chat.say("你好");
    await playTranscript(chat, [
      ["补贴", ["您读书读到哪一级？"], ["benefits_shown"]],
      ["4", ["是哪一种学校？", "2 技校（中级工班）", "3 技校高级工班"], []],
      // Zhangzhou's graduate subsidies are not for a technical school's ordinary class: no year asked.
      ["2", ["谢谢！", "暂时没有查到"], [told({ education: "technicalSchool" })]],
    ]);
    const senior = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: false }).chat;
    await senior.say("你好");
    await senior.say("补贴");
    await senior.say("技校");
    expect((await senior.say("高级工班")).sent.join("\n")).toContain("哪一年毕业");
    expect((await senior.say("明年毕业")).events).toEqual([told({ graduationYear: 2026 })]);
  });

  it("takes 不清楚 as no answer, asks it no more this time, and goes back with 0", async () => {
    const { chat } = chatAbout(SEEKER);
    await chat.say("你好");
    await chat.say("补贴");
    await playTranscript(chat, [
      ["不清楚", ["您在自己做生意"], []],
      ["0", ["您参加城乡居民养老保险（农保）了吗？"]],
      ["3", ["您在自己做生意"], []],
      ["是", ["您读书读到哪一级？"], [told({ startingBusiness: true })]],
      ["初中", ["谢谢！您可能享受：", "创业补贴", "还要问清您的情况：", "养老参保：需要知道您有没有参加养老保险"], [told({ education: "juniorHigh" })]],
    ]);
  });

  it("reads a year however it is said, and says how when it cannot", async () => {
    const { chat } = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: false, education: "college" });
    await chat.say("你好");
    expect((await chat.say("补贴")).sent.join("\n")).toContain("哪一年毕业");
    expect((await chat.say("很早了")).sent.join("\n")).toContain("请回复毕业的年份，如：2025");
    expect((await chat.say("２０１９年")).events).toEqual([told({ graduationYear: 2019 })]);
    const short = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: false, education: "college" }).chat;
    await short.say("你好");
    await short.say("补贴");
    expect((await short.say("19年毕业的")).events).toEqual([told({ graduationYear: 2019 })]);
  });

  it("answers a benefit asked about by name, asking only its own questions", async () => {
    const away = chatAbout(SEEKER, "anywhere").chat;
    await away.say("你好");
    await playTranscript(away, [["外出打工的交通补贴怎么领", ["到县外上班后可申请一次性交通补助", '回复"人工"', "1 找工作"], ["benefits_shown"]]]);
    const home = chatAbout(SEEKER).chat;
    await home.say("你好");
    expect((await home.say("交通补助怎么领")).sent.join("\n")).toContain("交通补贴：到县外上班才能领，您登记的是只在本县找工作。");
    // 公益岗位 is the benefit's name, not a job search
    const post = chatAbout({ ...SEEKER, categories: ["disability"] }).chat;
    await post.say("你好");
    expect((await post.say("公益岗位怎么申请")).sent.join("\n")).toMatch(/公益/);
    const business = chatAbout(SEEKER).chat;
    await business.say("你好");
    await playTranscript(business, [
      ["创业补贴有吗", ["问您几个问题，看能不能领创业补贴。您在自己做生意、开店，或准备创业吗？"], ["benefits_shown"]],
      ["准备开个小店", ["谢谢！您可申请", "创业"], [told({ startingBusiness: true })]],
    ]);
    expect(business.session()!.step).toBe("home");
  });

  it("reads answers as people give them: 不懂 is no answer, 啥是农保 is explained, a sentence answers", async () => {
    const { chat } = chatAbout(SEEKER);
    await chat.say("你好");
    await chat.say("补贴");
    await playTranscript(chat, [
      ["啥是农保", ["农村的养老保险（农保、新农保）", "您参加城乡居民养老保险（农保）了吗？"], []],
      ["不懂", ["您在自己做生意"], []], // not 没参加 for its 不
      ["想开个小卖部", ["您读书读到哪一级？"], [told({ startingBusiness: true })]],
      ["技校", ["技校读的是哪个班？", "2 高级工班"], []],
      ["高级工班", ["哪一年毕业"], [told({ education: "technicalSeniorWorker" })]],
      ["二零二五年", ["谢谢！"], [told({ graduationYear: 2025 })]],
    ]);
    const unschooled = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: false }).chat;
    await unschooled.say("你好");
    await unschooled.say("补贴");
    expect((await unschooled.say("我没读过书")).events).toEqual([told({ education: "primaryOrBelow" })]);
    const year = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: false, education: "college" }).chat;
    await year.say("你好");
    await year.say("补贴");
    expect((await year.say("今年六月")).events).toEqual([told({ graduationYear: 2025 })]);
  });

  it("asks no school questions from 35, and none at all while the household's status is unknown", async () => {
    const older = chatAbout({ ...SEEKER, birthDate: "1980-03-15" }).chat;
    await older.say("你好");
    await older.say("补贴");
    const after = await older.say("没参加");
    await older.say("不是");
    expect(after.sent.join("\n")).toContain("您在自己做生意");
    expect(older.session()!.step).toBe("home");
    const unknown = chatAbout({ ...SEEKER, povertyStatus: "unknown" }).chat;
    await unknown.say("你好");
    const listed = (await unknown.say("补贴")).sent.join("\n");
    expect(listed).toContain("多数补贴要看您家是不是建档立卡户或已脱贫户");
    expect(listed).not.toContain("需要知道");
    expect(unknown.session()!.step).toBe("home");
  });

  it("asks the questions again with 重答, for an answer given wrong", async () => {
    const { chat } = chatAbout({ ...SEEKER, pensionEnrolled: true, startingBusiness: true, education: "juniorHigh" });
    await chat.say("你好");
    await playTranscript(chat, [
      ["补贴", ["您可能享受：", "创业补贴", '答错了，回复"重答"'], ["benefits_shown"]],
      ["重答", ["您参加城乡居民养老保险（农保）了吗？"], ["benefits_shown"]],
      ["没参加", ["您在自己做生意"], [told({ pensionEnrolled: false })]],
      // …and in the middle of the questions, from the first again
      ["刚才答错了", ["您参加城乡居民养老保险（农保）了吗？"], ["benefits_shown"]],
      ["没参加", ["您在自己做生意"], [told({ pensionEnrolled: false })]],
      ["不是", ["您读书读到哪一级？"], [told({ startingBusiness: false })]],
      ["初中", ["谢谢！您可能享受：", "养老参保"], [told({ education: "juniorHigh" })]],
    ]);
    // Never asked anything that decides a benefit: no 重答 offered.
    const none = chatAbout({ ...SEEKER, povertyStatus: "none" }).chat;
    await none.say("你好");
    expect((await none.say("补贴")).sent.join("\n")).not.toContain("重答");
  });

  it("ends the questions when the answers keep being missed, and asks a coordinator to call", async () => {
    const { chat } = chatAbout(SEEKER);
    await chat.say("你好");
    await chat.say("补贴");
    const misses = [];
    for (const text of ["啊", "哦", "什么", "看看", "哈哈", "呵呵"]) misses.push(await chat.say(text));
    expect(misses.at(-1)!.events).toMatchObject([{ type: "human_requested", step: "benefitQuestion" }]);
    expect(misses.at(-1)!.sent.join("\n")).toContain("1 找工作");
    expect(chat.session()!.step).toBe("home");
  });
});
