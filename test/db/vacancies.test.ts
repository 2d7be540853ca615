import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { readFromDescription, vacancyInputSchema } from "../../src/services/vacancies.ts";
import { demoEmployers, seedDemo } from "../../prisma/demo-data.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

describe("vacancies", () => {
  it("read age limits, sex and housing from a description", () => {
    expect(readFromDescription("招保安，包吃住，年龄18至45周岁")).toEqual({ ageMin: 18, ageMax: 45, housing: true, meals: true });
    expect(readFromDescription("普工，包三餐，不包住")).toEqual({ meals: true });
    expect(readFromDescription("普工，不包吃住")).toEqual({});
    expect(readFromDescription("普工，管吃住")).toEqual({ housing: true, meals: true });
    expect(readFromDescription("包吃不包住")).toEqual({ meals: true });
    expect(readFromDescription("免费食宿")).toEqual({ housing: true, meals: true });
    expect(readFromDescription("限女性，20-50岁")).toEqual({ ageMin: 20, ageMax: 50, sex: "female" });
    expect(readFromDescription("长白班")).toEqual({});
    expect(readFromDescription("普工 年龄18-45岁 5000-8000元/月")).toEqual({ ageMin: 18, ageMax: 45, wageMin: 5000, wageMax: 8000, wageUnit: "month" });
    expect(readFromDescription("保洁 日结200")).toEqual({ wageMin: 200, wageMax: 200, wageUnit: "day" });
    expect(readFromDescription("月薪6000，包住")).toEqual({ wageMin: 6000, wageMax: 6000, wageUnit: "month", housing: true });
    expect(readFromDescription("工资面议")).toEqual({});
  });

  it("refuse contradictory input", () => {
    const result = vacancyInputSchema.safeParse({ title: "普工", wageMin: 5000, wageMax: 3000 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["wageMin"]);
  });

  it("seed the demo counties once, with occupations and what the descriptions say", async () => {
    const expected = demoEmployers.flatMap((e) => e.vacancies).length;
    expect(await seedDemo(db.prisma)).toEqual({ employers: demoEmployers.length, vacancies: expected });
    expect(await seedDemo(db.prisma)).toEqual({ employers: 0, vacancies: 0 });
    const nanny = await db.prisma.vacancy.findUniqueOrThrow({ where: { externalId: "demo-ph-3" } });
    expect(nanny).toMatchObject({ occupationCode: "4-10-01-06", sex: "female", housing: true, ageMin: 30, ageMax: 55, status: "open" });
    const counties = await db.prisma.vacancy.findMany({ select: { regionCode: true } });
    expect(new Set(counties.map((v) => v.regionCode!.slice(0, 6)))).toEqual(new Set(["350622", "350628", "350624"]));
    const carer = await db.prisma.vacancy.findUniqueOrThrow({ where: { externalId: "demo-ph-4" } });
    expect(carer.occupationCode).toBe("4-10-01-05");
  });
});
