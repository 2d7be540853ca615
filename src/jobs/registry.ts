// What each kind of durable job does (the kinds and their payloads: src/queue/kinds.ts). One table,
// used by the Node service and by tests. A recurring job says when it runs next (`every`): the
// runner queues that run itself once this one is done, and the service creates the first at start.
import type { AppDeps } from "../deps.ts";
import { chinaQuarter, nextChinaHour } from "../shared/china-time.ts";
import type { Job } from "../db/client.ts";
import type { VerbContext } from "../services/context.ts";
import { JOB_KINDS, type JobKind, type JobPayload } from "../queue/kinds.ts";
import { sendCoordinatorAlert, sendCoordinatorDigests } from "../services/coordinator-alerts.ts";
import { runHireFollowUp } from "../services/follow-ups.ts";
import { noticeDateEntitlements } from "../services/policies.ts";
import { sendCampaign } from "../services/campaigns.ts";
import { nextDigestAt, pushVacancy, queueDailyDigest } from "../services/push.ts";
import { removeExpired } from "../services/retention.ts";
import { analyseGrownTables, maintainDatabase } from "../db/maintenance.ts";
import { foldPlaceFigures, keepEndedQuarter } from "../services/stats/figures.ts";
import { applyIndexSettings, reindexAll, syncRows } from "../services/search-sync.ts";
import { nextPromiseAt } from "../services/training/course-rules.ts";
import { remindEnrolledWorker } from "../services/training/enrolment.ts";
import { offerCourse } from "../services/training/offers.ts";
import { applyRosterImport, rosterImportFailed } from "../services/roster/apply.ts";
import { keepTrainingPromise, offerTrainingAfterJobLoss } from "../services/training/promise.ts";

export interface JobDefinition<K extends JobKind = JobKind> {
  kind: K;
  /** the work, as the service itself (no operator's role or regions limit it) */
  run: (ctx: VerbContext, payload: JobPayload<K>, job: Job) => Promise<unknown>;
  /** work that costs about the same for many jobs of the kind as for one (an index update is one
   * search-engine task, however many rows): the jobs of the kind claimed together run in one call */
  runTogether?(ctx: VerbContext, payloads: JobPayload<K>[]): Promise<unknown>;
  /** a recurring job: when its next run is due, given the time this one finished */
  every?: (now: Date) => Date;
  /** what to do once the runner gives the job up for good (after its last attempt fails) */
  gaveUp?(ctx: VerbContext, payload: JobPayload<K>): Promise<unknown>;
  /** the payload of the next run of a recurring job (by default an empty one) */
  next?: (ranAt: Date) => JobPayload<K>;
  /** how long a run may take before another runner takes the job over, for work that outlasts the
   * runner's lease (rebuilding a province's index): else the same work runs twice side by side */
  leaseMs?: number;
}

export const defineJob = <K extends JobKind>(definition: JobDefinition<K>): JobDefinition<K> => definition;

/** A rebuild of both indexes from the database: a million workers take minutes, not the usual two. */
const REBUILD_LEASE_MS = 30 * 60_000;

/** Where no autovacuum runs, the tables are vacuumed hourly, and those that grew analysed every minute. */
const MAINTAIN_EVERY_MS = 3600_000;
const ANALYSE_EVERY_MS = 60_000;
/** A first vacuum of a province's tables on a server without autovacuum can take minutes. */
const MAINTAIN_LEASE_MS = 30 * 60_000;

/** China time: old rows are removed in the night's quietest hour. */
const RETENTION_HOUR = 4;

/** China time: coordinators hear of the day's work as it starts, when quiet hours end. */
const COORDINATOR_DIGEST_HOUR = 8;
export const nextCoordinatorDigestAt = (now: Date) => nextChinaHour(now, COORDINATOR_DIGEST_HOUR);
const DAY_MS = 24 * 3600 * 1000;
/** The live figures add up the changes not yet folded too: folding keeps that part short. */
const FOLD_EVERY_MS = 60_000;
/** An ended quarter's report is kept a little after its end (a late run keeps it just the same). */
const QUARTER_SNAPSHOT_DELAY_MS = 10 * 60_000;

