// `DATABASE_URL=postgresql://… npm run bench:scale`: the two tables that grow with every message, at
// the size this machine holds — 10,000,000 timeline events over 200,000 workers and 5,000,000 outbox
// rows (1% of them due), plus 5,000,000 inbound receipts — generated in SQL in a database of its own.
// Then, beside each other in the same run: the dispatcher's claim (its own statement, rolled back)
// and a worker's timeline page (the worker page's read), p50/p95 over many calls; and a retention
// run (services/retention.ts: sent messages after 90 days, receipts after 7) with the claim timed
// again while it works, to show the service does not wait on it.
//
// Env: DATABASE_URL (required), BENCH_EVENTS (10000000), BENCH_OUTBOX (5000000), BENCH_WORKERS (200000),
// BENCH_KEEP=1 keeps the database (zt_bench_scale) for a second look.
import pg from "pg";
import { openDatabase } from "../src/db/database.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { removeExpired, RETENTION } from "../src/services/retention.ts";

const SERVER_URL = process.env.DATABASE_URL;
if (!SERVER_URL) {
  process.stderr.write("bench:scale needs DATABASE_URL (a PostgreSQL server): it creates a database of its own there\n");
  process.exit(2);
}
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const OUTBOX = Number(process.env.BENCH_OUTBOX ?? 5_000_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 200_000);
const DATABASE = "zt_bench_scale";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const figures = (values: number[]) => `p50 ${percentile(values, 50).toFixed(2)} ms, p95 ${percentile(values, 95).toFixed(2)} ms (${values.length} calls)`;

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

