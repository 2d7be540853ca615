// The operator console, server-rendered by the same app (no build step): pages over the very verbs
// the API calls, so a page cannot do what the operator's role and regions do not allow. A page
// needs a console session (an HttpOnly cookie); a form that changes something carries the
// session's CSRF token.
import { deleteCookie } from "hono/cookie";
import { html } from "hono/html";
import { sendSignInCode, signInWithCode, signInWithToken, signOut } from "../../services/console-sessions.ts";
import { callList, type TaskToCall } from "../../services/call-list.ts";
import { linkEmployerContact } from "../../services/employers.ts";
import type { VerbContext } from "../../services/context.ts";
import { markTaskDone } from "../../services/plans.ts";
import { countUnreached } from "../../services/workers.ts";
import { confirmIdentity } from "../../services/roster/reach.ts";
import { chinaDayStart, chinaMinuteText } from "../../shared/china-time.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { consoleHeaders, COOKIE, COUNTER_SCRIPT, csrfRefused, describePage, form, HOME, layout, refusal, requestSession, setSessionCookie, signInPage, spokenPhone, withSession, type SessionContext } from "./kit.ts";
import { T } from "./text.ts";
import { mountEmployerPages, vouchedNotice } from "./employers.ts";
import { mountFigurePages } from "./figures.ts";
import { mountReportPages } from "./reports.ts";
import { mountVacancyPages } from "./vacancies.ts";
import { mountAuditPage } from "./audit.ts";
import { mountTrainingPages } from "./training.ts";
import { mountCampaignPages } from "./campaigns.ts";
import { mountOperatorPages } from "./operators.ts";
import { mountImportPages } from "./imports.ts";
import { mountWorkerPage } from "./worker.ts";
import { mountWorkerPages } from "./workers.ts";

function describe(app: Router) {
  describePage(app, "get", "/console", "The console: its first page, or the sign-in page");
  describePage(app, "get", "/console/sign-in", "The console's sign-in page");
  describePage(app, "get", "/console/counter.js", "The console's one script: a text's length counted as it is typed");
  describePage(app, "post", "/console/sign-in", "Sign in to the console with an API token; sets the session cookie");
  describePage(app, "post", "/console/sign-in/code", "Text a sign-in code to the phone an operator has on record (the answer is the same for any number)");
  describePage(app, "post", "/console/sign-in/sms", "Sign in to the console with the phone on record and the texted code; sets the session cookie");
  describePage(app, "post", "/console/sign-out", "End the console session");
  describePage(app, "get", "/console/today", "待办: the caller's open tasks in their regions by village, overdue and soonest first, each with the number to call (in full for coordinators, audited)");
  describePage(app, "post", "/console/tasks/{id}/confirm-identity", "Confirm that the chat of an identity_check task is the roster's person (after a call or a visit)");
  describePage(app, "post", "/console/tasks/{id}/link-employer", "Confirm the chat of an employer_verification task as a new contact of the employer whose credit code it typed (after a call)");
  describePage(app, "post", "/console/tasks/{id}/done", "Mark a task done from the console (a note lands on it)");
}

