// Cloudflare Workers entry: the same app as on Node — webhooks, simulator, operator API, console —
// built by scripts/worker.mjs into dist/worker, the bundle that the workerd test runs and that
// `wrangler deploy` uploads. What Node keeps running in the background is done here on demand:
// - after a response, within ctx.waitUntil: the chat turns it started and that still run (a webhook
//   that answered first), then the jobs and the messages queued;
// - on the Cron Trigger (scheduled): the due jobs and the outbox, until they are empty or the
//   event's time is spent; whatever is left waits for the next minute, nothing is lost.
// Workers let no connection serve two requests, so each request (and each cron event) opens its
// own, through Hyperdrive's pool; the app itself is built once per isolate and finds the request's
// connections through AsyncLocalStorage. The environment is parsed once per isolate with the same
// schema as on Node; PostgreSQL (the HYPERDRIVE binding, or DATABASE_URL) and MEILI_URL are
// required, since neither the embedded database nor the bundled Meilisearch runs here.
import { AsyncLocalStorage } from "node:async_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { buildApp } from "../app.ts";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { PrismaClient } from "../db/client.ts";
import { postgresRunner, type SqlRunner } from "../db/sql.ts";
import { createDispatcher } from "../delivery/dispatcher.ts";
import { createJobRunner } from "../jobs/runner.ts";
import { ensureRecurringJobs } from "../jobs/registry.ts";
import { queueJob } from "../queue/queue.ts";
import { contextFor, SERVICE } from "../services/context.ts";
import { ensureAdministrator } from "../services/operators.ts";
import { createPolicyStore } from "../services/policies.ts";
import { wallClock } from "../shared/clock.ts";
import { createLogger } from "../shared/logger.ts";
import { createMetrics } from "../shared/metrics.ts";
import { createPiiProtector } from "../shared/pii.ts";
import { RATE_LIMITS } from "../shared/rate-limits.ts";
import { channels } from "../../bots/index.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import { createSearchClient } from "../../matching/search-client.ts";

interface WorkerEnv {
  /** the Hyperdrive binding in front of PostgreSQL (wrangler.toml) */
  HYPERDRIVE?: { connectionString: string };
  [name: string]: unknown;
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
}
interface ScheduledController {
  scheduledTime: number;
  cron: string;
}

/** How long a cron event drains before it leaves the rest to the next one (a minute later). */
const CRON_BUDGET_MS = 25_000;
/** After a response: rounds of the jobs and messages it queued (a job may queue messages). */
const ROUNDS_AFTER_RESPONSE = 3;

/** One request's (or cron event's) connections, and the chat turns it started. */
interface Connections {
  prisma: PrismaClient;
  sql: SqlRunner;
  turns: Promise<unknown>[];
  close(): Promise<void>;
}
const current = new AsyncLocalStorage<Connections>();

