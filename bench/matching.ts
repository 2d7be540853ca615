// Matching at scale: synthetic but realistic vacancies and workers over real regions and real
// occupations, indexed into Meilisearch, then worker → jobs and vacancy → candidates queries timed
// beside the raw Meilisearch multi-search they send (same filters, same client, same run).
//
// Usage: node --import tsx bench/matching.ts
// Env: N_VACANCIES (100000), N_WORKERS (100000), QUERIES (1000); MEILI_URL and MEILI_MASTER_KEY use
// an external Meilisearch, else the bundled binary runs in a temporary directory.
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createGunzip, gunzipSync } from "node:zlib";
import type { EnqueuedTask } from "meilisearch";
import catalogue from "../matching/data/occupations.json" with { type: "json" };
import type { EmployerKind, VacancyForIndex, WageUnit, WorkerForIndex, WorkRange } from "../matching/documents.ts";
import { createMatchingIndexes, type MatchingIndexes } from "../matching/indexes.ts";
import { POOL_SIZES, candidateSearchQueries, jobSearchQueries, matchCandidatesForVacancy, matchJobsForWorker } from "../matching/match.ts";
import { nodeHttpClient } from "../matching/node-http-client.ts";
import { createSearchClient } from "../matching/search-client.ts";
import { startBundledMeilisearch, type BundledMeilisearch } from "../src/entry/bundled-meilisearch.ts";
import { createLogger } from "../src/shared/logger.ts";
import { processMemoryBytes } from "./proc.ts";

const N_VACANCIES = Number(process.env.N_VACANCIES ?? 100_000);
const N_WORKERS = Number(process.env.N_WORKERS ?? 100_000);
const QUERIES = Number(process.env.QUERIES ?? 1000);
const NOW = new Date();
const DAY = 86_400_000;
const BATCH = 2_000;
/** Concurrent queries for the throughput figure: enough to keep both cores busy. */
const IN_FLIGHT = 4;
/** Issue 18: p95 within 8 ms both ways (it was 50 and 100 ms before). */
const TARGETS = { jobsP95Ms: 8, candidatesP95Ms: 8, overhead: 2, indexingS: 60, serviceRssMb: 300 };

// ---------------------------------------------------------------------------------------------------
// Seeded randomness, so that runs compare

let seed = 20260315;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/** Draws from [value, weight] pairs. */
function weighted<T>(pairs: readonly (readonly [T, number])[]): () => T {
  const total = pairs.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let roll = random() * total;
    for (const [value, weight] of pairs) if ((roll -= weight) < 0) return value;
    return pairs[pairs.length - 1]![0];
  };
}

// ---------------------------------------------------------------------------------------------------
// Real regions: rural counties (县, 旗) are where workers live and local jobs are; urban districts
// of the coastal provinces are where migrant workers go.

const REGIONS_DIR = new URL("../src/reference/data/", import.meta.url);
const RURAL_COUNTIES = 600;
const DESTINATION_DISTRICTS = 150;
const DESTINATION_PROVINCES = new Set(["31", "32", "33", "35", "37", "44"]);
const VILLAGES_PER_TOWNSHIP = 8;

interface Geography {
  rural: string[];
  destinations: string[];
  townshipsOf: Map<string, string[]>;
  villagesOf: Map<string, string[]>;
  nameOf: Map<string, string>;
}

function sample<T>(items: T[], count: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, count);
}

