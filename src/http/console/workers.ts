// 劳动力: finding workers of the operator's regions — by name, the last four digits of the ID or
// phone, and filters — page by page, and the filtered list as a spreadsheet (one worker's page is
// worker.ts).
import { html } from "hono/html";
import { namesOfPlaces, placesToPick, type RegionView } from "../../services/regions.ts";
import { exportWorkers, listWorkers, workerFiltersSchema, type WorkerFilters } from "../../services/workers.ts";
import { wishName } from "../../engine/wished-work.ts";
import { chinaDay } from "../../shared/china-time.ts";
import { csvText } from "../../shared/csv.ts";
import { operatorContext } from "../auth.ts";
import type { Router } from "../context.ts";
import { describePage, layout, refusal, type SessionContext, typedPlace, withSession } from "./kit.ts";
import { T } from "./text.ts";

const PAGE_SIZE = 20;
/** A county's townships and villages fit one list to pick from (the largest counties have about 1,000); beyond, a code is typed. */
const MOST_PLACES_TO_PICK = 1500;

/** The list's filters from the query string: those that hold, and what is wrong with the others (said beside their field). */
function readFilters(query: Record<string, string>): { filters: WorkerFilters; problems: Record<string, string>; typed: Record<string, string> } {
  // 全角 digits (１００１) are digits.
  const given = Object.fromEntries(
    Object.entries(query)
      .filter(([name, value]) => name in workerFiltersSchema.shape && value.trim() !== "")
      .map(([name, value]) => [name, value.normalize("NFKC").trim()]),
  );
  // Four digits in the search box are the last four of the ID number or the phone, as its hint says.
  if (/^\d{4}$/.test(given.q ?? "") && !given.digits) {
    given.digits = given.q!;
    delete given.q;
  }
  const filters: Record<string, unknown> = {};
  const problems: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const field = workerFiltersSchema.shape[name as keyof WorkerFilters].safeParse(value);
    if (field.success) filters[name] = field.data;
    else problems[name] = T.workers.invalid[name] ?? T.errors.invalid;
  }
  return { filters: filters as WorkerFilters, problems, typed: given };
}

/** The region filter as typed (莆美镇, or a code) made its code; a name that finds no place or several is the filter's problem. */
async function readFiltersWithPlace(c: SessionContext) {
  const query = c.req.query();
  const typed = query.region?.trim() ?? "";
  const place = typed ? await typedPlace(c, typed, [3, 4, 5]) : undefined;
  const read = readFilters(place && "code" in place ? { ...query, region: place.code } : query);
  if (place && "problem" in place) read.problems.region = place.problem;
  return read;
}

const filterQuery = (filters: WorkerFilters): Record<string, string> =>
  Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === "string"));

/** The village (or township) to narrow to, picked from the operator's own; a code kept from a link stays chosen. */
function placePicker(places: RegionView[], chosen: string | undefined) {
  const option = (place: RegionView) => html`<option value="${place.code}"${chosen === place.code ? " selected" : ""}>${place.level === 4 ? T.workers.wholeTownship(place.name) : place.name}</option>`;
  const townships = places.filter((place) => place.level === 4);
  const known = chosen === undefined || places.some((place) => place.code === chosen);
  return html`<label for="f-region">${T.workers.region}</label>
  <select id="f-region" name="region">
    <option value="">${T.workers.any}</option>
    ${known ? "" : html`<option value="${chosen}" selected>${chosen}</option>`}
    ${townships.map((township) => html`<optgroup label="${township.name}">${option(township)}${places.filter((place) => place.parentCode === township.code).map(option)}</optgroup>`)}
  </select>`;
}

