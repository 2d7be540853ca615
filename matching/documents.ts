// What the matching indexes hold, built from plain objects. The database is the source of truth and
// the indexes are derived from it: the integrator maps Prisma rows to the input shapes below (fields
// named as in prisma/schema.prisma, dates as Date or ISO strings) and this module never sees a row.
import { regionLineage } from "../src/reference/regions.ts";
import { midCategory, occupationByCode } from "./occupations.ts";

export type WageUnit = "month" | "day" | "hour" | "piece";
export type SexRequirement = "any" | "female" | "male";
export type Sex = "female" | "male";
export type EmployerKind = "company" | "workshop" | "base" | "cooperative" | "broker" | "publicWelfare";
export type VacancyStatus = "draft" | "open" | "closed" | "filled";
export type WorkRange = "homeCounty" | "province" | "anywhere";
export type EmploymentStatus =
  | "seeking"
  | "employedLocal"
  | "employedInProvince"
  | "employedOutOfProvince"
  | "selfEmployed"
  | "notSeeking";

type DateLike = Date | string;

/** A Vacancy row, with its employer's kind. */
export interface VacancyForIndex {
  id: string;
  title: string;
  description?: string | null;
  employerName?: string | null;
  /** Employer.kind; null for vacancies without an employer record (e.g. from other systems). */
  employerKind?: EmployerKind | null;
  occupationCode?: string | null;
  /** Any level: a job board often gives only a city or a province. */
  regionCode?: string | null;
  /** The job may be anywhere in that region: who stays in a county inside it matches too. */
  anywhereInRegion?: boolean | null;
  /** The name of a place coarser than a county (合肥市), for the reason a worker reads. */
  placeName?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  wageMin?: number | null;
  wageMax?: number | null;
  /** Defaults to month, as in the schema. */
  wageUnit?: WageUnit | null;
  ageMin?: number | null;
  ageMax?: number | null;
  sex?: SexRequirement | null;
  housing?: boolean | null;
  status: VacancyStatus;
  deadline?: DateLike | null;
}

/** What matching needs to know about a worker looking for jobs. */
export interface WorkerProfile {
  id: string;
  birthDate?: DateLike | null;
  sex?: Sex | null;
  /** Village code when known, else the deepest level known. */
  homeRegionCode?: string | null;
  /** minimumLivingAllowance, extremeHardship, disability, schoolLeaver, carer, … */
  categories?: readonly string[] | null;
  /** Occupation codes, in the worker's order of preference. */
  wishedOccupations?: readonly string[] | null;
  workRange?: WorkRange | null;
  /** Yuan per month. */
  wageFloor?: number | null;
}

/** A Worker row with the two facts that live elsewhere in the database. */
export interface WorkerForIndex extends WorkerProfile {
  employmentStatus: EmploymentStatus;
  /** Some channel identity of the worker has optedOutAt set. */
  optedOut: boolean;
  /** The worker has had a matched job pushed before (a `push` plan event). */
  pushedBefore: boolean;
}

export interface RegionLevels {
  provinceCode: string | null;
  cityCode: string | null;
  countyCode: string | null;
  townshipCode: string | null;
  villageCode: string | null;
}

export interface VacancyDocument extends RegionLevels {
  id: string;
  /** A city or province given, anywhere in which the job may be (see VacancyForIndex); null otherwise. */
  anywhereIn: string | null;
  /** A city's or province's name when that is all the place known (合肥市); null for a county or deeper. */
  placeName: string | null;
  title: string;
  description: string | null;
  employerName: string | null;
  employerKind: EmployerKind | null;
  occupationCode: string | null;
  /** 中类, e.g. "4-10". */
  occupationMid: string | null;
  occupationName: string | null;
  occupationAliases: string[];
  wageUnit: WageUnit;
  wageMin: number | null;
  wageMax: number | null;
  /** Monthly estimates of wageMin/wageMax in yuan (see monthlyWage); null when unknown. */
  wageMonthlyMin: number | null;
  wageMonthlyMax: number | null;
  /** null: no limit. */
  ageMin: number | null;
  ageMax: number | null;
  sex: SexRequirement;
  housing: boolean;
  status: VacancyStatus;
  /** Epoch milliseconds; null: no deadline. */
  deadlineTs: number | null;
  _geo?: { lat: number; lng: number };
  /** VACANCY_RANKING_FIELDS' values, packed (see RANKED). */
  ranked: string;
}

