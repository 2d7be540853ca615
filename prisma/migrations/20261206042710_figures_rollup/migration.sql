-- CreateTable
CREATE TABLE "WorkerFigures" (
    "workerId" TEXT NOT NULL,
    "homeRegionCode" TEXT NOT NULL,
    "employmentStatus" "EmploymentStatus" NOT NULL,
    "workRange" "WorkRange",
    "wantsTraining" BOOLEAN NOT NULL,
    "pensionEnrolled" BOOLEAN NOT NULL,
    "povertyStatus" "PovertyStatus" NOT NULL,
    "birthDate" DATE,
    "onRoster" BOOLEAN NOT NULL,
    "reached" BOOLEAN NOT NULL,
    "openPlan" BOOLEAN NOT NULL,
    "trained" BOOLEAN NOT NULL,
    "pushed" BOOLEAN NOT NULL,
    "openWarnings" INTEGER NOT NULL,
    "lastFreeOfferAt" TIMESTAMP(3),

    CONSTRAINT "WorkerFigures_pkey" PRIMARY KEY ("workerId")
);

-- CreateTable
CREATE TABLE "PlaceFigures" (
    "regionCode" TEXT NOT NULL,
    "registered" INTEGER NOT NULL DEFAULT 0,
    "wantWork" INTEGER NOT NULL DEFAULT 0,
    "employedLocal" INTEGER NOT NULL DEFAULT 0,
    "employedInProvince" INTEGER NOT NULL DEFAULT 0,
    "employedOutOfProvince" INTEGER NOT NULL DEFAULT 0,
    "selfEmployed" INTEGER NOT NULL DEFAULT 0,
    "trained" INTEGER NOT NULL DEFAULT 0,
    "pensionEnrolled" INTEGER NOT NULL DEFAULT 0,
    "withPlan" INTEGER NOT NULL DEFAULT 0,
    "openWarnings" INTEGER NOT NULL DEFAULT 0,
    "seekersWithPlan" INTEGER NOT NULL DEFAULT 0,
    "onRoster" INTEGER NOT NULL DEFAULT 0,
    "reached" INTEGER NOT NULL DEFAULT 0,
    "rosterReached" INTEGER NOT NULL DEFAULT 0,
    "awaySeekersAll" INTEGER NOT NULL DEFAULT 0,
    "awaySeekersRostered" INTEGER NOT NULL DEFAULT 0,
    "awayPushedAll" INTEGER NOT NULL DEFAULT 0,
    "awayPushedRostered" INTEGER NOT NULL DEFAULT 0,
    "trainingWantedAll" INTEGER NOT NULL DEFAULT 0,
    "trainingWantedRostered" INTEGER NOT NULL DEFAULT 0,
    "employedAll" INTEGER NOT NULL DEFAULT 0,
    "employedRostered" INTEGER NOT NULL DEFAULT 0,
    "seekersRostered" INTEGER NOT NULL DEFAULT 0,
    "seekersWithPlanRostered" INTEGER NOT NULL DEFAULT 0,
    "pushesDelivered" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PlaceFigures_pkey" PRIMARY KEY ("regionCode")
);

