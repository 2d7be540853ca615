// Worker → jobs and vacancy → candidates.
//
// Two steps. Hard constraints (open, not past the deadline, age, sex, place) are Meilisearch filters,
// so no match can break one. A few filtered searches (POOL_SIZES) then fetch a candidate pool: each
// tier best-first (the wished occupation, the related ones, the neighbourhood, any), and beside
// them what the ranking favours that the engine's order cannot show; the pool is ranked here in JS
// by the weights below, which a coordinator can read and argue with. Each match carries a one-line
// reason made only of facts about that pair.
import type { MultiSearchQuery } from "meilisearch";
import {
  ASSUMED_WAGE_FLOOR,
  RANKED,
  VACANCY_RANKING_FIELDS,
  WORKER_RANKING_FIELDS,
  ageOn,
  latestBirthForAge,
  unpacked,
  vacancyDocument,
  yearOfBirth,
  workerFacts,
  type RankedVacancy,
  type RankedWorker,
  type RegionLevels,
  type VacancyDocument,
  type VacancyForIndex,
  type WorkerFacts,
  type WorkerProfile,
} from "./documents.ts";
import type { MatchingIndexes } from "./indexes.ts";
import { midCategory, occupationByCode } from "./occupations.ts";

/** A "不合适" the worker gave on a job shown before. */
export interface Feedback {
  occupationCode?: string;
  employerKind?: string;
  reason: string;
}

export interface MatchJobsOptions {
  limit: number;
  now: Date;
  /** Vacancy ids already shown or applied to. */
  exclude?: readonly string[];
  feedback?: readonly Feedback[];
}

export interface MatchCandidatesOptions {
  limit: number;
  now: Date;
  /** Worker ids already pushed this vacancy or already applied. */
  exclude?: readonly string[];
}

export interface JobMatch {
  vacancyId: string;
  score: number;
  reason: string;
}

export interface CandidateMatch {
  workerId: string;
  score: number;
  reason: string;
}

/**
 * Points a match earns, summed. The wished occupation comes first: its tiers are spaced wider than
 * everything else can add or take away (at most +55, at least −20), so for a worker of up to five
 * wishes every exact job outranks every job of the same 中类, and those every other job — the top of
 * the list is what the worker asked for whenever such jobs exist. Only "不合适" may cross the tiers.
 * Within a tier, nearness decides for those who stay home, housing for those who go far, then pay.
 */
export const WEIGHTS = {
  wish: {
    /** The worker's first wish; each later wish in their list earns `laterWishStep` less. */
    exact: 200,
    laterWishStep: 5,
    /** Same 中类 (e.g. 4-10 居民服务): related work the worker can likely do. */
    related: 100,
    /** The worker named no occupation (matters only among candidates): open to work, but unproven. */
    noWish: 50,
    other: 0,
  },
  /** How close the job is to home, for workers who stay in their county. */
  nearnessStayingHome: { village: 30, township: 20, county: 10, province: 0, elsewhere: 0 },
  /** For workers ready to leave the county, nearness only breaks ties; housing matters more. */
  nearnessGoingFar: { village: 12, township: 10, county: 8, province: 4, elsewhere: 0 },
  /** Housing (包吃住) offered by a job outside the home county, for a worker who will go that far. */
  housingAway: 15,
  pay: {
    /** The best the job pays (monthly estimate) is below the worker's floor. */
    belowFloor: -20,
    /** Otherwise one point per this many yuan that the job's lower bound exceeds the floor… */
    yuanPerPoint: 300,
    /** …up to this many points. */
    maxAboveFloor: 10,
    /** The floor assumed for a worker who named none. */
    assumedFloor: ASSUMED_WAGE_FLOOR,
  },
  /** Workshops and public-welfare posts, for carers, the disabled and workers aged 50+ (cannot go far). */
  nearbyEmployerForHomebound: 15,
  /**
   * Per "不合适": the job was of this occupation (drops below the 中类 tier), of this 中类, or of this kind
   * of employer; a reason about distance lowers the jobs outside the home county instead.
   */
  feedback: { sameOccupation: -150, sameMid: -75, sameEmployerKind: -20, outsideHomeCounty: -20 },
  /**
   * Candidates only, the policy's promise that every worker gets a matched job pushed: within a wish
   * tier it outweighs any difference of nearness.
   */
  neverPushed: 40,
} as const;

