// Queuing a job: a row written with the change that needs it (pass the verb's transaction), so the
// work cannot be lost between the commit and the runner. The runner is src/jobs/runner.ts.
import type { Db } from "../db/client.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";
import { uuidv7 } from "../shared/ids.ts";
import { AT_ONCE } from "../shared/clock.ts";
import { jobKey, JOB_KINDS, type JobKind, type JobPayload } from "./kinds.ts";

/**
 * Queues a job, or queues it again: one row per key, so the same work asked for twice runs once
 * (with the latest payload). Without `runAt` it is due at once.
 */
export async function queueJob<K extends JobKind>(db: Db | SqlRunner, kind: K, payload: JobPayload<K>, runAt: Date = AT_ONCE): Promise<void> {
  await queueJobs(db, kind, [JOB_KINDS[kind].payload.parse(payload) as JobPayload<K>], runAt);
}

/** Many jobs of one kind in one statement (a campaign's workers' index updates), each as queueJob queues it. */
export async function queueJobs<K extends JobKind>(db: Db | SqlRunner, kind: K, payloads: readonly JobPayload<K>[], runAt: Date = AT_ONCE): Promise<void> {
  if (payloads.length === 0) return;
  await sqlOn(db).query(QUEUE_JOBS, [kind, payloads.map(() => uuidv7()), payloads.map((payload) => jobKey(kind, payload)), payloads.map((payload) => JSON.stringify(payload)), runAt]);
}

/**
 * One statement for Prisma's transactions and the chat's SQL ones alike (sqlOn): a job is queued in
 * many chat turns (a person's 人工 alerts their coordinator), where Prisma's upsert cost several
 * times the statement itself in the service's own CPU.
 */
const QUEUE_JOBS = prepared(
  "queue_jobs",
  `INSERT INTO "Job" (id, kind, key, payload, status, attempts, "runAt", "createdAt")
   SELECT j.id, $1::text, j.key, j.payload, 'pending', 0, $5::timestamp(3), now()
   FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS j(id, key, payload)
   ON CONFLICT (key) DO UPDATE SET kind = EXCLUDED.kind, status = 'pending', "runAt" = EXCLUDED."runAt", attempts = 0, "lastError" = NULL, payload = EXCLUDED.payload`,
);

/** What a verb's context carries: queue a job in the verb's own transaction. */
export type JobQueue = <K extends JobKind>(kind: K, payload: JobPayload<K>, runAt?: Date) => Promise<void>;
