// Job push at scale: one vacancy matched to 10,000 workers. Times choosing and queueing them (our
// fan-out: candidates from Meilisearch, caps, one notice and outbox row each) beside the raw parts
// in the same run (the engine's multi-search for the same pools; a bare INSERT of as many outbox
// rows), then the dispatcher sending them through a provider stand-in with a set rate limit. The
// queue must never be the bottleneck: the dispatcher's own ceiling (an unlimited provider) is
// reported as a multiple of the provider's limit; and what one reply costs when each is sent alone.
//
// Usage: npm run bench:push
// Env: DATABASE_URL (PostgreSQL; else an embedded PGlite database), BENCH_WORKERS (10000),
// BENCH_PROVIDER_RATE (messages per second the provider accepts, 200), BENCH_PROVIDER_MS (its
// latency per call, 20); MEILI_URL/MEILI_MASTER_KEY for an external Meilisearch.
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMatchingIndexes } from "../matching/indexes.ts";
import { candidateSearchQueries } from "../matching/match.ts";
import { nodeHttpClient } from "../matching/node-http-client.ts";
import { createSearchClient } from "../matching/search-client.ts";
import { openDatabase } from "../src/db/database.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { sealPlainAddresses, smsAddress } from "../src/delivery/personal-data.ts";
import { createDispatcher } from "../src/delivery/dispatcher.ts";
import type { Sender } from "../src/delivery/sender.ts";
import { startBundledMeilisearch } from "../src/entry/bundled-meilisearch.ts";
import { pushVacancy, PUSH_LIMITS } from "../src/services/push.ts";
import { contextFor, SERVICE } from "../src/services/context.ts";
import { createPolicyStore } from "../src/services/policies.ts";
import { vacancyForIndex, workerForIndex } from "../src/services/search-sync.ts";
import { createLogger } from "../src/shared/logger.ts";
import { wallClock } from "../src/shared/clock.ts";
import { createPiiProtector } from "../src/shared/pii.ts";
import { uuidv7 } from "../src/shared/ids.ts";
import { postgresCpuSince, postgresProcessesCpuMs } from "./proc.ts";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 10_000);
const PROVIDER_RATE = Number(process.env.BENCH_PROVIDER_RATE ?? 200);
const PROVIDER_MS = Number(process.env.BENCH_PROVIDER_MS ?? 20);
const COUNTY = "350622";
const log = createLogger({ level: "warn" });

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(2)} s`;
}

async function openBenchDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const pglite = await PGlite.create();
    return { db: await openDatabase({ pglite }), label: "PGlite (embedded)", drop: async () => {} };
  }
  const name = `zt_bench_push_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = await openDatabase({ url: target.toString() });
  return {
    db,
    label: "PostgreSQL",
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const { db, label, drop } = await openBenchDatabase();
const pii = createPiiProtector(randomBytes(32));
const dir = mkdtempSync(join(tmpdir(), "zt-bench-push-"));
const meili = process.env.MEILI_URL ? undefined : await startBundledMeilisearch({ dataDir: dir, masterKey: "bench-master-key-0123456789", log });
const httpClient = nodeHttpClient();
try {
  await applyMigrations(db.sql, readMigrations());
  const search = createSearchClient({ url: process.env.MEILI_URL ?? meili!.url, apiKey: process.env.MEILI_MASTER_KEY ?? meili?.masterKey, httpClient });
  const indexes = createMatchingIndexes(search, { prefix: `bench${process.pid}_` });
  await indexes.ensureSettings();

  // Workers who all fit: the same county, the vacancy's occupation, an SMS number each.
  const wanted = WORKERS;
  const population = Math.ceil(wanted * 1.1);
  const started = performance.now();
  await db.sql.query(
    `INSERT INTO "Worker" (id, name, "birthDate", sex, "homeRegionCode", "povertyStatus", categories, skills, "wishedOccupations", "workRange", "wageFloor", "employmentStatus", "createdAt", "updatedAt")
     SELECT 'w' || lpad(i::text, 8, '0'), '工人' || i, date '1975-01-01' + (i % 9000), CASE WHEN i % 2 = 0 THEN 'female'::"Sex" ELSE 'male'::"Sex" END,
            $1 || lpad((100 + i % 12)::text, 3, '0') || lpad((200 + i % 30)::text, 3, '0'), 'registered', '{}', '{}', ARRAY['4-09-08-01'], 'homeCounty', 2000, 'seeking', now(), now()
     FROM generate_series(1, $2) AS i`,
    [COUNTY, population],
  );
  await db.sql.query(
    `INSERT INTO "ChannelIdentity" (id, channel, address, "workerId", "lastInboundAt", "createdAt")
     SELECT 'i' || lpad(i::text, 8, '0'), 'sms', '+86139' || lpad(i::text, 8, '0'), 'w' || lpad(i::text, 8, '0'), now() - interval '3 days', now()
     FROM generate_series(1, $1) AS i`,
    [population],
  );
  // Numbers are stored sealed, as the service writes them.
  await sealPlainAddresses(db.prisma, pii);
  const rows = await db.prisma.worker.findMany({ include: { identities: { select: { optedOutAt: true } }, events: { where: { kind: "push" }, select: { id: true }, take: 1 } } });
  await indexes.waitFor(await indexes.upsertWorkers(rows.map(workerForIndex)), { timeoutMs: 300_000 });
  console.log(`setup: ${population} workers in ${label} and Meilisearch in ${seconds(performance.now() - started)}`);

  const vacancy = await db.prisma.vacancy.create({
    data: { title: "保洁员", occupationCode: "4-09-08-01", regionCode: `${COUNTY}103`, headcount: Math.ceil(wanted / PUSH_LIMITS.candidatesPerOpening), wageMin: 2500, wageMax: 3000, status: "open" },
    include: { employer: { select: { kind: true } } },
  });

  // Raw parts, same run: the engine's multi-search for the pools, and a bare INSERT of the rows.
  const rawSearchStart = performance.now();
  const queries = candidateSearchQueries(indexes, vacancyForIndex(vacancy), { limit: wanted, now: new Date() });
  const raw = await search.multiSearch({ queries });
  const rawSearchMs = performance.now() - rawSearchStart;
  const rawHits = raw.results.reduce((sum, result) => sum + result.hits.length, 0);
  const rawInsertStart = performance.now();
  await db.sql.query(
    `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, "nextAttemptAt", "createdAt")
     SELECT id, 'raw:' || id, 'raw', '+86139' || lpad(i::text, 8, '0'), 'push', '{"text":"x"}', 'failed', now(), now()
     FROM unnest($1::text[]) WITH ORDINALITY AS t(id, i)`,
    [Array.from({ length: wanted }, () => uuidv7())],
  );
  const rawInsertMs = performance.now() - rawInsertStart;

  /** The CPU a message took since the readings: this process's (the dispatcher's) and PostgreSQL's. */
  const cpuPerMessage = (cpuBefore: NodeJS.CpuUsage, databaseBefore: Map<number, number>, messages: number) => {
    const used = process.cpuUsage(cpuBefore);
    const own = `this process${db.kind === "postgres" ? "" : " (the embedded database in it)"} ${((used.user + used.system) / 1000 / messages).toFixed(2)} ms`;
    return `CPU a message: ${own}${db.kind === "postgres" ? `, PostgreSQL ${(postgresCpuSince(databaseBefore) / messages).toFixed(2)} ms` : ""}`;
  };

  // When people write one at a time, each reply is queued alone and claimed alone: what sending one
  // message costs this process (the dispatcher) and, on PostgreSQL, the database, its queueing
  // included; the provider answers at once.
  const ONE_BY_ONE = 2000;
  const instant: Sender = { send: async () => ({ providerMessageId: `P${uuidv7()}` }) };
  const oneByOne = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender: instant, ratePerSecond: 1_000_000 } }, quietHours: null, log, clock: wallClock });
  const replyAddress = smsAddress(pii, "+8613800000000");
  const replyOneByOne = async (count: number) => {
    for (let i = 0; i < count; i++) {
      // Due from the clock's now, as the service queues them (the column's default, rounded to the
      // millisecond, can lie a fraction of one ahead of the claim that follows).
      await db.sql.query(`INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, "nextAttemptAt") VALUES ($1, $1, 'sms', $2, 'reply', '{"text":"好的"}', $3)`, [uuidv7(), replyAddress, wallClock()]);
      const taken = await oneByOne.runOnce();
      if (taken !== 1) throw new Error(`a reply queued alone was not sent alone: ${taken} taken`);
    }
  };
  await replyOneByOne(ONE_BY_ONE / 4);
  const cpuBefore = process.cpuUsage();
  const databaseBefore = postgresProcessesCpuMs();
  const oneByOneStart = performance.now();
  await replyOneByOne(ONE_BY_ONE);
  const oneByOneMs = performance.now() - oneByOneStart;
  console.log(`\nreplies one at a time (each queued, claimed and sent alone): ${ONE_BY_ONE} in ${seconds(oneByOneMs)} = ${((ONE_BY_ONE * 1000) / oneByOneMs).toFixed(0)}/s; ${cpuPerMessage(cpuBefore, databaseBefore, ONE_BY_ONE)}`);

  const pushStart = performance.now();
  const run = await pushVacancy(contextFor({ prisma: db.prisma, sql: db.sql, indexes, pii, policies: createPolicyStore(db.prisma), log, clock: wallClock }, SERVICE), vacancy.id);
  const pushMs = performance.now() - pushStart;
  const rawMs = rawSearchMs + rawInsertMs;
  console.log(`\nchoose and queue ${run.queued} pushes (of ${run.candidates} candidates): ${seconds(pushMs)}, ${Math.round((run.queued * 1000) / pushMs)} pushes/s`);
  console.log(`  raw: multi-search ${rawHits} hits ${seconds(rawSearchMs)} + INSERT ${wanted} outbox rows ${seconds(rawInsertMs)} = ${seconds(rawMs)}; ours ${(pushMs / rawMs).toFixed(2)}× raw`);

  // The dispatcher: at the provider's limit, then the ceiling of the queue itself.
  async function dispatch(ratePerSecond: number, latencyMs: number, budgetMs: number): Promise<{ sent: number; ms: number; cpu: string }> {
    let sent = 0;
    const sender: Sender = {
      async send() {
        await new Promise((resolve) => setTimeout(resolve, latencyMs));
        sent += 1;
        return { providerMessageId: `P${sent}` };
      },
    };
    const dispatcher = createDispatcher({ prisma: db.prisma, sql: db.sql, pii, channels: { sms: { sender, ratePerSecond } }, quietHours: null, log, concurrency: 64, clock: wallClock });
    const cpuBefore = process.cpuUsage();
    const databaseBefore = postgresProcessesCpuMs();
    const begin = performance.now();
    while (performance.now() - begin < budgetMs && (await dispatcher.runOnce()) > 0);
    return { sent, ms: performance.now() - begin, cpu: cpuPerMessage(cpuBefore, databaseBefore, sent) };
  }
  const limited = await dispatch(PROVIDER_RATE, PROVIDER_MS, 20_000);
  const limitedRate = (limited.sent * 1000) / limited.ms;
  const ceiling = await dispatch(1_000_000, PROVIDER_MS, 20_000);
  const ceilingRate = (ceiling.sent * 1000) / ceiling.ms;
  console.log(`\ndispatcher at a provider limit of ${PROVIDER_RATE}/s (${PROVIDER_MS} ms per call): ${limited.sent} sent in ${seconds(limited.ms)} = ${limitedRate.toFixed(0)}/s, ${(limitedRate / PROVIDER_RATE).toFixed(2)}× the limit; ${limited.cpu}`);
  console.log(`dispatcher ceiling (no provider limit, ${PROVIDER_MS} ms per call): ${ceiling.sent} sent in ${seconds(ceiling.ms)} = ${ceilingRate.toFixed(0)}/s, ${(ceilingRate / PROVIDER_RATE).toFixed(1)}× the provider's limit; ${ceiling.cpu}`);

  const left = await db.prisma.outboxMessage.count({ where: { channel: "sms", status: "pending" } });
  console.log(`queue: ${run.queued + 0} queued, ${limited.sent + ceiling.sent} sent, ${left} still pending; every worker at most one push: ${(await db.prisma.notice.groupBy({ by: ["workerId"], _count: true, having: { workerId: { _count: { gt: 1 } } } })).length === 0}`);
  await search.deleteIndex(indexes.vacancies.uid).catch(() => {});
  await search.deleteIndex(indexes.workers.uid).catch(() => {});
} finally {
  httpClient.close();
  await meili?.stop();
  await db.close();
  await drop();
  rmSync(dir, { recursive: true, force: true });
}
