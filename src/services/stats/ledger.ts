// The employment ledger (就业台账) 人社 departments keep of the poor workers of a region: those
// employed (已就业: where, for whom, since when, found through the service or not) and those not
// (未就业: why, what they wish, the support given), one row a person, as a day stood. Who is in it:
// the region's workers on the county's roster (not marked as having left it) or whose poverty status
// is registered, lifted or monitored; never a person whose data was erased.
//
// A past day is read from the history a trigger keeps of each worker's counted fields
// (WorkerFiguresChange, as the quarterly figures read it): place, poverty status, employment status
// and since when, training wish. The job's details (employer, vacancy, where the job is) are not in
// that history: they are shown for a past day only when the employment then is the employment now
// (same status, same start), else left empty. Roster membership on a past day is the entry's
// creation and its leaving mark; a person listed again has the mark cleared, so a gap is not seen.
//
// The rows are read a chunk at a time as the file is written: a county of 100,000 people never
// sits whole in memory (its people's ids do, in the ledger's order).
import { occupationByCode } from "../../../matching/occupations.ts";
import type { EmploymentStatus } from "../../db/client.ts";
import { chinaDay, endOfChinaDay } from "../../shared/china-time.ts";
import { invalid, notFound } from "../../shared/errors.ts";
import { REGION_CODE } from "../../shared/identifiers.ts";
import type { Sheet, SheetCell, SheetColumn } from "../../shared/sheets.ts";
import { employmentPlace } from "../applications.ts";
import { ANY_OPERATOR, audit, requireRegion, verb, type VerbContext } from "../context.ts";
import { spokenRegionName } from "../region-lookup.ts";

export const LEDGER_SHEETS = ["employed", "unemployed"] as const;
export type LedgerSheet = (typeof LEDGER_SHEETS)[number];
export const LEDGER_SHEET_NAMES: Record<LedgerSheet, string> = { employed: "已就业", unemployed: "未就业" };

const EMPLOYED: readonly EmploymentStatus[] = ["employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed"];
const NOT_EMPLOYED: readonly EmploymentStatus[] = ["seeking", "notSeeking"];

export interface LedgerQuery {
  region: string;
  /** YYYY-MM-DD, China time; today when absent */
  asOf?: string | undefined;
  sheets: readonly LedgerSheet[];
  /** for the audit line: what was handed out */
  format: "xlsx" | "csv";
}

export interface Ledger {
  region: { code: string; name: string };
  /** the day the ledger stands at */
  asOf: string;
  /** ID numbers in full (administrators, county officials: the ledger goes to 人社 with them) or masked (coordinators) */
  idNumbers: "full" | "masked";
  sheets: Sheet[];
}

/** The ledger's file name, as it is downloaded (the API and the console alike). */
export const ledgerFilename = (region: string, asOf: string, format: "xlsx" | "csv", sheet?: LedgerSheet) =>
  `zhitongche-ledger-${region}-${asOf}${format === "csv" && sheet ? `-${sheet}` : ""}.${format}`;

// ---------------------------------------------------------------------------------------------------
// The statements. $1 the region's code, $2 the end of the day (China time), $3 whether that day is
// past (read the history), $4 the statuses of a sheet or the ids of a chunk.

const inRegion = (column: string) => `${column} >= $1::text AND ${column} < ($1::text || 'z')`;

