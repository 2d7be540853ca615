// `npm run bench:match-real`: matching on job-board data as it really comes. A generator writes
// postings with the boards' messiness — a city or a province for a place (in 4-, 6- and 12-digit
// spellings), the county only in the text, pay as "5000-8000元/月", "日结200" or "面议" in the text,
// ages only in the description, 男女不限, the same posting twice, a few broken rows — from real
// labelled titles (matching/data/title-examples.json) and the rural jobs registration offers. They go
// through POST /api/vacancies/bulk?partial=true as a county office would send them, are indexed, and
// a fixed set of workers (who stay in their county, keep to their province, or go anywhere) is matched.
//
// Reported: rows accepted and refused, and per worker: the vacancies they can be matched to (every
// open one that meets their stated requirements, counted in plain JS over the database), how many
// matches came back, constraint violations among them (sex, age, place: must be 0), and how many of
// the top 3 fit the wished work (same 中类 by the posting's own label, not by our reading of it).
//
// Env: BENCH_POSTINGS (5130), BENCH_SEED (20261206); MEILI_URL/MEILI_MASTER_KEY for an external engine.
import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WorkerForIndex, WorkRange } from "../matching/documents.ts";
import { createMatchingIndexes } from "../matching/indexes.ts";
import { matchJobsForWorker } from "../matching/match.ts";
import { nodeHttpClient } from "../matching/node-http-client.ts";
import { midCategory } from "../matching/occupations.ts";
import { createSearchClient } from "../matching/search-client.ts";
import { buildApp } from "../src/app.ts";
import type { Vacancy } from "../src/db/client.ts";
import { embeddedDatabaseDir, openDatabase } from "../src/db/database.ts";
import { seedFromImage } from "../src/db/embedded-image.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { startBundledMeilisearch } from "../src/entry/bundled-meilisearch.ts";
import { ensureRegions } from "../src/reference/regions.ts";
import { contextFor, SERVICE } from "../src/services/context.ts";
import { createOperator } from "../src/services/operators.ts";
import { reindexAll } from "../src/services/search-sync.ts";
import { createLogger } from "../src/shared/logger.ts";
import { benchDeps } from "./service-deps.ts";
import { seededRandom } from "../test/support/seeded.ts";

const POSTINGS = Number(process.env.BENCH_POSTINGS ?? 5_130);
const NOW = new Date();
const log = createLogger({ level: "warn" });

const random = seededRandom(Number(process.env.BENCH_SEED ?? 20261206));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

// ---------------------------------------------------------------------------------------------------
// Postings as boards give them

/** Rural work as boards title it, each with the code registration offers for it. */
const RURAL_JOBS: [code: string, titles: string[]][] = [
  ["6-31-99-00", ["普工", "电子厂普工", "急招普工包吃住", "流水线普工", "工厂普工/操作工", "长白班普工", "普工（男女不限）"]],
  ["4-02-07-08", ["快递员", "快递派送员", "快递分拣员", "急招快递员月入8000", "快递收派员"]],
  ["4-10-01-06", ["家政服务员", "住家保姆", "育儿嫂", "保姆（住家）", "家政阿姨"]],
  ["4-09-08-01", ["保洁员", "保洁阿姨", "物业保洁", "商场保洁", "小区保洁员"]],
  ["4-03-02-05", ["餐厅服务员", "服务员", "饭店服务员", "酒店服务员包吃住"]],
  ["4-10-01-05", ["养老护理员", "护工", "养老院护理员"]],
  ["6-29-99-00", ["建筑工人", "建筑小工", "工地杂工"]],
  ["4-07-05-01", ["保安", "保安员", "小区保安", "日结轻松保安+包吃住"]],
];

const { examples: REAL_TITLES } = JSON.parse(readFileSync(new URL("../matching/data/title-examples.json", import.meta.url), "utf8")) as { examples: [string, string][] };