/** An object that is, on each use, the one of the request running (its Prisma client, its SQL runner). */
function requestScoped<T extends object>(pick: (connections: Connections) => T): T {
  const target = () => {
    const connections = current.getStore();
    if (!connections) throw new Error("the database is reached only while a request or a scheduled event runs");
    return pick(connections);
  };
  return new Proxy({} as T, {
    get(_, key) {
      const object = target();
      const value = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
    has: (_, key) => Reflect.has(target(), key),
  });
}

function buildIsolate(env: WorkerEnv) {
  const variables = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const config: Config = loadConfig(variables);
  const databaseUrl = env.HYPERDRIVE?.connectionString ?? config.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError("HYPERDRIVE (a binding) or DATABASE_URL: required on Workers (no embedded database there)");
  for (const name of ["MEILI_URL", "PII_ENCRYPTION_KEY"] as const) {
    if (!config[name]) throw new ConfigError(`${name}: required on Workers (no embedded default there)`);
  }
  const log = createLogger({ level: config.LOG_LEVEL });
  const pii = createPiiProtector(Buffer.from(config.PII_ENCRYPTION_KEY!, "base64"));
  const search = createSearchClient({ url: config.MEILI_URL!, ...(config.MEILI_MASTER_KEY ? { apiKey: config.MEILI_MASTER_KEY } : {}) });
  const indexes = createMatchingIndexes(search, {});
  const prisma = requestScoped((connections) => connections.prisma);
  const sql = requestScoped((connections) => connections.sql);
  const policies = createPolicyStore(prisma, log);
  const metrics = createMetrics();

  // Flags, not work: what a request queued is done after its response (settle).
  const queued = { outbox: false, jobs: false };
  const dispatcher = createDispatcher({
    prisma,
    pii,
    sql,
    channels: Object.fromEntries(channels.filter((c) => c.enabled(config)).map((c) => [c.name, c.delivery(config, log)])),
    quietHours: config.SMS_QUIET_HOURS,
    log,
    clock: wallClock,
    metrics,
  });
  const outboxQueued = () => void (queued.outbox = true);
  // The turns a request starts, kept on it: its connections stay open until they end.
  const turnStarted = (turn: Promise<unknown>) => void current.getStore()?.turns.push(turn);
  const jobs = createJobRunner({ deps: { prisma, sql, indexes, pii, policies, log, clock: wallClock, outboxQueued } });
  const app = buildApp({ config, prisma, sql, search, indexes, pii, policies, log, clock: wallClock, rateLimits: RATE_LIMITS, outboxQueued, jobsQueued: () => void (queued.jobs = true), turnStarted, metrics, connectionsPerRequest: true });

  function connect(): Connections {
    // Hyperdrive pools the real connections; these are cheap, and a few let a transaction and a
    // read beside it run at once.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
    return {
      prisma: new PrismaClient({ adapter: new PrismaPg(pool) }),
      sql: postgresRunner(pool),
      turns: [],
      close: () => pool.end().catch((error: Error) => log.warn({ err: error }, "closing the database connections failed")),
    };
  }

  /** What a request left running or queued: its own turns (a webhook answers before its turn ends), then the jobs and messages queued. */
  async function settle(connections: Connections): Promise<void> {
    while (connections.turns.length > 0) await Promise.allSettled(connections.turns.splice(0));
    for (let round = 0; round < ROUNDS_AFTER_RESPONSE && (queued.jobs || queued.outbox); round++) {
      if (queued.jobs) {
        queued.jobs = false;
        await jobs.runOnce();
      }
      if (queued.outbox) {
        queued.outbox = false;
        await dispatcher.runOnce();
      }
    }
  }

  /** The cron event: the recurring jobs kept scheduled, then due jobs and messages until none is left or the budget is spent. */
  async function drain(budgetMs: number): Promise<{ jobs: number; messages: number }> {
    const deadline = Date.now() + budgetMs;
    await ensureRecurringJobs({ prisma, clock: wallClock });
    const done = { jobs: 0, messages: 0 };
    while (Date.now() < deadline) {
      const ranJobs = await jobs.runOnce();
      const sent = await dispatcher.runOnce();
      done.jobs += ranJobs;
      done.messages += sent;
      if (ranJobs + sent === 0) break;
    }
    return done;
  }

  // What a Node start does once, done on an isolate's first request (a Worker has no start of its
  // own): the search indexes' settings queued, ADMIN_TOKEN's administrator made. Both are
  // idempotent; a failure is tried again on the next request.
  let started: Promise<void> | undefined;
  function ready(): Promise<void> {
    started ??= (async () => {
      await queueJob(prisma, "index.settings", {});
      queued.jobs = true;
      if (config.ADMIN_TOKEN) await ensureAdministrator(contextFor({ prisma, sql, clock: wallClock, pii, log, indexes, policies }, SERVICE), config.ADMIN_TOKEN);
    })().catch((error: Error) => {
      started = undefined;
      log.error({ err: error }, "the first request's start-up work failed");
    });
    return started;
  }

  return { app, log, connect, ready, settle, drain };
}

let isolate: ReturnType<typeof buildIsolate> | undefined;

const isolateFor = (env: WorkerEnv) => (isolate ??= buildIsolate(env));

function unavailable(error: unknown): Response {
  const message = error instanceof ConfigError ? `configuration: ${error.message}` : "start-up failed";
  return Response.json({ error: { code: "unavailable", message } }, { status: 503 });
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let worker: ReturnType<typeof buildIsolate>;
    try {
      worker = isolateFor(env);
    } catch (error) {
      console.error(`zhitongche could not start: ${(error as Error).message}`);
      return unavailable(error);
    }
    const connections = worker.connect();
    return current.run(connections, async () => {
      try {
        await worker.ready();
        const response = await worker.app.fetch(request, env, ctx as never);
        // The response goes now; its connections stay open until what it left behind is done.
        const after = worker.settle(connections).catch((error: Error) => worker.log.error({ err: error }, "work after the response failed"));
        ctx.waitUntil(after.finally(connections.close));
        return response;
      } catch (error) {
        await connections.close();
        throw error;
      }
    });
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv): Promise<void> {
    const worker = isolateFor(env);
    const connections = worker.connect();
    try {
      const done = await current.run(connections, () => worker.drain(CRON_BUDGET_MS));
      worker.log.info({ cron: controller.cron, ...done }, "scheduled run");
    } finally {
      await connections.close();
    }
  },
};
