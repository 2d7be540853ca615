// 用工单位: the employers of the operator's regions, those waiting for a coordinator's confirmation
// first (a village workshop without a credit code); 确认 opens the vacancies they posted meanwhile.
import { html } from "hono/html";
import { isTrusted, listEmployers, vouchForEmployer } from "../../services/employers.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { csrfRefused, describePage, form, layout, refusal, withSession } from "./kit.ts";
import { T } from "./text.ts";

export function mountEmployerPages(app: Router) {
  describePage(app, "get", "/console/employers", "用工单位: employers of the caller's regions, those waiting for confirmation first");
  describePage(app, "post", "/console/employers/{id}/vouch", "Confirm an employer without a credit code (coordinators, administrators)");

  app.get("/console/employers", withSession, async (c) => {
    const session = c.get("consoleSession");
    let employers;
    try {
      employers = await listEmployers(operatorContext(c), {});
    } catch (error) {
      return refusal(c, error);
    }
    const waiting = employers.filter((employer) => !isTrusted(employer));
    const mayVouch = session.operator.role !== "countyOfficial";
    const line = (employer: (typeof employers)[number]) =>
      html`${employer.name} <span class="muted">${T.employerKinds[employer.kind] ?? employer.kind}${employer.contactName ? ` · ${T.employers.contact} ${employer.contactName} ${employer.contactPhoneMasked ?? ""}` : ""}${isTrusted(employer) ? ` · ${T.employers.trusted}` : ""}</span>`;
    return c.html(
      layout(
        T.employers.title,
        html`<h1>${T.employers.title}</h1>
${vouchedNotice(c.req.query("vouched"))}
<h2>${T.employers.waiting}</h2>
<p class="muted">${T.employers.waitingHint}</p>
${waiting.length > 0
  ? html`<ul style="list-style:none;padding:0" aria-label="${T.employers.waiting}">${waiting.map(
      (employer) => html`<li class="card">${line(employer)}${mayVouch
        ? html`<form method="post" action="/console/employers/${employer.id}/vouch"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${T.employers.vouch}</button></form>`
        : ""}</li>`,
    )}</ul>`
  : html`<p class="muted">${T.employers.none}</p>`}
<h2>${T.employers.all}</h2>
<ul style="list-style:none;padding:0" aria-label="${T.employers.all}">${employers.map(
  (employer) => html`<li class="card">${line(employer)} <a href="/console/vacancies?employer=${employer.id}">${T.employers.vacancies}</a></li>`,
)}</ul>`,
        session,
      ),
    );
  });

  app.post("/console/employers/:id/vouch", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    let opened;
    try {
      ({ opened } = await vouchForEmployer(operatorContext(c), { employerId: c.req.param("id") }));
    } catch (error) {
      return refusal(c, error);
    }
    // Confirmed from its task in 待办 (which the confirmation closes): back there, saying how many vacancies went out.
    return c.redirect(`${fields.back === "today" ? "/console/today" : "/console/employers"}?vouched=${opened}`, 303);
  });
}

/** What a confirmation did, after the redirect: ?vouched=<vacancies opened>. */
export function vouchedNotice(opened: string | undefined) {
  return opened !== undefined && /^\d+$/.test(opened) ? html`<p role="status">${T.employers.vouched(Number(opened))}</p>` : "";
}
