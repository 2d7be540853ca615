import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { ensureRegions, parentRegionCode, regionLevel, regionLineage } from "../../src/reference/regions.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(() => db.close());

describe("administrative divisions", () => {
  it("derive level, parent and lineage from the code", () => {
    expect(regionLevel("350622103")).toBe(4);
    expect(parentRegionCode("350622103201")).toBe("350622103");
    expect(parentRegionCode("35")).toBeNull();
    expect(regionLineage("350622103")).toEqual(["35", "3506", "350622", "350622103"]);
    expect(() => regionLevel("3506221")).toThrow(/not a region code/);
  });

  it("are loaded with every county and township, and a second load changes nothing", async () => {
    const [counts] = await db.sql.query<{ level: number; n: number }[]>(
      `SELECT json_object_agg(level, n) AS counts FROM (SELECT level, count(*)::int AS n FROM "Region" GROUP BY level) t`,
    );
    const byLevel = (counts as unknown as { counts: Record<string, number> }).counts;
    expect(byLevel["1"]).toBe(31);
    expect(byLevel["3"]).toBeGreaterThan(2900);
    expect(byLevel["4"]).toBeGreaterThan(40_000);
    expect(byLevel["5"]).toBeGreaterThan(10_000); // the test template holds Fujian's villages
    expect(await ensureRegions(db.sql, { villagesUnder: ["35"] })).toEqual({ loaded: 0 });
    const yunxiao = await db.prisma.region.findUniqueOrThrow({ where: { code: "350622" } });
    expect(yunxiao).toEqual({ code: "350622", name: "云霄县", level: 3, parentCode: "3506" });
    const villages = await db.prisma.region.count({ where: { parentCode: "350622103" } });
    expect(villages).toBeGreaterThan(5);
    // The load derives each row's level and parent in SQL: the same as the functions above.
    const zhangzhou = await db.prisma.region.findMany({ where: { code: { startsWith: "3506" } } });
    expect(new Set(zhangzhou.map((region) => region.level))).toEqual(new Set([2, 3, 4, 5]));
    for (const region of zhangzhou) expect([region.level, region.parentCode]).toEqual([regionLevel(region.code), parentRegionCode(region.code)]);
  });

  it("keep their look-up indexes: a load that died before building them gets them at the next start", async () => {
    const indexes = async () => (await db.sql.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'Region' ORDER BY 1`)).map((row) => row.indexname);
    expect(await indexes()).toEqual(["Region_name_idx", "Region_parentCode_idx", "Region_pkey"]);
    await db.sql.exec(`DROP INDEX "Region_name_idx"`);
    await ensureRegions(db.sql, { villagesUnder: ["35"] });
    expect(await indexes()).toEqual(["Region_name_idx", "Region_parentCode_idx", "Region_pkey"]);
  });
});
