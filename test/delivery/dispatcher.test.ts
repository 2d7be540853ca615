// The outbox dispatcher against a real database, with a stand-in for the provider (the only thing
// outside the machine): retries, outages, quiet hours, caps, leases and concurrent dispatchers.
import { createMetrics } from "../../src/shared/metrics.ts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { CLAIM, IN_QUEUE_ORDER, backoffMs, createDispatcher } from "../../src/delivery/dispatcher.ts";
import { recordDeliveryStatus } from "../../src/delivery/status.ts";
import { SendFailure, type Envelope, type Sender } from "../../src/delivery/sender.ts";
import { isQuiet, quietEndsAt } from "../../src/shared/china-time.ts";
import { smsAddress, storedAddress } from "../../src/delivery/personal-data.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());
beforeEach(async () => {
  await db.prisma.outboxMessage.deleteMany();
});

const log = createLogger({ level: "silent" });
const pii = createPiiProtector(new Uint8Array(32).fill(7));
// 2026-11-24 12:00 China time: daytime.
const noon = new Date("2026-11-24T04:00:00Z");

/** A provider stand-in: records what it was asked to send, and fails when told to. */
function provider(behaviour: (message: Envelope, call: number) => void = () => {}) {
  const calls: Envelope[] = [];
  const sender: Sender = {
    async send(message) {
      calls.push(message);
      behaviour(message, calls.length);
      return { providerMessageId: `P${calls.length}` };
    },
  };
  /** the idempotency keys of the rows sent, in the order they went */
  const sentKeys = async () => {
    const rows = await db.prisma.outboxMessage.findMany({ where: { id: { in: calls.map((m) => m.id) } }, select: { id: true, idempotencyKey: true } });
    const keyOf = new Map(rows.map((row) => [row.id, row.idempotencyKey]));
    return calls.map((m) => keyOf.get(m.id)!);
  };
  return { sender, calls, sentKeys };
}

async function queue(count: number, purpose = "push", address = "+8613800000001", prefix = purpose) {
  await db.prisma.outboxMessage.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      idempotencyKey: `${prefix}-${address}-${i}`,
      channel: "sms",
      address: smsAddress(pii, address),
      purpose,
      body: { text: `消息${i}` },
      nextAttemptAt: new Date(noon.getTime() - 1000),
    })),
  });
}

const statusOf = async (key: string) => (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } })).status;

