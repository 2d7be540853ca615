// `npm run bench:webhooks`: full conversation turns through the signed webhooks of a running
// service (verify, dedupe, engine, timeline write, reply queued), over loopback only, bounded in
// count and time; beside a bare Hono route on the same server stack in the same run, and on
// PostgreSQL a bare turn (one read, one write). The service and the bare routes each run in a
// process of their own; this process only sends.
//
//   BENCH_TURNS (default 4000)  BENCH_WARMUP (4000 a channel, by people of its own)  BENCH_CONCURRENCY (8,16,32: one run per level)  BENCH_USERS (a tenth of BENCH_TURNS, 400 at least)
//   BENCH_CHANNELS (sms,wechat): one channel alone, e.g. wechat. On PostgreSQL, SMS delivery reports
//   (Twilio's status callbacks) too, at 16 in flight, after the levels.
//   DATABASE_URL (else PGlite). Latency depends on how many requests are in flight (at a given rate,
//   the mean is in-flight ÷ rate), so the figures are reported per level.
//   BENCH_PROFILE_DIR (a CPU profile of the service)
//   BENCH_PROCESSES (1): WEB_CONCURRENCY for the service, PostgreSQL only; CPU and memory are then the
//   service processes' together (Meilisearch apart)
import { serve } from "@hono/node-server";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { postgresCpuSince, postgresProcessesCpuMs, processCpuMs, processMemoryBytes, processTree } from "./proc.ts";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";

const TURNS = Number(process.env.BENCH_TURNS ?? 4000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 4000);
const LEVELS = (process.env.BENCH_CONCURRENCY ?? "8,16,32").split(",").map(Number);
const CONCURRENCY = Math.max(...LEVELS);
// Ten messages a person, whatever the count: past twenty the flood gate answers without a turn.
const USERS = Number(process.env.BENCH_USERS ?? Math.max(400, Math.ceil(TURNS / 10)));
const CHANNELS = (process.env.BENCH_CHANNELS ?? "sms,wechat").split(",");
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);
const DEADLINE_MS = 5 * 60_000;
const TWILIO_TOKEN = "bench-twilio-token";
const WECHAT_TOKEN = "bench-wechat-token";

const dataDir = mkdtempSync(join(tmpdir(), "zt-bench-"));
const root = new URL("..", import.meta.url).pathname;

/** A process's command line, to tell the service's own processes from the search engine it started. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return "";
  }
}

/** A free loopback port for a child server. */
async function freePort(): Promise<number> {
  const probe = serve({ fetch: () => new Response(), port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => probe.once("listening", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

// On PostgreSQL the service gets a database of its own for the run (dropped at the end): a fresh
// DATA_DIR means a fresh sealing key, which must not meet yesterday's sealed rows.
let databaseUrl: string | undefined;
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = `zt_bench_webhooks_${process.pid}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
}

// The service runs as it does in production: its own process, started like `npm start`.
const port = await freePort();
// BENCH_PROFILE_DIR: write the service's CPU profile there, to see where a turn's time goes.
const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
// As `npm start` runs it after the build (package.json), through the shell: its Node flags change
// its memory and its collector's share, and depend on the database (DATABASE_URL).
const startCommand = /&& (exec node .* dist\/node\.mjs)/.exec((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start)?.[1];
if (!startCommand) throw new Error("package.json's start script no longer ends in `exec node … dist/node.mjs`");
const service = spawn("sh", ["-c", startCommand.replace("exec node", ["exec", process.execPath, ...profile].join(" "))], {
  cwd: root,
  stdio: ["ignore", "ignore", "inherit"],
  env: {
    ...process.env,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    ADMIN_TOKEN: "bench-admin-token-0123456789abcdef",
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    WECHAT_TOKEN,
    PUBLIC_BASE_URL: "https://bench.example.cn",
    WEB_CONCURRENCY: String(PROCESSES),
  },
});
await waitFor(`http://127.0.0.1:${port}/health`, service, 120_000);
/** The service process's resident memory, from /proc (Meilisearch, a process of its own, apart). */
const serviceProcesses = () => processTree(service.pid!).filter((pid) => !/meilisearch/.test(commandOf(pid)));
const serviceRssMb = () => Math.round(serviceProcesses().reduce((sum, pid) => sum + (processMemoryBytes(pid, "VmRSS") ?? 0), 0) / 1048576);
let peakRssMb = 0;
const rssSampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, serviceRssMb())), 200);

// The bare route: Hono on the same Node server adapter, also in a process of its own. On PostgreSQL
// it also answers a bare turn: the least a turn can do (the request, one prepared read, one
// committed write of the request's body, the answer), over node-postgres as the service's is, so
// that a turn's CPU is read against what this machine charges for the same round trips.
const barePort = await freePort();
const BARE_SERVER = `
  import { serve } from "@hono/node-server";
  import { Hono } from "hono";
  import pg from "pg";
  const app = new Hono().get("/bare", (c) => c.json({ ok: true }));
  if (process.env.BARE_DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 10 });
    await pool.query("CREATE TABLE IF NOT EXISTS bench_bare_turn (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text NOT NULL)");
    app.post("/bare-turn", async (c) => {
      const body = await c.req.text();
      await pool.query({ name: "bare_read", text: "SELECT count(*) FROM bench_bare_turn WHERE id = $1", values: [body.length] });
      await pool.query({ name: "bare_write", text: "INSERT INTO bench_bare_turn (body) VALUES ($1)", values: [body] });
      return c.text("success");
    });
  }
  serve({ fetch: app.fetch, port: ${barePort}, hostname: "127.0.0.1" });`;
const bareServer = spawn(process.execPath, ["--input-type=module", "-e", BARE_SERVER], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, ...(databaseUrl ? { BARE_DATABASE_URL: databaseUrl } : {}) },
});
await waitFor(`http://127.0.0.1:${barePort}/bare`, bareServer, 30_000);

