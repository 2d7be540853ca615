// Vacancies: the shape other systems send (../shared/contract.md), what can be read from a
// description when fields are missing, and the verb that records one.
import { z } from "zod";
import { normalizeTitle } from "../../matching/occupations.ts";
import type { Db, PrismaClient, Vacancy } from "../db/client.ts";
import { queueJob } from "../queue/queue.ts";
import { queueIndexing } from "./search-sync.ts";
import { chinaInstant } from "../shared/china-time.ts";
import { DomainError, forbidden, invalid, notFound } from "../shared/errors.ts";
import { ANY_OPERATOR, canSeeRegion, CARERS, inScope, regionScope, requireRegion, verb, type VerbContext } from "./context.ts";
import { REGION_CODE, unpaddedRegionCode } from "../shared/identifiers.ts";
import { boardSaid } from "../shared/postings.ts";
import { narrowedPlace, regionNamed } from "./vacancy-places.ts";

/** A vacancy's fields, each with its rule; the rules between fields are the input's (below). */
const vacancyFields = z.object({
  externalId: z.string().trim().min(1).max(100).optional(),
  title: z.string().trim().min(1).max(100),
  description: z.string().trim().max(5000).optional(),
  employerName: z.string().trim().min(1).max(100).optional(),
  // Job boards place a job in a city or a province as often as in a county: any level, padded codes
  // made plain; a place's name (合肥市) is looked up when the vacancy is placed.
  regionCode: z
    .string()
    .trim()
    .min(2)
    .max(30)
    .transform((code) => (/^\d+$/.test(code) ? unpaddedRegionCode(code) : code))
    .refine((code) => (/^\d+$/.test(code) ? REGION_CODE.test(code) : /^[\p{Script=Han}·]+$/u.test(code)), "a province, city, county, township or village code, or a place's name")
    .optional(),
  anywhereInRegion: z.boolean().optional(),
  address: z.string().trim().max(200).optional(),
  headcount: z.number().int().min(1).max(10_000).optional(),
  wageMin: z.number().int().min(0).max(1_000_000).optional(),
  wageMax: z.number().int().min(0).max(1_000_000).optional(),
  wageUnit: z.enum(["month", "day", "hour", "piece"]).optional(),
  ageMin: z.number().int().min(16).max(80).optional(),
  ageMax: z.number().int().min(16).max(80).optional(),
  sex: z.enum(["any", "female", "male"]).optional(),
  housing: z.boolean().optional(),
  meals: z.boolean().optional(),
  deadline: chinaInstant.optional(),
});

export const vacancyInputSchema = vacancyFields.refine((v) => v.wageMin === undefined || v.wageMax === undefined || v.wageMin <= v.wageMax, {
  message: "wageMin is above wageMax",
  path: ["wageMin"],
}).refine((v) => v.ageMin === undefined || v.ageMax === undefined || v.ageMin <= v.ageMax, {
  message: "ageMin is above ageMax",
  path: ["ageMin"],
});

export type VacancyInput = z.infer<typeof vacancyInputSchema>;

/** The numbers of a vacancy: exports write them as text too, and 0 for "not said" (年龄不限, 面议, 若干人). */
const NUMBER_FIELDS = new Set(["headcount", "wageMin", "wageMax", "ageMin", "ageMax"]);

/**
 * A row of another system's export as its fields mean it: an empty field written as null or "" is
 * absent, a number may come as text ("4000"), and 0 for an age, a wage or a headcount says 不限 or 面议.
 * Anything else is left for the schema to judge.
 */
function asExported(row: unknown): unknown {
  if (!row || typeof row !== "object" || Array.isArray(row)) return row;
  const fields: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(row)) {
    const value = typeof raw === "string" ? raw.trim() : raw;
    if (value === null || value === "") continue;
    const number = NUMBER_FIELDS.has(key) && typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (number === 0 && NUMBER_FIELDS.has(key)) continue;
    fields[key] = number;
  }
  return fields;
}

const chineseDigits: Record<string, number> = { 十: 10, 十六: 16, 十八: 18, 二十: 20 };
const toNumber = (text: string) => chineseDigits[text] ?? Number(text);

type ReadFields = Pick<VacancyInput, "ageMin" | "ageMax" | "sex" | "housing" | "meals" | "wageMin" | "wageMax" | "wageUnit">;

const PAY_UNIT: Record<string, "month" | "day" | "hour"> = { 月: "month", 天: "day", 日: "day", 小时: "hour" };

