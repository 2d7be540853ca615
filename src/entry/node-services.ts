// Brings up everything the Node service stands on, from the parsed configuration: the database
// (migrated, reference data loaded), the search engine, the first administrator. Returns the app's
// dependencies and one function that stops it all in order.
import { createMetrics } from "../shared/metrics.ts";
import type { Config } from "../config.ts";
import type { AppDeps } from "../deps.ts";
import { embeddedDatabaseDir, openDatabase, type Database } from "../db/database.ts";
import { seedFromImage } from "../db/embedded-image.ts";
import { applyMigrations } from "../db/migrate.ts";
import { readMigrations } from "../db/migrations-fs.ts";
import { ensureRegions } from "../reference/regions.ts";
import { ensureAdministrator } from "../services/operators.ts";
import { contextFor, SERVICE } from "../services/context.ts";
import { channels } from "../../bots/index.ts";
import { sealPlainAddresses } from "../delivery/personal-data.ts";
import { createDispatcher } from "../delivery/dispatcher.ts";
import { ensureRecurringJobs } from "../jobs/registry.ts";
import { assertSealingKey } from "../services/key-check.ts";
import { createPolicyStore } from "../services/policies.ts";
import { createJobRunner } from "../jobs/runner.ts";
import { queueJob } from "../queue/queue.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import type { Logger } from "../shared/logger.ts";
import { wallClock } from "../shared/clock.ts";
import { RATE_LIMITS } from "../shared/rate-limits.ts";
import { createPiiProtector, type PiiProtector } from "../shared/pii.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { nodeHttpClient } from "../../matching/node-http-client.ts";
import { startBundledMeilisearch, type BundledMeilisearch } from "./bundled-meilisearch.ts";
import { nodeSpreadsheets } from "./spreadsheets.ts";
import { localSecrets, privateDataDir } from "./local-secrets.ts";

export interface NodeServices {
  deps: AppDeps;
  /** printed once by the entry: the generated administrator token on a first start */
  generatedAdminToken?: string;
  stop(): Promise<void>;
}

/** DATA_DIR made private, the keys generated there once where the environment gives none, and the sealer of personal data. */
function keys(config: Config) {
  privateDataDir(config.DATA_DIR);
  const needsLocalSecrets = !config.PII_ENCRYPTION_KEY || (!config.MEILI_URL && !config.MEILI_MASTER_KEY);
  const secrets = needsLocalSecrets ? localSecrets(config.DATA_DIR) : undefined;
  return { secrets, pii: createPiiProtector(Buffer.from(config.PII_ENCRYPTION_KEY ?? secrets!.piiEncryptionKey, "base64")) };
}

