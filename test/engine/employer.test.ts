// The employer's flow as golden transcripts: registration with or without a credit code, a vacancy
// posted in short SMS questions, and the employer's home (我的岗位, 查看报名, 关闭, 已录用).
import { describe, expect, it } from "vitest";
import type { DomainEvent, EmployerProfile } from "../../src/engine/index.ts";
import { conversation, context, fakeBoard, playTranscript, SMS, WECHAT, type TranscriptTurn } from "./support.ts";

const PHONE = "+8613912345678";
/** A unified social credit code with a correct check character (GB 32100). */
const CREDIT_CODE = "91350100M000100Y43";

const REGISTER_TO_TOWNSHIP: TranscriptTurn[] = [
  ["你好", ["2 我要招人"]],
  ["我要招人", ["单位名称"], ["employer_flow_requested"]],
  // …a workshop by its name: the kind is not asked
  ["莆美镇竹编帮扶车间", ["统一社会信用代码"]],
];

const POST_VACANCY: TranscriptTurn[] = [
  ["编织工", ["这个工种是"]],
  ["对", ["招几个人"]],
  ["5人", ["在哪里上班", "1 就在本单位(云霄县莆美镇)", "2 别的地方"]],
  ["1", ["工资多少"]],
  ["3000-4500元/月", ["每天干几小时"]],
  ["8", ["年龄要求"]],
  ["18到50岁", ["男女要求", "1 男女不限"]],
  ["只要女", ["其他要求"]],
  ["无", ["包吃住吗", "1 包吃住"]],
  ["包住", ["交社保吗"]],
  ["1", ["招到哪天"]],
  ["12月31日", ["请核对岗位", "招5人，云霄县莆美镇", "3000-4500元/月，包住，交社保", "18-50岁，只要女，每天8小时", "招到：2025-12-31", "1 发布"]],
];

