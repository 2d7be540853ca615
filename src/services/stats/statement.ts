// The one statement the figures are counted with: one row per child region (the prefix of the
// worker's home region code one level down), every figure "as of" an instant — now for the live
// figures, the quarter's end for a report. Rows that carry a date are counted as they stood then;
// so are a worker's place, employment, wishes and pension enrolment, from the history a trigger
// keeps of them (WorkerFiguresChange).
import type { SqlRunner } from "../../db/sql.ts";
import { chinaMidnight, chinaWallClock, type Quarter } from "../../shared/china-time.ts";

// ---------------------------------------------------------------------------------------------------
// What is counted

/** Counts that add up across regions: every figure and every target's numerator and denominator. */
export interface FigureCounts {
  registered: number;
  wantWork: number;
  employedLocal: number;
  employedInProvince: number;
  employedOutOfProvince: number;
  selfEmployed: number;
  trained: number;
  pensionEnrolled: number;
  withPlan: number;
  pushesDelivered: number;
  openWarnings: number;
  /** seeking workers who will work away from home (workRange province or anywhere) */
  awaySeekers: number;
  awaySeekersPushed: number;
  trainingWanted: number;
  trainingWantedOffered: number;
  seekersWithPlan: number;
  /** registered, lifted or monitored poor aged 60 or more (birth date known) */
  pensionDue: number;
  pensionDueEnrolled: number;
  /** on the county's roster at the instant (the rest of `registered` came by themselves) */
  onRoster: number;
  /** have talked to the service (a chat of theirs has written) */
  reached: number;
  rosterReached: number;
  /**
   * The targets' base: the roster's people where a roster was imported for the place, everyone
   * registered where none was. `base…` are the counts over it that are figures of their own too.
   */
  base: number;
  baseEmployed: number;
  baseSeekers: number;
  baseSeekersWithPlan: number;
}

/** What happened within a quarter, for the quarterly report. */
export interface FlowCounts {
  newlyRegistered: number;
  hires: number;
  trainingsCompleted: number;
  pushesDelivered: number;
}

export const FIGURE_COLUMNS: Record<keyof FigureCounts, string> = {
  registered: "registered",
  wantWork: "want_work",
  employedLocal: "employed_local",
  employedInProvince: "employed_in_province",
  employedOutOfProvince: "employed_out_of_province",
  selfEmployed: "self_employed",
  trained: "trained",
  pensionEnrolled: "pension_enrolled",
  withPlan: "with_plan",
  pushesDelivered: "pushes_delivered",
  openWarnings: "open_warnings",
  awaySeekers: "away_seekers",
  awaySeekersPushed: "away_seekers_pushed",
  trainingWanted: "training_wanted",
  trainingWantedOffered: "training_wanted_offered",
  seekersWithPlan: "seekers_with_plan",
  pensionDue: "pension_due",
  pensionDueEnrolled: "pension_due_enrolled",
  onRoster: "on_roster",
  reached: "reached",
  rosterReached: "roster_reached",
  base: "base",
  baseEmployed: "base_employed",
  baseSeekers: "base_seekers",
  baseSeekersWithPlan: "base_seekers_with_plan",
};

export const FLOW_COLUMNS: Record<keyof FlowCounts, string> = {
  newlyRegistered: "flow_registered",
  hires: "flow_hires",
  trainingsCompleted: "flow_trainings_completed",
  pushesDelivered: "flow_pushes_delivered",
};

// ---------------------------------------------------------------------------------------------------
// The statement

/** Parameters, by position: see `figuresParameters`. */
const CODE = "$1::text";
const CHILD_LENGTH = "$2::int";
const AS_OF = "$3::timestamp";
const YEAR_START = "$4::timestamp";
const PENSION_BORN_BY = "$5::date";
const PERIOD_START = "$6::timestamp";
const PERIOD_END = "$7::timestamp";

/** In the targets' base (see FigureCounts.base): on the roster, or where no roster was imported. */
const IN_BASE = "(on_roster OR roster_less)";

