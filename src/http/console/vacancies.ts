// 岗位: the vacancies of the operator's regions, one posted from a phone in a minute — checked by
// the same schema as the API, each mistake said beside its field with nothing saved — and one
// vacancy followed: the work it was read as, candidates with reasons, who was told, applied, hired.
import { html } from "hono/html";
import type { Vacancy } from "../../db/client.ts";
import { namesOfPlaces } from "../../services/regions.ts";
import { changeVacancy, importVacancies, listVacancies, postVacancy, vacancyInputSchema, vacancyPatchSchema } from "../../services/vacancies.ts";
import { vacancyRecord } from "../../services/vacancy-record.ts";
import { chinaMinuteText } from "../../shared/china-time.ts";
import { ageLimitText, boardText, payText, SEX_TEXT } from "../../shared/postings.ts";
import { DomainError } from "../../shared/errors.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { ANY_LEVEL, csrfRefused, describePage, form, layout, refusal, type SessionContext, typedPlace, uploadedSheet, uploadForm, withSession } from "./kit.ts";
import { T } from "./text.ts";

const FIELDS = ["title", "regionCode", "headcount", "wageMin", "wageMax", "ageMin", "ageMax", "description"] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, string> = {
  title: T.vacancies.jobTitle,
  regionCode: T.vacancies.region,
  headcount: T.vacancies.headcount,
  wageMin: T.vacancies.wageMin,
  wageMax: T.vacancies.wageMax,
  ageMin: T.vacancies.ageMin,
  ageMax: T.vacancies.ageMax,
  description: T.vacancies.description,
};
const NUMBERS: readonly Field[] = ["headcount", "wageMin", "wageMax", "ageMin", "ageMax"];

/** The spreadsheet's columns, by the names officials give them. */
const UPLOAD_COLUMNS: Record<string, string> = {
  岗位名称: "title",
  工作地点: "regionCode",
  工作地点代码: "regionCode",
  招聘人数: "headcount",
  月薪最低: "wageMin",
  月薪最高: "wageMax",
  最低年龄: "ageMin",
  最高年龄: "ageMax",
  用工单位: "employerName",
  地址: "address",
  说明: "description",
  编号: "externalId",
};
const MAX_UPLOAD_BYTES = 2_000_000;

type Values = Partial<Record<Field, string>> & { anywhereInRegion?: boolean };
type Errors = Partial<Record<Field, string>>;

/** The post form's fields (and the edit form's), each mistake beside its field. */
function vacancyFields(values: Values, errors: Errors, idPrefix = "") {
  const fields = FIELDS.map((name) => {
    const invalid = errors[name] ? html` aria-invalid="true" autofocus aria-describedby="${idPrefix}${name}-error"` : "";
    // The terms in words, read as the API reads a description (包吃住 is board, 限女性 the sex, 18至45岁 the ages).
    const input =
      name === "description"
        ? html`<textarea id="${idPrefix}${name}" name="${name}" rows="3"${invalid}>${values[name] ?? ""}</textarea>`
        : html`<input id="${idPrefix}${name}" name="${name}" value="${values[name] ?? ""}"${NUMBERS.includes(name) ? html` inputmode="numeric"` : ""}${invalid}>`;
    return html`<label for="${idPrefix}${name}">${LABELS[name]}</label>
${input}
${errors[name] ? html`<p id="${idPrefix}${name}-error" class="error">${errors[name]}</p>` : ""}`;
  });
  const anywhere = html`<label class="check"><input type="checkbox" name="anywhereInRegion" value="1"${values.anywhereInRegion ? " checked" : ""}> ${T.vacancies.anywhereInRegion}</label>`;
  // The box belongs with the place it widens.
  return [...fields.slice(0, 2), anywhere, ...fields.slice(2)];
}

