// Every kind of durable job and what runs it: one table, used by the Node service and by tests.
import type { AppDeps } from "../deps.ts";
import { nextChinaHour } from "../delivery/china-time.ts";
import { sendCoordinatorAlert, sendCoordinatorDigests } from "../services/coordinator-alerts.ts";
import { runHireFollowUp, type HireFollowUp } from "../services/follow-ups.ts";
import { noticeDateEntitlements } from "../services/policies.ts";
import { sendCampaign } from "../services/campaigns.ts";
import { nextDigestAt, pushVacancy, queueDailyDigest } from "../services/push.ts";
import { syncOne } from "../services/search-sync.ts";
import { keepTrainingPromise, nextPromiseAt, offerCourse, offerTrainingAfterJobLoss, PROMISE_JOB_KEY, remindEnrolledWorker } from "../services/training.ts";
import { queueJob, type JobHandler } from "./runner.ts";

export type JobDeps = Pick<AppDeps, "prisma" | "indexes" | "pii" | "policies" | "log" | "clock" | "outboxQueued">;

export const DIGEST_JOB_KEY = "push:digest";
export const SUBSIDY_JOB_KEY = "subsidy:daily";
export const COORDINATOR_DIGEST_JOB_KEY = "coordinator:digest";
/** China time: coordinators hear of the day's work as it starts, when quiet hours end. */
const COORDINATOR_DIGEST_HOUR = 8;
export const nextCoordinatorDigestAt = (now: Date) => nextChinaHour(now, COORDINATOR_DIGEST_HOUR);

export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  const now = () => deps.clock();
  return {
    "index.settings": async () => void (await deps.indexes.ensureSettings()),
    "index.vacancy": async (payload) => syncOne(deps.prisma, deps.indexes, "vacancy", (payload as { id: string }).id),
    "index.worker": async (payload) => syncOne(deps.prisma, deps.indexes, "worker", (payload as { id: string }).id),
    "push.vacancy": async (payload) => void (await pushVacancy(deps, (payload as { vacancyId: string }).vacancyId)),
    "followup.hire": async (payload) => runHireFollowUp(deps, payload as HireFollowUp),
    "subsidy.daily": async (payload) => {
      const today = now();
      const since = (payload as { since?: string }).since;
      await noticeDateEntitlements(deps, since ? new Date(since) : new Date(today.getTime() - 24 * 3600 * 1000), today);
      deps.outboxQueued?.();
      await queueJob(deps.prisma, { kind: "subsidy.daily", key: SUBSIDY_JOB_KEY, payload: { since: today.toISOString() }, runAt: nextDigestAt(today) });
    },
    "push.digest": async () => {
      await queueDailyDigest(deps);
      // The next morning's digest: the same row, queued again while this run holds it.
      await queueJob(deps.prisma, { kind: "push.digest", key: DIGEST_JOB_KEY, payload: {}, runAt: nextDigestAt(now()) });
    },
    "training.offer": async (payload) => void (await offerCourse(deps, (payload as { courseId: string }).courseId)),
    "training.reminder": async (payload) => {
      const { courseId, workerId } = payload as { courseId: string; workerId: string };
      await remindEnrolledWorker(deps, courseId, workerId);
    },
    "training.after_job_loss": async (payload) => void (await offerTrainingAfterJobLoss(deps, (payload as { workerId: string }).workerId)),
    "training.promise": async () => {
      await keepTrainingPromise(deps);
      // Tomorrow's run: the same row, queued again while this run holds it (as push.digest).
      await queueJob(deps.prisma, { kind: "training.promise", key: PROMISE_JOB_KEY, payload: {}, runAt: nextPromiseAt(now()) });
    },
    "campaign.send": async (payload) => void (await sendCampaign(deps, (payload as { campaignId: string }).campaignId)),
    "coordinator.alert": async (payload) => void (await sendCoordinatorAlert(deps, (payload as { taskId: string }).taskId)),
    "coordinator.digest": async () => {
      await sendCoordinatorDigests(deps);
      await queueJob(deps.prisma, { kind: "coordinator.digest", key: COORDINATOR_DIGEST_JOB_KEY, payload: {}, runAt: nextCoordinatorDigestAt(now()) });
    },
  };
}

/** The jobs that recur by themselves: created once, at the first start, then each run queues the next. */
export async function ensureRecurringJobs(deps: Pick<AppDeps, "prisma" | "clock">): Promise<void> {
  const at = deps.clock();
  for (const [kind, key] of [["push.digest", DIGEST_JOB_KEY], ["subsidy.daily", SUBSIDY_JOB_KEY]] as const) {
    await deps.prisma.job.upsert({ where: { key }, create: { kind, key, payload: {}, runAt: nextDigestAt(at) }, update: {} });
  }
  await deps.prisma.job.upsert({
    where: { key: PROMISE_JOB_KEY },
    create: { kind: "training.promise", key: PROMISE_JOB_KEY, payload: {}, runAt: nextPromiseAt(at) },
    update: {},
  });
  await deps.prisma.job.upsert({
    where: { key: COORDINATOR_DIGEST_JOB_KEY },
    create: { kind: "coordinator.digest", key: COORDINATOR_DIGEST_JOB_KEY, payload: {}, runAt: nextCoordinatorDigestAt(at) },
    update: {},
  });
}