// Each phase opens its connections afresh (run): a socket left idle between phases is closed by the
// server after its keep-alive timeout, and reused just then it fails with ECONNRESET.
const newAgent = () => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
let agent = newAgent();
function request(targetPort: number, path: string, method: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: targetPort, path, method, agent, headers: { ...headers, ...(body ? { "content-length": Buffer.byteLength(body) } : {}) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

// A turn every user can repeat: the welcome's "你好" and menu answers keep the engine busy on the
// first steps; each message is new (own id), so each is a full turn with its writes. The warm-up
// and each level have people of their own (a crowd), who start as strangers and send ten messages
// each at the defaults: levels compare, and none meets the flood gate (twenty at once), which
// answers without a turn. Crowd 0 is the warm-up's.
const texts = ["你好", "1", "帮助", "0"];
const CROWD_NUMBERS = ["138", "139", "137", "136", "135", "134"];
let sequence = 0;
function smsTurn(crowd: number): [string, string, Record<string, string>] {
  const n = sequence++;
  const from = `+86${CROWD_NUMBERS[crowd % CROWD_NUMBERS.length]}${String(n % USERS).padStart(8, "0")}`;
  const fields = { MessageSid: `SMbench${n}`, From: from, To: "+15005550006", Body: texts[n % texts.length]! };
  const path = "/webhooks/sms/twilio";
  return [path, new URLSearchParams(fields).toString(), { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": getExpectedTwilioSignature(TWILIO_TOKEN, `https://bench.example.cn${path}`, fields) }];
}
function wechatTurn(crowd: number): [string, string, Record<string, string>] {
  const n = sequence++;
  const openid = `bench-crowd${crowd}-openid-${n % USERS}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(n);
  const signature = createHash("sha1").update([WECHAT_TOKEN, timestamp, nonce].sort().join("")).digest("hex");
  const xml = `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${texts[n % texts.length]}]]></Content><MsgId>${9_000_000_000 + n}</MsgId></xml>`;
  return [`/webhooks/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${openid}`, xml, { "content-type": "text/xml" }];
}

/**
 * The benchmark's own connection to PostgreSQL, for its statement figures and CPU. An SMS turn is
 * timed by its answer: the webhook answers once the turn is recorded.
 */
const statsConnection = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
await statsConnection?.connect();

/**
 * Where the database's time goes, statement by statement (pg_stat_statements, where the server
 * preloads it): calls and milliseconds per turn, planning included. Statements run by triggers are
 * counted on their own too (track = all), inside their parent's time.
 */
const statementStats = statsConnection && (await statsConnection.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").then(() => statsConnection.query("SELECT pg_stat_statements_reset()")).then(() => true, () => false));
async function statementsPerTurn(turns: number) {
  if (!statementStats) return;
  const { rows } = await statsConnection!.query<{ query: string; calls: string; ms: number; planning: number }>(
    `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 80) AS query, calls, total_exec_time + total_plan_time AS ms, total_plan_time AS planning
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%SMbench%'
     ORDER BY ms DESC LIMIT 8`,
  );
  const [all] = (
    await statsConnection!.query<{ calls: string; ms: number }>(
      `SELECT sum(calls) AS calls, sum(total_exec_time + total_plan_time) AS ms FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND toplevel
         AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%SMbench%'`,
    )
  ).rows;
  if (all) console.log(`    ${(all.ms / turns).toFixed(3)} ms ${(Number(all.calls) / turns).toFixed(2).padStart(5)} calls a turn  all the statements sent (those run by triggers and functions apart)`);
  for (const row of rows) console.log(`    ${(row.ms / turns).toFixed(3)} ms (planning ${(row.planning / turns).toFixed(3)}) ${(Number(row.calls) / turns).toFixed(2).padStart(5)} calls a turn  ${row.query}`);
  await statsConnection!.query("SELECT pg_stat_statements_reset()");
}

