// SMS numbers written as plain addresses by an earlier version are sealed at start-up, once, and
// nothing else is touched: a WeChat openid is no phone.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { sealPlainAddresses, smsAddress } from "../../src/delivery/personal-data.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

it("seals the plain SMS numbers of identities and outbox rows, once, and leaves other channels and taken numbers as they are", async () => {
  const pii = createPiiProtector(randomBytes(32));
  const alreadySealed = smsAddress(pii, "+8613800000002");
  await db.prisma.channelIdentity.createMany({
    data: [
      { channel: "sms", address: "+8613800000001" },
      { channel: "sms", address: alreadySealed },
      // written plain by an earlier instance after this one sealed its twin: left for a person to merge
      { channel: "sms", address: "+8613800000002" },
      { channel: "wechat", address: "openid-1" },
    ],
  });
  await db.prisma.outboxMessage.create({ data: { idempotencyKey: "old-reply", channel: "sms", address: "+8613800000001", purpose: "reply", body: { text: "好的" } } });

  expect(await sealPlainAddresses(db.prisma, pii)).toEqual({ sealed: 2, conflicts: 1 });
  const identities = await db.prisma.channelIdentity.findMany();
  expect(identities.map((row) => row.address).sort()).toEqual([smsAddress(pii, "+8613800000001"), alreadySealed, "+8613800000002", "openid-1"].sort());
  const outbox = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "old-reply" } });
  expect(pii.openAddress(outbox.address)).toBe("+8613800000001");
  // Done once: later starts do not read the tables again.
  await db.prisma.channelIdentity.create({ data: { channel: "sms", address: "+8613800000003" } });
  expect(await sealPlainAddresses(db.prisma, pii)).toEqual({ sealed: 0, conflicts: 0 });
});
