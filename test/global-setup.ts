// Once per test run: a real Meilisearch (the bundled binary) and a migrated template database with
// the reference regions. Each test file then gets its own copy of the template in under a second.
// TEST_DATABASE_URL (a PostgreSQL server, e.g. in CI) switches the copies from PGlite to PostgreSQL.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { pgliteRunner, postgresRunner, type SqlRunner } from "../src/db/sql.ts";
import { startBundledMeilisearch } from "../src/entry/bundled-meilisearch.ts";
import { ensureRegions } from "../src/reference/regions.ts";
import { createLogger } from "../src/shared/logger.ts";
import { realClockEnvironment } from "./support/servers.ts";
import { TEMPLATE_SHAPE_SQL } from "./support/template-shape.ts";

declare module "vitest" {
  export interface ProvidedContext {
    meili: { url: string; masterKey: string };
    /** PGlite mode: a dump of the template database, and its shape (./support/template-shape.ts) */
    pgliteTemplate?: { dump: string; shape: string };
    /** PostgreSQL mode: server URL and template database name */
    postgresTemplate?: { url: string; database: string };
  }
}

/** Tests load one province's villages (Fujian, where the demo and policies are), not all 620k. */
export const TEST_VILLAGE_PROVINCES = ["35"];

async function prepare(sql: SqlRunner) {
  await applyMigrations(sql, readMigrations());
  await ensureRegions(sql, { villagesUnder: TEST_VILLAGE_PROVINCES });
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "zt-test-"));
  const meili = await startBundledMeilisearch({ dataDir: dir, masterKey: "test-master-key-0123456789", log: createLogger({ level: "warn" }), environment: realClockEnvironment() });
  project.provide("meili", { url: meili.url, masterKey: meili.masterKey });

  let dropTemplate = async () => {};
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const database = `zt_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const pool = new pg.Pool({ connectionString: url.toString() });
    await prepare(postgresRunner(pool));
    await pool.end();
    project.provide("postgresTemplate", { url: serverUrl, database });
    dropTemplate = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    };
  } else {
    const db = await PGlite.create();
    await prepare(pgliteRunner(db));
    const dump = join(dir, "template.tar");
    // Uncompressed: a copy loads in half the time of a gzipped one, and the file lives only for the run.
    writeFileSync(dump, Buffer.from(await (await db.dumpDataDir("none")).arrayBuffer()));
    const { rows } = await db.query<{ shape: string }>(TEMPLATE_SHAPE_SQL);
    await db.close();
    project.provide("pgliteTemplate", { dump, shape: rows[0]!.shape });
  }

  return async () => {
    await meili.stop();
    await dropTemplate();
    rmSync(dir, { recursive: true, force: true });
  };
}