const admin = new pg.Client({ connectionString: SERVER_URL });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${DATABASE}`);
const target = new URL(SERVER_URL);
target.pathname = `/${DATABASE}`;
const db = await openDatabase({ url: target.toString() });
await applyMigrations(db.sql, readMigrations());
const client = new pg.Client({ connectionString: target.toString() });
await client.connect();

console.log(`bench:scale — ${EVENTS.toLocaleString()} timeline events over ${WORKERS.toLocaleString()} workers, ${OUTBOX.toLocaleString()} outbox rows, ${OUTBOX.toLocaleString()} receipts\n`);
const [, workersMs] = await timed(() => client.query(`INSERT INTO "Worker" (id, name, "updatedAt") SELECT 'w' || n, '工人' || n, now() FROM generate_series(1, ${WORKERS}) AS n`));
// Events in the order they happen: a day's messages of many people, then the next day's.
const [, eventsMs] = await timed(() =>
  client.query(
    `INSERT INTO "PlanEvent" (id, at, "workerId", kind, channel, text)
     SELECT 'e' || n, timestamp '2025-01-01' + (n::float / ${EVENTS} * 700) * interval '1 day', 'w' || (1 + (n::bigint * 7919) % ${WORKERS}),
            (ARRAY['message_in', 'message_out', 'push', 'notice'])[1 + n % 4], 'sms', '回复1报名'
     FROM generate_series(1, ${EVENTS}) AS n`,
  ),
);
const [, outboxMs] = await timed(() =>
  client.query(
    `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, "nextAttemptAt", "createdAt", "statusAt", "sentAt")
     SELECT 'o' || n, 'k' || n, 'sms', 'a' || (n % 100000), 'push', '{"text":"x"}'::jsonb,
            (CASE WHEN n % 100 = 0 THEN 'pending' ELSE 'delivered' END)::"OutboxStatus",
            at, at, CASE WHEN n % 100 = 0 THEN NULL ELSE at END, CASE WHEN n % 100 = 0 THEN NULL ELSE at END
     FROM (SELECT n, timestamp '2025-12-01' + (n::float / ${OUTBOX} * 365) * interval '1 day' AS at FROM generate_series(1, ${OUTBOX}) AS n) AS s`,
  ),
);
const [, receiptsMs] = await timed(() =>
  client.query(`INSERT INTO "InboundReceipt" (channel, "messageId", "receivedAt") SELECT 'sms', 'm' || n, timestamp '2026-10-01' + (n::float / ${OUTBOX} * 60) * interval '1 day' FROM generate_series(1, ${OUTBOX}) AS n`),
);
await client.query(`VACUUM ANALYZE "PlanEvent", "OutboxMessage", "InboundReceipt", "Worker"`);
console.log(`generated: workers ${seconds(workersMs)}, events ${seconds(eventsMs)}, outbox ${seconds(outboxMs)}, receipts ${seconds(receiptsMs)}`);
const size = await client.query<{ name: string; size: string }>(
  `SELECT relname AS name, pg_size_pretty(pg_total_relation_size(relid)) AS size FROM pg_catalog.pg_statio_user_tables WHERE relname IN ('PlanEvent', 'OutboxMessage', 'InboundReceipt') ORDER BY relname`,
);
console.log(`sizes with indexes: ${size.rows.map((row) => `${row.name} ${row.size}`).join(", ")}\n`);

const NOW = new Date("2026-12-01T00:00:00Z");
/** The dispatcher's claim (src/delivery/dispatcher.ts), in a transaction rolled back so that every call claims the same rows. */
async function claimOnce(on: pg.Client): Promise<number> {
  await on.query("BEGIN");
  const started = performance.now();
  await on.query(
    `UPDATE "OutboxMessage" SET status = 'sending', attempts = attempts + 1, "nextAttemptAt" = $1
     WHERE id IN (
       SELECT id FROM "OutboxMessage"
       WHERE status IN ('pending', 'sending') AND "nextAttemptAt" <= $2 AND channel = ANY($3::text[]) AND (purpose = 'reply' OR true)
       ORDER BY seq LIMIT 16 FOR UPDATE SKIP LOCKED)
     RETURNING *`,
    [new Date(NOW.getTime() + 60_000), NOW, ["sms", "wechat"]],
  );
  const ms = performance.now() - started;
  await on.query("ROLLBACK");
  return ms;
}
/** A worker's timeline, newest first, as the worker page reads it (src/services/workers.ts). */
async function timelineOnce(on: pg.Client, worker: number): Promise<number> {
  const started = performance.now();
  await on.query(`SELECT * FROM "PlanEvent" WHERE "workerId" = $1 ORDER BY seq DESC LIMIT 50`, [`w${worker}`]);
  return performance.now() - started;
}

const claims: number[] = [];
for (let i = 0; i < 200; i++) claims.push(await claimOnce(client));
const timelines: number[] = [];
for (let i = 0; i < 500; i++) timelines.push(await timelineOnce(client, 1 + ((i * 104729) % WORKERS)));
console.log(`dispatcher claim (16 of ${(OUTBOX / 100).toLocaleString()} due among ${OUTBOX.toLocaleString()}): ${figures(claims)}`);
console.log(`a worker's timeline (50 newest of ~${Math.round(EVENTS / WORKERS)}, among ${EVENTS.toLocaleString()}): ${figures(timelines)}`);

// Retention while the dispatcher claims: the claim is timed on its own connection all along.
const side = new pg.Client({ connectionString: target.toString() });
await side.connect();
let retaining = true;
const during: number[] = [];
const claiming = (async () => {
  while (retaining) during.push(await claimOnce(side));
})();
const [run, retentionMs] = await timed(() => removeExpired(db.sql, NOW, { budgetMs: Number.POSITIVE_INFINITY }));
retaining = false;
await claiming;
console.log(
  `retention (${RETENTION.outboxDays} days for sent messages, ${RETENTION.receiptDays} for receipts, batches of ${RETENTION.batch}): ${run.outbox.toLocaleString()} messages and ${run.receipts.toLocaleString()} receipts removed in ${seconds(retentionMs)} (${Math.round((run.outbox + run.receipts) / (retentionMs / 1000)).toLocaleString()} rows/s)`,
);
console.log(`dispatcher claim meanwhile: ${figures(during)}`);

await side.end();
await client.end();
await db.close();
if (process.env.BENCH_KEEP !== "1") await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await admin.end();
