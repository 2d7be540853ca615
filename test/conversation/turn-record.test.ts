// Turns written together in one statement: each turn is judged and written as if alone. A repeat,
// a refused replay guard or a session another process moved on writes nothing of that turn, and
// the turns beside it are written whole, their timeline in order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { recordTurns, type TurnRecord } from "../../src/conversation/turn-record.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const now = new Date("2026-12-06T08:00:00.000Z");

async function person(address: string, session?: { version: number; state: string }) {
  const identity = await db.prisma.channelIdentity.create({ data: { channel: "sms", address } });
  if (session) await db.prisma.conversationSession.create({ data: { identityId: identity.id, state: session.state, version: session.version } });
  return identity.id;
}

function turn(identityId: string, messageId: string, version: number | null, extra: Partial<TurnRecord> = {}): TurnRecord {
  return {
    channel: "sms",
    messageId,
    identityId,
    workerId: null,
    session: `state after ${messageId}`,
    version,
    wroteAt: now,
    now,
    guard: null,
    timeline: [
      { kind: "message_in", channel: "sms", text: `in ${messageId}` },
      { kind: "message_out", channel: "sms", text: `out ${messageId}` },
    ],
    outbox: [{ key: `reply:${messageId}`, address: `addr-${messageId}`, body: { text: `out ${messageId}` }, status: "pending", nextAttemptAt: now }],
    ...extra,
  };
}

describe("turns written in one statement", () => {
  it("judge each turn by itself and write only those that pass, whole", async () => {
    const stranger = await person("a1");
    const repeater = await person("a2");
    const overtaken = await person("a3", { version: 1, state: "the other process's" });
    const replayed = await person("a4");
    const regular = await person("a5", { version: 2, state: "before" });
    await db.prisma.inboundReceipt.createMany({
      data: [
        { channel: "sms", messageId: "m-seen" },
        { channel: "wechat:nonce", messageId: "nonce-1" },
        { channel: "wechat:nonce", messageId: "nonce-1:first-body" },
      ],
    });

    const verdicts = await recordTurns(db.sql, [
      turn(stranger, "m-new", null),
      turn(repeater, "m-seen", null),
      turn(overtaken, "m-late", 0),
      turn(replayed, "m-replayed", null, { guard: { channel: "wechat:nonce", key: "nonce-1", bodyHash: "other-body" } }),
      turn(regular, "m-next", 2, { guard: { channel: "wechat:nonce", key: "nonce-2", bodyHash: "its-body" } }),
    ]);

    expect(verdicts).toEqual([
      { guardPassed: true, fresh: true, saved: true },
      { guardPassed: true, fresh: false, saved: false },
      { guardPassed: true, fresh: true, saved: false },
      { guardPassed: false, fresh: true, saved: false },
      { guardPassed: true, fresh: true, saved: true },
    ]);
    const sessions = await db.prisma.conversationSession.findMany({ orderBy: { identityId: "asc" }, select: { identityId: true, state: true, version: true } });
    expect(sessions).toEqual(
      [
        { identityId: stranger, state: "state after m-new", version: 0 },
        { identityId: overtaken, state: "the other process's", version: 1 },
        { identityId: regular, state: "state after m-next", version: 3 },
      ].sort((a, b) => a.identityId.localeCompare(b.identityId)),
    );
    const events = await db.prisma.planEvent.findMany({ orderBy: { seq: "asc" }, select: { identityId: true, kind: true, text: true } });
    expect(events).toEqual([
      { identityId: stranger, kind: "message_in", text: "in m-new" },
      { identityId: stranger, kind: "message_out", text: "out m-new" },
      { identityId: regular, kind: "message_in", text: "in m-next" },
      { identityId: regular, kind: "message_out", text: "out m-next" },
    ]);
    const outbox = await db.prisma.outboxMessage.findMany({ orderBy: { seq: "asc" }, select: { idempotencyKey: true, status: true } });
    expect(outbox).toEqual([
      { idempotencyKey: "reply:m-new", status: "pending" },
      { idempotencyKey: "reply:m-next", status: "pending" },
    ]);
    // A refused request records nothing but its guard's rows.
    const receipts = await db.prisma.inboundReceipt.findMany({ select: { channel: true, messageId: true } });
    expect(receipts.map((receipt) => `${receipt.channel} ${receipt.messageId}`).sort()).toEqual(
      ["sms m-seen", "sms m-new", "sms m-next", "wechat:nonce nonce-1", "wechat:nonce nonce-1:first-body", "wechat:nonce nonce-1:other-body", "wechat:nonce nonce-2", "wechat:nonce nonce-2:its-body"].sort(),
    );
    const wrote = await db.prisma.channelIdentity.findMany({ where: { lastInboundAt: { not: null } }, select: { id: true } });
    expect(wrote.map((identity) => identity.id).sort()).toEqual([stranger, regular].sort());
  });

  it("let the provider's own retry of a guarded request pass its guard, and see it as a repeat", async () => {
    const identity = await person("b1");
    const guard = { channel: "wechat:nonce", key: "nonce-b", bodyHash: "body-b" };
    expect(await recordTurns(db.sql, [turn(identity, "m-b", null, { guard })])).toEqual([{ guardPassed: true, fresh: true, saved: true }]);
    expect(await recordTurns(db.sql, [turn(identity, "m-b", 0, { guard })])).toEqual([{ guardPassed: true, fresh: false, saved: false }]);
  });
});
