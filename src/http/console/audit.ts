// 审计: the audit log for administrators — who did what, when, newest first — narrowed by what was
// done, by whom, to what, or on which day.
import { html } from "hono/html";
import { listAudit } from "../../services/audit-log.ts";
import { listOperators } from "../../services/operators.ts";
import { chinaMinuteText } from "../../shared/china-time.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { describePage, layout, refusal, withSession } from "./kit.ts";
import { T } from "./text.ts";

const PAGE_SIZE = 50;

export function mountAuditPage(app: Router) {
  describePage(app, "get", "/console/audit", "审计: the audit log, newest first, by action, operator, target or day (administrators)");

  app.get("/console/audit", withSession, async (c) => {
    const ctx = operatorContext(c);
    const filters = {
      action: c.req.query("action")?.trim() || undefined,
      operatorId: c.req.query("operator")?.trim() || undefined,
      target: c.req.query("target")?.trim().slice(0, 100) || undefined,
      day: c.req.query("day")?.trim() || undefined,
    };
    const dayProblem = filters.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(filters.day);
    let found;
    let operators;
    try {
      found = await listAudit(ctx, { ...filters, day: dayProblem ? undefined : filters.day, limit: PAGE_SIZE, before: c.req.query("before") || undefined });
      operators = await listOperators(ctx);
    } catch (error) {
      return refusal(c, error);
    }
    const query = Object.fromEntries(Object.entries({ action: filters.action, operator: filters.operatorId, target: filters.target, day: filters.day }).filter((entry): entry is [string, string] => Boolean(entry[1])));
    return c.html(
      layout(
        T.audit.title,
        html`<h1>${T.audit.title}</h1>
<form method="get" action="/console/audit" class="card" role="search">
  <label for="audit-action">${T.audit.action}</label>
  <select id="audit-action" name="action"><option value="">${T.workers.any}</option>${Object.entries(T.audit.actions).map(
    ([action, label]) => html`<option value="${action}"${filters.action === action ? " selected" : ""}>${label}</option>`,
  )}</select>
  <label for="audit-operator">${T.audit.operator}</label>
  <select id="audit-operator" name="operator"><option value="">${T.workers.any}</option>${operators.map(
    (operator) => html`<option value="${operator.id}"${filters.operatorId === operator.id ? " selected" : ""}>${operator.name}（${T.roles[operator.role]}）</option>`,
  )}</select>
  <label for="audit-target">${T.audit.target}</label>
  <input id="audit-target" name="target" value="${filters.target ?? ""}" placeholder="${T.audit.targetHint}">
  <label for="audit-day">${T.audit.day}</label>
  <input id="audit-day" name="day" type="date" value="${filters.day ?? ""}"${dayProblem ? html` aria-invalid="true" autofocus aria-describedby="audit-day-error"` : ""}>
  ${dayProblem ? html`<p id="audit-day-error" class="error" role="alert">${T.audit.dayInvalid}</p>` : ""}
  <p><button type="submit">${T.workers.apply}</button> <a href="/console/audit">${T.workers.clear}</a></p>
</form>
<div style="overflow-x:auto">
<table aria-label="${T.audit.title}">
  <thead><tr><th>${T.audit.at}</th><th>${T.audit.operator}</th><th>${T.audit.action}</th><th>${T.audit.target}</th><th>${T.audit.details}</th></tr></thead>
  <tbody>${found.entries.map(
    (entry) => html`<tr><td>${chinaMinuteText(entry.at)}</td><td>${entry.operator?.name ?? (entry.operatorId ? entry.operatorId.slice(0, 8) : T.audit.nobody)}</td><td>${T.audit.actions[entry.action] ?? entry.action}</td><td>${entry.target ?? ""}</td><td style="text-align:left;white-space:normal">${entry.data ? JSON.stringify(entry.data).slice(0, 200) : ""}</td></tr>`,
  )}</tbody>
</table>
</div>
${found.entries.length === 0 ? html`<p class="muted">${T.workers.none}</p>` : ""}
${found.next ? html`<p><a href="/console/audit?${new URLSearchParams({ ...query, before: found.next }).toString()}">${T.workers.more}</a></p>` : ""}`,
        c.get("consoleSession"),
      ),
    );
  });
}
