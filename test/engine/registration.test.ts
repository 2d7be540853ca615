// Golden transcripts of worker registration: what the worker types, what the replies say, and the
// events the host must perform, turn by turn.
import { describe, expect, it } from "vitest";
import { normalizeTitle, occupationByCode } from "../../matching/occupations.ts";
import { CONSENT_WORDING } from "../../src/engine/index.ts";
import { JOBS } from "../../src/engine/wished-work.ts";
import { fieldLines, viewOfRegistered } from "../../src/engine/profile.ts";
import { context, conversation, playTranscript, REGISTERED, SMS, WECHAT, type TranscriptTurn } from "./support.ts";

/** A worker who consents, gives a name and an ID number, and is asked for their county (`asked`). */
const upToTheCounty = (idNumber: string, asked: string[]): TranscriptTurn[] => [
  ["找工作", []],
  ["1", [], ["consent_given"]],
  ["王五", []],
  [idNumber, asked],
];
const UP_TO_THE_COUNTY = upToTheCounty("350622199001011230", ["您家在云霄县吗"]);

const PHONE = "+8613812345678";

describe("registration without mistakes", () => {
  it("over SMS takes at most 15 messages and never asks for the phone", async () => {
    const turns: TranscriptTurn[] = [
      ["你好", ["就业直通车：免费帮您找工作、领补贴", "1 找工作", "2 我要招人"]],
      ["1", ["姓名、身份证、电话、住址、求职意愿", "找工作办补贴", "只给协理员和人社局看", "删除", "1 同意", "2 不同意"]],
      ["1", ["请回复您的姓名"], [{ type: "consent_given", purpose: "data_processing", wording: CONSENT_WORDING }]],
      ["张三", ["18位身份证号码"]],
      // The ID number's county (云霄县 issued it) is offered: a one-digit answer instead of a name.
      ["350622199001011230", ["身份证尾号1230，1990年1月1日生，男，35岁。\n您家在云霄县吗？不是请回复县名\n1 是\n2 不是"]],
      ["1", ["请选乡镇", "1 云陵镇", "4 莆美镇", "9 更多", "0 返回"]],
      ["4", ["请选村", "1 莆东村"]], // villages before the 社区
      ["1", ["建档立卡", "1 建档立卡(未脱贫)", "5 不清楚"]],
      ["1", ["可多选", "1 低保", "4 都不是"]],
      ["1 3", ["想做什么工作", "1 家政服务", "2 养老护理", "9 更多"]],
      ["1 2", ["愿意去哪里工作", "3 外省也行"]],
      ["3", ["每月工资最少要多少元"]],
      ["3000", ["免费技能培训", "1 想", "2 不想"]],
      [
        "1",
        [
          "请核对您的信息",
          "姓名：张三",
          "身份证：350622********1230（男，35岁）",
          "电话：138****5678",
          "住址：云霄县莆美镇莆东村",
          "家庭情况：建档立卡户(未脱贫)，低保，残疾",
          "想做的工作：家政服务、养老护理",
          "工作地点：外省也行",
          "最低月薪：3000元",
          "培训：想参加",
          "1 确认",
          "2 修改",
        ],
      ],
      [
        "1",
        ["登记成功", "1 找工作", "5 找协理员"],
        [
          {
            type: "worker_registered",
            profile: {
              name: "张三",
              idNumber: "350622199001011230",
              birthDate: "1990-01-01",
              sex: "male",
              phone: PHONE,
              homeRegionCode: "350622103201",
              homeRegionName: "云霄县莆美镇莆东村",
              povertyStatus: "registered",
              categories: ["minimumLivingAllowance", "disability"],
              wishedOccupations: ["4-10-01-06", "4-10-01-05"],
              workRange: "anywhere",
              wageFloor: 3000,
              wantsTraining: true,
              trainingWish: null,
            },
          },
        ],
      ],
    ];
    expect(turns.length).toBeLessThanOrEqual(15);
    const chat = conversation(context(SMS), { phone: PHONE });
    const logs = await playTranscript(chat, turns);
    expect(logs.flatMap((turn) => turn.sent).join()).not.toContain("手机");
    // The summary is the one prompt split on purpose; it never holds a whole ID or phone number.
    expect(logs[13]!.sent.length).toBeGreaterThan(1);
    expect(logs[13]!.sent.join()).not.toMatch(/\d{11}/);
    // The finished session keeps no personal data: the host has it now.
    expect(chat.session()).toMatchObject({ step: "home", answers: {}, history: [] });
  });

  it("over a WeChat-like channel asks for the phone, shows longer menus and still fits in 15 messages", async () => {
    const turns: TranscriptTurn[] = [
      // The poster says "发送 找工作": the first message already answers the welcome.
      ["找工作", ["姓名、身份证", "1 同意"]],
      ["同意", ["姓名"], ["consent_given"]],
      ["Li Ming", ["身份证"]],
      ["41020419780615002x", ["身份证尾号002X", "1978年6月15日生，女，46岁", "手机号码"]],
      ["138 1234 5678", ["您家在鼓楼区吗"]], // 开封's, which issued her ID number; she names her home instead
      ["云霄", ["1 云陵镇", "8 马铺乡", "9 更多"]],
      ["莆美镇", ["请选村", "7 山美村"]], // eight options fit on one WeChat page
      ["山美", ["建档立卡"]],
      ["2", ["可多选"]],
      ["4", ["想做什么工作", "8 电商", "9 更多"]],
      ["8", ["愿意去哪里工作"]],
      ["只在本县", ["每月工资"]],
      ["2500元", ["培训"]],
      ["想学电商", ["请核对", "住址：云霄县莆美镇山美村", "家庭情况：已脱贫", "想做的工作：电商", "培训：想学电商"]],
      [
        "确认",
        ["登记成功"],
        [
          {
            type: "worker_registered",
            profile: {
              name: "Li Ming",
              sex: "female",
              phone: PHONE,
              homeRegionCode: "350622103207",
              povertyStatus: "lifted",
              categories: [],
              wishedOccupations: ["4-01-06-01"],
              workRange: "homeCounty",
              wageFloor: 2500,
              trainingWish: "电商",
            },
          },
        ],
      ],
    ];
    expect(turns.length).toBeLessThanOrEqual(15);
    const chat = conversation(context(WECHAT));
    const logs = await playTranscript(chat, turns);
    expect(logs[13]!.sent).toHaveLength(1); // 600 characters hold the whole summary
  });
});

