-- DropForeignKey
ALTER TABLE "Consent" DROP CONSTRAINT "Consent_workerId_fkey";

-- DropForeignKey
ALTER TABLE "PlanTask" DROP CONSTRAINT "PlanTask_planId_fkey";

-- AlterTable
ALTER TABLE "Consent" ADD COLUMN     "identityId" TEXT,
ALTER COLUMN "workerId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "ConversationSession" DROP COLUMN "expiresAt",
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PlanTask" ADD COLUMN     "identityId" TEXT,
ADD COLUMN     "regionCode" TEXT,
ALTER COLUMN "planId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "PlanTask_identityId_idx" ON "PlanTask"("identityId");

-- AddForeignKey
ALTER TABLE "PlanTask" ADD CONSTRAINT "PlanTask_planId_fkey" FOREIGN KEY ("planId") REFERENCES "AssistancePlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PlanTask" ADD CONSTRAINT "PlanTask_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "ChannelIdentity"("id") ON DELETE SET NULL ON UPDATE CASCADE;
