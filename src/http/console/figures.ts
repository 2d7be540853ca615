// 数据: the figures of a region in the operator's regions, with its child regions as rows (a click
// drills down), the quarter's flows in a line, the targets as bars, and the quarter's report to
// download — all from the verb of /api/reports/quarterly (the current quarter: the figures as of now).
import { html } from "hono/html";
import type { Figures } from "../../services/stats/figures.ts";
import { quarterlyFigures } from "../../services/stats/figures.ts";
import { quarterlyCsv, quarterlyCsvFilename } from "../../services/stats/quarterly-csv.ts";
import { listRegions } from "../../services/regions.ts";
import { chinaMinuteText, chinaQuarter } from "../../shared/china-time.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { describePage, layout, refusal, withSession } from "./kit.ts";
import { T } from "./text.ts";
import { REGION_CODE } from "../../shared/identifiers.ts";
import { reportLinks } from "./reports.ts";

const employed = (figures: Figures) => figures.employed.local + figures.employed.inProvince + figures.employed.outOfProvince;

function row(name: ReturnType<typeof html> | string, figures: Figures) {
  return html`<tr><th scope="row">${name}</th><td>${figures.registered}</td><td>${figures.onRoster}</td><td>${figures.reached}</td><td>${figures.wantWork}</td><td>${employed(figures)}</td><td>${figures.withPlan}</td><td>${figures.openWarnings}</td></tr>`;
}

export function mountFigurePages(app: Router) {
  describePage(app, "get", "/console/figures", "数据: a region's figures with its child regions as rows, and its targets");
  describePage(app, "get", "/console/figures/report", "The quarterly report of a region, as CSV");

  app.get("/console/figures", withSession, async (c) => {
    const ctx = operatorContext(c);
    const session = c.get("consoleSession");
    const asked = c.req.query("region");
    const region = asked && REGION_CODE.test(asked) ? asked : session.operator.regionCodes[0];
    if (!region) {
      // An administrator's regions are everywhere: they choose a province first.
      const provinces = await listRegions(ctx, { limit: 40 });
      return c.html(
        layout(
          T.figures.title,
          html`<h1>${T.figures.title}</h1><p>${T.figures.choose}</p><ul>${provinces.map((p) => html`<li><a href="/console/figures?region=${p.code}">${p.name}</a></li>`)}</ul>`,
          session,
        ),
      );
    }
    // The quarter so far: the figures as of now and the quarter's flows, in one statement.
    const quarter = chinaQuarter(c.get("deps").clock()).label;
    let report;
    try {
      report = await quarterlyFigures(ctx, { region, quarter });
    } catch (error) {
      return refusal(c, error);
    }
    const total = report.rows.find((row) => row.kind === "total")!;
    const unplaced = report.rows.find((row) => row.kind === "unplaced");
    const children = report.rows.filter((row) => row.kind === "child");
    const stats = { ...total.figures, region: report.region };
    const targets = Object.entries(stats.targets).map(([key, value]) => {
      const shown = value === null ? T.figures.noData : `${value}%`;
      return html`<li><span>${T.targets[key] ?? key}：${shown}</span>
  <div style="background:#e3e9e5;border-radius:4px;height:10px" aria-hidden="true"><div style="background:#1f7a4d;height:10px;border-radius:4px;width:${Math.min(100, Math.max(0, value ?? 0))}%"></div></div></li>`;
    });
    return c.html(
      layout(
        T.figures.title,
        html`<h1>${stats.region.name} · ${T.figures.title}</h1>
<p class="muted">${T.figures.asOf} ${chinaMinuteText(report.asOf)}</p>
${reportLinks(region, quarter)}
<div class="card" style="overflow-x:auto">
<table aria-label="${T.figures.children}" style="border-collapse:collapse;width:100%">
  <thead><tr><th scope="col">${T.figures.region}</th><th scope="col">${T.figures.registered}</th><th scope="col">${T.figures.onRoster}</th><th scope="col">${T.figures.reached}</th><th scope="col">${T.figures.seeking}</th><th scope="col">${T.figures.employed}</th><th scope="col">${T.figures.withPlan}</th><th scope="col">${T.figures.warnings}</th></tr></thead>
  <tbody>
  ${children.map((child) => row(html`<a href="/console/figures?region=${child.region.code}">${child.region.name}</a>`, child.figures))}
  ${unplaced && unplaced.figures.registered > 0 ? row(T.figures.unplaced, unplaced.figures) : ""}
  </tbody>
  <tfoot>${row(stats.region.name, stats)}</tfoot>
</table>
</div>
<p class="card">${T.figures.flows(quarter, total.flows)}</p>
<h2>${T.figures.targets}</h2>
<ul class="card" style="list-style:none">${targets}</ul>`,
        session,
      ),
    );
  });

  app.get("/console/figures/report", withSession, async (c) => {
    const region = c.req.query("region") ?? "";
    const quarter = c.req.query("quarter") ?? "";
    let report;
    try {
      report = await quarterlyFigures(operatorContext(c), { region, quarter });
    } catch (error) {
      return refusal(c, error);
    }
    return c.body(quarterlyCsv(report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${quarterlyCsvFilename(region, report.quarter.label)}"`,
    });
  });
}