/** What a vacancy says, as its edit form shows it: its place by name where it has one. */
function valuesOf(vacancy: Vacancy, placeName: string | undefined): Values {
  const values: Values = { ...Object.fromEntries(FIELDS.map((name) => [name, vacancy[name] === null ? "" : String(vacancy[name])])), anywhereInRegion: vacancy.anywhereInRegion };
  return placeName ? { ...values, regionCode: placeName } : values;
}

/**
 * The edit form's place as shown (its name) and the code it stands for: a name left as it was is
 * the vacancy's own place, even where the name alone is several places' (南山区).
 */
function shownPlace(vacancy: Vacancy, placeName: string | undefined) {
  return placeName && vacancy.regionCode ? html`<input type="hidden" name="placeShown" value="${placeName}"><input type="hidden" name="placeShownCode" value="${vacancy.regionCode}">` : "";
}

/** A form's fields as typed, and as a vacancy's input (numbers where they are numbers; blanks left out; the box as it stands). */
async function typedFields(c: SessionContext, fields: Record<string, string>) {
  const values: Values = { ...Object.fromEntries(FIELDS.map((name) => [name, (fields[name] ?? "").trim()])), anywhereInRegion: fields.anywhereInRegion === "1" };
  const typed = fields.placeShown && fields.placeShownCode && values.regionCode === fields.placeShown ? fields.placeShownCode : values.regionCode;
  // The place by its name (深圳市南山区) or code; a job may be anywhere, not only in the official's regions.
  const place = typed ? await typedPlace(c, typed, ANY_LEVEL, { anywhere: true }) : undefined;
  const input = {
    ...Object.fromEntries(FIELDS.filter((name) => values[name] !== "").map((name) => [name, NUMBERS.includes(name) ? Number(values[name]) : values[name]])),
    ...(place && "code" in place ? { regionCode: place.code } : {}),
    anywhereInRegion: values.anywhereInRegion,
  };
  return { values, input, placeProblem: place && "problem" in place ? place.problem : undefined };
}

/** Each field a validation names, with what to write there. */
function fieldErrors(paths: readonly unknown[]): Errors {
  const errors: Errors = {};
  for (const path of paths) {
    const field = FIELDS.includes(path as Field) ? (path as Field) : "title";
    errors[field] ??= T.vacancies.invalid[field];
  }
  return errors;
}

interface UploadOutcome {
  problems?: string[];
  saved?: number;
}

async function vacanciesPage(c: SessionContext, state: { values?: Values; errors?: Errors; upload?: UploadOutcome } = {}) {
  const session = c.get("consoleSession");
  let vacancies;
  let places;
  try {
    vacancies = await listVacancies(operatorContext(c), { limit: 100, employerId: c.req.query("employer") || undefined });
    places = await namesOfPlaces(operatorContext(c), vacancies.map((vacancy) => vacancy.regionCode));
  } catch (error) {
    return refusal(c, error);
  }
  const errors = state.errors ?? {};
  const mayPost = session.operator.role !== "countyOfficial";
  return c.html(
    layout(
      T.vacancies.title,
      html`<h1>${T.vacancies.title}</h1>
${c.req.query("posted") === "1" ? html`<p role="status">${T.vacancies.saved}</p>` : ""}
${state.upload?.saved !== undefined ? html`<p role="status">${T.vacancies.uploaded(state.upload.saved)}</p>` : ""}
${mayPost
  ? html`<form method="post" action="/console/vacancies" class="card">
  <h2>${T.vacancies.post}</h2>
  ${Object.keys(errors).length > 0 ? html`<p class="error" role="alert">${T.vacancies.fix}</p>` : ""}
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  ${vacancyFields(state.values ?? {}, errors)}
  <p><button type="submit">${T.vacancies.save}</button></p>
</form>
${uploadForm(session, {
  action: "/console/vacancies/upload",
  title: T.vacancies.upload,
  hint: T.vacancies.uploadHint(Object.keys(UPLOAD_COLUMNS)),
  label: T.vacancies.uploadFile,
  button: T.vacancies.uploadButton,
  refused: T.vacancies.uploadRefused,
  problems: state.upload?.problems,
})}`
  : ""}
<h2>${T.vacancies.list}</h2>
${vacancies.length > 0
  ? html`<ul style="list-style:none;padding:0" aria-label="${T.vacancies.list}">${vacancies.map(
      (vacancy) => html`<li class="card"><a href="/console/vacancies/${vacancy.id}">${vacancy.title}</a> <span class="muted">${T.vacancies.status[vacancy.status] ?? vacancy.status} · ${places.get(vacancy.regionCode ?? "") || vacancy.regionCode || ""}${vacancy.headcount ? ` · ${vacancy.headcount}人` : ""}</span>
${mayPost && vacancy.status === "open"
  ? html`<form method="post" action="/console/vacancies/${vacancy.id}/close"><input type="hidden" name="csrf" value="${session.csrfToken}"><button type="submit">${T.vacancies.close}</button></form>`
  : ""}</li>`,
    )}</ul>`
  : html`<p class="muted">${T.vacancies.none}</p>`}`,
      session,
    ),
    Object.keys(errors).length > 0 || state.upload?.problems ? 400 : 200,
  );
}

