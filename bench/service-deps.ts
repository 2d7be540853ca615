// The service's dependencies for a benchmark that drives the app in-process on a database it made:
// a fresh key for personal data, the wall clock, and a search client that points nowhere (the
// routes these benchmarks time never search; the app is built from a full set all the same).
import { randomBytes } from "node:crypto";
import { loadConfig } from "../src/config.ts";
import type { Database } from "../src/db/database.ts";
import type { AppDeps } from "../src/deps.ts";
import { createPolicyStore } from "../src/services/policies.ts";
import { wallClock } from "../src/shared/clock.ts";
import { createLogger } from "../src/shared/logger.ts";
import { createPiiProtector } from "../src/shared/pii.ts";
import { RATE_LIMITS } from "../src/shared/rate-limits.ts";
import { createMatchingIndexes } from "../matching/indexes.ts";
import { nodeHttpClient } from "../matching/node-http-client.ts";
import { createSearchClient } from "../matching/search-client.ts";

export function benchDeps(
  db: Pick<Database, "prisma" | "sql">,
  options: { databaseUrl?: string | undefined; logLevel?: "info" | "warn" | "error"; extra?: Partial<AppDeps> } = {},
): { deps: AppDeps; close(): void } {
  const level = options.logLevel ?? "warn";
  const httpClient = nodeHttpClient();
  const search = createSearchClient({ url: "http://127.0.0.1:1", apiKey: "unused", httpClient });
  const deps: AppDeps = {
    config: loadConfig({ NODE_ENV: "production", LOG_LEVEL: level, ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}) }),
    prisma: db.prisma,
    sql: db.sql,
    search,
    indexes: createMatchingIndexes(search, { prefix: "bench_" }),
    pii: createPiiProtector(randomBytes(32)),
    policies: createPolicyStore(db.prisma),
    log: createLogger({ level }),
    clock: wallClock,
    rateLimits: RATE_LIMITS,
    ...options.extra,
  };
  return { deps, close: () => httpClient.close() };
}
