// A county's roster, row by row: the synthetic sample (40 good rows, then one wrong check digit,
// an unknown village, a repeated 人编号 and a short phone) and what counties' files do otherwise.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { mapColumns, missingColumns, type RosterField } from "../../src/services/roster/columns.ts";
import { povertyOf, RosterRowChecker, rosterPlaces, type Place } from "../../src/services/roster/rows.ts";
import { readCsv } from "../../src/shared/csv.ts";

const TODAY = new Date("2026-12-03T02:00:00Z");
const levels: Record<number, number> = { 6: 3, 9: 4, 12: 5 };
const placesUnder = (prefix: string): Place[] =>
  (["regions", "villages"] as const).flatMap((file) =>
    gunzipSync(readFileSync(new URL(`../../src/reference/data/${file}.tsv.gz`, import.meta.url)))
      .toString("utf8")
      .split("\n")
      .filter((line) => line.startsWith(prefix))
      .map((line) => {
        const [code, name] = line.split("\t") as [string, string];
        return { code, name, level: levels[code.length] ?? 0 };
      })
      .filter((place) => place.level > 0),
  );
const ZHANGZHOU = placesUnder("3506");

function checkFile(lines: string[][], region: string, places = ZHANGZHOU, mapping?: Record<string, RosterField>) {
  const [header = [], ...rows] = lines;
  const columns = mapColumns(header, mapping);
  const checker = new RosterRowChecker(rosterPlaces(region, places), TODAY);
  return rows.map((cells, at) => checker.check(at + 2, Object.fromEntries(cells.flatMap((cell, column) => (columns[column] ? [[columns[column], cell]] : [])))));
}

