// `npm run bench:import`: a county-sized roster imported as an official does it, over HTTP on a real
// socket. A file of BENCH_ROWS people in the national system's layout (18 columns, households of one
// to five, real villages of 漳州市, valid ID numbers) is written as CSV and as .xlsx; each is sent as
// a streamed multipart upload — a dry run, then the import — and the job runner applies it. Then a
// newer file (1% of people changed, 0.5% gone) goes through the same way. Reported: time and rows/s
// per phase, and the process's peak memory (run it with node --max-old-space-size=256 to see the
// import hold in a small heap); beside them, in the same run, the raw engine loading the
// same rows (PostgreSQL's COPY into a plain table of text columns), and the ratio.
//
//   DATABASE_URL: a PostgreSQL server (the bench creates and drops a database of its own); without
//   it, the embedded PGlite in a temporary folder.
//   BENCH_ROWS (100000)  BENCH_FORMATS (csv,xlsx)  BENCH_KEEP=1 keeps the database
import { serve } from "@hono/node-server";
import { WorkbookWriter } from "@cj-tech-master/excelts";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { getHeapStatistics } from "node:v8";
import { buildApp } from "../src/app.ts";
import { openDatabase } from "../src/db/database.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { nodeSpreadsheets } from "../src/entry/spreadsheets.ts";
import { createJobRunner } from "../src/jobs/runner.ts";
import { ensureRegions } from "../src/reference/regions.ts";
import { contextFor, SERVICE } from "../src/services/context.ts";
import { createOperator } from "../src/services/operators.ts";
import { csvField } from "../src/shared/csv.ts";
import { benchDeps } from "./service-deps.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const FORMATS = (process.env.BENCH_FORMATS ?? "csv,xlsx").split(",") as ("csv" | "xlsx")[];
const SERVER_URL = process.env.DATABASE_URL;
const KEEP = process.env.BENCH_KEEP === "1";
const DATABASE = "zt_bench_import";
const CITY = "3506";
const TARGET_S = SERVER_URL ? 60 : 180;

const work = mkdtempSync(join(tmpdir(), "zt-bench-import-"));
let peakRss = 0;
let peakHeap = 0;
const heapLimit = getHeapStatistics().heap_size_limit;
const sampler = setInterval(() => {
  const used = process.memoryUsage();
  peakRss = Math.max(peakRss, used.rss);
  peakHeap = Math.max(peakHeap, used.heapUsed);
}, 50);
const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
const since = (start: number) => (performance.now() - start) / 1000;

// ----------------------------------------------------------------------------------------- database
let url: string | undefined;
if (SERVER_URL) {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const target = new URL(SERVER_URL);
  target.pathname = `/${DATABASE}`;
  url = target.toString();
}
// On the embedded database the bench keeps PGlite's handle: its COPY is the raw engine's load.
const pglite = url ? undefined : await PGlite.create(join(work, "pglite"));
const db = await openDatabase(url ? { url } : { pglite: pglite! });
await applyMigrations(db.sql, readMigrations());
await ensureRegions(db.sql, { villagesUnder: ["35"] });

// ----------------------------------------------------------------------------------------- the files
const HEADER = ["县(市、区、旗)", "乡(镇)", "行政村", "户编号", "人编号", "姓名", "证件号码", "与户主关系", "民族", "文化程度", "健康状况", "劳动技能", "务工时间（月）", "户类型", "监测对象类型", "风险是否消除", "人联系电话", "户联系电话"];
const villages = await db.sql.query<{ county: string; township: string; village: string; code: string }>(
  `SELECT c.name AS county, t.name AS township, v.name AS village, v.code FROM "Region" v JOIN "Region" t ON t.code = v."parentCode" JOIN "Region" c ON c.code = t."parentCode"
   WHERE v.level = 5 AND v.code >= $1 AND v.code < $2 ORDER BY v.code`,
  [CITY, String(Number(CITY) + 1)],
);
const SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭邱曾廖赖周徐苏叶庄吕江何";
const GIVEN = "秀英文华建国丽娟志强美玲国平金花明辉春梅海燕德胜淑珍小红永福桂兰家豪雅琴";
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idOf = (area: string, birth: string, order: number) => {
  const first17 = `${area}${birth}${String(order % 1000).padStart(3, "0")}`;
  return first17 + "10X98765432"[[...first17].reduce((sum, digit, at) => sum + Number(digit) * ID_WEIGHTS[at]!, 0) % 11];
};
let seed = 7;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = <T>(items: readonly T[] | string) => items[Math.floor(random() * items.length)] as T;