function filterForm(filters: WorkerFilters, problems: Record<string, string>, typed: Record<string, string>, places: RegionView[] | null) {
  // A wrong value stays in its field, to correct.
  const field = (name: keyof WorkerFilters, label: string, hint: string, mode = "text") => html`<label for="f-${name}">${label}</label>
  <input id="f-${name}" name="${name}" value="${problems[name] ? (typed[name] ?? "") : (filters[name] ?? "")}" placeholder="${hint}" inputmode="${mode}"${problems[name] ? html` aria-invalid="true" aria-describedby="f-${name}-error"` : ""}>
  ${problems[name] ? html`<p id="f-${name}-error" class="error" role="alert">${problems[name]}</p>` : ""}`;
  const choice = (name: keyof WorkerFilters, label: string, options: Record<string, string>) => html`<label for="f-${name}">${label}</label>
  <select id="f-${name}" name="${name}">
    <option value="">${T.workers.any}</option>
    ${Object.entries(options).map(([value, text]) => html`<option value="${value}"${filters[name] === value ? " selected" : ""}>${text}</option>`)}
  </select>`;
  const narrowed = Object.keys(filters).some((name) => name !== "q") || Object.keys(problems).length > 0;
  return html`<form method="get" action="/console/workers" role="search">
  <div class="row">
    <input id="q" name="q" value="${filters.q ?? ""}" aria-label="${T.workers.search}" placeholder="${T.workers.searchHint}">
    <button type="submit">${T.workers.searchButton}</button>
  </div>
  <details${narrowed ? " open" : ""}>
    <summary>${T.workers.filters}</summary>
    ${field("digits", T.workers.digits, T.workers.digitsHint, "numeric")}
    ${places && !problems.region ? placePicker(places, filters.region) : field("region", T.workers.regionCode, T.workers.regionHint)}
    ${choice("poverty", T.worker.poverty, T.poverty)}
    ${choice("employment", T.worker.employment, T.employment)}
    ${choice("training", T.workers.training, { yes: T.yes, no: T.no })}
    ${choice("reached", T.workers.reached, T.workers.reachedChoices)}
    ${field("wish", T.worker.wishes, T.workers.wishHint)}
    <p><button type="submit">${T.workers.apply}</button> <a href="/console/workers">${T.workers.clear}</a></p>
  </details>
</form>`;
}

export function mountWorkerPages(app: Router) {
  describePage(app, "get", "/console/workers", "劳动力: workers of the caller's regions, by name, the last four digits of the ID or phone, village, poverty status, employment, wish, training wish and whether the service has reached them");
  describePage(app, "get", "/console/workers.csv", "The filtered list of workers as a spreadsheet (numbers masked; the export is audited)");

  app.get("/console/workers", withSession, async (c) => {
    const { filters, problems, typed } = await readFiltersWithPlace(c);
    const cursor = c.req.query("after") || undefined;
    let found;
    let places;
    let picked;
    try {
      const ctx = operatorContext(c);
      found = await listWorkers(ctx, { ...filters, limit: PAGE_SIZE, cursor });
      places = await namesOfPlaces(ctx, found.workers.map((worker) => worker.homeRegionCode));
      picked = await placesToPick(ctx, { limit: MOST_PLACES_TO_PICK });
    } catch (error) {
      return refusal(c, error);
    }
    const rows = found.workers.map(
      (worker) => html`<li class="card"><a href="/console/workers/${worker.id}">${worker.name}</a>
  <span class="muted">${worker.age !== null ? `${worker.age}岁 · ` : ""}${T.employment[worker.employmentStatus] ?? worker.employmentStatus} · ${places.get(worker.homeRegionCode ?? "") || worker.homeRegionCode || ""}</span></li>`,
    );
    const query = filterQuery(filters);
    return c.html(
      layout(
        T.workers.title,
        html`<h1>${T.workers.title}</h1>
${filterForm(filters, problems, typed, picked)}
${rows.length > 0 ? html`<ul style="list-style:none;padding:0" aria-label="${T.workers.results}">${rows}</ul>` : html`<p class="muted">${T.workers.none}</p>`}
<p class="row">
${found.next ? html`<a href="/console/workers?${new URLSearchParams({ ...query, after: found.next }).toString()}">${T.workers.more}</a>` : ""}
<a href="/console/workers.csv?${new URLSearchParams(query).toString()}" download>${T.workers.export}</a>
</p>`,
        c.get("consoleSession"),
      ),
    );
  });

  app.get("/console/workers.csv", withSession, async (c) => {
    const { filters, problems } = await readFiltersWithPlace(c);
    if (Object.keys(problems).length > 0) return c.redirect(`/console/workers?${new URLSearchParams(c.req.query()).toString()}`, 303);
    let rows;
    try {
      rows = await exportWorkers(operatorContext(c), filters);
    } catch (error) {
      return refusal(c, error);
    }
    const csv = csvText([
      T.workers.columns,
      ...rows.map((row) => [
        row.name,
        row.idNumberMasked,
        row.phoneMasked,
        row.place || row.homeRegionCode,
        T.poverty[row.povertyStatus] ?? row.povertyStatus,
        T.employment[row.employmentStatus] ?? row.employmentStatus,
        row.wishedOccupations.map(wishName).join("、"),
        row.wantsTraining === null ? "" : row.wantsTraining ? T.yes : T.no,
        chinaDay(row.createdAt),
      ]),
    ]);
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="workers-${chinaDay(c.get("deps").clock())}.csv"`,
    });
  });
}
