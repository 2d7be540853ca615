// What PostgreSQL's autovacuum does, for a database where none runs: the embedded one (PGlite runs
// PostgreSQL in a single process, without its background workers) or a server where it is switched
// off. Without it no table is ever analysed, so a statement planned while a table was small keeps
// scanning it whole as it grows (bench:webhooks, on a fresh database: every chat identity scanned
// three times a turn), and the dead rows that updates leave (sessions, the outbox) are not reclaimed.
import type { SqlRunner } from "./sql.ts";

/** Vacuums and analyses every table but the divisions (loaded once, never changed, and most of the time it would take). */
export async function maintainDatabase(sql: SqlRunner): Promise<{ tables: number } | { skipped: "autovacuum runs" }> {
  const [state] = await sql.query<{ autovacuum: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher') AS autovacuum`);
  if (state?.autovacuum) return { skipped: "autovacuum runs" };
  const tables = await sql.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname <> 'Region' ORDER BY relname`,
  );
  // One table at a time: the embedded database answers nothing else meanwhile, each only briefly.
  for (const { name } of tables) await sql.exec(`VACUUM (ANALYZE) "${name.replaceAll('"', '""')}"`);
  return { tables: tables.length };
}