/** A worker as matching sees them; the same in a query and in the workers index. */
export interface WorkerFacts extends RegionLevels {
  id: string;
  /** A worker who never said where they will work is taken to stay in the home county, the narrowest promise. */
  workRange: WorkRange;
  /** Epoch milliseconds of the birth date (UTC midnight); null when unknown. */
  birthTs: number | null;
  sex: Sex | null;
  wishedOccupations: string[];
  wishedMids: string[];
  wageFloor: number | null;
  categories: string[];
}

export interface WorkerDocument extends WorkerFacts {
  employmentStatus: EmploymentStatus;
  optedOut: boolean;
  pushedBefore: boolean;
  /** The floor ranking reads (wageFloor, else ASSUMED_WAGE_FLOOR): candidate pools come lowest first. */
  payFloor: number;
  /**
   * The year of birthTs, which candidates' age limits filter by: a range over fifty-odd years costs
   * Meilisearch far less than one over eighteen thousand days (a candidate match about a millisecond
   * at p95, bench:matching), and the exact age is checked on the hits (see fitsAgeLimits).
   */
  birthYear: number | null;
  /** WORKER_RANKING_FIELDS' values, packed (see RANKED). */
  ranked: string;
}

// ---------------------------------------------------------------------------------------------------
// What ranking reads of a hit, packed into one field.

/**
 * The field a search shows of each hit besides its id: the values ranking reads (match.ts), as one
 * JSON array in the order of the fields' list. Meilisearch 1.21 copies every shown field of every hit
 * and passes it through its highlighter, asked or not; with whole documents shown, a match spent more
 * of its time on that than on its filters (a candidate match as one request, side by side on
 * bench:matching's data: 8.3 → 5.5 ms p50, 10.9 → 7.7 ms p95 with one field shown). Filters and sorts still read the fields themselves.
 */
export const RANKED = "ranked";

const REGION_LEVEL_FIELDS = ["provinceCode", "cityCode", "countyCode", "townshipCode", "villageCode"] as const satisfies readonly (keyof RegionLevels)[];

export const VACANCY_RANKING_FIELDS = [
  "id",
  "occupationCode",
  "occupationMid",
  ...REGION_LEVEL_FIELDS,
  "placeName",
  "wageUnit",
  "wageMin",
  "wageMax",
  "wageMonthlyMin",
  "wageMonthlyMax",
  "housing",
  "employerKind",
] as const satisfies readonly (keyof VacancyDocument)[];
export type RankedVacancy = Pick<VacancyDocument, (typeof VACANCY_RANKING_FIELDS)[number]>;

export const WORKER_RANKING_FIELDS = [
  "id",
  ...REGION_LEVEL_FIELDS,
  "workRange",
  "birthTs",
  "sex",
  "wishedOccupations",
  "wishedMids",
  "wageFloor",
  "categories",
  "pushedBefore",
] as const satisfies readonly (keyof WorkerDocument)[];
export type RankedWorker = Pick<WorkerDocument, (typeof WORKER_RANKING_FIELDS)[number]>;

function packed<T>(document: T, fields: readonly (keyof T)[]): string {
  return JSON.stringify(fields.map((field) => document[field]));
}

/** A hit's packed field read back as the fields it packs. */
export function unpacked<T>(ranked: string, fields: readonly (keyof T)[]): T {
  const values = JSON.parse(ranked) as unknown[];
  return Object.fromEntries(fields.map((field, index) => [field, values[index]])) as T;
}

/** The floor assumed for a worker who named none: about a county minimum wage. */
export const ASSUMED_WAGE_FLOOR = 2000;

/**
 * Day and hour rates become monthly estimates so that all vacancies compare on one scale: 22 working
 * days a month (five-day weeks; day labour is irregular, so no more than that) of 8 hours. A piece
 * rate says nothing about a month's pay, so it has no estimate.
 */
const MONTHLY_FACTOR: Record<WageUnit, number | null> = { month: 1, day: 22, hour: 22 * 8, piece: null };

export function monthlyWage(amount: number | null | undefined, unit: WageUnit): number | null {
  const factor = MONTHLY_FACTOR[unit];
  return amount == null || factor === null ? null : Math.round(amount * factor);
}

export function regionLevels(code: string | null | undefined): RegionLevels {
  const levels: RegionLevels = { provinceCode: null, cityCode: null, countyCode: null, townshipCode: null, villageCode: null };
  const keyByLength = { 2: "provinceCode", 4: "cityCode", 6: "countyCode", 9: "townshipCode", 12: "villageCode" } as const;
  for (const ancestor of code ? regionLineage(code) : []) levels[keyByLength[ancestor.length as keyof typeof keyByLength]] = ancestor;
  return levels;
}