-- CreateTable
CREATE TABLE "PlaceFiguresChange" (
    "id" BIGSERIAL NOT NULL,
    "regionCode" TEXT NOT NULL,
    "registered" INTEGER NOT NULL DEFAULT 0,
    "wantWork" INTEGER NOT NULL DEFAULT 0,
    "employedLocal" INTEGER NOT NULL DEFAULT 0,
    "employedInProvince" INTEGER NOT NULL DEFAULT 0,
    "employedOutOfProvince" INTEGER NOT NULL DEFAULT 0,
    "selfEmployed" INTEGER NOT NULL DEFAULT 0,
    "trained" INTEGER NOT NULL DEFAULT 0,
    "pensionEnrolled" INTEGER NOT NULL DEFAULT 0,
    "withPlan" INTEGER NOT NULL DEFAULT 0,
    "openWarnings" INTEGER NOT NULL DEFAULT 0,
    "seekersWithPlan" INTEGER NOT NULL DEFAULT 0,
    "onRoster" INTEGER NOT NULL DEFAULT 0,
    "reached" INTEGER NOT NULL DEFAULT 0,
    "rosterReached" INTEGER NOT NULL DEFAULT 0,
    "awaySeekersAll" INTEGER NOT NULL DEFAULT 0,
    "awaySeekersRostered" INTEGER NOT NULL DEFAULT 0,
    "awayPushedAll" INTEGER NOT NULL DEFAULT 0,
    "awayPushedRostered" INTEGER NOT NULL DEFAULT 0,
    "trainingWantedAll" INTEGER NOT NULL DEFAULT 0,
    "trainingWantedRostered" INTEGER NOT NULL DEFAULT 0,
    "employedAll" INTEGER NOT NULL DEFAULT 0,
    "employedRostered" INTEGER NOT NULL DEFAULT 0,
    "seekersRostered" INTEGER NOT NULL DEFAULT 0,
    "seekersWithPlanRostered" INTEGER NOT NULL DEFAULT 0,
    "pushesDelivered" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PlaceFiguresChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WorkerFigures_pension_idx" ON "WorkerFigures"("birthDate", "homeRegionCode", "onRoster", "pensionEnrolled") WHERE ("povertyStatus" = ANY (ARRAY['registered'::"PovertyStatus", 'lifted'::"PovertyStatus", 'monitored'::"PovertyStatus"]));

-- CreateIndex
CREATE INDEX "WorkerFigures_pension_place_idx" ON "WorkerFigures"("homeRegionCode", "birthDate", "onRoster", "pensionEnrolled") WHERE ("povertyStatus" = ANY (ARRAY['registered'::"PovertyStatus", 'lifted'::"PovertyStatus", 'monitored'::"PovertyStatus"]));

-- CreateIndex
CREATE INDEX "WorkerFigures_offer_idx" ON "WorkerFigures"("lastFreeOfferAt", "homeRegionCode", "onRoster") WHERE ("wantsTraining");

-- CreateIndex
CREATE INDEX "WorkerFigures_offer_place_idx" ON "WorkerFigures"("homeRegionCode", "lastFreeOfferAt", "onRoster") WHERE ("wantsTraining");

-- The live figures, kept current. Every table a figure reads has a trigger that rewrites the
-- WorkerFigures row of each worker the change touches (figures_refresh): what the worker counts
-- for, read as the figures' statement (src/services/stats/statement.ts) reads it now. The row it
-- replaces goes out of its place's figures and the new one goes in, as two appended
-- PlaceFiguresChange rows; figures_fold moves those into PlaceFigures. So a region's live figures
-- are its places' rows added up, never a scan of its workers, and no code path can forget to keep
-- them: the database keeps them, in the transaction of the change.

-- What each worker counts for now. A view, so that one worker's row is read by its id (the
-- predicate goes into every subquery) and all of them in one pass.
CREATE VIEW "WorkerFiguresNow" AS
  SELECT w.id AS "workerId", w."homeRegionCode", w."employmentStatus", w."workRange",
         coalesce(w."wantsTraining", false) AS "wantsTraining", coalesce(w."pensionEnrolled", false) AS "pensionEnrolled",
         w."povertyStatus", w."birthDate",
         EXISTS (SELECT 1 FROM "RosterEntry" r WHERE r."workerId" = w.id AND r."leftAt" IS NULL) AS "onRoster",
         EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."workerId" = w.id AND i."lastInboundAt" IS NOT NULL) AS reached,
         EXISTS (SELECT 1 FROM "AssistancePlan" p WHERE p."workerId" = w.id AND p.status = 'open') AS "openPlan",
         EXISTS (SELECT 1 FROM "TrainingEnrolment" e WHERE e."workerId" = w.id AND e.status = 'completed') AS trained,
         EXISTS (SELECT 1 FROM "Notice" n WHERE n."workerId" = w.id AND n.kind = 'job_push' AND n."sentAt" IS NOT NULL) AS pushed,
         (SELECT count(*)::int FROM "PlanTask" t JOIN "AssistancePlan" p ON p.id = t."planId"
          WHERE p."workerId" = w.id AND t.kind = 'job_loss_warning' AND t.status = 'open') AS "openWarnings",
         (SELECT max(n."sentAt") FROM "Notice" n JOIN "TrainingCourse" c ON c.id = n."courseId"
          WHERE n."workerId" = w.id AND n.kind = 'training_offer' AND c.free) AS "lastFreeOfferAt"
  FROM "Worker" w
  WHERE w."homeRegionCode" IS NOT NULL;