async function loadGeography(): Promise<Geography> {
  const nameOf = new Map<string, string>();
  const townshipsOf = new Map<string, string[]>();
  const counties: string[] = [];
  for (const line of gunzipSync(readFileSync(new URL("regions.tsv.gz", REGIONS_DIR))).toString("utf8").split("\n")) {
    const [code, name] = line.split("\t");
    if (!code || !name) continue;
    if (code.length === 6) counties.push(code);
    if (code.length === 9) {
      const county = code.slice(0, 6);
      if (!townshipsOf.has(county)) townshipsOf.set(county, []);
      townshipsOf.get(county)!.push(code);
    }
    if (code.length <= 6) nameOf.set(code, name);
  }
  const withTownships = counties.filter((code) => townshipsOf.has(code));
  const rural = sample(withTownships.filter((code) => /[县旗]$/.test(nameOf.get(code)!)), RURAL_COUNTIES);
  const destinations = sample(
    withTownships.filter((code) => /区$/.test(nameOf.get(code)!) && DESTINATION_PROVINCES.has(code.slice(0, 2))),
    DESTINATION_DISTRICTS,
  );

  // Streamed: the villages file holds 620k rows, of which only the selected counties' are kept.
  const ruralSet = new Set(rural);
  const villagesOf = new Map<string, string[]>();
  const lines = createInterface({ input: createReadStream(new URL("villages.tsv.gz", REGIONS_DIR)).pipe(createGunzip()) });
  for await (const line of lines) {
    const tab = line.indexOf("\t");
    // Villages only (村委会), not urban communities (社区居委会).
    if (!ruralSet.has(line.slice(0, 6)) || !/村(?:民委员会|委会)$/.test(line)) continue;
    const township = line.slice(0, 9);
    if (!villagesOf.has(township)) villagesOf.set(township, []);
    const villages = villagesOf.get(township)!;
    if (villages.length < VILLAGES_PER_TOWNSHIP) villages.push(line.slice(0, tab));
  }
  return { rural, destinations, townshipsOf, villagesOf, nameOf };
}

// ---------------------------------------------------------------------------------------------------
// Real occupations, weighted toward the jobs rural workers take, with the pay customs of each trade.

type Trade = "service" | "factory" | "construction" | "farm" | "publicWelfare";

const COMMON_JOBS: [name: string, weight: number, trade: Trade][] = [
  ["其他生产辅助人员", 12, "factory"], // 普工
  ["家政服务员", 8, "service"],
  ["保洁员", 8, "publicWelfare"],
  ["保安员", 7, "publicWelfare"],
  ["养老护理员", 5, "service"],
  ["快递员", 5, "service"],
  ["网约配送员", 4, "service"],
  ["装卸搬运工", 4, "factory"],
  ["中式烹调师", 4, "service"],
  ["餐厅服务员", 5, "service"],
  ["收银员", 3, "service"],
  ["商品营业员", 3, "service"],
  ["理货员", 3, "factory"],
  ["仓储管理员", 2, "factory"],
  ["道路货运汽车驾驶员", 2, "service"],
  ["电子商务师", 2, "service"],
  ["呼叫中心服务员", 2, "service"],
  ["砌筑工", 3, "construction"],
  ["钢筋工", 3, "construction"],
  ["混凝土工", 2, "construction"],
  ["架子工", 2, "construction"],
  ["电工", 2, "construction"],
  ["焊工", 2, "factory"],
  ["缝纫工", 4, "factory"],
  ["电子设备装接工", 4, "factory"],
  ["包装工", 3, "factory"],
  ["茶叶加工工", 1, "farm"],
  ["农艺工", 3, "farm"],
  ["家畜饲养员", 2, "farm"],
  ["家禽饲养员", 2, "farm"],
  ["园林绿化工", 2, "publicWelfare"],
  ["护林员", 1, "publicWelfare"],
  ["中式面点师", 1, "service"],
  ["客房服务员", 2, "service"],
  ["美发师", 1, "service"],
  ["保健按摩师", 1, "service"],
];

interface Job {
  code: string;
  name: string;
  aliases: string[];
  trade: Trade;
}

