// One worker, as the coordinator who follows them needs them at a glance: the record as the API
// shows it (the ID masked; the phone in full for coordinators, who call, and that reveal is audited
// by the verb), open tasks, the forms of a visit or call, of the employment a call found and of a
// correction, then every message in and out on the timeline; and below, the benefits with their
// reasons and sources, the best vacancies with theirs, applications, what was sent, courses and the
// household. A form with a mistake comes back with the mistake said beside its field, nothing saved.
import type { Context } from "hono";
import { html } from "hono/html";
import type { EmploymentStatus } from "../../db/client.ts";
import { recordPlanEvent } from "../../services/plans.ts";
import { workerBenefits } from "../../services/policies.ts";
import { listCourses } from "../../services/training/catalogue.ts";
import { enrolWorker } from "../../services/training/enrolment.ts";
import { namesOfPlaces } from "../../services/regions.ts";
import { changeEmployment, CORRECTABLE, correctWorker, EMPLOYMENT_STATUSES, workerHistory, type CorrectableField } from "../../services/worker-record.ts";
import { showWorker, workerMatches, workerPlan } from "../../services/workers.ts";
import { wishName } from "../../engine/wished-work.ts";
import { EDUCATION_WORDS, type Education } from "../../policies/index.ts";
import { chinaDay, chinaMinuteText, chinaWallClock } from "../../shared/china-time.ts";
import { readYear } from "../../shared/years.ts";
import { DomainError } from "../../shared/errors.ts";
import { operatorContext } from "../auth.ts";
import type { AppEnv, Router } from "../context.ts";
import { csrfRefused, describePage, form, layout, refusal, spokenPhone, typedPlace, withSession } from "./kit.ts";
import { T } from "./text.ts";

/** Where someone works: a city will do (厦门), or a county, township or village. */
const WORK_PLACE_CODE = /^(\d{4}|\d{6}|\d{9}|\d{12})$/;

type FormName = "record" | "employment" | "correction";

/** 家庭情况 and 想参加培训 as people write them (已脱贫, 想; the page's own words), for the codes the record keeps. */
const DONT_KNOW = /^(不清楚|不知道|不晓得|不记得|未知|unknown$)/iu;

const TYPED_AS: Partial<Record<CorrectableField, [RegExp, string][]>> = {
  povertyStatus: [
    [/^(建档立卡|未脱贫|贫困户|registered)/iu, "registered"],
    [/^(已脱贫|脱贫|lifted)/iu, "lifted"],
    [/^(监测|monitored)/iu, "monitored"],
    [/^(不是|非贫困户?|一般户|none$)/iu, "none"],
    [/^(不清楚|不知道|unknown$)/iu, "unknown"],
  ],
  wantsTraining: [
    [/^(不想|不要|否|不|no$)/iu, "no"],
    [/^(想|要|是|yes$)/iu, "yes"],
  ],
  // 不清楚 is no answer (the field goes back to unknown), read before the no its 不 would be; a word
  // read as neither is refused rather than guessed.
  pensionEnrolled: [
    [DONT_KNOW, "unknown"],
    [/^(没|未|否|no$)/iu, "no"],
    [/^(参加了?|参保了?|已参|已经?(参加|参保|交)|交了|交过|有交|(农保|新农保|养老保险)交了|有$|是$|yes$)/iu, "yes"],
  ],
  startingBusiness: [
    [DONT_KNOW, "unknown"],
    [/^(不是|没有|没|否|不|no$)|打工|上班|务工|带孩子|种地|在家/iu, "no"],
    [/^(是$|是的|yes$)|开(了|个|一个|家)?.*(店|小卖部|超市|饭店|作坊|厂)|做(点)?(小)?生意|创业|摆摊|当老板|养殖|(养|种)了?(鸡|鸭|猪|牛|羊|鱼|蜂|兔|果|茶|菜)/iu, "yes"],
  ],
  // The longest first: 技校高级工班 is not 技校.
  education: [
    [/^(技校|技工学校|技工院校)?高级工/u, "technicalSeniorWorker"],
    [/^(技校|技工学校|技工院校)?预备技师/u, "technicianPrep"],
    [/^特殊教育/u, "specialEducationVocational"],
    [/^(技校|技工学校|技工院校)/u, "technicalSchool"],
    [/^(中专|职高|中职|职校|职专)/u, "secondaryVocational"],
    [/^(大专|本科|大学|专科|研究生|高校)/u, "college"],
    [/^(高中|普高)/u, "seniorHigh"],
    [/^初中/u, "juniorHigh"],
    [/^(小学|没上过学|没上学|没读过书|没读书|没念过书|文盲|不识字)/u, "primaryOrBelow"],
    [DONT_KNOW, "unknown"],
  ],
  graduationYear: [[DONT_KNOW, "unknown"]],
};