const COUNTED = `"employmentStatus", "workRange", "wantsTraining", "pensionEnrolled", "povertyStatus", "birthDate", "employedSince"`;
const counted = (alias: string) => COUNTED.split(", ").map((column) => `${alias}.${column}`).join(", ");

/**
 * Where the worker stands to the roster at the instant: on it (listed, not yet left), reached (a
 * chat of theirs has written; its creation stands for when), and whether their place had no roster
 * imported — then everyone registered there is the targets' base. Joins, not a subquery per worker:
 * each is unique on the worker, so an aggregate that reads none of these columns has the join
 * removed by the planner, and the others hash it once; the covered places are one small array.
 */
const rosterColumns = (home: string) => `,
       r."workerId" IS NOT NULL AS on_roster,
       i."workerId" IS NOT NULL AS reached,
       coalesce(substr(${home}, 1, 4) <> ALL (${ROSTER_PLACES}) AND substr(${home}, 1, 6) <> ALL (${ROSTER_PLACES}), true) AS roster_less`;
const rosterJoins = (id: string) => `
       LEFT JOIN "RosterEntry" r ON r."workerId" = ${id} AND r."createdAt" < ${AS_OF} AND (r."leftAt" IS NULL OR r."leftAt" >= ${AS_OF})
       LEFT JOIN (SELECT DISTINCT "workerId" FROM "ChannelIdentity"
                  WHERE "workerId" IS NOT NULL AND "lastInboundAt" IS NOT NULL AND "createdAt" < ${AS_OF}) i ON i."workerId" = ${id}`;
/** The counties and cities a roster was imported for by the instant. */
const ROSTER_PLACES = `ARRAY(SELECT "regionCode" FROM "RosterImport" WHERE status = 'done' AND "finishedAt" < ${AS_OF})`;

/** The workers of the region as they are now, registered before the instant (and `also`). */
const workersAsTheyAre = (also = "") => `SELECT w.id, substr(w."homeRegionCode", 1, ${CHILD_LENGTH}) AS child, ${counted("w")}, w."createdAt"${rosterColumns(`w."homeRegionCode"`)}
       FROM "Worker" w${rosterJoins("w.id")}
       WHERE w."homeRegionCode" >= ${CODE} AND w."homeRegionCode" < (${CODE} || 'z') AND w."createdAt" < ${AS_OF}${also}`;

/** The live figures' instant is now: the workers as they are. */
const workersNowSql = () => `scope AS NOT MATERIALIZED (
       ${workersAsTheyAre()}
     )`;

/**
 * The workers of the region as they stood at the instant (a quarter's end): one who changed since
 * is counted with the fields their first change after it replaced (WorkerFiguresChange, written by
 * a trigger), in the place they lived then; everyone else as they are. Both parts are plain
 * subqueries: a CTE would keep every aggregate from running in parallel.
 */
const workersAsOfSql = () => `scope AS NOT MATERIALIZED (
       ${workersAsTheyAre(`
         AND NOT EXISTS (SELECT 1 FROM "WorkerFiguresChange" c WHERE c."workerId" = w.id AND c."changedAt" >= ${AS_OF})`)}
       UNION ALL
       -- the first change at or after the instant, of those whose place then was in the region
       SELECT c."workerId", substr(c."homeRegionCode", 1, ${CHILD_LENGTH}) AS child, ${counted("c")}, c."registeredAt"${rosterColumns(`c."homeRegionCode"`)}
       FROM "WorkerFiguresChange" c${rosterJoins(`c."workerId"`)}
       WHERE c."homeRegionCode" >= ${CODE} AND c."homeRegionCode" < (${CODE} || 'z') AND c."changedAt" >= ${AS_OF} AND c."registeredAt" < ${AS_OF}
         AND NOT EXISTS (SELECT 1 FROM "WorkerFiguresChange" e
                         WHERE e."workerId" = c."workerId" AND e."changedAt" >= ${AS_OF} AND (e."changedAt", e.id) < (c."changedAt", c.id))
     )`;

