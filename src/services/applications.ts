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
import { placeName } from "./region-lookup.ts";
import { alertEmployer, noticeWorker } from "./outreach.ts";
import { responsibleCoordinator } from "./plans.ts";
import { queueIndexing } from "./search-sync.ts";
import { recordTimeline, type TimelineSubject } from "./timeline.ts";

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

/** A worker applies; the employer is told at once (phone masked), or the coordinator when no employer can be reached. */
export async function applyForVacancy(
  tx: Tx,
  subject: TimelineSubject & { workerId: string },
  vacancyId: string,
  source: "search" | "push",
  channel: string,
  now: Date,
): Promise<ApplyResult> {
  const vacancy = await tx.vacancy.findUnique({ where: { id: vacancyId } });
  if (!vacancy || vacancy.status !== "open" || (vacancy.deadline && vacancy.deadline <= now)) return { closed: true };
  const before = await tx.application.findUnique({ where: { vacancyId_workerId: { vacancyId, workerId: subject.workerId } } });
  const application = before ?? (await tx.application.create({ data: { vacancyId, workerId: subject.workerId, source, createdAt: now } }));
  await recordTimeline(tx, subject, [{ kind: "application", channel, data: { vacancyId, applicationId: application.id, source, title: vacancy.title } }], now);
  if (before) return { applicationId: application.id, alreadyApplied: true };

  const worker = await tx.worker.findUniqueOrThrow({ where: { id: subject.workerId }, include: { plan: true } });
  const place = await placeName(tx, worker.homeRegionCode);
  const age = worker.birthDate ? ageOn(worker.birthDate.toISOString().slice(0, 10), now) : null;
  const told =
    vacancy.employerId &&
    (await alertEmployer(tx, vacancy.employerId, `application:${application.id}`, newApplicantBody({ name: worker.name, age, place, job: vacancy.title }), now));
  if (!told) {
    // An imported vacancy has no employer on a channel: the coordinator puts the two in touch.
    const coordinator = await responsibleCoordinator(tx, worker.plan, worker.homeRegionCode);
    await tx.planTask.create({
      data: { createdAt: now,
        planId: worker.plan?.id ?? null,
        identityId: subject.identityId,
        regionCode: worker.homeRegionCode,
        kind: "application_referral",
        dueAt: new Date(now.getTime() + 2 * DAY_MS),
        note: `报名"${vacancy.title}"（${vacancy.employerName ?? "用工单位"}），请帮忙联系用工单位${coordinator ? "" : "（无协理员）"}`,
      },
    });
  }
  return { applicationId: application.id, alreadyApplied: false };
}

/** The worker's answer to "把电话给招聘方吗": recorded as consent; a yes sends the employer the number. */
export async function answerPhoneSharing(
  tx: Tx,
  pii: PiiProtector,
  subject: TimelineSubject & { workerId: string },
  vacancyId: string,
  share: boolean,
  channel: string,
  now: Date,
): Promise<void> {
  const application = await tx.application.findUnique({
    where: { vacancyId_workerId: { vacancyId, workerId: subject.workerId } },
    include: { vacancy: true, worker: true },
  });
  if (!application) return;
  await tx.application.update({
    where: { id: application.id },
    data: { sharePhone: share, ...(share && application.status === "applied" ? { status: "shared" } : {}) },
  });
  await tx.consent.create({
    data: { workerId: subject.workerId, identityId: subject.identityId, kind: "share_phone_with_employer", granted: share, wording: SHARE_PHONE_WORDING, channel },
  });
  await recordTimeline(tx, subject, [{ kind: "phone_shared", channel, data: { vacancyId, share } }], now);
  const { worker, vacancy } = application;
  if (share && vacancy.employerId && worker.phoneEnc) {
    const phone = pii.decrypt(worker.phoneEnc).replace(/^\+86/, "");
    // The number in clear is in this message only, and the message is stored sealed.
    const body = applicantPhoneBody({ name: worker.name, phone, job: vacancy.title });
    await alertEmployer(tx, vacancy.employerId, `application:${application.id}:phone`, sealBody(pii, body), now);
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
