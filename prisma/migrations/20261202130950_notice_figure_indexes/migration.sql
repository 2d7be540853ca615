-- DropIndex
DROP INDEX "Notice_kind_regionCode_idx";

-- CreateIndex
CREATE INDEX "Notice_job_push_sent_idx" ON "Notice"("workerId", "sentAt") WHERE (kind = 'job_push');

-- CreateIndex
CREATE INDEX "Notice_training_offer_sent_idx" ON "Notice"("workerId", "sentAt", "courseId") WHERE (kind = 'training_offer');

-- CreateIndex
CREATE INDEX "Notice_job_push_region_idx" ON "Notice"("regionCode", "sentAt", "delivery") WHERE (kind = 'job_push');
