-- A worker's row as its place's counts: the same expressions as before, in PL/pgSQL. As an SQL
-- function that cannot be inlined (it is called in FROM), PostgreSQL parsed and planned its SELECT
-- once for every statement that called it: 0.19 ms, most of what a push's sending cost the kept
-- figures, and a part of every statement that changes one worker (a statement that changes many,
-- a roster import's, planned it once for all of them). A PL/pgSQL function plans its expression
-- once a session: 0.02 ms a call.
CREATE OR REPLACE FUNCTION "figures_counts"(f "WorkerFigures", sign int) RETURNS "PlaceFigures" LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN ROW(f."homeRegionCode",
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
    0)::"PlaceFigures";
END
$$;
