// A test's own world: a database as the template left it (a fresh copy, or one an earlier file of
// the same worker used and emptied), indexes of its own in the run's Meilisearch, and the app built
// on them exactly as the Node entry builds it.
import { createMetrics } from "../../src/shared/metrics.ts";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { inject } from "vitest";
import { KEPT_FROM_TEMPLATE, TEMPLATE_SHAPE_SQL } from "./template-shape.ts";
import { buildApp } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import type { AppDeps } from "../../src/deps.ts";
import { createOperator } from "../../src/services/operators.ts";
import { contextFor, SERVICE } from "../../src/services/context.ts";
import { createPolicyStore } from "../../src/services/policies.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { nodeSpreadsheets } from "../../src/entry/spreadsheets.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { nodeHttpClient } from "../../matching/node-http-client.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import type { OperatorRole } from "../../src/db/client.ts";
import type { RateLimits } from "../../src/shared/rate-limits.ts";

/** A database of its own for one test file, copied from the run's template. */
export async function testDatabase(): Promise<Database> {
  const postgres = inject("postgresTemplate");
  if (postgres) {
    const name = `zt_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${postgres.database}`);
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = `/${name}`;
    const db = await openDatabase({ url: url.toString() });
    return {
      ...db,
      async close() {
        await db.close();
        const cleanup = new pg.Client({ connectionString: postgres.url });
        await cleanup.connect();
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  }
  const lease = await lend();
  const db = await openDatabase({ pglite: lease.pglite });
  return {
    ...db,
    async close() {
      await db.prisma.$disconnect();
      await lease.giveBack();
    },
  };
}

/** A migrated embedded database as the template left it, lent to `use` and then given back (PGlite
 * mode only; null on PostgreSQL). For what needs the PGlite itself rather than Prisma over it. */
export async function withTemplatePglite<T>(use: (pglite: PGlite) => Promise<T>): Promise<T | null> {
  if (inject("postgresTemplate")) return null;
  const lease = await lend();
  try {
    return await use(lease.pglite);
  } finally {
    await lease.giveBack();
  }
}

/**
 * An embedded database as one test file holds it: an idle one of this worker's, or a fresh copy of
 * the template. Once given back, whatever still holds it (an app, a runner left going) finds it
 * closed, as it would a database of its own, and cannot reach the next file's data; it is kept for
 * the next file if it can be emptied, else closed.
 */
async function lend(): Promise<{ pglite: PGlite; giveBack(): Promise<void> }> {
  const pglite = idleDatabases.pop() ?? (await PGlite.create({ loadDataDir: templateDump() }));
  let open = true;
  const held = new Proxy(pglite, {
    get(target, property) {
      if (property === "closed") return !open || target.closed;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (!open) throw new Error("PGlite is closed");
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    pglite: held,
    async giveBack() {
      if (!open) return; // given back once only: twice would lend it to two files at once
      open = false;
      if (idleDatabases.length < MAX_IDLE && (await emptyForTheNextFile(pglite))) idleDatabases.push(pglite);
      else if (!pglite.closed) await pglite.close();
    },
  };
}

// Starting PGlite from the template costs about two seconds of CPU (the WASM runtime and a 70 MB
// data directory); emptying one costs a few milliseconds. So a worker keeps the databases its test
// files are done with and empties them for the next file: every table the tests write, truncated
// and its sequences restarted, the session reset. The template's own contents (the regions, the
// migrations' bookkeeping) and its schema are checked, not trusted: a file that changed them
// (a migration test adding a table, a region test reloading) leaves its database to be closed.
const MAX_IDLE = 2;
const idleDatabases: PGlite[] = [];
let dumpBlob: Blob | undefined;
const templateDump = () => (dumpBlob ??= new Blob([readFileSync(inject("pgliteTemplate")!.dump)]));

async function emptyForTheNextFile(pglite: PGlite): Promise<boolean> {
  if (pglite.closed) return false;
  try {
    // Outside any transaction a test left open (DISCARD ALL refuses to run inside one).
    await pglite.exec("DISCARD ALL");
    const { rows: shape } = await pglite.query<{ shape: string }>(TEMPLATE_SHAPE_SQL);
    if (shape[0]?.shape !== inject("pgliteTemplate")!.shape) return false;
    const { rows } = await pglite.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL($1)`,
      [KEPT_FROM_TEMPLATE],
    );
    await pglite.exec(`TRUNCATE ${rows.map((row) => row.name).join(", ")} RESTART IDENTITY CASCADE`);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Now" in every test unless it says otherwise: a Thursday, 10:00 China time, outside quiet hours.
 * No test result may depend on the day it runs; `npm run test:later` runs the suite a year ahead.
 */
export const TEST_NOW = new Date("2026-12-03T02:00:00Z");

/** The harness's clock: fixed at TEST_NOW until a test sets or advances it, or asks for the real one. */
export interface TestClock {
  (): Date;
  set(at: Date): void;
  advance(ms: number): void;
}

export function testClock(start: Date | "real" = TEST_NOW): TestClock {
  let fixed = start === "real" ? null : new Date(start);
  const clock = () => (fixed ? new Date(fixed) : new Date());
  return Object.assign(clock, {
    set: (at: Date) => void (fixed = new Date(at)),
    advance: (ms: number) => void (fixed = new Date((fixed ?? new Date()).getTime() + ms)),
  });
}

export interface Harness {
  deps: AppDeps;
  /** the clock every verb of this harness reads (deps.clock calls it) */
  clock: TestClock;
  db: Database;
  app: ReturnType<typeof buildApp>;
  /** every log line, parsed */
  logs: Record<string, unknown>[];
  /** JSON request helper: returns status, headers and parsed body */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  operator(role: OperatorRole, regionCodes?: string[]): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/**
 * Tests script people who type far faster than people do: the limits are relaxed unless a test is
 * about them (`createHarness({ rateLimits: RATE_LIMITS })`).
 */
export const RELAXED_LIMITS: RateLimits = {
  inbound: { burst: 10_000, refillMs: 1 },
  simulatorPerClient: { limit: 100_000, windowMs: 60_000 },
  operatorPerKey: { limit: 100_000, windowMs: 60_000 },
  operatorFailuresPerAddress: { limit: 100_000, windowMs: 60_000 },
};

export async function createHarness(
  options: { env?: Record<string, string>; searchUrl?: string; clock?: Date | "real"; rateLimits?: RateLimits } = {},
): Promise<Harness> {
  const clock = testClock(options.clock);
  const meili = inject("meili");
  const config: Config = loadConfig({ NODE_ENV: "test", ...options.env });
  const db = await testDatabase();
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const httpClient = nodeHttpClient();
  const search = createSearchClient({ url: options.searchUrl ?? meili.url, apiKey: meili.masterKey, httpClient });
  // Each harness has indexes of its own, so test files never see one another's documents.
  const indexPrefix = `t${randomBytes(4).toString("hex")}_`;
  const deps: AppDeps = {
    config,
    prisma: db.prisma,
    sql: db.sql,
    search,
    indexes: createMatchingIndexes(search, { prefix: indexPrefix }),
    pii: createPiiProtector(randomBytes(32)),
    policies: createPolicyStore(db.prisma),
    log: createLogger({ level: "debug", destination: sink }),
    clock,
    rateLimits: options.rateLimits ?? RELAXED_LIMITS,
    spreadsheets: nodeSpreadsheets,
    metrics: createMetrics(),
    ...(db.backup ? { backup: db.backup } : {}),
  };
  const app = buildApp(deps);
  return {
    deps,
    clock,
    db,
    app,
    logs,
    async request(method, path, { token, body, headers = {} } = {}) {
      const init: RequestInit = {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && typeof body !== "string" && !(body instanceof FormData) ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === "string" || body instanceof FormData ? body : JSON.stringify(body) } : {}),
      };
      const response = await app.request(path, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async operator(role, regionCodes = []) {
      const { operator, token } = await createOperator(contextFor(deps, SERVICE), { name: `${role} ${regionCodes.join(",")}`, role, regionCodes });
      return { id: operator.id, token };
    },
    async close() {
      if (!options.searchUrl) {
        for (const index of [deps.indexes.vacancies, deps.indexes.workers]) await search.deleteIndex(index.uid).catch(() => {});
      }
      httpClient.close();
      await db.close();
    },
  };
}