/** The PostgreSQL server's processes on this machine (its backends among them) and their CPU. */
const postgresCpu = (): Map<number, number> => (statsConnection ? postgresProcessesCpuMs() : new Map());

/** CPU per request of a phase: the service's, the bare route's and PostgreSQL's, so a rate means the same on any machine. */
function cpuPerRequest(before: ReturnType<typeof cpuNow>, requests: number): string {
  const after = cpuNow();
  const database = statsConnection ? postgresCpuSince(before.database) : 0;
  const parts = [
    ["service", after.service - before.service],
    ["bare route", after.bare - before.bare],
    ["PostgreSQL", database],
  ].filter(([, ms]) => (ms as number) / requests >= 0.005);
  return parts.map(([name, ms]) => `${name} ${((ms as number) / requests).toFixed(2)} ms`).join(", ");
}
const cpuNow = () => ({ service: serviceProcesses().reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0), bare: processCpuMs(bareServer.pid!) ?? 0, database: postgresCpu() });

async function run(label: string, count: number, next: () => Promise<number>, inFlight = CONCURRENCY) {
  agent.destroy();
  agent = newAgent();
  const latencies: number[] = [];
  let failures = 0;
  let issued = 0;
  const cpuBefore = cpuNow();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (issued < count && performance.now() - started < DEADLINE_MS) {
        issued++;
        const t0 = performance.now();
        const status = await next();
        latencies.push(performance.now() - t0);
        if (status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  const rate = latencies.length / seconds;
  console.log(`${label.padEnd(22)} ${String(latencies.length).padStart(6)} req  ${rate.toFixed(0).padStart(6)}/s  p50 ${at(0.5).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  non-200: ${failures}  CPU a request: ${cpuPerRequest(cpuBefore, latencies.length)}`);
  await statementsPerTurn(latencies.length);
  return rate;
}

await new Promise((resolve) => setTimeout(resolve, 10_000));
console.log(`service memory idle 10 s after start: ${serviceRssMb()} MB RSS`);
console.log(`database: ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite (embedded)"}, ${PROCESSES} service process${PROCESSES > 1 ? "es" : ""}, ${LEVELS.join("/")} in flight, ${USERS} users, ${process.env.DATABASE_URL ? "" : "set DATABASE_URL for the PostgreSQL figure; "}2 cores`);
// V8 compiles a process's hot code while it runs: after a warm-up of 200 turns it was still
// compiling, and 4,000 WeChat turns cost 2.37 ms of the service's CPU each, against 1.46 ms after.
for (const channel of CHANNELS) await run(`warm-up (${channel})`, WARMUP, () => request(port, ...(channel === "sms" ? smsTurnArgs(0) : wechatTurnArgs(0))), 16);
await run("warm-up (bare)", WARMUP, () => request(barePort, "/bare", "GET"), 16);
if (databaseUrl) await run("warm-up (bare turn)", WARMUP, () => request(barePort, ...bareTurnArgs()), 16);
// The run's database is new: its tables had no statistics when the service first planned its
// statements (the foreign keys' checks among them), and those plans scanned the whole of
// ChannelIdentity, 800 rows, three times a turn by the end (pg_stat_user_tables: 29,280 scans).
// Autovacuum analyses a live database within a minute of such growth (where none runs, the
// service's database.analyse job does, every minute: src/db/maintenance.ts); here it is done at once.
await statsConnection?.query("ANALYZE");
function smsTurnArgs(crowd: number): [string, string, string, Record<string, string>] {
  const [path, body, headers] = smsTurn(crowd);
  return [path, "POST", body, headers];
}
function wechatTurnArgs(crowd: number): [string, string, string, Record<string, string>] {
  const [path, body, headers] = wechatTurn(crowd);
  return [path, "POST", body, headers];
}
/** A WeChat message's body to the bare turn, which only stores it. */
function bareTurnArgs(): [string, string, string, Record<string, string>] {
  const [, body, headers] = wechatTurn(0);
  return ["/bare-turn", "POST", body, headers];
}
for (const [level, inFlight] of LEVELS.entries()) {
  console.log(`\n${inFlight} in flight`);
  const crowd = level + 1;
  const bareRate = await run("bare Hono route", TURNS * 2, () => request(barePort, "/bare", "GET"), inFlight);
  if (databaseUrl) await run("bare turn (read, write)", TURNS, () => request(barePort, ...bareTurnArgs()), inFlight);
  const smsRate = CHANNELS.includes("sms")
    ? await run("SMS turn (Twilio)", TURNS, () => request(port, ...smsTurnArgs(crowd)), inFlight)
    : NaN;
  const wechatRate = CHANNELS.includes("wechat")
    ? await run("WeChat turn (plain)", TURNS, () => request(port, ...wechatTurnArgs(crowd)), inFlight)
    : NaN;
  console.log(`turns per second vs bare route: SMS ${(smsRate / bareRate).toFixed(3)}, WeChat ${(wechatRate / bareRate).toFixed(3)} (target: 500 turns/s, p99 < 100 ms)`);
}

// Delivery reports: a provider sends one or two for every message sent (sent, delivered), as many
// as the messages themselves. The bench's own sent messages (the service has no provider here), one
// report each, the statement figures as for the turns; PostgreSQL only, where the bench writes them.
if (databaseUrl && CHANNELS.includes("sms")) {
  const REPORTS = TURNS;
  await statsConnection!.query(
    `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, "sentAt", "providerMessageId")
     SELECT gen_random_uuid()::text, 'bench-report-' || i, 'sms', 'bench', 'push', '{"text":"bench"}', 'sent', now(), 'SMreport' || i
     FROM generate_series(0, $1 - 1) i`,
    [REPORTS],
  );
  await statsConnection!.query(`ANALYZE "OutboxMessage"`);
  let report = 0;
  console.log("");
  await run("SMS delivery report", REPORTS, () => request(port, ...smsReportArgs(report++)), 16);
}
function smsReportArgs(n: number): [string, string, string, Record<string, string>] {
  const fields = { MessageSid: `SMreport${n}`, MessageStatus: "delivered", To: "+8613900000000", AccountSid: "ACbench" };
  const path = "/webhooks/sms/twilio/status";
  const headers = { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": getExpectedTwilioSignature(TWILIO_TOKEN, `https://bench.example.cn${path}`, fields) };
  return [path, "POST", new URLSearchParams(fields).toString(), headers];
}

clearInterval(rssSampler);
await statsConnection?.end();
console.log(`\nservice memory under load: ${peakRssMb} MB RSS at most (sampled every 200 ms)`);
agent.destroy();
bareServer.kill("SIGTERM");
service.kill("SIGTERM");
await new Promise((resolve) => service.once("exit", resolve));
await dropDatabase();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
