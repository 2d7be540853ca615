// The figures officials report: coverage and outcomes per region, live and for a quarter. The
// statement (statement.ts) counts in the database, one row per child region; summed here into the
// totals, a region's figures are by construction the sums of its children's and its unplaced
// workers'. Who may see a region is the verbs' own rule (figuresFor, quarterlyFigures).
import type { AppDeps } from "../../deps.ts";
import type { SqlRunner } from "../../db/sql.ts";
import { chinaQuarter, parseQuarter, previousQuarter, type Quarter } from "../../shared/china-time.ts";
import { invalid, notFound } from "../../shared/errors.ts";
import { InFlight } from "../../shared/in-flight.ts";
import { ANY_OPERATOR, requireRegion, verb, type VerbContext } from "../context.ts";
import { CHILD_CODE_LENGTH, FIGURE_COLUMNS, FLOW_COLUMNS, quarterlyStatsQuery, quarterSnapshotQuery, reportAsOf, runFigures, statsQuery, type FigureCounts, type FlowCounts } from "./statement.ts";

type Deps = Pick<AppDeps, "sql">;

// ---------------------------------------------------------------------------------------------------
// Regions

export interface RegionRef {
  code: string;
  name: string;
  level: number;
}

async function regionAndChildren(sql: SqlRunner, code: string): Promise<{ region: RegionRef; children: RegionRef[] }> {
  const rows = await sql.query<RegionRef & { parentCode: string | null }>(
    `SELECT code, name, level, "parentCode" FROM "Region" WHERE code = $1 OR "parentCode" = $1 ORDER BY level, code`,
    [code],
  );
  const region = rows.find((row) => row.code === code);
  if (!region) throw notFound(`region ${code}`);
  const strip = ({ code, name, level }: RegionRef) => ({ code, name, level });
  return { region: strip(region), children: rows.filter((row) => row.code !== code).map(strip) };
}

// ---------------------------------------------------------------------------------------------------
// From counts to figures

export interface Targets {
  /** of the roster's people, those who have talked to the service */
  reachCoverage: number | null;
  matchedPushCoverage: number | null;
  trainingOfferCoverage: number | null;
  planCoverage: number | null;
  pensionCoverage: number | null;
  employmentRate: number | null;
}

export interface Figures {
  /** onRoster + selfRegistered */
  registered: number;
  onRoster: number;
  /** registered and not (or no longer) on the roster */
  selfRegistered: number;
  /** have talked to the service */
  reached: number;
  wantWork: number;
  employed: { local: number; inProvince: number; outOfProvince: number };
  selfEmployed: number;
  trained: number;
  pensionEnrolled: number;
  withPlan: number;
  pushesDelivered: number;
  openWarnings: number;
  /** percent, one decimal; null when nobody is in the denominator */
  targets: Targets;
  /** each target's numerator and denominator, so that they too add up across regions */
  targetCounts: Record<keyof Targets, { covered: number; of: number }>;
}

export interface RegionStats extends Figures {
  region: RegionRef;
  asOf: string;
  children: (Figures & { region: RegionRef })[];
  /**
   * Workers of the region in none of its child regions (their code stops at this level, or names a
   * sub-region the region table does not know): the totals are the children's sums plus these.
   * Null for a village, which has no children.
   */
  unplaced: Figures | null;
}

const percent = (covered: number, of: number) => (of === 0 ? null : Math.round((covered / of) * 1000) / 10);

const zeroCounts = (): FigureCounts => Object.fromEntries(Object.keys(FIGURE_COLUMNS).map((key) => [key, 0])) as unknown as FigureCounts;

function addCounts<T extends object>(into: T, from: T): T {
  for (const key of Object.keys(into) as (keyof T)[]) (into[key] as number) += from[key] as number;
  return into;
}

function figuresOf(counts: FigureCounts): Figures {
  // Every target counts over the base: the roster's people where the place has a roster.
  const targetCounts = {
    reachCoverage: { covered: counts.rosterReached, of: counts.onRoster },
    matchedPushCoverage: { covered: counts.awaySeekersPushed, of: counts.awaySeekers },
    trainingOfferCoverage: { covered: counts.trainingWantedOffered, of: counts.trainingWanted },
    planCoverage: { covered: counts.baseSeekersWithPlan, of: counts.baseSeekers },
    pensionCoverage: { covered: counts.pensionDueEnrolled, of: counts.pensionDue },
    employmentRate: { covered: counts.baseEmployed, of: counts.base },
  };
  return {
    registered: counts.registered,
    onRoster: counts.onRoster,
    selfRegistered: counts.registered - counts.onRoster,
    reached: counts.reached,
    wantWork: counts.wantWork,
    employed: { local: counts.employedLocal, inProvince: counts.employedInProvince, outOfProvince: counts.employedOutOfProvince },
    selfEmployed: counts.selfEmployed,
    trained: counts.trained,
    pensionEnrolled: counts.pensionEnrolled,
    withPlan: counts.withPlan,
    pushesDelivered: counts.pushesDelivered,
    openWarnings: counts.openWarnings,
    targets: Object.fromEntries(Object.entries(targetCounts).map(([key, { covered, of }]) => [key, percent(covered, of)])) as unknown as Targets,
    targetCounts,
  };
}

const readColumns = <T>(row: Record<string, unknown>, columns: Record<string, string>): T =>
  Object.fromEntries(Object.entries(columns).map(([key, column]) => [key, Number(row[column] ?? 0)])) as T;

interface Breakdown<T> {
  total: T;
  children: Map<string, T>;
  unplaced: T;
}

