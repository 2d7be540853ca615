// The embedded database's first start, prepared ahead. A new PGlite cluster costs about four
// seconds of initdb, loading the 665,276 divisions several more, and the service would keep the
// memory both took for as long as it runs. So `npm install` (and `npm start`, when the migrations,
// the divisions or PGlite changed since) builds a migrated database holding the divisions once, in
// a process of its own, into dist/database-image; a first start copies that folder into DATA_DIR in
// well under a second, and applies any migration newer than the image as on every start.
import { PGlite } from "@electric-sql/pglite";
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { ensureRegions } from "../reference/regions.ts";
import { projectFile } from "../shared/project-files.ts";
import { applyMigrations } from "./migrate.ts";
import { readMigrations } from "./migrations-fs.ts";
import { pgliteRunner } from "./sql.ts";

export const DATABASE_IMAGE = projectFile("dist", "database-image");

/**
 * Fills a missing or empty embedded-database folder from the prepared image, through a folder
 * beside it that is renamed when whole (a start that dies half-way leaves no half-copied database).
 * False when there is nothing to do or no image; PGlite then makes a new cluster itself.
 */
export function seedFromImage(dir: string): boolean {
  if (!existsSync(`${DATABASE_IMAGE}/PG_VERSION`)) return false;
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  const partial = `${dir}.from-image`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(DATABASE_IMAGE, partial, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return true;
}

/** Builds dist/database-image afresh: a new cluster, every migration, every division. */
export async function buildDatabaseImage(): Promise<{ regions: number }> {
  const building = `${DATABASE_IMAGE}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true, mode: 0o700 });
  // With wal_level minimal, the divisions' rows (loaded in the transaction that empties their
  // table) are written without logging each one: the image keeps 65 MB of WAL (most of it the
  // vacuum's) instead of 190 MB, and every first start copies less.
  const db = await PGlite.create(building, { startParams: [...PGlite.defaultStartParams, "-c", "wal_level=minimal", "-c", "max_wal_senders=0"] });
  try {
    const sql = pgliteRunner(db);
    await applyMigrations(sql, readMigrations());
    const { loaded } = await ensureRegions(sql);
    // Statistics and the visibility map, so the first queries are planned and answered as later ones.
    await db.exec(`VACUUM (ANALYZE)`);
    await db.exec(`CHECKPOINT`);
    await db.close();
    rmSync(DATABASE_IMAGE, { recursive: true, force: true });
    renameSync(building, DATABASE_IMAGE);
    return { regions: loaded };
  } finally {
    if (!db.closed) await db.close();
    rmSync(building, { recursive: true, force: true });
  }
}
