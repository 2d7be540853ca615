-- CreateIndex
CREATE INDEX "PlanTask_regionCode_dueAt_idx" ON "PlanTask"("regionCode", "dueAt");
