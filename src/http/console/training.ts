// 培训: the course catalogue of the operator's regions — seats taken, when and where — a new course
// (offered at once to the workers it fits), and one course's trainees, whose completions are
// recorded with a tick each.
import type { Context } from "hono";
import { html } from "hono/html";
import { namesOfPlaces } from "../../services/regions.ts";
import { courseInputSchema, createCourse, listCourses, showCourse } from "../../services/training/catalogue.ts";
import { courseEnrolments, recordCompletions } from "../../services/training/enrolment.ts";
import { chinaMinuteText } from "../../shared/china-time.ts";
import { DomainError } from "../../shared/errors.ts";
import { operatorContext } from "../auth.ts";
import type { AppEnv, Router } from "../context.ts";
import { csrfRefused, describePage, form, layout, refusal, typedPlace, withSession } from "./kit.ts";
import { T } from "./text.ts";

const FIELDS = ["title", "regionCode", "startsAt", "seats", "address"] as const;
type Field = (typeof FIELDS)[number];

async function cataloguePage(c: Context<AppEnv>, state: { problems?: Partial<Record<Field, string>>; values?: Record<string, string> } = {}, status: 200 | 400 = 200) {
  const ctx = operatorContext(c);
  const session = c.get("consoleSession");
  let courses;
  let places;
  try {
    courses = await listCourses(ctx, { limit: 200 });
    places = await namesOfPlaces(ctx, courses.map((course) => course.regionCode));
  } catch (error) {
    return refusal(c, error);
  }
  const problems = state.problems ?? {};
  const typed = (field: Field) => state.values?.[field] ?? "";
  // A course's offers reach its whole county (createCourse): only whoever covers a county or city opens one.
  const { role, regionCodes } = session.operator;
  const mayCreate = role === "admin" || regionCodes.some((code) => code.length <= 6);
  // The attributes are markup (a fragment of html``): a plain string would be escaped into the value.
  const input = (field: Field, attributes: ReturnType<typeof html> = html``) => html`<label for="course-${field}">${T.training.fields[field]}</label>
  <input id="course-${field}" name="${field}" value="${typed(field)}" ${attributes}${problems[field] ? html` aria-invalid="true" autofocus aria-describedby="course-${field}-error"` : ""}>
  ${problems[field] ? html`<p id="course-${field}-error" class="error" role="alert">${problems[field]}</p>` : ""}`;
  return c.html(
    layout(
      T.training.title,
      html`<h1>${T.training.title}</h1>
${Object.keys(problems).length > 0 ? html`<p class="error">${T.training.fix}</p>` : ""}
${courses.length === 0 ? html`<p class="muted">${T.training.none}</p>` : ""}
<ul style="list-style:none;padding:0" aria-label="${T.training.list}">
${courses.map(
  (course) => html`<li class="card"><a href="/console/training/${course.id}">${course.title}</a>
  <br><span class="muted">${chinaMinuteText(course.startsAt)} · ${places.get(course.regionCode ?? "") || course.regionCode} · ${T.training.seats(course.seatsTaken, course.seats)} · ${T.training.status[course.status] ?? course.status}</span></li>`,
)}
</ul>
${mayCreate
  ? html`<form method="post" action="/console/training" class="card">
  <h2>${T.training.create}</h2>
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  ${input("title", html`required maxlength="40" placeholder="如：家政服务员培训班"`)}
  ${input("regionCode", html`required placeholder="如：云霄县、莆美镇"`)}
  ${input("startsAt", html`required type="datetime-local"`)}
  ${input("seats", html`required inputmode="numeric" placeholder="如：30"`)}
  ${input("address", html`maxlength="100" placeholder="如：县职业技术学校"`)}
  <p><button type="submit">${T.training.save}</button></p>
</form>`
  : html`<p class="muted">${T.training.createdByCounty}</p>`}`,
      session,
    ),
    status,
  );
}