/** Each worker of `source` (ids as src.id) as they stood at the day's end: their counted fields from the first change after it, if any. */
const asTheyStood = (source: string) => `
  SELECT w.id, w.name, w."idNumberEnc", w."idNumberMasked", w."registeredVia", w."wishedOccupations", w."workRange"::text AS "workRange",
         w."wageFloor", w."trainingWish", coalesce(r."householdNo", h."registryNo") AS "householdNo", r."personNo",
         (r.id IS NOT NULL AND r."createdAt" < $2::timestamp AND (r."leftAt" IS NULL OR r."leftAt" >= $2::timestamp)) AS "onRoster",
         CASE WHEN c.id IS NULL THEN w."homeRegionCode" ELSE c."homeRegionCode" END AS home,
         (CASE WHEN c.id IS NULL THEN w."povertyStatus" ELSE c."povertyStatus" END)::text AS poverty,
         (CASE WHEN c.id IS NULL THEN w."employmentStatus" ELSE c."employmentStatus" END)::text AS status,
         -- a day as China had it: a timestamp column comes back as the process's local time
         to_char((CASE WHEN c.id IS NULL THEN w."employedSince" ELSE c."employedSince" END) + interval '8 hours', 'YYYY-MM-DD') AS since,
         CASE WHEN c.id IS NULL THEN w."wantsTraining" ELSE c."wantsTraining" END AS "wantsTraining",
         (c.id IS NULL OR (c."employmentStatus" = w."employmentStatus" AND c."employedSince" IS NOT DISTINCT FROM w."employedSince")) AS "jobKnown",
         w."employerId", w."employedRegionCode", w."employedVacancyId"
  FROM ${source} JOIN "Worker" w ON w.id = src.id
  LEFT JOIN "RosterEntry" r ON r."workerId" = w.id
  LEFT JOIN "Household" h ON h.id = w."householdId"
  LEFT JOIN LATERAL (
    SELECT f.id, f."homeRegionCode", f."povertyStatus", f."employmentStatus", f."employedSince", f."wantsTraining"
    FROM "WorkerFiguresChange" f
    WHERE $3::boolean AND f."workerId" = w.id AND f."changedAt" >= $2::timestamp
    ORDER BY f."changedAt", f.id LIMIT 1
  ) c ON true
  WHERE w."erasedAt" IS NULL AND w."createdAt" < $2::timestamp`;

/** The people of a sheet, in the ledger's order: by village, household, person. */
const IDS_SQL = `
  WITH src AS (
    SELECT id FROM "Worker" WHERE ${inRegion(`"homeRegionCode"`)}
    UNION
    SELECT "workerId" FROM "WorkerFiguresChange" WHERE $3::boolean AND ${inRegion(`"homeRegionCode"`)} AND "changedAt" >= $2::timestamp
  )
  SELECT s.id FROM (${asTheyStood("src")}) s
  WHERE ${inRegion("s.home")} AND (s."onRoster" OR s.poverty IN ('registered', 'lifted', 'monitored')) AND s.status = ANY($4::text[])
  ORDER BY s.home, s."householdNo", s."personNo", s.name, s.id`;

const CHUNK = `unnest($4::text[]) AS src(id)`;

/** County, township and village by the home code's prefixes. */
const PLACE_COLUMNS = `county.name AS county, township.name AS township, village.name AS village`;
const PLACE_JOINS = `
  LEFT JOIN "Region" county ON length(s.home) >= 6 AND county.code = substr(s.home, 1, 6)
  LEFT JOIN "Region" township ON length(s.home) >= 9 AND township.code = substr(s.home, 1, 9)
  LEFT JOIN "Region" village ON length(s.home) = 12 AND village.code = s.home`;

const EMPLOYED_SQL = `
  SELECT s.*, ${PLACE_COLUMNS}, province.name AS "workProvince", city.name AS "workCity",
         coalesce(e.name, v."employerName") AS employer, v.title AS job, v."wageMin", v."wageMax", v."wageUnit"::text AS "wageUnit"
  FROM (${asTheyStood(CHUNK)}) s ${PLACE_JOINS}
  LEFT JOIN "Region" province ON s."jobKnown" AND province.code = substr(s."employedRegionCode", 1, 2)
  LEFT JOIN "Region" city ON s."jobKnown" AND length(s."employedRegionCode") >= 4 AND city.code = substr(s."employedRegionCode", 1, 4)
  LEFT JOIN "Vacancy" v ON s."jobKnown" AND v.id = s."employedVacancyId"
  LEFT JOIN "Employer" e ON s."jobKnown" AND e.id = coalesce(s."employerId", v."employerId")
  WHERE ${inRegion("s.home")}`;

