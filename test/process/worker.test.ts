// The Cloudflare Worker (src/entry/worker.ts), built as it is deployed (scripts/worker.mjs) and run
// on workerd, Cloudflare's runtime, against PostgreSQL through a Hyperdrive binding: a worker
// registers through the simulator, another over SMS (Twilio's signed webhooks, the replies leaving
// through a stand-in for Twilio's API after the webhook's answer), a vacancy is posted through the
// API, the Cron Trigger runs the jobs, and the pushes leave — the same behaviour as on Node. Runs
// where a PostgreSQL server answers (CI has one).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWorker, serveWorker } from "../../scripts/worker.mjs";
import { applyMigrations } from "../../src/db/migrate.ts";
import { readMigrations } from "../../src/db/migrations-fs.ts";
import { postgresRunner } from "../../src/db/sql.ts";
import { smsAddress } from "../../src/delivery/personal-data.ts";
import { startBundledMeilisearch, type BundledMeilisearch } from "../../src/entry/bundled-meilisearch.ts";
import { ensureRegions } from "../../src/reference/regions.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { residentId } from "../support/people.ts";
import { freePort, postgresAnswers, realClockEnvironment, scratchDatabase } from "../support/servers.ts";
import { standIn } from "../support/stand-in.ts";

const hasPostgres = await postgresAnswers();

const ADMIN_TOKEN = "worker-test-admin-token-0123456789";
const TWILIO_AUTH_TOKEN = "twilio-auth-token-0123456789";
const TWILIO_FROM = "+15005550006";
const PII_KEY = randomBytes(32).toString("base64");
const pii = createPiiProtector(Buffer.from(PII_KEY, "base64"));

