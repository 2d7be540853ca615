// Every kind of durable job, its payload's schema and the key that makes it run once. This is the
// one list the verbs queue against (typed: a misspelt kind or a wrong payload does not compile)
// and the runner (src/jobs/registry.ts) gives each kind its work. It sits below both, so the
// domain never imports the runner.
import { z } from "zod";

const id = z.string().min(1);

interface KindSpec<S extends z.ZodType> {
  payload: S;
  /** one pending row per key: the same work asked for twice runs once, with the latest payload */
  key: (payload: z.infer<S>) => string;
}

const kind = <S extends z.ZodType>(payload: S, key: (payload: z.infer<S>) => string): KindSpec<S> => ({ payload, key });

export const JOB_KINDS = {
  "index.settings": kind(z.object({}), () => "index:settings"),
  /** both indexes rebuilt from the database: after a restore, whose search data did not travel with it */
  "index.rebuild": kind(z.object({}), () => "index:rebuild"),
  "index.vacancy": kind(z.object({ id }), (p) => `index:vacancy:${p.id}`),
  "index.worker": kind(z.object({ id }), (p) => `index:worker:${p.id}`),
  "push.vacancy": kind(z.object({ vacancyId: id }), (p) => `push:vacancy:${p.vacancyId}`),
  "push.digest": kind(z.object({}), () => "push:digest"),
  /** the live figures' appended changes folded into their places' rows (services/stats/figures.ts), every minute */
  "figures.fold": kind(z.object({}), () => "figures:fold"),
  /** an ended quarter's report kept per place (services/stats/figures.ts), once each quarter */
  "figures.quarter": kind(z.object({}), () => "figures:quarter"),
  /** sent outbox messages and old inbound receipts removed (services/retention.ts), daily */
  "retention.daily": kind(z.object({}), () => "retention:daily"),
  /** the tables vacuumed and analysed where no autovacuum runs (db/maintenance.ts), hourly */
  "database.maintain": kind(z.object({}), () => "database:maintain"),
  /** the tables that have grown analysed where no autovacuum runs (db/maintenance.ts), every minute */
  "database.analyse": kind(z.object({}), () => "database:analyse"),
  "followup.hire": kind(z.object({ applicationId: id, attempt: z.number().int().min(1) }), (p) => `followup:hire:${p.applicationId}`),
  "subsidy.daily": kind(z.object({ since: z.string().optional() }), () => "subsidy:daily"),
  "training.offer": kind(z.object({ courseId: id }), (p) => `training:offer:${p.courseId}`),
  "training.reminder": kind(z.object({ courseId: id, workerId: id }), (p) => `training:reminder:${p.courseId}:${p.workerId}`),
  // One offer per warning (a worker who loses two jobs hears of training twice); rows queued before
  // the warning's id was in the payload carry only the worker.
  "training.after_job_loss": kind(z.object({ workerId: id, warningId: id.optional() }), (p) => `training:job_loss:${p.warningId ?? p.workerId}`),
  "training.promise": kind(z.object({}), () => "training:promise"),
  /** the promise kept for one worker who has just said they want training (services/training/promise.ts) */
  "training.promise_to": kind(z.object({ workerId: id }), (p) => `training:promise:${p.workerId}`),
  "campaign.send": kind(z.object({ campaignId: id }), (p) => `campaign:send:${p.campaignId}`),
  "coordinator.alert": kind(z.object({ taskId: id }), (p) => `coordinator.alert:${p.taskId}`),
  "coordinator.digest": kind(z.object({}), () => "coordinator:digest"),
  "roster.import": kind(z.object({ importId: id }), (p) => `roster:import:${p.importId}`),
} as const satisfies Record<string, KindSpec<z.ZodType>>;

export type JobKind = keyof typeof JOB_KINDS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_KINDS)[K]["payload"]>;

export const isJobKind = (kind: string): kind is JobKind => Object.hasOwn(JOB_KINDS, kind);

export function jobKey<K extends JobKind>(kind: K, payload: JobPayload<K>): string {
  return (JOB_KINDS[kind].key as (payload: JobPayload<K>) => string)(payload);
}
