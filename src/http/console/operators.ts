// 操作员: the people who run the programme. An administrator manages everyone; a county official,
// the coordinators of their own county (the verbs hold that rule): create one (the API token shown
// once), change the phone their alerts and sign-in codes go to, disable one, or upload the county's
// list of coordinators at once — every row checked before any is created.
import type { Context } from "hono";
import { html } from "hono/html";
import type { OperatorRole } from "../../db/client.ts";
import { createCoordinators, createOperator, disableOperator, listOperators, setOperatorPhone, type CoordinatorRowProblem } from "../../services/operators.ts";
import { namesOfPlaces } from "../../services/regions.ts";
import { DomainError } from "../../shared/errors.ts";
import { normalizeMobile, REGION_CODE } from "../../shared/identifiers.ts";
import { operatorContext } from "../auth.ts";
import type { AppEnv, Router } from "../context.ts";
import { csrfRefused, describePage, form, layout, refusal, uploadedSheet, uploadForm, typedPlace, withSession } from "./kit.ts";
import { T } from "./text.ts";

const regionsOf = (text: string) => text.split(/[\s,，;；、]+/).filter(Boolean);
const MAX_UPLOAD_BYTES = 1_000_000;

interface PageState {
  saved?: string;
  /** the token of an operator just created: shown this once */
  token?: { name: string; token: string };
  createProblem?: { field: "name" | "regionCodes" | "phone"; message: string; values: Record<string, string> };
  uploadProblems?: string[];
}

async function operatorsPage(c: Context<AppEnv>, state: PageState, status: 200 | 400 = 200) {
  const ctx = operatorContext(c);
  const session = c.get("consoleSession");
  let operators;
  let places;
  try {
    operators = await listOperators(ctx);
    places = await namesOfPlaces(ctx, operators.flatMap((operator) => operator.regionCodes));
  } catch (error) {
    return refusal(c, error);
  }
  const admin = session.operator.role === "admin";
  const roles: OperatorRole[] = admin ? ["coordinator", "countyOfficial", "admin"] : ["coordinator"];
  const problem = state.createProblem;
  const typed = (field: string) => problem?.values[field] ?? "";
  const invalidAttributes = (field: string) => (problem?.field === field ? html` aria-invalid="true" autofocus aria-describedby="new-${field}-error"` : "");
  const fieldError = (field: string) => (problem?.field === field ? html`<p id="new-${field}-error" class="error" role="alert">${problem.message}</p>` : "");
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
  return c.html(
    layout(
      T.operators.title,
      html`<h1>${T.operators.title}</h1>
${state.saved ? html`<p role="status">${state.saved}</p>` : ""}
${state.token ? html`<div class="card" role="status"><p>${T.operators.tokenOnce(state.token.name)}</p><p><code style="word-break:break-all">${state.token.token}</code></p></div>` : ""}
<ul style="list-style:none;padding:0" aria-label="${T.operators.list}">
${operators.map(
  (operator) => html`<li class="card">
  <h2>${operator.name} <span class="muted">${T.roles[operator.role]}</span></h2>
  <p class="muted">${operator.regionCodes.map((code) => places.get(code) || code).join("、") || T.operators.everywhere} · ${operator.phoneMasked ?? T.operators.noPhone}</p>
  ${operator.id === session.operator.id
    ? ""
    : html`<details><summary>${T.operators.change}</summary>
    <form method="post" action="/console/operators/${operator.id}/phone" class="row">${csrf}
      <input name="phone" inputmode="tel" aria-label="${T.operators.newPhone(operator.name)}" placeholder="${T.operators.phone}">
      <button type="submit">${T.operators.savePhone}</button>
    </form>
    <form method="post" action="/console/operators/${operator.id}/disable">${csrf}
      <p><button type="submit" style="background:#b3261e">${T.operators.disable}</button> <span class="muted">${T.operators.disableHint}</span></p>
    </form>
  </details>`}
</li>`,
)}
</ul>
<form method="post" action="/console/operators" class="card">
  <h2>${T.operators.create}</h2>
  ${csrf}
  <label for="new-name">${T.operators.name}</label>
  <input id="new-name" name="name" required maxlength="40" value="${typed("name")}"${invalidAttributes("name")}>
  ${fieldError("name")}
  <label for="new-role">${T.operators.role}</label>
  <select id="new-role" name="role">${roles.map((role) => html`<option value="${role}"${typed("role") === role ? " selected" : ""}>${T.roles[role]}</option>`)}</select>
  <label for="new-regionCodes">${T.operators.regions}</label>
  <input id="new-regionCodes" name="regionCodes" value="${typed("regionCodes")}" placeholder="${T.operators.regionsHint}"${invalidAttributes("regionCodes")}>
  ${fieldError("regionCodes")}
  <label for="new-phone">${T.operators.phone}</label>
  <input id="new-phone" name="phone" inputmode="tel" value="${typed("phone")}"${invalidAttributes("phone")}>
  ${fieldError("phone")}
  <p><button type="submit">${T.operators.createButton}</button></p>
</form>
${uploadForm(session, {
  action: "/console/operators/upload",
  title: T.operators.upload,
  hint: T.operators.uploadHint,
  label: T.operators.uploadFile,
  button: T.operators.uploadButton,
  refused: T.operators.uploadRefused,
  problems: state.uploadProblems,
})}`,
      session,
    ),
    status,
  );
}

