// Durable background jobs (index sync today; push fan-out and scheduled notices later). A job is a
// row: claimed under a lease with SKIP LOCKED, retried with backoff when its handler throws, done
// once. A crash mid-job leaves the lease to expire and the job runs again, so handlers are
// idempotent (an index upsert of a row's current state is).
import type { Job, Prisma, PrismaClient } from "../db/client.ts";
import { backoffMs } from "../delivery/dispatcher.ts";
import type { Logger } from "../shared/logger.ts";
import { AT_ONCE, type Clock } from "../shared/clock.ts";
import { maskPersonalText } from "../shared/masking.ts";
import { pollingLoop } from "../shared/polling-loop.ts";

/**
 * Queues a job, or queues it again: one row per key, so the same work asked for twice runs once
 * (with the latest request). Pass a transaction to queue it with the change that needs it.
 */
export async function queueJob(
  db: PrismaClient | Prisma.TransactionClient,
  job: { kind: string; key: string; payload: Prisma.InputJsonValue; runAt?: Date },
) {
  const runAt = job.runAt ?? AT_ONCE;
  await db.job.upsert({
    where: { key: job.key },
    create: { ...job, runAt },
    update: { status: "pending", runAt, attempts: 0, lastError: null, payload: job.payload },
  });
}

export type JobHandler = (payload: unknown, job: Job) => Promise<void>;

export interface JobRunnerOptions {
  prisma: PrismaClient;
  handlers: Record<string, JobHandler>;
  log: Logger;
  clock: Clock;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

export function createJobRunner(options: JobRunnerOptions) {
  const { prisma, handlers, log } = options;
  const now = options.clock;
  const leaseMs = options.leaseMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? 20;
  const kinds = Object.keys(handlers);

  async function runOnce(): Promise<number> {
    const at = now();
    const jobs = await prisma.$queryRawUnsafe<Job[]>(
      `UPDATE "Job" SET status = 'running', attempts = attempts + 1, "runAt" = $1
       WHERE id IN (
         SELECT id FROM "Job"
         WHERE status IN ('pending', 'running') AND "runAt" <= $2 AND kind = ANY($3::text[])
         ORDER BY "runAt" LIMIT $4
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      new Date(at.getTime() + leaseMs),
      at,
      kinds,
      options.batchSize ?? 50,
    );
    for (const job of jobs) {
      // The lease written at claim time is this run's token: a job queued again meanwhile (a newer
      // change) or taken over after an expired lease has another, and this run's outcome is dropped.
      const mine = { id: job.id, status: "running", runAt: job.runAt };
      try {
        await handlers[job.kind]!(job.payload, job);
        await prisma.job.updateMany({ where: mine, data: { status: "done", doneAt: now() } });
      } catch (error) {
        const giveUp = job.attempts >= maxAttempts;
        await prisma.job.updateMany({
          where: mine,
          data: giveUp
            ? { status: "failed", lastError: maskPersonalText((error as Error).message) }
            : { status: "pending", lastError: maskPersonalText((error as Error).message), runAt: new Date(now().getTime() + backoffMs(job.attempts)) },
        });
        log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, giveUp, error: (error as Error).message }, "job failed");
      }
    }
    return jobs.length;
  }

  return { runOnce, ...pollingLoop(runOnce, log, "job runner") };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