/** The support given by the day's end: pushes and offers sent, trainings completed, a coordinator's visits and calls. */
const UNEMPLOYED_SQL = `
  SELECT s.*, ${PLACE_COLUMNS},
    (SELECT count(*) FROM "Notice" n WHERE n."workerId" = s.id AND n.kind = 'job_push' AND n."sentAt" < $2::timestamp)::int AS pushes,
    (SELECT count(*) FROM "Notice" n WHERE n."workerId" = s.id AND n.kind = 'training_offer' AND n."sentAt" < $2::timestamp)::int AS "trainingOffers",
    (SELECT count(*) FROM "TrainingEnrolment" t WHERE t."workerId" = s.id AND t.status = 'completed'
       AND (t."completedAt" IS NULL OR t."completedAt" < $2::timestamp))::int AS "trainingsCompleted",
    (SELECT count(*) FROM "PlanEvent" p WHERE p."workerId" = s.id AND p.kind = 'visit' AND p.at < $2::timestamp)::int AS visits,
    (SELECT count(*) FROM "PlanEvent" p WHERE p."workerId" = s.id AND p.kind = 'call' AND p.at < $2::timestamp)::int AS calls,
    -- on the roster only: never wrote to the service, and nobody recorded what they do
    (s."registeredVia" = 'roster' AND NOT EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."workerId" = s.id)
      AND NOT EXISTS (SELECT 1 FROM "PlanEvent" p WHERE p."workerId" = s.id AND p.kind = 'employment_changed' AND p.at < $2::timestamp)) AS unverified
  FROM (${asTheyStood(CHUNK)}) s ${PLACE_JOINS}
  WHERE ${inRegion("s.home")}`;

interface PersonRow {
  id: string;
  name: string;
  idNumberEnc: string | null;
  idNumberMasked: string | null;
  householdNo: string | null;
  personNo: string | null;
  home: string | null;
  poverty: string;
  status: EmploymentStatus;
  county: string | null;
  township: string | null;
  village: string | null;
}

interface EmployedRow extends PersonRow {
  /** YYYY-MM-DD, China time */
  since: string | null;
  jobKnown: boolean;
  employedRegionCode: string | null;
  employedVacancyId: string | null;
  workProvince: string | null;
  workCity: string | null;
  employer: string | null;
  job: string | null;
  wageMin: number | null;
  wageMax: number | null;
  wageUnit: string | null;
}

interface UnemployedRow extends PersonRow {
  registeredVia: string | null;
  wishedOccupations: string[];
  workRange: string | null;
  wageFloor: number | null;
  wantsTraining: boolean | null;
  trainingWish: string | null;
  pushes: number;
  trainingOffers: number;
  trainingsCompleted: number;
  visits: number;
  calls: number;
  unverified: boolean;
}

// ---------------------------------------------------------------------------------------------------
// The columns

type Column<Row> = SheetColumn & { value: (row: Row) => SheetCell };

const POVERTY: Record<string, string> = { registered: "未脱贫", lifted: "脱贫户", monitored: "监测对象" };
const AREA: Partial<Record<EmploymentStatus, string>> = { employedLocal: "县内", employedInProvince: "省内县外", employedOutOfProvince: "省外" };
const WORK_RANGE: Record<string, string> = { homeCounty: "县内", province: "省内", anywhere: "不限" };

