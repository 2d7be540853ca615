// Durable background jobs (src/jobs/registry.ts says what each kind does). A job is a row: claimed
// under a lease with SKIP LOCKED, retried with backoff when its work throws, done once; a kind
// nobody knows or a payload that does not fit fails at once, loudly. A crash mid-job leaves the lease to expire and the job runs again, so handlers are
// idempotent (an index upsert of a row's current state is).
import type { Job } from "../db/client.ts";
import { backoffMs } from "../delivery/dispatcher.ts";
import { prepared, type PreparedStatement } from "../db/sql.ts";
import { isJobKind, JOB_KINDS } from "../queue/kinds.ts";
import { maskPersonalText } from "../shared/masking.ts";
import { pollingLoop } from "../shared/polling-loop.ts";
import { contextFor, SERVICE, type ContextDeps, type VerbContext } from "../services/context.ts";
import { JOBS, type JobDefinition } from "./registry.ts";

export interface JobRunnerOptions {
  deps: ContextDeps;
  /** a test's stand-ins for some kinds' work */
  overrides?: Partial<Record<string, JobDefinition>>;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
}

interface Ready {
  job: Job;
  definition: JobDefinition;
  payload: unknown;
}

/**
 * A run's outcome is written only while its lease holds: the lease written at claim time ($1 the
 * job, $2 its lease's end) is the run's token. A job queued again meanwhile (a newer change) or
 * taken over after an expired lease has another, and this run's outcome is dropped. Prepared: every
 * job settles with one of these.
 */
const LEASED = `id = $1 AND status = 'running' AND "runAt" = $2 RETURNING 1`;
const JOB_DONE = prepared("job_done", `UPDATE "Job" SET status = 'done', "doneAt" = $3 WHERE ${LEASED}`);
const JOB_DUE_AGAIN = prepared("job_due_again", `UPDATE "Job" SET status = 'pending', "runAt" = $3, attempts = 0, "lastError" = NULL, payload = $4::jsonb WHERE ${LEASED}`);
const JOB_RETRIED = prepared("job_retried", `UPDATE "Job" SET status = 'pending', "lastError" = $3, "runAt" = $4 WHERE ${LEASED}`);
const JOB_FAILED = prepared("job_failed", `UPDATE "Job" SET status = 'failed', "lastError" = $3 WHERE ${LEASED}`);

export function createJobRunner(options: JobRunnerOptions) {
  const { deps } = options;
  const { prisma, sql, log } = deps;
  // Jobs act as the service itself: its work is no operator's, and no role or region limits it.
  const ctx = contextFor(deps, SERVICE);
  const now = deps.clock;
  const jobs: Record<string, JobDefinition | undefined> = { ...JOBS, ...options.overrides };
  const leaseMs = options.leaseMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? 20;
  /** Kinds with a lease of their own (registry.ts), each claimed with it: a claim's lease end is its kind's. */
  const ownLeases = Object.values(jobs).flatMap((definition) => (definition?.leaseMs ? [{ kind: definition.kind, ms: definition.leaseMs }] : []));
  const leaseEnd =
    ownLeases.length === 0
      ? "$1::timestamp(3)"
      : `CASE kind ${ownLeases.map((_, i) => `WHEN $${4 + 2 * i} THEN $${5 + 2 * i}::timestamp(3)`).join(" ")} ELSE $1::timestamp(3) END`;

  /** What the job is, or why it can never run: retrying a kind nobody knows or a payload that does not fit cannot help. */
  function prepare(job: Job): { definition: JobDefinition; payload: unknown } | { never: string } {
    const definition = isJobKind(job.kind) ? jobs[job.kind] : undefined;
    if (!definition) return { never: `unknown job kind ${JSON.stringify(job.kind)}` };
    const payload = JOB_KINDS[definition.kind].payload.safeParse(job.payload);
    if (!payload.success) return { never: `the payload does not fit ${job.kind}: ${payload.error.issues.map((issue) => issue.message).join("; ")}` };
    return { definition, payload: payload.data };
  }

  /** Writes a run's outcome while its lease holds (LEASED); whether it did. */
  const settled = async (statement: PreparedStatement, job: Job, ...values: unknown[]) => (await sql.query(statement, [job.id, job.runAt, ...values])).length > 0;

  /** The jobs' work done: each job done (or, recurring, due again); or each retried with backoff. */
  async function settle(definition: JobDefinition, items: Ready[], ctx: VerbContext, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
      const finished = now();
      for (const { job } of items) {
        // A recurring job's row is its next run.
        if (definition.every) await settled(JOB_DUE_AGAIN, job, definition.every(finished), JSON.stringify(definition.next?.(finished) ?? {}));
        else await settled(JOB_DONE, job, finished);
      }
    } catch (error) {
      for (const { job } of items) {
        const giveUp = job.attempts >= maxAttempts;
        const lastError = maskPersonalText((error as Error).message);
        const written = giveUp ? await settled(JOB_FAILED, job, lastError) : await settled(JOB_RETRIED, job, lastError, new Date(now().getTime() + backoffMs(job.attempts)));
        log.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, giveUp, error: (error as Error).message }, "job failed");
        // What waits on the work hears that it will not be done (a roster import shows "failed").
        if (giveUp && written && definition.gaveUp) {
          await definition.gaveUp(ctx, items.find((item) => item.job === job)!.payload as never).catch((reason: Error) => log.error({ jobId: job.id, err: reason }, "after giving up a job"));
        }
      }
    }
  }

  async function runOnce(): Promise<number> {
    const at = now();
    const claimed = await prisma.$queryRawUnsafe<Job[]>(
      `UPDATE "Job" SET status = 'running', attempts = attempts + 1, "runAt" = ${leaseEnd}
       WHERE id = ANY (ARRAY(
         SELECT id FROM "Job"
         WHERE status IN ('pending', 'running') AND "runAt" <= $2
         ORDER BY "runAt" LIMIT $3
         FOR UPDATE SKIP LOCKED))
       RETURNING *`,
      new Date(at.getTime() + leaseMs),
      at,
      options.batchSize ?? 50,
      ...ownLeases.flatMap(({ kind, ms }) => [kind, new Date(at.getTime() + ms)]),
    );
    const ready: Ready[] = [];
    for (const job of claimed) {
      const prepared = prepare(job);
      if ("never" in prepared) {
        await settled(JOB_FAILED, job, prepared.never);
        log.error({ jobId: job.id, kind: job.kind }, `job can never run: ${prepared.never}`);
      } else ready.push({ job, ...prepared });
    }
    const ranTogether = new Set<string>();
    for (const item of ready) {
      const { definition } = item;
      if (!definition.runTogether) {
        await settle(definition, [item], ctx, () => definition.run(ctx, item.payload as never, item.job));
      } else if (!ranTogether.has(definition.kind)) {
        // All of the kind at the place of its first, so none runs later than it would alone.
        ranTogether.add(definition.kind);
        const together = ready.filter((other) => other.definition.kind === definition.kind);
        await settle(definition, together, ctx, () => definition.runTogether!(ctx, together.map((other) => other.payload) as never));
      }
    }
    return claimed.length;
  }

  return { runOnce, ...pollingLoop(runOnce, log, "job runner") };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