/** One SMS line. */
export const REASON_MAX_LENGTH = 20;

/** Workers at this age or older are taken as unable to go far, like carers and the disabled. */
const HOMEBOUND_AGE = 50;
const HOMEBOUND_CATEGORIES = new Set(["carer", "disability"]);

/** A "不合适" reason about distance: the place was wrong, not the work. */
const PLACE_REASON = /远|路|离家|通勤|地方|地点/;

// ---------------------------------------------------------------------------------------------------
// Hard constraints as Meilisearch filters. Meilisearch evaluates a filter's conditions in order, each
// within what those before it left, so the most selective come first (a pool's own condition, the
// place) and the ranges and the broad flags (open, seeking, not opted out) last: a candidate search
// took a fifth longer the other way round.

const quoted = (value: string) => JSON.stringify(value);
const list = (values: readonly string[]) => `[${values.map(quoted).join(", ")}]`;

function excluding(ids: readonly string[] | undefined): string[] {
  return ids && ids.length > 0 ? [`NOT id IN ${list(ids)}`] : [];
}

/**
 * What every job shown to this worker must satisfy; null when the worker cannot be placed at all
 * (their range is bounded by a home region we do not know). An unknown age or sex can only meet
 * vacancies that set no such requirement.
 */
function jobConstraints(worker: WorkerFacts, now: Date, exclude: readonly string[] | undefined): string[] | null {
  const place =
    worker.workRange === "anywhere"
      ? []
      : worker.workRange === "province"
        ? worker.provinceCode && [`provinceCode = ${quoted(worker.provinceCode)}`]
        : worker.countyCode && [stayingHome(worker)];
  if (!place) return null;
  const age = worker.birthTs === null ? null : ageOn(worker.birthTs, now);
  // A missing limit meets no comparison, so "NOT past it" keeps the vacancies without one: the same
  // set as "IS NULL OR within it" for one lookup fewer (about a millisecond over a worker's pools).
  return [
    ...place,
    worker.sex ? `sex IN ["any", ${quoted(worker.sex)}]` : `sex = "any"`,
    age === null ? `ageMin IS NULL AND ageMax IS NULL` : `NOT ageMin > ${age} AND NOT ageMax < ${age}`,
    `NOT deadlineTs <= ${now.getTime()}`,
    `status = "open"`,
    ...excluding(exclude),
  ];
}

/**
 * The jobs someone staying in their county can take: those in it, and those that may be anywhere in
 * its city or province (a job board's "合肥市内均可"). A job placed only at a city is not one of them:
 * it may be at the far end of the city.
 */
function stayingHome(worker: WorkerFacts): string {
  const around = [worker.cityCode, worker.provinceCode].filter((code): code is string => Boolean(code));
  return `(countyCode = ${quoted(worker.countyCode!)} OR anywhereIn IN ${list(around)})`;
}

/** What every candidate for this vacancy must satisfy: wants work, accepts pushes, fits, can get there. */
function candidateConstraints(vacancy: VacancyDocument, now: Date, exclude: readonly string[] | undefined): string[] {
  const reachable = [`workRange = "anywhere"`];
  if (vacancy.provinceCode) reachable.push(`(workRange = "province" AND provinceCode = ${quoted(vacancy.provinceCode)})`);
  if (vacancy.countyCode) reachable.push(`(workRange = "homeCounty" AND countyCode = ${quoted(vacancy.countyCode)})`);
  else if (vacancy.anywhereIn) reachable.push(`(workRange = "homeCounty" AND ${vacancy.anywhereIn.length === 4 ? "cityCode" : "provinceCode"} = ${quoted(vacancy.anywhereIn)})`);
  return [
    `(${reachable.join(" OR ")})`,
    ...(vacancy.sex !== "any" ? [`sex = ${quoted(vacancy.sex)}`] : []),
    // By the year only, which lets in some born in the boundary years: fitsAgeLimits leaves them out
    // of the hits. A worker of unknown birth date has no birthYear and so fails any age limit.
    ...(vacancy.ageMin !== null ? [`birthYear <= ${yearOfBirth(latestBirthForAge(vacancy.ageMin, now))}`] : []),
    ...(vacancy.ageMax !== null ? [`birthYear >= ${yearOfBirth(latestBirthForAge(vacancy.ageMax + 1, now))}`] : []),
    `employmentStatus = "seeking"`,
    `optedOut = false`,
    ...excluding(exclude),
  ];
}

