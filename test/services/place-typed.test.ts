// Places typed by name in the console's forms, over the real divisions: an official knows 云霄县,
// not 350622.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextFor, type OperatorActor } from "../../src/services/context.ts";
import { placeTyped } from "../../src/services/regions.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const operator = (role: OperatorActor["role"], regionCodes: string[]): OperatorActor => ({ kind: "operator", id: `${role}-test`, name: role, role, regionCodes });
const admin = () => contextFor(h.deps, operator("admin", []));
const typed = (text: string, levels: number[], actor = admin(), anywhere = false) => placeTyped(actor, { text, levels, anywhere });

describe("a place typed by name", () => {
  it("finds a county by its name, its bare name, or with the places above it", async () => {
    for (const text of ["云霄县", "云霄", " 云霄县 ", "漳州市云霄县", "福建漳州云霄", "福建省云霄县"]) expect(await typed(text, [2, 3]), text).toEqual({ code: "350622" });
    expect(await typed("漳州", [2, 3])).toEqual({ code: "3506" });
  });

  it("takes a code as it is, for the verb to check", async () => {
    expect(await typed("350622", [2, 3])).toEqual({ code: "350622" });
  });

  it("names the places of a repeated name, each with the places above it", async () => {
    const found = await typed("鼓楼区", [3]);
    if (!("several" in found)) throw new Error(`several expected: ${JSON.stringify(found)}`);
    expect(found.several).toContainEqual({ code: "350102", name: "福建省福州市鼓楼区" });
    expect(found.several).toContainEqual({ code: "320106", name: "江苏省南京市鼓楼区" });
    expect(await typed("福州鼓楼区", [3])).toEqual({ code: "350102" });
  });

  it("looks in the official's regions, and beyond them only where the place may be anywhere", async () => {
    const fuzhou = contextFor(h.deps, operator("countyOfficial", ["3501"]));
    expect(await typed("鼓楼区", [3], fuzhou)).toEqual({ code: "350102" });
    // another's place is said to be another's, not unknown
    expect(await typed("云霄县", [3], fuzhou)).toEqual({ elsewhere: "福建省漳州市云霄县" });
    expect(await typed("不存在的县", [3], fuzhou)).toEqual({ unknown: true });
    expect(await typed("云霄县", [3], fuzhou, true)).toEqual({ code: "350622" });
    // Where the place may be anywhere, the official's own of a shared name still comes first.
    expect(await typed("鼓楼区", [3], fuzhou, true)).toEqual({ code: "350102" });
    expect("several" in (await typed("鼓楼区", [3], admin(), true))).toBe(true);
  });

  it("finds townships and villages by the names people use, inside their county", async () => {
    expect(await typed("莆美镇", [4, 5])).toEqual({ code: "350622103" });
    expect(await typed("云霄县莆美", [4])).toEqual({ code: "350622103" });
    // 阳下村委会 is said 阳下村; another lies in 福清市.
    const yangxia = await typed("阳下村", [5]);
    expect("several" in yangxia && yangxia.several.map((place) => place.code), JSON.stringify(yangxia)).toEqual(["350181008203", "350622103208"]);
    expect(await typed("莆美镇阳下村", [5])).toEqual({ code: "350622103208" });
    expect(await typed("云霄县阳下", [5])).toEqual({ code: "350622103208" });
    expect(await typed("阳下村", [5], contextFor(h.deps, operator("coordinator", ["350622103"])))).toEqual({ code: "350622103208" });
    expect(await typed("绥东社区", [5], contextFor(h.deps, operator("coordinator", ["350622"])))).toEqual({ code: "350622103004" });
  });

  it("knows autonomous places without their peoples, and provinces by their short names", async () => {
    expect(await typed("屏边", [3])).toEqual({ code: "532523" });
    expect(await typed("屏边县", [3])).toEqual({ code: "532523" });
    expect(await typed("黔东南州凯里市", [3])).toEqual({ code: "522601" });
    expect(await typed("广西", [1])).toEqual({ code: "45" });
  });

  it("finds nothing for a name that is no place, or a place at another level", async () => {
    expect(await typed("不存在的县", [2, 3])).toEqual({ unknown: true });
    expect(await typed("莆美镇", [2, 3])).toEqual({ unknown: true });
    expect(await typed("云", [2, 3])).toEqual({ unknown: true });
    expect(await typed("云霄县莆美镇", [3])).toEqual({ unknown: true });
    // Text far longer than any place's full name is no place, and is not looked through.
    expect(await typed("云霄县".repeat(30_000), [1, 2, 3, 4, 5])).toEqual({ unknown: true });
  });
});
