// The roster's fields, and the column headers county exports give them. Exports of the national
// monitoring system differ by county (other spellings, extra columns such as 自然村 or 民族): a
// county whose file names a column otherwise adds the name here, or sends a mapping with its import.

export const ROSTER_FIELDS = [
  "county",
  "township",
  "village",
  "regionCode",
  "householdNo",
  "personNo",
  "name",
  "idNumber",
  "relation",
  "education",
  "health",
  "labourSkill",
  "householdType",
  "monitoringType",
  "riskCleared",
  "phone",
  "householdPhone",
] as const;

export type RosterField = (typeof ROSTER_FIELDS)[number];

/** Header names by field, compared as `headerKey` reads them. */
export const ROSTER_COLUMNS: Record<RosterField, readonly string[]> = {
  county: ["县(市、区、旗)", "县(市、区)", "县(区)", "县", "县名称", "所属县"],
  township: ["乡(镇)", "乡(镇、街道)", "乡镇(街道)", "乡镇", "乡", "所属乡镇"],
  village: ["行政村", "行政村(社区)", "村(社区)", "村", "所属村"],
  regionCode: ["行政区划代码", "村行政区划代码", "区划代码"],
  householdNo: ["户编号", "户编码", "户码"],
  personNo: ["人编号", "人员编号", "人编码"],
  name: ["姓名", "人员姓名"],
  idNumber: ["证件号码", "身份证号码", "身份证号", "公民身份号码"],
  relation: ["与户主关系"],
  education: ["文化程度"],
  health: ["健康状况"],
  labourSkill: ["劳动技能"],
  householdType: ["户类型", "户属性"],
  monitoringType: ["监测对象类型", "监测对象类别", "监测类型"],
  riskCleared: ["风险是否消除", "是否消除风险"],
  phone: ["人联系电话", "本人联系电话", "联系电话", "手机号码", "手机号"],
  householdPhone: ["户联系电话", "户主联系电话"],
};

/** A header as compared: no spaces, full-width brackets as half-width. */
export const headerKey = (header: string) => header.replace(/\s/g, "").replace(/（/g, "(").replace(/）/g, ")");

const BY_HEADER = new Map(Object.entries(ROSTER_COLUMNS).flatMap(([field, headers]) => headers.map((header) => [headerKey(header), field as RosterField])));

/**
 * Which field each column of a header row holds (undefined: a column the roster does not use).
 * A mapping sent with the import (header → field) comes before the known names.
 */
export function mapColumns(header: readonly string[], mapping: Readonly<Record<string, RosterField>> = {}): (RosterField | undefined)[] {
  const given = new Map(Object.entries(mapping).map(([name, field]) => [headerKey(name), field]));
  const seen = new Set<RosterField>();
  return header.map((name) => {
    const field = given.get(headerKey(name)) ?? BY_HEADER.get(headerKey(name));
    // A second column of the same field (联系电话 after 人联系电话) is not read: the first one is.
    if (!field || seen.has(field)) return undefined;
    seen.add(field);
    return field;
  });
}

/** The fields a roster file must have: who the person is, and where (a code or the names). */
export function missingColumns(columns: readonly (RosterField | undefined)[]): string[] {
  const has = (field: RosterField) => columns.includes(field);
  const missing: string[] = [];
  if (!has("name")) missing.push(ROSTER_COLUMNS.name[0]!);
  if (!has("idNumber")) missing.push(ROSTER_COLUMNS.idNumber[0]!);
  if (!has("regionCode") && !(has("township") && has("village"))) missing.push(`${ROSTER_COLUMNS.township[0]}、${ROSTER_COLUMNS.village[0]}（或${ROSTER_COLUMNS.regionCode[0]}）`);
  return missing;
}