/** Who and where, the first columns of both sheets. */
const personColumns = (idNumber: (row: PersonRow) => string | null): Column<PersonRow>[] => [
  { header: "姓名", width: 10, value: (row) => row.name },
  { header: "证件号码", text: true, width: 21, value: idNumber },
  { header: "户编号", text: true, width: 21, value: (row) => row.householdNo },
  { header: "人编号", text: true, width: 23, value: (row) => row.personNo },
  { header: "县(市、区)", width: 10, value: (row) => row.county },
  { header: "乡(镇)", width: 10, value: (row) => row.township },
  { header: "行政村", width: 10, value: (row) => (row.village ? spokenRegionName(row.village) : null) },
  { header: "行政区划代码", text: true, width: 15, value: (row) => row.home },
  { header: "脱贫属性", width: 9, value: (row) => POVERTY[row.poverty] ?? "" },
];

/** The vacancy's monthly wage: a number, or a range as the vacancy gives it; empty for a daily, hourly or piece wage. */
function monthlyWage(row: EmployedRow): SheetCell {
  if (row.wageUnit !== "month" || (row.wageMin === null && row.wageMax === null)) return null;
  if (row.wageMin === null || row.wageMax === null || row.wageMin === row.wageMax) return row.wageMin ?? row.wageMax;
  return `${row.wageMin}-${row.wageMax}`;
}

function workArea(row: EmployedRow): string {
  const area = AREA[row.status];
  if (area) return area;
  // Self-employed: where, when the place of the work is known.
  return row.jobKnown && row.employedRegionCode ? (AREA[employmentPlace(row.home, row.employedRegionCode)] ?? "") : "";
}

const employedColumns: Column<EmployedRow>[] = [
  { header: "就业类型", width: 12, value: (row) => (row.status === "selfEmployed" ? "自主创业或灵活就业" : "务工就业") },
  { header: "务工地域", width: 10, value: workArea },
  { header: "务工省份", width: 10, value: (row) => row.workProvince },
  { header: "务工市(州)", width: 10, value: (row) => row.workCity },
  { header: "就业单位", width: 20, value: (row) => row.employer },
  { header: "工作岗位", width: 14, value: (row) => row.job },
  { header: "月工资(元)", width: 11, value: monthlyWage },
  { header: "就业时间", width: 11, value: (row) => row.since },
  { header: "就业渠道", width: 10, value: (row) => (!row.jobKnown ? null : row.employedVacancyId ? "通过本服务" : "其他渠道") },
];

function reason(row: UnemployedRow): string {
  if (row.status === "notSeeking") return "无就业意愿";
  return row.unverified ? "未核实（名单人员，尚未联系上本人）" : "求职中";
}

function wish(row: UnemployedRow): string {
  const occupations = row.wishedOccupations.map((code) => occupationByCode(code)?.name ?? code).join("、");
  return [
    occupations,
    row.workRange ? `地域：${WORK_RANGE[row.workRange] ?? row.workRange}` : "",
    row.wageFloor ? `月薪不低于${row.wageFloor}元` : "",
  ]
    .filter(Boolean)
    .join("；");
}

function trainingWish(row: UnemployedRow): string {
  if (row.wantsTraining === null) return "";
  if (!row.wantsTraining) return "不愿参加";
  return row.trainingWish ? `愿意：${row.trainingWish}` : "愿意";
}

function support(row: UnemployedRow): string {
  const given = [
    [row.pushes, "岗位推送"],
    [row.trainingOffers, "培训推送"],
    [row.trainingsCompleted, "完成培训"],
    [row.visits, "入户走访"],
    [row.calls, "电话联系"],
  ] as const;
  const said = given.filter(([count]) => count > 0).map(([count, what]) => `${what}${count}次`);
  return said.length > 0 ? said.join("、") : "暂无";
}

const unemployedColumns: Column<UnemployedRow>[] = [
  { header: "未就业原因", width: 16, value: reason },
  { header: "就业意愿", width: 28, value: wish },
  { header: "培训意愿", width: 14, value: trainingWish },
  { header: "帮扶措施", width: 30, value: support },
];

// ---------------------------------------------------------------------------------------------------
// The verb

