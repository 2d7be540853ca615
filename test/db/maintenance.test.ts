// Where no autovacuum runs (the embedded database; a server with it switched off), the service
// analyses and vacuums the tables itself, so that the planner knows how large they have grown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { analyseGrownTables, autovacuumRuns, maintainDatabase } from "../../src/db/maintenance.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

const plannerRows = async (table: string) =>
  (await db.sql.query<{ rows: number }>(`SELECT reltuples::int AS rows FROM pg_class WHERE relname = $1 AND relnamespace = 'public'::regnamespace`, [table]))[0]!.rows;

describe("database maintenance", () => {
  it("analyses every table but the divisions where no autovacuum runs, and leaves a server's own autovacuum to it", async () => {
    await db.sql.exec(`INSERT INTO "ChannelIdentity" (id, channel, address, "createdAt") SELECT 'maint-' || g, 'web', 'maint-' || g, now() FROM generate_series(1, 300) g`);
    const result = await maintainDatabase(db.sql);
    if (await autovacuumRuns(db.sql)) {
      expect(result).toEqual({ skipped: "autovacuum runs" });
      return;
    }
    expect(result).toEqual({ tables: expect.any(Number) });
    expect((result as { tables: number }).tables).toBeGreaterThan(30);
    expect(await plannerRows("ChannelIdentity")).toBeGreaterThanOrEqual(300);
  });

  it("analyses a table as soon as it has doubled, and leaves the others", async () => {
    if (await autovacuumRuns(db.sql)) return expect(await analyseGrownTables(db.sql)).toEqual({ skipped: "autovacuum runs" });
    await maintainDatabase(db.sql);
    expect(await analyseGrownTables(db.sql)).toEqual({ tables: 0 });
    await db.sql.exec(`INSERT INTO "InboundReceipt" (channel, "messageId", "receivedAt") SELECT 'maint', 'grown-' || g, now() FROM generate_series(1, 2000) g`);
    expect(await analyseGrownTables(db.sql)).toEqual({ tables: 1 });
    expect(await plannerRows("InboundReceipt")).toBeGreaterThanOrEqual(2000);
    expect(await analyseGrownTables(db.sql)).toEqual({ tables: 0 });
  });
});
