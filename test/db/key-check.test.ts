// The sealing key's check: recorded on first use, refused when it differs, and on a database that
// already holds sealed data from before the check, proven on that data before it is recorded.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { assertSealingKey, KeyMismatchError } from "../../src/services/key-check.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

describe("the sealing key", () => {
  it("is refused when it cannot open the data already there, and nothing is recorded for it", async () => {
    const original = createPiiProtector(randomBytes(32));
    const other = createPiiProtector(randomBytes(32));
    await db.prisma.worker.create({ data: { name: "旧数据", idNumberEnc: original.encrypt("11010519491231002X") } });
    await expect(assertSealingKey(db.prisma, other)).rejects.toThrow(KeyMismatchError);
    expect(await db.prisma.serviceSetting.count()).toBe(0);

    await assertSealingKey(db.prisma, original); // opens the data: recorded
    await assertSealingKey(db.prisma, original); // and accepted again
    await expect(assertSealingKey(db.prisma, other)).rejects.toThrow(/PII_ENCRYPTION_KEY: this database was written with another key/);
  });
});