/** The day asked for (today when absent): not after today, a real date. */
function ledgerDay(asked: string | undefined, today: string): string {
  if (asked === undefined) return today;
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(asked) && !Number.isNaN(Date.parse(`${asked}T00:00:00Z`)) && new Date(`${asked}T00:00:00Z`).toISOString().startsWith(asked);
  if (!valid) throw invalid(`asOf: not a date (YYYY-MM-DD): ${asked}`, { fields: ["asOf"] });
  if (asked > today) throw invalid(`asOf: ${asked} is after today (${today})`, { fields: ["asOf"] });
  return asked;
}

const PEOPLE_PER_CHUNK = 500;

/** A sheet's rows, a chunk of people at a time, in the order of `ids`. */
async function* chunked<Row extends { id: string }>(ctx: VerbContext, text: string, head: unknown[], ids: string[], cells: (row: Row) => SheetCell[]): AsyncGenerator<SheetCell[]> {
  for (let at = 0; at < ids.length; at += PEOPLE_PER_CHUNK) {
    const chunk = ids.slice(at, at + PEOPLE_PER_CHUNK);
    const rows = new Map((await ctx.sql.query<Row>(text, [...head, chunk])).map((row) => [row.id, row]));
    for (const id of chunk) {
      const row = rows.get(id);
      if (row) yield cells(row);
    }
  }
}

/**
 * The ledger of a region as a day stood: its sheets, each read as it is written. Administrators and
 * county officials get ID numbers in full (the ledger goes to 人社 with them), coordinators masked;
 * each download is one audit line (region, day, format, sheets, people, whether IDs were in full).
 */
export const employmentLedger = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: LedgerQuery): Promise<Ledger> => {
  if (!REGION_CODE.test(input.region)) throw invalid("region: a region code of 2, 4, 6, 9 or 12 digits", { fields: ["region"] });
  requireRegion(ctx.actor, input.region);
  const region = await ctx.db.region.findUnique({ where: { code: input.region }, select: { code: true, name: true } });
  if (!region) throw notFound(`region ${input.region}`);
  const today = chinaDay(ctx.clock());
  const asOf = ledgerDay(input.asOf, today);
  const head = [input.region, endOfChinaDay(asOf), asOf < today];
  const full = ctx.actor.kind === "service" || ctx.actor.role !== "coordinator";
  const idNumber = (row: PersonRow) => (full && row.idNumberEnc ? ctx.pii.decrypt(row.idNumberEnc) : row.idNumberMasked);

  const sheets = [...new Set(input.sheets)];
  const people: Record<string, string[]> = {};
  for (const sheet of sheets) {
    const statuses = sheet === "employed" ? EMPLOYED : NOT_EMPLOYED;
    people[sheet] = (await ctx.sql.query<{ id: string }>(IDS_SQL, [...head, statuses])).map((row) => row.id);
  }
  await audit(ctx, "ledger.exported", input.region, {
    asOf,
    format: input.format,
    sheets,
    people: Object.fromEntries(sheets.map((sheet) => [sheet, people[sheet]!.length])),
    idNumbers: full ? "full" : "masked",
  });

  const sheetOf = <Row extends PersonRow>(sheet: LedgerSheet, text: string, columns: Column<Row>[]): Sheet => {
    const all: Column<Row>[] = [...personColumns(idNumber), ...columns];
    return {
      name: LEDGER_SHEET_NAMES[sheet],
      columns: all.map(({ value: _value, ...column }) => column),
      rows: chunked<Row>(ctx, text, head, people[sheet]!, (row) => all.map((column) => column.value(row))),
    };
  };
  return {
    region,
    asOf,
    idNumbers: full ? "full" : "masked",
    sheets: sheets.map((sheet) => (sheet === "employed" ? sheetOf<EmployedRow>(sheet, EMPLOYED_SQL, employedColumns) : sheetOf<UnemployedRow>(sheet, UNEMPLOYED_SQL, unemployedColumns))),
  };
});
