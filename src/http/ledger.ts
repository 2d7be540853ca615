// The employment ledger (就业台账) a county hands to 人社: its poor workers employed and not, as a
// day stood. Who may have it, which ID numbers they see, and the audit line are the verb's
// (services/stats/ledger.ts); here the query is read and the file written as it streams.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { employmentLedger, ledgerFilename, LEDGER_SHEETS, type Ledger, type LedgerSheet } from "../services/stats/ledger.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { AppEnv, Router } from "./context.ts";
import { csvDownload, download, XLSX_TYPE, xlsxWriter } from "./downloads.ts";
import { bearer, notFoundError, operatorErrors, regionCode } from "./schemas.ts";

export const ledgerQuery = z
  .object({
    region: regionCode,
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "a day, YYYY-MM-DD (China time)")
      .optional()
      .openapi({ description: "the day the ledger stands at (China time, not after today); today when absent", example: "2026-12-31" }),
    format: z.enum(["xlsx", "csv"]).default("xlsx"),
    sheet: z.enum(LEDGER_SHEETS).optional().openapi({ description: "one sheet: required with format=csv; with xlsx, a workbook of that sheet alone" }),
  })
  .superRefine((query, ctx) => {
    if (query.format === "csv" && !query.sheet) ctx.addIssue({ code: "custom", path: ["sheet"], message: "CSV holds one sheet: sheet=employed or sheet=unemployed" });
  });

const ledgerRoute = createRoute({
  method: "get",
  path: "/api/reports/ledger",
  summary: "The employment ledger of a region (就业台账): .xlsx with the sheets 已就业 and 未就业, or one sheet as CSV",
  description: [
    "One row a person: the region's workers on the county's roster (not marked as left) or whose poverty status is registered, lifted or monitored; erased people never.",
    "已就业: 姓名, 证件号码, 户编号, 人编号, 县(市、区), 乡(镇), 行政村, 行政区划代码, 脱贫属性, 就业类型, 务工地域 (县内 / 省内县外 / 省外), 务工省份, 务工市(州), 就业单位, 工作岗位, 月工资(元) (the vacancy hired for, when its wage is monthly), 就业时间, 就业渠道 (通过本服务 / 其他渠道).",
    "未就业: the same first nine columns, then 未就业原因 (求职中, 无就业意愿, or 未核实 for a person only the roster knows), 就业意愿, 培训意愿, 帮扶措施 (job pushes and training offers sent, trainings completed, coordinators' visits and calls).",
    "Codes and ID numbers are text cells (CSV: the =\"…\" form Excel keeps as text). ID numbers in full for administrators and county officials, masked for coordinators; every download is audited.",
    "A past day: place, poverty status, employment status and start, and training wish as they stood (the figures' history); the job's employer, vacancy and place only where the employment then is the employment now, else empty.",
    ".xlsx is written by the Node service; on Workers it answers 501 and CSV still works.",
  ].join(" "),
  security: bearer,
  middleware: [authenticate],
  request: { query: ledgerQuery },
  responses: {
    200: {
      description: "the ledger; X-Ledger-As-Of gives its day, X-Id-Numbers whether ID numbers are full or masked",
      headers: z.object({ "X-Ledger-As-Of": z.string().openapi({ example: "2026-12-31" }), "X-Id-Numbers": z.enum(["full", "masked"]) }),
      content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) }, "text/csv": { schema: z.string() } },
    },
    ...notFoundError,
    ...operatorErrors,
    501: { description: ".xlsx on a runtime without the writer (Workers): ask for format=csv" },
  },
});

/** The ledger asked for, as its file: the API's answer and the console's download. */
export async function ledgerDownload(c: Context<AppEnv>, query: { region: string; asOf?: string | undefined; format: "xlsx" | "csv"; sheet?: LedgerSheet | undefined }) {
  const write = query.format === "xlsx" ? xlsxWriter(c) : null;
  const ledger: Ledger = await employmentLedger(operatorContext(c), { region: query.region, asOf: query.asOf, format: query.format, sheets: query.sheet ? [query.sheet] : LEDGER_SHEETS });
  const name = ledgerFilename(query.region, ledger.asOf, query.format, query.sheet);
  const headers = { "x-ledger-as-of": ledger.asOf, "x-id-numbers": ledger.idNumbers };
  return write ? download(c, { name, type: XLSX_TYPE, body: write(ledger.sheets) }, headers) : csvDownload(c, name, ledger.sheets[0]!, headers);
}

export function mountLedger(app: Router) {
  app.openapi(ledgerRoute, async (c) => ledgerDownload(c, c.req.valid("query")));
}