interface PageState {
  saved?: string;
  /** the form that went wrong, what was wrong, and what was typed (kept for the retry) */
  problem?: { form: FormName; message: string; values: Record<string, string> };
}

const RECORD_KINDS = ["visit", "call", "note"] as const;

/**
 * The timeline's latest entries shown at first: on a phone, every message of a worker who chats
 * often pushed the benefits and matches thousands of pixels down. The rest on asking (?timeline=all).
 */
const TIMELINE_SHOWN = 20;
const TIMELINE_ALL = 200;

async function workerPage(c: Context<AppEnv>, workerId: string, state: PageState, status: 200 | 400 = 200) {
  const ctx = operatorContext(c);
  const session = c.get("consoleSession");
  const wholeTimeline = c.req.query("timeline") === "all";
  let worker;
  let planned;
  let history;
  let benefits;
  try {
    worker = await showWorker(ctx, { workerId });
    const limit = wholeTimeline ? TIMELINE_ALL : TIMELINE_SHOWN + 1;
    [planned, history, benefits] = await Promise.all([workerPlan(ctx, { workerId, limit }), workerHistory(ctx, { workerId }), workerBenefits(ctx, { workerId })]);
  } catch (error) {
    return refusal(c, error);
  }
  // The search engine may be away: the page still serves, and says so where the matches would be.
  const matches = await workerMatches(ctx, { workerId, limit: 5 }).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "unavailable") return null;
    throw error;
  });
  const places = await namesOfPlaces(ctx, [worker.homeRegionCode, ...(matches ?? []).map((match) => match.regionCode)]);
  const enrolled = new Set(history.enrolments.map((enrolment) => enrolment.courseId));
  const openCourses = (await listCourses(ctx, { status: "open", limit: 50 })).filter((course) => !enrolled.has(course.id) && course.seatsTaken < course.seats && course.startsAt > ctx.clock());
  const { plan, place } = planned;
  const timeline = wholeTimeline ? planned.timeline : planned.timeline.slice(0, TIMELINE_SHOWN);
  const earlier = !wholeTimeline && planned.timeline.length > TIMELINE_SHOWN;
  const openTasks = plan?.tasks.filter((task) => task.status === "open") ?? [];
  const carer = ctx.actor.kind === "operator" && ctx.actor.role !== "countyOfficial";
  const phone = worker.phone && !worker.phone.includes("*") ? html`<a href="tel:${worker.phone}">${spokenPhone(worker.phone)}</a> (${T.worker.call})` : worker.phone ?? "—";
  const problem = (name: FormName) => (state.problem?.form === name ? state.problem : undefined);
  const typed = (name: FormName, field: string) => problem(name)?.values[field] ?? "";
  const fieldError = (name: FormName, id: string) =>
    problem(name) ? html`<p id="${id}-error" class="error" role="alert">${problem(name)!.message}</p>` : "";
  const invalidAttributes = (name: FormName, id: string) => (problem(name) ? html` aria-invalid="true" autofocus aria-describedby="${id}-error"` : "");
  const wishes = worker.wishedOccupations.map(wishName).join("、");
  // What the subsidies wait on, where known: what the chat's 补贴政策 or a correction recorded.
  const benefitFacts = (["pensionEnrolled", "startingBusiness", "education", "graduationYear"] as const)
    .filter((fact) => worker[fact] !== null && worker[fact] !== undefined)
    .map((fact) => `${T.worker.toldFacts[fact]}：${factText(fact, worker[fact])}`);

  return c.html(
    layout(
      worker.name,
      html`<h1>${worker.name}</h1>
${state.saved ? html`<p role="status">${state.saved}</p>` : ""}
<div class="card">
  <p>${T.worker.idNumber}：${worker.idNumber ?? "—"}${worker.age !== null ? ` · ${worker.age}岁` : ""}</p>
  <p>${T.worker.phone}：${phone}</p>
  <p>${T.worker.home}：${place || worker.homeRegionCode || "—"}</p>
  <p>${T.worker.poverty}：${T.poverty[worker.povertyStatus] ?? worker.povertyStatus}（${worker.povertyConfirmed ? T.worker.confirmed : T.worker.declared}${worker.declaredPovertyStatus && worker.declaredPovertyStatus !== worker.povertyStatus ? `，${T.worker.declaredBefore(T.poverty[worker.declaredPovertyStatus] ?? worker.declaredPovertyStatus)}` : ""}） · ${T.worker.employment}：${T.employment[worker.employmentStatus] ?? worker.employmentStatus}</p>
  ${history.roster
    ? html`<p>${T.worker.roster}：${T.worker.rosterLine(history.roster.personNo, history.roster.householdType, history.roster.monitoringType, history.roster.relation)}${history.roster.riskCleared === null ? "" : ` · ${T.worker.riskCleared(history.roster.riskCleared)}`}${history.roster.leftAt ? html` · <span class="overdue">${T.worker.leftRoster(chinaDay(history.roster.leftAt))}</span>` : ""}</p>`
    : ""}
  <p>${T.worker.wishes}：${wishes || "—"}${worker.wantsTraining === null ? "" : ` · ${worker.wantsTraining ? T.worker.wantsTraining : T.worker.noTraining}`}</p>
  ${benefitFacts.length > 0 ? html`<p>${benefitFacts.join(" · ")}</p>` : ""}
  <p>${T.worker.coordinator}：${plan ? (plan.coordinator?.name ?? T.worker.noCoordinator) : T.worker.noPlan}</p>
</div>
${openTasks.length > 0
  ? html`<h2>${T.worker.tasks}</h2><ul>${openTasks.map(
      (task) => html`<li>${T.taskKinds[task.kind] ?? task.kind} · ${chinaMinuteText(task.dueAt)}${task.note ? ` · ${task.note}` : ""}
  ${carer
    ? html`<form method="post" action="/console/tasks/${task.id}/done" class="row">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <input type="hidden" name="worker" value="${worker.id}">
    <input name="note" aria-label="${T.today.note}" placeholder="${T.today.note}" maxlength="500">
    <button type="submit">${T.today.done}</button>
  </form>`
    : ""}</li>`,
    )}</ul>`
  : ""}
${carer
  ? html`<form method="post" action="/console/workers/${worker.id}/visits" class="card">
  <input type="hidden" name="csrf" value="${session.csrfToken}">
  <label for="record-kind">${T.worker.recordKind}</label>
  <select id="record-kind" name="kind">${RECORD_KINDS.map((kind) => html`<option value="${kind}"${typed("record", "kind") === kind ? " selected" : ""}>${T.eventKinds[kind]}</option>`)}</select>
  <label for="visit">${T.worker.visit}</label>
  <textarea id="visit" name="text" rows="2" required maxlength="2000"${invalidAttributes("record", "visit")}>${typed("record", "text")}</textarea>
  ${fieldError("record", "visit")}
  <p><button type="submit">${T.worker.saveVisit}</button></p>
</form>
<details class="card"${problem("employment") ? " open" : ""}>
  <summary>${T.worker.employmentChange}</summary>
  <form method="post" action="/console/workers/${worker.id}/employment">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <label for="employment-status">${T.worker.employment}</label>
    <select id="employment-status" name="status">${EMPLOYMENT_STATUSES.map((value) => html`<option value="${value}"${(typed("employment", "status") || worker.employmentStatus) === value ? " selected" : ""}>${T.employment[value]}</option>`)}</select>
    <label for="employment-where">${T.worker.workWhere}</label>
    <input id="employment-where" name="workRegionCode" value="${typed("employment", "workRegionCode")}" placeholder="${T.worker.workWhereHint}"${invalidAttributes("employment", "employment-where")}>
    ${fieldError("employment", "employment-where")}
    <label for="employment-note">${T.worker.employmentNote}</label>
    <input id="employment-note" name="note" maxlength="500" value="${typed("employment", "note")}">
    <p><button type="submit">${T.worker.saveEmployment}</button></p>
  </form>
</details>
<details class="card"${problem("correction") ? " open" : ""}>
  <summary>${T.worker.correction}</summary>
  <form method="post" action="/console/workers/${worker.id}/corrections">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <label for="correction-field">${T.worker.correctionField}</label>
    <select id="correction-field" name="field">${CORRECTABLE.map((field) => html`<option value="${field}"${typed("correction", "field") === field ? " selected" : ""}>${T.worker.fields[field]}</option>`)}</select>
    <label for="correction-value">${T.worker.correctionValue}</label>
    <input id="correction-value" name="value" required maxlength="40" value="${typed("correction", "value")}" placeholder="${T.worker.correctionHint}"${invalidAttributes("correction", "correction-value")}>
    ${fieldError("correction", "correction-value")}
    <p><button type="submit">${T.worker.saveCorrection}</button></p>
  </form>
</details>`
  : ""}
<h2 id="timeline-heading">${T.worker.timeline}</h2>
<ol aria-label="${T.worker.timeline}" style="list-style:none;padding:0">
${timeline.map(
  (event) => html`<li class="card"><span class="muted">${chinaMinuteText(event.at)} · ${T.eventKinds[event.kind] ?? event.kind}${event.channel ? ` · ${T.channels[event.channel] ?? event.channel}` : ""}</span>${event.text ? html`<br>${event.text}` : ""}${eventFacts(event.kind, event.data)}</li>`,
)}
</ol>
${earlier ? html`<p><a href="/console/workers/${worker.id}?timeline=all#timeline-heading">${T.worker.timelineEarlier}</a></p>` : ""}
<details class="card" open>
  <summary>${T.worker.benefits}</summary>
  <ul aria-label="${T.worker.benefits}">
  ${[...benefits.filter((benefit) => benefit.answer === "yes"), ...benefits.filter((benefit) => benefit.answer === "needsInfo")].map(
    (benefit) => html`<li><strong>${benefit.name}</strong>：<span class="${benefit.answer === "yes" ? "" : "muted"}">${T.worker.answers[benefit.answer]}</span>${benefit.amountText ? ` · ${benefit.amountText}` : ""}
    <br><span class="muted">${aboutThem(benefit.reason)}${sourceQuote(benefit.sources)}</span></li>`,
  )}
  </ul>
  ${benefits.some((benefit) => benefit.answer === "no")
    ? html`<details><summary>${T.worker.answers.no} (${benefits.filter((benefit) => benefit.answer === "no").length})</summary><ul>${benefits
        .filter((benefit) => benefit.answer === "no")
        .map((benefit) => html`<li>${benefit.name}：<span class="muted">${aboutThem(benefit.reason)}</span></li>`)}</ul></details>`
    : ""}
</details>
<details class="card" open>
  <summary>${T.worker.matches}</summary>
  ${matches === null
    ? html`<p class="muted">${T.worker.matchesUnavailable}</p>`
    : matches.length === 0
      ? html`<p class="muted">${T.worker.noMatches}</p>`
      : html`<ul aria-label="${T.worker.matches}">${matches.map(
          (match) => html`<li>${match.title}${match.employerName ? ` · ${match.employerName}` : ""}${match.regionCode ? ` · ${places.get(match.regionCode) ?? ""}` : ""}<br><span class="muted">${match.reason}</span></li>`,
        )}</ul>`}
</details>
<details class="card">
  <summary>${T.worker.applications} (${history.applications.length})</summary>
  <ul>${history.applications.map(
    (application) => html`<li>${application.vacancy.title}${application.vacancy.employer ? ` · ${application.vacancy.employer.name}` : ""} · ${T.applicationStatus[application.status] ?? application.status} · ${chinaMinuteText(application.createdAt)}</li>`,
  )}</ul>
</details>
<details class="card">
  <summary>${T.worker.notices} (${history.notices.length})</summary>
  <ul>${history.notices.map(
    (notice) => html`<li>${T.noticeKinds[notice.kind] ?? notice.kind}${notice.vacancy ? ` · ${notice.vacancy.title}` : notice.course ? ` · ${notice.course.title}` : ""} · ${chinaMinuteText(notice.createdAt)} · ${notice.delivery ? (T.delivery[notice.delivery] ?? notice.delivery) : notice.sentAt ? T.delivery.sent : T.delivery.waiting}</li>`,
  )}</ul>
</details>
<details class="card">
  <summary>${T.worker.courses} (${history.enrolments.length})</summary>
  <ul>${history.enrolments.map(
    (enrolment) => html`<li>${enrolment.course.title} · ${T.enrolmentStatus[enrolment.status] ?? enrolment.status}${enrolment.completedAt ? ` · ${chinaMinuteText(enrolment.completedAt)}` : ""}</li>`,
  )}</ul>
  ${openCourses.length > 0
    ? html`<form method="post" action="/console/workers/${worker.id}/enrolments" class="row">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <div style="flex:1"><label for="enrol-course">${T.worker.enrolIn}</label>
    <select id="enrol-course" name="courseId">${openCourses.map((course) => html`<option value="${course.id}">${course.title} · ${chinaMinuteText(course.startsAt).slice(5)}</option>`)}</select></div>
    <button type="submit">${T.worker.enrol}</button>
  </form>`
    : ""}
</details>
${history.household
  ? html`<details class="card">
  <summary>${T.worker.household} (${history.household.workers.length + 1}${T.worker.people})</summary>
  <p class="muted">${T.poverty[history.household.povertyStatus] ?? history.household.povertyStatus}${history.household.registryNo ? ` · ${T.worker.registryNo} ${history.household.registryNo}` : ""}</p>
  <ul>${history.household.workers.map(
    (member) => html`<li><a href="/console/workers/${member.id}">${member.name}</a> · ${member.idNumberMasked ?? ""} · ${T.employment[member.employmentStatus] ?? member.employmentStatus}</li>`,
  )}</ul>
</details>`
  : ""}`,
      session,
    ),
    status,
  );
}

