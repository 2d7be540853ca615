// The 数据 page's downloads beyond the quarterly CSV: the employment ledger (.xlsx, or a sheet as
// CSV) and the quarterly report as .xlsx, through the very functions the API answers with (the
// verbs decide who may have what, and audit the ledger).
import { html } from "hono/html";
import { LEDGER_SHEETS, type LedgerSheet } from "../../services/stats/ledger.ts";
import type { Router } from "../context.ts";
import { AppError } from "../errors.ts";
import { ledgerDownload } from "../ledger.ts";
import { quarterlyXlsx } from "../stats.ts";
import { describePage, layout, refusal, withSession, type SessionContext } from "./kit.ts";
import { T } from "./text.ts";

/** The links the 数据 page shows under its figures. */
export function reportLinks(region: string, quarter: string) {
  const ledger = (query: Record<string, string>) => `/console/figures/ledger?${new URLSearchParams({ region, ...query }).toString()}`;
  return html`<p class="muted">${T.figures.downloads}：<a href="/console/figures/report.xlsx?${new URLSearchParams({ region, quarter }).toString()}" download>${T.figures.reportXlsx(quarter)}</a>
 · <a href="/console/figures/report?${new URLSearchParams({ region, quarter }).toString()}" download>${T.figures.reportCsv(quarter)}</a>
 · <a href="${ledger({})}" download>${T.figures.ledger}</a>
 ${LEDGER_SHEETS.map((sheet) => html` · <a href="${ledger({ format: "csv", sheet })}" download>${T.figures.ledgerCsv[sheet]}</a>`)}
<br>${T.figures.ledgerMasked}</p>`;
}

/** A download refused: the verb's refusal as a page, or, for .xlsx on a runtime without the writer, that CSV is there. */
function refused(c: SessionContext, error: unknown) {
  if (error instanceof AppError && error.code === "not_implemented") {
    return c.html(layout(T.figures.xlsxNotHere, html`<h1>${T.figures.xlsxNotHere}</h1><p><a href="/console/figures">${T.figures.title}</a></p>`, c.get("consoleSession")), 501);
  }
  return refusal(c, error);
}

export function mountReportPages(app: Router) {
  describePage(app, "get", "/console/figures/ledger", "The employment ledger of a region: .xlsx (已就业, 未就业), or one sheet as CSV (format=csv&sheet=employed|unemployed); audited");
  describePage(app, "get", "/console/figures/report.xlsx", "The quarterly report of a region, as .xlsx");

  app.get("/console/figures/ledger", withSession, async (c) => {
    const query = c.req.query();
    const sheet = LEDGER_SHEETS.find((name) => name === query.sheet) as LedgerSheet | undefined;
    const format = query.format === "csv" ? "csv" : "xlsx";
    // A CSV is one sheet: without one named, the employed.
    try {
      return await ledgerDownload(c, { region: query.region ?? "", asOf: query.asOf || undefined, format, sheet: sheet ?? (format === "csv" ? "employed" : undefined) });
    } catch (error) {
      return refused(c, error);
    }
  });

  app.get("/console/figures/report.xlsx", withSession, async (c) => {
    try {
      return await quarterlyXlsx(c, { region: c.req.query("region") ?? "", quarter: c.req.query("quarter") ?? "" });
    } catch (error) {
      return refused(c, error);
    }
  });
}