export async function startNodeServices(config: Config, log: Logger): Promise<NodeServices> {
  const { secrets, pii } = keys(config);

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error: Error) => log.error({ err: error }, "stop step failed"));
  };
  const step = startupSteps(log);
  try {
    if (!config.DATABASE_URL && (await step("embedded database checked for a first start", async () => seedFromImage(embeddedDatabaseDir(config.DATA_DIR))))) {
      log.info("first start: the embedded database is a copy of the image prepared at install (dist/database-image)");
    }
    const db: Database = await step("database opened", () => openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: config.DATA_DIR }));
    stops.push(() => db.close());
    await readyDatabase(db, pii, log, step);

    // The search engine starts once the database and the key hold, so a start that fails on them
    // fails at once and leaves no search engine behind.
    let meili: BundledMeilisearch | undefined;
    if (!config.MEILI_URL) {
      meili = await step("bundled Meilisearch started", () => startBundledMeilisearch({ dataDir: config.DATA_DIR, masterKey: config.MEILI_MASTER_KEY ?? secrets!.meiliMasterKey, log, servicePort: config.PORT }));
      stops.push(() => meili!.stop());
    }
    const httpClient = nodeHttpClient();
    stops.push(async () => httpClient.close());
    const search = createSearchClient({
      url: config.MEILI_URL ?? meili!.url,
      apiKey: config.MEILI_MASTER_KEY ?? meili?.masterKey,
      httpClient,
    });

    const indexes = createMatchingIndexes(search, {});
    // Index settings are a job too: if the search engine is down at start, they are applied when it returns.
    await queueJob(db.prisma, "index.settings", {});
    const policies = createPolicyStore(db.prisma, log);
    const { generatedToken } = await step("administrator checked", () => ensureAdministrator(contextFor({ prisma: db.prisma, sql: db.sql, clock: wallClock, pii, log, indexes, policies }, SERVICE), config.ADMIN_TOKEN));
    // One process's counters, read by GET /metrics; the dispatcher's sends and the chat's turns.
    const metrics = createMetrics();
    const dispatcher = createDispatcher({
      prisma: db.prisma,
      pii,
      sql: db.sql,
      channels: Object.fromEntries(channels.filter((c) => c.enabled(config)).map((c) => [c.name, c.delivery(config, log)])),
      quietHours: config.SMS_QUIET_HOURS,
      log,
      clock: wallClock,
      metrics,
    });
    dispatcher.start();
    stops.push(() => dispatcher.stop());
    await ensureRecurringJobs({ prisma: db.prisma, clock: wallClock });
    const jobs = createJobRunner({ deps: { prisma: db.prisma, sql: db.sql, indexes, pii, policies, log, clock: wallClock, outboxQueued: dispatcher.nudge } });
    jobs.start();
    // Stopped before the dispatcher: a job that queues messages finishes while the dispatcher still runs.
    stops.push(() => jobs.stop());
    step.done();
    return {
      deps: { config, prisma: db.prisma, sql: db.sql, search, indexes, pii, policies, log, clock: wallClock, rateLimits: RATE_LIMITS, outboxQueued: dispatcher.nudge, jobsQueued: jobs.nudge, spreadsheets: nodeSpreadsheets, metrics, ...(db.backup ? { backup: db.backup } : {}) },
      ...(generatedToken ? { generatedAdminToken: generatedToken } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The database made ready for this version: migrated, its sealing key checked, plain numbers sealed, the divisions loaded. */
async function readyDatabase(db: Database, pii: PiiProtector, log: Logger, step: ReturnType<typeof startupSteps>): Promise<void> {
  const { applied } = await step("migrations checked", () => applyMigrations(db.sql, readMigrations()));
  if (applied.length) log.info({ applied }, "database migrations applied");
  await step("sealing key checked", () => assertSealingKey(db.prisma, pii));
  const { sealed, conflicts } = await sealPlainAddresses(db.prisma, pii);
  if (sealed) log.info({ sealed }, "SMS numbers written before they were sealed are sealed now");
  if (conflicts) log.warn({ conflicts }, "SMS identities left plain: the same number has a sealed identity too (merge them)");
  const { loaded } = await step("administrative divisions checked", () => ensureRegions(db.sql));
  if (loaded) log.info({ loaded }, "administrative divisions loaded (first start only)");
}

export interface SharedServices {
  /** what the service processes are started with: the bundled Meilisearch's address and key */
  env: Record<string, string>;
  generatedAdminToken?: string;
  stop(): Promise<void>;
}

/**
 * What several service processes on one PostgreSQL database share, done once by the process that
 * starts them so that they do not race for it: the keys generated under DATA_DIR, the database made
 * ready and its first administrator, and one bundled Meilisearch for all of them.
 */
export async function startSharedServices(config: Config, log: Logger): Promise<SharedServices> {
  const { secrets, pii } = keys(config);
  const step = startupSteps(log);
  const db = await step("database opened", () => openDatabase({ url: config.DATABASE_URL! }));
  let meili: BundledMeilisearch | undefined;
  // The administrator's verb takes the usual context; nothing here searches.
  const httpClient = nodeHttpClient();
  try {
    await readyDatabase(db, pii, log, step);
    const indexes = createMatchingIndexes(createSearchClient({ url: "http://127.0.0.1:1", httpClient }), {});
    const { generatedToken } = await ensureAdministrator(contextFor({ prisma: db.prisma, sql: db.sql, clock: wallClock, pii, log, indexes, policies: createPolicyStore(db.prisma, log) }, SERVICE), config.ADMIN_TOKEN);
    if (!config.MEILI_URL) {
      meili = await step("bundled Meilisearch started", () => startBundledMeilisearch({ dataDir: config.DATA_DIR, masterKey: config.MEILI_MASTER_KEY ?? secrets!.meiliMasterKey, log, servicePort: config.PORT }));
    }
    return {
      env: meili ? { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey } : {},
      ...(generatedToken ? { generatedAdminToken: generatedToken } : {}),
      stop: async () => void (await meili?.stop()),
    };
  } catch (error) {
    await meili?.stop();
    throw error;
  } finally {
    httpClient.close();
    await db.close();
  }
}

/**
 * Times each start-up step and logs it with the process's memory after it, so a slow or heavy
 * start says which step it was.
 */
function startupSteps(log: Logger) {
  let last = performance.now();
  const rssMb = () => Math.round(process.memoryUsage.rss() / 1048576);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const value = await run();
    const now = performance.now();
    log.info({ ms: Math.round(now - last), rssMb: rssMb() }, `start-up: ${name}`);
    last = now;
    return value;
  };
  // performance.now() counts from the process's own start: loading the code is in the total too.
  step.done = () => log.info({ ms: Math.round(performance.now()), rssMb: rssMb() }, "start-up: services ready (ms since the process started)");
  return step;
}
