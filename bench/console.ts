// `npm run bench:console`: the console's pages on a province's data. It reuses the database
// `npm run bench:stats` leaves with BENCH_KEEP=1 (1,000,000 workers over Fujian's villages, with
// plans, tasks and notices), and times, as the server answers them in-process (no network): a
// coordinator's 待办, a search by name and by the last four digits, one worker's page; and a county
// official's search over their county. Each page beside the raw SQL of its main query, in the same
// run. The search engine is left out (the worker page's matches answer "unavailable" at once):
// bench:matching measures it.
//
//   DATABASE_URL (required: the server bench:stats used)  BENCH_DATABASE (zt_bench_stats)
//   BENCH_RUNS (200 per page)
import pg from "pg";
import { buildApp } from "../src/app.ts";
import { openDatabase } from "../src/db/database.ts";
import { signInWithToken } from "../src/services/console-sessions.ts";
import { contextFor, regionRange, SERVICE } from "../src/services/context.ts";
import { createOperator } from "../src/services/operators.ts";
import { RATE_LIMITS } from "../src/shared/rate-limits.ts";
import { benchDeps } from "./service-deps.ts";

const SERVER_URL = process.env.DATABASE_URL;
if (!SERVER_URL) {
  process.stderr.write("bench:console needs DATABASE_URL: the PostgreSQL server where BENCH_KEEP=1 npm run bench:stats left its database\n");
  process.exit(1);
}
const DATABASE = process.env.BENCH_DATABASE ?? "zt_bench_stats";
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const TARGET_P95_MS = 100;
if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error(`BENCH_DATABASE must be a plain identifier: ${DATABASE}`);
const url = new URL(SERVER_URL);
url.pathname = `/${DATABASE}`;

const client = new pg.Client({ connectionString: url.toString() });
await client.connect().catch((error: Error) => {
  process.stderr.write(`cannot open ${DATABASE} (${error.message}): run BENCH_KEEP=1 npm run bench:stats first\n`);
  process.exit(1);
});
const [{ workers }] = (await client.query<{ workers: number }>(`SELECT count(*)::int AS workers FROM "Worker"`)).rows as [{ workers: number }];
if (workers < 1000) {
  process.stderr.write(`${DATABASE} holds ${workers} workers: run BENCH_KEEP=1 npm run bench:stats first\n`);
  process.exit(1);
}

const db = await openDatabase({ url: url.toString() });
const service = benchDeps(db, {
  databaseUrl: url.toString(),
  logLevel: "error",
  extra: { rateLimits: { ...RATE_LIMITS, operatorPerKey: { limit: 1_000_000, windowMs: 60_000 } } },
});
const { deps } = service;
const pii = deps.pii;
const app = buildApp(deps);

// The busiest township with open tasks: its coordinator has the longest list.
const [township] = (
  await client.query<{ code: string; workers: number; tasks: number }>(
    `SELECT substr(w."homeRegionCode", 1, 9) AS code, count(DISTINCT w.id)::int AS workers, count(t.id)::int AS tasks
     FROM "Worker" w JOIN "AssistancePlan" p ON p."workerId" = w.id JOIN "PlanTask" t ON t."planId" = p.id AND t.status = 'open'
     GROUP BY 1 ORDER BY 3 DESC LIMIT 1`,
  )
).rows;
if (!township) throw new Error("no open tasks in the database");
const county = township.code.slice(0, 6);
const [{ countyWorkers }] = (await client.query<{ countyWorkers: number }>(`SELECT count(*)::int AS "countyWorkers" FROM "Worker" WHERE "homeRegionCode" LIKE $1`, [`${county}%`])).rows as [{ countyWorkers: number }];

// The generated phones are sealed with no key this process has: the township's are sealed again
// with this run's key, as a coordinator's page opens them.
const { rows: local } = await client.query<{ id: string }>(`SELECT id FROM "Worker" WHERE "homeRegionCode" LIKE $1 ORDER BY id`, [`${township.code}%`]);
for (let start = 0; start < local.length; start += 1000) {
  const batch = local.slice(start, start + 1000);
  await client.query(`UPDATE "Worker" w SET "phoneEnc" = v.enc FROM unnest($1::text[], $2::text[]) AS v(id, enc) WHERE w.id = v.id`, [
    batch.map((row) => row.id),
    batch.map((_, i) => pii.encrypt(`+86138${String(10_000_000 + start + i).slice(-8)}`)),
  ]);
}
const someWorker = local[Math.floor(local.length / 2)]!.id;
const [{ name: someName, digits }] = (
  await client.query<{ name: string; digits: string }>(`SELECT name, right("idNumberMasked", 4) AS digits FROM "Worker" WHERE id = $1`, [someWorker])
).rows as [{ name: string; digits: string }];