function loadJobs(): { common: () => Job; any: () => Job } {
  const byName = new Map(catalogue.occupations.map((occupation) => [occupation.name, occupation]));
  const common = COMMON_JOBS.map(([name, weight, trade]) => {
    const occupation = byName.get(name);
    if (!occupation) throw new Error(`bench: occupation ${name} is not in the catalogue`);
    return [{ code: occupation.code, name, aliases: occupation.aliases, trade }, weight] as const;
  });
  const tail = catalogue.occupations
    .filter((occupation) => /^[456]-/.test(occupation.code))
    .map((occupation): Job => ({ code: occupation.code, name: occupation.name, aliases: occupation.aliases, trade: occupation.code.startsWith("5") ? "farm" : occupation.code.startsWith("6") ? "factory" : "service" }));
  const drawCommon = weighted(common);
  // One posting in ten is for some other trade of the services, farming or production groups.
  return { common: drawCommon, any: () => (chance(0.9) ? drawCommon() : pick(tail)) };
}

const MONTHLY_BASE: Record<Trade, number> = { service: 4200, factory: 4800, construction: 6000, farm: 3200, publicWelfare: 1800 };
const DAY_RATE_SHARE: Record<Trade, number> = { service: 0.08, factory: 0.1, construction: 0.6, farm: 0.5, publicWelfare: 0 };
const PERKS = ["包吃住", "日结", "长白班", "五险一金", "多劳多得", "可带回家做", "就近上岗", "提供培训"];

// ---------------------------------------------------------------------------------------------------
// Synthetic vacancies and workers

function regionIn(county: string, geography: Geography, depth: { village: number; township: number }): string {
  const township = pick(geography.townshipsOf.get(county)!);
  const villages = geography.villagesOf.get(township);
  const roll = random();
  if (roll < depth.village && villages) return pick(villages);
  return roll < depth.village + depth.township ? township : county;
}

function vacancy(id: string, geography: Geography, jobs: ReturnType<typeof loadJobs>): VacancyForIndex {
  const job = jobs.any();
  const local = chance(0.6);
  const county = local ? pick(geography.rural) : pick(geography.destinations);
  const wageUnit: WageUnit = chance(DAY_RATE_SHARE[job.trade]) ? "day" : chance(0.04) ? "hour" : chance(0.04) ? "piece" : "month";
  const monthly = MONTHLY_BASE[job.trade] * (local ? 0.85 : 1.15) * (0.8 + 0.4 * random());
  const low = { month: Math.round(monthly / 100) * 100, day: Math.round(monthly / 22 / 10) * 10, hour: Math.round(monthly / 176), piece: between(1, 5) }[wageUnit];
  const kind: EmployerKind = weighted<EmployerKind>(
    local
      ? [["company", 45], ["workshop", 20], ["cooperative", job.trade === "farm" ? 20 : 5], ["base", 5], ["broker", 5], ["publicWelfare", job.trade === "publicWelfare" ? 40 : 2]]
      : [["company", 75], ["broker", 20], ["base", 5]],
  )();
  const ageMin = weighted<number | null>([[null, 45], [16, 10], [18, 40], [20, 5]])();
  const ageMax = weighted<number | null>([[null, 30], [35, 5], [40, 10], [45, 20], [50, 15], [55, 15], [60, 5]])();
  const housing = chance(local ? 0.15 : 0.6);
  const alias = job.aliases.find((a) => /^\p{Script=Han}{2,6}$/u.test(a));
  const perk = housing ? "包吃住" : pick(PERKS);
  const deadlineRoll = random();
  return {
    id,
    title: `${chance(0.5) && alias ? alias : job.name}${chance(0.5) ? `（${perk}）` : ""}`,
    description: `${geography.nameOf.get(county)}${job.name}，${perk}，${ageMax ? `年龄${ageMin ?? 16}至${ageMax}周岁` : "年龄不限"}，${pick(PERKS)}，联系人王先生`,
    employerName: `${geography.nameOf.get(county)}${pick(["鑫源", "兴农", "恒达", "福顺", "安康", "绿源"])}${kind === "workshop" ? "就业帮扶车间" : kind === "cooperative" ? "专业合作社" : "有限公司"}`,
    employerKind: kind,
    occupationCode: job.code,
    regionCode: regionIn(county, geography, local ? { village: 0.6, township: 0.3 } : { village: 0, township: 0.6 }),
    ...(chance(0.25) ? { latitude: 22 + 20 * random(), longitude: 100 + 22 * random() } : {}),
    wageMin: low,
    wageMax: chance(0.7) ? Math.round(low * (1.1 + 0.4 * random())) : low,
    wageUnit,
    ageMin,
    ageMax,
    sex: weighted([["any", 80], ["male", job.trade === "construction" ? 40 : 8], ["female", job.name === "家政服务员" ? 40 : 8]] as const)(),
    housing,
    status: weighted([["open", 88], ["closed", 6], ["filled", 4], ["draft", 2]] as const)(),
    deadline: deadlineRoll < 0.4 ? null : new Date(NOW.getTime() + between(-30, 90) * DAY),
  };
}