/** The people of the file: households of one to five in real villages; `changed` alters some. */
function people(): string[][] {
  const rows: string[][] = [];
  let household = 0;
  while (rows.length < ROWS) {
    household++;
    const place = villages[household % villages.length]!;
    const householdNo = `${place.code}${String(household).padStart(6, "0")}`;
    const size = 1 + Math.floor(random() * 5);
    const phone = `1${pick("3589")}${String(Math.floor(random() * 1e9)).padStart(9, "0")}`;
    for (let member = 1; member <= size && rows.length < ROWS; member++) {
      const year = 1950 + Math.floor(random() * 55);
      const birth = `${year}${String(1 + Math.floor(random() * 12)).padStart(2, "0")}${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`;
      rows.push([
        place.county, place.township, place.village.replace(/村委会$/, "村").replace(/(社区)?居委会$/, "社区"), householdNo, `${householdNo}${String(member).padStart(2, "0")}`,
        `${pick(SURNAMES)}${pick(GIVEN)}${pick(GIVEN)}`, idOf(place.code.slice(0, 6), birth, rows.length),
        member === 1 ? "户主" : pick(["配偶", "之子", "之女", "之孙子", "之孙女"]), "汉族", pick(["小学", "初中", "高中", "文盲或半文盲"]),
        pick(["健康", "健康", "长期慢性病"]), pick(["普通劳动力", "弱劳动力或半劳动力", "无劳动力"]), String(Math.floor(random() * 12)),
        random() < 0.9 ? "脱贫户" : "监测户", "", "", random() < 0.6 ? `1${pick("3589")}${String(Math.floor(random() * 1e9)).padStart(9, "0")}` : "", phone,
      ]);
    }
  }
  return rows;
}

