// The contexts of turns read together in one statement: each sender gets their own (worker,
// employer, notices, place names, session), and a sender with no identity yet gets one created.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { readTurnContext, turnContextReader } from "../../src/conversation/turn-context.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const now = new Date("2026-12-06T08:00:00.000Z");
const asked = (address: string) => ({ channel: "sms", address, provenPhoneHash: null, now });

describe("turn contexts read together", () => {
  it("give each sender their own", async () => {
    const worker = await db.prisma.worker.create({ data: { name: "林秀英", homeRegionCode: "350622103201", wageFloor: 3000 } });
    const employer = await db.prisma.employer.create({ data: { name: "莆美茶叶加工坊", kind: "workshop", regionCode: "350622103" } });
    const workerIdentity = await db.prisma.channelIdentity.create({ data: { channel: "sms", address: "w", workerId: worker.id, lastInboundAt: new Date(now.getTime() - 30_000) } });
    await db.prisma.conversationSession.create({ data: { identityId: workerIdentity.id, state: "the worker's", version: 4 } });
    await db.prisma.notice.create({ data: { kind: "training_offer", workerId: worker.id, key: "offer:1", sentAt: new Date(now.getTime() - 3600_000) } });
    await db.prisma.channelIdentity.create({ data: { channel: "sms", address: "e", employerId: employer.id, lastInboundAt: new Date(now.getTime() - 3600_000) } });
    await db.prisma.channelIdentity.create({ data: { channel: "sms", address: "s" } });

    const read = turnContextReader(db.sql, true);
    // Asked at once: the first read goes alone, the others wait for it and go together.
    const [ofWorker, ofEmployer, ofStranger, ofNewcomer] = await Promise.all(["w", "e", "s", "n"].map((address) => readTurnContext(db.sql, read, asked(address), now)));

    expect(ofWorker).toMatchObject({ workerId: worker.id, employerId: null, wroteRecently: true, state: "the worker's", version: 4 });
    expect(ofWorker!.registered).toMatchObject({ name: "林秀英", homeRegionCode: "350622103201", wageFloor: 3000 });
    expect(ofWorker!.registered!.homeRegionName).toContain("莆美");
    expect(ofWorker!.pendingNotices).toEqual([{ kind: "training_offer", subjectId: "offer:1", at: "2026-12-06T07:00:00.000Z" }]);
    expect(ofEmployer).toMatchObject({ workerId: null, employerId: employer.id, wroteRecently: false, state: null, pendingNotices: [] });
    expect(ofEmployer!.employer).toMatchObject({ name: "莆美茶叶加工坊", kind: "workshop", trusted: false });
    expect(ofEmployer!.employer!.regionName).toContain("莆美");
    expect(ofEmployer!.registered).toBeUndefined();
    expect(ofStranger).toMatchObject({ workerId: null, employerId: null, state: null, version: null, pendingNotices: [], rosterMatches: [] });
    expect(ofStranger!.registered).toBeUndefined();
    expect(ofStranger!.employer).toBeUndefined();
    const created = await db.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "sms", address: "n" } } });
    expect(ofNewcomer).toMatchObject({ identityId: created.id, workerId: null, state: null });
    expect(new Set([ofWorker, ofEmployer, ofStranger, ofNewcomer].map((context) => context!.identityId)).size).toBe(4);
  });
});