/** The vacancy's age limits, to the day; a worker of unknown birth date meets none. */
function fitsAgeLimits(vacancy: VacancyDocument, birthTs: number | null, now: Date): boolean {
  if (vacancy.ageMin === null && vacancy.ageMax === null) return true;
  if (birthTs === null) return false;
  const age = ageOn(birthTs, now);
  return (vacancy.ageMin === null || age >= vacancy.ageMin) && (vacancy.ageMax === null || age <= vacancy.ageMax);
}

function isOpen(vacancy: VacancyDocument, now: Date): boolean {
  return vacancy.status === "open" && (vacancy.deadlineTs === null || vacancy.deadlineTs > now.getTime());
}

// ---------------------------------------------------------------------------------------------------
// Candidate pools: each search fetches one tier of the ranking in full, up to its size, so that the
// best matches are always in the pool rather than left to the engine's order. Within a pool the
// engine sorts by what ranking prefers next: pay (and housing, for those who go far) for jobs;
// never-pushed workers, then the lowest wage floors (whom the job's pay earns the most points), for
// candidates. The 中类 pool leaves out the exact codes, so that its places go to related jobs.

interface Pool {
  filter: string[];
  size: number;
  sort: string[];
}

/**
 * How many each pool fetches, before it is raised to the number of matches asked for. The ranking
 * only sees what the pools bring, so beside each tier best-first by the engine's sort there are
 * pools for what the ranking adds points to that the sort cannot show: the home province, a fitting
 * wage floor, workshops for the homebound, no wish at all. bench:matching measures what these sizes
 * miss against pools ten times larger (and changes them to do so).
 */
export const POOL_SIZES = {
  jobs: { wish: 30, wishInProvince: 60, wishForHomebound: 40, related: 20, nearby: 20, any: 60 },
  candidates: { wishInCounty: 20, wishInProvincePaid: 30, wish: 100, related: 20, noWish: 60, nearby: 10, any: 10 },
};

function jobPools(worker: WorkerFacts, options: MatchJobsOptions): Pool[] {
  const constraints = jobConstraints(worker, options.now, options.exclude);
  if (!constraints) return [];
  const sizes = POOL_SIZES.jobs;
  const staysHome = worker.workRange === "homeCounty";
  // Pay earns points by its lower bound (payPoints), so that is the order: sorting by the upper bound
  // filled small pools with wide ranges ("3000-12000") ahead of better-paid narrow ones.
  const sort = staysHome ? ["wageMonthlyMin:desc"] : ["housing:desc", "wageMonthlyMin:desc"];
  const pool = (extra: string[], size: number): Pool => ({
    filter: [...extra, ...constraints],
    size: Math.max(size, options.limit),
    sort,
  });
  const wishes = worker.wishedOccupations;
  const wished = `occupationCode IN ${list(wishes)}`;
  // Everything a stay-home worker sees is in the county already; their neighbourhood is the township.
  const nearby = staysHome
    ? worker.townshipCode && `townshipCode = ${quoted(worker.townshipCode)}`
    : worker.countyCode && `countyCode = ${quoted(worker.countyCode)}`;
  return [
    ...(wishes.length > 0
      ? [
          pool([wished], sizes.wish),
          ...(!staysHome && worker.provinceCode ? [pool([wished, `provinceCode = ${quoted(worker.provinceCode)}`], sizes.wishInProvince)] : []),
          ...(isHomebound(worker, options.now) ? [pool([wished, `employerKind IN ["workshop", "publicWelfare"]`], sizes.wishForHomebound)] : []),
          pool([`occupationMid IN ${list(worker.wishedMids)}`, `NOT ${wished}`], sizes.related),
        ]
      : []),
    ...(nearby ? [pool([nearby], sizes.nearby)] : []),
    pool([], sizes.any),
  ];
}