/**
 * One statement, one aggregate per definition, each grouped by the child region. `scope` is inlined
 * into every aggregate (NOT MATERIALIZED), so each can run in parallel and the planner picks per
 * definition: index probes by worker for a township, hash joins over whole tables for a province.
 * The region is a range on the code (the plain btree index serves it whatever the collation).
 */
function figuresSql(withFlows: boolean, changedSince = false): string {
  const flowPeople = withFlows
    ? `,
         count(*) FILTER (WHERE "createdAt" >= ${PERIOD_START})::int AS flow_registered`
    : "";
  const flowPushes = withFlows ? `,\n         count(*) FILTER (WHERE n."sentAt" >= ${PERIOD_START})::int AS flow_pushes_delivered` : "";
  const flowTrainings = withFlows
    ? `,
     -- Hires are the employers' marks (a later job loss does not undo that a hire happened).
     hired_in_period AS (
       SELECT s.child, count(*)::int AS flow_hires
       FROM "Application" a JOIN scope s ON s.id = a."workerId"
       WHERE a.status = 'hired' AND a."hiredAt" >= ${PERIOD_START} AND a."hiredAt" < ${PERIOD_END}
       GROUP BY s.child
     ),
     completed_in_period AS (
       SELECT s.child, count(*)::int AS flow_trainings_completed
       FROM "TrainingEnrolment" e JOIN scope s ON s.id = e."workerId"
       WHERE e.status = 'completed' AND e."completedAt" >= ${PERIOD_START} AND e."completedAt" < ${PERIOD_END}
       GROUP BY s.child
     )`
    : "";
  const flowColumns = withFlows
    ? `, coalesce(people.flow_registered, 0) AS flow_registered, coalesce(hired_in_period.flow_hires, 0) AS flow_hires,
       coalesce(delivered.flow_pushes_delivered, 0) AS flow_pushes_delivered,
       coalesce(completed_in_period.flow_trainings_completed, 0) AS flow_trainings_completed`
    : "";
  return `
     WITH ${changedSince ? workersAsOfSql() : workersNowSql()},
     people AS (
       SELECT child,
         count(*)::int AS registered,
         count(*) FILTER (WHERE "employmentStatus" = 'seeking')::int AS want_work,
         count(*) FILTER (WHERE "employmentStatus" = 'employedLocal')::int AS employed_local,
         count(*) FILTER (WHERE "employmentStatus" = 'employedInProvince')::int AS employed_in_province,
         count(*) FILTER (WHERE "employmentStatus" = 'employedOutOfProvince')::int AS employed_out_of_province,
         count(*) FILTER (WHERE "employmentStatus" = 'selfEmployed')::int AS self_employed,
         count(*) FILTER (WHERE "pensionEnrolled")::int AS pension_enrolled,
         count(*) FILTER (WHERE ${IN_BASE} AND "employmentStatus" = 'seeking' AND "workRange" IN ('province', 'anywhere'))::int AS away_seekers,
         count(*) FILTER (WHERE ${IN_BASE} AND "wantsTraining")::int AS training_wanted,
         count(*) FILTER (WHERE ${IN_BASE} AND "birthDate" <= ${PENSION_BORN_BY} AND "povertyStatus" IN ('registered', 'lifted', 'monitored'))::int AS pension_due,
         count(*) FILTER (WHERE ${IN_BASE} AND "birthDate" <= ${PENSION_BORN_BY} AND "povertyStatus" IN ('registered', 'lifted', 'monitored')
                          AND "pensionEnrolled")::int AS pension_due_enrolled,
         -- a worker has at most one plan: joined here, it costs no scan of its own
         count(p."workerId")::int AS with_plan,
         count(p."workerId") FILTER (WHERE s."employmentStatus" = 'seeking')::int AS seekers_with_plan,
         count(*) FILTER (WHERE on_roster)::int AS on_roster,
         count(*) FILTER (WHERE reached)::int AS reached,
         count(*) FILTER (WHERE reached AND on_roster)::int AS roster_reached,
         count(*) FILTER (WHERE ${IN_BASE})::int AS base,
         count(*) FILTER (WHERE ${IN_BASE} AND "employmentStatus" IN ('employedLocal', 'employedInProvince', 'employedOutOfProvince', 'selfEmployed'))::int AS base_employed,
         count(*) FILTER (WHERE ${IN_BASE} AND "employmentStatus" = 'seeking')::int AS base_seekers,
         count(p."workerId") FILTER (WHERE ${IN_BASE} AND s."employmentStatus" = 'seeking')::int AS base_seekers_with_plan${flowPeople}
       FROM scope s
       -- open at the instant: opened before it, and open still or closed after it
       LEFT JOIN "AssistancePlan" p ON p."workerId" = s.id AND p."openedAt" < ${AS_OF} AND (p.status = 'open' OR p."closedAt" >= ${AS_OF})
       GROUP BY child
     ),
     trained AS (
       SELECT child, count(*)::int AS trained FROM scope s
       WHERE EXISTS (SELECT 1 FROM "TrainingEnrolment" e
                     WHERE e."workerId" = s.id AND e.status = 'completed' AND (e."completedAt" IS NULL OR e."completedAt" < ${AS_OF}))
       GROUP BY child
     ),
     -- Pushes are counted where the worker lived when they were sent (the notice keeps it): an
     -- activity of that place, and no join with the workers.
     delivered AS (
       SELECT substr(n."regionCode", 1, ${CHILD_LENGTH}) AS child, count(*)::int AS pushes_delivered${flowPushes}
       FROM "Notice" n
       WHERE n.kind = 'job_push' AND n."regionCode" >= ${CODE} AND n."regionCode" < (${CODE} || 'z')
         AND n."sentAt" < ${AS_OF} AND n.delivery IN ('sent', 'delivered')
       GROUP BY 1
     ),
     pushed AS (
       SELECT child, count(*)::int AS away_seekers_pushed FROM scope s
       WHERE ${IN_BASE} AND s."employmentStatus" = 'seeking' AND s."workRange" IN ('province', 'anywhere')
         -- reached them: sent by then (not only queued, nor failed)
         AND EXISTS (SELECT 1 FROM "Notice" n WHERE n."workerId" = s.id AND n.kind = 'job_push' AND n."sentAt" < ${AS_OF})
       GROUP BY child
     ),
     offered AS (
       SELECT child, count(*)::int AS training_wanted_offered FROM scope s
       WHERE ${IN_BASE} AND s."wantsTraining"
         AND EXISTS (SELECT 1 FROM "Notice" n JOIN "TrainingCourse" c ON c.id = n."courseId"
                     WHERE n."workerId" = s.id AND n.kind = 'training_offer' AND c.free
                       AND n."sentAt" >= ${YEAR_START} AND n."sentAt" < ${AS_OF})
       GROUP BY child
     ),
     warned AS (
       -- open at the instant: raised before it, and open still or done after it
       SELECT s.child, count(*)::int AS open_warnings
       FROM "PlanTask" t JOIN "AssistancePlan" p ON p.id = t."planId" JOIN scope s ON s.id = p."workerId"
       WHERE t.kind = 'job_loss_warning' AND t."createdAt" < ${AS_OF} AND (t.status = 'open' OR t."doneAt" >= ${AS_OF})
       GROUP BY s.child
     )${flowTrainings}
     -- Every child with workers, and those with pushes only (all their workers have moved away since).
     SELECT children.child, coalesce(people.registered, 0) AS registered, coalesce(people.want_work, 0) AS want_work,
       coalesce(people.employed_local, 0) AS employed_local, coalesce(people.employed_in_province, 0) AS employed_in_province,
       coalesce(people.employed_out_of_province, 0) AS employed_out_of_province, coalesce(people.self_employed, 0) AS self_employed,
       coalesce(trained.trained, 0) AS trained, coalesce(people.pension_enrolled, 0) AS pension_enrolled,
       coalesce(people.with_plan, 0) AS with_plan, coalesce(delivered.pushes_delivered, 0) AS pushes_delivered,
       coalesce(warned.open_warnings, 0) AS open_warnings, coalesce(people.away_seekers, 0) AS away_seekers,
       coalesce(pushed.away_seekers_pushed, 0) AS away_seekers_pushed, coalesce(people.training_wanted, 0) AS training_wanted,
       coalesce(offered.training_wanted_offered, 0) AS training_wanted_offered, coalesce(people.seekers_with_plan, 0) AS seekers_with_plan,
       coalesce(people.pension_due, 0) AS pension_due, coalesce(people.pension_due_enrolled, 0) AS pension_due_enrolled,
       coalesce(people.on_roster, 0) AS on_roster, coalesce(people.reached, 0) AS reached, coalesce(people.roster_reached, 0) AS roster_reached,
       coalesce(people.base, 0) AS base, coalesce(people.base_employed, 0) AS base_employed, coalesce(people.base_seekers, 0) AS base_seekers,
       coalesce(people.base_seekers_with_plan, 0) AS base_seekers_with_plan${flowColumns}
     FROM (SELECT child FROM people UNION SELECT child FROM delivered) AS children
     LEFT JOIN people USING (child)
     LEFT JOIN trained USING (child) LEFT JOIN delivered USING (child)
     LEFT JOIN pushed USING (child) LEFT JOIN offered USING (child) LEFT JOIN warned USING (child)${withFlows ? " LEFT JOIN hired_in_period USING (child) LEFT JOIN completed_in_period USING (child)" : ""}
     ORDER BY children.child`;
}