describe("the dispatcher", () => {
  it("claims a backlog in queue order, never sorting the whole of it, whatever the statistics say", async () => {
    await queue(3000, "reply");
    // Statistics that have never seen the backlog: the planner then takes it to be a row or two.
    await db.sql.exec(`DELETE FROM pg_statistic WHERE starelid = '"OutboxMessage"'::regclass; UPDATE pg_class SET reltuples = -1 WHERE oid = '"OutboxMessage"'::regclass`);
    const plan = await db.sql.transaction(async (tx) => {
      await tx.query(IN_QUEUE_ORDER);
      const rows = await tx.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) ${CLAIM}`, [new Date(noon.getTime() + 60_000), noon, ["sms"], "reply", true, 16]);
      return JSON.stringify(Object.values(rows[0]!)[0]);
    });
    expect(plan).toContain('"Index Name":"OutboxMessage_unsent_seq_idx"');
    expect(plan).not.toContain('"Node Type":"Sort"');
    await db.sql.exec(`ANALYZE "OutboxMessage"`);
  });

  it("claims by key with a plan made for any batch, on an empty outbox or a full one: never reads the whole outbox", async () => {
    // A plan made once for any values (the service's sessions make them so, and keep it) guesses
    // that a batch is a tenth of the table; made on a new, empty outbox, it guessed a scan would do.
    const genericPlan = () =>
      db.sql.transaction(async (tx) => {
        await tx.query(IN_QUEUE_ORDER);
        await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
        await tx.query(`PREPARE generic_claim AS ${CLAIM}`);
        const rows = await tx.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) EXECUTE generic_claim('2026-12-06 04:01:00', '2026-12-06 04:00:00', '{sms}', 'reply', true, 16)`);
        await tx.query(`DEALLOCATE generic_claim`);
        return JSON.stringify(Object.values(rows[0]!)[0]);
      });
    await db.sql.exec(`TRUNCATE "OutboxMessage"; DELETE FROM pg_statistic WHERE starelid = '"OutboxMessage"'::regclass; UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid = '"OutboxMessage"'::regclass`);
    const planOnEmpty = await genericPlan();
    await queue(3000, "reply", "+8613800000002", "generic");
    await db.sql.exec(`ANALYZE "OutboxMessage"`);
    for (const plan of [planOnEmpty, await genericPlan()]) {
      expect(plan).toContain('"Index Name":"OutboxMessage_unsent_seq_idx"');
      expect(plan).toContain('"Index Name":"OutboxMessage_pkey"');
      expect(plan).not.toContain('"Node Type":"Seq Scan"');
    }
  });

  it("retries a failed send until the message is maxAgeMs old, then gives it up, in whatever zone the machine keeps", async () => {
    // An hour on either side of the limit: a time read as the machine's local time (China's is eight
    // hours ahead, New York's five behind) lands on the wrong side of it.
    for (const [key, ageHours] of [["young", 1], ["old", 3]] as const) {
      await db.prisma.outboxMessage.create({
        data: { idempotencyKey: key, channel: "sms", address: smsAddress(pii, "+8613800000004"), purpose: "reply", body: { text: key }, createdAt: new Date(noon.getTime() - ageHours * 3600_000), nextAttemptAt: new Date(noon.getTime() - 1000) },
      });
    }
    const stub = provider(() => {
      throw new SendFailure("provider down", true);
    });
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon, maxAgeMs: 2 * 3600_000 });
    expect(await dispatcher.runOnce()).toBe(2);
    expect(await statusOf("young")).toBe("pending");
    expect(await statusOf("old")).toBe("failed");
  });

  it("hands senders a checked message: a body that is not one is given up, never sent", async () => {
    const stub = provider();
    await db.prisma.outboxMessage.create({
      data: { idempotencyKey: "not-a-message", channel: "sms", address: smsAddress(pii, "+8613800000001"), purpose: "push", body: { words: "消息" }, nextAttemptAt: new Date(noon.getTime() - 1000) },
    });
    await queue(1);
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    await dispatcher.runOnce();
    expect(await stub.sentKeys()).toEqual(["push-+8613800000001-0"]);
    expect(stub.calls[0]!.body).toEqual({ text: "消息0" });
    expect(await statusOf("not-a-message")).toBe("failed");
  });

  it("counts each send for the metrics by channel, provider and outcome", async () => {
    let failing = true;
    const stub = provider((_message, call) => {
      if (call === 2 && failing) throw new SendFailure("busy", true);
      if (call === 3) throw new SendFailure("bad number", false);
    });
    await queue(3, "push", "+8613800000009", "counted");
    const metrics = createMetrics();
    const channels = { sms: { sender: stub.sender, ratePerSecond: 1000, provider: (to: string) => (to.startsWith("+86") ? "aliyun" : "twilio") } };
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels, quietHours: null, log, clock: () => noon, metrics });
    await dispatcher.runOnce();
    failing = false;
    const text = metrics.render([]);
    expect(text).toContain('zt_sends_total{channel="sms",provider="aliyun",outcome="sent"} 1');
    expect(text).toContain('zt_sends_total{channel="sms",provider="aliyun",outcome="retry"} 1');
    expect(text).toContain('zt_sends_total{channel="sms",provider="aliyun",outcome="failed"} 1');
  });

  it("sends in order and records the provider's id", async () => {
    const stub = provider();
    await queue(3);
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    expect(await dispatcher.runOnce()).toBe(3);
    expect(await stub.sentKeys()).toEqual(["push-+8613800000001-0", "push-+8613800000001-1", "push-+8613800000001-2"]);
    // The number is sealed at rest; only the provider is handed it plain.
    expect(stub.calls.map((message) => message.to)).toEqual(["+8613800000001", "+8613800000001", "+8613800000001"]);
    const stored = await db.prisma.outboxMessage.findMany({ select: { address: true } });
    expect(stored.every((row) => row.address.startsWith("a1.") && !row.address.includes("13800000001"))).toBe(true);
    const rows = await db.prisma.outboxMessage.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.status, r.providerMessageId, r.attempts])).toEqual([["sent", "P1", 1], ["sent", "P2", 1], ["sent", "P3", 1]]);
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it("sends one address's messages one after another in queue order, other addresses' beside them", async () => {
    await queue(3, "push", "+8613800000005", "first");
    await queue(2, "push", "+8613800000006", "second");
    const inFlight = new Map<string, number>();
    let most = 0;
    let together = 0;
    const sentIds: string[] = [];
    const sender: Sender = {
      async send(message) {
        const now = (inFlight.get(message.to) ?? 0) + 1;
        inFlight.set(message.to, now);
        most = Math.max(most, now);
        together = Math.max(together, [...inFlight.values()].reduce((sum, n) => sum + n, 0));
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight.set(message.to, now - 1);
        sentIds.push(message.id);
        return { providerMessageId: `P-${message.id}` };
      },
    };
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    expect(await dispatcher.runOnce()).toBe(5);
    expect(most).toBe(1);
    expect(together).toBe(2);
    const keys = new Map((await db.prisma.outboxMessage.findMany({ select: { id: true, idempotencyKey: true } })).map((row) => [row.id, row.idempotencyKey]));
    const sentKeys = sentIds.map((id) => keys.get(id)!);
    expect(sentKeys.filter((key) => key.startsWith("first-"))).toEqual(["first-+8613800000005-0", "first-+8613800000005-1", "first-+8613800000005-2"]);
    expect(sentKeys.filter((key) => key.startsWith("second-"))).toEqual(["second-+8613800000006-0", "second-+8613800000006-1"]);
  });

  it("waits out a provider outage with backoff and then sends each message exactly once", async () => {
    let outage = true;
    const stub = provider(() => {
      if (outage) throw new SendFailure("503 from provider", true);
    });
    await queue(5);
    let clock = noon;
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => clock });
    await dispatcher.runOnce();
    const waiting = await db.prisma.outboxMessage.findMany();
    expect(waiting.every((m) => m.status === "pending" && m.lastError === "503 from provider" && m.nextAttemptAt > noon)).toBe(true);
    expect(await dispatcher.runOnce()).toBe(0); // backing off: nothing due yet
    clock = new Date(noon.getTime() + 10 * 60_000);
    await dispatcher.runOnce(); // still down
    outage = false;
    clock = new Date(noon.getTime() + 60 * 60_000);
    expect(await dispatcher.runOnce()).toBe(5);
    const delivered = (await stub.sentKeys()).slice(10);
    expect(new Set(delivered).size).toBe(5);
    expect((await db.prisma.outboxMessage.findMany()).every((m) => m.status === "sent" && m.attempts === 3)).toBe(true);
  });

  it("gives up on a message the provider refuses, and stops pushing to an opted-out number", async () => {
    await db.prisma.channelIdentity.upsert({
      where: { channel_address: { channel: "sms", address: smsAddress(pii, "+8613800000002") } },
      create: { channel: "sms", address: smsAddress(pii, "+8613800000002") },
      update: { optedOutAt: null },
    });
    const stub = provider((message) => {
      if (message.to === "+8613800000002") throw new SendFailure("21610: unsubscribed recipient", false, true);
      throw new SendFailure("400: invalid number", false);
    });
    await queue(1, "push", "+8613800000001");
    await queue(1, "push", "+8613800000002");
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    await dispatcher.runOnce();
    expect(await statusOf("push-+8613800000001-0")).toBe("failed");
    expect(await statusOf("push-+8613800000002-0")).toBe("failed");
    const identity = await db.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "sms", address: smsAddress(pii, "+8613800000002") } } });
    expect(identity.optedOutAt).not.toBeNull();
  });

  it("holds pushes in quiet hours but lets replies through", async () => {
    const stub = provider();
    await queue(1, "push");
    await queue(1, "reply");
    const night = new Date("2026-11-24T14:30:00Z"); // 22:30 China time
    let clock = night;
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: { start: 21, end: 8 }, log, clock: () => clock });
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await stub.sentKeys()).toEqual(["reply-+8613800000001-0"]);
    clock = new Date("2026-11-25T00:05:00Z"); // 08:05 China time
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await stub.sentKeys()).toEqual(["reply-+8613800000001-0", "push-+8613800000001-0"]);
  });

  it("keeps pushes to one number within the daily cap, and sends the rest the next morning", async () => {
    const stub = provider();
    await queue(3, "push");
    let clock = noon;
    const dispatcher = createDispatcher({
      prisma: db.prisma,
      pii,
      sql: db.sql,
      channels: { sms: { sender: stub.sender, ratePerSecond: 1000, dailyCap: 2 } },
      quietHours: { start: 21, end: 8 },
      log,
      clock: () => clock,
      concurrency: 1,
    });
    while ((await dispatcher.runOnce()) > 0);
    expect(stub.calls).toHaveLength(2);
    const held = await db.prisma.outboxMessage.findFirstOrThrow({ where: { status: "pending" } });
    expect(held.nextAttemptAt.toISOString()).toBe("2026-11-25T00:00:00.000Z"); // 08:00 China time
    expect(held.attempts).toBe(0);
    clock = new Date("2026-11-25T00:00:01Z");
    await dispatcher.runOnce();
    expect(stub.calls).toHaveLength(3);
  });

  it("takes a message again after a crash mid-send, once its lease ends", async () => {
    await queue(1);
    // A dispatcher that dies after claiming: its send never returns.
    const hung = createDispatcher({
      prisma: db.prisma,
      pii,
      sql: db.sql,
      channels: { sms: { sender: { send: () => new Promise(() => {}) }, ratePerSecond: 1000 } },
      quietHours: null,
      log,
      clock: () => noon,
      leaseMs: 60_000,
    });
    void hung.runOnce();
    await expect.poll(() => statusOf("push-+8613800000001-0")).toBe("sending");
    const stub = provider();
    let clock = new Date(noon.getTime() + 30_000);
    const survivor = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => clock });
    expect(await survivor.runOnce()).toBe(0); // still leased
    clock = new Date(noon.getTime() + 61_000);
    expect(await survivor.runOnce()).toBe(1);
    expect(await statusOf("push-+8613800000001-0")).toBe("sent");
  });

  it("lets several dispatchers share the work without sending anything twice", async () => {
    const stub = provider();
    for (let i = 0; i < 4; i++) await queue(50, "push", `+861380000010${i}`);
    const dispatchers = Array.from({ length: 3 }, () =>
      createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 100_000 } }, quietHours: null, log, clock: () => noon, concurrency: 7 }),
    );
    await Promise.all(dispatchers.map(async (d) => { while ((await d.runOnce()) > 0); }));
    expect(stub.calls).toHaveLength(200);
    expect(new Set(await stub.sentKeys()).size).toBe(200);
  });

  it("never sends faster than the provider's rate", async () => {
    const stub = provider();
    await queue(20);
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 10 } }, quietHours: null, log, clock: () => noon });
    const started = performance.now();
    while ((await dispatcher.runOnce()) > 0);
    expect(stub.calls).toHaveLength(20);
    // 20 messages at 10/s with a burst of 10: at least a second (a lower bound, not a timing target).
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe("timing helpers", () => {
  it("back off exponentially with jitter, capped at an hour", () => {
    expect(backoffMs(1, () => 0.5)).toBe(5_000);
    expect(backoffMs(3, () => 0.5)).toBe(20_000);
    expect(backoffMs(30, () => 0.5)).toBe(3_600_000);
    expect(backoffMs(2, () => 0)).toBe(8_000);
  });

  it("know China's quiet hours across midnight", () => {
    const quiet = { start: 21, end: 8 };
    expect(isQuiet(new Date("2026-11-24T13:00:00Z"), quiet)).toBe(true); // 21:00
    expect(isQuiet(new Date("2026-11-24T23:59:00Z"), quiet)).toBe(true); // 07:59
    expect(isQuiet(new Date("2026-11-25T00:00:00Z"), quiet)).toBe(false); // 08:00
    expect(isQuiet(new Date("2026-11-24T12:59:00Z"), quiet)).toBe(false); // 20:59
    expect(quietEndsAt(new Date("2026-11-24T14:30:00Z"), quiet).toISOString()).toBe("2026-11-25T00:00:00.000Z");
    expect(isQuiet(new Date("2026-11-24T13:00:00Z"), null)).toBe(false);
  });
});