/** One row's problem, in words: 第3行 手机号：不对 (the header is row 1). */
const problemLine = (problem: CoordinatorRowProblem, headerRows: number) =>
  T.upload.rowProblem(problem.index + 1 + headerRows, T.operators.columns[problem.field], T.operators.problems[problem.problem] ?? T.errors.invalid);

export function mountOperatorPages(app: Router) {
  describePage(app, "get", "/console/operators", "操作员: the operators the caller manages, with the forms to create one, change a phone, disable one and upload a list of coordinators");
  describePage(app, "post", "/console/operators", "Create an operator (administrators; a county official, coordinators of their county); the token is shown once");
  describePage(app, "post", "/console/operators/{id}/phone", "Change the phone an operator's alerts and sign-in codes go to");
  describePage(app, "post", "/console/operators/{id}/disable", "Disable an operator: their keys and sessions stop at once");
  describePage(app, "post", "/console/operators/upload", "Create a county's coordinators from a spreadsheet (.xlsx or CSV: name, phone, regions); every row checked first");

  app.get("/console/operators", withSession, async (c) => operatorsPage(c, { saved: T.operators.saved[c.req.query("saved") ?? ""] ?? "" }));

  app.post("/console/operators", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const name = fields.name?.trim() ?? "";
    const role = (["coordinator", "countyOfficial", "admin"] as const).find((value) => value === fields.role) ?? "coordinator";
    const phone = fields.phone?.trim() ?? "";
    const refuse = (field: "name" | "regionCodes" | "phone", message: string) => operatorsPage(c, { createProblem: { field, message, values: fields } }, 400);
    if (!name || name.length > 40) return refuse("name", T.operators.nameInvalid);
    const regionCodes: string[] = [];
    for (const typed of regionsOf(fields.regionCodes ?? "")) {
      const place = await typedPlace(c, typed, [2, 3, 4, 5]);
      if ("problem" in place) return refuse("regionCodes", place.problem);
      regionCodes.push(place.code);
    }
    if (role !== "admin" && (regionCodes.length === 0 || regionCodes.some((code) => !REGION_CODE.test(code)))) return refuse("regionCodes", T.operators.regionsInvalid);
    if (phone && !normalizeMobile(phone)) return refuse("phone", T.operators.phoneInvalid);
    try {
      const created = await createOperator(operatorContext(c), { name, role, regionCodes, ...(phone ? { phone } : {}) });
      return operatorsPage(c, { saved: T.operators.created, token: { name, token: created.token } });
    } catch (error) {
      return refusal(c, error);
    }
  });

  app.post("/console/operators/:id/phone", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const phone = fields.phone?.trim() || null;
    if (phone && !normalizeMobile(phone)) return operatorsPage(c, { saved: T.operators.phoneInvalid }, 400);
    try {
      await setOperatorPhone(operatorContext(c), { operatorId: c.req.param("id"), phone });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect("/console/operators?saved=phone", 303);
  });

  app.post("/console/operators/:id/disable", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    try {
      await disableOperator(operatorContext(c), { operatorId: c.req.param("id") });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect("/console/operators?saved=disabled", 303);
  });

  app.post("/console/operators/upload", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    const sheet = await uploadedSheet(c, MAX_UPLOAD_BYTES);
    if ("problem" in sheet) return operatorsPage(c, { uploadProblems: [sheet.problem] }, 400);
    const { lines } = sheet;
    // A first line that names the columns (姓名,手机号,…) is the header, not a coordinator.
    const headerRows = lines[0] && !normalizeMobile(lines[0][1] ?? "") ? 1 : 0;
    const rows = lines.slice(headerRows).map(([name = "", phone = "", ...regions]) => ({ name, phone, regionCodes: regions.flatMap(regionsOf) }));
    if (rows.length === 0) return operatorsPage(c, { uploadProblems: [T.upload.empty] }, 400);
    // Regions by name (莆美镇) or code; a name that finds no place or several refuses the sheet, like any wrong row.
    const placeProblems: string[] = [];
    for (const [index, row] of rows.entries()) {
      for (const [at, typed] of row.regionCodes.entries()) {
        const place = await typedPlace(c, typed, [2, 3, 4, 5]);
        if ("code" in place) row.regionCodes[at] = place.code;
        else placeProblems.push(T.upload.rowProblem(index + 1 + headerRows, T.operators.columns.regionCodes, place.problem));
      }
    }
    if (placeProblems.length > 0) return operatorsPage(c, { uploadProblems: placeProblems }, 400);
    let result;
    try {
      result = await createCoordinators(operatorContext(c), rows);
    } catch (error) {
      if (error instanceof DomainError && error.code === "validation_failed") return operatorsPage(c, { uploadProblems: [T.errors.invalid] }, 400);
      return refusal(c, error);
    }
    if (result.problems.length > 0) return operatorsPage(c, { uploadProblems: result.problems.map((problem) => problemLine(problem, headerRows)) }, 400);
    return operatorsPage(c, { saved: T.operators.uploaded(result.created.length) });
  });
}
