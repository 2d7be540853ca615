// Opens the database for Node: embedded PGlite under DATA_DIR by default, PostgreSQL when
// DATABASE_URL is set. Both are driven through Prisma driver adapters, so the services see one
// PrismaClient either way.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { redactUrl } from "../config.ts";
import { PrismaClient } from "./client.ts";
import { claimEmbeddedDatabase } from "./embedded-owner.ts";
import { GENERIC_PLANS, pgliteRunner, postgresRunner, type SqlRunner } from "./sql.ts";

export interface Database {
  kind: "pglite" | "postgres";
  prisma: PrismaClient;
  /** Raw SQL for migrations, bulk loads and figures. */
  sql: SqlRunner;
  /** the embedded database only: a consistent copy of it as it stands, a gzipped tar of its folder */
  backup?(): Promise<Blob>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

/** restoreFrom: a backup (Database.backup) to fill an empty embedded folder with before it opens */
export type DatabaseTarget = { url: string } | { dataDir: string; restoreFrom?: Blob } | { pglite: PGlite };

/** Where the embedded database keeps its files under DATA_DIR. */
export const embeddedDatabaseDir = (dataDir: string) => join(dataDir, "pglite");

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if ("url" in target) return openPostgres(target.url);
  if ("pglite" in target) return wrapPglite(target.pglite);
  const dir = embeddedDatabaseDir(target.dataDir);
  mkdirSync(dir, { recursive: true });
  let release: () => void;
  try {
    release = claimEmbeddedDatabase(dir);
  } catch (error) {
    throw new DatabaseUnavailableError((error as Error).message);
  }
  const startParams = [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((setting) => ["-c", setting])];
  const db = await PGlite.create(dir, { startParams, ...(target.restoreFrom ? { loadDataDir: target.restoreFrom } : {}) }).catch((error: Error) => {
    release();
    throw new DatabaseUnavailableError(`cannot open the embedded database in ${dir}: ${error.message}`);
  });
  const database = wrapPglite(db);
  return { ...database, close: () => database.close().finally(release) };
}

/**
 * PostgreSQL's default 128 MB of shared buffers, which the embedded database takes out of the
 * service's own memory (and zeroes, so all of it is resident from the first start), is most of an
 * idle service's footprint. One process with a small working set does as well with 32 MB: pages
 * that miss stay in the operating system's file cache.
 */
const EMBEDDED_SETTINGS = ["shared_buffers=32MB"];

function wrapPglite(db: PGlite): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    kind: "pglite",
    prisma,
    sql: pgliteRunner(db),
    // A checkpoint first, so that the copy holds every committed change in its data files, then the
    // folder as PGlite tars it between two queries.
    async backup() {
      await db.exec("CHECKPOINT");
      return db.dumpDataDir("gzip");
    },
    async close() {
      await prisma.$disconnect();
      if (!db.closed) await db.close();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  // Timestamps are stored as UTC without a zone, and some are written by the database itself
  // (now() in a statement, a column default): each session is put on UTC before its first use,
  // whatever the server's default (Asia/Shanghai on a server in China would put them eight hours
  // ahead). A statement rather than a startup option, which a DATABASE_URL's own options or
  // PgBouncer would drop.
  // The service's own statements (the SqlRunner's, prepared) get generic plans (GENERIC_PLANS);
  // Prisma's queries come on connections of their own, planned for their values as PostgreSQL
  // chooses: a generic plan guesses that `LIMIT $n` takes a tenth of a table, and for an ORM's
  // paged reads would rather sort the whole table than walk an index.
  const connect = (max: number, session: string) => {
    const pool = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: 5_000,
      // (pg-pool awaits what this returns, though its types say void)
      onConnect: async (client) => void (await client.query(session)),
    });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    return pool;
  };
  const pool = connect(10, `SET TIME ZONE 'UTC'; SET ${GENERIC_PLANS.setting} = ${GENERIC_PLANS.value}`);
  const prismaPool = connect(5, `SET TIME ZONE 'UTC'`);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await Promise.all([pool.end().catch(() => {}), prismaPool.end().catch(() => {})]);
    throw new DatabaseUnavailableError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message || (error as NodeJS.ErrnoException).code}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });
  return {
    kind: "postgres",
    prisma,
    sql: postgresRunner(pool),
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), prismaPool.end()]);
    },
  };
}
