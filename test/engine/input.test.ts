import { describe, expect, it } from "vitest";
import { readCommand } from "../../src/engine/commands.ts";
import { guessChoice, matchChoiceWord, matchChoiceWords, onlyQuestions, readAgeRange, readAmount, readDeadline, readMobile, readNumber, readOptionNumbers, readPay, readPersonName, YES_WORDS, NO_WORDS, type Choice } from "../../src/engine/input.ts";

describe("readOptionNumbers", () => {
  it.each([
    ["1", [1]],
    ["１", [1]], // 全角
    ["①", [1]],
    ["1.", [1]],
    ["1、", [1]],
    ["（1）", [1]],
    [" 2 ", [2]],
    ["三", [3]],
    ["两", [2]],
    ["第一个", [1]],
    ["壹", [1]],
    ["1 3", [1, 3]],
    ["1、3", [1, 3]],
    ["1，3", [1, 3]],
    ["13", [1, 3]],
  ])("%s → %j", (text, numbers) => {
    expect(readOptionNumbers(text)).toEqual(numbers);
  });

  it.each(["", "张三", "1a", "十", "好的"])("%s is not an option number", (text) => {
    expect(readOptionNumbers(text)).toBeNull();
  });
});

describe("readNumber and readAmount", () => {
  it.each([
    ["3000", 3000],
    ["３０００", 3000],
    ["三千", 3000],
    ["3千", 3000],
    ["3k", 3000],
    ["3.5k", 3500],
    ["三千五", 3500],
    ["三千五百", 3500],
    ["两千五", 2500],
    ["3千5", 3500],
    ["一万", 10_000],
    ["1w5", 15_000],
    ["十五", 15],
    ["三零零零", 3000],
    ["叁仟伍佰", 3500],
    ["贰仟", 2000],
  ])("readNumber(%s) = %d", (text, value) => {
    expect(readNumber(text)).toBe(value);
  });

  it.each([
    ["4000元", 4000],
    ["3,500", 3500],
    ["三千块", 3000],
    ["每月3000左右", 3000],
    ["最少4千", 4000],
    ["大概三千五吧", 3500],
    ["三千就行", 3000],
    ["差不多4000左右", 4000],
  ])("readAmount(%s) = %d", (text, value) => {
    expect(readAmount(text)).toBe(value);
  });

  it.each(["很多", "", "看情况", "3000-4000"])("%s is no amount", (text) => {
    expect(readAmount(text)).toBeNull();
  });
});

describe("matchChoiceWord", () => {
  const status: Choice[] = [
    { key: "registered", label: "建档立卡(未脱贫)", words: ["贫困户"] },
    { key: "lifted", label: "已脱贫" },
    { key: "unknown", label: "不清楚" },
  ];
  const sex: Choice[] = [
    { key: "female", label: "女" },
    { key: "male", label: "男" },
  ];
  const training: Choice[] = [
    { key: "yes", label: "想" },
    { key: "no", label: "不想" },
  ];

  it("reads a choice typed as its word, whole or in part", () => {
    expect(matchChoiceWord("女", sex)?.key).toBe("female");
    expect(matchChoiceWord(" 男。", sex)?.key).toBe("male");
    expect(matchChoiceWord("建档立卡", status)?.key).toBe("registered");
    expect(matchChoiceWord("我家是贫困户", status)?.key).toBe("registered");
  });

  it("takes Henan's 中 for a yes only said alone, not the 中 of 中午", () => {
    const yesNo: Choice[] = [
      { key: "yes", label: "对", words: YES_WORDS },
      { key: "no", label: "不对", words: NO_WORDS },
    ];
    for (const alone of ["中", "中中", "中啊"]) expect(matchChoiceWord(alone, yesNo)?.key, alone).toBe("yes");
    for (const other of ["管中午饭", "中午管饭", "中专毕业"]) expect(matchChoiceWord(other, yesNo), other).toBeNull();
    expect(matchChoiceWord("我觉得行", yesNo)?.key).toBe("yes");
  });

  it("prefers the longest word the reply contains", () => {
    expect(matchChoiceWord("我不想", training)?.key).toBe("no");
    expect(matchChoiceWord("想", training)?.key).toBe("yes");
  });

  it("forgives one wrong character in a word of three or more", () => {
    expect(matchChoiceWord("以脱贫", status)?.key).toBe("lifted");
    expect(matchChoiceWord("不清除", status)?.key).toBe("unknown");
    expect(matchChoiceWord("已脱", status)?.key).toBe("lifted"); // part of the word
    expect(matchChoiceWord("建档立卡未脱贫", status)?.key).toBe("registered"); // one character dropped
    expect(matchChoiceWord("已经脱贫", status)?.key).toBe("lifted"); // one added
    expect(matchChoiceWord("以经脱贫", status)).toBeNull(); // two slips are too many
  });

  it("answers null when nothing or several fit", () => {
    expect(matchChoiceWord("随便", status)).toBeNull();
    expect(matchChoiceWord("男女", sex)).toBeNull();
  });
});

