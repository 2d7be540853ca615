// One roster row checked: who the person is, where they live (names resolved inside their parent,
// as the chat resolves them; a 12-digit code column wins), and why a row is refused, in words an
// official reads beside the row's line. Pure: the places come in, nothing is read or written here.
import type { PovertyStatus } from "../../db/client.ts";
import { normalizeMobile, parseResidentId, type ResidentIdProblem } from "../../shared/identifiers.ts";
import { DIGITS_LOST } from "../../shared/csv.ts";
import { ADMINISTRATIVE_SUFFIX } from "../../shared/place-names.ts";
import { spokenRegionName } from "../region-lookup.ts";
import { ROSTER_COLUMNS, type RosterField } from "./columns.ts";

/** A field's column as the national export names it, for reasons. */
const COLUMN_NAMES = Object.fromEntries(Object.entries(ROSTER_COLUMNS).map(([field, names]) => [field, names[0]])) as Record<RosterField, string>;

/** A row as the roster says it, checked; the ID number and phones still in clear (sealRosterRow seals them). */
export interface RosterRow {
  personNo: string | null;
  householdNo: string | null;
  /** the village */
  regionCode: string;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: "female" | "male";
  relation: string | null;
  education: string | null;
  health: string | null;
  labourSkill: string | null;
  householdType: string | null;
  monitoringType: string | null;
  riskCleared: boolean | null;
  phone: string | null;
  householdPhone: string | null;
}

export interface Place {
  code: string;
  name: string;
  level: number;
}

/** A village's or community's name as people write it: without the committee the register names. */
const plain = (name: string) => spokenRegionName(name.replace(/\s/g, ""));

/**
 * A place's name without its administrative suffixes: 岱东村 and 岱东村委会 are one village, and
 * 师院社区 and 师院社区居委会 one community (the register's names carry the committee's suffix).
 */
const bare = (name: string) => {
  let core = name.replace(/\s/g, "");
  for (let round = 0; round < 2; round++) {
    const stripped = core.replace(ADMINISTRATIVE_SUFFIX, "");
    if (stripped.length === 0 || stripped === core) break;
    core = stripped;
  }
  return core;
};

export interface RosterPlaces {
  /** the village a row names (or its code), or why none */
  village(row: { county?: string; township?: string; village?: string; regionCode?: string }): { code: string } | { reason: string };
}

/**
 * The places under the region a file covers (a county or a city): its counties, townships and
 * villages. A name is looked for only inside its parent, and only as written (with or without its
 * suffix): a file is not a chat, and a guessed village would put a person in the wrong place.
 */
export function rosterPlaces(regionCode: string, places: readonly Place[]): RosterPlaces {
  // Three ways to write a name, tried in turn, each inside the parent: as registered, without the
  // committee (浦南村委会 → 浦南村, 红旗社区居委会 → 红旗社区), and bare (浦南), where 浦南村 and
  // 浦南社区 of one township would be one name.
  const forms = [(name: string) => name.replace(/\s/g, ""), plain, bare];
  const byParent: Map<string, Map<string, string[]>>[] = [];
  const known = new Set<string>();
  for (const place of places) {
    known.add(place.code);
    const parent = place.code.slice(0, { 3: 4, 4: 6, 5: 9 }[place.level] ?? 0);
    forms.forEach((form, at) => {
      const table = (byParent[at] ??= new Map());
      const names = table.get(parent) ?? new Map<string, string[]>();
      table.set(parent, names);
      const name = form(place.name);
      names.set(name, [...(names.get(name) ?? []), place.code]);
    });
  }
  const inside = (parent: string, name: string): string[] => {
    for (const [at, form] of forms.entries()) {
      const found = byParent[at]?.get(parent)?.get(form(name)) ?? [];
      if (found.length > 0) return found;
    }
    return [];
  };
  const counties = (name: string | undefined): string[] => {
    if (regionCode.length === 6) return !name || inside(regionCode.slice(0, 4), name).includes(regionCode) ? [regionCode] : [];
    return name ? inside(regionCode, name) : [];
  };
  return {
    village(row) {
      if (row.regionCode) {
        if (!/^\d{12}$/.test(row.regionCode)) return { reason: `行政区划代码要是12位数字（${row.regionCode}）` };
        if (!row.regionCode.startsWith(regionCode)) return { reason: `行政区划代码${row.regionCode}不在本次导入的地区内` };
        if (!known.has(row.regionCode)) return { reason: `没有行政区划代码为${row.regionCode}的村` };
        return { code: row.regionCode };
      }
      const county = counties(row.county);
      if (county.length !== 1) return { reason: row.county ? `本次导入的地区内没有“${row.county}”` : "没有写县（市、区、旗）" };
      if (!row.township) return { reason: "没有写乡（镇）" };
      const township = inside(county[0]!, row.township);
      if (township.length !== 1) return { reason: township.length === 0 ? `${row.county ?? ""}没有“${row.township}”这个乡镇` : `“${row.township}”有重名，请写行政区划代码` };
      if (!row.village) return { reason: "没有写行政村" };
      const village = inside(township[0]!, row.village);
      if (village.length !== 1) return { reason: village.length === 0 ? `${row.township}没有“${row.village}”这个村` : `“${row.village}”有重名，请写行政区划代码` };
      return { code: village[0]! };
    },
  };
}