const placeIsRosterLess = (code: string) =>
  `coalesce(substr(${code}, 1, 4) <> ALL (places.codes) AND substr(${code}, 1, 6) <> ALL (places.codes), true)`;
const PLACE_COLUMNS = `"regionCode", registered, "wantWork", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed",
         trained, "pensionEnrolled", "withPlan", "openWarnings", "seekersWithPlan", "onRoster", reached, "rosterReached",
         "awaySeekersAll", "awaySeekersRostered", "awayPushedAll", "awayPushedRostered", "trainingWantedAll", "trainingWantedRostered",
         "employedAll", "employedRostered", "seekersRostered", "seekersWithPlanRostered", "pushesDelivered"`;
const inBase = (all: string, rostered: string) => `sum(CASE WHEN roster_less THEN ${all} ELSE ${rostered} END)::int`;

/**
 * A running quarter's flows, beside the kept figures: each counted from the rows of the period
 * alone (partial indexes by time), the workers where they live now, as the statement counts them.
 */
const inRegion = (code: string) => `${code} >= ${CODE} AND ${code} < (${CODE} || 'z')`;
const QUARTER_FLOWS = `,
     registered_in_period AS (
       SELECT substr(w."homeRegionCode", 1, ${CHILD_LENGTH}) AS child, count(*)::int AS flow_registered
       FROM "Worker" w
       WHERE w."createdAt" >= ${PERIOD_START} AND w."createdAt" < ${AS_OF} AND ${inRegion(`w."homeRegionCode"`)}
       GROUP BY 1
     ),
     hired_in_period AS (
       SELECT substr(w."homeRegionCode", 1, ${CHILD_LENGTH}) AS child, count(*)::int AS flow_hires
       FROM "Application" a JOIN "Worker" w ON w.id = a."workerId"
       WHERE a.status = 'hired' AND a."hiredAt" >= ${PERIOD_START} AND a."hiredAt" < ${PERIOD_END}
         AND w."createdAt" < ${AS_OF} AND ${inRegion(`w."homeRegionCode"`)}
       GROUP BY 1
     ),
     completed_in_period AS (
       SELECT substr(w."homeRegionCode", 1, ${CHILD_LENGTH}) AS child, count(*)::int AS flow_trainings_completed
       FROM "TrainingEnrolment" e JOIN "Worker" w ON w.id = e."workerId"
       WHERE e.status = 'completed' AND e."completedAt" >= ${PERIOD_START} AND e."completedAt" < ${PERIOD_END}
         AND w."createdAt" < ${AS_OF} AND ${inRegion(`w."homeRegionCode"`)}
       GROUP BY 1
     ),
     delivered_in_period AS (
       SELECT substr(n."regionCode", 1, ${CHILD_LENGTH}) AS child, count(*)::int AS flow_pushes_delivered
       FROM "Notice" n
       WHERE n.kind = 'job_push' AND ${inRegion(`n."regionCode"`)} AND n."sentAt" >= ${PERIOD_START} AND n."sentAt" < ${AS_OF}
         AND n.delivery IN ('sent', 'delivered')
       GROUP BY 1
     )`;