async function writeCsv(path: string, rows: string[][]) {
  const out = createWriteStream(path);
  out.write(`\uFEFF${HEADER.join(",")}\r\n`);
  for (const row of rows) if (!out.write(`${row.map(csvField).join(",")}\r\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await new Promise<void>((resolve) => out.end(resolve));
}

async function writeXlsx(path: string, rows: string[][]) {
  const workbook = new WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet("名单");
  sheet.addRow(HEADER).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
}

// ----------------------------------------------------------------------------------------- the service
const service = benchDeps(db, {
  databaseUrl: url,
  logLevel: (process.env.BENCH_LOG as "info" | undefined) ?? "warn",
  extra: { spreadsheets: nodeSpreadsheets },
});
const { deps } = service;
const server = serve({ fetch: buildApp(deps).fetch, port: 0, hostname: "127.0.0.1" });
await new Promise((resolve) => server.once("listening", resolve));
// A long apply between two uploads outlasts Node's 5 s keep-alive, and a streamed body cannot be sent again on a fresh socket.
(server as import("node:http").Server).keepAliveTimeout = 600_000;
const { port } = server.address() as AddressInfo;
const { token } = await createOperator(contextFor(deps, SERVICE), { name: "漳州市人社局", role: "countyOfficial", regionCodes: [CITY] });
const runner = createJobRunner({ deps });

/** The file as a streamed multipart upload (never whole in this process's memory either). */
async function upload(path: string, dryRun: boolean): Promise<Record<string, unknown>> {
  const boundary = `zt${randomBytes(8).toString("hex")}`;
  const body = Readable.from(
    (async function* () {
      yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.endsWith(".xlsx") ? "roster.xlsx" : "roster.csv"}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
      yield* createReadStream(path);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    })(),
  );
  const response = await fetch(`http://127.0.0.1:${port}/api/imports/roster?region=${CITY}${dryRun ? "&dryRun=true" : ""}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${boundary}` },
    body: Readable.toWeb(body) as ReadableStream,
    duplex: "half",
  } as RequestInit);
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

/** The job runner applies the import, as the service's would. */
async function applied(importId: string) {
  for (;;) {
    await runner.runOnce();
    const status = await deps.prisma.rosterImport.findUniqueOrThrow({ where: { id: importId } });
    if (status.status === "done" || status.status === "failed") return status;
  }
}

/** The raw engine's load of the same rows: COPY into a plain table of text columns. */
async function rawCopy(path: string): Promise<number> {
  await db.sql.exec(`DROP TABLE IF EXISTS bench_copy; CREATE TABLE bench_copy (${HEADER.map((_, at) => `c${at} text`).join(", ")})`);
  const started = performance.now();
  if (url) {
    // COPY … FROM STDIN needs a streaming client; the server reads the file itself when it can.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`COPY bench_copy FROM '${path}' WITH (FORMAT csv, HEADER true)`).catch(async () => {
      // A server on another machine cannot read this file: insert the rows in 10,000-row statements instead.
      const lines = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split("\r\n").slice(1).filter(Boolean);
      for (let at = 0; at < lines.length; at += 10_000) {
        const batch = lines.slice(at, at + 10_000).map((line) => line.split(","));
        await client.query(`INSERT INTO bench_copy SELECT * FROM unnest(${HEADER.map((_, column) => `$${column + 1}::text[]`).join(", ")})`, HEADER.map((_, column) => batch.map((cells) => cells[column] ?? "")));
      }
    });
    await client.end();
  } else {
    await pglite!.query(`COPY bench_copy FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], { blob: new Blob([readFileSync(path)]) });
  }
  return since(started);
}

// ----------------------------------------------------------------------------------------- the run
console.log(`bench:import — ${ROWS.toLocaleString("en")} people over ${villages.length} villages of 漳州市, on ${url ? "PostgreSQL" : "the embedded PGlite"}`);
// Every file written first, and the people let go: the imports then run with only the service's
// own memory in play (the report's heap figure is the service's, not the generator's).
const written = new Map<string, { first: string; newer: string; seconds: number }>();
{
  const first = people();
  const newer = first.filter((_, at) => at % 200 !== 7).map((row, at) => (at % 100 === 3 ? row.map((cell, column) => (column === 13 ? (cell === "脱贫户" ? "监测户" : "脱贫户") : column === 16 ? "13912345678" : cell)) : row));
  for (const format of new Set([...FORMATS, "csv" as const])) {
    const files = { first: join(work, `first.${format}`), newer: join(work, `newer.${format}`) };
    const started = performance.now();
    await (format === "csv" ? writeCsv : writeXlsx)(files.first, first);
    await (format === "csv" ? writeCsv : writeXlsx)(files.newer, newer);
    written.set(format, { ...files, seconds: since(started) });
  }
}
const lines: string[] = [];
for (const format of FORMATS) {
  const files = written.get(format)!;
  let started = performance.now();
  console.log(`\n${format}: ${mb(statSync(files.first).size)} (written in ${files.seconds.toFixed(1)} s)`);
  await db.sql.exec(`TRUNCATE "RosterEntry", "RosterImport", "RosterImportBatch", "PlanEvent", "PlanTask", "AssistancePlan", "WorkerFiguresChange", "Worker", "Household" CASCADE`);
  const baseRss = process.memoryUsage().rss;
  peakRss = baseRss;
  peakHeap = process.memoryUsage().heapUsed;
  for (const [label, path] of [["first file", files.first], ["newer file", files.newer]] as const) {
    started = performance.now();
    const check = await upload(path, true);
    const dry = since(started);
    started = performance.now();
    const staged = await upload(path, false);
    const stage = since(started);
    started = performance.now();
    const done = await applied(staged.importId as string);
    const apply = since(started);
    const total = stage + apply;
    const rate = (seconds: number) => `${Math.round(ROWS / seconds).toLocaleString("en")} rows/s`;
    const line = `${format} ${label}: dry run ${dry.toFixed(1)} s (${rate(dry)}); import ${total.toFixed(1)} s = upload, check and stage ${stage.toFixed(1)} s + apply ${apply.toFixed(1)} s (${rate(total)}); new ${done.new}, changed ${done.changed}, unchanged ${done.unchanged}, left ${done.left}, refused ${(check.refused as unknown[]).length}`;
    console.log(line);
    lines.push(line);
  }
  console.log(`${format} memory: RSS ${mb(baseRss)} before the imports, ${mb(peakRss)} at most during them; JavaScript heap at most ${mb(peakHeap)} (cap: ${mb(heapLimit)})`);
}
// The ledger of what was imported: the whole city, as the county office downloads it, beside the
// raw engine reading the same people's rows (one SELECT, no sheet written).
{
  const timed = async (query: string) => {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/reports/ledger?region=${CITY}${query}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`ledger ${query}: ${response.status} ${(await response.text()).slice(0, 200)}`);
    const bytes = (await response.arrayBuffer()).byteLength;
    return { seconds: since(started), bytes };
  };
  const xlsx = await timed("");
  const employed = await timed("&format=csv&sheet=employed");
  const unemployed = await timed("&format=csv&sheet=unemployed");
  const started = performance.now();
  const [read] = await db.sql.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM (SELECT w.id, w.name, w."idNumberEnc", w."employmentStatus", r."householdNo", r."personNo", v.name AS village
       FROM "Worker" w JOIN "RosterEntry" r ON r."workerId" = w.id LEFT JOIN "Region" v ON v.code = w."homeRegionCode"
       WHERE w."homeRegionCode" >= $1 AND w."homeRegionCode" < $1 || 'z' ORDER BY w."homeRegionCode", r."householdNo", r."personNo") AS people`,
    [CITY],
  );
  const rawSeconds = since(started);
  console.log(
    `\nledger of ${read!.count.toLocaleString("en")} people: .xlsx (both sheets) ${xlsx.seconds.toFixed(1)} s, ${mb(xlsx.bytes)}; CSV 已就业 ${employed.seconds.toFixed(1)} s, 未就业 ${unemployed.seconds.toFixed(1)} s, ${mb(unemployed.bytes)}; raw SELECT of their rows ${rawSeconds.toFixed(2)} s (the .xlsx takes ${(xlsx.seconds / rawSeconds).toFixed(0)}× it); RSS at most ${mb(peakRss)}`,
  );
}
const raw = await rawCopy(written.get("csv")!.first);
console.log(`\nraw engine: COPY of the same ${ROWS.toLocaleString("en")} rows into a plain table: ${raw.toFixed(1)} s (${Math.round(ROWS / raw).toLocaleString("en")} rows/s)`);
const firstCsv = lines.find((line) => line.startsWith("csv first file"));
const importSeconds = firstCsv ? Number(/import ([\d.]+) s/.exec(firstCsv)![1]) : NaN;
if (firstCsv) console.log(`the first CSV import takes ${(importSeconds / raw).toFixed(1)}× the raw load; target: under ${TARGET_S} s on ${url ? "PostgreSQL" : "PGlite"} — ${importSeconds < TARGET_S ? "met" : "NOT met"}`);

clearInterval(sampler);
server.close();
service.close();
await db.close();
rmSync(work, { recursive: true, force: true });
if (url && !KEEP) {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
}
