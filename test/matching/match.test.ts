// Matching against the real Meilisearch: random workers and vacancies checked in plain JS, then
// small hand-made cases for the order a coordinator expects.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { EmployerKind, Sex, SexRequirement, VacancyForIndex, WageUnit, WorkerForIndex, WorkRange } from "../../matching/documents.ts";
import { createMatchingIndexes, type MatchingIndexes } from "../../matching/indexes.ts";
import {
  matchCandidatesForVacancy,
  matchJobsForWorker,
  occupationLabel,
  REASON_MAX_LENGTH,
} from "../../matching/match.ts";
import { nodeHttpClient } from "../../matching/node-http-client.ts";
import { midCategory } from "../../matching/occupations.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { seededRandom } from "../support/seeded.ts";

const NOW = new Date("2026-03-15T04:00:00Z");
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------
// Random data, seeded

const random = seededRandom(20260315);
const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

const COUNTIES = ["350622", "350628", "350624", "360721"];
const TOWNSHIPS = COUNTIES.flatMap((county) => [`${county}100`, `${county}101`]);
const VILLAGES = TOWNSHIPS.flatMap((township) => [`${township}201`, `${township}202`]);
const OCCUPATIONS = ["4-10-01-06", "4-10-01-05", "4-09-08-01", "4-07-05-01", "4-02-07-08", "4-02-06-02", "6-31-99-00", "4-03-02-01"];
const KINDS: EmployerKind[] = ["company", "workshop", "base", "cooperative", "broker", "publicWelfare"];

/** Cities and provinces, as job boards place jobs, with the names the index is given for them. */
const COARSE_PLACES: Record<string, string> = { "3506": "漳州市", "3507": "南平市", "3607": "赣州市", "35": "福建省", "36": "江西省" };

function randomRegion(): string | null {
  const roll = random();
  return roll < 0.4 ? pick(VILLAGES) : roll < 0.55 ? pick(TOWNSHIPS) : roll < 0.78 ? pick(COUNTIES) : roll < 0.94 ? pick(Object.keys(COARSE_PLACES)) : null;
}

function placed(regionCode: string | null): Pick<VacancyForIndex, "regionCode" | "anywhereInRegion" | "placeName"> {
  const coarse = regionCode !== null && regionCode.length < 6;
  return { regionCode, anywhereInRegion: coarse ? chance(0.5) : chance(0.1), placeName: coarse ? COARSE_PLACES[regionCode] : null };
}

function randomVacancy(id: string): VacancyForIndex {
  const ageMin = chance(0.4) ? null : pick([16, 18, 20, 30, 35]);
  const ageMax = chance(0.4) ? null : pick([35, 40, 45, 50, 55, 60]).valueOf();
  const wageUnit: WageUnit = pick(["month", "month", "month", "month", "day", "day", "hour", "piece"]);
  const base = { month: 3000, day: 150, hour: 20, piece: 2 }[wageUnit];
  const wageMin = Math.round(base * (0.7 + random()));
  const deadlineRoll = random();
  return {
    id,
    title: "岗位",
    occupationCode: chance(0.9) ? pick(OCCUPATIONS) : null,
    employerKind: chance(0.9) ? pick(KINDS) : null,
    ...placed(randomRegion()),
    wageUnit,
    wageMin: chance(0.9) ? wageMin : null,
    wageMax: chance(0.7) ? Math.round(wageMin * 1.3) : null,
    ageMin,
    ageMax: ageMin !== null && ageMax !== null && ageMax < ageMin ? null : ageMax,
    sex: pick<SexRequirement>(["any", "any", "any", "any", "female", "male"]),
    housing: chance(0.1) ? null : chance(0.35),
    status: pick(["open", "open", "open", "open", "open", "closed", "filled", "draft"] as const),
    deadline:
      deadlineRoll < 0.5 ? null : deadlineRoll < 0.65 ? new Date(NOW.getTime() - between(1, 90) * DAY) : deadlineRoll < 0.7 ? NOW : new Date(NOW.getTime() + between(0, 90) * DAY + 1),
  };
}

/** Birthdays cluster on the day of NOW so that age limits are tested at their edges. */
function randomBirthDate(): Date | null {
  if (chance(0.05)) return null;
  if (chance(0.4)) return new Date(Date.UTC(2026 - pick([16, 18, 20, 30, 35, 40, 45, 50, 55, 60, 61]), 2, 15 + between(-1, 1)));
  return new Date(Date.UTC(between(1962, 2009), between(0, 11), between(1, 28)));
}

