// Applies prisma/migrations without the Prisma CLI (which needs a native engine download), and
// keeps Prisma's own bookkeeping: the same advisory lock and the same `_prisma_migrations` rows
// (checksum = sha256 of migration.sql), so `prisma migrate deploy` on a connected machine agrees.
// Unlike Prisma, each migration runs inside one transaction with its bookkeeping row, so a failed
// migration leaves nothing behind and the next start simply tries again.
import { createHash, randomUUID } from "node:crypto";
import type { SqlRunner } from "./sql.ts";

export interface Migration {
  name: string; // the folder name, e.g. 20261124000000_init
  sql: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

// Prisma's advisory lock key for migrations.
const PRISMA_MIGRATION_LOCK = 72707369;

const bookkeepingTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export const migrationChecksum = (sql: string) => createHash("sha256").update(sql).digest("hex");

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function applyMigrations(db: SqlRunner, migrations: Migration[]): Promise<MigrationResult> {
  const ordered = [...migrations].sort((a, b) => a.name.localeCompare(b.name));
  return db.transaction(async (tx) => {
    // Transaction-scoped lock: two processes starting at once apply each migration once.
    await tx.query("SELECT pg_advisory_xact_lock($1)", [PRISMA_MIGRATION_LOCK]);
    await tx.exec(bookkeepingTable);
    const rows = await tx.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const known = new Map(rows.map((row) => [row.migration_name, row]));
    const applied: string[] = [];
    for (const migration of ordered) {
      const row = known.get(migration.name);
      const checksum = migrationChecksum(migration.sql);
      if (row?.finished_at) {
        if (row.checksum !== checksum) {
          throw new MigrationError(
            `migration ${migration.name} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      if (row) {
        throw new MigrationError(
          `migration ${migration.name} failed earlier (by another tool); resolve it with \`prisma migrate resolve\``,
        );
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`);
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), checksum, migration.name],
      );
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: ordered.length - applied.length };
  });
}

/**
 * Whether a session the service does not set up itself starts in UTC here: the zone a new session of
 * this role gets (the database's default, which a migration sets where the role owns it, else the
 * role's or the server's), at UTC's offset winter and summer alike.
 */
export async function defaultsToUtc(db: SqlRunner): Promise<boolean> {
  const [row] = await db.query<{ utc: boolean }>(
    `SELECT bool_and((instant AT TIME ZONE reset_val) = (instant AT TIME ZONE 'UTC')) AS utc
     FROM pg_settings, unnest(ARRAY[timestamptz '2026-01-15 12:00Z', timestamptz '2026-07-15 12:00Z']) AS instant
     WHERE name = 'TimeZone'`,
  );
  return row?.utc === true;
}
