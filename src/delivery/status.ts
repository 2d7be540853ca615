// Delivery status callbacks arrive late, twice, and out of order ("sent" after "delivered"): a
// status only ever moves forward, and a final one (delivered, undelivered, failed) stays.
import { prepared, type SqlRunner } from "../db/sql.ts";
import type { OutboxStatus } from "../db/client.ts";
import { FALLBACK_SEPARATOR } from "../shared/keys.ts";
import type { DeliveryUpdate } from "./sender.ts";

const rank: Record<OutboxStatus, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

/** The statuses a message in `status` may not move to: itself and everything behind it. */
const notBehind = (status: OutboxStatus) => (Object.keys(rank) as OutboxStatus[]).filter((s) => rank[s] < rank[status]);

/**
 * A report's move, and the notice the message carries with it (a push, a follow-up: what the
 * figures count), in one prepared statement: a provider sends one or two reports for every message,
 * as many as the messages themselves, so this is as hot as sending. $1 channel, $2 the provider's
 * id, $3 the status, $4 when, $5 the error or null, $6 the statuses it may move from.
 */
export const MOVE_STATUS = prepared(
  "outbox_delivery_status",
  `WITH moved AS (
     UPDATE "OutboxMessage" SET status = $3::"OutboxStatus", "statusAt" = $4, "lastError" = coalesce($5, "lastError")
     WHERE channel = $1 AND "providerMessageId" = $2 AND status = ANY ($6::"OutboxStatus"[])
     RETURNING "idempotencyKey", purpose),
   noticed AS (
     UPDATE "Notice" n SET delivery = $3 FROM moved
     WHERE moved.purpose <> 'reply' AND n.key = split_part(moved."idempotencyKey", '${FALLBACK_SEPARATOR}', 1))
   SELECT count(*)::int AS moved FROM moved`,
);

/** Applies a provider's status report (to the notice the message carries too); returns whether anything changed. */
export async function recordDeliveryStatus(sql: SqlRunner, update: DeliveryUpdate): Promise<boolean> {
  const [row] = await sql.query<{ moved: number }>(MOVE_STATUS, [
    update.channel, update.providerMessageId, update.status, update.at, update.error ?? null, notBehind(update.status),
  ]);
  return (row?.moved ?? 0) > 0;
}
