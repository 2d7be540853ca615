// 导入: a county's poverty roster, as officials get it from the national system. The file is
// uploaded and checked first (new, changed, unchanged, and each refused row with its line and
// reason); nothing reaches the roster until the official confirms (确认导入); then a job applies it,
// and the page shows its progress until it is done. The same verbs as the API decide everything.
import { html } from "hono/html";
import type { RosterImport } from "../../db/client.ts";
import { namesOfPlaces } from "../../services/regions.ts";
import { csrfMatches } from "../../services/console-sessions.ts";
import { listRosterImports, mayImportRoster, rosterImportStatus, stageRoster, startRosterImport } from "../../services/roster/import.ts";
import { DomainError } from "../../shared/errors.ts";
import { chinaMinuteText } from "../../shared/china-time.ts";
import { operatorContext } from "../auth.ts";
import { AppError } from "../errors.ts";
import type { Router } from "../context.ts";
import { rosterUpload } from "../imports.ts";
import { csrfRefused, describePage, form, layout, refusal, type SessionContext, typedPlace, withSession } from "./kit.ts";
import { T } from "./text.ts";

/** Each refused row shown on the page, at most: the rest are counted. */
const REFUSALS_SHOWN = 200;

/**
 * Refused rows by reason, in the order each reason first comes: a city's file checked for one
 * county refuses its other counties' rows for one reason, which would otherwise hide the one row
 * with a wrong ID number among a page of the same line.
 */
function byReason(refused: { line: number; reason: string }[]): { reason: string; lines: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const { line, reason } of refused) {
    const lines = groups.get(reason);
    if (lines) lines.push(line);
    else groups.set(reason, [line]);
  }
  return [...groups].map(([reason, lines]) => ({ reason, lines }));
}

/** Line numbers as ranges: 7–22、25、26、40–45 (two in a row are listed, three or more are a range). */
function lineRanges(lines: number[]): string {
  const parts: string[] = [];
  for (let start = 0; start < lines.length; ) {
    let end = start;
    while (end + 1 < lines.length && lines[end + 1] === lines[end]! + 1) end++;
    parts.push(end - start >= 2 ? `${lines[start]}–${lines[end]}` : lines.slice(start, end + 1).join("、"));
    start = end + 1;
  }
  return parts.join("、");
}

async function importsPage(c: SessionContext, state: { problem?: string; region?: string } = {}) {
  const session = c.get("consoleSession");
  const ctx = operatorContext(c);
  let imports;
  let places;
  const regions = session.operator.regionCodes.filter((code) => code.length === 4 || code.length === 6);
  try {
    imports = await listRosterImports(ctx, { limit: 20 });
    places = await namesOfPlaces(ctx, [...regions, ...imports.map((found) => found.regionCode)]);
  } catch (error) {
    return refusal(c, error);
  }
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
  return c.html(
    layout(
      T.imports.title,
      html`<h1>${T.imports.title}</h1>
<form method="post" action="/console/imports" enctype="multipart/form-data" class="card">
  ${csrf}
  <p class="muted">${T.imports.hint}</p>
  ${regions.length > 0
    ? html`<label for="import-region">${T.imports.region}</label>
  <select id="import-region" name="region">${regions.map((code) => html`<option value="${code}"${state.region === code ? " selected" : ""}>${places.get(code) || code}</option>`)}</select>`
    : html`<label for="import-region">${T.imports.regionCode}</label>
  <input id="import-region" name="region" required value="${state.region ?? ""}" placeholder="如：云霄县">`}
  <label for="import-file">${T.imports.file}</label>
  <input id="import-file" name="file" type="file" accept=".xlsx,.csv" required${state.problem ? html` aria-invalid="true" autofocus aria-describedby="import-problem"` : ""}>
  ${state.problem ? html`<p id="import-problem" class="error" role="alert">${T.imports.fileProblem}${state.problem}</p>` : ""}
  <p><button type="submit">${T.imports.check}</button></p>
</form>
<h2>${T.imports.recent}</h2>
${imports.length > 0
  ? html`<ul style="list-style:none;padding:0" aria-label="${T.imports.recent}">${imports.map(
      (found) => html`<li class="card"><a href="/console/imports/${found.id}">${found.fileName ?? T.imports.open}</a>
  <span class="muted">${places.get(found.regionCode) || found.regionCode} · ${chinaMinuteText(found.createdAt)} · ${T.imports.status[found.status]}</span></li>`,
    )}</ul>`
  : html`<p class="muted">${T.imports.none}</p>`}`,
      session,
    ),
    state.problem ? 400 : 200,
  );
}

/** A refused upload in the official's words: the verbs' own messages are for the API's callers. */
function fileProblem(error: DomainError): string {
  const details = (error.details as { fields?: string[]; missing?: string[] } | undefined) ?? {};
  if (details.fields?.includes("region")) return T.imports.invalidRegion;
  if (details.missing) return error.message;
  return T.imports.emptyFile;
}

