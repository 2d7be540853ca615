// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database
// under DATA_DIR, and loads the reference regions.
import { ConfigError, loadConfig } from "../config.ts";
import { ensureRegions } from "../reference/regions.ts";
import { openDatabase } from "./database.ts";
import { applyMigrations, defaultsToUtc } from "./migrate.ts";
import { readMigrations } from "./migrations-fs.ts";

try {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR });
  try {
    const { applied, alreadyApplied } = await applyMigrations(db.sql, readMigrations());
    console.log(`migrations: ${applied.length} applied${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied} already there`);
    if (!(await defaultsToUtc(db.sql))) {
      // The migration that sets the database's default ran as a role that does not own it (20261207080000_database_time_zone_utc).
      const [{ name } = { name: "…" }] = await db.sql.query<{ name: string }>("SELECT quote_ident(current_database()) AS name");
      console.warn(
        `a new session's time zone here is not UTC: sessions the service does not set up itself (the Worker's, behind Hyperdrive) would write ` +
          `the database's own timestamps in the server's zone. As the database's owner, run: ALTER DATABASE ${name} SET "TimeZone" TO 'UTC'`,
      );
    }
    const { loaded } = await ensureRegions(db.sql);
    if (loaded) console.log(`regions: ${loaded} loaded`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `db:migrate failed: ${(error as Error).message}`);
  process.exit(1);
}
