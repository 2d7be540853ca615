import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  createOccupationNormalizer,
  midCategory,
  normalizeTitle,
  occupationByCode,
  suggestOccupations,
} from "../../matching/occupations.ts";

describe("normalizeTitle", () => {
  it.each([
    ["保姆", "4-10-01-06"], // 家政服务员
    ["日结轻松保安+包吃住", "4-07-05-01"], // 保安员
    ["招保姆接送孩子", "4-10-01-06"],
    ["保洁阿姨 包住 月薪4500", "4-09-08-01"], // 保洁员
    ["快递员（日结）", "4-02-07-08"],
    ["外卖骑手 多劳多得", "4-10-08-01"], // 网约配送员
    ["诚聘中餐厨师", "4-03-02-01"], // 中式烹调师
    ["养老护理员", "4-10-01-05"],
    ["鑫盾辐射招聘钢筋工", "6-29-01-04"],
    ["月入1W+销售顾问/蚂蚁正编/双休朝九晚六/五险一金", "4-01-02-01"], // 营销员
    // Wrong before the model learned from labelled titles (none, 理货员, 古建筑工).
    ["手工编织工", "6-05-01-06"], // 绒线编织拼布工
    ["快递分拣员", "4-02-07-09"], // 快件处理员
    ["建筑工地小工", "6-29-99-00"], // 其他建筑施工人员
  ])("%s → %s", (title, code) => {
    expect(normalizeTitle(title)?.code).toBe(code);
  });

  // How rural and blue-collar workers name their jobs; the labelled postings are mostly office jobs,
  // so these rest on the dictionary and must survive what the model learned.
  it.each([
    ["住家保姆", "4-10-01-06"], // 家政服务员
    ["小区保安", "4-07-05-01"], // 保安员
    ["电焊", "6-18-02-04"], // 焊工
    ["电焊工", "6-18-02-04"],
    ["氩弧焊", "6-18-02-04"],
    ["普工", "6-31-99-00"], // 其他生产辅助人员, not the 质检员 some labels give it
    ["快递", "4-02-07-08"], // 快递员
    ["快递派送员", "4-02-07-08"],
    ["服务员", "4-03-02-05"], // 餐厅服务员
    ["饭店服务员", "4-03-02-05"],
    ["编织", "6-05-01-06"], // 绒线编织拼布工, not 文字编辑 (编 is mostly 编辑 in postings)
    ["毛衣编织", "6-05-01-06"],
    ["钢筋工", "6-29-01-04"],
    ["护工", "4-14-01-02"], // 医疗护理员
    ["养猪", "5-03-02-01"], // 家畜饲养员
    ["环卫工", "4-09-08-01"], // 保洁员
    ["招人照顾老人 包吃住", "4-10-01-05"], // 养老护理员, not 社会体育指导员 (老 is mostly 老师 in postings)
    // What village workshops post (each was another trade before: 家政服务员, 装饰装修工, 电子商务师, 冲压工…)
    ["串珠子", "6-09-03-17"], // 民间工艺品制作工
    ["采茶工", "5-01-02-02"], // 园艺工
    ["摘杨梅", "5-01-02-02"],
    ["剥虾", "6-01-05-01"], // 水产品加工工
    ["水果分拣", "6-01-06-00"], // 果蔬坚果加工工
    ["小工", "6-29-99-00"], // 其他建筑施工人员
    ["养殖工", "5-03-02-01"], // 家畜饲养员
  ])("worker phrasing %s → %s", (title, code) => {
    expect(normalizeTitle(title)?.code).toBe(code);
  });

  it.each([
    ["急招保安 月薪4500 包吃住 五险一金", "保安"],
    ["【日结】服务员 200元/天", "服务员"],
    ["诚聘电焊工（10名）13薪", "电焊工"],
    ["暑假工 快递分拣 包住", "快递分拣"],
    ["餐厅服务员包吃住 双休", "餐厅服务员"],
    ["高薪急聘销售代表+五险一金+带薪培训", "销售代表"],
  ])("reads %s as %s: pay, perks and hiring words do not change the answer", (noisy, plain) => {
    expect(normalizeTitle(noisy)?.code).toBe(normalizeTitle(plain)?.code);
  });

  it("ignores the employer before a hiring verb", () => {
    // The labelled titles hold "鑫盾辐射招聘木工": the employer's name must not make every job there a 木工.
    expect(normalizeTitle("鑫盾辐射招聘电焊工")?.code).toBe("6-18-02-04");
    expect(normalizeTitle("保安招聘")?.code).toBe("4-07-05-01");
  });

  it("maps 普工 to a production occupation (大类 6)", () => {
    expect(normalizeTitle("普工")?.code).toMatch(/^6-/);
    expect(normalizeTitle("电子厂招普工 包吃住 长白班")?.code).toMatch(/^6-/);
  });

  it("keeps 招聘 when it is the job (HR recruiter), not the verb", () => {
    expect(normalizeTitle("招聘专员")?.code).toMatch(/^(2-06-08|4-07-03)/);
  });

  it("answers null for titles that name no job", () => {
    expect(normalizeTitle("asdfgh")).toBeNull();
    expect(normalizeTitle("包吃住 双休 五险一金")).toBeNull();
    expect(normalizeTitle("")).toBeNull();
  });

  it("reads full-width input like half-width", () => {
    expect(normalizeTitle("ＳＨＯＰ　保安（包吃住）")?.code).toBe("4-07-05-01");
    expect(normalizeTitle("ＯＴＣ销售代表")).toEqual(normalizeTitle("OTC销售代表"));
  });

  it("is less confident when a title names several jobs", () => {
    const one = normalizeTitle("保安")!;
    const several = normalizeTitle("保安/保洁/司机")!;
    expect(one.confidence).toBeGreaterThan(several.confidence);
    expect(one.confidence).toBeLessThanOrEqual(1);
    expect(several.confidence).toBeGreaterThan(0);
  });
});

