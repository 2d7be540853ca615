// What the database and the search engine say about the service's health when /metrics is read: the
// outbox's due messages and the oldest's age per channel, sends given up in the last hour, the job
// queue's backlog per kind, and whether the database and the search engine answer. No personal data.
import { searchHealth } from "../../matching/search-client.ts";
import type { AppDeps } from "../deps.ts";
import type { GaugeSample } from "../shared/metrics.ts";
import { databaseHealth } from "./health.ts";

interface Backlog {
  name: string;
  due: number;
  oldest_seconds: number | null;
}

/** Due outbox messages per channel, and how long the oldest has waited since it was queued. */
const OUTBOX_DUE = `SELECT channel AS name, count(*)::int AS due, extract(epoch FROM $1::timestamp - min("createdAt"))::float AS oldest_seconds
  FROM "OutboxMessage" WHERE status IN ('pending', 'sending') AND "nextAttemptAt" <= $1 GROUP BY channel`;
const OUTBOX_FAILED = `SELECT channel AS name, count(*)::int AS due, NULL::float AS oldest_seconds
  FROM "OutboxMessage" WHERE status = 'failed' AND "statusAt" > $1::timestamp - interval '1 hour' GROUP BY channel`;
/** Due jobs per kind (runnable now, or running), and how long the oldest has been due. */
const JOBS_DUE = `SELECT kind AS name, count(*)::int AS due, extract(epoch FROM $1::timestamp - min("runAt"))::float AS oldest_seconds
  FROM "Job" WHERE status IN ('pending', 'running') AND "runAt" <= $1 GROUP BY kind`;

export async function operationalGauges(deps: Pick<AppDeps, "sql" | "search" | "clock">): Promise<GaugeSample[]> {
  const now = deps.clock();
  const [database, search] = await Promise.all([databaseHealth(deps), searchHealth(deps.search)]);
  const up = (part: string, ok: boolean): GaugeSample => ({ name: "zt_up", help: "Whether a part answers (1) or not (0).", labels: { part }, value: ok ? 1 : 0 });
  const gauges = [up("database", database === "ok"), up("search", search === "ok")];
  if (database !== "ok") return gauges;
  const [outbox, failed, jobs] = await Promise.all([
    deps.sql.query<Backlog>(OUTBOX_DUE, [now]),
    deps.sql.query<Backlog>(OUTBOX_FAILED, [now]),
    deps.sql.query<Backlog>(JOBS_DUE, [now]),
  ]);
  for (const row of outbox) {
    gauges.push({ name: "zt_outbox_due", help: "Outbox messages due to be sent now, by channel.", labels: { channel: row.name }, value: row.due });
    gauges.push({ name: "zt_outbox_oldest_due_seconds", help: "Age of the oldest due outbox message, by channel.", labels: { channel: row.name }, value: Math.round(row.oldest_seconds ?? 0) });
  }
  for (const row of failed) gauges.push({ name: "zt_outbox_failed_last_hour", help: "Outbox messages given up in the last hour, by channel.", labels: { channel: row.name }, value: row.due });
  for (const row of jobs) {
    gauges.push({ name: "zt_jobs_due", help: "Jobs due to run now (or running), by kind.", labels: { kind: row.name }, value: row.due });
    gauges.push({ name: "zt_jobs_oldest_due_seconds", help: "How long the oldest due job has been due, by kind.", labels: { kind: row.name }, value: Math.round(row.oldest_seconds ?? 0) });
  }
  return gauges;
}
