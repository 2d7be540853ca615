// 岗位: the vacancies of the operator's regions, and one posted from a phone in a minute — checked
// by the same schema as the API, each mistake said beside its field with nothing saved.
import { html } from "hono/html";
import { changeVacancy, listVacancies, postVacancy, vacancyInputSchema } from "../../services/vacancies.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { csrfRefused, describePage, form, layout, refusal, type SessionContext, withSession } from "./kit.ts";
import { T } from "./text.ts";

const FIELDS = ["title", "regionCode", "headcount", "wageMin", "wageMax"] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, string> = { title: T.vacancies.jobTitle, regionCode: T.vacancies.region, headcount: T.vacancies.headcount, wageMin: T.vacancies.wageMin, wageMax: T.vacancies.wageMax };
const NUMBERS: readonly Field[] = ["headcount", "wageMin", "wageMax"];

async function vacanciesPage(c: SessionContext, state: { values?: Partial<Record<Field, string>>; errors?: Partial<Record<Field, string>> } = {}) {
  const session = c.get("consoleSession");
  let vacancies;
  try {
    vacancies = await listVacancies(operatorContext(c), { limit: 100 });
  } catch (error) {
    return refusal(c, error);
  }
  const errors = state.errors ?? {};
  const mayPost = session.operator.role !== "countyOfficial";
  const field = (name: Field) => html`<label for="${name}">${LABELS[name]}</label>
<input id="${name}" name="${name}" value="${state.values?.[name] ?? ""}"${NUMBERS.includes(name) ? html` inputmode="numeric"` : ""}${errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : ""}>
${errors[name] ? html`<p id="${name}-error" class="error">${errors[name]}</p>` : ""}`;
  return c.html(
    layout(
      T.vacancies.title,
      html`<h1>${T.vacancies.title}</h1>
${c.req.query("posted") === "1" ? html`<p role="status">${T.vacancies.saved}</p>` : ""}
${mayPost
  ? html`<form method="post" action="/console/vacancies" class="card">
  <h2>${T.vacancies.post}</h2>
  ${Object.keys(errors).length > 0 ? html`<p class="error" role="alert">${T.vacancies.fix}</p>` : ""}
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  ${FIELDS.map(field)}
  <p><button type="submit">${T.vacancies.save}</button></p>
</form>`
  : ""}
<h2>${T.vacancies.list}</h2>
${vacancies.length > 0
  ? html`<ul style="list-style:none;padding:0" aria-label="${T.vacancies.list}">${vacancies.map(
      (vacancy) => html`<li class="card">${vacancy.title} <span class="muted">${T.vacancies.status[vacancy.status] ?? vacancy.status} · ${vacancy.regionCode ?? ""}${vacancy.headcount ? ` · ${vacancy.headcount}人` : ""}</span>
${mayPost && vacancy.status === "open"
  ? html`<form method="post" action="/console/vacancies/${vacancy.id}/close"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${T.vacancies.close}</button></form>`
  : ""}</li>`,
    )}</ul>`
  : html`<p class="muted">${T.vacancies.none}</p>`}`,
      session,
    ),
    Object.keys(errors).length > 0 ? 400 : 200,
  );
}

export function mountVacancyPages(app: Router) {
  describePage(app, "get", "/console/vacancies", "岗位: the vacancies of the caller's regions, and the form to post one");
  describePage(app, "post", "/console/vacancies", "Post a vacancy from the console (coordinators, administrators)");
  describePage(app, "post", "/console/vacancies/{id}/close", "Close a vacancy from the console");

  app.get("/console/vacancies", withSession, (c) => vacanciesPage(c));

  app.post("/console/vacancies", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const values = Object.fromEntries(FIELDS.map((name) => [name, (fields[name] ?? "").trim()])) as Record<Field, string>;
    const input = Object.fromEntries(
      FIELDS.filter((name) => values[name] !== "").map((name) => [name, NUMBERS.includes(name) ? Number(values[name]) : values[name]]),
    );
    const parsed = vacancyInputSchema.safeParse(input);
    if (!parsed.success) {
      const errors: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const name = (issue.path[0] ?? "title") as Field;
        const field = FIELDS.includes(name) ? name : "title";
        errors[field] ??= T.vacancies.invalid[field] ?? issue.message;
      }
      return vacanciesPage(c, { values, errors });
    }
    try {
      await postVacancy(operatorContext(c), parsed.data);
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect("/console/vacancies?posted=1", 303);
  });

  app.post("/console/vacancies/:id/close", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    try {
      await changeVacancy(operatorContext(c), { vacancyId: c.req.param("id"), patch: { status: "closed" } });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect("/console/vacancies", 303);
  });
}