function candidatePools(vacancy: VacancyDocument, options: MatchCandidatesOptions): Pool[] {
  if (!isOpen(vacancy, options.now)) return [];
  const constraints = candidateConstraints(vacancy, options.now, options.exclude);
  const sizes = POOL_SIZES.candidates;
  const pool = (extra: string[], size: number): Pool => ({
    filter: [...extra, ...constraints],
    size: Math.max(size, options.limit),
    sort: ["pushedBefore:asc", "payFloor:asc"],
  });
  const code = vacancy.occupationCode;
  const wished = code && `wishedOccupations = ${quoted(code)}`;
  // A worker whose floor is above the best this job pays loses points; one with no floor does not.
  const paid = vacancy.wageMonthlyMax !== null && `NOT wageFloor > ${vacancy.wageMonthlyMax}`;
  const nearby = vacancy.townshipCode
    ? `townshipCode = ${quoted(vacancy.townshipCode)}`
    : vacancy.countyCode && `countyCode = ${quoted(vacancy.countyCode)}`;
  return [
    ...(wished && vacancy.occupationMid
      ? [
          ...(vacancy.countyCode ? [pool([wished, `countyCode = ${quoted(vacancy.countyCode)}`], sizes.wishInCounty)] : []),
          ...(paid && vacancy.provinceCode ? [pool([wished, `provinceCode = ${quoted(vacancy.provinceCode)}`, paid], sizes.wishInProvincePaid)] : []),
          pool([wished], sizes.wish),
          pool([`wishedMids = ${quoted(vacancy.occupationMid)}`, `NOT ${wished}`], sizes.related),
        ]
      : []),
    pool([`wishedOccupations IS EMPTY`], sizes.noWish),
    ...(nearby ? [pool([nearby], sizes.nearby)] : []),
    pool([], sizes.any),
  ];
}

function asQueries(indexUid: string, pools: Pool[]): MultiSearchQuery[] {
  return pools.map((pool) => ({
    indexUid,
    q: "",
    filter: pool.filter,
    sort: pool.sort,
    limit: pool.size,
    attributesToRetrieve: [RANKED],
  }));
}

/** The multi-search behind matchJobsForWorker (empty when the worker cannot be placed); for benchmarks. */
export function jobSearchQueries(indexes: MatchingIndexes, worker: WorkerProfile, options: MatchJobsOptions): MultiSearchQuery[] {
  return asQueries(indexes.vacancies.uid, jobPools(workerFacts(worker), options));
}

/** The multi-search behind matchCandidatesForVacancy (empty when the vacancy is not open); for benchmarks. */
export function candidateSearchQueries(
  indexes: MatchingIndexes,
  vacancy: VacancyForIndex,
  options: MatchCandidatesOptions,
): MultiSearchQuery[] {
  return asQueries(indexes.workers.uid, candidatePools(vacancyDocument(vacancy), options));
}

/**
 * What a search costs Meilisearch, in hits: each hit is a document read and its packed field written
 * out (about 8 µs here), and each search first evaluates its filter, which is most of a match (about
 * fifty hits' worth).
 */
const searchCost = (query: MultiSearchQuery) => (query.limit ?? 20) + 50;

/**
 * How many requests a match's searches go in at once. Meilisearch runs the searches of one
 * multi-search one after another, on one thread, and as many requests side by side as it has cores,
 * queueing the rest: with three parts on two cores the third fills in behind whichever finishes
 * first, which evens out the cost estimate's misses (candidates p95 7.5 → 7.1 ms against two parts,
 * side by side on bench:matching's data).
 */
const PARTS = 3;

