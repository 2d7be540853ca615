// `WEB_CONCURRENCY=2 npm start` on PostgreSQL: two service processes on one port and one database.
// One person writing many messages at once, spread over both processes, gets every turn, in order
// (the session's version counts each once); messages queued in the outbox leave exactly once through
// a stand-in for Twilio, and each job runs once, whichever process claims them; a process that dies
// is started again. Runs
// where a PostgreSQL server answers (CI has one); on a laptop without one it is skipped.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smsAddress } from "../../src/delivery/personal-data.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { standIn } from "../support/stand-in.ts";
import { freePort, postgresAnswers, scratchDatabase } from "../support/servers.ts";

const root = new URL("../..", import.meta.url).pathname;
const hasPostgres = await postgresAnswers();

describe.skipIf(!hasPostgres)("two service processes on one PostgreSQL database", () => {
  const database = `zt_processes_${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), "zt-processes-"));
  let url: string;
  let port: number;
  let service: ChildProcess;
  let output = "";
  let sid = 0;
  let stallOver = false;
  let endStall = () => {};
  let twilio: Awaited<ReturnType<typeof standIn>>;
  let db: pg.Client;
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;

  beforeAll(async () => {
    scratch = await scratchDatabase(database);
    url = scratch.url;
    twilio = await standIn(async (request) => {
      // A message the provider takes and never answers: its sender is killed while it waits.
      if (request.body.includes("stalled+message") && !stallOver) await new Promise<void>((resolve) => (endStall = resolve));
      return { status: 201, json: { sid: `SM${String(++sid).padStart(32, "0")}`, status: "queued" } };
    });
    port = await freePort();
    service = spawn("npm", ["start"], {
      cwd: root,
      detached: true,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: url,
        DATA_DIR: dataDir,
        PORT: String(port),
        WEB_CONCURRENCY: "2",
        SMS_QUIET_HOURS: "off",
        TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
        TWILIO_AUTH_TOKEN: "twilio-auth-token-0123456789",
        TWILIO_FROM: "+15005550006",
        TWILIO_API_URL: twilio.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    service.stdout!.on("data", (chunk) => (output += chunk));
    service.stderr!.on("data", (chunk) => (output += chunk));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if ((output.match(/zhitongche is listening/g) ?? []).length >= 2) break;
      if (service.exitCode !== null) throw new Error(`the service ended: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 150_000);

  afterAll(async () => {
    try {
      process.kill(-service.pid!, "SIGKILL");
    } catch {
      // already gone
    }
    await db?.end();
    await twilio?.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The pids of the service processes, as their "listening" lines give them. */
  const listeningPids = () => [...output.matchAll(/"pid":(\d+)[^\n]*zhitongche is listening/g)].map((match) => Number(match[1]));

  it("start as two processes on the port, behind one that started them", async () => {
    expect(output).toContain('"processes":2');
    expect(new Set(listeningPids()).size).toBe(2);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it("give one person's messages, sent all at once, every turn once and in order", async () => {
    const say = (text: string) =>
      fetch(`http://127.0.0.1:${port}/api/simulator/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "busy-person", text }) });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => say(i === 0 ? "你好" : "帮助")));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    // None was taken for a repeat of another: each was answered as a turn of its own.
    const bodies = await Promise.all(answers.map((answer) => answer.json() as Promise<{ duplicate: boolean; replies: unknown[] }>));
    expect(bodies.filter((body) => body.duplicate || body.replies.length === 0)).toEqual([]);
    const { rows } = await db.query<{ version: number; turns: number }>(
      `SELECT s.version, (SELECT count(*)::int FROM "PlanEvent" e WHERE e."identityId" = i.id AND e.kind = 'message_in') AS turns
       FROM "ChannelIdentity" i JOIN "ConversationSession" s ON s."identityId" = i.id WHERE i.channel = 'web' AND i.address = 'busy-person'`,
    );
    // Each turn saved once, on the session the one before it left: versions 0 to 11.
    expect(rows).toEqual([{ version: 11, turns: 12 }]);
  });

  it("send what the outbox holds and run each job exactly once, whichever process claims it, and start a dead one again", async () => {
    const secrets = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { piiEncryptionKey: string };
    const pii = createPiiProtector(Buffer.from(secrets.piiEncryptionKey, "base64"));
    const count = 120;
    await db.query(
      `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, "nextAttemptAt")
       SELECT gen_random_uuid()::text, 'two-processes-' || n, 'sms', a.address, 'staff', jsonb_build_object('text', 'message ' || n), now() - interval '1 second'
       FROM generate_series(1, ${count}) AS n, (SELECT $1::text AS address) AS a`,
      [smsAddress(pii, "+15005550010")],
    );
    const sent = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxMessage" WHERE "idempotencyKey" LIKE 'two-processes-%' AND status = 'sent'`)).rows[0]!.n;
    await expect.poll(sent, { timeout: 60_000, interval: 500 }).toBe(count);
    const bodies = twilio.requests.filter((request) => request.method === "POST").map((request) => new URLSearchParams(request.body).get("Body"));
    const ours = bodies.filter((body) => body?.startsWith("message "));
    expect(ours).toHaveLength(count);
    expect(new Set(ours).size).toBe(count);

    // Jobs too: each claimed (and so run) by one process, once.
    await db.query(
      `INSERT INTO "Job" (id, kind, payload, "runAt") SELECT gen_random_uuid()::text, 'index.worker', jsonb_build_object('id', gen_random_uuid()::text), now() - interval '1 second' FROM generate_series(1, 40)`,
    );
    const jobs = async () => (await db.query<{ done: number; once: number }>(`SELECT count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'done' AND attempts = 1)::int AS once FROM "Job" WHERE kind = 'index.worker'`)).rows[0]!;
    await expect.poll(async () => (await jobs()).done, { timeout: 60_000, interval: 500 }).toBe(40);
    expect((await jobs()).once).toBe(40);

    // One process killed: another takes its place, and the service keeps answering.
    const [victim] = listeningPids();
    process.kill(victim!, "SIGKILL");
    await expect.poll(() => new Set(listeningPids()).size, { timeout: 60_000, interval: 500 }).toBe(3);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  }, 150_000);

  it("lose nothing when a process is killed mid-send: the message goes again once its lease ends", async () => {
    const secrets = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { piiEncryptionKey: string };
    const address = smsAddress(createPiiProtector(Buffer.from(secrets.piiEncryptionKey, "base64")), "+15005550011");
    await db.query(
      `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, "nextAttemptAt") VALUES (gen_random_uuid()::text, 'killed-mid-send', 'sms', $1, 'staff', '{"text":"stalled message"}', now() - interval '1 second')`,
      [address],
    );
    const attempts = () => twilio.requests.filter((request) => request.body.includes("stalled+message")).length;
    await expect.poll(attempts, { timeout: 30_000, interval: 100 }).toBe(1);
    // The provider holds the request; every service process is killed while it waits for the answer.
    const alive = [...new Set(listeningPids())].filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    for (const pid of alive) process.kill(pid, "SIGKILL");
    const state = async () => (await db.query<{ status: string }>(`SELECT status FROM "OutboxMessage" WHERE "idempotencyKey" = 'killed-mid-send'`)).rows[0]!.status;
    expect(await state()).toBe("sending");
    // The processes started again; the lease (60 s) is let run out at once rather than waited for.
    await expect.poll(() => new Set(listeningPids()).size, { timeout: 60_000, interval: 500 }).toBe(3 + alive.length);
    stallOver = true;
    endStall();
    await db.query(`UPDATE "OutboxMessage" SET "nextAttemptAt" = now() - interval '1 second' WHERE "idempotencyKey" = 'killed-mid-send' AND status = 'sending'`);
    await expect.poll(state, { timeout: 30_000, interval: 200 }).toBe("sent");
    // Sent again, once: the provider may have taken the first (the outbox's one at-least-once case).
    expect(attempts()).toBe(2);
  }, 120_000);
});