describe("reading words as people mean them", () => {
  const range: Choice[] = [
    { key: "homeCounty", label: "只在本县", words: ["本县", "县里"] },
    { key: "province", label: "本省都行", words: ["本省", "省内"] },
    { key: "anywhere", label: "外省也行", words: ["外省", "出省", "都行", "都可以"] },
  ];
  const categories: Choice[] = [
    { key: "low", label: "低保" },
    { key: "hardship", label: "特困" },
    { key: "disability", label: "残疾", words: ["有残疾"] },
    { key: "none", label: "都不是", words: ["没有", "不是"] },
  ];

  it("does not pick a word a negation refuses, before it or just after it", () => {
    expect(matchChoiceWord("不出省", range)).toBeNull();
    expect(matchChoiceWord("我不想去外省", range)).toBeNull();
    expect(matchChoiceWord("外省不去", range)).toBeNull();
    expect(matchChoiceWord("不想在本县，外省也行", range)?.key).toBe("anywhere");
    expect(matchChoiceWord("不管哪里都行", range)?.key).toBe("anywhere");
    expect(matchChoiceWord("有没有外省的", range)?.key).toBe("anywhere");
  });

  it("lets a named option outweigh the 'any' that closes the clause", () => {
    expect(matchChoiceWord("省内都可以", range)?.key).toBe("province");
    expect(matchChoiceWord("都可以", range)?.key).toBe("anywhere");
  });

  it("reads nothing from clauses that disagree, or from a question", () => {
    expect(matchChoiceWord("本县，外省", range)).toBeNull();
    expect(matchChoiceWord("什么是本县", range)).toBeNull();
  });

  it("reads dialect and pinyin slips, but not a sound-alike inside a sentence", () => {
    const consent = [{ key: "yes", label: "同意" }, { key: "no", label: "不同意" }];
    expect(matchChoiceWord("同衣", consent)?.key).toBe("yes");
    expect(matchChoiceWord("低宝", categories)?.key).toBe("low");
    expect(matchChoiceWord("都莫得", categories)?.key).toBe("none");
    const home = [{ key: "jobs", label: "找工作" }, { key: "human", label: "找人" }];
    expect(matchChoiceWord("有没有招人的", home)).toBeNull();
  });

  it("picks every option named where several may be, and a bare no only when nothing else is", () => {
    expect(matchChoiceWords("特困还有残疾", categories).map((choice) => choice.key).sort()).toEqual(["disability", "hardship"]);
    expect(matchChoiceWords("没有低保，有残疾证", categories).map((choice) => choice.key)).toEqual(["disability"]);
    expect(matchChoiceWords("都没有", categories).map((choice) => choice.key)).toEqual(["none"]);
  });

  it("guesses the option sharing most of its characters, and nothing from nothing shared", () => {
    expect(guessChoice("外边", range)?.key).toBe("anywhere");
    expect(guessChoice("看情况", range)).toBeNull();
    // a particle shared is nothing shared
    expect(guessChoice("太远了", [{ key: "edit", label: "修改信息", words: ["错了"] }, { key: "jobs", label: "找工作" }])).toBeNull();
  });
});