/** One vacancy: the work it was read as, its candidates, who was told, applied, hired; the form to edit it. */
async function vacancyPage(c: SessionContext, vacancyId: string, state: { values?: Values; errors?: Errors } = {}) {
  const session = c.get("consoleSession");
  let record;
  let places;
  try {
    record = await vacancyRecord(operatorContext(c), { vacancyId });
    places = await namesOfPlaces(operatorContext(c), [record.vacancy.regionCode]);
  } catch (error) {
    return refusal(c, error);
  }
  const { vacancy } = record;
  const errors = state.errors ?? {};
  const mayChange = session.operator.role !== "countyOfficial";
  const elsewhere = (count: number) => (count > 0 ? html`<p class="muted">${T.vacancies.elsewhere(count)}</p>` : "");
  // What a coordinator tells a worker on the phone besides the pay: board, insurance, hours, who is wanted, what else is asked.
  const insurance = vacancy.insurance === true ? T.vacancies.insured : vacancy.insurance === false ? T.vacancies.uninsured : null;
  const sex = vacancy.sex && vacancy.sex !== "any" ? SEX_TEXT[vacancy.sex] : null;
  const terms = [boardText(vacancy.housing, vacancy.meals), insurance, vacancy.hours, sex].filter((term): term is string => Boolean(term));
  return c.html(
    layout(
      vacancy.title,
      html`<h1>${vacancy.title}</h1>
${c.req.query("posted") === "1" ? html`<p role="status">${T.vacancies.saved}</p>` : ""}
${c.req.query("changed") === "1" ? html`<p role="status">${T.vacancies.changed}</p>` : ""}
<div class="card">
  <p>${T.vacancies.occupation}：${record.occupation ?? T.vacancies.noOccupation}</p>
  <p>${vacancy.employer?.name ?? "—"} · ${places.get(vacancy.regionCode ?? "") || vacancy.regionCode || "—"}${vacancy.anywhereInRegion ? T.vacancies.anywhereShort : ""}</p>
  <p>${[
    T.vacancies.status[vacancy.status] ?? vacancy.status,
    vacancy.headcount ? T.vacancies.hiredOf(record.hired, vacancy.headcount) : null,
    payText(vacancy),
    ageLimitText(vacancy.ageMin, vacancy.ageMax),
  ]
    .filter(Boolean)
    .join(" · ")}</p>
  ${terms.length > 0 ? html`<p>${terms.join(" · ")}</p>` : ""}
  ${vacancy.description ? html`<p class="written">${vacancy.description}</p>` : ""}
</div>
${mayChange
  ? html`<form method="post" action="/console/vacancies/${vacancy.id}" class="card">
  <h2>${T.vacancies.edit}</h2>
  ${Object.keys(errors).length > 0 ? html`<p class="error" role="alert">${T.vacancies.fixEdit}</p>` : ""}
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <label for="change-status">${T.vacancies.statusLabel}</label>
  <select id="change-status" name="status">${(["open", "closed", "filled"] as const).map((status) => html`<option value="${status}"${vacancy.status === status ? " selected" : ""}>${T.vacancies.status[status]}</option>`)}</select>
  ${shownPlace(vacancy, places.get(vacancy.regionCode ?? ""))}
  ${vacancyFields(state.values ?? valuesOf(vacancy, places.get(vacancy.regionCode ?? "")), errors, "edit-")}
  <p><button type="submit">${T.vacancies.change}</button></p>
</form>`
  : ""}
<h2>${T.vacancies.candidates}</h2>
${record.candidates === null
  ? html`<p class="muted">${T.worker.matchesUnavailable}</p>`
  : html`<ul aria-label="${T.vacancies.candidates}">${record.candidates.map((candidate) => html`<li><a href="/console/workers/${candidate.workerId}">${candidate.name}</a> <span class="muted">${candidate.reason}</span></li>`)}</ul>
${record.candidates.length === 0 ? html`<p class="muted">${vacancy.status === "open" ? T.vacancies.noCandidates : T.vacancies.notOpen}</p>` : ""}`}
${elsewhere(record.candidatesElsewhere)}
<h2>${T.vacancies.applicants} (${record.applications.length})</h2>
<ul aria-label="${T.vacancies.applicants}">${record.applications.map(
  (application) => html`<li><a href="/console/workers/${application.workerId}">${application.worker.name}</a> · ${T.applicationStatus[application.status] ?? application.status} · ${chinaMinuteText(application.hiredAt ?? application.createdAt)}</li>`,
)}</ul>
${elsewhere(record.applicationsElsewhere)}
<h2>${T.vacancies.pushed} (${record.pushed.length})</h2>
<ul aria-label="${T.vacancies.pushed}">${record.pushed.map(
  (notice) => html`<li><a href="/console/workers/${notice.workerId}">${notice.worker.name}</a> · ${chinaMinuteText(notice.createdAt)} · ${notice.delivery ? (T.delivery[notice.delivery] ?? notice.delivery) : notice.sentAt ? T.delivery.sent : T.delivery.waiting}</li>`,
)}</ul>
${elsewhere(record.pushedElsewhere)}`,
      session,
    ),
    Object.keys(errors).length > 0 ? 400 : 200,
  );
}

