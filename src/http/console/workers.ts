// 劳动力: finding a worker of the operator's regions by name, and one worker's page — the record as
// the API shows it (the ID masked; the phone in full for coordinators, who call, and that reveal is
// audited by the verb), their plan, open tasks and every message in and out on the timeline — with
// the form a coordinator records a visit in.
import { html } from "hono/html";
import { recordPlanEvent } from "../../services/plans.ts";
import { listWorkers, showWorker, workerPlan } from "../../services/workers.ts";
import { chinaMinuteText } from "../../shared/china-time.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { csrfRefused, describePage, form, layout, refusal, withSession } from "./kit.ts";
import { T } from "./text.ts";

const PAGE_SIZE = 20;

export function mountWorkerPages(app: Router) {
  describePage(app, "get", "/console/workers", "劳动力: workers of the caller's regions, by name");
  describePage(app, "get", "/console/workers/{id}", "One worker: record, plan, tasks and the timeline, with the visit form");
  describePage(app, "post", "/console/workers/{id}/visits", "Record a visit on the worker's timeline (coordinators, administrators)");

  app.get("/console/workers", withSession, async (c) => {
    const q = c.req.query("q")?.trim().slice(0, 40) || undefined;
    const cursor = c.req.query("after") || undefined;
    let found;
    try {
      found = await listWorkers(operatorContext(c), { q, limit: PAGE_SIZE, cursor });
    } catch (error) {
      return refusal(c, error);
    }
    const rows = found.workers.map(
      (worker) => html`<li class="card"><a href="/console/workers/${worker.id}">${worker.name}</a>
  <span class="muted">${worker.age !== null ? `${worker.age}岁 · ` : ""}${T.employment[worker.employmentStatus] ?? worker.employmentStatus} · ${worker.homeRegionCode ?? ""}</span></li>`,
    );
    return c.html(
      layout(
        T.workers.title,
        html`<h1>${T.workers.title}</h1>
<form method="get" action="/console/workers" class="row" role="search">
  <input id="q" name="q" value="${q ?? ""}" aria-label="${T.workers.search}" placeholder="${T.workers.searchHint}">
  <button type="submit">${T.workers.searchButton}</button>
</form>
${rows.length > 0 ? html`<ul style="list-style:none;padding:0">${rows}</ul>` : html`<p class="muted">${T.workers.none}</p>`}
${found.next ? html`<p><a href="/console/workers?${new URLSearchParams({ ...(q ? { q } : {}), after: found.next }).toString()}">${T.workers.more}</a></p>` : ""}`,
        c.get("consoleSession"),
      ),
    );
  });

  app.get("/console/workers/:id", withSession, async (c) => {
    const ctx = operatorContext(c);
    const session = c.get("consoleSession");
    let worker;
    let planned;
    try {
      worker = await showWorker(ctx, { workerId: c.req.param("id") });
      planned = await workerPlan(ctx, { workerId: worker.id, limit: 200 });
    } catch (error) {
      return refusal(c, error);
    }
    const { plan, timeline, place } = planned;
    const openTasks = plan?.tasks.filter((task) => task.status === "open") ?? [];
    const phone = worker.phone && !worker.phone.includes("*") ? html`<a href="tel:${worker.phone}">${worker.phone}</a> (${T.worker.call})` : worker.phone ?? "—";
    const saved = c.req.query("saved") === "1";
    const visitError = c.req.query("error") === "visit";
    return c.html(
      layout(
        worker.name,
        html`<h1>${worker.name}</h1>
${saved ? html`<p role="status">${T.worker.visitSaved}</p>` : ""}
<div class="card">
  <p>${T.worker.idNumber}：${worker.idNumber ?? "—"}${worker.age !== null ? ` · ${worker.age}岁` : ""}</p>
  <p>${T.worker.phone}：${phone}</p>
  <p>${T.worker.home}：${place || worker.homeRegionCode || "—"}</p>
  <p>${T.worker.poverty}：${T.poverty[worker.povertyStatus] ?? worker.povertyStatus} · ${T.worker.employment}：${T.employment[worker.employmentStatus] ?? worker.employmentStatus}</p>
  <p>${T.worker.coordinator}：${plan ? (plan.coordinator?.name ?? T.worker.noCoordinator) : T.worker.noPlan}</p>
</div>
${openTasks.length > 0
  ? html`<h2>${T.worker.tasks}</h2><ul>${openTasks.map((task) => html`<li>${T.taskKinds[task.kind] ?? task.kind} · ${chinaMinuteText(task.dueAt)}${task.note ? ` · ${task.note}` : ""}</li>`)}</ul>`
  : ""}
<form method="post" action="/console/workers/${worker.id}/visits" class="card">
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <label for="visit">${T.worker.visit}</label>
  <input id="visit" name="text" required maxlength="2000"${visitError ? html` aria-invalid="true" aria-describedby="visit-error"` : ""}>
  ${visitError ? html`<p id="visit-error" class="error" role="alert">${T.worker.visitEmpty}</p>` : ""}
  <p><button type="submit">${T.worker.saveVisit}</button></p>
</form>
<h2 id="timeline-heading">${T.worker.timeline}</h2>
<ol aria-label="${T.worker.timeline}" style="list-style:none;padding:0">
${timeline.map(
  (event) => html`<li class="card"><span class="muted">${chinaMinuteText(event.at)} · ${T.eventKinds[event.kind] ?? event.kind}${event.channel ? ` · ${event.channel}` : ""}</span>${event.text ? html`<br>${event.text}` : ""}</li>`,
)}
</ol>`,
        session,
      ),
    );
  });

  app.post("/console/workers/:id/visits", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const text = fields.text?.trim() ?? "";
    // Nothing to record: said beside the field, and nothing saved.
    if (!text) return c.redirect(`/console/workers/${c.req.param("id")}?error=visit`, 303);
    try {
      await recordPlanEvent(operatorContext(c), { workerId: c.req.param("id"), kind: "visit", text: text.slice(0, 2000) });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect(`/console/workers/${c.req.param("id")}?saved=1`, 303);
  });
}
