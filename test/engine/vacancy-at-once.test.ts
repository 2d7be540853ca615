// An employer's first message read clause by clause: what each answers, and what is left the title.
import { describe, expect, it } from "vitest";
import { vacancyAtOnce } from "../../src/engine/flows/vacancy-at-once.ts";

describe("a vacancy said in one message", () => {
  it("reads each clause by the question it answers", () => {
    expect(vacancyAtOnce("电工，4000-5000，包吃住，男，18-45岁，每天8小时")).toEqual({
      title: "电工",
      terms: { wageMin: 4000, wageMax: 5000, wageUnit: "month", housing: true, meals: true, sex: "male", ageMin: 18, ageMax: 45, hours: "每天8小时" },
    });
    // the pay said with the board, in one clause
    expect(vacancyAtOnce("保安，3500包吃住")).toEqual({ title: "保安", terms: { wageMin: 3500, wageMax: 3500, wageUnit: "month", housing: true, meals: true } });
    expect(vacancyAtOnce("保安，包吃住")).toEqual({ title: "保安", terms: { housing: true, meals: true } });
    expect(vacancyAtOnce("采茶工，年纪55以下")).toEqual({ title: "采茶工", terms: { ageMin: null, ageMax: 55 } });
    expect(vacancyAtOnce("保洁员 一天150 50岁以下 女")).toEqual({
      title: "保洁员",
      terms: { wageMin: 150, wageMax: 150, wageUnit: "day", ageMin: null, ageMax: 50, sex: "female" },
    });
  });

  it("takes the headcount said with the title, before or after it", () => {
    expect(vacancyAtOnce("招10个竹编工")).toEqual({ title: "竹编工", terms: { headcount: 10 } });
    expect(vacancyAtOnce("普工20名 3500元/月")).toMatchObject({ title: "普工", terms: { headcount: 20, wageMin: 3500 } });
  });

  it("keeps a title of several words whole, and a word of sex inside a title as the title", () => {
    expect(vacancyAtOnce("竹编 草编 10个 计件")).toEqual({ title: "竹编 草编", terms: { headcount: 10, wageMin: null, wageMax: null, wageUnit: "piece" } });
    expect(vacancyAtOnce("女装缝纫工，3000")).toMatchObject({ title: "女装缝纫工", terms: { wageMin: 3000 } });
    // 手巧 after the terms is no part of the title
    expect(vacancyAtOnce("包装工，包吃住，手巧")?.title).toBe("包装工");
  });

  it("is nothing for a title alone, or for terms without a title", () => {
    expect(vacancyAtOnce("竹编工")).toBeNull();
    expect(vacancyAtOnce("招聘普工")).toBeNull();
    expect(vacancyAtOnce("3000，包吃住")).toBeNull();
  });

  it("drops a monthly pay no job pays rather than keep it", () => {
    expect(vacancyAtOnce("保安，30元，包住")).toEqual({ title: "保安", terms: { housing: true } });
  });
});
