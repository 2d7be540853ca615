import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { createRegionLookups } from "../../src/conversation/region-lookups.ts";
import { placeName, placeParts, spokenRegionName } from "../../src/services/region-lookup.ts";
import { testDatabase } from "../support/harness.ts";

let db: Database;
let lookups: ReturnType<typeof createRegionLookups>;
beforeAll(async () => {
  db = await testDatabase();
  lookups = createRegionLookups(db.prisma);
});
afterAll(() => db.close());

describe("region look-ups for the chat", () => {
  it("find a county by its short name, with its province and city", async () => {
    expect((await lookups.findRegions("云霄", { level: 3, limit: 3 }))[0]).toEqual({ code: "350622", name: "云霄县", parentName: "福建省漳州市" });
    expect((await lookups.findRegions("云霄县", { level: 3, limit: 3 }))[0]?.code).toBe("350622");
  });

  it("offer every county of a repeated name, each with where it is", async () => {
    const gulou = await lookups.findRegions("鼓楼区", { level: 3, limit: 8 });
    expect(new Set(gulou.slice(0, 4).map((r) => r.parentName))).toEqual(new Set(["福建省福州市", "江苏省南京市", "江苏省徐州市", "河南省开封市"]));
  });

  it("offer the nearest names for a misspelt county", async () => {
    expect((await lookups.findRegions("云宵县", { level: 3, limit: 5 }))[0]?.code).toBe("350622"); // homophone
    expect((await lookups.findRegions("平合县", { level: 3, limit: 5 })).map((r) => r.code)).toContain("350628"); // homophone, repeated name
    expect((await lookups.findRegions("诏按", { level: 3, limit: 5 }))[0]?.code).toBe("350624");
  });

  it("resolve townships and villages only inside their parent", async () => {
    expect(await lookups.findRegions("莆美", { parentCode: "350622", level: 4, limit: 3 })).toEqual([{ code: "350622103", name: "莆美镇" }]);
    expect(await lookups.findRegions("莆美", { parentCode: "350628", level: 4, limit: 3 })).toEqual([]);
    const villages = await lookups.childrenOf("350622103");
    expect(villages.length).toBeGreaterThan(5);
    expect(villages.every((v) => v.code.startsWith("350622103") && !/委员会|委会$/.test(v.name))).toBe(true);
    const first = villages[0]!;
    expect((await lookups.findRegions(first.name.replace(/村$/, ""), { parentCode: "350622103", level: 5, limit: 3 }))[0]).toEqual(first);
  });

  it("find a township anywhere in the country by its very name, with its county, never by a near one", async () => {
    expect(await lookups.findRegions("莆美", { level: 4, limit: 6 })).toEqual([{ code: "350622103", name: "莆美镇", parentName: "云霄县" }]);
    expect(await lookups.findRegions("莆美镇", { level: 4, limit: 6 })).toEqual([{ code: "350622103", name: "莆美镇", parentName: "云霄县" }]);
    expect(await lookups.findRegions("莆镁", { level: 4, limit: 6 })).toEqual([]);
    // A name many townships share fills the menu and stops: the caller asks one more than it can show.
    const chengguan = await lookups.findRegions("城关镇", { level: 4, limit: 6 });
    expect(chengguan).toHaveLength(6);
    expect(chengguan.every((township) => township.name.startsWith("城关") && /[县区市旗]$/.test(township.parentName ?? ""))).toBe(true);
  });

  it("name villages the way people say them", () => {
    expect(spokenRegionName("中柱村委会")).toBe("中柱村");
    expect(spokenRegionName("城南社区居民委员会")).toBe("城南社区");
    expect(spokenRegionName("莆美镇")).toBe("莆美镇");
  });
});

describe("places of one name, for a service that has people in some counties", () => {
  // 小溪 names four townships: 五河县 (Anhui), 平和县 (Fujian), 于都县 and 永顺县; 城关镇 eighty-eight.
  const xiaoxi = (found: { code: string }[]) => found.map((township) => township.code.slice(0, 6));

  it("lists the places of the counties it has people in first, and only those where the name is too common to list", async () => {
    const before = createRegionLookups(db.prisma);
    expect(xiaoxi(await before.findRegions("小溪", { level: 4, limit: 5 }))).toEqual(["340322", "350628", "360731", "433127"]);
    expect(await before.findRegions("城关镇", { level: 4, limit: 6 })).toHaveLength(6);
    expect((await before.findRegions("鼓楼", { level: 3, limit: 8 }))[0]?.parentName).toBe("江苏省南京市");

    await db.prisma.worker.createMany({
      data: [
        { name: "平和的人", homeRegionCode: "350628100001" }, // 平和县小溪镇城东社区
        { name: "尤溪的人", homeRegionCode: "350426100" }, // 尤溪县城关镇
        { name: "开封的人", homeRegionCode: "410204" }, // 开封市鼓楼区
      ],
    });
    const after = createRegionLookups(db.prisma);
    expect(xiaoxi(await after.findRegions("小溪", { level: 4, limit: 5 }))).toEqual(["350628", "340322", "360731", "433127"]);
    expect(await after.findRegions("小溪镇", { level: 4, limit: 1 })).toEqual([{ code: "350628100", name: "小溪镇", parentName: "平和县" }]);
    expect((await after.findRegions("鼓楼", { level: 3, limit: 8 }))[0]?.parentName).toBe("河南省开封市");
    // Eighty-eight 城关镇 fit no menu; the one of a county served does (尤溪县's).
    expect(await after.findRegions("城关镇", { level: 4, limit: 6 })).toEqual([{ code: "350426100", name: "城关镇", parentName: "尤溪县" }]);
  });

  it("names a place once where its own name repeats the place above it", async () => {
    // 350622100017 is 云陵镇望安社区居民委员会, in 云陵镇
    expect(await placeParts(db.prisma, "350622100017")).toEqual(["云霄县", "云陵镇", "望安社区"]);
    expect(await placeName(db.prisma, "350622100017")).toBe("云霄县云陵镇望安社区");
    expect(await placeName(db.prisma, "350622103208")).toBe("云霄县莆美镇阳下村");
  });

  it("reads the counties served again after ten minutes", async () => {
    // 尤溪县 has people since the test above; 永登县, which has a 城关镇 too, gets some now.
    let now = Date.parse("2026-12-07T00:00:00Z");
    const lookups = createRegionLookups(db.prisma, () => now);
    expect((await lookups.findRegions("城关镇", { level: 4, limit: 6 })).map((township) => township.code)).toEqual(["350426100"]);
    await db.prisma.worker.create({ data: { name: "永登的人", homeRegionCode: "620121100" } });
    now += 9 * 60_000;
    expect((await lookups.findRegions("城关镇", { level: 4, limit: 6 })).map((township) => township.code)).toEqual(["350426100"]);
    now += 60_000;
    expect((await lookups.findRegions("城关镇", { level: 4, limit: 6 })).map((township) => township.code)).toEqual(["350426100", "620121100"]);
  });
});