/** The policy's own words a benefit rests on: its first quote, cut to a line. */
function sourceQuote(sources: readonly { quotes: readonly string[] }[]): string {
  const quote = sources[0]?.quotes[0];
  if (!quote) return "";
  return `（${T.worker.source}：“${quote.length > 40 ? `${quote.slice(0, 40)}…` : quote}”）`;
}

/** A benefit's reason, worded for the worker (需要知道您…), as the coordinator reads it about them (需要知道本人…). */
const aboutThem = (reason: string) => reason.replaceAll("您家", "其家庭").replaceAll("您", "本人");

/** A recorded value in words: 是 for yes, 技工院校 for technicalSchool, 已脱贫 for lifted. */
function factText(field: string, value: unknown): string {
  if (value === true || value === "yes") return "是";
  if (value === false || value === "no") return "否";
  if (value === "unknown") return "不清楚";
  if (field === "education") return EDUCATION_WORDS[value as Education] ?? String(value);
  if (field === "povertyStatus") return T.poverty[String(value)] ?? String(value);
  return String(value);
}

/** What a recorded change says on the timeline besides its note: the new employment, the corrected field. */
function eventFacts(kind: string, data: unknown) {
  const facts = (data ?? {}) as Record<string, string | undefined>;
  if (kind === "employment_changed") return html`<br>${T.employment[facts.from ?? ""] ?? facts.from} → ${T.employment[facts.to ?? ""] ?? facts.to}`;
  if (kind === "corrected") return html`<br>${T.worker.fields[facts.field as CorrectableField] ?? facts.field}${facts.value ? `：${factText(facts.field ?? "", facts.value)}` : ""}`;
  if (kind === "benefit_facts_told") {
    const told = Object.entries((data ?? {}) as Record<string, unknown>).map(([fact, value]) => `${T.worker.toldFacts[fact] ?? fact}：${factText(fact, value)}`);
    return html`<br>${told.join("；")}`;
  }
  if (kind === "registry_update") {
    const fields = (data as { fields?: string[] } | null)?.fields ?? [];
    return html`<br>${T.registryChanges[facts.change ?? ""] ?? facts.change}${fields.length > 0 ? `：${fields.map((field) => T.rosterFields[field] ?? field).join("、")}` : ""}`;
  }
  return "";
}

