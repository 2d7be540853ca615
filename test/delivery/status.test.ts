import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { recordDeliveryStatus } from "../../src/delivery/status.ts";
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
    const apply = (status: "sent" | "delivered" | "failed" | "undelivered") => recordDeliveryStatus(db.prisma, { channel: "sms", providerMessageId: "SM1", status, at });
    const current = async () => (await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "s1" } })).status;
    expect(await apply("delivered")).toBe(true);
    expect(await apply("sent")).toBe(false); // late "sent" after "delivered"
    expect(await current()).toBe("delivered");
    expect(await apply("failed")).toBe(false); // a final status stays
    expect(await current()).toBe("delivered");
    expect(await recordDeliveryStatus(db.prisma, { channel: "sms", providerMessageId: "unknown", status: "delivered", at })).toBe(false);
    expect(await recordDeliveryStatus(db.prisma, { channel: "wechat", providerMessageId: "SM1", status: "failed", at })).toBe(false);
  });
});