export function mountVacancyPages(app: Router) {
  describePage(app, "get", "/console/vacancies", "岗位: the vacancies of the caller's regions, and the form to post one");
  describePage(app, "post", "/console/vacancies", "Post a vacancy from the console (coordinators, administrators)");
  describePage(app, "post", "/console/vacancies/{id}/close", "Close a vacancy from the console");
  describePage(app, "post", "/console/vacancies/upload", "Post many vacancies from a spreadsheet (.xlsx or CSV, with a header row): every row checked, and one bad row posts none");
  describePage(app, "get", "/console/vacancies/{id}", "One vacancy: the work it was read as, its candidates with reasons, who was told, who applied, who was hired");
  describePage(app, "post", "/console/vacancies/{id}", "Change a vacancy's status or edit what it says from the console (checked as the API checks it)");

  app.get("/console/vacancies", withSession, (c) => vacanciesPage(c));

  app.post("/console/vacancies", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const { values, input, placeProblem } = await typedFields(c, fields);
    const parsed = vacancyInputSchema.safeParse(input);
    if (placeProblem) return vacanciesPage(c, { values, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error.issues.map((issue) => issue.path[0]))), regionCode: placeProblem } });
    if (!parsed.success) return vacanciesPage(c, { values, errors: fieldErrors(parsed.error.issues.map((issue) => issue.path[0])) });
    let vacancy;
    try {
      vacancy = await postVacancy(operatorContext(c), { ...parsed.data, postedVia: "console" });
    } catch (error) {
      return refusal(c, error);
    }
    // To the vacancy: the kind of work it was read as, and its first candidates.
    return c.redirect(`/console/vacancies/${vacancy.id}?posted=1`, 303);
  });

  app.post("/console/vacancies/upload", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    const refuse = (problems: string[]) => vacanciesPage(c, { upload: { problems } });
    const sheet = await uploadedSheet(c, MAX_UPLOAD_BYTES);
    if ("problem" in sheet) return refuse([sheet.problem]);
    const [header = [], ...lines] = sheet.lines;
    const columns = header.map((name) => UPLOAD_COLUMNS[name.trim()]);
    if (!columns.includes("title")) return refuse([T.vacancies.uploadNoHeader]);
    if (lines.length === 0) return refuse([T.upload.empty]);
    const rows = lines.map((line) =>
      Object.fromEntries(
        line.flatMap((cell, at) => {
          const field = columns[at];
          const value = cell.trim();
          if (!field || value === "") return [];
          return [[field, NUMBERS.includes(field as Field) ? (/^\d+$/.test(value) ? Number(value) : value) : value]];
        }),
      ),
    );
    // The place by its name (深圳市南山区) or code: a name that finds none, or several, refuses the sheet with its row.
    const placeProblems: string[] = [];
    for (const [index, row] of rows.entries()) {
      if (typeof row.regionCode !== "string") continue;
      const place = await typedPlace(c, row.regionCode, ANY_LEVEL, { anywhere: true });
      if ("code" in place) row.regionCode = place.code;
      else placeProblems.push(T.upload.rowProblem(index + 2, header[columns.indexOf("regionCode")]!.trim(), place.problem));
    }
    if (placeProblems.length > 0) return refuse(placeProblems);
    let result;
    try {
      result = await importVacancies(operatorContext(c), { rows });
    } catch (error) {
      return refusal(c, error);
    }
    if (result.errors.length > 0) {
      // Row numbers as the spreadsheet shows them: the header is row 1.
      return refuse(
        result.errors.map((error) => {
          // The column as the sheet names it (工作地点 or 工作地点代码).
          const column = error.field && columns.includes(error.field) ? header[columns.indexOf(error.field)]!.trim() : undefined;
          const why = error.problem === "invalid" ? (T.vacancies.invalid[error.field ?? ""] ?? T.errors.invalid) : (T.vacancies.uploadProblems[error.problem] ?? T.errors.invalid);
          return T.upload.rowProblem(error.index + 2, column, why);
        }),
      );
    }
    return vacanciesPage(c, { upload: { saved: result.ids.length } });
  });

  app.get("/console/vacancies/:id", withSession, (c) => vacancyPage(c, c.req.param("id")));

  app.post("/console/vacancies/:id", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const vacancyId = c.req.param("id");
    const { values, input, placeProblem } = await typedFields(c, fields);
    // A field left blank keeps what the vacancy says: the API's patch leaves out what it does not change.
    const parsed = vacancyPatchSchema.safeParse({ ...input, ...(fields.status ? { status: fields.status } : {}) });
    if (placeProblem) return vacancyPage(c, vacancyId, { values, errors: { ...(parsed.success ? {} : fieldErrors(parsed.error.issues.map((issue) => issue.path[0]))), regionCode: placeProblem } });
    if (!parsed.success) return vacancyPage(c, vacancyId, { values, errors: fieldErrors(parsed.error.issues.map((issue) => issue.path[0])) });
    try {
      await changeVacancy(operatorContext(c), { vacancyId, patch: parsed.data });
    } catch (error) {
      if (error instanceof DomainError && error.code === "validation_failed") {
        const named = (error.details as { fields?: unknown[] } | undefined)?.fields ?? [];
        return vacancyPage(c, vacancyId, { values, errors: fieldErrors(named) });
      }
      return refusal(c, error);
    }
    return c.redirect(`/console/vacancies/${vacancyId}?changed=1`, 303);
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