/** Pay as job boards write it: 5000-8000元/月, 月薪6000, 日结200, 25元/小时; 面议 says nothing. */
function readPayText(text: string): Pick<ReadFields, "wageMin" | "wageMax" | "wageUnit"> {
  // A range with a unit, or of four-figure amounts: "18-45岁" is an age, not pay.
  for (const range of text.matchAll(/(\d{2,5})\s*(?:-|~|～|至|到|—)\s*(\d{2,5})\s*元?\s*(?:\/|每|一)?\s*(月|天|日|小时)?/g)) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    if (low <= high && (range[3] || low >= 1000)) return { wageMin: low, wageMax: high, wageUnit: PAY_UNIT[range[3] ?? "月"] ?? "month" };
  }
  const single = /(?:月薪|底薪|月入|工资)\s*(\d{4,5})|(\d{4,5})\s*元?\s*\/\s*月/.exec(text);
  if (single) return { wageMin: Number(single[1] ?? single[2]), wageMax: Number(single[1] ?? single[2]), wageUnit: "month" };
  const daily = /日结\s*(\d{2,4})|(\d{2,4})\s*元?\s*\/\s*(?:天|日)/.exec(text);
  if (daily) return { wageMin: Number(daily[1] ?? daily[2]), wageMax: Number(daily[1] ?? daily[2]), wageUnit: "day" };
  return {};
}

/** Fields employers often write only in the title or description: 年龄18至45周岁, 限女性, 包吃住 (board and meals), 5000-8000元/月. */
export function readFromDescription(text: string): ReadFields {
  const found: ReadFields = readPayText(text);
  const age = /(\d{2}|十六|十八|二十)\s*(?:周岁|岁)?\s*(?:至|到|-|—|~|－)\s*(\d{2})\s*(?:周岁|岁)/.exec(text);
  if (age) {
    found.ageMin = toNumber(age[1]!);
    found.ageMax = Number(age[2]);
  }
  if (/限女|女性优先|仅限女|只招女|女工/.test(text)) found.sex = "female";
  else if (/限男|仅限男|只招男|男工/.test(text)) found.sex = "male";
  return { ...found, ...boardSaid(text) };
}

/**
 * The vacancy with its place narrowed by what its text says: the county named in it when only a
 * city, a province or nothing was given. Done before the access check, which then sees the place
 * the vacancy will have.
 */
async function placed(db: Db, input: VacancyInput): Promise<VacancyInput> {
  const named = input.regionCode && !/^\d+$/.test(input.regionCode) ? await regionNamed(db, input.regionCode) : undefined;
  if (named === null) throw invalid(`regionCode: no one province, city or county is called ${input.regionCode}`, { fields: ["regionCode"] });
  const given = named ?? input.regionCode ?? null;
  const regionCode = await narrowedPlace(db, given, [input.address, input.title, input.description].filter(Boolean).join(" "));
  // Narrowed to a county, the job is there, not anywhere in the city given.
  if (regionCode === given) return { ...input, regionCode: given ?? undefined };
  return { ...input, regionCode: regionCode ?? undefined, anywhereInRegion: false };
}

/** The columns of a vacancy as given, with what the title and description tell when fields are missing. */
function vacancyColumns(input: VacancyInput) {
  const inferred = readFromDescription(`${input.title} ${input.description ?? ""}`);
  return {
    externalId: input.externalId ?? null,
    employerName: input.employerName ?? null,
    title: input.title,
    description: input.description ?? null,
    occupationCode: normalizeTitle(input.title)?.code ?? null,
    regionCode: input.regionCode ?? null,
    anywhereInRegion: input.anywhereInRegion ?? false,
    address: input.address ?? null,
    headcount: input.headcount ?? null,
    // Pay read from the text only when neither figure is given: one given figure is the employer's word.
    ...(input.wageMin === undefined && input.wageMax === undefined
      ? { wageMin: inferred.wageMin ?? null, wageMax: inferred.wageMax ?? null, wageUnit: input.wageUnit ?? inferred.wageUnit ?? "month" }
      : { wageMin: input.wageMin ?? null, wageMax: input.wageMax ?? null, wageUnit: input.wageUnit ?? "month" }),
    ageMin: input.ageMin ?? inferred.ageMin ?? null,
    ageMax: input.ageMax ?? inferred.ageMax ?? null,
    sex: input.sex ?? inferred.sex ?? "any",
    housing: input.housing ?? inferred.housing ?? null,
    meals: input.meals ?? inferred.meals ?? null,
    deadline: input.deadline ?? null,
  } as const;
}

