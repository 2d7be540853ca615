// What the service keeps only for a while: outbox messages once they have been sent (or given up)
// for 90 days — who was told what stays on the timeline and in the notices, which the figures read
// — and the receipts of inbound messages once a provider can no longer send them again (7 days).
// Removed in small batches, each its own short statement, so the service never waits on it; a run
// stops after its time budget and the next day's run goes on.
import type { SqlRunner } from "../db/sql.ts";

export interface RetentionLimits {
  outboxDays: number;
  receiptDays: number;
  /** rows per statement: each a short one, so nothing waits on it */
  batch: number;
  /** a run stops after this long; the next goes on */
  budgetMs: number;
}

export const RETENTION: RetentionLimits = { outboxDays: 90, receiptDays: 7, batch: 5_000, budgetMs: 60_000 };

const DAY_MS = 86_400_000;

/** Done with: sent, delivered, undelivered or given up, and settled before the cut-off. */
const OUTBOX_BATCH = `WITH gone AS (DELETE FROM "OutboxMessage" WHERE id IN (
  SELECT id FROM "OutboxMessage"
  WHERE status IN ('sent', 'delivered', 'undelivered', 'failed') AND coalesce("statusAt", "createdAt") < $1::timestamp
  LIMIT $2) RETURNING 1) SELECT count(*)::int AS removed FROM gone`;
const RECEIPT_BATCH = `WITH gone AS (DELETE FROM "InboundReceipt" WHERE ctid IN (
  SELECT ctid FROM "InboundReceipt" WHERE "receivedAt" < $1::timestamp LIMIT $2) RETURNING 1) SELECT count(*)::int AS removed FROM gone`;

export interface RetentionRun {
  outbox: number;
  receipts: number;
  /** the budget ran out with rows still to go: the next run takes them */
  unfinished: boolean;
}

export async function removeExpired(sql: SqlRunner, now: Date, limits: Partial<RetentionLimits> = {}): Promise<RetentionRun> {
  const { outboxDays, receiptDays, batch, budgetMs } = { ...RETENTION, ...limits };
  const started = Date.now();
  const run: RetentionRun = { outbox: 0, receipts: 0, unfinished: false };
  const drain = async (statement: string, cutoff: Date, field: "outbox" | "receipts") => {
    for (;;) {
      if (Date.now() - started > budgetMs) return void (run.unfinished = true);
      const [{ removed } = { removed: 0 }] = await sql.query<{ removed: number }>(statement, [cutoff, batch]);
      run[field] += removed;
      if (removed < batch) return;
    }
  };
  await drain(OUTBOX_BATCH, new Date(now.getTime() - outboxDays * DAY_MS), "outbox");
  await drain(RECEIPT_BATCH, new Date(now.getTime() - receiptDays * DAY_MS), "receipts");
  return run;
}
