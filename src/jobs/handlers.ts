// Every kind of durable job and what runs it: one table, used by the Node service and by tests.
import type { AppDeps } from "../deps.ts";
import { nextDigestAt, pushVacancy, queueDailyDigest } from "../services/push.ts";
import { syncOne } from "../services/search-sync.ts";
import { queueJob, type JobHandler } from "./runner.ts";

export type JobDeps = Pick<AppDeps, "prisma" | "indexes" | "pii" | "log" | "now" | "outboxQueued">;

export const DIGEST_JOB_KEY = "push:digest";

export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  const now = () => deps.now?.() ?? new Date();
  return {
    "index.settings": async () => void (await deps.indexes.ensureSettings()),
    "index.vacancy": async (payload) => syncOne(deps.prisma, deps.indexes, "vacancy", (payload as { id: string }).id),
    "index.worker": async (payload) => syncOne(deps.prisma, deps.indexes, "worker", (payload as { id: string }).id),
    "push.vacancy": async (payload) => void (await pushVacancy(deps, (payload as { vacancyId: string }).vacancyId)),
    "push.digest": async () => {
      await queueDailyDigest(deps);
      // The next morning's digest: the same row, queued again while this run holds it.
      await queueJob(deps.prisma, { kind: "push.digest", key: DIGEST_JOB_KEY, payload: {}, runAt: nextDigestAt(now()) });
    },
  };
}

/** The jobs that recur by themselves: created once, at the first start, then each run queues the next. */
export async function ensureRecurringJobs(deps: Pick<AppDeps, "prisma" | "now">): Promise<void> {
  const at = deps.now?.() ?? new Date();
  await deps.prisma.job.upsert({
    where: { key: DIGEST_JOB_KEY },
    create: { kind: "push.digest", key: DIGEST_JOB_KEY, payload: {}, runAt: nextDigestAt(at) },
    update: {},
  });
}
