// Applications and hires: a worker applies (from the chat's list or a push), the employer hears of
// it (the phone only if the worker agrees), the employer marks the hire, and the worker's
// employment, plan and the figures follow.
import { applicantPhoneBody, hiredBody, newApplicantBody } from "../wording/notices.ts";
import type { Tx } from "../db/client.ts";
import { noticeKeys } from "../shared/keys.ts";
import { sealBody } from "../delivery/personal-data.ts";
import type { EmploymentStatus, Worker } from "../db/client.ts";
import { queueJob } from "../queue/queue.ts";
import { ageOn } from "../shared/identifiers.ts";
import type { PiiProtector } from "../shared/pii.ts";
import { placeParts } from "./region-lookup.ts";
import { alertEmployer, noticeWorker } from "./outreach.ts";
import { responsibleCoordinator } from "./coordinators.ts";
import { addTask } from "./plans.ts";
import { queueIndexing } from "./search-sync.ts";
import { recordTimeline, type TimelineSubject } from "./timeline.ts";
import { recordConsent } from "./consents.ts";
import { prepared, type SqlRunner } from "../db/sql.ts";
import { uuidv7 } from "../shared/ids.ts";

/** The follow-up (回访) a month after a hire: is the worker still there? */
export const FOLLOW_UP_AFTER_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export const SHARE_PHONE_WORDING = "同意把我的电话告诉招聘方，方便他们联系我。";

/** Local (inside the home county), in the province, or out of it: what the figures report. */
export function employmentPlace(homeRegionCode: string | null, jobRegionCode: string | null): EmploymentStatus {
  if (!homeRegionCode || !jobRegionCode || jobRegionCode.slice(0, 6) === homeRegionCode.slice(0, 6)) return "employedLocal";
  return jobRegionCode.slice(0, 2) === homeRegionCode.slice(0, 2) ? "employedInProvince" : "employedOutOfProvince";
}

export type ApplyResult = { applicationId: string; alreadyApplied: boolean } | { closed: true };

/**
 * What applying needs to know, in one read: whether the vacancy is open, an application already
 * made, the worker and their plan. $1 the vacancy, $2 the worker, $3 now.
 */
const APPLYING = prepared(
  "applying",
  `SELECT v.status = 'open' AND (v.deadline IS NULL OR v.deadline > $3) AS open, v.title, v."employerId", v."employerName",
     a.id AS "applicationId", w.name, w."birthDate"::text AS "birthDate", w."homeRegionCode", p.id AS "planId", p."coordinatorId"
   FROM "Vacancy" v
     JOIN "Worker" w ON w.id = $2
     LEFT JOIN "Application" a ON a."vacancyId" = v.id AND a."workerId" = w.id
     LEFT JOIN "AssistancePlan" p ON p."workerId" = w.id
   WHERE v.id = $1`,
);
interface Applying {
  open: boolean;
  title: string;
  employerId: string | null;
  employerName: string | null;
  applicationId: string | null;
  name: string;
  birthDate: string | null;
  homeRegionCode: string | null;
  planId: string | null;
  coordinatorId: string | null;
}
const APPLY = prepared(
  "apply",
  `INSERT INTO "Application" (id, "vacancyId", "workerId", source, "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $5)`,
);

/**
 * A worker applies; the employer is told at once (phone masked), or the coordinator when no employer
 * can be reached. In prepared SQL: applying is a common turn of a registered worker (回复1报名).
 */
export async function applyForVacancy(
  sql: SqlRunner,
  subject: TimelineSubject & { workerId: string },
  vacancyId: string,
  source: "search" | "push",
  channel: string,
  now: Date,
): Promise<ApplyResult> {
  const [known] = await sql.query<Applying>(APPLYING, [vacancyId, subject.workerId, now]);
  if (!known?.open) return { closed: true };
  const applicationId = known.applicationId ?? uuidv7();
  if (!known.applicationId) await sql.query(APPLY, [applicationId, vacancyId, subject.workerId, source, now]);
  await recordTimeline(sql, subject, [{ kind: "application", channel, data: { vacancyId, applicationId, source, title: known.title } }], now);
  if (known.applicationId) return { applicationId, alreadyApplied: true };

  const place = await placeParts(sql, known.homeRegionCode);
  const age = known.birthDate ? ageOn(known.birthDate.slice(0, 10), now) : null;
  const told =
    known.employerId && (await alertEmployer(sql, known.employerId, `application:${applicationId}`, newApplicantBody({ name: known.name, age, place, job: known.title }), now));
  if (!told) {
    // An imported vacancy has no employer on a channel: the coordinator puts the two in touch.
    const coordinator = await responsibleCoordinator(sql, known.planId ? { coordinatorId: known.coordinatorId } : null, known.homeRegionCode);
    const note = `报名"${known.title}"（${known.employerName ?? "用工单位"}），请帮忙联系用工单位${coordinator ? "" : "（无协理员）"}`;
    await addTask(sql, { planId: known.planId, identityId: subject.identityId, regionCode: known.homeRegionCode, kind: "application_referral", dueAt: new Date(now.getTime() + 2 * DAY_MS), note }, now);
  }
  return { applicationId, alreadyApplied: false };
}