describe("a roster file's rows", () => {
  const sample = readCsv(readFileSync(new URL("../fixtures/registry-sample.csv", import.meta.url)));

  it("takes the sample's 40 people, each in their village, and refuses its four wrong rows with the reason", () => {
    const checked = checkFile(sample, "3506");
    const refused = checked.flatMap((result, at) => ("reason" in result ? [{ line: at + 2, reason: result.reason }] : []));
    expect(checked.length - refused.length).toBe(40);
    expect(refused.map((row) => row.line)).toEqual([42, 43, 44, 45]);
    expect(refused[0]!.reason).toMatch(/校验位/);
    expect(refused[1]!.reason).toMatch(/太平镇没有“不存在村”/);
    expect(refused[2]!.reason).toMatch(/人编号与第\d+行重复/);
    expect(refused[3]!.reason).toBe("人联系电话不是11位手机号（写了7位）"); // how it is wrong, never the number
    const first = checked[0]!;
    expect(first).toEqual({
      row: expect.objectContaining({ name: "戴婷婷", regionCode: "350622101204", personNo: "35062210120400000101", householdNo: "350622101204000001", birthDate: "1993-01-07", sex: "male", phone: "+8613761990859", householdType: "脱贫户", riskCleared: null }),
    });
    // 云陵工业开发区 is a township-level place of 云霄县, with villages of its own.
    expect(checked.filter((result) => "row" in result && result.row.regionCode === "350622501203")).toHaveLength(2);
  });

  it("keeps a county's file to that county: a row of the next county is refused", () => {
    const checked = checkFile(sample, "350622");
    const zhaoan = checked.filter((_, at) => sample[at + 1]![0] === "诏安县");
    expect(zhaoan.length).toBeGreaterThan(20);
    expect(zhaoan.every((result) => "reason" in result)).toBe(true);
    expect(zhaoan.filter((result) => "reason" in result && result.reason === "本次导入的地区内没有“诏安县”").length).toBeGreaterThanOrEqual(zhaoan.length - 1); // one has a wrong ID as well
    expect(checked.filter((result) => "row" in result).every((result) => "row" in result && result.row.regionCode.startsWith("350622"))).toBe(true);
  });

  it("reads other spellings of the headers, a mapping sent with the file, and a code column that wins over the names", () => {
    expect(mapColumns(["县（市、区、旗）", " 乡(镇) ", "行政村", "身份证号", "姓 名", "民族", "联系电话"])).toEqual(["county", "township", "village", "idNumber", "name", undefined, "phone"]);
    expect(mapColumns(["人员编号", "证件号", "户主电话"], { 证件号: "idNumber", 户主电话: "householdPhone" })).toEqual(["personNo", "idNumber", "householdPhone"]);
    expect(missingColumns(mapColumns(["姓名", "乡镇"]))).toEqual(["证件号码", "乡(镇)、行政村（或行政区划代码）"]);
    expect(missingColumns(mapColumns(["姓名", "证件号码", "行政区划代码"]))).toEqual([]);
    const [header, row] = [sample[0]!, sample[1]!];
    const coded = checkFile([[...header, "行政区划代码"], [...row.slice(0, 2), "写错的村名", ...row.slice(3), "350622101204"]], "350622");
    expect(coded[0]).toMatchObject({ row: { regionCode: "350622101204" } });
    expect(checkFile([[...header, "行政区划代码"], [...row, "350624101204"]], "350622")[0]).toEqual({ reason: expect.stringMatching(/不在本次导入的地区内/) });
  });

  it("finds a village written without its suffix or with it, and says which name it could not find", () => {
    const [header, row] = [sample[0]!, sample[1]!];
    const at = (name: string) => {
      expect(header).toContain(name);
      return header.indexOf(name);
    };
    const variant = (changes: Record<string, string>) => {
      const cells = [...row];
      for (const [name, value] of Object.entries(changes)) cells[at(name)] = value;
      return checkFile([header, cells], "350622")[0]!;
    };
    expect(variant({ 行政村: "岱东村委会" })).toMatchObject({ row: { regionCode: "350622101204" } });
    expect(variant({ 行政村: "岱东" })).toMatchObject({ row: { regionCode: "350622101204" } });
    // A community is written with or without its committee: 北门社区 is the register's 北门社区居委会.
    const community = ZHANGZHOU.find((place) => place.level === 5 && place.name.endsWith("社区居委会"))!;
    const township = ZHANGZHOU.find((place) => place.code === community.code.slice(0, 9))!;
    const county = ZHANGZHOU.find((place) => place.code === community.code.slice(0, 6))!;
    for (const written of [community.name, community.name.replace(/居委会$/, ""), community.name.replace(/社区居委会$/, "")]) {
      const cells = [...row];
      cells[at("县(市、区、旗)")] = county.name;
      cells[at("乡(镇)")] = township.name;
      cells[at("行政村")] = written;
      expect(checkFile([header, cells], "3506")[0]).toMatchObject({ row: { regionCode: community.code } });
    }
    expect(variant({ "乡(镇)": "陈岱" })).toMatchObject({ row: { regionCode: "350622101204" } });
    expect(variant({ "乡(镇)": "不存在镇" })).toEqual({ reason: "云霄县没有“不存在镇”这个乡镇" });
    expect(variant({ 户类型: "贫困户" })).toEqual({ reason: "户类型应为脱贫户或监测户（贫困户）" });
    expect(variant({ 风险是否消除: "已消除" })).toEqual({ reason: "风险是否消除应为“是”或“否”（已消除）" });
    expect(variant({ 人联系电话: "0596-8512345" })).toMatchObject({ row: { phone: null } }); // a landline: not a number to text
    expect(variant({ 姓名: " " })).toEqual({ reason: "没有写姓名" });
    // 全角 digits are the same number; one Excel turned into 3.50622E+17 is told so, not "18位".
    const id = row[at("证件号码")]!;
    const fullWidth = (text: string) => text.replace(/[0-9X]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
    expect(variant({ 证件号码: fullWidth(id), 人联系电话: fullWidth("13800000011") })).toMatchObject({ row: { idNumber: id, phone: "+8613800000011" } });
    expect(variant({ 证件号码: "3.50622E+17" })).toEqual({ reason: expect.stringContaining("被Excel改成了数字") });
    expect(povertyOf("监测户")).toBe("monitored");
    expect(povertyOf("脱贫户")).toBe("lifted");
  });

  it("refuses the second of two rows with one ID number, naming the first", () => {
    const [header, row] = [sample[0]!, sample[1]!];
    const other = [...row];
    other[header.indexOf("人编号")] = "35062210120400000199";
    expect(checkFile([header, row, other], "350622")[1]).toEqual({ reason: "证件号码与第2行重复" });
  });
});
