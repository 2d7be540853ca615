import { describe, expect, it } from "vitest";
import { nameWithoutSuffix } from "../../src/shared/place-names.ts";

describe("a place's name as people say it", () => {
  it.each([
    ["云霄县", "云霄"],
    ["莆美镇", "莆美"],
    ["中柱村委会", "中柱"],
    ["城南社区居民委员会", "城南社区"],
    ["滨海新区", "滨海"],
    ["神农架林区", "神农架"],
    ["屏边苗族自治县", "屏边苗族"],
    ["巴彦苏木", "巴彦"],
    ["东 山 县", "东山"],
    // Two characters at least are a name: 城区 and 乡 stay as they are.
    ["城区", "城区"],
    ["乡", "乡"],
  ])("%s → %s", (name, said) => {
    expect(nameWithoutSuffix(name)).toBe(said);
  });
});