const definitions = [
  defineJob({ kind: "index.settings", run: (ctx) => applyIndexSettings(ctx.db, ctx.indexes), leaseMs: REBUILD_LEASE_MS }),
  defineJob({ kind: "index.rebuild", run: async (ctx) => void (await reindexAll(ctx.db, ctx.indexes)), leaseMs: REBUILD_LEASE_MS }),
  defineJob({
    kind: "index.vacancy",
    run: (ctx, { id }) => syncRows(ctx.db, ctx.indexes, "vacancy", [id]),
    runTogether: (ctx, payloads) => syncRows(ctx.db, ctx.indexes, "vacancy", payloads.map(({ id }) => id)),
  }),
  defineJob({
    kind: "index.worker",
    run: (ctx, { id }) => syncRows(ctx.db, ctx.indexes, "worker", [id]),
    runTogether: (ctx, payloads) => syncRows(ctx.db, ctx.indexes, "worker", payloads.map(({ id }) => id)),
  }),
  defineJob({ kind: "push.vacancy", run: (ctx, { vacancyId }) => pushVacancy(ctx, vacancyId) }),
  defineJob({ kind: "push.digest", run: (ctx) => queueDailyDigest(ctx), every: nextDigestAt }),
  defineJob({ kind: "figures.fold", run: (ctx) => foldPlaceFigures(ctx.sql), every: (now) => new Date(now.getTime() + FOLD_EVERY_MS) }),
  defineJob({ kind: "figures.quarter", run: (ctx) => keepEndedQuarter(ctx.sql, ctx.clock()), every: (now) => new Date(chinaQuarter(now).end.getTime() + QUARTER_SNAPSHOT_DELAY_MS) }),
  defineJob({ kind: "retention.daily", run: (ctx) => removeExpired(ctx.sql, ctx.clock()), every: (now) => nextChinaHour(now, RETENTION_HOUR) }),
  defineJob({ kind: "database.maintain", run: (ctx) => maintainDatabase(ctx.sql), every: (now) => new Date(now.getTime() + MAINTAIN_EVERY_MS), leaseMs: MAINTAIN_LEASE_MS }),
  defineJob({ kind: "database.analyse", run: (ctx) => analyseGrownTables(ctx.sql), every: (now) => new Date(now.getTime() + ANALYSE_EVERY_MS) }),
  defineJob({ kind: "followup.hire", run: (ctx, payload) => runHireFollowUp(ctx, payload) }),
  defineJob({
    kind: "subsidy.daily",
    run: async (ctx, { since }) => {
      const today = ctx.clock();
      await noticeDateEntitlements(ctx, since ? new Date(since) : new Date(today.getTime() - DAY_MS), today);
    },
    every: nextDigestAt,
    // The next run notices what became due since this one.
    next: (ranAt) => ({ since: ranAt.toISOString() }),
  }),
  defineJob({ kind: "training.offer", run: (ctx, { courseId }) => offerCourse(ctx, courseId) }),
  defineJob({ kind: "training.reminder", run: (ctx, { courseId, workerId }) => remindEnrolledWorker(ctx, courseId, workerId) }),
  defineJob({ kind: "training.after_job_loss", run: (ctx, { workerId }) => offerTrainingAfterJobLoss(ctx, workerId) }),
  defineJob({ kind: "training.promise", run: (ctx) => keepTrainingPromise(ctx), every: nextPromiseAt }),
  defineJob({ kind: "training.promise_to", run: (ctx, { workerId }) => keepTrainingPromise(ctx, { workerId }) }),
  defineJob({ kind: "campaign.send", run: (ctx, { campaignId }) => sendCampaign(ctx, campaignId) }),
  defineJob({ kind: "coordinator.alert", run: (ctx, { taskId }) => sendCoordinatorAlert(ctx, taskId) }),
  defineJob({ kind: "coordinator.digest", run: (ctx) => sendCoordinatorDigests(ctx), every: nextCoordinatorDigestAt }),
  defineJob({ kind: "roster.import", run: (ctx, { importId }) => applyRosterImport(ctx, importId), gaveUp: (ctx, { importId }) => rosterImportFailed(ctx, importId) }),
];

/** Every kind, once: a kind without work (or with two) fails here, at start, not when its job waits forever. */
export const JOBS: { readonly [K in JobKind]: JobDefinition<K> } = (() => {
  const table: Record<string, JobDefinition> = {};
  for (const definition of definitions as JobDefinition[]) {
    if (table[definition.kind]) throw new Error(`job kind ${definition.kind} is defined twice`);
    table[definition.kind] = definition;
  }
  const missing = Object.keys(JOB_KINDS).filter((kind) => !table[kind]);
  if (missing.length > 0) throw new Error(`job kinds without work: ${missing.join(", ")}`);
  return table as { [K in JobKind]: JobDefinition<K> };
})();

/** The recurring jobs, created once (at the first start) and then queued again by each run. */
export async function ensureRecurringJobs(deps: Pick<AppDeps, "prisma" | "clock">): Promise<void> {
  const at = deps.clock();
  for (const definition of Object.values(JOBS) as JobDefinition[]) {
    if (!definition.every) continue;
    const payload = JOB_KINDS[definition.kind].payload.parse({});
    const key = JOB_KINDS[definition.kind].key(payload as never);
    await deps.prisma.job.upsert({ where: { key }, create: { kind: definition.kind, key, payload, runAt: definition.every(at) }, update: {} });
  }
}
