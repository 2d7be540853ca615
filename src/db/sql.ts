// The smallest SQL surface the migration runner and bulk loaders need, over PGlite or node-postgres.
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export interface SqlRunner {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements separated by semicolons, no parameters. */
  exec(text: string): Promise<void>;
  /** Runs fn on one connection inside BEGIN/COMMIT (ROLLBACK on throw). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: Pick<PGlite, "query" | "exec" | "transaction">): SqlRunner {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async exec(text) {
      await db.exec(text);
    },
    transaction(fn) {
      return db.transaction((tx) => fn(pgliteRunner({ ...tx, transaction: () => Promise.reject(new Error("nested transaction")) })));
    },
  };
}

// node-pg sends a Date as the Node process's local time with its offset, and a column without a
// zone drops the offset: on a machine set to China time every timestamp the service writes itself
// would land eight hours ahead. Dates go as UTC, as Prisma sends them.
pg.defaults.parseInputDatesAsUTC = true;

export function postgresRunner(pool: pg.Pool): SqlRunner {
  const onClient = (client: pg.PoolClient | pg.Pool): SqlRunner => ({
    async query<T>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as T[];
    },
    async exec(text) {
      await client.query(text);
    },
    async transaction(fn) {
      const connection = await pool.connect();
      try {
        await connection.query("BEGIN");
        const result = await fn(onClient(connection));
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
  });
  return onClient(pool);
}