/** The searches in parts of about equal cost, largest first into the lightest part. */
function inParts(queries: MultiSearchQuery[]): MultiSearchQuery[][] {
  const parts = Array.from({ length: PARTS }, () => ({ queries: [] as MultiSearchQuery[], cost: 0 }));
  for (const query of [...queries].sort((a, b) => searchCost(b) - searchCost(a))) {
    const lightest = parts.reduce((lightest, part) => (part.cost < lightest.cost ? part : lightest));
    lightest.queries.push(query);
    lightest.cost += searchCost(query);
  }
  return parts.map((part) => part.queries).filter((part) => part.length > 0);
}

/** The pools' hits, each document once; the order in which they arrive does not matter: the ranking sorts them all. */
async function fetchPool<T extends { id: string }>(indexes: MatchingIndexes, queries: MultiSearchQuery[], fields: readonly (keyof T)[]): Promise<T[]> {
  if (queries.length === 0) return [];
  const answers = await Promise.all(inParts(queries).map((part) => indexes.client.multiSearch({ queries: part })));
  const byId = new Map<string, T>();
  for (const { results } of answers) {
    for (const result of results) {
      for (const hit of result.hits) {
        const document = unpacked<T>(hit[RANKED] as string, fields);
        byId.set(document.id, document);
      }
    }
  }
  return [...byId.values()];
}

// ---------------------------------------------------------------------------------------------------
// Ranking

type WishFit = "exact" | "related" | "noWish" | "other";
type Nearness = "village" | "township" | "county" | "province" | "elsewhere";

function wishFit(worker: WorkerFacts, occupationCode: string | null): WishFit {
  if (worker.wishedOccupations.length === 0) return "noWish";
  if (occupationCode === null) return "other";
  if (worker.wishedOccupations.includes(occupationCode)) return "exact";
  return worker.wishedMids.includes(midCategory(occupationCode)) ? "related" : "other";
}

function wishPoints(worker: WorkerFacts, fit: WishFit, occupationCode: string | null): number {
  if (fit !== "exact") return WEIGHTS.wish[fit];
  return WEIGHTS.wish.exact - WEIGHTS.wish.laterWishStep * worker.wishedOccupations.indexOf(occupationCode!);
}

const LEVELS = [
  ["village", "villageCode"],
  ["township", "townshipCode"],
  ["county", "countyCode"],
  ["province", "provinceCode"],
] as const;

/** How close a job is to a worker's home; null when either place is unknown. */
function nearness(home: RegionLevels, place: RegionLevels): Nearness | null {
  if (!home.provinceCode || !place.provinceCode) return null;
  for (const [level, key] of LEVELS) if (home[key] !== null && home[key] === place[key]) return level;
  return "elsewhere";
}

const withinCounty = (near: Nearness | null) => near === "village" || near === "township" || near === "county";

function isHomebound(worker: WorkerFacts, now: Date): boolean {
  return (
    worker.categories.some((category) => HOMEBOUND_CATEGORIES.has(category)) ||
    (worker.birthTs !== null && ageOn(worker.birthTs, now) >= HOMEBOUND_AGE)
  );
}

function payPoints(wageFloor: number | null, vacancy: RankedVacancy): number {
  if (vacancy.wageMonthlyMin === null || vacancy.wageMonthlyMax === null) return 0;
  if (wageFloor !== null && vacancy.wageMonthlyMax < wageFloor) return WEIGHTS.pay.belowFloor;
  const above = vacancy.wageMonthlyMin - (wageFloor ?? WEIGHTS.pay.assumedFloor);
  return Math.min(WEIGHTS.pay.maxAboveFloor, Math.max(0, above / WEIGHTS.pay.yuanPerPoint));
}

interface PairFit {
  points: number;
  wish: WishFit;
  near: Nearness | null;
}

