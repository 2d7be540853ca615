// Delivery status callbacks arrive late, twice, and out of order ("sent" after "delivered"): a
// status only ever moves forward, and a final one (delivered, undelivered, failed) stays.
import { FALLBACK_SEPARATOR } from "../shared/keys.ts";
import type { OutboxStatus, PrismaClient } from "../db/client.ts";
import type { DeliveryUpdate } from "./sender.ts";

const rank: Record<OutboxStatus, number> = { pending: 0, sending: 1, sent: 2, delivered: 3, undelivered: 3, failed: 3 };

/** The statuses a message in `status` may not move to: itself and everything behind it. */
const notBehind = (status: OutboxStatus) => (Object.keys(rank) as OutboxStatus[]).filter((s) => rank[s] < rank[status]);

/** Applies a provider's status report (to the notice the message carries too); returns whether anything changed. */
export async function recordDeliveryStatus(prisma: PrismaClient, update: DeliveryUpdate): Promise<boolean> {
  const { count } = await prisma.outboxMessage.updateMany({
    where: { channel: update.channel, providerMessageId: update.providerMessageId, status: { in: notBehind(update.status) } },
    data: { status: update.status, statusAt: update.at, ...(update.error ? { lastError: update.error } : {}) },
  });
  if (count > 0) {
    await prisma.$executeRawUnsafe(
      `UPDATE "Notice" n SET delivery = $3 FROM "OutboxMessage" m
       WHERE m.channel = $1 AND m."providerMessageId" = $2 AND m.purpose <> 'reply' AND n.key = split_part(m."idempotencyKey", '${FALLBACK_SEPARATOR}', 1)`,
      update.channel,
      update.providerMessageId,
      update.status,
    );
  }
  return count > 0;
}
