// Follow-ups by the bot (回访): a month after a hire the worker is asked "还在这里工作吗？1是 2否".
// A no — or silence after two tries — is a job loss (就业转失业): the plan gets a warning for the
// coordinator, the worker is seeking again (matching re-opens: they are a candidate for pushes),
// and a free training is offered. The follow-up is one durable job that re-queues itself for the
// second try; each try's notice has a key of its own, so a retried job never asks twice.
import { type VerbContext, inTransaction } from "./context.ts";
import { followUpBody } from "../wording/notices.ts";
import type { Tx } from "../db/client.ts";
import { noticeKeys } from "../shared/keys.ts";
import type { AppDeps } from "../deps.ts";
import { queueJob } from "../queue/queue.ts";
import { alertCoordinator } from "./coordinator-alerts.ts";
import { noticeWorker } from "./outreach.ts";
import { queueIndexing } from "./search-sync.ts";
import { recordTimeline, type TimelineSubject } from "./timeline.ts";

export const FOLLOW_UP = {
  /** days to wait for an answer before asking again, then before raising the warning */
  answerWithinDays: 3,
  tries: 2,
} as const;
const DAY_MS = 24 * 3600 * 1000;

export interface HireFollowUp {
  applicationId: string;
  /** 1 and 2 ask; 3 finds no answer to either */
  attempt: number;
}

type Deps = Pick<AppDeps, "prisma" | "clock" | "outboxQueued" | "log">;


async function answered(db: Deps["prisma"] | Tx, workerId: string, applicationId: string): Promise<boolean> {
  const answer = await db.planEvent.findFirst({
    where: { workerId, kind: "follow_up_answered", data: { path: ["applicationId"], equals: applicationId } },
    select: { id: true },
  });
  return answer !== null;
}

/** One step of a hire's follow-up: ask (first or second try), or, unanswered twice, warn. */
export async function runHireFollowUp(ctx: VerbContext, { applicationId, attempt }: HireFollowUp): Promise<void> {
  const now = ctx.clock();
  const application = await ctx.db.application.findUnique({
    where: { id: applicationId },
    include: { worker: true, vacancy: { include: { employer: { select: { name: true } } } } },
  });
  // Nothing to follow up: the hire was undone, or the worker has moved on to another job since.
  if (!application || application.status !== "hired" || application.worker.employedVacancyId !== application.vacancyId || application.worker.erasedAt) return;
  const { worker, vacancy } = application;
  if (await answered(ctx.db, worker.id, applicationId)) return;

  await inTransaction(ctx, async ({ db: tx }) => {
    if (attempt > FOLLOW_UP.tries) {
      // Silence means something only if the question reached the worker.
      const reached = await tx.notice.count({ where: { key: { startsWith: `follow_up:${applicationId}:` }, sentAt: { not: null } } });
      if (reached > 0) await reportJobLoss(tx, worker.id, now, `两次回访没有回复（"${vacancy.title}"）`);
      else await askForCall(tx, worker, now, `回访消息没能发到（"${vacancy.title}"），请电话回访`);
      return;
    }
    const employer = vacancy.employer?.name ?? vacancy.employerName ?? "";
    const asked = await noticeWorker(tx, {
      kind: "follow_up",
      key: noticeKeys.followUp(applicationId, attempt),
      workerId: worker.id,
      regionCode: worker.homeRegionCode,
      vacancyId: vacancy.id,
      purpose: "notice",
      body: followUpBody({ name: worker.name, employer, job: vacancy.title }),
      timeline: { kind: "follow_up", data: { applicationId, attempt } },
    }, now);
    if (!asked && attempt === 1) {
      // No channel reaches the worker: the coordinator calls instead of the bot asking.
      await askForCall(tx, worker, now, `没有能联系到的渠道，请电话回访（"${vacancy.title}"）`);
      return;
    }
    // The next step: the second try, or the warning, if no answer comes meanwhile.
    await queueJob(tx, "followup.hire", { applicationId, attempt: attempt + 1 }, new Date(now.getTime() + FOLLOW_UP.answerWithinDays * DAY_MS));
  });
}

/**
 * The worker answered the follow-up; a no is a job loss — of that job: a late answer about a job
 * the worker has since left for another changes nothing about the new one.
 */
export async function answerFollowUp(tx: Tx, subject: TimelineSubject & { workerId: string }, applicationId: string, stillWorking: boolean, channel: string, now: Date) {
  await recordTimeline(tx, subject, [{ kind: "follow_up_answered", channel, data: { applicationId, stillWorking } }], now);
  const plan = await tx.assistancePlan.findUnique({ where: { workerId: subject.workerId }, select: { id: true } });
  if (plan) {
    await tx.planTask.updateMany({ where: { planId: plan.id, kind: "follow_up", status: "open" }, data: { status: "done", doneAt: now } });
  }
  if (stillWorking) return;
  const [application, worker] = await Promise.all([
    tx.application.findUnique({ where: { id: applicationId }, select: { vacancyId: true } }),
    tx.worker.findUnique({ where: { id: subject.workerId }, select: { employedVacancyId: true } }),
  ]);
  if (application && worker?.employedVacancyId === application.vacancyId) await reportJobLoss(tx, subject.workerId, now, "回访时说不在这里工作了");
}

/** A follow-up the bot could not do: the coordinator phones. */
async function askForCall(tx: Tx, worker: { id: string; homeRegionCode: string | null }, now: Date, note: string): Promise<void> {
  const plan = await tx.assistancePlan.findUnique({ where: { workerId: worker.id }, select: { id: true } });
  await tx.planTask.create({ data: { createdAt: now, planId: plan?.id ?? null, regionCode: worker.homeRegionCode, kind: "follow_up", dueAt: now, note } });
}

/**
 * 就业转失业: the worker is seeking again, the coordinator gets a warning to act on (guidance,
 * referral, training), the worker's index entry is refreshed so that pushes find them, and the
 * nearest free course is offered.
 */
export async function reportJobLoss(tx: Tx, workerId: string, now: Date, reason: string): Promise<void> {
  const worker = await tx.worker.update({
    where: { id: workerId },
    data: { employmentStatus: "seeking", employedSince: null, employerId: null, employedRegionCode: null, employedVacancyId: null },
    include: { plan: true, identities: { orderBy: { lastInboundAt: { sort: "desc", nulls: "last" } }, take: 1 } },
  });
  await queueIndexing(tx, "worker", workerId);
  const warning = await tx.planTask.create({
    data: { createdAt: now,
      planId: worker.plan?.id ?? null,
      regionCode: worker.homeRegionCode,
      kind: "job_loss_warning",
      dueAt: new Date(now.getTime() + 2 * DAY_MS),
      note: `就业转失业预警：${reason}。请尽快联系，帮助推荐岗位或安排培训`,
    },
  });
  await alertCoordinator(tx, warning, now);
  // The training offer is a job of its own: the search for a course stays out of this transaction.
  await queueJob(tx, "training.after_job_loss", { workerId, warningId: warning.id }, now);
  const identity = worker.identities[0];
  if (identity) await recordTimeline(tx, { identityId: identity.id, workerId }, [{ kind: "job_loss_warning", data: { reason } }], now);
}