describe("the notice a message carries", () => {
  /** A worker with an SMS number of their own (and the identity the message goes to), and a push to them. */
  async function noticeWithOutbox(key: string, channel: string, address: string, smsNumber: string) {
    const worker = await db.prisma.worker.create({ data: { name: "通知" } });
    await db.prisma.channelIdentity.create({ data: { channel: "sms", address: smsAddress(pii, smsNumber), workerId: worker.id } });
    if (channel !== "sms") await db.prisma.channelIdentity.create({ data: { channel, address, workerId: worker.id } });
    const outbox = await db.prisma.outboxMessage.create({
      data: { idempotencyKey: key, channel, address: storedAddress(pii, channel, address), purpose: "push", body: { text: "岗位" }, workerId: worker.id, nextAttemptAt: new Date(noon.getTime() - 1000) },
    });
    await db.prisma.notice.create({ data: { kind: "job_push", key, workerId: worker.id, outboxId: outbox.id } });
  }
  const noticeOf = (key: string) => db.prisma.notice.findUniqueOrThrow({ where: { key } });

  it("learns it was sent (a reply can answer it from then on), then what the provider reports", async () => {
    await noticeWithOutbox("job_push:v1:w1", "sms", "+8613800000009", "+8613800000009");
    expect((await noticeOf("job_push:v1:w1")).sentAt).toBeNull();
    const stub = provider();
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    await dispatcher.runOnce();
    expect(await noticeOf("job_push:v1:w1")).toMatchObject({ sentAt: noon, delivery: "sent" });
    await recordDeliveryStatus(db.sql, { channel: "sms", providerMessageId: "P1", status: "undelivered", at: noon });
    expect(await noticeOf("job_push:v1:w1")).toMatchObject({ sentAt: noon, delivery: "undelivered" });
  });

  it("is sent by its fallback when the first channel cannot reach the person, and failed when nothing could", async () => {
    await noticeWithOutbox("job_push:v2:w2", "wechat", "openid-notice", "+8613800000011");
    const wechat: Sender = { send: async () => { throw new SendFailure("45015 outside the window", false, false, "sms"); } };
    const sms = provider();
    const dispatcher = createDispatcher({
      prisma: db.prisma,
      pii,
      sql: db.sql,
      channels: { wechat: { sender: wechat, ratePerSecond: 1000 }, sms: { sender: sms.sender, ratePerSecond: 1000 } },
      quietHours: null,
      log,
      clock: () => noon,
    });
    while ((await dispatcher.runOnce()) > 0);
    expect(await sms.sentKeys()).toEqual(["job_push:v2:w2:via:sms"]);
    expect(await noticeOf("job_push:v2:w2")).toMatchObject({ delivery: "sent", sentAt: expect.any(Date) });

    await noticeWithOutbox("job_push:v3:w3", "sms", "+8613800000010", "+8613800000010");
    const broken: Sender = { send: async () => { throw new SendFailure("invalid number", false); } };
    const giving = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: broken, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    await giving.runOnce();
    expect(await noticeOf("job_push:v3:w3")).toMatchObject({ delivery: "failed", sentAt: null });
  });
});

describe("opt-out at the moment of sending", () => {
  it("a push queued before the person said 退订 does not go; a notice about their own case does", async () => {
    await db.prisma.channelIdentity.create({ data: { channel: "sms", address: smsAddress(pii, "+8613800000077"), optedOutAt: new Date(noon.getTime() - 60_000) } });
    await queue(1, "push", "+8613800000077");
    await queue(1, "notice", "+8613800000077");
    const stub = provider();
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: stub.sender, ratePerSecond: 1000 } }, quietHours: null, log, clock: () => noon });
    await dispatcher.runOnce();
    expect(await stub.sentKeys()).toEqual(["notice-+8613800000077-0"]);
    expect(await statusOf("push-+8613800000077-0")).toBe("failed");
  });
});
