// The smallest SQL surface the migration runner and bulk loaders need, over PGlite or node-postgres.
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

/**
 * A statement PostgreSQL parses and plans once on each connection and from then on only executes:
 * for the chat's hot path, where parsing and planning the same two statements again was about a
 * third of the server's CPU in a turn. Only for fixed text (never text built from input).
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export const prepared = (name: string, text: string): PreparedStatement => ({ name, text });

const textOf = (statement: string | PreparedStatement) => (typeof statement === "string" ? statement : statement.text);

export interface SqlRunner {
  query<T = Record<string, unknown>>(statement: string | PreparedStatement, params?: unknown[]): Promise<T[]>;
  /** Several statements separated by semicolons, no parameters. */
  exec(text: string): Promise<void>;
  /** Runs fn on one connection inside BEGIN/COMMIT (ROLLBACK on throw). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

export function pgliteRunner(db: Pick<PGlite, "query" | "exec" | "transaction">): SqlRunner {
  return {
    async query<T>(statement: string | PreparedStatement, params?: unknown[]) {
      // In-process, a statement's parse costs no round trip: PGlite runs every one as it comes.
      return (await db.query<T>(textOf(statement), params)).rows;
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
    async query<T>(statement: string | PreparedStatement, params?: unknown[]) {
      const config = typeof statement === "string" ? { text: statement, values: params } : { name: statement.name, text: statement.text, values: params };
      return (await client.query(config)).rows as T[];
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
