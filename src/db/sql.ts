// The smallest SQL surface the migration runner and bulk loaders need, over PGlite or node-postgres.
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { prepareValue } from "pg/lib/utils.js";

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

/**
 * Each session plans its prepared statements once, for any parameters (a generic plan). Left to
 * itself PostgreSQL plans each of the first five runs for their values and goes on doing so while
 * those plans look cheaper than the generic one, which for the turn's read they can for good (a
 * stranger matches no rows anywhere): bench:webhooks saw that read's planning from 0.03 to 0.68 ms a
 * turn, run to run. Every prepared statement here looks rows up by key, where the generic plan is
 * the plan. On PostgreSQL the setting is the session's (src/db/database.ts), so the service's
 * other statements with parameters are planned generically too, at each run; a statement whose best
 * plan depends on its values (the figures of a township or of a province) says so in its
 * transaction. Prisma's queries have connections of their own, planned for their values.
 */
export const GENERIC_PLANS = { setting: "plan_cache_mode", value: "force_generic_plan" } as const;

export interface SqlRunner {
  query<T = Record<string, unknown>>(statement: string | PreparedStatement, params?: unknown[]): Promise<T[]>;
  /** Several statements separated by semicolons, no parameters. */
  exec(text: string): Promise<void>;
  /** Runs fn on one connection inside BEGIN/COMMIT (ROLLBACK on throw). */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** What a Prisma client or transaction offers for raw SQL (structural: this file does not load Prisma). */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * Statements written for a SqlRunner, run through Prisma (inside its transaction, when given one):
 * a verb written in SQL serves a chat turn in a plain SQL transaction and one in Prisma's, for the
 * services that need it, alike. Prisma plans each such statement (its raw queries are not
 * prepared), and maps int8 and numeric results its own way: statements run on both return neither.
 */
export function prismaRunner(db: RawSql): SqlRunner {
  return {
    query: <T>(statement: string | PreparedStatement, params: unknown[] = []) => db.$queryRawUnsafe<T[]>(typeof statement === "string" ? statement : statement.text, ...params),
    async exec(text) {
      await db.$executeRawUnsafe(text);
    },
    transaction: () => Promise.reject(new Error("nested transaction")),
  };
}

/** A SqlRunner, or a Prisma client or transaction seen as one. */
export const sqlOn = (db: SqlRunner | RawSql): SqlRunner => ("query" in db ? db : prismaRunner(db));

/** A parameter as an SQL literal: the text node-pg would send for it, quoted. */
function literal(value: unknown): string {
  const text = prepareValue(value);
  if (text === null) return "NULL";
  return pg.escapeLiteral(typeof text === "string" ? text : text.toString("utf8"));
}

/**
 * PGlite plans every statement it is given (its query API keeps no prepared statement), and planning
 * the chat's statements cost milliseconds of every turn. A prepared statement is therefore prepared
 * in SQL once per database (PREPARE), and run with its parameters as literals (EXECUTE takes no
 * bound parameters); the literals are node-pg's text for each value, so the embedded database reads
 * them as PostgreSQL does. Inside a transaction one is run as it comes: a PREPARE there could wait
 * on, or fail beside, the same one begun outside it.
 */
export function pgliteRunner(db: Pick<PGlite, "query" | "exec" | "transaction">): SqlRunner {
  const preparing = new Map<string, Promise<void>>();
  const prepare = (statement: PreparedStatement) => {
    let ready = preparing.get(statement.name);
    if (!ready) {
      ready = db.exec(`PREPARE ${statement.name} AS ${statement.text}`).then(() => {});
      preparing.set(statement.name, ready);
      ready.catch(() => preparing.delete(statement.name));
    }
    return ready;
  };
  const runner = (on: Pick<PGlite, "query" | "exec">, inTransaction: boolean): SqlRunner => ({
    async query<T>(statement: string | PreparedStatement, params: unknown[] = []) {
      if (typeof statement === "string" || inTransaction) return (await on.query<T>(typeof statement === "string" ? statement : statement.text, params)).rows;
      await prepare(statement);
      // Generic plans for this statement only: Prisma's queries share the session and are planned
      // for their values. The setting is undone with the statement, or with it if it fails.
      const execute = `EXECUTE ${statement.name}${params.length > 0 ? `(${params.map(literal).join(", ")})` : ""}`;
      const results = await on.exec(`SET ${GENERIC_PLANS.setting} = ${GENERIC_PLANS.value}; ${execute}; RESET ${GENERIC_PLANS.setting}`);
      return results[1]!.rows as T[];
    },
    async exec(text) {
      await on.exec(text);
    },
    transaction(fn) {
      if (inTransaction) return Promise.reject(new Error("nested transaction"));
      return db.transaction((tx) => fn(runner(tx, true)));
    },
  });
  return runner(db, false);
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