const FLOW_SUMS = `, coalesce(registered_in_period.flow_registered, 0) AS flow_registered, coalesce(hired_in_period.flow_hires, 0) AS flow_hires,
       coalesce(completed_in_period.flow_trainings_completed, 0) AS flow_trainings_completed,
       coalesce(delivered_in_period.flow_pushes_delivered, 0) AS flow_pushes_delivered`;
/**
 * The live figures from what the database keeps current (the figures_rollup migration): each
 * place's row of PlaceFigures, with the changes not yet folded into it, summed by child region; the
 * two figures that move with the date alone (who is 60 by today, who was offered a free course this
 * year) counted from WorkerFigures. Where a count is over the targets' base, the place's roster
 * decides which of its two sums applies, as the statement decides it worker by worker. Equal to
 * LIVE_SQL for every region (test/services/figures-rollup.test.ts), without reading a worker.
 */
function rollupSql(withFlows: boolean): string {
  return `
     WITH places AS (SELECT ${ROSTER_PLACES} AS codes),
     place_rows AS (
       SELECT ${PLACE_COLUMNS} FROM "PlaceFigures" WHERE ${inRegion(`"regionCode"`)}
       UNION ALL
       SELECT ${PLACE_COLUMNS} FROM "PlaceFiguresChange" WHERE ${inRegion(`"regionCode"`)}
     ),
     people AS (
       SELECT substr(r."regionCode", 1, ${CHILD_LENGTH}) AS child, r.*, ${placeIsRosterLess(`r."regionCode"`)} AS roster_less
       FROM place_rows r, places
     ),
     summed AS (
       SELECT child,
         sum(registered)::int AS registered, sum("wantWork")::int AS want_work, sum("employedLocal")::int AS employed_local,
         sum("employedInProvince")::int AS employed_in_province, sum("employedOutOfProvince")::int AS employed_out_of_province,
         sum("selfEmployed")::int AS self_employed, sum(trained)::int AS trained, sum("pensionEnrolled")::int AS pension_enrolled,
         sum("withPlan")::int AS with_plan, sum("pushesDelivered")::int AS pushes_delivered, sum("openWarnings")::int AS open_warnings,
         ${inBase(`"awaySeekersAll"`, `"awaySeekersRostered"`)} AS away_seekers, ${inBase(`"awayPushedAll"`, `"awayPushedRostered"`)} AS away_seekers_pushed,
         ${inBase(`"trainingWantedAll"`, `"trainingWantedRostered"`)} AS training_wanted, sum("seekersWithPlan")::int AS seekers_with_plan,
         sum("onRoster")::int AS on_roster, sum(reached)::int AS reached, sum("rosterReached")::int AS roster_reached,
         ${inBase("registered", `"onRoster"`)} AS base, ${inBase(`"employedAll"`, `"employedRostered"`)} AS base_employed,
         ${inBase(`"wantWork"`, `"seekersRostered"`)} AS base_seekers, ${inBase(`"seekersWithPlan"`, `"seekersWithPlanRostered"`)} AS base_seekers_with_plan
       FROM people GROUP BY child
     ),
     pension AS (
       SELECT substr(f."homeRegionCode", 1, ${CHILD_LENGTH}) AS child,
         count(*) FILTER (WHERE f."onRoster" OR ${placeIsRosterLess(`f."homeRegionCode"`)})::int AS pension_due,
         count(*) FILTER (WHERE (f."onRoster" OR ${placeIsRosterLess(`f."homeRegionCode"`)}) AND f."pensionEnrolled")::int AS pension_due_enrolled
       FROM "WorkerFigures" f, places
       WHERE f."povertyStatus" IN ('registered', 'lifted', 'monitored') AND f."birthDate" <= ${PENSION_BORN_BY}
         AND ${inRegion(`f."homeRegionCode"`)}
       GROUP BY 1
     ),
     offered AS (
       SELECT substr(f."homeRegionCode", 1, ${CHILD_LENGTH}) AS child,
         count(*) FILTER (WHERE f."onRoster" OR ${placeIsRosterLess(`f."homeRegionCode"`)})::int AS training_wanted_offered
       FROM "WorkerFigures" f, places
       WHERE f."wantsTraining" AND f."lastFreeOfferAt" >= ${YEAR_START} AND f."lastFreeOfferAt" < ${AS_OF}
         AND ${inRegion(`f."homeRegionCode"`)}
       GROUP BY 1
     )${withFlows ? QUARTER_FLOWS : ""}
     SELECT summed.*, coalesce(pension.pension_due, 0) AS pension_due, coalesce(pension.pension_due_enrolled, 0) AS pension_due_enrolled,
       coalesce(offered.training_wanted_offered, 0) AS training_wanted_offered${withFlows ? FLOW_SUMS : ""}
     FROM summed LEFT JOIN pension USING (child) LEFT JOIN offered USING (child)${withFlows ? " LEFT JOIN registered_in_period USING (child) LEFT JOIN hired_in_period USING (child) LEFT JOIN completed_in_period USING (child) LEFT JOIN delivered_in_period USING (child)" : ""}
     ORDER BY child`;
}

