// The quarterly report as the CSV officials open in Excel, and as a sheet for an .xlsx workbook
// (its region codes text cells: Excel shows a bare 12-digit code as 3.50622E+11).
import { csvText } from "../../shared/csv.ts";
import type { Sheet } from "../../shared/sheets.ts";
import type { QuarterlyReport, QuarterlyRow } from "./figures.ts";

const CSV_COLUMNS: [header: string, value: (row: QuarterlyRow) => string | number | null][] = [
  ["地区代码", (row) => (row.kind === "unplaced" ? "" : row.region.code)],
  ["地区名称", (row) => (row.kind === "child" ? row.region.name : row.kind === "unplaced" ? `${row.region.name}（未细分到下级地区）` : `合计：${row.region.name}`)],
  ["登记劳动力人数", (row) => row.figures.registered],
  ["其中：名单内人数", (row) => row.figures.onRoster],
  ["其中：自行登记人数", (row) => row.figures.selfRegistered],
  ["已联系上人数", (row) => row.figures.reached],
  ["求职中人数", (row) => row.figures.wantWork],
  ["县内就业人数", (row) => row.figures.employed.local],
  ["省内县外就业人数", (row) => row.figures.employed.inProvince],
  ["省外就业人数", (row) => row.figures.employed.outOfProvince],
  ["自主创业及灵活就业人数", (row) => row.figures.selfEmployed],
  ["完成培训人数", (row) => row.figures.trained],
  ["参加养老保险人数", (row) => row.figures.pensionEnrolled],
  ["有帮扶计划人数", (row) => row.figures.withPlan],
  ["岗位推送送达条数", (row) => row.figures.pushesDelivered],
  ["待处理失业预警数", (row) => row.figures.openWarnings],
  ["名单内人员联系覆盖率(%)", (row) => row.figures.targets.reachCoverage],
  ["外出务工意愿者岗位推送覆盖率(%)", (row) => row.figures.targets.matchedPushCoverage],
  ["培训意愿者年度免费培训推送率(%)", (row) => row.figures.targets.trainingOfferCoverage],
  ["求职者帮扶计划覆盖率(%)", (row) => row.figures.targets.planCoverage],
  ["60岁以上脱贫（含监测）人口参保率(%)", (row) => row.figures.targets.pensionCoverage],
  ["就业率(%)", (row) => row.figures.targets.employmentRate],
  ["本季度新登记人数", (row) => row.flows.newlyRegistered],
  ["本季度新就业人数", (row) => row.flows.hires],
  ["本季度培训结业人次", (row) => row.flows.trainingsCompleted],
  ["本季度岗位推送送达条数", (row) => row.flows.pushesDelivered],
];

/** The report's file name, as it is downloaded (the API and the console alike). */
export const quarterlyCsvFilename = (region: string, quarter: string, format: "csv" | "xlsx" = "csv") => `zhitongche-${region}-${quarter}.${format}`;

const reportLines = (report: QuarterlyReport) => report.rows.map((row) => CSV_COLUMNS.map(([, value]) => value(row)));

export function quarterlyCsv(report: QuarterlyReport): string {
  return csvText([CSV_COLUMNS.map(([header]) => header), ...reportLines(report)]);
}

/** The report as one sheet of a workbook (named for the quarter): the same columns and rows as the CSV, the region code a text cell. */
export function quarterlySheet(report: QuarterlyReport): Sheet {
  return {
    name: `${report.quarter.label}季度报表`,
    columns: CSV_COLUMNS.map(([header], at) => (at === 0 ? { header, text: true, width: 15 } : at === 1 ? { header, width: 24 } : { header, width: Math.min(30, Math.max(10, header.length * 2)) })),
    rows: reportLines(report),
  };
}