function randomWorker(id: string): WorkerForIndex {
  const roll = random();
  return {
    id,
    birthDate: randomBirthDate(),
    sex: chance(0.05) ? null : pick<Sex>(["female", "male"]),
    homeRegionCode: roll < 0.8 ? pick(VILLAGES) : roll < 0.9 ? pick(TOWNSHIPS) : roll < 0.95 ? pick(COUNTIES) : null,
    workRange: chance(0.1) ? null : pick<WorkRange>(["homeCounty", "province", "anywhere"]),
    wishedOccupations: [...new Set(Array.from({ length: between(0, 3) }, () => pick(OCCUPATIONS)))],
    wageFloor: chance(0.3) ? null : between(20, 60) * 100,
    categories: chance(0.15) ? [pick(["carer", "disability"])] : [],
    employmentStatus: pick(["seeking", "seeking", "seeking", "notSeeking", "employedLocal"] as const),
    optedOut: chance(0.1),
    pushedBefore: chance(0.5),
  };
}

// ---------------------------------------------------------------------------------------------------
// The rules, written again in plain JS

function age(birthDate: Date, now: Date): number {
  const monthDay = (date: Date) => date.toISOString().slice(5, 10);
  return now.getUTCFullYear() - birthDate.getUTCFullYear() - (monthDay(now) < monthDay(birthDate) ? 1 : 0);
}

const sameRegion = (a: string | null | undefined, b: string | null | undefined, digits: number) =>
  !!a && !!b && a.length >= digits && b.length >= digits && a.slice(0, digits) === b.slice(0, digits);

/** The first hard constraint a pair breaks, or null. */
function brokenConstraint(worker: WorkerForIndex, vacancy: VacancyForIndex, now: Date): string | null {
  if (vacancy.status !== "open") return "status";
  if (vacancy.deadline && new Date(vacancy.deadline).getTime() <= now.getTime()) return "deadline";
  const workerAge = worker.birthDate ? age(new Date(worker.birthDate), now) : null;
  if (vacancy.ageMin != null && (workerAge === null || workerAge < vacancy.ageMin)) return "ageMin";
  if (vacancy.ageMax != null && (workerAge === null || workerAge > vacancy.ageMax)) return "ageMax";
  if ((vacancy.sex ?? "any") !== "any" && vacancy.sex !== worker.sex) return "sex";
  const range = worker.workRange ?? "homeCounty";
  // A job anywhere in the city or province around the worker's county is one they can take from home.
  const anywhereAround = !!vacancy.anywhereInRegion && !!vacancy.regionCode && vacancy.regionCode.length < 6 && !!worker.homeRegionCode?.startsWith(vacancy.regionCode);
  if (range === "homeCounty" && !sameRegion(worker.homeRegionCode, vacancy.regionCode, 6) && !anywhereAround) return "county";
  if (range === "province" && !sameRegion(worker.homeRegionCode, vacancy.regionCode, 2)) return "province";
  return null;
}

const fitsWish = (worker: WorkerForIndex, vacancy: VacancyForIndex) =>
  !!vacancy.occupationCode && (worker.wishedOccupations ?? []).some((code) => midCategory(code) === midCategory(vacancy.occupationCode!));

function placeText(worker: WorkerForIndex, vacancy: VacancyForIndex): string | null {
  const home = worker.homeRegionCode;
  const place = vacancy.regionCode;
  if (!home || !place) return null;
  for (const [digits, text] of [[12, "同村"], [9, "同乡镇"], [6, "县内"], [2, "省内"]] as const) {
    if (sameRegion(home, place, digits)) return text;
  }
  return "外省";
}