describe.skipIf(!hasPostgres)("the Worker on workerd", () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let db: pg.Client;
  let twilio: Awaited<ReturnType<typeof standIn>>;
  let workerd: ChildProcess;
  let output = "";
  let base: string;
  let cron: string;
  let sid = 0;
  let meili: BundledMeilisearch;
  const meiliDir = mkdtempSync(join(tmpdir(), "zt-worker-meili-"));

  beforeAll(async () => {
    scratch = await scratchDatabase(`zt_worker_${process.pid}`);
    // What `npm run db:migrate` does from a Node machine before a deployment (one province's villages here).
    const pool = new pg.Pool({ connectionString: scratch.url });
    await applyMigrations(postgresRunner(pool), readMigrations());
    await ensureRegions(postgresRunner(pool), { villagesUnder: ["35"] });
    await pool.end();
    db = new pg.Client({ connectionString: scratch.url });
    await db.connect();

    twilio = await standIn((request) =>
      /Messages\.json$/.test(request.path) ? { status: 201, json: { sid: `SM${String(++sid).padStart(32, "0")}`, status: "queued" } } : { status: 404, json: {} },
    );
    // A Meilisearch of its own: the Worker uses the default index names, as a service started by
    // another test file may on the shared one. Like workerd it keeps the real clock: under
    // faketime's preload (test:later) it left its tasks enqueued now and then.
    meili = await startBundledMeilisearch({ dataDir: meiliDir, masterKey: "worker-test-master-key-0123", log: createLogger({ level: "warn" }), environment: realClockEnvironment() });

    await buildWorker();
    const port = await freePort();
    const cronPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    cron = `http://127.0.0.1:${cronPort}`;
    workerd = serveWorker({
      port,
      cronPort,
      database: scratch.url,
      stdio: ["ignore", "pipe", "pipe"],
      // workerd keeps the real clock, as the PostgreSQL server does: the run a year ahead
      // (test:later) moves Node's time through faketime's preload, which workerd does not survive.
      env: realClockEnvironment(),
      variables: {
        NODE_ENV: "production",
        SIMULATOR_ENABLED: "on",
        MEILI_URL: meili.url,
        MEILI_MASTER_KEY: meili.masterKey,
        PII_ENCRYPTION_KEY: PII_KEY,
        ADMIN_TOKEN,
        PUBLIC_BASE_URL: base,
        SMS_QUIET_HOURS: "off",
        TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
        TWILIO_AUTH_TOKEN,
        TWILIO_FROM,
        TWILIO_API_URL: twilio.url,
      },
    });
    workerd.stdout!.on("data", (chunk) => (output += chunk));
    workerd.stderr!.on("data", (chunk) => (output += chunk));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (workerd.exitCode !== null) throw new Error(`workerd ended: ${output}`);
      const health = await fetch(`${base}/health`).catch(() => null);
      if (health?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the Worker did not become healthy: ${health?.status} ${await health?.text()}\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 120_000);

  afterAll(async () => {
    workerd?.kill("SIGKILL");
    await meili?.stop();
    rmSync(meiliDir, { recursive: true, force: true });
    await db?.end();
    await twilio?.close();
    await scratch?.drop();
  });

  /** Fires the Cron Trigger, as Cloudflare does every minute. */
  const fireCron = async () => {
    const response = await fetch(cron);
    expect(response.status, `${await response.clone().text()}\n${output}`).toBe(200);
  };

  /** Waits for what the stand-in for Twilio's API was sent to a number (firing the Cron Trigger meanwhile, if asked). */
  async function sentTo(number: string, count: number, { cronEveryMs = 0, timeoutMs = 20_000 } = {}): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (let round = 0; ; round++) {
      const bodies = twilio.requests.map((request) => new URLSearchParams(request.body)).filter((form) => form.get("To") === number).map((form) => form.get("Body") ?? "");
      if (bodies.length >= count) return bodies;
      if (Date.now() > deadline) throw new Error(`${bodies.length} of ${count} messages to ${number} left: ${JSON.stringify(bodies)}\n${output.slice(-4000)}`);
      if (cronEveryMs && round % Math.max(1, Math.round(cronEveryMs / 100)) === 0) await fireCron();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  let smsCounter = 0;
  /** An SMS from `number`, posted as Twilio posts it; resolves with the reply that leaves through the stand-in. */
  async function sms(number: string, text: string): Promise<string> {
    const before = (await sentTo(number, 0)).length;
    const fields = { MessageSid: `SMin${++smsCounter}`, AccountSid: "AC00000000000000000000000000000000", From: number, To: TWILIO_FROM, Body: text, NumSegments: "1", FromCountry: "CN" };
    const path = "/webhooks/sms/twilio";
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": getExpectedTwilioSignature(TWILIO_AUTH_TOKEN, `${base}${path}`, fields) },
    });
    expect(response.status).toBe(200);
    // A turn queues all its replies at once: when the first has left, wait for the rest of them.
    await sentTo(number, before + 1);
    const address = smsAddress(pii, number);
    while ((await db.query(`SELECT 1 FROM "OutboxMessage" WHERE address = $1 AND status IN ('pending', 'sending')`, [address])).rowCount) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return (await sentTo(number, 0)).slice(before).join("\n");
  }

  async function simulator(from: string, text: string): Promise<string> {
    const response = await fetch(`${base}/api/simulator/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from, text }) });
    const body = (await response.json()) as { replies: { text: string }[] };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body.replies.map((reply) => reply.text).join("\n");
  }

  /** The registration conversation of ../conversation/registration.test.ts, on any channel. */
  async function register(say: (text: string) => Promise<string>, name: string, idNumber: string, phone?: string) {
    expect(await say("你好")).toContain("1 找工作");
    expect(await say("1")).toContain("同意");
    expect(await say("同意")).toContain("姓名");
    expect(await say(name)).toContain("身份证");
    const afterId = await say(idNumber);
    if (phone) {
      expect(afterId).toContain("手机号码");
      expect(await say(phone)).toContain("您家在云霄县吗");
    } else expect(afterId).toContain("您家在云霄县吗");
    expect(await say("云霄县")).toContain("请选乡镇");
    expect(await say("莆美")).toContain("请选村");
    expect(await say("1")).toContain("建档立卡");
    expect(await say("1")).toContain("可多选");
    expect(await say("4")).toContain("想做什么工作");
    const jobs = await say("家政");
    expect(jobs.includes("对吗") ? await say("1") : jobs).toContain("愿意去哪里工作");
    expect(await say("3")).toContain("工资");
    expect(await say("3千")).toContain("培训");
    expect(await say("2")).toContain("请核对");
    await say("1");
    const { rows } = await db.query(`SELECT w.id, w."homeRegionCode", p.id AS plan FROM "Worker" w LEFT JOIN "AssistancePlan" p ON p."workerId" = w.id WHERE w.name = $1`, [name]);
    expect(rows).toHaveLength(1);
    expect(rows[0].homeRegionCode).toMatch(/^350622/);
    expect(rows[0].plan).toBeTruthy();
    return rows[0].id as string;
  }

  const SMS_NUMBER = "+8613900000002";
  let webWorker: string;
  let smsWorker: string;

  it("answers /health with its database (through Hyperdrive) and its search engine", async () => {
    const health = await fetch(`${base}/health`);
    expect(await health.json()).toEqual({ status: "ok", db: "ok", search: "ok" });
  });

  it("registers a worker through the simulator", async () => {
    webWorker = await register((text) => simulator("13800000001", text), "王芳", residentId("1992-03-04", "female", 1), "13800000001");
  });

  it("answers many people writing at the same moment, each request's turn on its own connections", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => simulator(`1370000000${index}`, "你好")));
    for (const answer of answers) expect(answer).toContain("1 找工作");
  });

  it("chats over SMS: refuses a forged webhook, and a signed one's replies leave through the provider after its answer", async () => {
    const forged = await fetch(`${base}/webhooks/sms/twilio`, {
      method: "POST",
      body: new URLSearchParams({ MessageSid: "SMforged", From: SMS_NUMBER, Body: "你好" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "forged" },
    });
    expect(forged.status).toBe(403);
    smsWorker = await register((text) => sms(SMS_NUMBER, text), "李强", residentId("1988-07-09", "male", 2));
    const { rows } = await db.query(`SELECT channel FROM "ChannelIdentity" WHERE "workerId" = $1`, [smsWorker]);
    expect(rows).toEqual([{ channel: "sms" }]);
  });

  it("takes a vacancy through the API and pushes it to both workers (after the answer, or on the Cron Trigger)", async () => {
    const unauthorised = await fetch(`${base}/api/vacancies`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "家政服务员" }) });
    expect(unauthorised.status, await unauthorised.clone().text()).toBe(401);
    // Both workers in the search index first: a registration's indexing is a job of its own, which
    // may still be waiting when its last reply has left.
    for (const deadline = Date.now() + 30_000; (await db.query(`SELECT 1 FROM "Job" WHERE kind = 'index.worker' AND status <> 'done'`)).rowCount; ) {
      if (Date.now() > deadline) {
        const jobs = await db.query(`SELECT kind, status, attempts, "lastError", "runAt" FROM "Job" WHERE kind = 'index.worker'`);
        throw new Error(`the workers were not indexed: ${JSON.stringify(jobs.rows)}\n${output.slice(-4000)}`);
      }
      await fireCron();
    }
    const posted = await fetch(`${base}/api/vacancies`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ title: "家政服务员", description: "照顾老人，包吃住", regionCode: "350622103", wageMin: 4000, wageMax: 5000 }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
    const pushes = await sentTo(SMS_NUMBER, 1 + twilio.requests.filter((request) => new URLSearchParams(request.body).get("To") === SMS_NUMBER).length, { cronEveryMs: 1_000, timeoutMs: 60_000 }).catch(async (error: Error) => {
      const jobs = await db.query(`SELECT kind, status, attempts, "lastError", "runAt" FROM "Job" ORDER BY "createdAt"`);
      const notices = await db.query(`SELECT kind, channel, "sentAt" FROM "Notice"`);
      throw new Error(`${error.message}\njobs: ${JSON.stringify(jobs.rows)}\nnotices: ${JSON.stringify(notices.rows)}`);
    });
    expect(pushes.at(-1)).toContain("家政服务员");
    // Marked sent once the provider has answered, a moment after the stand-in saw it.
    const notices = () => db.query(`SELECT "workerId", channel, "sentAt" IS NOT NULL AS sent FROM "Notice" WHERE kind = 'job_push' ORDER BY channel`).then((result) => result.rows);
    await expect.poll(notices, { timeout: 5_000 }).toEqual([
      { workerId: smsWorker, channel: "sms", sent: true },
      { workerId: webWorker, channel: "web", sent: true },
    ]);
  }, 90_000);

  it("runs on the Cron Trigger the jobs and messages queued without a request, each once", async () => {
    const number = "+8613900000003";
    const address = smsAddress(pii, number);
    await db.query(
      `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body) VALUES (gen_random_uuid()::text, 'worker-test-1', 'sms', $1, 'notice', '{"text":"由定时任务发出"}')`,
      [address],
    );
    await db.query(`INSERT INTO "Job" (id, kind, key, payload) VALUES (gen_random_uuid()::text, 'index.settings', 'worker-test-job', '{}')`);
    const jobStatus = async () => (await db.query(`SELECT status FROM "Job" WHERE key = 'worker-test-job'`)).rows[0].status;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sentTo(number, 0)).toEqual([]);
    expect(await jobStatus()).toBe("pending");
    await fireCron();
    expect(await jobStatus()).toBe("done");
    expect(await sentTo(number, 1)).toEqual(["由定时任务发出"]);
    await fireCron();
    expect(await sentTo(number, 0)).toHaveLength(1);
    const { rows } = await db.query(`SELECT status FROM "OutboxMessage" WHERE "idempotencyKey" = 'worker-test-1'`);
    expect(rows).toEqual([{ status: "sent" }]);
  });

  it("serves the console: a sign-in with the administrator's token, and a worker's plan and conversation", async () => {
    const signIn = await fetch(`${base}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = /zt_console=[^;]+/.exec(signIn.headers.get("set-cookie") ?? "")![0];
    const page = await fetch(`${base}/console/workers/${smsWorker}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("李强");
    expect(html).toContain("家政服务员"); // the push, on the timeline
    expect(html).not.toContain("13900000002");
  });

  it("logs one JSON line per request, with no ID number or phone number whole", () => {
    const lines = output.split("\n").filter((line) => line.startsWith("{"));
    const requests = lines.map((line) => JSON.parse(line) as { route?: string; msg?: string }).filter((line) => line.msg === "request");
    expect(requests.map((line) => line.route)).toContain("/webhooks/sms/twilio");
    for (const secret of [residentId("1992-03-04", "female", 1), residentId("1988-07-09", "male", 2), "13800000001", "13900000002"]) expect(output).not.toContain(secret);
  });
});
