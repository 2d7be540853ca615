// `npm run seed:demo`: a few employers and open vacancies in 云霄县, 平和县 and 诏安县 (Zhangzhou),
// so that someone trying the service sees jobs. Idempotent: vacancies carry demo external ids.
import { ConfigError, loadConfig } from "../src/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { ensureRegions } from "../src/reference/regions.ts";
import { demoEmployers, seedDemo } from "./demo-data.ts";

try {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR });
  try {
    await applyMigrations(db.sql, readMigrations());
    await ensureRegions(db.sql);
    const { employers, vacancies } = await seedDemo(db.prisma);
    console.log(`demo data: ${employers} employers and ${vacancies} vacancies added (${demoEmployers.length} employers in all)`);
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : `seed:demo failed: ${(error as Error).message}`);
  process.exit(1);
}