describe("suggestOccupations", () => {
  it("returns distinct codes ranked by confidence, the best being normalizeTitle's answer", () => {
    const suggestions = suggestOccupations("汽车销售", 5);
    expect(suggestions).toHaveLength(5);
    expect(new Set(suggestions.map((s) => s.code)).size).toBe(suggestions.length);
    const confidences = suggestions.map((s) => s.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    expect(suggestions[0]).toEqual(normalizeTitle("汽车销售"));
  });

  it("honours the limit and returns nothing for nonsense", () => {
    expect(suggestOccupations("厨师", 2)).toHaveLength(2);
    expect(suggestOccupations("asdfgh")).toEqual([]);
  });
});

describe("occupationByCode", () => {
  it("returns the cleaned name and aliases", () => {
    const housekeeper = occupationByCode("4-10-01-06");
    expect(housekeeper?.name).toBe("家政服务员");
    expect(housekeeper?.aliases).toContain("保姆");
    // The 2022 edition's digital flag "S" is stripped from names.
    expect(occupationByCode("4-01-06-01")?.name).toBe("电子商务师");
  });

  it("knows only occupations, not the groups above them", () => {
    expect(occupationByCode("4-10-00-00")).toBeUndefined();
    expect(occupationByCode("9-99-99-99")).toBeUndefined();
  });
});

describe("midCategory", () => {
  it("keeps the first two segments", () => {
    expect(midCategory("4-10-01-06")).toBe("4-10");
    expect(midCategory("6-31-99-00")).toBe("6-31");
  });
});

describe("createOccupationNormalizer", () => {
  const repeated = (title: string, code: string, times: number) => Array.from({ length: times }, () => ({ title, code }));

  it("learns how labelled titles are coded", () => {
    // The shipped labels code 销售经理 as 市场营销专业人员; labels that say 营销员 win over the dictionary's.
    expect(normalizeTitle("销售经理")?.code).toBe("2-06-07-02");
    const learned = createOccupationNormalizer(repeated("销售经理", "4-01-02-01", 5));
    expect(learned.normalizeTitle("销售经理")?.code).toBe("4-01-02-01");
  });

  it("answers an occupation of the group when the labels name a group", () => {
    const learned = createOccupationNormalizer(repeated("电话开发客户", "4-01-02-00", 5)); // 销售人员
    const answer = learned.normalizeTitle("电话开发客户")!;
    expect(answer.code).toMatch(/^4-01-02-(?!00)/);
    expect(occupationByCode(answer.code)).toBeDefined();
    for (const suggestion of learned.suggestOccupations("电话开发客户", 10)) {
      expect(occupationByCode(suggestion.code), suggestion.code).toBeDefined();
    }
  });

  it("skips labels whose code the classification lacks", () => {
    const learned = createOccupationNormalizer([...repeated("保安", "9-99-99-99", 3), { title: "保安", code: "" }]);
    expect(learned.normalizeTitle("保安")?.code).toBe("4-07-05-01");
  });
});

// The labelled benchmark lives outside the repository (../shared/data): skip when it is absent. A
// normaliser trained on the even rows answers the odd rows, as bench/normalize.ts does. Measured there:
// 52.5% exact, 70.1% 中类, mean confidence 53.0%; the floors sit 3–4 points lower.
const labelledFile = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data/job-titles-labelled.csv");

describe("accuracy on labelled real titles, held out", () => {
  it.skipIf(!existsSync(labelledFile))("stays above the measured floor, with confidences that mean what they say", () => {
    const lines = readFileSync(labelledFile, "utf8").trim().split(/\r?\n/).slice(1);
    // Codes and names hold no commas, so the title is everything before the last two fields.
    const rows = lines
      .map((line) => line.match(/^"?(.*?)"?,([^,]*),([^,]*)$/))
      .filter((match) => match !== null)
      .map(([, title = "", code = ""]) => ({ title, code }));
    const training = rows.filter((_, i) => i % 2 === 0);
    const heldOut = rows.filter((_, i) => i % 2 === 1);
    expect(heldOut.length).toBeGreaterThan(1000);

    const normalizer = createOccupationNormalizer(training);
    let exact = 0;
    let sameMidCategory = 0;
    let confidence = 0;
    for (const { title, code } of heldOut) {
      const answer = normalizer.normalizeTitle(title);
      if (!answer) continue;
      if (answer.code === code) exact++;
      if (code && midCategory(answer.code) === midCategory(code)) sameMidCategory++;
      confidence += answer.confidence;
    }
    expect(exact / heldOut.length).toBeGreaterThan(0.49);
    expect(sameMidCategory / heldOut.length).toBeGreaterThan(0.66);
    // Calibrated: on average as sure as it is right.
    expect(Math.abs(confidence - exact) / heldOut.length).toBeLessThan(0.06);
  });
});