/** Every fact of a job reason, checked against the vacancy; answers the parts that are not true. */
function untrueParts(reason: string, worker: WorkerForIndex, vacancy: VacancyForIndex): string[] {
  const wageMin = vacancy.wageMin ?? vacancy.wageMax;
  const wageMax = vacancy.wageMax ?? vacancy.wageMin;
  const unit = vacancy.wageUnit ?? "month";
  const holds = (part: string): boolean => {
    if (part === "包住") return vacancy.housing === true;
    if (part === "计件") return unit === "piece";
    if (part === "帮扶车间") return vacancy.employerKind === "workshop";
    if (part === "帮扶基地") return vacancy.employerKind === "base";
    if (part === "公益岗") return vacancy.employerKind === "publicWelfare";
    if (["同村", "同乡镇", "县内", "省内", "外省"].includes(part)) return placeText(worker, vacancy) === part;
    // A job placed only at a city or province is named by it.
    if (Object.values(COARSE_PLACES).includes(part)) return vacancy.placeName === part;
    const pay = /^([月日时])薪(\d+)(?:-(\d+)|(起))?$/.exec(part);
    if (pay) {
      const [, prefix, low, high, from] = pay;
      const unitOk = { 月: "month", 日: "day", 时: "hour" }[prefix!] === unit;
      if (high) return unitOk && Number(low) === wageMin && Number(high) === wageMax;
      if (from) return unitOk && Number(low) === wageMin && wageMax! > wageMin!;
      return unitOk && Number(low) === wageMin && wageMin === wageMax;
    }
    return !!vacancy.occupationCode && occupationLabel(vacancy.occupationCode) === part;
  };
  return reason.split("·").filter((part) => !holds(part));
}

/** Every fact of a candidate reason, checked against the worker; answers the parts that are not true. */
function untrueCandidateParts(reason: string, worker: WorkerForIndex, vacancy: VacancyForIndex): string[] {
  const wishes = worker.wishedOccupations ?? [];
  const monthlyMin = { month: 1, day: 22, hour: 176, piece: null }[vacancy.wageUnit ?? "month"];
  const holds = (part: string): boolean => {
    if (part === "想做此类工作") return !!vacancy.occupationCode && wishes.includes(vacancy.occupationCode);
    if (part === "想做相近工作") return fitsWish(worker, vacancy) && !wishes.includes(vacancy.occupationCode!);
    if (part === "未推送过") return !worker.pushedBefore;
    if (part === "工资达期望") {
      const wage = vacancy.wageMin ?? vacancy.wageMax;
      return worker.wageFloor != null && wage != null && monthlyMin !== null && wage * monthlyMin >= worker.wageFloor;
    }
    if (["同村", "同乡镇", "县内", "省内", "外省"].includes(part)) return placeText(worker, vacancy) === part;
    const years = /^(\d+)岁$/.exec(part);
    return !!years && !!worker.birthDate && age(new Date(worker.birthDate), NOW) === Number(years[1]);
  };
  return reason.split("·").filter((part) => !holds(part));
}

// ---------------------------------------------------------------------------------------------------

/** Indexes of its own for a describe block, filled with these before its tests and dropped after. */
function indexedWith(vacancies: readonly VacancyForIndex[], workers: readonly WorkerForIndex[]): { indexes: MatchingIndexes } {
  const world = {} as { indexes: MatchingIndexes };
  const http = nodeHttpClient();
  beforeAll(async () => {
    const meili = inject("meili");
    const client = createSearchClient({ url: meili.url, apiKey: meili.masterKey, httpClient: http });
    const indexes = createMatchingIndexes(client, { prefix: `t${randomBytes(4).toString("hex")}_` });
    await indexes.ensureSettings();
    await indexes.waitFor([...(await indexes.upsertVacancies(vacancies)), ...(await indexes.upsertWorkers(workers))]);
    world.indexes = indexes;
  });
  afterAll(async () => {
    await world.indexes.waitFor([await world.indexes.vacancies.delete(), await world.indexes.workers.delete()]);
    http.close();
  });
  return world;
}

