// A test's own world: a fresh copy of the template database, the run's Meilisearch, and the app
// built on them exactly as the Node entry builds it.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { inject } from "vitest";
import { buildApp } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { openDatabase, type Database } from "../../src/db/database.ts";
import type { AppDeps } from "../../src/deps.ts";
import { createOperator } from "../../src/services/operators.ts";
import { createPolicyStore } from "../../src/services/policies.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { nodeHttpClient } from "../../matching/node-http-client.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import type { OperatorRole } from "../../src/db/client.ts";

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
  const dump = readFileSync(inject("pgliteTemplate")!);
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  return openDatabase({ pglite });
}

export interface Harness {
  deps: AppDeps;
  db: Database;
  app: ReturnType<typeof buildApp>;
  /** every log line, parsed */
  logs: Record<string, unknown>[];
  /** JSON request helper: returns status, headers and parsed body */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  operator(role: OperatorRole, regionCodes?: string[]): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export async function createHarness(options: { env?: Record<string, string>; searchUrl?: string } = {}): Promise<Harness> {
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
  };
  const app = buildApp(deps);
  return {
    deps,
    db,
    app,
    logs,
    async request(method, path, { token, body, headers = {} } = {}) {
      const init: RequestInit = {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
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
      const { operator, token } = await createOperator(db.prisma, { name: `${role} ${regionCodes.join(",")}`, role, regionCodes });
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