/** Places as boards write them: mostly cities, some provinces, a county now and then (code, share). */
const CITIES = ["3401", "3401", "3401", "3205", "4403", "4419", "3301", "3506", "3502", "3415", "3413", "3101", "3402"];
const PROVINCES = ["34", "44", "32", "35"];
const COUNTIES: [code: string, name: string][] = [
  ["340122", "肥东县"],
  ["340123", "肥西县"],
  ["340121", "长丰县"],
  ["350622", "云霄县"],
  ["350624", "诏安县"],
  ["341524", "金寨县"],
];
const PADDED = (code: string) => pick([code, code.padEnd(6, "0"), code.padEnd(12, "0")]);

interface Posting {
  row: Record<string, unknown>;
  /** the occupation the board's own label gives */
  label: string;
}

function posting(index: number): Posting {
  const rural = chance(0.5);
  const [label, title] = rural ? ((job) => [job[0], pick(job[1])] as const)(pick(RURAL_JOBS)) : ((example) => [example[1], example[0]] as const)(pick(REAL_TITLES));
  const notes: string[] = [];
  const row: Record<string, unknown> = { externalId: `board-${index}`, title, employerName: `${pick(["鑫达", "华联", "顺心", "同创", "宏发"])}${pick(["电子", "物流", "家政", "物业", "餐饮"])}有限公司` };

  const placeRoll = random();
  if (placeRoll < 0.55) row.regionCode = PADDED(pick(CITIES));
  else if (placeRoll < 0.65) row.regionCode = PADDED(pick(PROVINCES));
  else if (placeRoll < 0.8) row.regionCode = pick(COUNTIES)[0];
  else if (placeRoll < 0.9) {
    // The city given, the county only in the text.
    const [code, name] = pick(COUNTIES);
    row.regionCode = code.slice(0, 4);
    notes.push(`工作地点：${name}${pick(["经济开发区", "桃花工业园", "城关镇", ""])}`);
  } else if (placeRoll < 0.95) notes.push(`工作地点：${pick(COUNTIES)[1]}`);
  // else: no place at all
  if (row.regionCode && String(row.regionCode).length < 6 && chance(0.3)) notes.push(pick(["市内各区均可", "全市均有岗位，可就近安排", "就近分配"]));
  if (notes.some((note) => /均可|均有|就近/.test(note))) row.anywhereInRegion = true;

  const payRoll = random();
  const low = pick([3000, 3500, 4000, 4500, 5000, 6000]);
  if (payRoll < 0.4) Object.assign(row, { wageMin: low, wageMax: low + pick([0, 1000, 2000, 3000]) });
  else if (payRoll < 0.7) notes.push(`${low}-${low + pick([1000, 2000, 3000])}元/月`);
  else if (payRoll < 0.8) notes.push(`日结${pick([150, 180, 200, 220])}`);
  else notes.push("薪资面议");

  const ageRoll = random();
  const [ageMin, ageMax] = [pick([16, 18, 20]), pick([35, 40, 45, 50, 55])];
  if (ageRoll < 0.25) Object.assign(row, { ageMin, ageMax });
  else if (ageRoll < 0.6) notes.push(`年龄${ageMin}-${ageMax}周岁`);

  const sexRoll = random();
  if (sexRoll < 0.5) notes.push("男女不限");
  else if (sexRoll < 0.6) notes.push("限女性");
  else if (sexRoll < 0.65) row.sex = "male";
  if (chance(0.3)) notes.push("包吃住");
  if (notes.length > 0) row.description = notes.join("，");

  // A few rows no system should take: no title, an age limit below the working age.
  if (chance(0.01)) row.title = "";
  else if (chance(0.01)) row.ageMin = 14;
  return { row, label };
}

function postings(count: number): Posting[] {
  const made: Posting[] = [];
  for (let i = 0; made.length < count; i++) {
    const next = posting(i);
    made.push(next);
    // The same posting again, as boards repeat them: once under its own id (an update), once without.
    if (chance(0.03) && made.length < count) made.push({ ...next, row: { ...next.row } });
    if (chance(0.03) && made.length < count) {
      const { externalId: _id, ...copy } = next.row;
      made.push({ ...next, row: copy });
    }
  }
  return made;
}

// ---------------------------------------------------------------------------------------------------
// Workers, and what they can be matched to

interface Profile {
  name: string;
  worker: WorkerForIndex;
}