describe("employer registration and a first vacancy", () => {
  it("takes 你好, a question or a yes at the name question for no name: asked again", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["你好", ["2 我要招人"]],
      ["我要招人", ["单位名称"], ["employer_flow_requested"]],
      ["你好！", ["请回复单位名称"]],
      ["你们是谁？", ["请回复单位名称"]],
      ["好的", ["请回复单位名称"]],
      ["同意", ["请回复单位名称"]],
      ["云霄县鑫达电子有限公司", ["哪一类", "1 企业"]],
    ]);
  });

  it("takes the unit's name out of a sentence that says more, and its kind from the name", async () => {
    const said = async (text: string) => {
      const chat = conversation(context(SMS), { phone: PHONE });
      await chat.say("你好");
      await chat.say("我要招人");
      const turn = await chat.say(text);
      return { name: chat.session()!.answers.employer?.name, kind: chat.session()!.answers.employer?.kind, asked: turn.sent.join("\n") };
    };
    expect(await said("我是阳下村扶贫车间的，想招几个人编竹篮")).toMatchObject({ name: "阳下村扶贫车间", kind: "workshop", asked: expect.stringContaining("统一社会信用代码") });
    expect(await said("我们是莆美竹编合作社")).toMatchObject({ name: "莆美竹编合作社", kind: "cooperative" });
    expect(await said("就是竹港村扶贫车间")).toMatchObject({ name: "竹港村扶贫车间", kind: "workshop" });
    // …in the very words that chose 我要招人: the name is not asked either
    const first = conversation(context(SMS), { phone: PHONE });
    await first.say("你好");
    expect((await first.say("我是陈岱镇竹港村扶贫车间的，想招几个人编竹篮")).sent.join("\n")).toContain("统一社会信用代码");
    expect(first.session()!.answers.employer).toMatchObject({ name: "陈岱镇竹港村扶贫车间", kind: "workshop" });
    const plain = conversation(context(SMS), { phone: PHONE });
    await plain.say("你好");
    expect((await plain.say("我们厂要招人")).sent.join("\n")).toContain("请回复单位名称");
    expect(await said("云霄县鑫达电子有限公司")).toMatchObject({ name: "云霄县鑫达电子有限公司", kind: undefined, asked: expect.stringContaining("哪一类") });
  });

  it("offers the county a credit code was registered in, not the city's own office", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...REGISTER_TO_TOWNSHIP,
      ["91350622MA0000001D", ["联系人叫什么名字"]], // registered in 云霄县 (350622)
      ["李四", ["单位在云霄县吗？不是请回复县名", "1 是", "2 不是"]],
      ["1", ["哪个乡镇", "莆美镇"]],
    ]);
    // CREDIT_CODE was registered by 福州市's own office (350100): no county to offer.
    const city = conversation(context(SMS), { phone: PHONE });
    await playTranscript(city, [...REGISTER_TO_TOWNSHIP, [CREDIT_CODE, ["联系人叫什么名字"]], ["李四", ["单位在哪个县（区）？"]]]);
  });

  it("does not say the place twice in an address typed with it", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [...REGISTER_TO_TOWNSHIP, [CREDIT_CODE, []], ["李四", []], ["云霄", []], ["莆美镇", ["详细地址"]]]);
    const summary = (await chat.say("云霄县莆美镇莆东村12号")).sent.join("\n");
    expect(summary).toContain("\n云霄县莆美镇莆东村12号\n");
    expect(chat.session()!.answers.employer?.address).toBe("莆东村12号");
  });

  it("over SMS: registers with a credit code, posts a vacancy, every message one SMS", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    const logs = await playTranscript(chat, [
      ...REGISTER_TO_TOWNSHIP,
      [CREDIT_CODE.toLowerCase(), ["联系人叫什么名字"]],
      // the SMS sender's number is the contact phone: not asked
      ["李四", ["哪个县"]],
      ["云霄", ["哪个乡镇", "莆美镇"]],
      ["莆美镇", ["详细地址"]],
      ["莆东村12号", ["请核对", "莆美镇竹编帮扶车间（帮扶车间）", "云霄县莆美镇莆东村12号", "联系人：李四"]],
      [
        "1",
        ["单位登记好了", "招什么工"],
        [
          {
            type: "employer_registered",
            profile: {
              name: "莆美镇竹编帮扶车间",
              kind: "workshop",
              creditCode: CREDIT_CODE,
              contactName: "李四",
              contactPhone: PHONE,
              regionCode: "350622103",
              address: "莆东村12号",
            },
          },
        ],
      ],
      ...POST_VACANCY,
      [
        "1",
        ["已发布", "正在推给合适的求职者"],
        [
          {
            type: "vacancy_posted",
            vacancy: {
              title: "编织工",
              headcount: 5,
              regionCode: "350622103",
              wageMin: 3000,
              wageMax: 4500,
              wageUnit: "month",
              hours: "每天8小时",
              ageMin: 18,
              ageMax: 50,
              sex: "female",
              requirements: null,
              housing: true,
              meals: false,
              insurance: true,
              deadline: "2025-12-31",
            },
          },
        ],
      ],
    ]);
    const posted = logs.at(-1)!.events[0] as Extract<DomainEvent, { type: "vacancy_posted" }>;
    expect(posted.vacancy.occupationCode).toMatch(/^\d-\d\d-\d\d-\d\d$/);
    expect(logs.length).toBeLessThanOrEqual(25);
  });

  it("without a code: the coordinator confirms the employer, and the vacancy waits for that", async () => {
    const chat = conversation(context(WECHAT));
    const logs = await playTranscript(chat, [
      ...REGISTER_TO_TOWNSHIP,
      ["12345", ["代码是18位", "没有"]],
      ["91350100M000100Y44", ["代码对不上"]],
      ["没有", ["协理员会核实", "联系人叫什么名字"]],
      ["李四", ["手机号码"]],
      ["12345", ["11位数字"]],
      ["139 1234 5678", ["哪个县"]],
      ["云宵县", ["是不是", "1 云霄县(漳州市)"]],
      ["1", ["哪个乡镇"]],
      ["5", ["详细地址"]],
      ["列屿镇码头边", ["请核对"]],
      ["确认", ["招什么工"], [{ type: "employer_registered", profile: { creditCode: null, contactPhone: PHONE, regionCode: "350622104" } }]],
    ]);
    expect(logs.length).toBeGreaterThan(0);
  });

  it("asks again, kindly, when the pay, age or deadline cannot be read", async () => {
    const chat = conversation(context(SMS, undefined, { employer: EMPLOYER }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["1", ["招什么工"]],
      ["招普工", ["这个工种是：车间普工，对吗？"]], // the words workers choose by, not 其他生产辅助人员
      ["不对", ["属于下面哪一种", "都不是"]],
      ["都不是", ["招几个人"]],
      ["很多", ["要招的人数"]],
      ["十", ["在哪里上班"]],
      ["2", ["哪个县"]],
      ["云霄县", ["哪个乡镇"]],
      ["列屿镇", ["工资多少"]],
      ["看情况", ["没看懂工资"]],
      ["日结一百五", ["每天干几小时"]],
      ["24", ["每天几小时"]],
      // the answer to a later question, said early, is not the hours
      ["管午饭", ["先说每天干几小时", "吃住、年龄等后面会问"]],
      ["女的", ["先说每天干几小时"]],
      ["两班倒", ["年龄要求"]],
      ["5到10岁", ["18-50"]],
      ["不限", ["男女要求"]],
      ["1", ["其他要求"]],
      ["会开叉车，Ｃ１驾照", ["包吃住吗"]],
      ["4", ["交社保吗"]],
      ["不交", ["招到哪天"]],
      ["2020-01-01", ["已经过了"]],
      ["下个礼拜", ["12月31日"]],
      ["长期", ["150元/天，不包吃住，不交社保", "年龄不限，男女不限，两班倒", "要求：会开叉车，C1驾照", "招到：长期", "云霄县列屿镇"]],
      ["1", ["已发布"], [{ type: "vacancy_posted", vacancy: { occupationCode: null, headcount: 10, regionCode: "350622104", wageMin: 150, wageMax: 150, wageUnit: "day", deadline: null } }]],
    ]);
  });
});