const ROLLUP_SQL = rollupSql(false);
/** A running quarter's report: the kept figures (as of now) and the quarter's flows. */
const ROLLUP_QUARTER_SQL = rollupSql(true);
const LIVE_SQL = figuresSql(false);
const QUARTERLY_SQL = figuresSql(true);
/** A quarter some workers changed since: they are counted as they stood at its end. */
const QUARTERLY_AS_THEN_SQL = figuresSql(true, true);

// ---------------------------------------------------------------------------------------------------
// Time: the figures are about days and years in China (UTC+8, no daylight saving). Timestamps are
// stored as UTC without a zone, so instants go to the database as UTC wall-clock text.

const utcTimestamp = (at: Date) => at.toISOString().slice(0, 23);

function chinaDate(at: Date): { year: number; month: number; day: number } {
  const china = chinaWallClock(at);
  return { year: china.getUTCFullYear(), month: china.getUTCMonth() + 1, day: china.getUTCDate() };
}

/**
 * The statement's parameters for figures as of `asOf`: the training-offer target counts offers of
 * the calendar year the instant falls in; the pension target counts those 60 or older on its date.
 */
function figuresParameters(code: string, childLength: number, asOf: Date, period?: Quarter): unknown[] {
  // The last moment counted decides the day: figures as of a quarter's end are about its last day.
  const day = chinaDate(new Date(asOf.getTime() - 1));
  const bornBy = `${String(day.year - 60).padStart(4, "0")}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`;
  const parameters: unknown[] = [code, childLength, utcTimestamp(asOf), utcTimestamp(chinaMidnight(day.year, 0)), bornBy];
  if (period) parameters.push(utcTimestamp(period.start), utcTimestamp(period.end));
  return parameters;
}