async function cookieFor(role: "coordinator" | "countyOfficial", regionCodes: string[]): Promise<string> {
  const { token } = await createOperator(contextFor(deps, SERVICE), { name: `bench:console ${role}`, role, regionCodes });
  const signedIn = await signInWithToken(deps, token);
  if (!signedIn) throw new Error("sign-in failed");
  return `zt_console=${signedIn.cookie}`;
}
const coordinator = await cookieFor("coordinator", [township.code]);
const official = await cookieFor("countyOfficial", [county]);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const show = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
};
const fmt = (value: number) => `${value.toFixed(1)} ms`;

/** A page and its main query, alternating, after a warm-up of each. */
async function measure(label: string, path: string, cookie: string, raw: { text: string; values: unknown[] }) {
  const page = async () => {
    const response = await app.request(path, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    await response.text();
  };
  const sql = async () => void (await client.query(raw.text, raw.values));
  for (let i = 0; i < 5; i++) await page().then(sql);
  const pageMs: number[] = [];
  const sqlMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? [page, sql] : [sql, page];
    for (const step of order) {
      const start = performance.now();
      await step();
      (step === page ? pageMs : sqlMs).push(performance.now() - start);
    }
  }
  const p = show(pageMs);
  const s = show(sqlMs);
  console.log(
    `${label.padEnd(46)} page p50 ${fmt(p.p50)}  p95 ${fmt(p.p95)}  max ${fmt(p.max)}   main query p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}   ` +
      `page/query at p95 ${(p.p95 / s.p95).toFixed(1)}x   ${p.p95 < TARGET_P95_MS ? "under" : "OVER"} ${TARGET_P95_MS} ms`,
  );
}

console.log(
  `${DATABASE}: ${workers.toLocaleString("en")} workers; coordinator of township ${township.code} (${township.workers.toLocaleString("en")} workers with plans, ` +
    `${township.tasks} open tasks); official of county ${county} (${countyWorkers.toLocaleString("en")} workers); ${RUNS} runs each\n`,
);
const byName = `%${someName.slice(0, 2)}%`;
/** The range the service asks for (regionRange): the same plan for the page and its query. */
const range = (prefix: string) => {
  const bounds = regionRange(prefix);
  return "gte" in bounds ? [bounds.gte, bounds.lt] : [prefix, `${prefix}~`];
};
await measure("待办 (coordinator)", "/console/today", coordinator, {
  text: `SELECT t.* FROM "PlanTask" t WHERE t.status = 'open' AND t."regionCode" >= $1 AND t."regionCode" < $2 ORDER BY t."dueAt", t.id LIMIT 500`,
  values: range(township.code),
});
await measure(`劳动力 by name "${someName.slice(0, 2)}" (coordinator)`, `/console/workers?q=${encodeURIComponent(someName.slice(0, 2))}`, coordinator, {
  text: `SELECT * FROM "Worker" WHERE "homeRegionCode" >= $1 AND "homeRegionCode" < $2 AND name LIKE $3 ORDER BY id LIMIT 21`,
  values: [...range(township.code), byName],
});
await measure(`劳动力 by last four "${digits}" (coordinator)`, `/console/workers?digits=${digits}`, coordinator, {
  text: `SELECT * FROM "Worker" WHERE "homeRegionCode" >= $1 AND "homeRegionCode" < $2 AND ("idNumberMasked" LIKE $3 OR "phoneMasked" LIKE $3) ORDER BY id LIMIT 21`,
  values: [...range(township.code), `%${digits}`],
});
await measure("one worker (coordinator)", `/console/workers/${someWorker}`, coordinator, {
  text: `SELECT * FROM "PlanEvent" WHERE "workerId" = $1 ORDER BY seq DESC LIMIT 200`,
  values: [someWorker],
});
await measure(`劳动力 by name "${someName.slice(0, 1)}" (county official)`, `/console/workers?q=${encodeURIComponent(someName.slice(0, 1))}`, official, {
  text: `SELECT * FROM "Worker" WHERE "homeRegionCode" >= $1 AND "homeRegionCode" < $2 AND name LIKE $3 ORDER BY id LIMIT 21`,
  values: [...range(county), `%${someName.slice(0, 1)}%`],
});
await measure(`劳动力 by last four "${digits}" (county official)`, `/console/workers?digits=${digits}`, official, {
  text: `SELECT * FROM "Worker" WHERE "homeRegionCode" >= $1 AND "homeRegionCode" < $2 AND ("idNumberMasked" LIKE $3 OR "phoneMasked" LIKE $3) ORDER BY id LIMIT 21`,
  values: [...range(county), `%${digits}`],
});

await client.end();
service.close();
await db.close();
