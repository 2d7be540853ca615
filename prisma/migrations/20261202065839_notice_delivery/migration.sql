-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "delivery" TEXT,
ADD COLUMN     "sentAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Notice_workerId_sentAt_idx" ON "Notice"("workerId", "sentAt");