export function mountTrainingPages(app: Router) {
  describePage(app, "get", "/console/training", "培训: the courses of the caller's regions, with the form to add one");
  describePage(app, "post", "/console/training", "Add a course from the console (offered at once when open)");
  describePage(app, "get", "/console/training/{id}", "One course: its trainees, with the completions form");
  describePage(app, "post", "/console/training/{id}/completions", "Record the completions of the ticked trainees");

  app.get("/console/training", withSession, async (c) => cataloguePage(c));

  app.post("/console/training", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const place = await typedPlace(c, fields.regionCode ?? "", [3, 4]);
    const given = {
      title: fields.title ?? "",
      regionCode: "code" in place ? place.code : "",
      startsAt: fields.startsAt?.trim() ?? "",
      seats: /^\d{1,6}$/.test(fields.seats?.trim() ?? "") ? Number(fields.seats) : Number.NaN,
      ...(fields.address?.trim() ? { address: fields.address } : {}),
    };
    const parsed = courseInputSchema.safeParse(given);
    if (!parsed.success) {
      const problems: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = FIELDS.find((name) => name === issue.path[0]);
        if (field) problems[field] = T.training.invalid[field];
      }
      if ("problem" in place) problems.regionCode = place.problem;
      return cataloguePage(c, { problems, values: fields }, 400);
    }
    let course;
    try {
      course = await createCourse(operatorContext(c), parsed.data);
    } catch (error) {
      // The verb's own checks (a known region; an open course starts in the future) beside their fields.
      if (error instanceof DomainError && error.code === "validation_failed") {
        const field: Field = /region/.test(error.message) ? "regionCode" : "startsAt";
        return cataloguePage(c, { problems: { [field]: T.training.invalid[field] }, values: fields }, 400);
      }
      return refusal(c, error);
    }
    return c.redirect(`/console/training/${course.id}?saved=1`, 303);
  });

  app.get("/console/training/:id", withSession, async (c) => {
    const ctx = operatorContext(c);
    const session = c.get("consoleSession");
    let course;
    let enrolments;
    let places;
    try {
      course = await showCourse(ctx, { courseId: c.req.param("id") });
      enrolments = await courseEnrolments(ctx, { courseId: course.id });
      places = await namesOfPlaces(ctx, [course.regionCode]);
    } catch (error) {
      return refusal(c, error);
    }
    const saved = { "1": T.training.saved, completed: T.training.completed }[c.req.query("saved") ?? ""];
    const enrolled = enrolments.filter((enrolment) => enrolment.status === "enrolled");
    return c.html(
      layout(
        course.title,
        html`<h1>${course.title}</h1>
${saved ? html`<p role="status">${saved}</p>` : ""}
<div class="card">
  <p>${chinaMinuteText(course.startsAt)}${course.endsAt ? ` — ${chinaMinuteText(course.endsAt)}` : ""}</p>
  <p>${places.get(course.regionCode ?? "") || course.regionCode}${course.address ? ` · ${course.address}` : ""}</p>
  <p>${T.training.seats(course.seatsTaken, course.seats)} · ${T.training.status[course.status] ?? course.status}</p>
</div>
<h2>${T.training.trainees} (${enrolments.length})</h2>
<form method="post" action="/console/training/${course.id}/completions">
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <ul style="list-style:none;padding:0" aria-label="${T.training.trainees}">
  ${enrolments.map(
    (enrolment) => html`<li class="card">${enrolment.status === "enrolled"
      ? html`<label style="margin:0"><input type="checkbox" name="worker" value="${enrolment.workerId}"> ${enrolment.worker.name}</label>`
      : html`${enrolment.worker.name} · ${T.enrolmentStatus[enrolment.status] ?? enrolment.status}`} <a href="/console/workers/${enrolment.workerId}" class="muted">${T.training.open}</a></li>`,
  )}
  </ul>
  ${enrolled.length > 0 ? html`<p><button type="submit">${T.training.recordCompletions}</button></p>` : ""}
</form>`,
        session,
      ),
    );
  });

  app.post("/console/training/:id/completions", withSession, async (c) => {
    if (!(await form(c))) return csrfRefused(c);
    const body = await c.req.parseBody({ all: true });
    const ticked = ([] as unknown[]).concat(body.worker ?? []).filter((value): value is string => typeof value === "string");
    if (ticked.length > 0) {
      try {
        await recordCompletions(operatorContext(c), { courseId: c.req.param("id"), workerIds: ticked });
      } catch (error) {
        return refusal(c, error);
      }
    }
    return c.redirect(`/console/training/${c.req.param("id")}${ticked.length > 0 ? "?saved=completed" : ""}`, 303);
  });
}
