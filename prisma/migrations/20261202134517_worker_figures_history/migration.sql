-- CreateTable
CREATE TABLE "WorkerFiguresChange" (
    "id" BIGSERIAL NOT NULL,
    "workerId" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "homeRegionCode" TEXT,
    "employmentStatus" "EmploymentStatus" NOT NULL,
    "workRange" "WorkRange",
    "wantsTraining" BOOLEAN,
    "pensionEnrolled" BOOLEAN,
    "povertyStatus" "PovertyStatus" NOT NULL,
    "birthDate" DATE,
    "employedSince" TIMESTAMP(3),

    CONSTRAINT "WorkerFiguresChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkerFiguresChange_changedAt_workerId_idx" ON "WorkerFiguresChange"("changedAt", "workerId");

-- CreateIndex
CREATE INDEX "WorkerFiguresChange_workerId_changedAt_idx" ON "WorkerFiguresChange"("workerId", "changedAt");

-- CreateIndex
CREATE INDEX "WorkerFiguresChange_homeRegionCode_changedAt_idx" ON "WorkerFiguresChange"("homeRegionCode", "changedAt");

-- AddForeignKey
ALTER TABLE "WorkerFiguresChange" ADD CONSTRAINT "WorkerFiguresChange_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by the database itself, so that every way a worker changes (a hire, a job loss, a chat
-- edit, the operator API, a future one) leaves the fields it had before. Timestamps are UTC
-- without a zone, as everywhere in this schema; the clock is read when the row changes (not when
-- its transaction began), so that changes to one worker are stamped in the order they happened.
CREATE FUNCTION "worker_figures_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (OLD."homeRegionCode", OLD."employmentStatus", OLD."workRange", OLD."wantsTraining", OLD."pensionEnrolled",
      OLD."povertyStatus", OLD."birthDate", OLD."employedSince")
     IS DISTINCT FROM
     (NEW."homeRegionCode", NEW."employmentStatus", NEW."workRange", NEW."wantsTraining", NEW."pensionEnrolled",
      NEW."povertyStatus", NEW."birthDate", NEW."employedSince") THEN
    INSERT INTO "WorkerFiguresChange" ("workerId", "changedAt", "registeredAt", "homeRegionCode", "employmentStatus", "workRange",
                                       "wantsTraining", "pensionEnrolled", "povertyStatus", "birthDate", "employedSince")
    VALUES (OLD.id, date_trunc('milliseconds', clock_timestamp() AT TIME ZONE 'UTC'), OLD."createdAt", OLD."homeRegionCode", OLD."employmentStatus", OLD."workRange",
            OLD."wantsTraining", OLD."pensionEnrolled", OLD."povertyStatus", OLD."birthDate", OLD."employedSince");
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Worker_figures_change" AFTER UPDATE ON "Worker"
  FOR EACH ROW EXECUTE FUNCTION "worker_figures_change"();