/** A verb's refusal of the form's input, on the page beside the form; any other refusal as a page. */
async function formRefused(c: Context<AppEnv>, workerId: string, formName: FormName, error: unknown, values: Record<string, string>, message: string) {
  if (error instanceof DomainError && error.code === "validation_failed") return workerPage(c, workerId, { problem: { form: formName, message, values } }, 400);
  return refusal(c, error);
}

export function mountWorkerPage(app: Router) {
  describePage(app, "get", "/console/workers/{id}", "One worker: record, tasks, the timeline, benefits, matches, applications, notices, courses and household, with the forms a coordinator uses");
  describePage(app, "post", "/console/workers/{id}/visits", "Record a visit, call or note on the worker's timeline (coordinators, administrators)");
  describePage(app, "post", "/console/workers/{id}/enrolments", "Enrol the worker in an open course (the worker is told when it starts)");
  describePage(app, "post", "/console/workers/{id}/employment", "Record the employment a call or visit found, with where (coordinators, administrators)");
  describePage(app, "post", "/console/workers/{id}/corrections", "Correct one field of the worker's record (coordinators, administrators)");

  app.get("/console/workers/:id", withSession, async (c) => {
    const as = T.employment[c.req.query("as") ?? ""];
    const saved = as ? T.worker.savedAs(as) : T.worker.saved[c.req.query("saved") ?? ""];
    return workerPage(c, c.req.param("id"), saved ? { saved } : {});
  });

  app.post("/console/workers/:id/visits", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const workerId = c.req.param("id");
    const text = fields.text?.trim() ?? "";
    const kind = RECORD_KINDS.find((value) => value === fields.kind) ?? "visit";
    // Nothing to record: said beside the field, and nothing saved.
    if (!text) return workerPage(c, workerId, { problem: { form: "record", message: T.worker.visitEmpty, values: { kind } } }, 400);
    try {
      await recordPlanEvent(operatorContext(c), { workerId, kind, text: text.slice(0, 2000) });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect(`/console/workers/${workerId}?saved=record`, 303);
  });

  app.post("/console/workers/:id/enrolments", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const workerId = c.req.param("id");
    try {
      await enrolWorker(operatorContext(c), { workerId, courseId: fields.courseId ?? "" });
    } catch (error) {
      return refusal(c, error);
    }
    return c.redirect(`/console/workers/${workerId}?saved=enrolled`, 303);
  });

  app.post("/console/workers/:id/employment", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const workerId = c.req.param("id");
    const status = EMPLOYMENT_STATUSES.find((value) => value === fields.status);
    // Where they work may be anywhere in the country (深圳市南山区), not only in the official's regions,
    // and as near as anyone knows it (厦门: a city).
    const place = fields.workRegionCode?.trim() ? await typedPlace(c, fields.workRegionCode, [2, 3, 4, 5], { anywhere: true }) : undefined;
    const workRegionCode = place && "code" in place ? place.code : undefined;
    if (!status || (place && "problem" in place) || (workRegionCode && !WORK_PLACE_CODE.test(workRegionCode))) {
      const message = place && "problem" in place ? place.problem : T.worker.workWhereInvalid;
      return workerPage(c, workerId, { problem: { form: "employment", message, values: fields } }, 400);
    }
    try {
      const recorded = await changeEmployment(operatorContext(c), { workerId, status: status as EmploymentStatus, workRegionCode, note: fields.note?.trim().slice(0, 500) || undefined });
      // The place decides between 县内, 省内 and 省外: said when it is not what was picked.
      if (recorded.status !== status) return c.redirect(`/console/workers/${workerId}?saved=employment&as=${recorded.status}`, 303);
    } catch (error) {
      return formRefused(c, workerId, "employment", error, fields, T.worker.workWhereInvalid);
    }
    return c.redirect(`/console/workers/${workerId}?saved=employment`, 303);
  });

  app.post("/console/workers/:id/corrections", withSession, async (c) => {
    const fields = await form(c);
    if (!fields) return csrfRefused(c);
    const workerId = c.req.param("id");
    const field = CORRECTABLE.find((value) => value === fields.field);
    const value = fields.value?.trim() ?? "";
    if (!field || !value) return workerPage(c, workerId, { problem: { form: "correction", message: T.worker.correctionEmpty, values: fields } }, 400);
    // Where they live, by name (莆美镇阳下村) or code, in the official's regions.
    const place = field === "homeRegionCode" ? await typedPlace(c, value, [3, 4, 5]) : undefined;
    if (place && "problem" in place) return workerPage(c, workerId, { problem: { form: "correction", message: place.problem, values: fields } }, 400);
    const words = TYPED_AS[field];
    const read = words?.find(([pattern]) => pattern.test(value.replace(/\s/g, "")))?.[1];
    // 2024年, 24年, 二零二四: the year. What no word reads goes as typed, and the verb refuses it.
    const year = field === "graduationYear" && read === undefined ? readYear(value, chinaWallClock(operatorContext(c).clock()).getUTCFullYear()) : null;
    const coded = year !== null ? String(year) : read;
    try {
      await correctWorker(operatorContext(c), { workerId, field, value: place && "code" in place ? place.code : (coded ?? value) });
    } catch (error) {
      return formRefused(c, workerId, "correction", error, fields, T.worker.correctionInvalid[field] ?? T.errors.invalid);
    }
    return c.redirect(`/console/workers/${workerId}?saved=correction`, 303);
  });
}
