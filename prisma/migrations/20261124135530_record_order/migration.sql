-- DropIndex
DROP INDEX "OutboxMessage_channel_address_createdAt_idx";

-- DropIndex
DROP INDEX "PlanEvent_identityId_at_idx";

-- DropIndex
DROP INDEX "PlanEvent_workerId_at_idx";

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- AlterTable
ALTER TABLE "PlanEvent" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_address_seq_idx" ON "OutboxMessage"("channel", "address", "seq");

-- CreateIndex
CREATE INDEX "PlanEvent_workerId_seq_idx" ON "PlanEvent"("workerId", "seq");

-- CreateIndex
CREATE INDEX "PlanEvent_identityId_seq_idx" ON "PlanEvent"("identityId", "seq");