/** Rural workforce ages skew old: many under-30s have left, many 50- and 60-year-olds remain. */
const workerAge = weighted([[[18, 29], 20], [[30, 39], 22], [[40, 49], 28], [[50, 59], 22], [[60, 65], 8]] as const);

function worker(id: string, geography: Geography, jobs: ReturnType<typeof loadJobs>): WorkerForIndex {
  const [youngest, oldest] = workerAge();
  const birthYear = NOW.getUTCFullYear() - between(youngest, oldest);
  const workRange = weighted<WorkRange | null>([["homeCounty", 45], ["province", 25], ["anywhere", 25], [null, 5]])();
  const wishes = weighted([[0, 10], [1, 45], [2, 30], [3, 15]])();
  const categories = [
    ...(chance(0.1) ? ["carer"] : []),
    ...(chance(0.04) ? ["disability"] : []),
    ...(chance(0.15) ? ["minimumLivingAllowance"] : []),
  ];
  return {
    id,
    birthDate: new Date(Date.UTC(birthYear, between(0, 11), between(1, 28))),
    sex: weighted([["male", 50], ["female", 48], [null, 2]] as const)(),
    homeRegionCode: regionIn(pick(geography.rural), geography, { village: 0.85, township: 0.1 }),
    categories,
    wishedOccupations: [...new Set(Array.from({ length: wishes }, () => jobs.common().code))],
    workRange,
    wageFloor: chance(0.2) ? null : between(4, 12) * 500,
    employmentStatus: weighted([["seeking", 60], ["employedLocal", 15], ["employedInProvince", 8], ["employedOutOfProvince", 7], ["notSeeking", 10]] as const)(),
    optedOut: chance(0.03),
    pushedBefore: chance(0.4),
  };
}

// ---------------------------------------------------------------------------------------------------
// Indexing

/**
 * Generates and indexes the data batch by batch, so that the process never holds the whole set, and
 * keeps a few items aside (open vacancies, seeking workers) as queries. The geography and the batches
 * are garbage once this returns: the query phase measures the service, not the generator.
 */
async function indexSyntheticData(indexes: MatchingIndexes): Promise<{ vacancyQueries: VacancyForIndex[]; workerQueries: WorkerForIndex[] }> {
  const geography = await loadGeography();
  const jobs = loadJobs();
  console.log(
    `data: ${N_VACANCIES} vacancies, ${N_WORKERS} workers over ${geography.rural.length} rural counties ` +
      `(${geography.villagesOf.size} townships with villages) and ${geography.destinations.length} destination districts`,
  );
  async function index<T>(count: number, make: (position: number) => T, upsert: (batch: T[]) => Promise<EnqueuedTask[]>, keep: (item: T) => void) {
    const keepEvery = Math.max(1, Math.floor(count / (QUERIES * 3)));
    const start = performance.now();
    const tasks: EnqueuedTask[] = [];
    for (let offset = 0; offset < count; offset += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, count - offset) }, (_, i) => make(offset + i));
      batch.forEach((item, i) => (offset + i) % keepEvery === 0 && keep(item));
      tasks.push(...(await upsert(batch)));
    }
    await indexes.waitFor(tasks, { timeoutMs: 600_000 });
    return (performance.now() - start) / 1000;
  }
  const vacancyQueries: VacancyForIndex[] = [];
  const workerQueries: WorkerForIndex[] = [];
  const vacancySeconds = await index(N_VACANCIES, (i) => vacancy(`v${i}`, geography, jobs), indexes.upsertVacancies, (item) => {
    if (item.status === "open" && vacancyQueries.length < QUERIES) vacancyQueries.push(item);
  });
  const workerSeconds = await index(N_WORKERS, (i) => worker(`w${i}`, geography, jobs), indexes.upsertWorkers, (item) => {
    if (item.employmentStatus === "seeking" && workerQueries.length < QUERIES) workerQueries.push(item);
  });
  console.log(
    `indexing: ${N_VACANCIES} vacancies ${vacancySeconds.toFixed(1)} s (${verdict(vacancySeconds <= TARGETS.indexingS)} ≤ ${TARGETS.indexingS} s), ` +
      `${N_WORKERS} workers ${workerSeconds.toFixed(1)} s`,
  );
  return { vacancyQueries, workerQueries };
}