-- A worker's row as its place's counts (negated to take it out: sign -1), in PlaceFigures' shape.
-- A fact not known (no work range given) counts for nothing, as in the statement's FILTERs.
CREATE FUNCTION "figures_counts"(f "WorkerFigures", sign int) RETURNS "PlaceFigures" LANGUAGE sql IMMUTABLE AS $$
  SELECT f."homeRegionCode",
         sign,
         sign * coalesce(f."employmentStatus" = 'seeking', false)::int,
         sign * coalesce(f."employmentStatus" = 'employedLocal', false)::int,
         sign * coalesce(f."employmentStatus" = 'employedInProvince', false)::int,
         sign * coalesce(f."employmentStatus" = 'employedOutOfProvince', false)::int,
         sign * coalesce(f."employmentStatus" = 'selfEmployed', false)::int,
         sign * coalesce(f.trained, false)::int,
         sign * coalesce(f."pensionEnrolled", false)::int,
         sign * coalesce(f."openPlan", false)::int,
         sign * f."openWarnings",
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."openPlan", false)::int,
         sign * coalesce(f."onRoster", false)::int,
         sign * coalesce(f.reached, false)::int,
         sign * coalesce(f.reached AND f."onRoster", false)::int,
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."workRange" IN ('province', 'anywhere'), false)::int,
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."workRange" IN ('province', 'anywhere') AND f."onRoster", false)::int,
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."workRange" IN ('province', 'anywhere') AND f.pushed, false)::int,
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."workRange" IN ('province', 'anywhere') AND f.pushed AND f."onRoster", false)::int,
         sign * coalesce(f."wantsTraining", false)::int,
         sign * coalesce(f."wantsTraining" AND f."onRoster", false)::int,
         sign * coalesce(f."employmentStatus" IN ('employedLocal', 'employedInProvince', 'employedOutOfProvince', 'selfEmployed'), false)::int,
         sign * coalesce(f."employmentStatus" IN ('employedLocal', 'employedInProvince', 'employedOutOfProvince', 'selfEmployed') AND f."onRoster", false)::int,
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."onRoster", false)::int,
         sign * coalesce(f."employmentStatus" = 'seeking' AND f."openPlan" AND f."onRoster", false)::int,
         0
$$;

CREATE FUNCTION "figures_add"(f "WorkerFigures", sign int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "PlaceFiguresChange" ("regionCode", "registered", "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", "reached", "rosterReached", "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered", "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered")
  SELECT c.* FROM "figures_counts"(f, sign) c
$$;

-- Rewrites these workers' rows, all at once (a batch of a thousand inserted by one statement is
-- one pass); a row that did not change adds nothing. Each worker is taken under a lock of its own,
-- in the order of their ids, so that two transactions changing one worker never take the same row
-- out twice.
CREATE FUNCTION "figures_refresh"(ids text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  id text;
  befores "WorkerFigures"[];
  afters "WorkerFigures"[];
  gone "WorkerFigures"[];
  came "WorkerFigures"[];
BEGIN
  ids := ARRAY(SELECT DISTINCT i FROM unnest(ids) i WHERE i IS NOT NULL ORDER BY 1);
  IF cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  FOREACH id IN ARRAY ids LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('figures:' || id, 0));
  END LOOP;
  SELECT array_agg(f) INTO befores FROM "WorkerFigures" f WHERE f."workerId" = ANY (ids);
  SELECT array_agg(ROW(v.*)::"WorkerFigures") INTO afters FROM "WorkerFiguresNow" v WHERE v."workerId" = ANY (ids);
  SELECT array_agg(x.f) INTO gone FROM (SELECT b AS f FROM unnest(befores) b EXCEPT ALL SELECT a FROM unnest(afters) a) x;
  SELECT array_agg(x.f) INTO came FROM (SELECT a AS f FROM unnest(afters) a EXCEPT ALL SELECT b FROM unnest(befores) b) x;
  IF gone IS NOT NULL THEN
    INSERT INTO "PlaceFiguresChange" ("regionCode", "registered", "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", "reached", "rosterReached", "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered", "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered")
    SELECT c.* FROM unnest(gone) g CROSS JOIN LATERAL "figures_counts"(g, -1) c;
    DELETE FROM "WorkerFigures" f WHERE f."workerId" IN (SELECT g."workerId" FROM unnest(gone) g);
  END IF;
  IF came IS NOT NULL THEN
    INSERT INTO "PlaceFiguresChange" ("regionCode", "registered", "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", "reached", "rosterReached", "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered", "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered")
    SELECT c.* FROM unnest(came) n CROSS JOIN LATERAL "figures_counts"(n, 1) c;
    INSERT INTO "WorkerFigures" SELECT * FROM unnest(came);
  END IF;