const EMPLOYER: EmployerProfile = {
  id: "e1",
  name: "莆美镇竹编帮扶车间",
  kind: "workshop",
  regionCode: "350622103",
  regionName: "云霄县莆美镇",
  trusted: true,
};

describe("the employer's home", () => {
  function employerChat() {
    const board = fakeBoard({
      employerVacancies: [
        { id: "ev1", title: "竹编工", status: "open", applicants: 2, hired: 0 },
        { id: "ev2", title: "包装工", status: "open", applicants: 0, hired: 0 },
      ],
      applicants: {
        ev1: [
          { applicationId: "a1", name: "张三", age: 35, placeName: "莆东村", phone: "138****5678", status: "applied" },
          { applicationId: "a2", name: "王芳", age: 42, placeName: "莆南村", phone: "+8613700001111", status: "shared" },
        ],
      },
    });
    return { board, chat: conversation(context(SMS, undefined, { employer: EMPLOYER, board }), { phone: PHONE }) };
  }

  it("greets the employer by name and lists the vacancies with their applicants", async () => {
    const { chat } = employerChat();
    await playTranscript(chat, [
      ["你好", ["您好，莆美镇竹编帮扶车间", "1 发布新岗位", "2 我的岗位"]],
      ["我的岗位", ["1 竹编工 招聘中 报名2人", "2 包装工 招聘中 报名0人"]],
      ["查看报名 1", ["张三 35岁 莆东村 138****5678\n王芳 42岁 莆南村 +8613700001111", "1 发布新岗位"]], // unnumbered above the numbered menu
      ["查看报名 2", ["还没有人报名"]],
      ["查看报名 3", ["没有第3个岗位"]],
    ]);
  });

  it("says a vacancy waiting for its employer to be confirmed is not out yet, rather than that nobody applied", async () => {
    const waiting = fakeBoard({ employerVacancies: [{ id: "ev1", title: "竹编工", status: "draft", applicants: 0, hired: 0 }] });
    const chat = conversation(context(SMS, undefined, { employer: EMPLOYER, board: waiting }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["查看报名", ['"竹编工"还在等协理员核实单位，核实后才发布']],
      ["怎么还没发布", ["1 竹编工 待核实"]],
    ]);
  });

  it("asks before the menu closes the only vacancy", async () => {
    // 5 is a digit easily typed by mistake; 关闭 typed as a word is meant.
    const one = fakeBoard({ employerVacancies: [{ id: "ev1", title: "竹编工", status: "open", applicants: 2, hired: 0 }] });
    const chat = conversation(context(SMS, undefined, { employer: EMPLOYER, board: one }), { phone: PHONE });
    await chat.say("你好");
    await playTranscript(chat, [
      ["5", ['关闭"竹编工"吗', "1 关闭", "2 不关"], []],
      ["2", ["没有关闭", "1 发布新岗位"], []],
      ["5", ['关闭"竹编工"吗'], []],
      ["1", ['已关闭"竹编工"', "1 发布新岗位"], [{ type: "vacancy_closed", vacancyId: "ev1" }]],
    ]);
  });

  it("closes the numbered vacancy", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [["关闭 2", ["已关闭\"包装工\""], [{ type: "vacancy_closed", vacancyId: "ev2" }]]]);
  });

  it("marks a hire: which vacancy, then which applicant", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [
      ["已录用", ["哪个岗位", "1 竹编工", "2 包装工"]],
      ["1", ["录用了哪一位", "1 张三 35岁", "2 王芳 42岁"]],
      ["2", ["已记下录用王芳"], [{ type: "applicant_hired", vacancyId: "ev1", applicationId: "a2" }]],
      ["已录用 2", ["还没有可录用的报名者"]],
    ]);
  });

  it("takes one to three hours a day only with the unit: a bare 2 is more likely a menu's number", async () => {
    const chat = conversation(context(SMS, undefined, { employer: EMPLOYER }), { phone: PHONE });
    await chat.say("你好");
    for (const text of ["1", "编织工", "对", "5人", "1"]) await chat.say(text);
    expect((await chat.say("3000-4500元/月")).sent.join("\n")).toContain("每天干几小时");
    expect((await chat.say("2")).sent.join("\n")).toContain('每天只干2小时吗？是的话请回复"2小时"');
    expect((await chat.say("2小时")).sent.join("\n")).toContain("年龄要求");
    expect(JSON.stringify(chat.session()?.answers)).toContain("每天2小时");
  });

  it("keeps what the first message says beside the title, and asks only the rest", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [["1", ["招什么工"]], ...POST_VACANCY, ["1", ["已发布"], ["vacancy_posted"]]]);
    await playTranscript(chat, [
      ["1", ["招什么工"]],
      ["招10个竹编工，计件，熟手一个月三千多，管午饭，只要女的，55岁以下。", ["这个工种是：手工编织，对吗？"]],
      ["对", ["在哪里上班"]], // the headcount was said
      ["1", ["每天干几小时"]], // the pay was said, and the last vacancy's terms are not offered over what was
      ["8", ["其他要求"]], // the ages and the sex were said
      ["手巧", ["包吃住吗"]], // the meals were said, not the housing
      ["只包吃", ["社保"]],
      ["不交", ["招到哪天"]],
      ["长期", ["招10人", "3000元/月，包吃", "55岁以下，只要女，每天8小时"]],
      [
        "发布",
        [],
        [{ type: "vacancy_posted", vacancy: { title: "竹编工", headcount: 10, wageMin: 3000, wageUnit: "month", ageMin: null, ageMax: 55, sex: "female", meals: true, housing: false, hours: "每天8小时", requirements: "手巧" } }],
      ],
    ]);
  });

  it("reads a workshop's own words at each question", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [
      ["1", ["招什么工"]],
      ["包装工", ["这个工种是"]],
      ["对", ["招几个人"]],
      ["十来个", ["在哪里上班"]],
      ["就在车间里", ["工资多少"]],
      ["3000", ["几小时"]],
      ["8", ["年龄"]],
      ["不限", ["男女"]],
      ["男女都要", ["其他要求"]],
      ["无", ["包吃住吗"]],
      ["管中午一顿", ["社保"]],
      ["买", ["招到哪天"]],
      ["长期", ["招10人，云霄县莆美镇", "3000元/月，包吃，交社保", "男女不限"]],
    ]);
  });

  it("places a vacancy in a whole city when the employer says so", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [
      ["1", ["招什么工"]],
      ["快递员", ["这个工种是"]],
      ["对", ["招几个人"]],
      ["10", ["在哪里上班"]],
      ["2", ["在哪个县"]],
      ["漳州市里都行", ["工资多少"]],
    ]);
    expect(chat.session()!.answers.vacancy).toMatchObject({ city: { code: "3506" }, anywhereInCity: true });
    await playTranscript(chat, [
      ["5000", []],
      ["8", []],
      ["不限", []],
      ["不限", []],
      ["无", []],
      ["不包", []],
      ["交", []],
      ["长期", ["招10人，漳州市(全市都行)"]],
      ["发布", [], [{ type: "vacancy_posted", vacancy: { regionCode: "3506", anywhereInRegion: true } }]],
    ]);
    // Only the city named, nothing said of where in it: the job is somewhere in it, not anywhere.
    await playTranscript(chat, [["1", []], ["快递员", []], ["对", []], ["10", []], ["2", []], ["漳州", ["和上次的快递员待遇要求一样吗"]]]);
    expect(chat.session()!.answers.vacancy).toMatchObject({ city: { code: "3506" }, anywhereInCity: false });
  });

  it("offers the next vacancy the last one's pay, hours, ages and the rest in one answer", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    const terms = { wageMin: 3000, wageMax: 4500, wageUnit: "month", hours: "每天8小时", ageMin: 18, ageMax: 50, sex: "female", requirements: null, housing: true, meals: false, insurance: true };
    await playTranscript(chat, [
      ["1", ["招什么工"]],
      ...POST_VACANCY,
      ["1", ["已发布"], [{ type: "vacancy_posted", vacancy: { title: "编织工", ...terms } }]],
      ["1", ["招什么工"]],
      ["包装工", ["这个工种是"]],
      ["对", ["招几个人"]],
      ["3", ["在哪里上班"]],
      ["1", ["和上次的编织工待遇要求一样吗？", "3000-4500元/月，包住，交社保", "18-50岁，只要女，每天8小时", "1 一样", "2 重新填"]],
      ["一样", ["招到哪天"]],
      ["长期", ["请核对岗位", "包装工，招3人，云霄县莆美镇", "3000-4500元/月，包住，交社保", "18-50岁，只要女，每天8小时", "招到：长期"]],
      ["1", ["已发布"], [{ type: "vacancy_posted", vacancy: { title: "包装工", headcount: 3, deadline: null, ...terms } }]],
      // Terms of its own: 重新填 asks them all.
      ["1", ["招什么工"]],
      ["保安", ["这个工种是"]],
      ["对", ["招几个人"]],
      ["2", ["在哪里上班"]],
      ["1", ["上次的包装工待遇要求一样吗"]],
      ["2", ["工资多少"]],
    ]);
  });

  // Full board said with the pay is not asked again (包吃住吗); part of it, or none, is asked, to be sure.
  it.each([
    ["5000到8000，包吃住", "交社保吗"],
    ["4000，管饭管住", "交社保吗"],
    ["4000，不包社保，管吃住", "交社保吗"],
    ["4000，包吃不包住", "包吃住吗"],
    ["4000，不管吃住", "包吃住吗"],
  ])("reads the board said with the pay: %s", async (pay, afterRequirements) => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [
      ["1", ["招什么工"]],
      ...POST_VACANCY.slice(0, 3),
      ["1", ["工资多少"]],
      [pay, ["每天干几小时"]],
      ["8", ["年龄要求"]],
      ["不限", ["男女要求"]],
      ["男女不限", ["其他要求"]],
      ["无", [afterRequirements]],
    ]);
    const { housing, meals } = chat.session()!.answers.vacancy!;
    expect([housing, meals]).toEqual(afterRequirements === "交社保吗" ? [true, true] : [undefined, undefined]);
  });

  it.each([
    ["包食宿", [true, true]],
    ["管吃住", [true, true]],
    ["管饭", [false, true]],
    ["管午饭", [false, true]],
    ["中午包一顿", [false, true]],
    ["提供住宿", [true, false]],
    ["不管吃住", [false, false]],
  ])("takes the board question's answer in the employer's words: %s", async (said, board) => {
    const { chat } = employerChat();
    await chat.say("你好");
    for (const text of ["1", ...POST_VACANCY.slice(0, 3).map(([text]) => text), "1", "4000", "8", "不限", "男女不限", "无"]) await chat.say(text);
    expect((await chat.say(said)).sent.join("\n")).toContain("交社保吗");
    const { housing, meals } = chat.session()!.answers.vacancy!;
    expect([housing, meals]).toEqual(board);
  });

  it("starts a new vacancy from the menu, and 重填 starts it again", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    await playTranscript(chat, [["1", ["招什么工"]], ...POST_VACANCY, ["重填", ["招什么工"]]]);
  });

  it("takes a new vacancy said at the menu as its first message", async () => {
    const { chat } = employerChat();
    await chat.say("你好");
    const turn = await chat.say("再招10个保安，3500包吃住");
    expect(turn.sent.join("\n")).toMatch(/这个工种是|在哪里上班/);
    expect(chat.session()!.answers.vacancy).toMatchObject({ title: "保安", headcount: 10, wageMin: 3500, housing: true, meals: true });
    // 招人 alone is the menu's 发布新岗位: the title is asked.
    const { chat: plain } = employerChat();
    await plain.say("你好");
    expect((await plain.say("招人")).sent.join("\n")).toContain("招什么工");
  });
});