const digitCount = (raw: string | null) => (raw ?? "").normalize("NFKC").replace(/\D/g, "").length;

/** An ID number Excel turned into a number (3.50622E+17): its last digits are gone from the file. */
const EXCEL_NUMBER = "证件号码被Excel改成了数字（如3.50622E+17），后几位已丢失：请把这一列设为“文本”后重新导出";

const ID_PROBLEMS: Record<ResidentIdProblem, string> = {
  format: "证件号码要是18位（最后一位可以是X）",
  birth_date: "证件号码里的出生日期不对",
  check_digit: "证件号码最后一位（校验位）不对，可能抄错了一位",
};

/** 户类型 as a poverty status: 脱贫户 lifted out, 监测户 monitored against a return to poverty. */
export function povertyOf(householdType: string | null): PovertyStatus {
  if (householdType?.includes("监测")) return "monitored";
  if (householdType?.includes("脱贫")) return "lifted";
  return "unknown";
}

/**
 * Checks a file's rows one by one; remembers the 人编号 and ID numbers it has seen, so that a
 * repeated one is refused with the line it repeats.
 */
export class RosterRowChecker {
  private readonly personNos = new Map<string, number>();
  private readonly idNumbers = new Map<string, number>();

  constructor(
    private readonly places: RosterPlaces,
    private readonly today: Date,
  ) {}

  check(line: number, cells: Partial<Record<RosterField, string>>): { row: RosterRow } | { reason: string } {
    const lost = (Object.keys(cells) as RosterField[]).find((field) => cells[field]?.startsWith(DIGITS_LOST));
    if (lost) return { reason: `${COLUMN_NAMES[lost]}在表格里存成了数字，后几位已被改掉：请把这一列设成“文本”后重新导出` };
    const text = (field: RosterField) => {
      const value = cells[field]?.trim() ?? "";
      return value === "" ? null : value;
    };
    const name = text("name");
    if (!name) return { reason: "没有写姓名" };
    if (name.length > 50) return { reason: "姓名太长（最多50个字）" };
    // Typed in 全角 (３５０６…) it is the same number.
    const rawId = text("idNumber")?.normalize("NFKC") ?? null;
    if (!rawId) return { reason: "没有写证件号码" };
    if (/^\d(\.\d+)?e\+?\d+$/i.test(rawId)) return { reason: EXCEL_NUMBER };
    const id = parseResidentId(rawId, this.today);
    if ("problem" in id) return { reason: ID_PROBLEMS[id.problem] };
    const personNo = text("personNo");
    if (personNo && !/^[0-9A-Za-z-]{1,40}$/.test(personNo)) return { reason: "人编号只能是数字或字母（最多40位）" };
    const place = this.places.village({ county: text("county") ?? undefined, township: text("township") ?? undefined, village: text("village") ?? undefined, regionCode: text("regionCode") ?? undefined });
    if ("reason" in place) return place;
    const phone = this.phone(text("phone"));
    // The reason is kept with the import and shown on pages: it says how the number is wrong, never the number.
    if (phone === false) return { reason: `人联系电话不是11位手机号（写了${digitCount(text("phone"))}位）` };
    const householdPhone = this.phone(text("householdPhone"));
    if (householdPhone === false) return { reason: `户联系电话不是11位手机号（写了${digitCount(text("householdPhone"))}位）` };
    const householdType = text("householdType");
    if (householdType && povertyOf(householdType) === "unknown") return { reason: `户类型应为脱贫户或监测户（${householdType}）` };
    const risk = text("riskCleared");
    if (risk && !/^(是|否)$/.test(risk)) return { reason: `风险是否消除应为“是”或“否”（${risk}）` };
    // Only a row that passes every check is remembered: a refused row's number repeats nothing.
    const repeatedPerson = personNo ? this.personNos.get(personNo) : undefined;
    if (repeatedPerson !== undefined) return { reason: `人编号与第${repeatedPerson}行重复` };
    const repeatedId = this.idNumbers.get(id.number);
    if (repeatedId !== undefined) return { reason: `证件号码与第${repeatedId}行重复` };
    if (personNo) this.personNos.set(personNo, line);
    this.idNumbers.set(id.number, line);
    return {
      row: {
        personNo,
        householdNo: text("householdNo"),
        regionCode: place.code,
        name,
        idNumber: id.number,
        birthDate: id.birthDate,
        sex: id.sex,
        relation: text("relation"),
        education: text("education"),
        health: text("health"),
        labourSkill: text("labourSkill"),
        householdType,
        monitoringType: text("monitoringType"),
        riskCleared: risk === null ? null : risk === "是",
        phone,
        householdPhone,
      },
    };
  }

  /** A phone as E.164; null when there is none; false when it is not a mobile number. Landlines on the roster (0596-…) are left out, not refused. */
  private phone(typed: string | null): string | null | false {
    const raw = typed?.normalize("NFKC");
    if (!raw) return null;
    if (/^0\d{2,3}-?\d{7,8}$/.test(raw.replace(/\s/g, ""))) return null;
    return normalizeMobile(raw) ?? false;
  }
}