END
$$;

-- Moves the appended changes into the places' rows, in one statement (a reader sees before or
-- after, never half). Returns how many places it touched.
CREATE FUNCTION "figures_fold"() RETURNS int LANGUAGE sql AS $$
  WITH moved AS (DELETE FROM "PlaceFiguresChange" RETURNING *),
  summed AS (
    SELECT "regionCode",
         sum("registered")::int,
         sum("wantWork")::int,
         sum("employedLocal")::int,
         sum("employedInProvince")::int,
         sum("employedOutOfProvince")::int,
         sum("selfEmployed")::int,
         sum("trained")::int,
         sum("pensionEnrolled")::int,
         sum("withPlan")::int,
         sum("openWarnings")::int,
         sum("seekersWithPlan")::int,
         sum("onRoster")::int,
         sum("reached")::int,
         sum("rosterReached")::int,
         sum("awaySeekersAll")::int,
         sum("awaySeekersRostered")::int,
         sum("awayPushedAll")::int,
         sum("awayPushedRostered")::int,
         sum("trainingWantedAll")::int,
         sum("trainingWantedRostered")::int,
         sum("employedAll")::int,
         sum("employedRostered")::int,
         sum("seekersRostered")::int,
         sum("seekersWithPlanRostered")::int,
         sum("pushesDelivered")::int
    FROM moved GROUP BY "regionCode"
  ),
  folded AS (
    INSERT INTO "PlaceFigures" AS p ("regionCode", "registered", "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", "reached", "rosterReached", "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered", "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered")
    SELECT * FROM summed
    ON CONFLICT ("regionCode") DO UPDATE SET
    "registered" = p."registered" + EXCLUDED."registered",
    "wantWork" = p."wantWork" + EXCLUDED."wantWork",
    "employedLocal" = p."employedLocal" + EXCLUDED."employedLocal",
    "employedInProvince" = p."employedInProvince" + EXCLUDED."employedInProvince",
    "employedOutOfProvince" = p."employedOutOfProvince" + EXCLUDED."employedOutOfProvince",
    "selfEmployed" = p."selfEmployed" + EXCLUDED."selfEmployed",
    "trained" = p."trained" + EXCLUDED."trained",
    "pensionEnrolled" = p."pensionEnrolled" + EXCLUDED."pensionEnrolled",
    "withPlan" = p."withPlan" + EXCLUDED."withPlan",
    "openWarnings" = p."openWarnings" + EXCLUDED."openWarnings",
    "seekersWithPlan" = p."seekersWithPlan" + EXCLUDED."seekersWithPlan",
    "onRoster" = p."onRoster" + EXCLUDED."onRoster",
    "reached" = p."reached" + EXCLUDED."reached",
    "rosterReached" = p."rosterReached" + EXCLUDED."rosterReached",
    "awaySeekersAll" = p."awaySeekersAll" + EXCLUDED."awaySeekersAll",
    "awaySeekersRostered" = p."awaySeekersRostered" + EXCLUDED."awaySeekersRostered",
    "awayPushedAll" = p."awayPushedAll" + EXCLUDED."awayPushedAll",
    "awayPushedRostered" = p."awayPushedRostered" + EXCLUDED."awayPushedRostered",
    "trainingWantedAll" = p."trainingWantedAll" + EXCLUDED."trainingWantedAll",
    "trainingWantedRostered" = p."trainingWantedRostered" + EXCLUDED."trainingWantedRostered",
    "employedAll" = p."employedAll" + EXCLUDED."employedAll",
    "employedRostered" = p."employedRostered" + EXCLUDED."employedRostered",
    "seekersRostered" = p."seekersRostered" + EXCLUDED."seekersRostered",
    "seekersWithPlanRostered" = p."seekersWithPlanRostered" + EXCLUDED."seekersWithPlanRostered",
    "pushesDelivered" = p."pushesDelivered" + EXCLUDED."pushesDelivered"
    RETURNING 1
  )
  SELECT count(*)::int FROM folded
