// What the service keeps only for a while: sent outbox messages after 90 days and inbound receipts
// after 7, removed in batches; anything still to send, and anything newer, stays.
import { afterAll, beforeAll, expect, it } from "vitest";
import { removeExpired } from "../../src/services/retention.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

it("removes what has expired, batch by batch, and nothing else", async () => {
  const now = h.clock();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const message = (key: string, status: "delivered" | "sent" | "failed" | "pending", settled: Date | null, created = daysAgo(200)) => ({
    idempotencyKey: `retention-${key}`,
    channel: "sms",
    address: "sealed",
    purpose: "push",
    body: {},
    status,
    statusAt: settled,
    createdAt: created,
  });
  await h.deps.prisma.outboxMessage.createMany({
    data: [
      message("old-delivered-1", "delivered", daysAgo(120)),
      message("old-delivered-2", "delivered", daysAgo(91)),
      message("old-sent", "sent", daysAgo(100)),
      message("old-failed", "failed", daysAgo(95)),
      message("recent-delivered", "delivered", daysAgo(30)),
      // never settled, but still waiting to go: kept, whatever its age
      message("old-pending", "pending", null),
    ],
  });
  await h.deps.prisma.inboundReceipt.createMany({
    data: [
      { channel: "sms", messageId: "retention-old-1", receivedAt: daysAgo(8) },
      { channel: "sms", messageId: "retention-old-2", receivedAt: daysAgo(30) },
      { channel: "sms", messageId: "retention-new", receivedAt: daysAgo(1) },
    ],
  });

  const run = await removeExpired(h.deps.sql, now, { batch: 2 });
  expect(run).toEqual({ outbox: 4, receipts: 2, unfinished: false });
  const left = await h.deps.prisma.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "retention-" } }, select: { idempotencyKey: true } });
  expect(left.map((row) => row.idempotencyKey).sort()).toEqual(["retention-old-pending", "retention-recent-delivered"]);
  const receipts = await h.deps.prisma.inboundReceipt.findMany({ where: { messageId: { startsWith: "retention-" } }, select: { messageId: true } });
  expect(receipts.map((row) => row.messageId)).toEqual(["retention-new"]);

  // A budget spent before the work is done says so; the next run goes on.
  await h.deps.prisma.inboundReceipt.createMany({ data: [1, 2, 3].map((n) => ({ channel: "sms", messageId: `retention-later-${n}`, receivedAt: daysAgo(10) })) });
  expect((await removeExpired(h.deps.sql, now, { batch: 1, budgetMs: -1 })).unfinished).toBe(true);
  expect((await removeExpired(h.deps.sql, now, { batch: 1 })).receipts).toBe(3);
});