const profile = (name: string, homeRegionCode: string, workRange: WorkRange, wished: string[], sex: "female" | "male", born: string): Profile => ({
  name,
  worker: { id: name, homeRegionCode, workRange, wishedOccupations: wished, sex, birthDate: born, employmentStatus: "seeking", optedOut: false, pushedBefore: false },
});

const PROFILES: Profile[] = [
  profile("肥东县·本省·普工·男40", "340122101", "province", ["6-31-99-00"], "male", "1986-05-01"),
  profile("肥西县·本县·保洁·女55", "340123100", "homeCounty", ["4-09-08-01"], "female", "1971-03-10"),
  profile("肥西县·本省·家政·女48", "340123102", "province", ["4-10-01-06"], "female", "1978-08-20"),
  profile("云霄县·外省·快递·男30", "350622103", "anywhere", ["4-02-07-08"], "male", "1996-01-15"),
  profile("云霄县·本县·都可以·女44", "350622100", "homeCounty", [], "female", "1982-11-02"),
  profile("诏安县·本省·餐饮·女36", "350624100", "province", ["4-03-02-05"], "female", "1990-06-06"),
  profile("金寨县·外省·建筑·男51", "341524100", "anywhere", ["6-29-99-00"], "male", "1975-02-28"),
  profile("长丰县·本县·保安·男58", "340121100", "homeCounty", ["4-07-05-01"], "male", "1968-04-04"),
];

function age(birthDate: string, now: Date): number {
  const born = new Date(birthDate);
  const monthDay = (date: Date) => date.toISOString().slice(5, 10);
  return now.getUTCFullYear() - born.getUTCFullYear() - (monthDay(now) < monthDay(born) ? 1 : 0);
}

/** The requirement of the worker's the vacancy breaks (sex, age, place), or null. */
function broken(worker: WorkerForIndex, vacancy: Vacancy): string | null {
  const years = age(String(worker.birthDate), NOW);
  if (vacancy.sex !== "any" && vacancy.sex !== worker.sex) return "sex";
  if ((vacancy.ageMin !== null && years < vacancy.ageMin) || (vacancy.ageMax !== null && years > vacancy.ageMax)) return "age";
  const home = worker.homeRegionCode!;
  const place = vacancy.regionCode;
  if (worker.workRange === "anywhere") return null;
  if (!place) return "place";
  if (worker.workRange === "province") return place.slice(0, 2) === home.slice(0, 2) ? null : "place";
  const inCounty = place.length >= 6 && place.slice(0, 6) === home.slice(0, 6);
  const anywhereAround = vacancy.anywhereInRegion && place.length < 6 && home.startsWith(place);
  return inCounty || anywhereAround ? null : "place";
}

// ---------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "zt-bench-match-real-"));
const started = performance.now();
const meili = process.env.MEILI_URL ? undefined : await startBundledMeilisearch({ dataDir: dir, masterKey: "bench-master-key-0123456789", log });
const httpClient = nodeHttpClient();
const search = createSearchClient({ url: process.env.MEILI_URL ?? meili!.url, apiKey: process.env.MEILI_MASTER_KEY ?? meili?.masterKey, httpClient });
const indexes = createMatchingIndexes(search, { prefix: `bench_real_${randomBytes(3).toString("hex")}_` });