$$;

-- Everything counted again from the tables (a bulk load with triggers off, or a repair).
CREATE FUNCTION "figures_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "PlaceFiguresChange";
  DELETE FROM "PlaceFigures";
  DELETE FROM "WorkerFigures";
  INSERT INTO "WorkerFigures" SELECT * FROM "WorkerFiguresNow";
  INSERT INTO "PlaceFiguresChange" ("regionCode", "registered", "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", "reached", "rosterReached", "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered", "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered")
  SELECT c.* FROM "WorkerFigures" f CROSS JOIN LATERAL "figures_counts"(f, 1) c;
  INSERT INTO "PlaceFiguresChange" ("regionCode", "pushesDelivered")
  SELECT "regionCode", count(*)::int FROM "Notice"
  WHERE kind = 'job_push' AND "regionCode" IS NOT NULL AND "sentAt" IS NOT NULL AND delivery IN ('sent', 'delivered')
  GROUP BY "regionCode";
  PERFORM "figures_fold"();
END
$$;

-- The triggers: each finds the workers its change touches.
CREATE FUNCTION "figures_worker_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "figures_refresh"(ARRAY[CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END]);
  RETURN NULL;
END
$$;
-- Rows inserted by one statement (a roster import's batch of a thousand) are counted in one pass.
CREATE FUNCTION "figures_workers_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "figures_refresh"(ARRAY(SELECT id FROM inserted));
  RETURN NULL;
END
$$;
CREATE TRIGGER "Worker_figures_insert" AFTER INSERT ON "Worker"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "figures_workers_inserted"();
CREATE TRIGGER "Worker_figures_delete" AFTER DELETE ON "Worker"
  FOR EACH ROW EXECUTE FUNCTION "figures_worker_changed"();
CREATE TRIGGER "Worker_figures_update" AFTER UPDATE ON "Worker"
  FOR EACH ROW WHEN ((OLD."homeRegionCode", OLD."employmentStatus", OLD."workRange", OLD."wantsTraining", OLD."pensionEnrolled", OLD."povertyStatus", OLD."birthDate")
                     IS DISTINCT FROM (NEW."homeRegionCode", NEW."employmentStatus", NEW."workRange", NEW."wantsTraining", NEW."pensionEnrolled", NEW."povertyStatus", NEW."birthDate"))
  EXECUTE FUNCTION "figures_worker_changed"();

-- A row of a table with a "workerId" column: the worker before and after the change.
CREATE FUNCTION "figures_row_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "figures_refresh"(ARRAY[NEW."workerId"]);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "figures_refresh"(ARRAY[OLD."workerId"]);
  ELSE
    PERFORM "figures_refresh"(ARRAY[OLD."workerId", CASE WHEN NEW."workerId" IS DISTINCT FROM OLD."workerId" THEN NEW."workerId" END]);
  END IF;
  RETURN NULL;
END
$$;
-- The same for the tables with a "workerId": rows inserted by one statement, in one pass.
CREATE FUNCTION "figures_rows_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "figures_refresh"(ARRAY(SELECT "workerId" FROM inserted));
  RETURN NULL;
END
$$;
CREATE TRIGGER "AssistancePlan_figures_insert" AFTER INSERT ON "AssistancePlan"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "figures_rows_inserted"();
CREATE TRIGGER "AssistancePlan_figures" AFTER DELETE OR UPDATE OF status, "workerId" ON "AssistancePlan"
  FOR EACH ROW EXECUTE FUNCTION "figures_row_changed"();
CREATE TRIGGER "TrainingEnrolment_figures_insert" AFTER INSERT ON "TrainingEnrolment"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "figures_rows_inserted"();
CREATE TRIGGER "TrainingEnrolment_figures" AFTER DELETE OR UPDATE OF status, "workerId" ON "TrainingEnrolment"
  FOR EACH ROW EXECUTE FUNCTION "figures_row_changed"();
CREATE TRIGGER "RosterEntry_figures_insert" AFTER INSERT ON "RosterEntry"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "figures_rows_inserted"();
CREATE TRIGGER "RosterEntry_figures" AFTER DELETE OR UPDATE OF "leftAt", "workerId" ON "RosterEntry"
  FOR EACH ROW EXECUTE FUNCTION "figures_row_changed"();
-- Every message in updates "lastInboundAt": only its first (or a move to another worker) counts.
CREATE TRIGGER "ChannelIdentity_figures_insert" AFTER INSERT ON "ChannelIdentity"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "figures_rows_inserted"();
CREATE TRIGGER "ChannelIdentity_figures_delete" AFTER DELETE ON "ChannelIdentity"
  FOR EACH ROW EXECUTE FUNCTION "figures_row_changed"();
CREATE TRIGGER "ChannelIdentity_figures_update" AFTER UPDATE ON "ChannelIdentity"
  FOR EACH ROW WHEN (OLD."workerId" IS DISTINCT FROM NEW."workerId" OR (OLD."lastInboundAt" IS NULL) <> (NEW."lastInboundAt" IS NULL))
  EXECUTE FUNCTION "figures_row_changed"();

-- Notices: a job push sent (and, where it was delivered, the place's deliveries); a free course offered.
CREATE FUNCTION "figures_notice_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  delivered_before int := 0;
  delivered_after int := 0;
  before "WorkerFigures";
  after "WorkerFigures";
BEGIN
  IF TG_OP <> 'INSERT' THEN
    delivered_before := coalesce(OLD.kind = 'job_push' AND OLD."regionCode" IS NOT NULL AND OLD."sentAt" IS NOT NULL AND OLD.delivery IN ('sent', 'delivered'), false)::int;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    delivered_after := coalesce(NEW.kind = 'job_push' AND NEW."regionCode" IS NOT NULL AND NEW."sentAt" IS NOT NULL AND NEW.delivery IN ('sent', 'delivered'), false)::int;
  END IF;
  IF delivered_before = 1 AND (delivered_after = 0 OR NEW."regionCode" <> OLD."regionCode") THEN
    INSERT INTO "PlaceFiguresChange" ("regionCode", "pushesDelivered") VALUES (OLD."regionCode", -1);
  END IF;
  IF delivered_after = 1 AND (delivered_before = 0 OR NEW."regionCode" <> OLD."regionCode") THEN
    INSERT INTO "PlaceFiguresChange" ("regionCode", "pushesDelivered") VALUES (NEW."regionCode", 1);
  END IF;
  -- The dispatcher's path, once per push, without reading the worker's facts again: a job push's
  -- delivery reported changes none of them, and its sending only makes the worker pushed (under the
  -- worker's lock, so that a push taken back at the same moment is seen).
  IF TG_OP = 'UPDATE' AND OLD.kind = 'job_push' AND NEW.kind = 'job_push' AND OLD."workerId" IS NOT DISTINCT FROM NEW."workerId" THEN
    IF (OLD."sentAt" IS NULL) = (NEW."sentAt" IS NULL) THEN
      RETURN NULL;
    END IF;
    IF NEW."sentAt" IS NOT NULL AND NEW."workerId" IS NOT NULL THEN
      PERFORM pg_advisory_xact_lock(hashtextextended('figures:' || NEW."workerId", 0));
      SELECT * INTO before FROM "WorkerFigures" f WHERE f."workerId" = NEW."workerId";
      IF before."workerId" IS NOT NULL AND NOT before.pushed THEN
        after := before;
        after.pushed := true;
        PERFORM "figures_add"(before, -1);
        PERFORM "figures_add"(after, 1);
        UPDATE "WorkerFigures" f SET pushed = true WHERE f."workerId" = NEW."workerId";
      END IF;
      RETURN NULL;
    END IF;
  END IF;
  PERFORM "figures_refresh"(ARRAY[
    CASE WHEN TG_OP <> 'INSERT' AND OLD.kind IN ('job_push', 'training_offer') THEN OLD."workerId" END,
    CASE WHEN TG_OP <> 'DELETE' AND NEW.kind IN ('job_push', 'training_offer')
              AND (TG_OP = 'INSERT' OR NEW."workerId" IS DISTINCT FROM OLD."workerId" OR OLD.kind NOT IN ('job_push', 'training_offer')) THEN NEW."workerId" END]);
  RETURN NULL;
END
$$;
-- A notice is queued unsent: only its sending (and what follows) can count.
CREATE TRIGGER "Notice_figures_insert" AFTER INSERT ON "Notice"
  FOR EACH ROW WHEN (NEW."sentAt" IS NOT NULL) EXECUTE FUNCTION "figures_notice_changed"();
CREATE TRIGGER "Notice_figures_delete" AFTER DELETE ON "Notice"
  FOR EACH ROW EXECUTE FUNCTION "figures_notice_changed"();
CREATE TRIGGER "Notice_figures_update" AFTER UPDATE ON "Notice"
  FOR EACH ROW WHEN ((OLD.kind, OLD."workerId", OLD."regionCode", OLD."courseId", OLD."sentAt", OLD.delivery)
                     IS DISTINCT FROM (NEW.kind, NEW."workerId", NEW."regionCode", NEW."courseId", NEW."sentAt", NEW.delivery))
  EXECUTE FUNCTION "figures_notice_changed"();

-- A course made free, or no longer: whom it was offered to.
CREATE FUNCTION "figures_course_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "figures_refresh"(ARRAY(SELECT DISTINCT n."workerId" FROM "Notice" n WHERE n."courseId" = NEW.id AND n.kind = 'training_offer' ORDER BY 1));
  RETURN NULL;
END
$$;
CREATE TRIGGER "TrainingCourse_figures" AFTER UPDATE OF free ON "TrainingCourse"
  FOR EACH ROW WHEN (OLD.free IS DISTINCT FROM NEW.free) EXECUTE FUNCTION "figures_course_changed"();

-- A job-loss warning raised or settled: the worker of its plan.
CREATE FUNCTION "figures_task_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "figures_refresh"(ARRAY(
    SELECT p."workerId" FROM "AssistancePlan" p
    WHERE p.id IN (CASE WHEN TG_OP <> 'INSERT' AND OLD.kind = 'job_loss_warning' THEN OLD."planId" END,
                   CASE WHEN TG_OP <> 'DELETE' AND NEW.kind = 'job_loss_warning' THEN NEW."planId" END)
    ORDER BY 1));
  RETURN NULL;
END
$$;
CREATE TRIGGER "PlanTask_figures_insert_delete" AFTER INSERT OR DELETE ON "PlanTask"
  FOR EACH ROW EXECUTE FUNCTION "figures_task_changed"();
CREATE TRIGGER "PlanTask_figures_update" AFTER UPDATE ON "PlanTask"
  FOR EACH ROW WHEN ((OLD.kind, OLD.status, OLD."planId") IS DISTINCT FROM (NEW.kind, NEW.status, NEW."planId"))
  EXECUTE FUNCTION "figures_task_changed"();

-- The workers already there (statistics first: without them the planner may scan a whole table
-- for each worker; about a minute for a million workers with them).
ANALYZE "Worker", "RosterEntry", "ChannelIdentity", "AssistancePlan", "TrainingEnrolment", "Notice", "TrainingCourse", "PlanTask";
SELECT "figures_rebuild"();