function progress(found: RosterImport) {
  return html`<label for="import-progress">${T.imports.progress}：${found.rowsDone} / ${found.rowsTotal}</label>
<progress id="import-progress" max="${Math.max(found.rowsTotal, 1)}" value="${found.rowsDone}" style="width:100%">${found.rowsDone} / ${found.rowsTotal}</progress>`;
}

export function mountImportPages(app: Router) {
  describePage(app, "get", "/console/imports", "导入: the form to upload a county's roster, and the latest imports");
  describePage(app, "post", "/console/imports", "Upload a roster file: checked and staged, shown before anything is imported");
  describePage(app, "get", "/console/imports/{id}", "One roster import: the check's counts and refused rows, the confirm button, then its progress");
  describePage(app, "post", "/console/imports/{id}/start", "Confirm a checked roster import (确认导入): the job applies it");

  app.get("/console/imports", withSession, (c) => importsPage(c));

  app.post("/console/imports", withSession, async (c) => {
    const ctx = operatorContext(c);
    let staged;
    let region: string | undefined;
    try {
      const upload = await rosterUpload(c);
      // The form's token comes before its file: a forged form is refused before a row is read.
      if (!csrfMatches(c.get("consoleSession"), upload.fields.csrf)) return csrfRefused(c);
      region = upload.fields.region?.trim() ?? "";
      const place = await typedPlace(c, region, [2, 3]);
      if ("problem" in place) return importsPage(c, { problem: place.problem, region });
      await mayImportRoster(ctx, { region: place.code });
      staged = await stageRoster(ctx, { region: place.code, rows: upload.rows, fileName: upload.fileName });
    } catch (error) {
      if (error instanceof DomainError && error.code === "validation_failed") return importsPage(c, { problem: fileProblem(error), ...(region ? { region } : {}) });
      if (error instanceof AppError && error.code === "not_implemented") return importsPage(c, { problem: T.imports.notHere });
      return refusal(c, error);
    }
    return c.redirect(`/console/imports/${staged.importId}`, 303);
  });

  app.get("/console/imports/:id", withSession, async (c) => {
    const session = c.get("consoleSession");
    let found;
    let places;
    try {
      found = await rosterImportStatus(operatorContext(c), { importId: c.req.param("id") });
      places = await namesOfPlaces(operatorContext(c), [found.regionCode]);
    } catch (error) {
      return refusal(c, error);
    }
    const refused = found.refused as { line: number; reason: string }[];
    const running = found.status === "running";
    if (running) c.header("Refresh", "3");
    return c.html(
      layout(
        T.imports.title,
        html`<h1>${found.fileName ?? T.imports.title}</h1>
<p class="muted">${places.get(found.regionCode) || found.regionCode} · ${chinaMinuteText(found.createdAt)} · ${T.imports.status[found.status]}</p>
${found.status === "staged"
  ? html`<div class="card" role="status">
  <h2>${T.imports.checked}</h2>
  <p>${T.imports.counts(found.new, found.changed, found.unchanged)}</p>
  ${found.leaving > 0 ? html`<p class="error">${T.imports.leaving(found.leaving, places.get(found.regionCode) || found.regionCode)}</p>` : ""}
  <form method="post" action="/console/imports/${found.id}/start">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <p><button type="submit">${T.imports.confirm}</button></p>
    ${refused.length > 0 ? html`<p class="muted">${T.imports.confirmHint}</p>` : ""}
  </form>
</div>`
  : ""}
${running ? html`<div class="card" role="status">${progress(found)}<p class="muted">${T.imports.running}</p></div>` : ""}
${found.status === "done" ? html`<div class="card" role="status">${progress(found)}<p>${T.imports.done(found.new, found.changed, found.unchanged, found.left)}</p></div>` : ""}
${found.status === "failed" ? html`<p class="error" role="alert">${T.imports.failed}</p>` : ""}
${found.status === "discarded" ? html`<p class="muted">${T.imports.discarded}</p>` : ""}
${refused.length > 0
  ? html`<h2>${T.imports.refused(refused.length + found.refusedMore)}</h2>
<table aria-label="${T.imports.refused(refused.length + found.refusedMore)}"><thead><tr><th style="text-align:left">${T.imports.line}</th><th style="text-align:left">${T.imports.reason}</th></tr></thead>
<tbody>${byReason(refused.slice(0, REFUSALS_SHOWN)).map(({ lines, reason }) => html`<tr><td style="text-align:left;white-space:normal">${lineRanges(lines)}${lines.length > 1 ? html`<br><span class="muted">${T.imports.lineCount(lines.length)}</span>` : ""}</td><td style="text-align:left;white-space:normal">${reason}</td></tr>`)}</tbody></table>
${refused.length + found.refusedMore > REFUSALS_SHOWN ? html`<p class="muted">${T.imports.refusedMore(refused.length + found.refusedMore - REFUSALS_SHOWN)}</p>` : ""}`
  : ""}
<p><a href="/console/imports">${T.nav.imports}</a></p>`,
        session,
      ),
    );
  });

  app.post("/console/imports/:id/start", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    try {
      await startRosterImport(operatorContext(c), { importId: c.req.param("id") });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect(`/console/imports/${c.req.param("id")}`, 303);
  });
}