export function mountConsole(app: Router) {
  describe(app);
  app.use("/console", consoleHeaders);
  app.use("/console/*", consoleHeaders);
  app.get("/console/counter.js", (c) => c.body(COUNTER_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }));
  mountWorkerPages(app);
  mountWorkerPage(app);
  mountOperatorPages(app);
  mountAuditPage(app);
  mountTrainingPages(app);
  mountCampaignPages(app);
  mountFigurePages(app);
  mountReportPages(app);
  mountImportPages(app);
  mountEmployerPages(app);
  mountVacancyPages(app);

  app.get("/console", async (c) => {
    return c.redirect((await requestSession(c)) ? HOME : "/console/sign-in", 302);
  });

  app.get("/console/sign-in", (c) => c.html(signInPage()));

  app.post("/console/sign-in", async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === "string" ? body.token.trim() : "";
    if (!token) return c.html(signInPage({ tokenError: T.signIn.refused }), 400);
    const signedIn = await signInWithToken(c.get("deps"), token);
    if (!signedIn) return c.html(signInPage({ tokenError: T.signIn.refused }), 401);
    setSessionCookie(c, signedIn.cookie);
    return c.redirect(HOME, 303);
  });

  app.post("/console/sign-in/code", async (c) => {
    const body = await c.req.parseBody();
    const phone = typeof body.phone === "string" ? body.phone.trim().slice(0, 20) : "";
    await sendSignInCode(c.get("deps"), phone);
    return c.html(signInPage({ codeSent: true, phone }));
  });

  app.post("/console/sign-in/sms", async (c) => {
    const body = await c.req.parseBody();
    const phone = typeof body.phone === "string" ? body.phone.trim().slice(0, 20) : "";
    const code = typeof body.code === "string" ? body.code.trim().slice(0, 10) : "";
    const signedIn = phone && code ? await signInWithCode(c.get("deps"), phone, code) : null;
    if (!signedIn) return c.html(signInPage({ codeError: T.signIn.codeRefused, phone }), phone && code ? 401 : 400);
    setSessionCookie(c, signedIn.cookie);
    return c.redirect(HOME, 303);
  });

  app.post("/console/sign-out", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    await signOut(c.get("deps"), c.get("consoleSession"));
    deleteCookie(c, COOKIE, { path: "/console" });
    return c.redirect("/console/sign-in", 303);
  });

  app.get("/console/today", withSession, async (c) => {
    const session = c.get("consoleSession");
    const now = c.get("deps").clock();
    const startOfToday = chinaDayStart(now);
    let tasks;
    let unreached;
    try {
      [tasks, unreached] = await Promise.all([callList(operatorContext(c), {}), countUnreached(operatorContext(c), undefined)]);
    } catch (error) {
      return refusal(c, error);
    }
    // By village, the village with the most pressing task first; in each, the soonest due first.
    // Confirming an employer or its contact is the coordinators' (CARERS): an official is told so.
    const official = session.operator.role === "countyOfficial";
    const villages = new Map<string, TaskToCall[]>();
    for (const task of tasks) villages.set(task.place || (task.regionCode ?? ""), [...(villages.get(task.place || (task.regionCode ?? "")) ?? []), task]);
    const item = (task: TaskToCall) => {
      const who = task.worker
        ? html`<a href="/console/workers/${task.worker.id}">${task.worker.name}</a>`
        : task.employer
          ? html`<a href="/console/employers">${task.employer.name}</a>`
          : T.today.noPlan;
      const overdue = task.dueAt < startOfToday;
      const callable = task.phone && !task.phone.includes("*");
      return html`<li class="card">
  <h3>${who} · ${T.taskKinds[task.kind] ?? task.kind}</h3>
  <p class="${overdue ? "overdue" : "muted"}">${overdue ? T.today.overdue : T.today.due} ${chinaMinuteText(task.dueAt).slice(5)}</p>
  ${task.note ? html`<p>${task.note}</p>` : ""}
  ${task.employer && (task.employer.contactName || task.employer.address)
    ? html`<p>${[
        // For a new contact, the number below is theirs; the employer's own contact is named as such.
        task.employer.contactName ? `${task.employer.newContact ? T.today.registeredContact : T.employers.contact} ${task.employer.contactName}` : "",
        task.employer.address ? `${T.today.address} ${task.employer.address}` : "",
      ].filter(Boolean).join(" · ")}</p>`
    : ""}
  ${task.phone ? html`<p>${callable ? html`<a class="call" href="tel:${task.phone}">${T.today.call} ${spokenPhone(task.phone)}</a>` : task.phone}</p>` : ""}
  ${task.kind === "identity_check"
    ? html`<form method="post" action="/console/tasks/${task.id}/confirm-identity"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${T.today.confirmIdentity}</button></form>`
    : ""}
  ${task.kind === "employer_verification" && task.employer
    ? task.employer.newContact
      ? official ? "" : html`<form method="post" action="/console/tasks/${task.id}/link-employer"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${T.today.confirmContact}</button></form>`
      : task.employer.confirmed
        ? ""
        : official
          ? html`<p class="muted">${T.today.confirmedByCoordinator}</p>`
          : html`<form method="post" action="/console/employers/${task.employer.id}/vouch"><input type="hidden" name="csrf" value="${session.csrfToken}"><input type="hidden" name="back" value="today"><button type="submit">${T.today.confirmEmployer}</button></form>`
    : ""}
  <form method="post" action="/console/tasks/${task.id}/done" class="row">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <input name="note" aria-label="${T.today.note}" placeholder="${T.today.note}" maxlength="500">
    <button type="submit">${T.today.done}</button>
  </form>
</li>`;
    };
    const items = [...villages.entries()].map(
      ([place, group]) => html`<li><h2>${place || T.today.noPlace} <span class="muted">(${group.length})</span></h2>
<ul style="list-style:none;padding:0" aria-label="${place || T.today.noPlace}">${group.map(item)}</ul></li>`,
    );
    const saved = c.req.query("done") === "1";
    return c.html(
      layout(
        T.today.title,
        html`<h1>${T.today.title}</h1>
${saved ? html`<p role="status">${T.today.doneSaved}</p>` : ""}${vouchedNotice(c.req.query("vouched"))}
${unreached > 0 ? html`<p><a href="/console/workers?reached=no">${T.today.unreached(unreached)} →</a></p>` : ""}
${items.length > 0 ? html`<ul style="list-style:none;padding:0" aria-label="${T.today.title}">${items}</ul>` : html`<p class="muted">${T.today.none}</p>`}`,
        session,
      ),
    );
  });

  /** A task's one button on 待办 (its verb, given the task), then back to 待办. */
  const taskButton = (act: (ctx: VerbContext, input: { taskId: string }) => Promise<unknown>) => async (c: SessionContext) => {
    if (!(await form(c))) return csrfRefused(c);
    try {
      await act(operatorContext(c), { taskId: c.req.param("id")! });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect(`${HOME}?done=1`, 303);
  };
  app.post("/console/tasks/:id/confirm-identity", withSession, taskButton(confirmIdentity));
  app.post("/console/tasks/:id/link-employer", withSession, taskButton(linkEmployerContact));

  app.post("/console/tasks/:id/done", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    try {
      const note = fields.note?.trim().slice(0, 500);
      await markTaskDone(operatorContext(c), { taskId: c.req.param("id"), ...(note ? { note } : {}) });
    } catch (error) {
      return refusal(c, error);
    }
    // Done from the worker's page: back there (a worker id, not an address, so it can lead nowhere else).
    const worker = fields.worker?.trim();
    if (worker && /^[0-9a-f-]{36}$/u.test(worker)) return c.redirect(`/console/workers/${worker}?saved=task`, 303);
    return c.redirect(`${HOME}?done=1`, 303);
  });
}
