// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded database
// under DATA_DIR, and loads the reference regions.
import { ConfigError, loadConfig } from "../config.ts";
import { ensureRegions } from "../reference/regions.ts";
import { openDatabase } from "./database.ts";
import { applyMigrations } from "./migrate.ts";
import { readMigrations } from "./migrations-fs.ts";

try {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR });
  try {
    const { applied, alreadyApplied } = await applyMigrations(db.sql, readMigrations());
    console.log(`migrations: ${applied.length} applied${applied.length ? ` (${applied.join(", ")})` : ""}, ${alreadyApplied} already there`);
    const { loaded } = await ensureRegions(db.sql);
    if (loaded) console.log(`regions: ${loaded} loaded`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `db:migrate failed: ${(error as Error).message}`);
  process.exit(1);
}