describe("matching", () => {
  const vacancies = Array.from({ length: 400 }, (_, i) => randomVacancy(`v${i}`));
  const workers = Array.from({ length: 300 }, (_, i) => randomWorker(`w${i}`));
  const vacancyById = new Map(vacancies.map((vacancy) => [vacancy.id, vacancy]));
  const workerById = new Map(workers.map((worker) => [worker.id, worker]));

  const world = indexedWith(vacancies, workers);

  describe("jobs for a worker", () => {
    let results: { worker: WorkerForIndex; matches: Awaited<ReturnType<typeof matchJobsForWorker>> }[];

    beforeAll(async () => {
      results = [];
      for (const worker of workers) results.push({ worker, matches: await matchJobsForWorker(world.indexes, worker, { limit: 20, now: NOW }) });
    });

    it("never breaks a hard constraint, and finds what is there", () => {
      const broken = results.flatMap(({ worker, matches }) =>
        matches.flatMap(({ vacancyId }) => {
          const why = brokenConstraint(worker, vacancyById.get(vacancyId)!, NOW);
          return why ? [`${worker.id} ${vacancyId}: ${why}`] : [];
        }),
      );
      expect(broken).toEqual([]);
      for (const { worker, matches } of results) {
        const eligible = vacancies.filter((vacancy) => brokenConstraint(worker, vacancy, NOW) === null);
        expect(matches.length, worker.id).toBe(Math.min(20, eligible.length));
      }
      expect(results.filter(({ matches }) => matches.length > 0).length).toBeGreaterThan(150);
    });

    it("puts jobs of the wished occupation (same code or 中类) in the top three when there are such jobs", () => {
      let checked = 0;
      for (const { worker, matches } of results) {
        const fitting = vacancies.filter((vacancy) => brokenConstraint(worker, vacancy, NOW) === null && fitsWish(worker, vacancy));
        const top = matches.slice(0, Math.min(3, fitting.length)).map(({ vacancyId }) => vacancyById.get(vacancyId)!);
        expect(top.every((vacancy) => fitsWish(worker, vacancy)), worker.id).toBe(true);
        if (fitting.length > 0) checked++;
      }
      expect(checked).toBeGreaterThan(100);
    });

    it("gives reasons that are true and fit one SMS line", () => {
      for (const { worker, matches } of results) {
        for (const { vacancyId, reason } of matches) {
          expect(reason.length).toBeLessThanOrEqual(REASON_MAX_LENGTH);
          expect(reason.length).toBeGreaterThan(0);
          expect(untrueParts(reason, worker, vacancyById.get(vacancyId)!), `${worker.id} ${vacancyId} ${reason}`).toEqual([]);
        }
      }
    });

    it("leaves out excluded vacancies", async () => {
      const { worker, matches } = results.find(({ matches }) => matches.length >= 5)!;
      const shown = matches.slice(0, 3).map(({ vacancyId }) => vacancyId);
      const next = await matchJobsForWorker(world.indexes, worker, { limit: 20, now: NOW, exclude: shown });
      expect(next.map(({ vacancyId }) => vacancyId)).not.toEqual(expect.arrayContaining([shown[0]]));
      expect(next.some(({ vacancyId }) => shown.includes(vacancyId))).toBe(false);
    });
  });

  describe("candidates for a vacancy", () => {
    it("want work, accept pushes, and fit the vacancy's age, sex and place", async () => {
      let found = 0;
      for (const vacancy of vacancies.slice(0, 150)) {
        const matches = await matchCandidatesForVacancy(world.indexes, vacancy, { limit: 20, now: NOW });
        const eligible = workers.filter(
          (worker) => worker.employmentStatus === "seeking" && !worker.optedOut && brokenConstraint(worker, vacancy, NOW) === null,
        );
        expect(matches.length, vacancy.id).toBe(Math.min(20, eligible.length));
        for (const { workerId, reason } of matches) {
          const worker = workerById.get(workerId)!;
          expect(worker.employmentStatus).toBe("seeking");
          expect(worker.optedOut).toBe(false);
          expect(brokenConstraint(worker, vacancy, NOW), `${vacancy.id} ${workerId}`).toBeNull();
          expect(reason.length).toBeLessThanOrEqual(REASON_MAX_LENGTH);
          expect(untrueCandidateParts(reason, worker, vacancy), `${vacancy.id} ${workerId} ${reason}`).toEqual([]);
        }
        found += matches.length;
      }
      expect(found).toBeGreaterThan(200);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Hand-made cases: one index of a few vacancies and workers each.

describe("ranking", () => {
  const GUARD = "4-07-05-01";
  const CLEANER = "4-09-08-01";
  const DRIVER = "4-02-07-08";
  const HOME = "350622103201";
  const job = (id: string, fields: Partial<VacancyForIndex>): VacancyForIndex => ({
    id,
    title: "岗位",
    occupationCode: GUARD,
    wageMin: 4000,
    wageMax: 4000,
    status: "open",
    ...fields,
  });
  const vacancies = [
    job("village", { regionCode: HOME }),
    job("township", { regionCode: "350622103202" }),
    job("county", { regionCode: "350622101" }),
    job("far-housing", { regionCode: "360721100201", housing: true }),
    job("far-no-housing", { regionCode: "360721100202" }),
    job("workshop", { regionCode: "350622", employerKind: "workshop", occupationCode: CLEANER }),
    job("company", { regionCode: "350622", employerKind: "company", occupationCode: CLEANER }),
    job("cleaner-far", { regionCode: "360721100201", occupationCode: CLEANER, housing: true, wageMin: 6000, wageMax: 7000 }),
    job("city-only", { regionCode: "3506", placeName: "漳州市", occupationCode: DRIVER }),
    job("city-anywhere", { regionCode: "3506", placeName: "漳州市", anywhereInRegion: true, occupationCode: DRIVER }),
  ];
  const seeker = (id: string, fields: Partial<WorkerForIndex>): WorkerForIndex => ({
    id,
    birthDate: "1990-01-01",
    sex: "male",
    homeRegionCode: HOME,
    workRange: "homeCounty",
    wishedOccupations: [CLEANER],
    employmentStatus: "seeking",
    optedOut: false,
    pushedBefore: true,
    ...fields,
  });
  const workers = [
    seeker("pushed-village", {}),
    seeker("fresh-village", { pushedBefore: false }),
    seeker("fresh-county", { pushedBefore: false, homeRegionCode: "350622101" }),
    seeker("other-wish", { pushedBefore: false, wishedOccupations: ["4-02-07-08"] }),
    seeker("too-old", { pushedBefore: false, birthDate: "1960-01-01" }),
    seeker("female", { pushedBefore: false, sex: "female" }),
    seeker("other-county", { pushedBefore: false, homeRegionCode: "350624100201" }),
  ];

  const world = indexedWith(vacancies, workers);

  const ids = (matches: { vacancyId: string }[]) => matches.map(({ vacancyId }) => vacancyId);

  it("prefers the nearer job for a worker who stays home: village, township, county", async () => {
    const worker = seeker("w", { wishedOccupations: [GUARD] });
    const matches = await matchJobsForWorker(world.indexes, worker, { limit: 10, now: NOW });
    expect(ids(matches).filter((id) => ["village", "township", "county"].includes(id))).toEqual(["village", "township", "county"]);
    expect(ids(matches)).not.toContain("far-housing");
    expect(matches[0]!.reason).toBe("保安员·同村·月薪4000");
  });

  it("offers a job placed only at a city to those who will go that far, and to those who stay home only when it may be anywhere in it", async () => {
    const home = await matchJobsForWorker(world.indexes, seeker("w", { wishedOccupations: [DRIVER] }), { limit: 20, now: NOW });
    expect(ids(home)).toContain("city-anywhere");
    expect(ids(home)).not.toContain("city-only");
    const province = await matchJobsForWorker(world.indexes, seeker("w", { wishedOccupations: [DRIVER], workRange: "province" }), { limit: 20, now: NOW });
    expect(ids(province)).toEqual(expect.arrayContaining(["city-only", "city-anywhere"]));
    expect(province.find(({ vacancyId }) => vacancyId === "city-only")!.reason).toBe("快递员·漳州市·月薪4000");
    const elsewhere = await matchJobsForWorker(world.indexes, seeker("w", { wishedOccupations: [DRIVER], homeRegionCode: "360721100201" }), { limit: 20, now: NOW });
    expect(ids(elsewhere)).not.toContain("city-anywhere");
    const candidates = await matchCandidatesForVacancy(world.indexes, vacancies.find((vacancy) => vacancy.id === "city-anywhere")!, { limit: 20, now: NOW });
    // 诏安县 is in 漳州市 too: anywhere in the city is near enough for both.
    expect(candidates.map(({ workerId }) => workerId)).toEqual(expect.arrayContaining(["fresh-village", "other-county"]));
    const cityOnly = await matchCandidatesForVacancy(world.indexes, vacancies.find((vacancy) => vacancy.id === "city-only")!, { limit: 20, now: NOW });
    expect(cityOnly.map(({ workerId }) => workerId)).not.toContain("fresh-village");
  });

  it("prefers housing for a worker who goes far", async () => {
    const worker = seeker("w", { wishedOccupations: [GUARD], workRange: "anywhere", homeRegionCode: "350624100201" });
    const matches = await matchJobsForWorker(world.indexes, worker, { limit: 10, now: NOW });
    expect(ids(matches).indexOf("far-housing")).toBeLessThan(ids(matches).indexOf("far-no-housing"));
    expect(matches.find(({ vacancyId }) => vacancyId === "far-housing")!.reason).toBe("保安员·外省·月薪4000·包住");
  });

  it("prefers workshops for carers, and not for others", async () => {
    const carer = await matchJobsForWorker(world.indexes, seeker("w", { categories: ["carer"] }), { limit: 10, now: NOW });
    expect(ids(carer).slice(0, 2)).toEqual(["workshop", "company"]);
    expect(carer[0]!.reason).toBe("保洁员·县内·月薪4000·帮扶车间");
    const other = await matchJobsForWorker(world.indexes, seeker("w", {}), { limit: 10, now: NOW });
    expect(other.find(({ vacancyId }) => vacancyId === "workshop")!.score).toBe(
      other.find(({ vacancyId }) => vacancyId === "company")!.score,
    );
  });

  it("lowers jobs like the ones the worker called 不合适", async () => {
    const worker = seeker("w", { wishedOccupations: [CLEANER, GUARD] });
    const before = ids(await matchJobsForWorker(world.indexes, worker, { limit: 10, now: NOW }));
    expect(before.indexOf("company")).toBeLessThan(before.indexOf("county"));

    const notCleaning = await matchJobsForWorker(world.indexes, worker, {
      limit: 10,
      now: NOW,
      feedback: [{ occupationCode: CLEANER, reason: "不想做这个" }],
    });
    expect(ids(notCleaning)).toEqual(["village", "township", "county", "company", "workshop", "city-anywhere"]);

    const notWorkshops = ids(
      await matchJobsForWorker(world.indexes, worker, { limit: 10, now: NOW, feedback: [{ employerKind: "workshop", reason: "不想去车间" }] }),
    );
    expect(notWorkshops.indexOf("company")).toBeLessThan(notWorkshops.indexOf("workshop"));

    const goer = seeker("w", { wishedOccupations: [CLEANER], workRange: "anywhere" });
    const tooFar = ids(await matchJobsForWorker(world.indexes, goer, { limit: 10, now: NOW, feedback: [{ reason: "太远了" }] }));
    const plain = ids(await matchJobsForWorker(world.indexes, goer, { limit: 10, now: NOW }));
    expect(plain[0]).toBe("cleaner-far");
    expect(tooFar.indexOf("cleaner-far")).toBeGreaterThan(tooFar.indexOf("company"));
  });

  it("ranks candidates by wish and nearness, never-pushed workers before pushed ones", async () => {
    const vacancy = job("v", { occupationCode: CLEANER, regionCode: HOME, ageMax: 60, sex: "male" });
    const matches = await matchCandidatesForVacancy(world.indexes, vacancy, { limit: 10, now: NOW });
    expect(matches.map(({ workerId }) => workerId)).toEqual(["fresh-village", "fresh-county", "pushed-village", "other-wish"]);
    expect(matches[0]!.reason).toBe("想做此类工作·同村·未推送过·36岁");
  });

  it("has no candidates for a vacancy that is not open", async () => {
    const closed = job("v", { occupationCode: CLEANER, regionCode: HOME, status: "filled" });
    expect(await matchCandidatesForVacancy(world.indexes, closed, { limit: 10, now: NOW })).toEqual([]);
    const past = job("v", { occupationCode: CLEANER, regionCode: HOME, deadline: new Date(NOW.getTime() - DAY) });
    expect(await matchCandidatesForVacancy(world.indexes, past, { limit: 10, now: NOW })).toEqual([]);
  });
});

// The ranking only sees what the pools fetch. When a tier holds more than its pool, the pools that
// look for what the engine's order cannot show (the home province, a fitting floor, workshops for
// the homebound) must still bring the best: the many others go in first, so they come first in the
// engine's own order.
describe("pools smaller than their tier", () => {
  const CLEANER = "4-09-08-01";
  const GUARD = "4-07-05-01";
  const FAR = "360721100201"; // 江西
  const HOME = "350622103201"; // 福建

  const crowd = 160;
  const vacancies: VacancyForIndex[] = [
    ...Array.from({ length: crowd }, (_, i): VacancyForIndex => ({
      id: `crowd-job-${i}`, title: "保洁", occupationCode: CLEANER, regionCode: FAR, housing: true, wageMin: 9500, wageMax: 9900, status: "open",
    })),
    { id: "workshop-1", title: "保洁", occupationCode: CLEANER, regionCode: FAR, housing: true, employerKind: "workshop", wageMin: 9000, wageMax: 9000, status: "open" },
    { id: "workshop-2", title: "保洁", occupationCode: CLEANER, regionCode: FAR, housing: true, employerKind: "publicWelfare", wageMin: 9000, wageMax: 9000, status: "open" },
    // Pay earns points by what a job pays at least: ranges that only reach higher must not crowd out
    // the jobs that pay more for sure.
    ...Array.from({ length: crowd }, (_, i): VacancyForIndex => ({
      id: `wide-range-${i}`, title: "保安", occupationCode: GUARD, regionCode: FAR, housing: true, wageMin: 3000, wageMax: 12000, status: "open",
    })),
    { id: "paid-1", title: "保安", occupationCode: GUARD, regionCode: FAR, housing: true, wageMin: 8000, wageMax: 8500, status: "open" },
    { id: "paid-2", title: "保安", occupationCode: GUARD, regionCode: FAR, housing: true, wageMin: 8000, wageMax: 8000, status: "open" },
  ];
  const worker = (id: string, fields: Partial<WorkerForIndex>): WorkerForIndex => ({
    id, birthDate: "1990-01-01", sex: "male", homeRegionCode: FAR, workRange: "anywhere", wishedOccupations: [CLEANER],
    employmentStatus: "seeking", optedOut: false, pushedBefore: false, wageFloor: 9000, ...fields,
  });
  const workers = [
    ...Array.from({ length: crowd }, (_, i) => worker(`crowd-worker-${i}`, {})),
    worker("same-province-1", { homeRegionCode: "350624100201", workRange: "province", wageFloor: 3000 }),
    worker("same-province-2", { homeRegionCode: "350628100201", workRange: "province", wageFloor: null }),
    // Indexed last, so last in the engine's order but for the floor.
    worker("low-floor-1", { wageFloor: 3000 }),
    worker("low-floor-2", { wageFloor: null }),
  ];

  const world = indexedWith(vacancies, workers);

  it("brings a homebound worker the workshop jobs among many better-paid ones", async () => {
    const older = worker("older", { birthDate: "1970-01-01", homeRegionCode: HOME });
    const matches = await matchJobsForWorker(world.indexes, older, { limit: 5, now: NOW });
    expect(matches.slice(0, 2).map((match) => match.vacancyId).sort()).toEqual(["workshop-1", "workshop-2"]);
  });

  it("brings a worker the jobs that pay most at least, among many whose range only reaches higher", async () => {
    const guard = worker("guard", { wishedOccupations: [GUARD], wageFloor: 3000 });
    const matches = await matchJobsForWorker(world.indexes, guard, { limit: 5, now: NOW });
    expect(matches.slice(0, 2).map((match) => match.vacancyId).sort()).toEqual(["paid-1", "paid-2"]);
  });

  it("brings a vacancy the workers of its province whose floor it pays, among many far away", async () => {
    const vacancy: VacancyForIndex = { id: "fujian", title: "保洁", occupationCode: CLEANER, regionCode: "350622101", wageMin: 4000, wageMax: 5000, status: "open" };
    const matches = await matchCandidatesForVacancy(world.indexes, vacancy, { limit: 5, now: NOW });
    expect(matches.slice(0, 2).map((match) => match.workerId).sort()).toEqual(["same-province-1", "same-province-2"]);
  });

  it("brings a vacancy the workers its pay suits best, among many whose floor it only just meets", async () => {
    const vacancy: VacancyForIndex = { id: "jiangsu", title: "保洁", occupationCode: CLEANER, regionCode: "320111", wageMin: 9500, wageMax: 9900, status: "open" };
    const matches = await matchCandidatesForVacancy(world.indexes, vacancy, { limit: 5, now: NOW });
    expect(matches.slice(0, 2).map((match) => match.workerId).sort()).toEqual(["low-floor-1", "low-floor-2"]);
  });
});