/** A vacancy's index entry, and its push to candidates once it is open: queued with the change. */
export async function vacancyChanged(tx: Db, vacancy: Pick<Vacancy, "id" | "status">): Promise<void> {
  await queueIndexing(tx, "vacancy", vacancy.id);
  if (vacancy.status === "open") await queueJob(tx, "push.vacancy", { vacancyId: vacancy.id });
}

/** A row refused, with its index in the batch. */
export interface RowError {
  index: number;
  message: string;
  /** the field at fault, when one is (a shape problem) */
  field?: string;
  problem: "invalid" | "outside" | "foreign";
}


/** Rows whose externalId is a vacancy outside the actor's regions: re-importing may not overwrite another region's. */
async function foreignRows(ctx: VerbContext, inputs: readonly VacancyInput[]): Promise<RowError[]> {
  const externalIds = inputs.flatMap((input) => (input.externalId ? [input.externalId] : []));
  if (externalIds.length === 0) return [];
  const existing = await ctx.db.vacancy.findMany({ where: { externalId: { in: externalIds } }, select: { externalId: true, regionCode: true } });
  const foreign = new Set(existing.filter((row) => !canSeeRegion(ctx.actor, row.regionCode)).map((row) => row.externalId));
  return inputs.flatMap((input, index) =>
    input.externalId && foreign.has(input.externalId) ? [{ index, field: "externalId", problem: "foreign" as const, message: `externalId ${input.externalId} belongs to a vacancy outside your regions` }] : [],
  );
}

/**
 * Writes vacancies through the caller's transaction and queues their indexing (and pushes, when
 * open). A vacancy with an externalId that is already here is updated instead, so re-importing
 * another system's list is safe.
 */
async function saveVacancies(db: Db, inputs: readonly VacancyInput[], options: { employerId?: string; postedVia: string }): Promise<Vacancy[]> {
  const saved: Vacancy[] = [];
  for (const input of inputs) {
    const columns = { ...vacancyColumns(input), postedVia: options.postedVia, ...(options.employerId ? { employerId: options.employerId } : {}) };
    const vacancy = input.externalId
      ? await db.vacancy.upsert({ where: { externalId: input.externalId }, create: columns, update: columns })
      : await db.vacancy.create({ data: columns });
    await vacancyChanged(db, vacancy);
    saved.push(vacancy);
  }
  return saved;
}

/** The demo data's vacancies (npm run seed:demo): no caller to check. */
export async function createVacancy(prisma: PrismaClient, input: VacancyInput, options: { employerId?: string; postedVia: string }): Promise<Vacancy> {
  const [vacancy] = await prisma.$transaction((tx) => saveVacancies(tx, [input], options));
  return vacancy!;
}

/** One vacancy posted by an operator, in their regions. */
/** One vacancy, through the API or the console (recorded as the door it came by). */
export const postVacancy = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, posted: VacancyInput & { postedVia?: "api" | "console" }) => {
  const { postedVia = "api", ...given } = posted;
  const input = await placed(ctx.db, given);
  requireRegion(ctx.actor, input.regionCode);
  const refused = await foreignRows(ctx, [input]);
  if (refused.length > 0) throw forbidden(refused.map((row) => row.message).join("; "), { rows: refused });
  const [vacancy] = await saveVacancies(ctx.db, [input], { postedVia });
  return vacancy!;
});

/**
 * Another system's vacancies imported: all rows or none. A row that does not fit the shape, lies
 * outside the actor's regions or would overwrite another region's vacancy is a row error, and then
 * nothing is written. Empty fields, numbers as text and 0 for 不限 are read as exports mean them
 * (asExported). With `partial`, the good rows are written and the refused ones only reported
 * (a county office re-exporting a job board cannot fix the board's data): `ids` holds null at each
 * refused row's index.
 */
