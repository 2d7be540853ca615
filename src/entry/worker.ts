// Cloudflare Workers entry. Workers cannot run the embedded database or the bundled Meilisearch,
// so DATABASE_URL (PostgreSQL, e.g. through Hyperdrive) and MEILI_URL are required here. The
// environment is parsed once per isolate with the same schema as on Node.
import { PrismaPg } from "@prisma/adapter-pg";
import { buildApp } from "../app.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { PrismaClient } from "../db/client.ts";
import { postgresRunner } from "../db/sql.ts";
import { createLogger } from "../shared/logger.ts";
import { wallClock } from "../shared/clock.ts";
import { RATE_LIMITS } from "../shared/rate-limits.ts";
import { createPolicyStore } from "../services/policies.ts";
import { createPiiProtector } from "../shared/pii.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import pg from "pg";

type WorkerEnv = Record<string, string | undefined>;

let app: ReturnType<typeof buildApp> | undefined;

function appFor(env: WorkerEnv) {
  if (app) return app;
  const config = loadConfig(env);
  for (const name of ["DATABASE_URL", "MEILI_URL", "PII_ENCRYPTION_KEY"] as const) {
    if (!config[name]) throw new ConfigError(`${name}: required on Workers (no embedded default there)`);
  }
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 5 });
  const search = createSearchClient({ url: config.MEILI_URL!, ...(config.MEILI_MASTER_KEY ? { apiKey: config.MEILI_MASTER_KEY } : {}) });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  app = buildApp({
    config,
    prisma,
    policies: createPolicyStore(prisma),
    sql: postgresRunner(pool),
    search,
    indexes: createMatchingIndexes(search, {}),
    pii: createPiiProtector(Buffer.from(config.PII_ENCRYPTION_KEY!, "base64")),
    log: createLogger({ level: config.LOG_LEVEL }),
    clock: wallClock,
    rateLimits: RATE_LIMITS,
  });
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown) {
    try {
      return appFor(env).fetch(request, env, ctx as never);
    } catch (error) {
      const message = error instanceof ConfigError ? `configuration: ${error.message}` : "start-up failed";
      return Response.json({ error: { code: "unavailable", message } }, { status: 503 });
    }
  },
};