function timestamp(date: DateLike | null | undefined): number | null {
  if (date == null) return null;
  const ms = new Date(date).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** Birth dates are calendar dates: the UTC midnight of that date, whatever time a Date carries. */
function birthTimestamp(date: DateLike | null | undefined): number | null {
  const ms = timestamp(date);
  if (ms === null) return null;
  const day = new Date(ms);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

/** Completed years of age on `now`'s UTC date. */
export function ageOn(birthTs: number, now: Date): number {
  const birth = new Date(birthTs);
  const years = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    now.getUTCMonth() < birth.getUTCMonth() ||
    (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  return beforeBirthday ? years - 1 : years;
}

/**
 * The latest birth date of someone at least `years` old on `now`: birthTs ≤ this ⇔ ageOn(birthTs, now) ≥ years.
 * The day is clamped to the month's length, so that 29 February agrees with ageOn.
 */
export function latestBirthForAge(years: number, now: Date): number {
  const year = now.getUTCFullYear() - years;
  const month = now.getUTCMonth();
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(now.getUTCDate(), daysInMonth));
}

/** The UTC year of a birth date: what a worker document's birthYear holds and the age filters compare it with. */
export const yearOfBirth = (birthTs: number): number => new Date(birthTs).getUTCFullYear();

export function vacancyDocument(vacancy: VacancyForIndex): VacancyDocument {
  const fields = vacancyFields(vacancy);
  return { ...fields, ranked: packed(fields, VACANCY_RANKING_FIELDS) };
}

function vacancyFields(vacancy: VacancyForIndex): Omit<VacancyDocument, typeof RANKED> {
  const occupation = vacancy.occupationCode ? occupationByCode(vacancy.occupationCode) : undefined;
  const wageUnit = vacancy.wageUnit ?? "month";
  // A range given by one bound only is that single figure.
  const wageMin = vacancy.wageMin ?? vacancy.wageMax ?? null;
  const wageMax = vacancy.wageMax ?? vacancy.wageMin ?? null;
  const hasGeo = vacancy.latitude != null && vacancy.longitude != null;
  return {
    id: vacancy.id,
    title: vacancy.title,
    description: vacancy.description ?? null,
    employerName: vacancy.employerName ?? null,
    employerKind: vacancy.employerKind ?? null,
    occupationCode: occupation?.code ?? null,
    occupationMid: occupation ? midCategory(occupation.code) : null,
    occupationName: occupation?.name ?? null,
    occupationAliases: occupation?.aliases ?? [],
    ...regionLevels(vacancy.regionCode),
    anywhereIn: vacancy.anywhereInRegion && vacancy.regionCode && vacancy.regionCode.length < 6 ? vacancy.regionCode : null,
    placeName: vacancy.regionCode && vacancy.regionCode.length < 6 ? (vacancy.placeName ?? null) : null,
    wageUnit,
    wageMin,
    wageMax,
    wageMonthlyMin: monthlyWage(wageMin, wageUnit),
    wageMonthlyMax: monthlyWage(wageMax, wageUnit),
    ageMin: vacancy.ageMin ?? null,
    ageMax: vacancy.ageMax ?? null,
    sex: vacancy.sex ?? "any",
    housing: vacancy.housing === true,
    status: vacancy.status,
    deadlineTs: timestamp(vacancy.deadline),
    ...(hasGeo ? { _geo: { lat: vacancy.latitude!, lng: vacancy.longitude! } } : {}),
  };
}

export function workerFacts(worker: WorkerProfile): WorkerFacts {
  const wishedOccupations = [...(worker.wishedOccupations ?? [])];
  return {
    id: worker.id,
    ...regionLevels(worker.homeRegionCode),
    workRange: worker.workRange ?? "homeCounty",
    birthTs: birthTimestamp(worker.birthDate),
    sex: worker.sex ?? null,
    wishedOccupations,
    wishedMids: [...new Set(wishedOccupations.map(midCategory))],
    wageFloor: worker.wageFloor ?? null,
    categories: [...(worker.categories ?? [])],
  };
}

export function workerDocument(worker: WorkerForIndex): WorkerDocument {
  const fields = {
    ...workerFacts(worker),
    employmentStatus: worker.employmentStatus,
    optedOut: worker.optedOut,
    pushedBefore: worker.pushedBefore,
    payFloor: worker.wageFloor ?? ASSUMED_WAGE_FLOOR,
  };
  const birthYear = fields.birthTs === null ? null : yearOfBirth(fields.birthTs);
  return { ...fields, birthYear, ranked: packed(fields, WORKER_RANKING_FIELDS) };
}
