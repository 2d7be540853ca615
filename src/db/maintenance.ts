// What PostgreSQL's autovacuum does, for a database where none runs: the embedded one (PGlite runs
// PostgreSQL in a single process, without its background workers) or a server where it is switched
// off. Without it no table is ever analysed, so a statement planned while a table was small keeps
// scanning it whole as it grows (bench:webhooks, on a fresh database: every chat identity scanned
// three times a turn, and on PGlite the turns twice as dear within minutes), and the dead rows that
// updates leave (sessions, the outbox) are not reclaimed.
import type { SqlRunner } from "./sql.ts";

type Maintained = { tables: number } | { skipped: "autovacuum runs" };

/** Whether the database's own autovacuum runs (its launcher is a process of the server). */
export async function autovacuumRuns(sql: SqlRunner): Promise<boolean> {
  const [state] = await sql.query<{ runs: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher') AS runs`);
  return state?.runs === true;
}

/** The tables maintained: all but the divisions (loaded once, never changed, and most of the time it would take). */
const TABLES = `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> 'Region'`;

/**
 * Tables that have doubled in size (and grown by at least eight pages) since they were last
 * analysed or vacuumed, which is when PostgreSQL records their size: cheap to find, and analysing
 * only those keeps the planner's idea of each table within a factor of two as it grows.
 */
const GROWN = `${TABLES} AND pg_relation_size(oid) / current_setting('block_size')::int > greatest(2 * relpages, relpages + 8)`;

const quotedName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `command` on each table `tables` lists, one at a time: the embedded database answers nothing else meanwhile, each only briefly. */
async function eachTable(sql: SqlRunner, tables: string, command: string): Promise<Maintained> {
  if (await autovacuumRuns(sql)) return { skipped: "autovacuum runs" };
  const names = await sql.query<{ name: string }>(`${tables} ORDER BY relname`);
  for (const { name } of names) await sql.exec(`${command} ${quotedName(name)}`);
  return { tables: names.length };
}

/** Analyses the tables that have grown (every minute): a new deployment's plans follow its first hour. */
export const analyseGrownTables = (sql: SqlRunner) => eachTable(sql, GROWN, "ANALYZE");

/** Vacuums and analyses every table (hourly): dead rows reclaimed, statistics kept current. */
export const maintainDatabase = (sql: SqlRunner) => eachTable(sql, TABLES, "VACUUM (ANALYZE)");