/** Code length of each level's children: province → city → county → township → village. */
export const CHILD_CODE_LENGTH: Record<number, number | undefined> = { 2: 4, 4: 6, 6: 9, 9: 12 };
/** The length of a region's children's codes (a village's own length: it has none). */
const childLength = (code: string) => CHILD_CODE_LENGTH[code.length] ?? code.length;

/** A query the service sends, exactly: for the benchmark, which times it raw beside the endpoint. */
export interface StatsQuery {
  text: string;
  values: unknown[];
}

/**
 * Session settings the statement runs with, in its own transaction. JIT off: PostgreSQL's default
 * (on above a cost of 100,000) compiles the expressions of every aggregate in every parallel worker,
 * which cost the province 1–3 s in bench:stats for a statement of a few seconds. Planned for its
 * values: the service's connections plan every statement with parameters generically (GENERIC_PLANS),
 * and a plan that does not know whether it counts a township or a province took the province's kept
 * figures from 113 to 210 ms on bench:stats' million workers (a county alike either way).
 */
export const STATS_SESSION = "SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan";

export async function runFigures(sql: SqlRunner, query: StatsQuery): Promise<Record<string, unknown>[]> {
  return sql.transaction(async (tx) => {
    await tx.exec(STATS_SESSION);
    return tx.query(query.text, query.values);
  });
}