/** The points a worker and a job earn together, the same in both directions. */
function pairFit(worker: WorkerFacts, vacancy: RankedVacancy, now: Date): PairFit {
  const wish = wishFit(worker, vacancy.occupationCode);
  const near = nearness(worker, vacancy);
  const staysHome = worker.workRange === "homeCounty";
  const nearnessWeights = staysHome ? WEIGHTS.nearnessStayingHome : WEIGHTS.nearnessGoingFar;
  const homeboundFit =
    (vacancy.employerKind === "workshop" || vacancy.employerKind === "publicWelfare") && isHomebound(worker, now);
  const points =
    wishPoints(worker, wish, vacancy.occupationCode) +
    (near ? nearnessWeights[near] : 0) +
    (!staysHome && vacancy.housing && !withinCounty(near) ? WEIGHTS.housingAway : 0) +
    payPoints(worker.wageFloor, vacancy) +
    (homeboundFit ? WEIGHTS.nearbyEmployerForHomebound : 0);
  return { points, wish, near };
}

function feedbackPoints(worker: WorkerFacts, vacancy: RankedVacancy, feedback: readonly Feedback[]): number {
  let points = 0;
  for (const item of feedback) {
    if (PLACE_REASON.test(item.reason)) {
      if (!withinCounty(nearness(worker, vacancy))) points += WEIGHTS.feedback.outsideHomeCounty;
      continue;
    }
    if (item.occupationCode && vacancy.occupationCode === item.occupationCode) points += WEIGHTS.feedback.sameOccupation;
    else if (item.occupationCode && vacancy.occupationMid === midCategory(item.occupationCode)) points += WEIGHTS.feedback.sameMid;
    if (item.employerKind && vacancy.employerKind === item.employerKind) points += WEIGHTS.feedback.sameEmployerKind;
  }
  return points;
}

const byScoreThenId = (a: { score: number; id: string }, b: { score: number; id: string }) =>
  b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const rounded = (score: number) => Math.round(score * 10) / 10;

// ---------------------------------------------------------------------------------------------------
// Reasons: short facts, most telling first, as many as fit one SMS line.

const PLACE_TEXT: Record<Nearness, string> = { village: "同村", township: "同乡镇", county: "县内", province: "省内", elsewhere: "外省" };
const PAY_PREFIX = { month: "月薪", day: "日薪", hour: "时薪" } as const;
const EMPLOYER_TEXT: Partial<Record<string, string>> = { workshop: "帮扶车间", base: "帮扶基地", publicWelfare: "公益岗" };

const labelCache = new Map<string, string | null>();

/** A short everyday name of an occupation for one SMS line: its name, or else a short alias; null if none is short. */
export function occupationLabel(code: string): string | null {
  if (!labelCache.has(code)) {
    const occupation = occupationByCode(code);
    const short = (text: string) => /^\p{Script=Han}{2,6}$/u.test(text);
    labelCache.set(code, occupation ? [occupation.name, ...occupation.aliases].find(short) ?? null : null);
  }
  return labelCache.get(code)!;
}

/**
 * A job as a push or a list line names it: the employer's own title when it is a plain short name
 * (竹编工, 电焊工, 竹编 草编: the details the worker opens say the same), else the occupation's everyday name
 * (保洁员 for "【急聘】商场保洁 月入过万"), else the title cut to fit.
 */
export function jobName(vacancy: { title: string; occupationCode: string | null }): string {
  const title = vacancy.title.trim().replace(/\s+/gu, " ");
  // Words may be set apart by one space, 、 or / (竹编 草编, 普工/包装工): still a plain name.
  if (title.length >= 2 && title.length <= 8 && /^[\p{Script=Han}A-Za-z0-9]+(?:[ 、/][\p{Script=Han}A-Za-z0-9]+)*$/u.test(title)) return title;
  return (vacancy.occupationCode && occupationLabel(vacancy.occupationCode)) || title.slice(0, 8);
}

/** The pay as the employer stated it, longest form first; a piece rate is just 计件. */
function payTexts(vacancy: RankedVacancy): string[] {
  if (vacancy.wageUnit === "piece") return ["计件"];
  if (vacancy.wageMin === null || vacancy.wageMax === null) return [];
  const prefix = PAY_PREFIX[vacancy.wageUnit];
  if (vacancy.wageMin === vacancy.wageMax) return [`${prefix}${vacancy.wageMin}`];
  return [`${prefix}${vacancy.wageMin}-${vacancy.wageMax}`, `${prefix}${vacancy.wageMin}起`];
}