export const importVacancies = verb(
  { roles: CARERS, writes: true },
  async (ctx: VerbContext, input: { rows: readonly unknown[]; partial?: boolean }): Promise<{ ids: (string | null)[]; errors: RowError[] }> => {
    const errors: RowError[] = [];
    const accepted: { index: number; input: VacancyInput }[] = [];
    for (const [index, row] of input.rows.entries()) {
      const parsed = vacancyInputSchema.safeParse(asExported(row));
      if (!parsed.success) {
        const field = parsed.error.issues[0]?.path[0];
        errors.push({
          index,
          problem: "invalid",
          ...(typeof field === "string" ? { field } : {}),
          message: parsed.error.issues.map((issue) => `${issue.path.join(".") || "row"}: ${issue.message}`).join("; "),
        });
        continue;
      }
      let vacancy: VacancyInput;
      try {
        vacancy = await placed(ctx.db, parsed.data);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors.push({ index, field: "regionCode", problem: "invalid", message: error.message });
        continue;
      }
      if (!canSeeRegion(ctx.actor, vacancy.regionCode)) {
        errors.push({ index, field: "regionCode", problem: "outside", message: `region ${vacancy.regionCode ?? "(none)"} is outside your regions` });
      } else accepted.push({ index, input: vacancy });
    }
    const foreign = await foreignRows(ctx, accepted.map((row) => row.input));
    errors.push(...foreign.map((error) => ({ ...error, index: accepted[error.index]!.index })));
    const refused = new Set(errors.map((error) => error.index));
    errors.sort((a, b) => a.index - b.index);
    if (refused.size > 0 && !input.partial) return { ids: [], errors };
    const kept = accepted.filter((row) => !refused.has(row.index));
    const saved = await saveVacancies(ctx.db, kept.map((row) => row.input), { postedVia: "bulk" });
    const ids: (string | null)[] = input.rows.map(() => null);
    kept.forEach((row, i) => (ids[row.index] = saved[i]!.id));
    return { ids, errors };
  },
);

export async function visibleVacancy(ctx: VerbContext, vacancyId: string): Promise<Vacancy> {
  const vacancy = await ctx.db.vacancy.findUnique({ where: { id: vacancyId } });
  if (!vacancy) throw notFound("vacancy");
  requireRegion(ctx.actor, vacancy.regionCode);
  return vacancy;
}

interface VacancyQuery {
  status?: Vacancy["status"] | undefined;
  employerId?: string | undefined;
  limit: number;
}

/** The vacancies of the actor's regions (one employer's, when asked), newest first (those with no place: administrators only). */
export const listVacancies = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: VacancyQuery) => {
  const scope = regionScope(ctx.actor);
  return ctx.db.vacancy.findMany({
    where: {
      ...inScope(scope, "regionCode"),
      ...(query.status ? { status: query.status } : {}),
      ...(query.employerId ? { employerId: query.employerId } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
});

export const showVacancy = verb({ roles: ANY_OPERATOR, writes: false }, (ctx: VerbContext, input: { vacancyId: string }) => visibleVacancy(ctx, input.vacancyId));

/** The fields an edit may change: all a vacancy was posted with but another system's key. */
const editableFields = vacancyFields.omit({ externalId: true });
const EDITABLE = Object.keys(editableFields.shape) as (keyof typeof editableFields.shape)[];

/** A change to a vacancy: its status, or any field it was posted with, by the same rules (deadline null clears it). */
export const vacancyPatchSchema = editableFields
  .extend({ status: z.enum(["draft", "open", "closed", "filled"]), deadline: chinaInstant.nullable() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "nothing to change");

export type VacancyPatch = z.infer<typeof vacancyPatchSchema>;

/** What a vacancy holds, as the input it could have been posted with (the fields a patch may change). */
function asInput(vacancy: Vacancy): VacancyInput {
  const input: Record<string, unknown> = {};
  for (const field of EDITABLE) if (vacancy[field] !== null) input[field] = vacancy[field];
  return input as VacancyInput;
}

/**
 * Close, fill or reopen a vacancy, or edit what it says. The vacancy as it would be after the
 * change is checked whole (a new lowest wage above the kept highest is refused), a new place must
 * be in the actor's regions too, and a new title is read for its kind of work again.
 */
export const changeVacancy = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { vacancyId: string; patch: VacancyPatch }) => {
  const existing = await visibleVacancy(ctx, input.vacancyId);
  const { status, deadline, ...fields } = input.patch;
  const merged = vacancyInputSchema.safeParse({ ...asInput(existing), ...fields, ...(deadline !== undefined ? { deadline: deadline ?? undefined } : {}) });
  if (!merged.success) throw invalid(merged.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "), { fields: merged.error.issues.map((issue) => String(issue.path[0])) });
  const edited = Object.keys(fields).length > 0 || deadline !== undefined;
  const vacancyAfter = edited ? await placed(ctx.db, merged.data) : merged.data;
  if ((vacancyAfter.regionCode ?? null) !== existing.regionCode) requireRegion(ctx.actor, vacancyAfter.regionCode);
  // The external id is another system's key: an edit keeps it.
  const { externalId: _kept, ...columns } = edited ? vacancyColumns(vacancyAfter) : { externalId: null };
  const vacancy = await ctx.db.vacancy.update({ where: { id: existing.id }, data: { ...columns, ...(status ? { status } : {}) } });
  await vacancyChanged(ctx.db, vacancy);
  return vacancy;
});