/** The live figures of a region: from the kept rows (the service's), or counted again from every worker (to check them, and in bench:stats). */
export function statsQuery(code: string, asOf: Date, from: "kept" | "workers" = "kept"): StatsQuery {
  return { text: from === "kept" ? ROLLUP_SQL : LIVE_SQL, values: figuresParameters(code, childLength(code), asOf) };
}

/**
 * The report's statement. A quarter still running is as of now: the kept figures and the quarter's
 * flows (or, `from: "workers"`, the statement over the workers as they are, which they equal). A
 * quarter ended: its places' rows written when it ended, or (none written, or `from: "workers"`)
 * the statement over the workers as they stood at its end, or as they are where none changed since.
 */
export async function quarterlyStatsQuery(sql: SqlRunner, code: string, quarter: Quarter, now: Date, from: "kept" | "workers" = "kept"): Promise<StatsQuery> {
  const asOf = reportAsOf(quarter, now);
  const values = figuresParameters(code, childLength(code), asOf, quarter);
  // A quarter still running is as of now: the workers as they are, which the kept figures are.
  if (asOf.getTime() === now.getTime()) return { text: from === "kept" ? ROLLUP_QUARTER_SQL : QUARTERLY_SQL, values };
  if (from === "kept") {
    const [kept] = await sql.query<{ written: boolean }>(`SELECT EXISTS (SELECT 1 FROM "QuarterFigures" WHERE quarter = $1) AS written`, [quarter.label]);
    if (kept?.written) return { text: QUARTER_KEPT_SQL, values: [code, childLength(code), quarter.label] };
  }
  const [since] = await sql.query<{ changed: boolean }>(`SELECT EXISTS (SELECT 1 FROM "WorkerFiguresChange" WHERE "changedAt" >= $1::timestamp) AS changed`, [utcTimestamp(asOf)]);
  return { text: since?.changed ? QUARTERLY_AS_THEN_SQL : QUARTERLY_SQL, values };
}

/** The statement's columns, which QuarterFigures keeps for each place of an ended quarter. */
const REPORT_COLUMNS = [...Object.values(FIGURE_COLUMNS), ...Object.values(FLOW_COLUMNS)];

/**
 * Writes an ended quarter's report for every place at once (a child code as long as a village's:
 * one row per home code), as the statement counts it as of the quarter's end; nothing when it was
 * written before. Run by the job figures.quarter once the quarter has ended.
 */
export function quarterSnapshotQuery(quarter: Quarter): StatsQuery {
  return {
    text: `INSERT INTO "QuarterFigures" (quarter, "regionCode", ${REPORT_COLUMNS.join(", ")})
           SELECT $8::text, child, ${REPORT_COLUMNS.join(", ")} FROM (${QUARTERLY_AS_THEN_SQL}) report
           WHERE NOT EXISTS (SELECT 1 FROM "QuarterFigures" WHERE quarter = $8::text)`,
    values: [...figuresParameters("", 12, quarter.end, quarter), quarter.label],
  };
}

/** An ended quarter's report from the places' rows written when it ended. */
const QUARTER_KEPT_SQL = `
     SELECT substr("regionCode", 1, $2::int) AS child, ${REPORT_COLUMNS.map((column) => `sum(${column})::int AS ${column}`).join(", ")}
     FROM "QuarterFigures"
     WHERE quarter = $3::text AND "regionCode" >= $1::text AND "regionCode" < ($1::text || 'z')
     GROUP BY 1 ORDER BY 1`;

/** A quarter still running is reported as of now. */
export const reportAsOf = (quarter: Quarter, now: Date) => (quarter.end.getTime() < now.getTime() ? quarter.end : now);

