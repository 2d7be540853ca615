-- A job push's sending makes its worker "pushed" in the kept figures. The trigger took the worker's
-- figures out and put them back through figures_add, an SQL function, whose INSERT PostgreSQL parses
-- and plans at every call: two calls were 1.4 of the 1.9 ms the dispatcher's "sent" update cost
-- PostgreSQL for every push (bench:push, pg_stat_statements). The same rows now go in one INSERT of
-- the trigger's own, planned once per session like every statement of a PL/pgSQL function.
CREATE OR REPLACE FUNCTION "figures_notice_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
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
        INSERT INTO "PlaceFiguresChange" ("regionCode", "registered", "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", "reached", "rosterReached", "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered", "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered")
        SELECT c.* FROM "figures_counts"(before, -1) c
        UNION ALL
        SELECT c.* FROM "figures_counts"(after, 1) c;
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

-- Nothing else called it.
DROP FUNCTION "figures_add"("WorkerFigures", int);