// ---------------------------------------------------------------------------------------------------
// Measuring

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);


/**
 * A full garbage collection. Run between indexing and querying: the generated batches outlive their
 * upload and reach V8's old generation, which is not collected again until it fills, so without this
 * the query phase would carry the generator's leftovers, not measure the service.
 */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Peak RSS of this process in each phase of the run. */
function peakRssByPhase() {
  const peaks = new Map<string, number>();
  let phase = "setup";
  const sample = () => peaks.set(phase, Math.max(peaks.get(phase) ?? 0, process.memoryUsage().rss));
  const timer = setInterval(sample, 50);
  return {
    peaks,
    enter(next: string) {
      sample();
      phase = next;
    },
    stop() {
      sample();
      clearInterval(timer);
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Timing {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

function summarise(durations: number[]): Timing {
  const sorted = [...durations].sort((a, b) => a - b);
  const total = durations.reduce((sum, d) => sum + d, 0);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), perSecond: (1000 * durations.length) / total };
}

/**
 * Each query runs ours and raw back to back, alternating which goes first, so both see the same cache,
 * and then a request that searches nothing: the HTTP path alone. `ours` answers its matches, `raw`
 * Meilisearch's processingTimeMs summed over its searches: whole milliseconds, rounded down search by
 * search, so it undercounts by about half a millisecond a search and is no measure of the HTTP path.
 */
async function timePairs<T>(
  items: T[],
  ours: (item: T) => Promise<unknown[]>,
  raw: (item: T) => Promise<{ engineMs: number }>,
  empty: () => Promise<unknown>,
): Promise<{ ours: Timing; raw: Timing; empty: Timing; engineP50: number; engineP95: number; matchesPerQuery: number }> {
  for (const item of items.slice(0, 50)) await Promise.all([ours(item), raw(item)]); // warm-up
  const oursMs: number[] = [];
  const rawMs: number[] = [];
  const engineMs: number[] = [];
  const emptyMs: number[] = [];
  let matches = 0;
  for (const [i, item] of items.entries()) {
    const runOurs = async () => {
      const start = performance.now();
      matches += (await ours(item)).length;
      oursMs.push(performance.now() - start);
    };
    const runRaw = async () => {
      const start = performance.now();
      const result = await raw(item);
      rawMs.push(performance.now() - start);
      engineMs.push(result.engineMs);
    };
    if (i % 2 === 0) await runOurs().then(runRaw);
    else await runRaw().then(runOurs);
    const start = performance.now();
    await empty();
    emptyMs.push(performance.now() - start);
  }
  return {
    ours: summarise(oursMs),
    raw: summarise(rawMs),
    empty: summarise(emptyMs),
    engineP50: percentile([...engineMs].sort((a, b) => a - b), 50),
    engineP95: percentile([...engineMs].sort((a, b) => a - b), 95),
    matchesPerQuery: matches / items.length,
  };
}

/** Queries per second with `concurrency` queries in flight: what the two cores sustain, engine and service together. */
async function throughput<T>(items: T[], run: (item: T) => Promise<unknown>, concurrency: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
  return (1000 * items.length) / (performance.now() - start);
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? "ok" : "MISSED");

/** Latency of ours beside raw, query by query, then throughput of each with queries in flight. */
async function measure<T>(
  label: string,
  targetP95: number,
  items: T[],
  ours: (item: T) => Promise<unknown[]>,
  raw: (item: T) => Promise<{ engineMs: number }>,
  empty: () => Promise<unknown>,
): Promise<void> {
  const times = await timePairs(items, ours, raw, empty);
  const oursInFlight = await throughput(items, ours, IN_FLIGHT);
  const rawInFlight = await throughput(items, raw, IN_FLIGHT);
  const ratio = times.ours.p50 / times.raw.p50;
  const line = (timing: Timing, inFlight: number) =>
    `p50 ${ms(timing.p50)}  p95 ${ms(timing.p95)}  p99 ${ms(timing.p99)}  ${timing.perSecond.toFixed(0)}/s one at a time, ${inFlight.toFixed(0)}/s ${IN_FLIGHT} in flight`;
  console.log(`\n${label} (${items.length} queries, ${times.matchesPerQuery.toFixed(1)} matches each, limit 10)`);
  console.log(`  ours: ${line(times.ours, oursInFlight)}  — p95 ${verdict(times.ours.p95 <= targetP95)} ≤ ${targetP95} ms`);
  console.log(`  raw:  ${line(times.raw, rawInFlight)}`);
  console.log(
    `  the HTTP path (a request that searches nothing): p50 ${ms(times.empty.p50)}  p95 ${ms(times.empty.p95)}; ` +
      `Meilisearch's processingTimeMs (whole ms, rounded down search by search) sums to p50 ${ms(times.engineP50)} p95 ${ms(times.engineP95)}`,
  );
  console.log(`  ours/raw: p50 ${ratio.toFixed(2)}×  p95 ${(times.ours.p95 / times.raw.p95).toFixed(2)}×  — ${verdict(ratio <= TARGETS.overhead)} ≤ ${TARGETS.overhead}×`);
}

/**
 * How good the pools' best matches are against those pools ten times larger find: the ranking only
 * sees what the pools fetched, so a better match outside every pool is never shown. Matches are
 * compared by score, rank by rank (many share a score, and which of those comes first is only the
 * order of ids); where the wide pools find better, the points lost at those ranks. Speed is bought
 * with pool sizes; this is what it costs.
 */
async function poolRecall<T>(items: T[], top: (item: T) => Promise<number[]>): Promise<string> {
  const usual = { jobs: { ...POOL_SIZES.jobs }, candidates: { ...POOL_SIZES.candidates } };
  const asIs: number[][] = [];
  const wide: number[][] = [];
  try {
    for (const item of items) asIs.push(await top(item));
    for (const sizes of Object.values(POOL_SIZES)) for (const pool of Object.keys(sizes)) (sizes as Record<string, number>)[pool]! *= 10;
    for (const item of items) wide.push(await top(item));
  } finally {
    Object.assign(POOL_SIZES.jobs, usual.jobs);
    Object.assign(POOL_SIZES.candidates, usual.candidates);
  }
  let asGood = 0;
  let ranks = 0;
  let worseRanks = 0;
  let pointsLost = 0;
  asIs.forEach((scores, i) => {
    const better = wide[i]!.map((score, rank) => score - (scores[rank] ?? 0));
    if (better.every((lost) => lost <= 0)) asGood++;
    ranks += better.length;
    for (const lost of better.filter((lost) => lost > 0)) {
      worseRanks++;
      pointsLost += lost;
    }
  });
  return (
    `as good as pools ten times larger for ${((100 * asGood) / items.length).toFixed(0)}% of queries; ` +
    `${((100 * worseRanks) / Math.max(1, ranks)).toFixed(0)}% of ranks worse, by ${(pointsLost / Math.max(1, worseRanks)).toFixed(1)} points on average`
  );
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  let bundled: BundledMeilisearch | undefined;
  let dataDir: string | undefined;
  let meiliPid: number | null = null;
  const external = process.env.MEILI_URL;
  if (!external) {
    dataDir = mkdtempSync(join(tmpdir(), "zt-bench-matching-"));
    bundled = await startBundledMeilisearch({ dataDir, masterKey: "bench-master-key-0123456789", log: createLogger({ level: "warn" }) });
    // startBundledMeilisearch records its child's pid there (to stop leftovers); we read its memory.
    meiliPid = Number(readFileSync(join(dataDir, "meilisearch", "pid"), "utf8"));
  }
  const http = nodeHttpClient();
  const client = createSearchClient({
    url: external ?? bundled!.url,
    apiKey: external ? process.env.MEILI_MASTER_KEY : bundled!.masterKey,
    httpClient: http,
  });
  const indexes = createMatchingIndexes(client, { prefix: `bench_${process.pid}_` });
  const memory = peakRssByPhase();

  try {
    await indexes.ensureSettings();
    memory.enter("indexing");
    const { vacancyQueries, workerQueries } = await indexSyntheticData(indexes);
    collectGarbage();

    const engineTime = (response: { results: { processingTimeMs: number }[] }) => ({
      engineMs: response.results.reduce((sum, result) => sum + result.processingTimeMs, 0),
    });
    memory.enter("queries");
    const options = { limit: 10, now: NOW };
    await measure(
      "worker → jobs",
      TARGETS.jobsP95Ms,
      workerQueries,
      (profile) => matchJobsForWorker(indexes, profile, options),
      async (profile) => engineTime(await client.multiSearch({ queries: jobSearchQueries(indexes, profile, options) })),
      () => client.multiSearch({ queries: [{ indexUid: indexes.vacancies.uid, q: "", limit: 0 }] }),
    );
    await measure(
      "vacancy → candidates",
      TARGETS.candidatesP95Ms,
      vacancyQueries,
      (vacancy) => matchCandidatesForVacancy(indexes, vacancy, options),
      async (vacancy) => engineTime(await client.multiSearch({ queries: candidateSearchQueries(indexes, vacancy, options) })),
      () => client.multiSearch({ queries: [{ indexUid: indexes.workers.uid, q: "", limit: 0 }] }),
    );

    memory.stop();
    const peakMb = (phase: string) => megabytes(memory.peaks.get(phase) ?? 0);
    console.log(
      `\nmemory: service RSS peak ${peakMb("queries")} MB while querying (${verdict(peakMb("queries") <= TARGETS.serviceRssMb)} ≤ ${TARGETS.serviceRssMb} MB), ` +
        `${peakMb("indexing")} MB while generating and indexing; ${megabytes(process.memoryUsage().rss)} MB now, heap used ${megabytes(process.memoryUsage().heapUsed)} MB`,
    );
    if (meiliPid) {
      console.log(`        Meilisearch RSS ${megabytes(processMemoryBytes(meiliPid, "VmRSS") ?? 0)} MB now, ${megabytes(processMemoryBytes(meiliPid, "VmHWM") ?? 0)} MB peak`);
    } else {
      console.log("        Meilisearch RSS: external server, not measured");
    }

    const sampled = 300;
    console.log(`\npools (${sampled} queries each way, pools ${JSON.stringify(POOL_SIZES)}):`);
    console.log(`  worker → jobs: ${await poolRecall(workerQueries.slice(0, sampled), async (profile) => (await matchJobsForWorker(indexes, profile, options)).map((m) => m.score))}`);
    console.log(`  vacancy → candidates: ${await poolRecall(vacancyQueries.slice(0, sampled), async (vacancy) => (await matchCandidatesForVacancy(indexes, vacancy, options)).map((m) => m.score))}`);
  } finally {
    memory.stop();
    await Promise.allSettled([indexes.vacancies.delete(), indexes.workers.delete()]);
    http.close();
    await bundled?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
