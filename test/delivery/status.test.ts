import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { MOVE_STATUS, recordDeliveryStatus } from "../../src/delivery/status.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

describe("delivery status callbacks", () => {
  it("only ever move a message's status forward, whatever order they arrive in", async () => {
    await db.prisma.outboxMessage.create({
      data: { idempotencyKey: "s1", channel: "sms", address: "+8613800000001", purpose: "push", body: { text: "x" }, status: "sending", providerMessageId: "SM1" },
    });
    const at = new Date();
    const apply = (status: "sent" | "delivered" | "failed" | "undelivered") => recordDeliveryStatus(db.sql, { channel: "sms", providerMessageId: "SM1", status, at });
    const current = async () => (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "s1" } })).status;
    expect(await apply("delivered")).toBe(true);
    expect(await apply("sent")).toBe(false); // late "sent" after "delivered"
    expect(await current()).toBe("delivered");
    expect(await apply("failed")).toBe(false); // a final status stays
    expect(await current()).toBe("delivered");
    expect(await recordDeliveryStatus(db.sql, { channel: "sms", providerMessageId: "unknown", status: "delivered", at })).toBe(false);
    expect(await recordDeliveryStatus(db.sql, { channel: "wechat", providerMessageId: "SM1", status: "failed", at })).toBe(false);
  });

  it("keep the provider's error, and move the notice a message carries, through its fallback too", async () => {
    const worker = await db.prisma.worker.create({ data: { name: "回执" } });
    const key = "job_push:v9:w9";
    const outbox = await db.prisma.outboxMessage.create({
      data: { idempotencyKey: `${key}:via:sms`, channel: "sms", address: "+8613800000002", purpose: "push", body: { text: "x" }, status: "sent", providerMessageId: "SM2" },
    });
    await db.prisma.notice.create({ data: { kind: "job_push", key, workerId: worker.id, outboxId: outbox.id, delivery: "sent" } });
    const at = new Date("2026-12-01T02:00:00Z");
    expect(await recordDeliveryStatus(db.sql, { channel: "sms", providerMessageId: "SM2", status: "undelivered", at, error: "Twilio 30003" })).toBe(true);
    expect(await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: outbox.id } })).toMatchObject({ status: "undelivered", statusAt: at, lastError: "Twilio 30003" });
    expect((await db.prisma.notice.findUniqueOrThrow({ where: { key } })).delivery).toBe("undelivered");
    // A late report moves nothing, and keeps the error it does not repeat.
    expect(await recordDeliveryStatus(db.sql, { channel: "sms", providerMessageId: "SM2", status: "sent", at: new Date() })).toBe(false);
    expect((await db.prisma.notice.findUniqueOrThrow({ where: { key } })).delivery).toBe("undelivered");

    // A reply carries no notice: a notice that happens to share its key is left alone.
    await db.prisma.notice.create({ data: { kind: "job_push", key: "reply:sms:SM-in-3:0", workerId: worker.id, delivery: "sent" } });
    await db.prisma.outboxMessage.create({
      data: { idempotencyKey: "reply:sms:SM-in-3:0", channel: "sms", address: "+8613800000002", purpose: "reply", body: { text: "y" }, status: "sent", providerMessageId: "SM3" },
    });
    expect(await recordDeliveryStatus(db.sql, { channel: "sms", providerMessageId: "SM3", status: "delivered", at })).toBe(true);
    expect(await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "reply:sms:SM-in-3:0" } })).toMatchObject({ status: "delivered", lastError: null });
    expect((await db.prisma.notice.findUniqueOrThrow({ where: { key: "reply:sms:SM-in-3:0" } })).delivery).toBe("sent");
  });

  it("find the message by the provider's id with a plan made for any values: never read the whole outbox or every notice", async () => {
    const worker = await db.prisma.worker.create({ data: { name: "计划" } });
    await db.sql.query(
      `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, "providerMessageId")
       SELECT gen_random_uuid()::text, 'job_push:plan' || i, 'sms', '+8613800000003', 'push', '{"text":"x"}', 'sent', 'SMplan' || i FROM generate_series(1, 3000) i`,
    );
    await db.sql.query(`INSERT INTO "Notice" (id, kind, "workerId", key) SELECT gen_random_uuid()::text, 'job_push', $1, 'job_push:plan' || i FROM generate_series(1, 3000) i`, [worker.id]);
    await db.sql.exec(`ANALYZE "OutboxMessage"; ANALYZE "Notice"`);
    const plan = await db.sql.transaction(async (tx) => {
      await tx.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
      await tx.query(`PREPARE generic_status AS ${MOVE_STATUS.text}`);
      const rows = await tx.query<Record<string, unknown>>(`EXPLAIN (FORMAT JSON) EXECUTE generic_status('sms', 'SMplan7', 'delivered', '2026-12-06 04:00:00', NULL, '{pending,sending,sent}')`);
      await tx.query(`DEALLOCATE generic_status`);
      return JSON.stringify(Object.values(rows[0]!)[0]);
    });
    expect(plan).toContain('"Index Name":"OutboxMessage_providerMessageId_idx"');
    expect(plan).toContain('"Index Name":"Notice_key_key"');
    expect(plan).not.toContain('"Node Type":"Seq Scan"');
  });
});
