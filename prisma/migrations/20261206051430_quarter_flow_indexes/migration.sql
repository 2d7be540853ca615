-- CreateIndex
CREATE INDEX "Application_hired_idx" ON "Application"("hiredAt", "workerId") WHERE (status = 'hired'::"ApplicationStatus");

-- CreateIndex
CREATE INDEX "TrainingEnrolment_completed_idx" ON "TrainingEnrolment"("completedAt", "workerId") WHERE (status = 'completed'::"EnrolmentStatus");

-- CreateIndex
CREATE INDEX "Worker_createdAt_homeRegionCode_idx" ON "Worker"("createdAt", "homeRegionCode");