describe("registration with the mistakes people make", () => {
  it("reads 全角, ①, 一二三 and typo'd words; explains a wrong ID; asks which 鼓楼区", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["您好", ["1 找工作"]],
      ["１", ["1 同意"]], // 全角
      ["①", ["姓名"], ["consent_given"]],
      ["张3", ["姓名里不能有数字", "如：张三"]],
      ["李 四", ["身份证"]],
      ["350622199001011231", ["号码对不上，可能有一位输错了"]],
      ["3506221990010", ["18位"]],
      ["350622198512244023", ["身份证尾号4023", "1985年12月24日生，女，39岁"]],
      ["鼓楼", ['哪个"鼓楼"？', "1 鼓楼区(南京市)", "2 鼓楼区(徐州市)", "3 鼓楼区(福州市)", "4 鼓楼区(开封市)"]],
      ["福州", ["请选乡镇", "1 鼓东街道", "2 鼓西街道"]],
      ["鼓东", ["请选村", "1 三坊七巷社区", "2 庆城社区"]],
      ["二", ["建档立卡"]],
      ["以脱贫", ["可多选"]], // 已脱贫, one character wrong
      ["都不是", ["想做什么工作"]],
      ["当保安", ["您想做的是：保安员，对吗？", "1 对", "2 不对"]],
      ["对", ["愿意去哪里工作"]],
      ["本县", ["每月工资"]],
      ["４０００元", ["培训"]],
      ["不想", ["请核对", "李四", "住址：鼓楼区鼓东街道庆城社区", "家庭情况：已脱贫", "保安员", "4000元", "培训：不想参加"]],
      [
        "确认",
        ["登记成功"],
        [{ type: "worker_registered", profile: { name: "李四", sex: "female", homeRegionCode: "350102001002", categories: [] } }],
      ],
    ]);
  });

  it("offers the nearest counties for a misspelt one, and a hint when none is near", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["找工作", ["1 同意"]],
      ["1", ["姓名"], ["consent_given"]],
      ["王五", ["身份证"]],
      ["350622199001011230", ["您家在云霄县吗"]],
      ["火星", ['没找到"火星"。您家在云霄县吗？不是请回复县名', "1 是", "2 不是"]],
      ["云宵县", ['没找到"云宵县"，是不是：', "1 云霄县(漳州市)"]],
      ["1", ["请选乡镇"]],
    ]);
  });

  it("offers the county that issued the ID number, and asks the county as such when it is not home", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...upToTheCounty("350624199001011233", ["您家在诏安县吗？不是请回复县名", "1 是", "2 不是"]),
      ["不是", ["您家在哪个县（区）？请回复县名"]],
      ["0", ["您家在诏安县吗"]], // 返回 goes back to the offer
      ["2", ["您家在哪个县（区）？"]],
      ["云霄", ["请选乡镇", "1 云陵镇"]],
    ]);
    const accepted = conversation(context(SMS), { phone: PHONE });
    await playTranscript(accepted, [
      ...upToTheCounty("350624199001011233", ["您家在诏安县吗"]),
      ["是", ["请选乡镇", "1 南诏镇", "2 四都镇"]],
    ]);
    // A county's name that holds a word for yes (中, 行, 好) names that county, not the offer.
    const elsewhere = conversation(context(SMS), { phone: PHONE });
    await playTranscript(elsewhere, [
      ...upToTheCounty("350624199001011233", ["您家在诏安县吗"]),
      ["中牟", ["请选乡镇", "1 青年路街道"]],
    ]);
    // At the choice between same-named counties, a name not found asks that choice again, not the offer.
    const gulou = conversation(context(SMS), { phone: PHONE });
    await playTranscript(gulou, [
      ...upToTheCounty("350624199001011233", ["您家在诏安县吗"]),
      ["鼓楼区", ['哪个"鼓楼区"？', "1 鼓楼区(南京市)"]],
      ["火星", ['没找到"火星"。请说县名', "1 鼓楼区(南京市)"]],
    ]);
  });

  it("asks the county as such when the ID number's county is no longer one", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...upToTheCounty("350699199001011234", ["您家在哪个县（区）？请回复县名"]),
      ["1", ['没找到"1"。请说县名']],
    ]);
  });

  it("asks the consent question again at a question: 你是谁 and 可以吗 are no consent", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["找工作", ["1 同意", "2 不同意"]],
      ["你是谁", ["就业直通车是人社部门的免费服务", "1 同意"]], // answered, and asked again
      ["可以吗", ["1 同意", "2 不同意"]],
      ["同意", ["姓名"], ["consent_given"]],
    ]);
  });

  it("asks the training question again at a question, and keeps no question as what the worker wants to learn", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...UP_TO_THE_COUNTY,
      ["云霄县", []],
      ["4", []],
      ["2", []],
      ["4", []],
      ["家政", []],
      ["1", []],
      ["3000", ["免费技能培训", "1 想", "2 不想"]],
      // whether it costs money is answered (it does not), and the question asked again
      ["要钱吗？", ["不收任何费用", "想参加免费技能培训吗"]],
      ["去哪里学", ["想参加培训回1，不想回2，或写想学什么"]],
      ["想学电工", ["请核对您的信息", "培训：想学电工"]],
    ]);
  });

  it("takes a township named for the county, with its county, and skips the township menu", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...UP_TO_THE_COUNTY,
      // people often say where they live by their township: one of the county offered is a yes, and more
      ["莆美镇", ["请选村", "莆东村"]],
    ]);
    expect(chat.session()!.answers).toMatchObject({ county: { code: "350622", name: "云霄县" }, township: { code: "350622103", name: "莆美镇" } });
    // With no county offered, the township is looked up anywhere and offered with its county.
    const anywhere = conversation(context(SMS), { phone: PHONE });
    await playTranscript(anywhere, [
      ...UP_TO_THE_COUNTY,
      ["不是", ["哪个县"]],
      ["莆美镇", ["是这里吗？不是请回复县名", "1 云霄县莆美镇"]],
      ["1", ["请选村", "莆东村"]],
    ]);
    expect(anywhere.session()!.answers).toMatchObject({ county: { code: "350622", name: "云霄县" }, township: { code: "350622103", name: "莆美镇" } });
  });

  it("takes the county named instead when the township offered is not the person's", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...UP_TO_THE_COUNTY,
      ["南诏", ["是这里吗？不是请回复县名", "1 诏安县南诏镇"]],
      // not it: the county named instead, and the township menu as usual
      ["云霄县", ["请选乡镇", "莆美镇"]],
    ]);
    expect(chat.session()!.answers).toMatchObject({ county: { code: "350622" } });
    expect(chat.session()!.answers.township).toBeUndefined();
  });

  it("lets the worker reject the guessed occupation and pick another", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...UP_TO_THE_COUNTY,
      ["云霄", []],
      ["云陵", ["请选村", "1 塘坪村", "2 下港社区", "3 望安社区"]],
      ["塘坪村", ["建档立卡"]],
      ["4", ["想做什么工作"]], // 不是: no categories to ask
      ["汽车销售", [/您想做的是：.+，对吗？/]],
      ["不对", ["是下面哪个？都不是请直接写", "1 ", "2 "]],
      ["2", ["愿意去哪里工作"]],
    ]);
    const [chosen] = chat.session()!.answers.wishedOccupations ?? [];
    expect(chosen).toBeDefined();
  });

  it("tells someone without the ID number at hand where to find it and who can help", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["你好", []],
      ["1", []],
      ["同意", [], ["consent_given"]],
      ["张三", ["身份证号码"]],
      ["不记得了", ["身份证或户口本上有这个号码", '回复"人工"，协理员打电话帮您']],
      ["身份证没带", ["户口本"]],
      // the third miss: the person offered once, not twice
      ["忘记了", [/^(?![\s\S]*人工[\s\S]*人工)[\s\S]*户口本/]],
      // a number typed wrong is still told what is wrong with it
      ["35062219850312", ["身份证号码是18位"]],
    ]);
    expect(chat.session()!.step).toBe("idNumber");
  });

  it("reads answers spoken to WeChat's voice input: each ends with 。, the name said in a sentence", async () => {
    const chat = conversation(context(WECHAT));
    await playTranscript(chat, [
      ["找工作。", ["1 同意"]],
      ["同意。", ["姓名"], ["consent_given"]],
      ["我叫赵春花。", ["身份证"]],
      ["350622197903030060。", ["身份证尾号0060", "手机号码"]],
      ["我的电话是138 1234 5678。", ["您家在云霄县吗"]],
      ["是的。", ["请选乡镇"]],
      ["莆美镇。", ["请选村"]],
      ["山美村。", ["建档立卡"]],
      ["已经脱贫了。", ["可多选"]],
      ["都不是。", ["想做什么工作"]],
      ["电商。", ["愿意去哪里工作"]],
      ["只在本县。", ["每月工资"]],
      ["大概三千五吧。", ["培训"]],
      ["不想。", ["请核对", "姓名：赵春花", "最低月薪：3500元"]],
      ["确认！", ["登记成功"], [{ type: "worker_registered", profile: { name: "赵春花", phone: PHONE, homeRegionCode: "350622103207", wageFloor: 3500 } }]],
    ]);
  });

  it("reads a first message in a sentence, says plainly what is agreed to, and hands 找人说话 to a person", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["我想在家附近找个厂里的活，一个月三千左右", ["1 同意"]],
      ["看不懂", ["就是说：您的名字、身份证和电话只给村里协理员和人社局看", "1 同意"]], // no 不同意 for its 不
      ["什么意思", ["就是说", "1 同意"]],
      ["你们是哪里的", ["人社部门的免费服务", "1 同意"]],
      ["同意了", ["姓名"], ["consent_given"]],
      ["我要找人说话", ["协理员"], [{ type: "human_requested" }]],
    ]);
    const worker = conversation(context(SMS), { phone: PHONE });
    await playTranscript(worker, [["家里缺钱 想打工", ["1 同意"]]]); // 缺钱 is no employer's 缺人
    const subsidies = conversation(context(SMS), { phone: PHONE });
    await subsidies.say("你好");
    await playTranscript(subsidies, [["有什么补贴", ["登记后就能查您能领哪些补贴。先请看：", "1 同意"]]]);
    // …as the very first message too
    const first = conversation(context(SMS), { phone: PHONE });
    await playTranscript(first, [["交通补贴怎么领", ["登记后就能查您能领哪些补贴。先请看：", "1 同意"]]]);
  });

  it("takes the village named with the township, and asks it when the words name none", async () => {
    const said = async (township: string) => {
      const chat = conversation(context(WECHAT));
      for (const text of ["找工作", "同意", "赵春花", "350622197903030060", "13812345678", "是"]) await chat.say(text);
      expect(chat.session()!.step).toBe("township");
      return { chat, turn: await chat.say(township) };
    };
    const both = await said("莆美镇山美村");
    expect(both.turn.sent.join("\n")).toContain("建档立卡");
    expect(both.chat.session()!.answers).toMatchObject({ village: { code: "350622103207" } });
    expect((await said("莆美镇")).turn.sent.join("\n")).toContain("请选村");
    expect((await said("4")).turn.sent.join("\n")).toContain("请选村"); // 莆美镇 by its number: no village named
  });

  it("takes a county said with its township and village, and a village said to the township offered", async () => {
    const upToTheCounty = async () => {
      const chat = conversation(context(WECHAT));
      for (const text of ["找工作", "同意", "赵春花", "350622197903030060", "13812345678"]) await chat.say(text);
      expect(chat.session()!.step).toBe("county");
      return chat;
    };
    const whole = await upToTheCounty();
    expect((await whole.say("云霄县莆美镇山美村")).sent.join("\n")).toContain("建档立卡");
    expect(whole.session()!.answers).toMatchObject({ county: { code: "350622" }, township: { code: "350622103" }, village: { code: "350622103207" } });
    const short = await upToTheCounty();
    expect((await short.say("云霄莆美")).sent.join("\n")).toContain("请选村");
    expect(short.session()!.answers).toMatchObject({ township: { code: "350622103" } });
    const countyOnly = await upToTheCounty();
    expect((await countyOnly.say("云霄县城里")).sent.join("\n")).toContain("请选乡镇");
    // the township offered for a township said, then its village named instead of 1
    const offered = await upToTheCounty();
    await offered.say("不是");
    expect((await offered.say("莆美镇")).sent.join("\n")).toContain("1 云霄县莆美镇");
    expect((await offered.say("山美村")).sent.join("\n")).toContain("建档立卡");
    expect(offered.session()!.answers).toMatchObject({ village: { code: "350622103207" } });
    const yes = await upToTheCounty();
    await yes.say("不是");
    await yes.say("莆美镇");
    expect((await yes.say("对")).sent.join("\n")).toContain("请选村");
  });

  it("takes a township or village of the county offered said instead of 是, and 不是 to a place offered as no", async () => {
    const upToTheOffer = async () => {
      const chat = conversation(context(WECHAT));
      for (const text of ["找工作", "同意", "赵春花", "350622197903030060", "13812345678"]) await chat.say(text);
      return chat;
    };
    const village = await upToTheOffer();
    expect((await village.say("山美村")).sent.join("\n")).toContain("建档立卡");
    expect(village.session()!.answers).toMatchObject({ county: { code: "350622" }, village: { code: "350622103207" } });
    const township = await upToTheOffer();
    expect((await township.say("莆美镇")).sent.join("\n")).toContain("请选村");
    // …said in a sentence
    for (const [sentence, township] of [["我家在莆美镇山美村", "350622103"], ["陈岱镇的", "350622101"], ["是的，在陈岱", "350622101"], ["我是山美村的", "350622103"]] as const) {
      const chat = await upToTheOffer();
      await chat.say(sentence);
      expect(chat.session()!.answers.township?.code, sentence).toBe(township);
    }
    const another = await upToTheOffer();
    await another.say("不是，我在诏安县");
    expect(another.session()!.answers.county).toMatchObject({ code: "350624" });
    // A township offered from anywhere, turned down: the county question as such.
    const elsewhere = conversation(context(WECHAT));
    for (const text of ["找工作", "同意", "赵春花", "350622197903030060", "13812345678", "不是"]) await elsewhere.say(text);
    expect((await elsewhere.say("莆美镇")).sent.join("\n")).toContain("是这里吗");
    expect((await elsewhere.say("不是")).sent.join("\n")).toContain("您家在哪个县（区）");
  });

  it("takes the low end of a wage floor said as a range or as 三千多, and 不限 as none", async () => {
    for (const [said, floor] of [["4000-5000", 4000], ["三千多", 3000], ["4000到5000元", 4000], ["两千就行", 2000], ["不限", 0], ["多少都行", 0], ["无所谓的", 0], ["无所谓，多少都行", 0]] as const) {
      const chat = conversation(context(WECHAT));
      for (const text of ["找工作", "同意", "赵春花", "350622197903030060", "13812345678", "是", "莆美镇", "山美村", "已脱贫", "都不是", "电商", "只在本县"]) await chat.say(text);
      expect(chat.session()!.step).toBe("wageFloor");
      await chat.say(said);
      expect(chat.session()!.answers.wageFloor, said).toBe(floor);
    }
    const any = conversation(context(WECHAT));
    for (const text of ["找工作", "同意", "赵春花", "350622197903030060", "13812345678", "是", "莆美镇", "山美村", "已脱贫", "都不是", "电商", "只在本县", "不限"]) await any.say(text);
    expect((await any.say("不想")).sent.join("\n")).toContain("最低月薪：不限");
  });

  it("answers whether it is genuine or costs money wherever it is asked, and asks the question again", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["你好", []],
      ["你们是骗子吧", ["人社部门的免费服务", "1 找工作"]],
      ["1", []],
      ["同意", [], ["consent_given"]],
      ["张三", ["身份证号码"]],
      // at the question people fear most: no miss, no 18-digit lecture
      ["要身份证干什么，是不是骗人的", ["不收任何费用，不要银行卡和密码", "请回复您的18位身份证号码"]],
      ["真的假的", ["人社部门的免费服务"]],
      ["要收费吗？", ["不收任何费用"]],
    ]);
    expect(chat.session()).toMatchObject({ step: "idNumber", mistakes: 0 });
  });

  it("keeps every job typed in one reply", async () => {
    const upToTheJobs: TranscriptTurn[] = [...UP_TO_THE_COUNTY, ["云霄", []], ["云陵", []], ["塘坪村", []], ["4", ["想做什么工作"]]];
    const wishes = async (lines: TranscriptTurn[]) => {
      const chat = conversation(context(SMS), { phone: PHONE });
      await playTranscript(chat, [...upToTheJobs, ...lines]);
      return chat.session()!.answers.wishedOccupations?.map((occupation) => occupation.name);
    };
    // typed: each confirmed together; the menu's word beside a title counts as well
    expect(await wishes([["电工 焊工", ["您想做的是：电工、焊工，对吗？"]], ["1", ["愿意去哪里工作"]]])).toEqual(["电工", "焊工"]);
    expect(await wishes([["服务员，厨师", ["您想做的是：餐饮服务、中式烹调师，对吗？"]], ["对", []]])).toEqual(["餐饮服务", "中式烹调师"]);
    expect(await wishes([["保洁和电工", ["您想做的是：保洁、电工，对吗？"]], ["对", []]])).toEqual(["保洁", "电工"]);
    // a title that is a menu job reads in the menu's words, as the summary will
    expect(await wishes([["保洁，做饭", ["您想做的是：保洁、家政服务，对吗？"]], ["对", []]])).toEqual(["保洁", "家政服务"]);
    // 不对: several picked from the list of what each may be
    expect(await wishes([["司机 搬运", [/您想做的是：.+、装卸搬运工，对吗？/]], ["不对", ["是哪些？可多选或直接写", "1 "]], ["1 2", ["愿意去哪里工作"]]])).toHaveLength(2);
    // one job in two words is one job; the menu's words alone need no question
    expect(await wishes([["电焊 焊工", ["您想做的是：焊工，对吗？"]], ["对", []]])).toEqual(["焊工"]);
    expect(await wishes([["家政 保洁", ["愿意去哪里工作"]]])).toEqual(["家政服务", "保洁"]);
    // 都可以 after the jobs says either will do, not any work at all
    expect(await wishes([["搞卫生 做饭都可以", ["您想做的是："]], ["对", []]])).toEqual(["家政服务员"]);
    expect(await wishes([["什么都可以", ["愿意去哪里工作"]]])).toEqual([]);
    expect(await wishes([["进厂 做饭都可以", ["您想做的是：车间普工、家政服务，对吗？"]], ["对", []]])).toEqual(["车间普工", "家政服务"]);
  });

  it("offers a coordinator after three wrong answers at one step", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ...UP_TO_THE_COUNTY,
      ["云霄", []],
      ["1", []],
      ["3", []],
      ["5", []],
      ["都不是", []],
      ["1", ["愿意去哪里工作"]],
      ["2", ["每月工资"]],
      ["很多", ["请回复每月最少要的工资"]],
      ["100", ["100元不太对"]],
    ]);
    const third = await chat.say("不知道");
    expect(third.sent.join("\n")).toContain('回复"人工"，让协理员帮您');
    await playTranscript(chat, [
      ["人工", ["协理员", "打电话", "每月工资"], [{ type: "human_requested", step: "wageFloor" }]],
      ["三千五", ["培训"]],
    ]);
    expect(chat.session()!.answers.wageFloor).toBe(3500);
  });

  it("sends employers to their flow, and back to the welcome with 返回", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["你好", ["2 我要招人"]],
      ["2", ["单位名称"], ["employer_flow_requested"]],
      ["0", ["1 找工作", "2 我要招人"]],
      ["1", ["1 同意"]],
    ]);
  });

  it("keeps nothing when the worker does not consent, and lets them come back", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await playTranscript(chat, [
      ["你好", []],
      ["1", ["1 同意"]],
      ["不同意", ["没关系，您的信息我们都不保存", "1 找工作"]],
      ["1", ["1 同意"]],
      ["同意", ["姓名"], ["consent_given"]],
    ]);
  });
});

