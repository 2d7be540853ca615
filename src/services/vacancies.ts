// Vacancies: the shape other systems send (../shared/contract.md), what can be read from a
// description when fields are missing, and the verb that records one.
import { z } from "zod";
import { normalizeTitle } from "../../matching/occupations.ts";
import type { PrismaClient, Vacancy } from "../db/client.ts";
import { queueIndexing } from "./search-sync.ts";

export const vacancyInputSchema = z.object({
  externalId: z.string().trim().min(1).max(100).optional(),
  title: z.string().trim().min(1).max(100),
  description: z.string().trim().max(5000).optional(),
  employerName: z.string().trim().min(1).max(100).optional(),
  regionCode: z.string().regex(/^(\d{6}|\d{9}|\d{12})$/, "a county, township or village code").optional(),
  address: z.string().trim().max(200).optional(),
  headcount: z.number().int().min(1).max(10_000).optional(),
  wageMin: z.number().int().min(0).max(1_000_000).optional(),
  wageMax: z.number().int().min(0).max(1_000_000).optional(),
  wageUnit: z.enum(["month", "day", "hour", "piece"]).optional(),
  ageMin: z.number().int().min(16).max(80).optional(),
  ageMax: z.number().int().min(16).max(80).optional(),
  sex: z.enum(["any", "female", "male"]).optional(),
  housing: z.boolean().optional(),
  deadline: z.coerce.date().optional(),
}).refine((v) => v.wageMin === undefined || v.wageMax === undefined || v.wageMin <= v.wageMax, {
  message: "wageMin is above wageMax",
  path: ["wageMin"],
}).refine((v) => v.ageMin === undefined || v.ageMax === undefined || v.ageMin <= v.ageMax, {
  message: "ageMin is above ageMax",
  path: ["ageMin"],
});

export type VacancyInput = z.infer<typeof vacancyInputSchema>;

const chineseDigits: Record<string, number> = { 十: 10, 十六: 16, 十八: 18, 二十: 20 };
const toNumber = (text: string) => chineseDigits[text] ?? Number(text);

/** Fields employers often write only in the description: 年龄18至45周岁, 限女性, 包吃住. */
export function readFromDescription(text: string): Pick<VacancyInput, "ageMin" | "ageMax" | "sex" | "housing"> {
  const found: Pick<VacancyInput, "ageMin" | "ageMax" | "sex" | "housing"> = {};
  const age = /(\d{2}|十六|十八|二十)\s*(?:周岁|岁)?\s*(?:至|到|-|—|~|－)\s*(\d{2})\s*(?:周岁|岁)/.exec(text);
  if (age) {
    found.ageMin = toNumber(age[1]!);
    found.ageMax = Number(age[2]);
  }
  if (/限女|女性优先|仅限女|只招女|女工/.test(text)) found.sex = "female";
  else if (/限男|仅限男|只招男|男工/.test(text)) found.sex = "male";
  if (/包吃住|包住|提供住宿|免费住宿|包食宿/.test(text)) found.housing = true;
  return found;
}

export async function createVacancy(
  prisma: PrismaClient,
  input: VacancyInput,
  options: { employerId?: string; postedVia: string },
): Promise<Vacancy> {
  const inferred = readFromDescription(`${input.title} ${input.description ?? ""}`);
  const occupation = normalizeTitle(input.title);
  return prisma.$transaction(async (tx) => {
    const vacancy = await tx.vacancy.create({ data: {
      externalId: input.externalId ?? null,
      employerId: options.employerId ?? null,
      employerName: input.employerName ?? null,
      title: input.title,
      description: input.description ?? null,
      occupationCode: occupation?.code ?? null,
      regionCode: input.regionCode ?? null,
      address: input.address ?? null,
      headcount: input.headcount ?? null,
      wageMin: input.wageMin ?? null,
      wageMax: input.wageMax ?? null,
      wageUnit: input.wageUnit ?? "month",
      ageMin: input.ageMin ?? inferred.ageMin ?? null,
      ageMax: input.ageMax ?? inferred.ageMax ?? null,
      sex: input.sex ?? inferred.sex ?? "any",
      housing: input.housing ?? inferred.housing ?? null,
      deadline: input.deadline ?? null,
      postedVia: options.postedVia,
    } });
    await queueIndexing(tx, "vacancy", vacancy.id);
    return vacancy;
  });
}
