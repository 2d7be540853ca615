import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
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
  ])("%s → %s", (title, code) => {
    expect(normalizeTitle(title)?.code).toBe(code);
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

  it("is more confident about an exact title than a noisy one", () => {
    const exact = normalizeTitle("保姆")!;
    const noisy = normalizeTitle("招保姆接送孩子")!;
    expect(exact.confidence).toBeGreaterThan(noisy.confidence);
    expect(exact.confidence).toBeLessThanOrEqual(1);
    expect(noisy.confidence).toBeGreaterThan(0);
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

// The labelled benchmark lives outside the repository (../shared/data) and is not vendored: skip
// when it is absent. Floors sit a few points under the figures measured on the odd rows, which
// tuning never looked at (see bench/normalize.ts): 38.0% exact, 54.2% 中类.
const labelledFile = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data/job-titles-labelled.csv");

describe("accuracy on labelled real titles (odd rows)", () => {
  it.skipIf(!existsSync(labelledFile))("stays above the measured floor", () => {
    const lines = readFileSync(labelledFile, "utf8").trim().split(/\r?\n/).slice(1);
    // Codes and names hold no commas, so the title is everything before the last two fields.
    const rows = lines
      .filter((_, i) => i % 2 === 1)
      .map((line) => line.match(/^"?(.*?)"?,([^,]*),([^,]*)$/))
      .filter((match) => match !== null)
      .map(([, title = "", code = ""]) => ({ title, code }));
    expect(rows.length).toBeGreaterThan(1000);

    let exact = 0;
    let sameMidCategory = 0;
    for (const { title, code } of rows) {
      const answer = normalizeTitle(title);
      if (answer?.code === code) exact++;
      if (answer && code && midCategory(answer.code) === midCategory(code)) sameMidCategory++;
    }
    expect(exact / rows.length).toBeGreaterThan(0.34);
    expect(sameMidCategory / rows.length).toBeGreaterThan(0.5);
  });
});