describe("a greeting", () => {
  const yesNo: Choice[] = [
    { key: "yes", label: "同意", words: YES_WORDS },
    { key: "no", label: "不同意", words: NO_WORDS },
  ];
  it("is no yes, nor a name; beside an answer it leaves the answer", () => {
    for (const greeting of ["你好", "您好", "你们好", "大家好！"]) {
      expect(matchChoiceWord(greeting, yesNo), greeting).toBeNull();
      expect(readPersonName(greeting), greeting).toBeNull();
    }
    expect(matchChoiceWord("好", yesNo)?.key).toBe("yes");
    expect(matchChoiceWord("你好，同意", yesNo)?.key).toBe("yes");
    expect(matchChoiceWord("您好 不同意", yesNo)?.key).toBe("no");
    expect(readPersonName("张好")).toBe("张好");
  });

  it("is the name said in a sentence: 我叫…, 姓名：…, and voice input's full stop", () => {
    for (const said of ["王小明。", "我叫王小明。", "你好，我叫王小明", "我的名字是王小明", "姓名：王小明", "名字叫王小明", "我是王小明！", " 王小明 "]) {
      expect(readPersonName(said), said).toBe("王小明");
    }
    expect(readPersonName("阿依古丽.买买提。")).toBe("阿依古丽·买买提");
    expect(readPersonName("我叫")).toBeNull();
    for (const answer of ["同意", "好的", "ok", "不是", "同意了", "可以啊", "没问题"]) expect(readPersonName(answer), answer).toBeNull();
  });

  it("nor is a question: who we are, or a yes asked back, is no consent", () => {
    for (const question of ["你是谁", "你们是谁啊", "可以吗", "同意吗", "好吗？"]) expect(matchChoiceWord(question, yesNo), question).toBeNull();
    expect(matchChoiceWord("可以", yesNo)?.key).toBe("yes");
    expect(matchChoiceWord("是的", yesNo)?.key).toBe("yes");
    // At a yes-or-no question, a clause that asks is no answer; beside one that answers, the answer stands.
    const training: Choice[] = [
      { key: "yes", label: "想", words: ["去", "要", "好的"] },
      { key: "no", label: "不想" },
    ];
    for (const question of ["要钱吗", "去哪里学", "要学多久呢"]) expect(matchChoiceWord(question, training), question).toBeNull();
    expect(matchChoiceWord("好的，在哪里学？", training)?.key).toBe("yes");
    // The asking words followed by 都 or 也 say "any", and 没什么 "not much": answers, not questions.
    for (const answer of ["哪里都行", "什么活都干", "没什么要求", "多少都行"]) expect(onlyQuestions(answer), answer).toBe(false);
    for (const question of ["去哪里学", "学什么", "多少钱", "为什么要身份证"]) expect(onlyQuestions(question), question).toBe(true);
    // A menu that is not yes-or-no reads a request put as a question.
    expect(matchChoiceWord("有活吗", [{ key: "jobs", label: "找工作", words: ["有活"] }, { key: "benefits", label: "补贴政策" }])?.key).toBe("jobs");
  });
});

describe("readCommand", () => {
  it.each([
    ["帮助", "help"],
    ["HELP", "help"],
    ["？", "help"],
    ["0", "back"],
    ["返回", "back"],
    ["重新开始", "restart"],
    ["人工。", "human"],
    ["  人工 ", "human"],
    ["我的信息", "profile"],
    ["修改", "edit"],
    ["退订", "optOut"],
    ["TD", "optOut"],
    ["ｔｄ", "optOut"],
    ["STOP", "optOut"],
    ["T", "optOut"],
    ["订阅", "optIn"],
    ["START", "optIn"],
  ])("%s → %s", (text, command) => {
    expect(readCommand(text)).toBe(command);
  });

  it.each(["张帮助", "人工智能", "我要退订吗是什么", "10", "STOP IT"])("%s is no command", (text) => {
    expect(readCommand(text)).toBeNull();
  });
});

