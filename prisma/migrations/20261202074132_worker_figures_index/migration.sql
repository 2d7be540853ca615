-- CreateIndex
CREATE INDEX "Worker_figures_idx" ON "Worker"("homeRegionCode", "id", "employmentStatus", "workRange", "wantsTraining", "pensionEnrolled", "povertyStatus", "birthDate", "createdAt", "employedSince");
