-- Every chat reply is an outbox row, written in its turn's statement: its indexes are paid there.
-- (status, nextAttemptAt) served nothing the unsent partial index does not; a provider's id and a
-- failure's time are indexed only on the rows that have them.

-- DropIndex
DROP INDEX "OutboxMessage_providerMessageId_idx";

-- DropIndex
DROP INDEX "OutboxMessage_status_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "OutboxMessage_providerMessageId_idx" ON "OutboxMessage"("providerMessageId") WHERE ("providerMessageId" IS NOT NULL);

-- CreateIndex
CREATE INDEX "OutboxMessage_failed_idx" ON "OutboxMessage"("statusAt") WHERE (status = 'failed'::"OutboxStatus");