/** Each part lists its wordings, longest first; a part that fits in none is left out. */
function oneLine(parts: (string | null | undefined | string[])[]): string {
  const kept: string[] = [];
  for (const part of parts) {
    const wordings = Array.isArray(part) ? part : part ? [part] : [];
    const fitting = wordings.find((wording) => [...kept, wording].join("·").length <= REASON_MAX_LENGTH);
    if (fitting) kept.push(fitting);
  }
  return kept.join("·");
}

/** The job's occupation leads when it is what the worker wished for, and stands alone when nothing else is known. */
function jobReason(fit: PairFit, vacancy: RankedVacancy): string {
  const label = vacancy.occupationCode ? occupationLabel(vacancy.occupationCode) : null;
  const wished = fit.wish === "exact" || fit.wish === "related";
  const facts = oneLine([
    wished ? label : null,
    // A job placed only in a city or province: its name says more than "省内" (普工·合肥市·月薪4000-6000).
    vacancy.placeName ?? (fit.near && PLACE_TEXT[fit.near]),
    payTexts(vacancy),
    vacancy.housing ? "包住" : null,
    vacancy.employerKind ? EMPLOYER_TEXT[vacancy.employerKind] : null,
  ]);
  return facts || (label ?? "");
}

function candidateReason(fit: PairFit, worker: RankedWorker, vacancy: RankedVacancy, now: Date): string {
  const meetsFloor = worker.wageFloor !== null && vacancy.wageMonthlyMin !== null && vacancy.wageMonthlyMin >= worker.wageFloor;
  return oneLine([
    fit.wish === "exact" ? "想做此类工作" : fit.wish === "related" ? "想做相近工作" : null,
    fit.near && PLACE_TEXT[fit.near],
    meetsFloor ? "工资达期望" : null,
    worker.pushedBefore ? null : "未推送过",
    worker.birthTs !== null ? `${ageOn(worker.birthTs, now)}岁` : null,
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Public API

/** The best open jobs for a worker, best first, each with its reason. */
export async function matchJobsForWorker(
  indexes: MatchingIndexes,
  profile: WorkerProfile,
  options: MatchJobsOptions,
): Promise<JobMatch[]> {
  const worker = workerFacts(profile);
  const queries = asQueries(indexes.vacancies.uid, jobPools(worker, options));
  const pool = await fetchPool<RankedVacancy>(indexes, queries, VACANCY_RANKING_FIELDS);
  const feedback = options.feedback ?? [];
  return pool
    .map((vacancy) => {
      const fit = pairFit(worker, vacancy, options.now);
      return { id: vacancy.id, vacancy, fit, score: fit.points + feedbackPoints(worker, vacancy, feedback) };
    })
    .sort(byScoreThenId)
    .slice(0, options.limit)
    .map(({ vacancy, fit, score }) => ({ vacancyId: vacancy.id, score: rounded(score), reason: jobReason(fit, vacancy) }));
}

/** The best candidates for an open vacancy, best first; workers never pushed a job before come early. */
export async function matchCandidatesForVacancy(
  indexes: MatchingIndexes,
  input: VacancyForIndex,
  options: MatchCandidatesOptions,
): Promise<CandidateMatch[]> {
  const vacancy = vacancyDocument(input);
  const queries = asQueries(indexes.workers.uid, candidatePools(vacancy, options));
  const pool = await fetchPool<RankedWorker>(indexes, queries, WORKER_RANKING_FIELDS);
  // A pool that came back full may hold a few who fail the exact age: a match asking for as many
  // candidates as there are can come back that many short, which the pools' sampling allows anyway.
  return pool
    .filter((worker) => fitsAgeLimits(vacancy, worker.birthTs, options.now))
    .map((worker) => {
      const fit = pairFit(worker, vacancy, options.now);
      return { id: worker.id, worker, fit, score: fit.points + (worker.pushedBefore ? 0 : WEIGHTS.neverPushed) };
    })
    .sort(byScoreThenId)
    .slice(0, options.limit)
    .map(({ worker, fit, score }) => ({ workerId: worker.id, score: rounded(score), reason: candidateReason(fit, worker, vacancy, options.now) }));
}