/** Sums the statement's rows (one per child-code prefix) into children, the unplaced rest and the total. */
function breakDown<T extends object>(rows: Record<string, unknown>[], children: RegionRef[], columns: Record<string, string>, zero: () => T): Breakdown<T> {
  const result: Breakdown<T> = { total: zero(), children: new Map(children.map((child) => [child.code, zero()])), unplaced: zero() };
  for (const row of rows) {
    const counts = readColumns<T>(row, columns);
    addCounts(result.total, counts);
    addCounts(result.children.get(String(row.child)) ?? result.unplaced, counts);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Counting

/** The live figures of a region and of each of its child regions. Throws not_found for an unknown region. */
export async function regionStats(deps: Deps, code: string, options: { now: Date; from?: "kept" | "workers" }): Promise<RegionStats> {
  const { region, children } = await regionAndChildren(deps.sql, code);
  const rows = await runFigures(deps.sql, statsQuery(code, options.now, options.from));
  const counts = breakDown(rows, children, FIGURE_COLUMNS, zeroCounts);
  const hasChildren = CHILD_CODE_LENGTH[code.length] !== undefined;
  return {
    region,
    asOf: options.now.toISOString(),
    ...figuresOf(counts.total),
    children: children.map((child) => ({ region: child, ...figuresOf(counts.children.get(child.code)!) })),
    unplaced: hasChildren ? figuresOf(counts.unplaced) : null,
  };
}

export interface QuarterlyRow {
  /** a child region, the unplaced rest, or the total */
  kind: "child" | "unplaced" | "total";
  region: RegionRef;
  figures: Figures;
  flows: FlowCounts;
}

export interface QuarterlyReport {
  region: RegionRef;
  quarter: Quarter;
  asOf: Date;
  rows: QuarterlyRow[];
}

/** The figures as of the quarter's end (or now, while it runs) and the quarter's flows, per child region. */
export async function quarterlyReport(deps: Deps, code: string, quarter: Quarter, options: { now: Date; from?: "kept" | "workers" }): Promise<QuarterlyReport> {
  if (quarter.start.getTime() > options.now.getTime()) throw invalid(`the quarter ${quarter.label} has not begun`);
  const { region, children } = await regionAndChildren(deps.sql, code);
  const rows = await runFigures(deps.sql, await quarterlyStatsQuery(deps.sql, code, quarter, options.now, options.from));
  const counts = breakDown(rows, children, FIGURE_COLUMNS, zeroCounts);
  const flows = breakDown(rows, children, FLOW_COLUMNS, () => ({ newlyRegistered: 0, hires: 0, trainingsCompleted: 0, pushesDelivered: 0 }));
  const hasChildren = CHILD_CODE_LENGTH[code.length] !== undefined;
  const childRows: QuarterlyRow[] = children.map((child) => ({
    kind: "child",
    region: child,
    figures: figuresOf(counts.children.get(child.code)!),
    flows: flows.children.get(child.code)!,
  }));
  const unplacedRow: QuarterlyRow[] = hasChildren
    ? [{ kind: "unplaced", region, figures: figuresOf(counts.unplaced), flows: flows.unplaced }]
    : [];
  return {
    region,
    quarter,
    asOf: reportAsOf(quarter, options.now),
    rows: [...childRows, ...unplacedRow, { kind: "total", region, figures: figuresOf(counts.total), flows: flows.total }],
  };
}

/**
 * Folds the changes appended to PlaceFiguresChange into PlaceFigures (the figures_fold function, one
 * statement): the live figures are the same before and after, only cheaper to add up.
 */
export async function foldPlaceFigures(sql: SqlRunner): Promise<number> {
  const [row] = await sql.query<{ places: number }>(`SELECT "figures_fold"() AS places`);
  return row?.places ?? 0;
}

/**
 * Writes the report of the quarter before the one `now` falls in, once (figures.quarter): after it,
 * that quarter's report adds up places' rows instead of counting every worker as they stood.
 */
export async function keepEndedQuarter(sql: SqlRunner, now: Date): Promise<string> {
  const ended = previousQuarter(chinaQuarter(now));
  await runFigures(sql, quarterSnapshotQuery(ended));
  return ended.label;
}

// ---------------------------------------------------------------------------------------------------
// The verbs

// A province's figures scan a million workers: the same request from many screens at once runs
// once (per database), after each caller's own access check.
const liveFigures = new WeakMap<SqlRunner, InFlight<RegionStats>>();
const reports = new WeakMap<SqlRunner, InFlight<QuarterlyReport>>();
const sharedOn = <T>(table: WeakMap<SqlRunner, InFlight<T>>, sql: SqlRunner): InFlight<T> => {
  let shared = table.get(sql);
  if (!shared) table.set(sql, (shared = new InFlight<T>()));
  return shared;
};

/** The coverage and outcome figures of a region in the actor's regions, and of each of its children, now. */
export const figuresFor = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { region: string }) => {
  requireRegion(ctx.actor, input.region);
  return sharedOn(liveFigures, ctx.sql).run(input.region, () => regionStats(ctx, input.region, { now: ctx.clock() }));
});

/** The quarterly report of a region: its figures as of the quarter's end (now while it runs) and the quarter's flows. */
export const quarterlyFigures = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { region: string; quarter: string }) => {
  requireRegion(ctx.actor, input.region);
  const quarter = parseQuarter(input.quarter);
  if (!quarter) throw invalid(`not a quarter: ${input.quarter}`);
  return sharedOn(reports, ctx.sql).run(`${input.region}:${quarter.label}`, () => quarterlyReport(ctx, input.region, quarter, { now: ctx.clock() }));
});