it("every job in the menu names an occupation of the catalogue", () => {
  for (const job of JOBS) expect(occupationByCode(job.key), job.label).toBeDefined();
});

it("reads a wish back in the menu's words where it has them, else the occupation's name", () => {
  const wishes = (codes: string[]) => fieldLines(viewOfRegistered({ ...REGISTERED, wishedOccupations: codes }), "occupations", new Date());
  expect(wishes(["6-31-99-00", "5-05-06-05"])).toEqual(["想做的工作：车间普工、手工编织"]); // not 其他生产辅助人员、竹藤师
  expect(wishes(["6-18-02-04"])).toEqual(["想做的工作：焊工"]);
});

it("a worker's 手工编织 is the work a village workshop's weaving vacancies are read as", () => {
  const weaving = JOBS.find((job) => job.label === "手工编织")!.key;
  for (const title of ["竹编工", "藤编工", "草编工", "竹编"]) expect(normalizeTitle(title)?.code, title).toBe(weaving);
});

describe("a person on the roster", () => {
  const ROSTER = [{ key: "r1", name: "陈秀英", placeName: "云霄县莆美镇莆东村" }];

  it("by SMS from the roster's number: asked who they are, then only their wishes, registered in 7 messages", async () => {
    const chat = conversation(context(SMS, undefined, { rosterMatches: ROSTER }), { phone: "+8613800000021" });
    expect((await chat.say("1")).sent.join("\n")).toContain("您是云霄县莆美镇莆东村的陈秀英吗？");
    expect((await chat.say("1")).sent.join("\n")).toContain("1 同意");
    expect((await chat.say("1")).sent.join("\n")).toContain("想做什么工作");
    await chat.say("1");
    await chat.say("2");
    await chat.say("3000");
    const done = await chat.say("2");
    expect(done.sent.join("\n")).toContain("登记好了");
    expect(done.events).toEqual([
      { type: "roster_worker_registered", rosterKey: "r1", wishes: { wishedOccupations: ["4-10-01-06"], workRange: "province", wageFloor: 3000, wantsTraining: false, trainingWish: null } },
    ]);
    expect(chat.log).toHaveLength(7);
  });

  it("who says 不是 registers as anyone, and is not asked again at the welcome", async () => {
    const chat = conversation(context(SMS, undefined, { rosterMatches: ROSTER }), { phone: "+8613800000022" });
    await chat.say("你好");
    expect((await chat.say("不是")).sent.join("\n")).toContain("1 找工作");
    expect((await chat.say("1")).sent.join("\n")).toContain("1 同意");
  });

  it("who wrote before their roster came in is asked at the welcome", async () => {
    const before = conversation(context(SMS), { phone: "+8613800000023" });
    await before.say("你好");
    const after = conversation(context(SMS, undefined, { rosterMatches: ROSTER }), { phone: "+8613800000023", session: before.session()! });
    expect((await after.say("1")).sent.join("\n")).toContain("您是云霄县莆美镇莆东村的陈秀英吗？");
  });
});
