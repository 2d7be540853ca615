// `npm run backup -- [file]` and `npm run restore -- <file>`: the embedded database copied out while
// the service is stopped, and brought back into an empty DATA_DIR. A running service is asked for
// its backup instead (POST /api/backup): the embedded database has one owner at a time. On
// PostgreSQL both say which pg_dump / pg_restore command does it.
//
// A backup holds personal data sealed with the key it was written with (PII_ENCRYPTION_KEY, or the
// key generated into DATA_DIR/secrets.json); it is not in the backup, so the backup alone is no
// leak, and a restore without it is refused rather than left unreadable.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ConfigError, loadConfig } from "../config.ts";
import { DatabaseUnavailableError, embeddedDatabaseDir, openDatabase } from "../db/database.ts";
import { applyMigrations } from "../db/migrate.ts";
import { readMigrations } from "../db/migrations-fs.ts";
import { queueJob } from "../queue/queue.ts";
import { assertSealingKey, KeyMismatchError } from "../services/key-check.ts";
import { createPiiProtector } from "../shared/pii.ts";
import { existingSecrets, privateDataDir } from "./local-secrets.ts";

const PG_RECIPE = {
  backup: "on PostgreSQL, back up with: pg_dump --format=custom --file=zhitongche.dump \"$DATABASE_URL\"",
  restore: "on PostgreSQL, restore into an empty database with: pg_restore --no-owner --dbname=\"$DATABASE_URL\" zhitongche.dump",
} as const;

export class Refusal extends Error {}

const stamp = (date: Date) => date.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "-");

/** A copy of the stopped service's embedded database, written to `file`; the sentence saying so. */
export async function backup(env: Record<string, string | undefined>, file: string | undefined): Promise<string> {
  const config = loadConfig(env);
  if (config.DATABASE_URL) throw new Refusal(PG_RECIPE.backup);
  const dir = embeddedDatabaseDir(config.DATA_DIR);
  if (!existsSync(dir)) throw new Refusal(`there is no embedded database in ${dir} (DATA_DIR=${config.DATA_DIR})`);
  const target = file ?? `zhitongche-backup-${stamp(new Date())}.tar.gz`;
  if (existsSync(target)) throw new Refusal(`${target} exists already: name another file`);
  const db = await openDatabase({ dataDir: config.DATA_DIR });
  try {
    const copy = await db.backup!();
    writeFileSync(target, new Uint8Array(await copy.arrayBuffer()), { mode: 0o600, flag: "wx" });
    return `backed up ${dir} to ${target} (${(copy.size / 1048576).toFixed(1)} MB)`;
  } finally {
    await db.close();
  }
}

/** A backup brought into the empty embedded database of env's DATA_DIR; the sentence saying so. */
export async function restore(env: Record<string, string | undefined>, file: string | undefined): Promise<string> {
  if (!file) throw new Refusal("usage: npm run restore -- <backup file>");
  const config = loadConfig(env);
  if (config.DATABASE_URL) throw new Refusal(PG_RECIPE.restore);
  if (!existsSync(file)) throw new Refusal(`no such file: ${file}`);
  const dir = embeddedDatabaseDir(config.DATA_DIR);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Refusal(`${dir} is not empty: restore into an empty DATA_DIR (or move this one away first)`);
  const key = config.PII_ENCRYPTION_KEY ?? existingSecrets(config.DATA_DIR)?.piiEncryptionKey;
  if (!key) {
    throw new Refusal(
      "the backup's personal data opens only with the key it was written with: set PII_ENCRYPTION_KEY, or copy secrets.json from the old DATA_DIR into this one, then restore",
    );
  }
  privateDataDir(config.DATA_DIR);
  const db = await openDatabase({ dataDir: config.DATA_DIR, restoreFrom: new Blob([new Uint8Array(readFileSync(file))]) });
  try {
    await assertSealingKey(db.prisma, createPiiProtector(Buffer.from(key, "base64")));
    // A backup from an older version is brought up to this one's schema, as a start would.
    await applyMigrations(db.sql, readMigrations());
    // The search data did not travel with the backup: the service rebuilds it from the database at its start.
    await queueJob(db.prisma, "index.rebuild", {});
    const [workers, vacancies] = await Promise.all([db.prisma.worker.count(), db.prisma.vacancy.count()]);
    await db.close();
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    return `restored ${file} into ${dir}: ${count(workers, "worker")}, ${count(vacancies, "vacancy").replace(/ys$/, "ies")}; npm start rebuilds the search index from them`;
  } catch (error) {
    await db.close();
    // Nothing half-restored is left to be started by mistake.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A mistake the operator can mend, said in one line (exit 2), as against a fault (a stack). */
export const isRefusal = (error: unknown) => error instanceof Refusal || error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof KeyMismatchError;

// Run as the command (npm run backup / restore), not when a test imports the functions.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, file] = process.argv.slice(2);
  try {
    if (command !== "backup" && command !== "restore") throw new Refusal("usage: backup-cli.ts backup [file] | restore <file>");
    console.log(await (command === "backup" ? backup(process.env, file) : restore(process.env, file)));
  } catch (error) {
    if (!isRefusal(error)) throw error;
    console.error(`${command ?? "backup"}: ${(error as Error).message}`);
    process.exit(2);
  }
}