/** An application, what it is for and who made it: what answering 把电话给招聘方吗 needs. */
const SHARING = prepared(
  "phone_sharing",
  `SELECT a.id, v.title, v."employerId", w.name, w."phoneEnc"
   FROM "Application" a JOIN "Vacancy" v ON v.id = a."vacancyId" JOIN "Worker" w ON w.id = a."workerId"
   WHERE a."vacancyId" = $1 AND a."workerId" = $2`,
);
const SHARING_ANSWERED = prepared(
  "phone_sharing_answered",
  `UPDATE "Application" SET "sharePhone" = $2, status = CASE WHEN $2 AND status = 'applied' THEN 'shared' ELSE status END, "updatedAt" = $3 WHERE id = $1`,
);

/** The worker's answer to "把电话给招聘方吗": recorded as consent; a yes sends the employer the number. */
export async function answerPhoneSharing(
  sql: SqlRunner,
  pii: PiiProtector,
  subject: TimelineSubject & { workerId: string },
  vacancyId: string,
  share: boolean,
  channel: string,
  now: Date,
): Promise<void> {
  const [application] = await sql.query<{ id: string; title: string; employerId: string | null; name: string; phoneEnc: string | null }>(SHARING, [vacancyId, subject.workerId]);
  if (!application) return;
  await sql.query(SHARING_ANSWERED, [application.id, share, now]);
  await recordConsent(sql, { workerId: subject.workerId, identityId: subject.identityId, kind: "share_phone_with_employer", granted: share, wording: SHARE_PHONE_WORDING, channel }, now);
  await recordTimeline(sql, subject, [{ kind: "phone_shared", channel, data: { vacancyId, share } }], now);
  if (share && application.employerId && application.phoneEnc) {
    const phone = pii.decrypt(application.phoneEnc).replace(/^\+86/, "");
    // The number in clear is in this message only, and the message is stored sealed.
    const body = applicantPhoneBody({ name: application.name, phone, job: application.title });
    await alertEmployer(sql, application.employerId, `application:${application.id}:phone`, sealBody(pii, body), now);
  }
}

/**
 * The employer marks a hire: the application, the worker's employment (local / in province / out of
 * province), a follow-up on the plan a month later, the vacancy filled when its headcount is met,
 * and a word to the worker. Returns the worker before and after, or null when the application is not theirs.
 */
export async function hireApplicant(
  tx: Tx,
  employerId: string,
  vacancyId: string,
  applicationId: string,
  now: Date,
): Promise<{ before: Worker; after: Worker } | null> {
  const application = await tx.application.findUnique({ where: { id: applicationId }, include: { vacancy: { include: { employer: true } }, worker: { include: { plan: true } } } });
  if (!application || application.vacancyId !== vacancyId || application.vacancy.employerId !== employerId) return null;
  const { vacancy, worker } = application;
  const { plan: _plan, ...before } = worker;
  // Marked twice (two taps, a retried message): the hire, its follow-up and notices happened once.
  if (application.status === "hired") return { before, after: before };
  await tx.application.update({ where: { id: applicationId }, data: { status: "hired", hiredAt: now } });
  const jobRegionCode = vacancy.regionCode ?? vacancy.employer?.regionCode ?? null;
  const employmentStatus = employmentPlace(worker.homeRegionCode, jobRegionCode);
  const after = await tx.worker.update({
    where: { id: worker.id },
    data: { employmentStatus, employedSince: now, employerId, employedRegionCode: jobRegionCode, employedVacancyId: vacancyId },
  });
  await queueIndexing(tx, "worker", worker.id);

  const hires = await tx.application.count({ where: { vacancyId, status: "hired" } });
  if (vacancy.headcount !== null && hires >= vacancy.headcount && vacancy.status === "open") {
    await tx.vacancy.update({ where: { id: vacancyId }, data: { status: "filled" } });
    await queueIndexing(tx, "vacancy", vacancyId);
  }

  const followUpAt = new Date(now.getTime() + FOLLOW_UP_AFTER_DAYS * DAY_MS);
  await tx.planTask.create({
    data: { createdAt: now,
      planId: worker.plan?.id ?? null,
      regionCode: worker.homeRegionCode,
      kind: "follow_up",
      dueAt: followUpAt,
      note: `录用到"${vacancy.title}"（${vacancy.employer?.name ?? vacancy.employerName ?? ""}）一个月后回访`,
    },
  });
  await queueJob(tx, "followup.hire", { applicationId, attempt: 1 }, followUpAt);

  const identity = await tx.channelIdentity.findFirst({ where: { workerId: worker.id }, orderBy: { lastInboundAt: { sort: "desc", nulls: "last" } } });
  if (identity) {
    await recordTimeline(tx, { identityId: identity.id, workerId: worker.id }, [
      { kind: "hired", data: { vacancyId, applicationId, employerId, employmentStatus, title: vacancy.title } },
    ], now);
  }
  await noticeWorker(tx, {
    kind: "hired",
    key: noticeKeys.hired(applicationId),
    workerId: worker.id,
    regionCode: worker.homeRegionCode,
    purpose: "notice",
    body: hiredBody({ employer: vacancy.employer?.name ?? vacancy.employerName ?? "", job: vacancy.title }),
    timeline: { kind: "notice", data: { about: "hired", applicationId } },
  }, now);
  return { before, after };
}