describe("what employers type about a vacancy", () => {
  it.each([
    ["3000-4500元/月", { min: 3000, max: 4500, unit: "month" }],
    ["月薪三千到四千五", { min: 3000, max: 4500, unit: "month" }],
    ["4500~3000", { min: 3000, max: 4500, unit: "month" }],
    ["１５０元／天", { min: 150, max: 150, unit: "day" }],
    ["日结200", { min: 200, max: 200, unit: "day" }],
    ["20元一小时", { min: 20, max: 20, unit: "hour" }],
    ["计件", { min: null, max: null, unit: "piece" }],
    ["每件0.5元", { min: null, max: null, unit: "piece" }],
    ["3k-5k", { min: 3000, max: 5000, unit: "month" }],
    ["4,000左右", { min: 4000, max: 4000, unit: "month" }],
    ["两千多", { min: 2000, max: 2000, unit: "month" }],
    ["大概三千来块一个月", { min: 3000, max: 3000, unit: "month" }],
    ["计件，一个月两千多", { min: 2000, max: 2000, unit: "month" }],
    ["计件，每月3000-5000", { min: 3000, max: 5000, unit: "month" }],
    ["计件，多劳多得", { min: null, max: null, unit: "piece" }],
    ["计件，一个月看干多少", { min: null, max: null, unit: "piece" }],
    ["计件5毛一件", { min: null, max: null, unit: "piece" }],
    ["按件算，一件3毛", { min: null, max: null, unit: "piece" }],
    // so much a thing made, in a workshop's words
    ["编一个篮子5块钱", { min: 5, max: 5, unit: "piece" }],
    ["5元一个", { min: 5, max: 5, unit: "piece" }],
    ["一个篮子五块", { min: 5, max: 5, unit: "piece" }],
    ["日结，150", { min: 150, max: 150, unit: "day" }],
    ["5000到8000，包吃住", { min: 5000, max: 8000, unit: "month" }],
    ["包吃住；月薪4500左右", { min: 4500, max: 4500, unit: "month" }],
    ["3000 - 4500", { min: 3000, max: 4500, unit: "month" }],
    // who earns it and how it is said: 熟手, 能拿, 到手, 一般
    ["计件，熟手一个月三千多", { min: 3000, max: 3000, unit: "month" }],
    ["计件，熟练的一个月能拿三千", { min: 3000, max: 3000, unit: "month" }],
    ["到手三千五", { min: 3500, max: 3500, unit: "month" }],
    ["一般四千左右", { min: 4000, max: 4000, unit: "month" }],
    // thousands are no piece rate: what piece work brings a month
    ["计件，多劳多得，熟手四千", { min: 4000, max: 4000, unit: "month" }],
    ["计件 3000多", { min: 3000, max: 3000, unit: "month" }],
    ["计件，8元一件", { min: 8, max: 8, unit: "piece" }],
    // a beginner's and a skilled hand's pay: one range; another amount later is not part of the pay
    ["新手2500，熟手4000", { min: 2500, max: 4000, unit: "month" }],
    ["学徒两千五，师傅五千到六千", { min: 2500, max: 6000, unit: "month" }],
    ["4000，干满一年奖励2000", { min: 4000, max: 4000, unit: "month" }],
    // numbers in other words are no pay
    ["两班倒，四千", { min: 4000, max: 4000, unit: "month" }],
    ["五险一金，四千", { min: 4000, max: 4000, unit: "month" }],
  ])("pay %s", (text, pay) => {
    expect(readPay(text)).toEqual(pay);
  });

  it.each(["看情况", "面议", "3000-4000-5000", "-5"])("no pay in %s", (text) => {
    expect(readPay(text)).toBeNull();
  });

  it.each([
    ["18-50", { min: 18, max: 50 }],
    ["18到50岁", { min: 18, max: 50 }],
    ["十八至五十周岁", { min: 18, max: 50 }],
    ["50岁以下", { min: null, max: 50 }],
    ["18岁以上", { min: 18, max: null }],
    ["不限", { min: null, max: null }],
  ])("ages %s", (text, range) => {
    expect(readAgeRange(text)).toEqual(range);
  });

  it.each(["5-10", "50-18", "60", "年轻的"])("no age range in %s", (text) => {
    expect(readAgeRange(text)).toBeNull();
  });

  const today = new Date("2026-12-02T02:00:00Z");
  it.each([
    ["12月31日", "2026-12-31"],
    ["12.31", "2026-12-31"],
    ["1月15号", "2027-01-15"],
    ["2027-03-01", "2027-03-01"],
    ["月底", "2026-12-31"],
    ["年底", "2026-12-31"],
    // the eve of the Spring Festival, a lunar date: 2027's falls on 6 February
    ["过年前", "2027-02-05"],
    ["春节前", "2027-02-05"],
    ["两周", "2026-12-16"],
    ["一个月", "2027-01-01"],
    ["长期", null],
    ["2025-01-01", "past"],
    ["2月30日", "unreadable"],
    ["过几天", "unreadable"],
  ])("deadline %s", (text, deadline) => {
    expect(readDeadline(text, today)).toBe(deadline);
  });
});

describe("readMobile", () => {
  it("reads a mobile number however it is typed, and two numbers as none", () => {
    for (const said of ["13906003003", "139 0600 3003", "139-0600-3003", "我的电话是13906003003", "手机：１３９０６００３００３", "+86 139 0600 3003", "一三九零六零零三零零三", "幺三九 洞六洞洞 三洞洞三", "我叫李三，电话13906003003"]) {
      expect(readMobile(said), said).toBe("+8613906003003");
    }
    for (const said of ["1390600300", "13906003003 13906003004", "23906003003", "没有手机"]) expect(readMobile(said), said).toBeNull();
  });
});