// The embedded database, from the image `npm install` builds when it is there (the divisions loaded).
const dataDir = join(dir, "data");
const fromImage = seedFromImage(embeddedDatabaseDir(dataDir));
const db = await openDatabase(fromImage ? { dataDir } : { pglite: await PGlite.create() });
if (!fromImage) {
  await applyMigrations(db.sql, readMigrations());
  await ensureRegions(db.sql);
}
await indexes.ensureSettings();
const { deps, close } = benchDeps(db, { extra: { search, indexes } });
const app = buildApp(deps);
const admin = await createOperator(contextFor(deps, SERVICE), { name: "bench", role: "admin", regionCodes: [] });
console.log(`setup: database${fromImage ? " from the image" : " migrated and loaded"} and Meilisearch in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const made = postings(POSTINGS);
const labelByExternalId = new Map(made.flatMap(({ row, label }) => (row.externalId ? [[String(row.externalId), label] as const] : [])));
const labelByTitle = new Map(made.map(({ row, label }) => [String(row.title), label]));
let accepted = 0;
const refusedBy = new Map<string, number>();
const importStarted = performance.now();
for (let at = 0; at < made.length; at += 500) {
  const batch = made.slice(at, at + 500).map(({ row }) => row);
  const response = await app.request("/api/vacancies/bulk?partial=true", {
    method: "POST",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
    body: JSON.stringify(batch),
  });
  const body = (await response.json()) as { ids: (string | null)[]; errors: { problem: string; field?: string }[] };
  if (response.status !== 201) throw new Error(`bulk import answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  accepted += body.ids.filter(Boolean).length;
  for (const error of body.errors) refusedBy.set(`${error.problem}:${error.field ?? "row"}`, (refusedBy.get(`${error.problem}:${error.field ?? "row"}`) ?? 0) + 1);
}
const importMs = performance.now() - importStarted;
const indexStarted = performance.now();
await reindexAll(db.prisma, indexes);
const indexMs = performance.now() - indexStarted;

const vacancies = await db.prisma.vacancy.findMany({ where: { status: "open" } });
const byId = new Map(vacancies.map((vacancy) => [vacancy.id, vacancy]));
const places = { county: 0, city: 0, province: 0, none: 0, anywhere: 0 };
for (const vacancy of vacancies) {
  const code = vacancy.regionCode;
  places[!code ? "none" : code.length >= 6 ? "county" : code.length === 4 ? "city" : "province"] += 1;
  if (vacancy.anywhereInRegion) places.anywhere += 1;
}
const labelOf = (vacancy: Vacancy) => (vacancy.externalId ? labelByExternalId.get(vacancy.externalId) : undefined) ?? labelByTitle.get(vacancy.title) ?? null;

console.log(`\nbench:match-real — ${made.length} postings in the boards' shapes, through POST /api/vacancies/bulk?partial=true`);
console.log(`  accepted ${accepted} (${((accepted / made.length) * 100).toFixed(1)}%) in ${(importMs / 1000).toFixed(1)} s; refused ${made.length - accepted}: ${[...refusedBy].map(([why, n]) => `${why} ${n}`).join(", ") || "none"}`);
console.log(`  ${vacancies.length} open vacancies (repeats under one id updated in place): county or deeper ${places.county}, city ${places.city}, province ${places.province}, no place ${places.none}; anywhere in their region ${places.anywhere}`);
console.log(`  indexed in ${(indexMs / 1000).toFixed(1)} s\n`);
console.log(`  ${"worker".padEnd(24)} ${"can match".padStart(9)} ${"returned".padStart(8)} ${"violations".padStart(10)} ${"top 3 fit wish".padStart(14)}  first reason`);
let violations = 0;
for (const { name, worker } of PROFILES) {
  const eligible = vacancies.filter((vacancy) => broken(worker, vacancy) === null).length;
  const matches = await matchJobsForWorker(indexes, worker, { limit: 20, now: NOW });
  const bad = matches.filter(({ vacancyId }) => broken(worker, byId.get(vacancyId)!) !== null);
  violations += bad.length;
  const wishes = worker.wishedOccupations ?? [];
  const top = matches.slice(0, 3).map(({ vacancyId }) => labelOf(byId.get(vacancyId)!));
  const fits = wishes.length === 0 ? "any work" : `${top.filter((label) => label && wishes.some((wish) => midCategory(wish) === midCategory(label))).length} of ${top.length}`;
  console.log(`  ${name.padEnd(24 - [...name].filter((char) => char.charCodeAt(0) > 255).length)} ${String(eligible).padStart(9)} ${String(matches.length).padStart(8)} ${String(bad.length).padStart(10)} ${fits.padStart(14)}  ${matches[0]?.reason ?? "—"}`);
}
console.log(`\n  constraint violations in all: ${violations} (must be 0)`);

close();
httpClient.close();
await db.close();
await meili?.stop();
rmSync(dir, { recursive: true, force: true });
