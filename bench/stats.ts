// `npm run bench:stats`: the officials' figures at a province's scale. A database of its own on a
// PostgreSQL server gets 1,000,000 synthetic but realistic workers over Fujian's real villages (with
// plans, tasks, job pushes and their outbox rows, training offers, courses and enrolments), built in
// SQL with generate_series, and the kept live figures counted once from it (figures_rebuild); then
// GET /api/stats for the province, a city, a county and a township is timed over HTTP beside the
// raw SQL the service sends (the kept rows) and the statement that counts every worker, which the
// kept figures must equal (checked at every level), in the same run; and the quarterly CSV beside
// its statement. Last, where the statement over every worker spends its time, per aggregate.
//
//   DATABASE_URL (required: a PostgreSQL server; the bench creates and drops a database of its own)
//   BENCH_WORKERS (1000000)  BENCH_RUNS (5 per region)  BENCH_REPLIES (3 chat replies per worker in
//   the outbox)  BENCH_DATABASE (zt_bench_stats)
//   BENCH_KEEP=1 keeps the database afterwards; BENCH_REUSE=1 times an already generated one again
import { serve } from "@hono/node-server";
import pg from "pg";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { buildApp } from "../src/app.ts";
import { openDatabase } from "../src/db/database.ts";
import type { SqlRunner } from "../src/db/sql.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { readMigrations } from "../src/db/migrations-fs.ts";
import { ensureRegions } from "../src/reference/regions.ts";
import { createOperator } from "../src/services/operators.ts";
import { contextFor, SERVICE } from "../src/services/context.ts";
import { chinaQuarter, previousQuarter } from "../src/shared/china-time.ts";
import { processCpuMs } from "./proc.ts";
import { benchDeps } from "./service-deps.ts";
import { keepEndedQuarter, quarterlyReport, regionStats } from "../src/services/stats/figures.ts";
import { quarterlyStatsQuery, STATS_SESSION, statsQuery, type StatsQuery } from "../src/services/stats/statement.ts";

const SERVER_URL = process.env.DATABASE_URL;
if (!SERVER_URL) {
  process.stderr.write("bench:stats needs DATABASE_URL (a PostgreSQL server): it creates a database of its own there\n");
  process.exit(1);
}
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DATABASE = process.env.BENCH_DATABASE ?? "zt_bench_stats";
const KEEP = process.env.BENCH_KEEP === "1";
const REUSE = process.env.BENCH_REUSE === "1";
const TARGET_PROVINCE_MS = 300;
const TARGET_COUNTY_MS = 50;
const VACANCIES = 6_000;
const COURSES = 400;
const REPLIES_PER_WORKER = Number(process.env.BENCH_REPLIES ?? 3);

if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error(`BENCH_DATABASE must be a plain identifier: ${DATABASE}`);
const benchUrl = new URL(SERVER_URL);
benchUrl.pathname = `/${DATABASE}`;

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(1);

// ---------------------------------------------------------------------------------------------------
// Generating: one statement per table, all in the database, seeded so that runs compare.

/**
 * Each step is one INSERT … SELECT over generate_series. Foreign-key triggers are off for the load
 * (session_replication_role = replica): every reference is drawn from rows inserted just before, so
 * the per-row checks would only slow the load.
 */
const GENERATE: [label: string, sql: string][] = [
  [
    "ids",
    // The service's ids are UUIDv7 (time first), so rows arrive in id order; the bench's too.
    `CREATE FUNCTION pg_temp.bench_uuid7(at timestamp) RETURNS text LANGUAGE sql VOLATILE AS $$
       SELECT substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(r, 1, 3) || '-' || (ARRAY['8', '9', 'a', 'b'])[1 + floor(random() * 4)::int]
              || substr(r, 4, 3) || '-' || substr(r, 7, 12)
       FROM (SELECT lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') AS t, md5(random()::text) AS r) parts
     $$`,
  ],
  [
    "places",
    // Workers live mostly in rural villages (村委会), far fewer in urban communities (社区) and in
    // city districts (区); each village's size varies. Slots turn those weights into a uniform draw.
    `CREATE TEMP TABLE bench_place AS
     SELECT row_number() OVER (ORDER BY code) AS slot, code
     FROM (
       SELECT v.code,
              (CASE WHEN c.name LIKE '%区' THEN 0.4 ELSE 1.0 END)
            * (CASE WHEN v.name ~ '村(民委员会|委会)$' THEN 1.0 ELSE 0.2 END)
            * (0.5 + random()) AS weight
       FROM "Region" v JOIN "Region" c ON c.code = substr(v.code, 1, 6)
       WHERE v.level = 5 AND v.code >= '35' AND v.code < '35z'
     ) weighted, generate_series(1, greatest(1, round(weight * 5))::int);
     CREATE TEMP TABLE bench_county AS SELECT row_number() OVER (ORDER BY code) - 1 AS n, code FROM "Region" WHERE level = 3 AND code >= '35' AND code < '35z'`,
  ],
  [
    "workers",
    `WITH draw AS MATERIALIZED (
       SELECT i, random() AS r_place, random() AS r_depth, random() AS r_age, random() AS r_age2, random() AS r_status,
              random() AS r_range, random() AS r_train, random() AS r_poverty, random() AS r_pension, random() AS r_cat,
              random() AS r_created, random() AS r_hired, random() AS r_name1, random() AS r_name2, random() AS r_name3
       FROM generate_series(1, $1::int) i
     ), person AS (
       SELECT d.*, p.code AS village,
              CASE WHEN d.r_age < 0.14 THEN 60 + floor(d.r_age2 * 16) ELSE 16 + floor(d.r_age2 * 44) END::int AS age,
              CASE WHEN d.r_created < 0.4 THEN timestamp '2024-01-02' + d.r_created / 0.4 * interval '80 days'
                   ELSE timestamp '2024-03-25' + (d.r_created - 0.4) / 0.6 * (now()::timestamp - timestamp '2024-03-25') END AS created
       FROM draw d JOIN bench_place p ON p.slot = 1 + floor(d.r_place * (SELECT count(*) FROM bench_place))
     ), status AS (
       SELECT person.*,
              (CASE WHEN age >= 60 THEN
                 CASE WHEN r_status < 0.45 THEN 'notSeeking' WHEN r_status < 0.60 THEN 'seeking' WHEN r_status < 0.85 THEN 'employedLocal' ELSE 'selfEmployed' END
               ELSE
                 CASE WHEN r_status < 0.21 THEN 'seeking' WHEN r_status < 0.47 THEN 'employedLocal' WHEN r_status < 0.65 THEN 'employedInProvince'
                      WHEN r_status < 0.81 THEN 'employedOutOfProvince' WHEN r_status < 0.89 THEN 'selfEmployed' ELSE 'notSeeking' END
               END)::"EmploymentStatus" AS employment
       FROM person
     )
     INSERT INTO "Worker" (id, name, "idNumberEnc", "idNumberHash", "idNumberMasked", "birthDate", sex, "phoneEnc", "phoneHash", "phoneMasked",
                           "homeRegionCode", "povertyStatus", categories, skills, "wishedOccupations", "workRange", "wageFloor", "wantsTraining",
                           "employmentStatus", "employedSince", "employedRegionCode", "pensionEnrolled", education, "registeredVia", "createdAt", "updatedAt")
     SELECT pg_temp.bench_uuid7(created),
            (ARRAY['陈','林','黄','张','吴','李','王','郑','刘','杨','蔡','许','谢','洪','邱','曾','廖','赖','周','徐','江','叶','苏','庄','罗','游','詹','何','郭','卢'])[1 + floor(r_name1 * 30)::int]
              || (ARRAY['秀','美','建','国','丽','春','金','志','明','华','玉','英','文','荣','福','清','芳','德','海','平'])[1 + floor(r_name2 * 20)::int]
              || CASE WHEN r_name3 < 0.7 THEN (ARRAY['兰','珍','强','伟','生','水','花','忠','梅','辉'])[1 + floor(r_name3 / 0.7 * 10)::int] ELSE '' END,
            'v1.' || substr(md5(i::text), 1, 16) || '.' || substr(md5((i + 1)::text), 1, 22) || '.' || substr(md5((i + 2)::text), 1, 24),
            md5('id' || i) || md5('id2' || i),
            substr(village, 1, 6) || '********' || lpad((i % 10000)::text, 4, '0'),
            CASE WHEN r_pension < 0.03 THEN NULL ELSE (now()::date - (age * 365 + floor(r_hired * 365))::int) END,
            (CASE WHEN r_name2 < 0.52 THEN 'male' ELSE 'female' END)::"Sex",
            'v1.' || substr(md5('p' || i), 1, 16) || '.' || substr(md5('q' || i), 1, 22) || '.' || substr(md5('r' || i), 1, 20),
            md5('phone' || (i / 2)) || md5('phone2' || (i / 2)), -- family members share a phone
            '13' || (i % 10) || '****' || lpad((i % 10000)::text, 4, '0'),
            CASE WHEN r_depth < 0.03 THEN substr(village, 1, 6) WHEN r_depth < 0.08 THEN substr(village, 1, 9) ELSE village END,
            (CASE WHEN r_poverty < 0.58 THEN 'lifted' WHEN r_poverty < 0.70 THEN 'registered' WHEN r_poverty < 0.82 THEN 'monitored'
                  WHEN r_poverty < 0.90 THEN 'none' ELSE 'unknown' END)::"PovertyStatus",
            CASE WHEN r_cat < 0.80 THEN '{}'::text[] WHEN r_cat < 0.92 THEN '{minimumLivingAllowance}' WHEN r_cat < 0.97 THEN '{disability}' ELSE '{extremeHardship}' END,
            '{}'::text[],
            CASE WHEN r_cat < 0.3 THEN '{4-10-01-06}'::text[] WHEN r_cat < 0.6 THEN '{6-31-01-09,4-07-04-02}' ELSE '{}' END,
            (CASE WHEN employment = 'employedOutOfProvince' THEN 'anywhere' WHEN r_range < 0.40 THEN 'homeCounty' WHEN r_range < 0.72 THEN 'province'
                  WHEN r_range < 0.94 THEN 'anywhere' END)::"WorkRange",
            CASE WHEN r_range < 0.8 THEN 3000 + floor(r_range * 10) * 300 END,
            CASE WHEN r_train < 0.35 THEN true WHEN r_train < 0.80 THEN false END,
            employment,
            CASE WHEN employment IN ('employedLocal', 'employedInProvince', 'employedOutOfProvince', 'selfEmployed')
                 THEN created + r_hired * (now()::timestamp - created) END,
            CASE employment WHEN 'employedLocal' THEN substr(village, 1, 6) WHEN 'employedInProvince' THEN (ARRAY['350102', '350203', '350503', '350582'])[1 + floor(r_hired * 4)::int]
                            WHEN 'employedOutOfProvince' THEN (ARRAY['440305', '440604', '441900', '330110', '310115'])[1 + floor(r_hired * 5)::int] END,
            CASE WHEN r_pension < 0.05 THEN NULL WHEN r_pension < (CASE WHEN age >= 60 THEN 0.80 ELSE 0.60 END) THEN true ELSE false END,
            (ARRAY['小学', '初中', '初中', '高中', '中专'])[1 + floor(r_name3 * 5)::int],
            (ARRAY['sms', 'wechat', 'wechat', 'operator'])[1 + floor(r_name1 * 4)::int],
            created, created
     FROM status ORDER BY created`,
  ],
  [
    "plans",
    // Most seeking workers have a plan, fewer of the others; about one plan in five is closed.
    `INSERT INTO "AssistancePlan" (id, "workerId", "regionCode", status, "openedAt", "closedAt")
     SELECT pg_temp.bench_uuid7(opened), id, "homeRegionCode",
            (CASE WHEN r_closed < 0.2 THEN 'closed' ELSE 'open' END)::"PlanStatus",
            opened, CASE WHEN r_closed < 0.2 THEN opened + r_closed / 0.2 * (now()::timestamp - opened) END
     FROM (SELECT w.id, w."homeRegionCode", w."employmentStatus", random() AS r_plan, random() AS r_closed,
                  w."createdAt" + random() * interval '20 days' AS opened
           FROM "Worker" w) w
     WHERE r_plan < CASE WHEN "employmentStatus" = 'seeking' THEN 0.78 ELSE 0.35 END AND opened < now()
     ORDER BY opened`,
  ],
  [
    "tasks",
    // Follow-ups on half the plans, job-loss warnings on one in sixteen, requests for a person on a few.
    `INSERT INTO "PlanTask" (id, "planId", "regionCode", kind, "dueAt", status, "createdAt", "doneAt")
     SELECT pg_temp.bench_uuid7(created), id, "regionCode", kind, created + interval '7 days',
            (CASE WHEN r_status < open_share THEN 'open' WHEN r_status < 0.92 THEN 'done' ELSE 'cancelled' END)::"TaskStatus",
            created, CASE WHEN r_status >= open_share THEN created + r_status * (now()::timestamp - created) END
     FROM (SELECT p.id, p."regionCode", k.kind, k.open_share, random() AS r_task, random() AS r_status,
                  p."openedAt" + random() * (now()::timestamp - p."openedAt") AS created, k.share
           FROM "AssistancePlan" p
           CROSS JOIN (VALUES ('follow_up', 0.5, 0.3), ('job_loss_warning', 0.0625, 0.55), ('human_request', 0.03, 0.4)) k(kind, share, open_share)) t
     WHERE r_task < share
     ORDER BY created`,
  ],
  [
    "vacancies and courses",
    `CREATE TEMP TABLE bench_vacancy AS
     SELECT i - 1 AS n, gen_random_uuid()::text AS id, (SELECT code FROM bench_county WHERE n = i % (SELECT count(*) FROM bench_county)) AS region
     FROM generate_series(1, ${VACANCIES}) i;
     INSERT INTO "Vacancy" (id, title, "regionCode", "occupationCode", "wageMin", "wageMax", headcount, "postedVia", "createdAt", "updatedAt")
     SELECT id, (ARRAY['家政服务员（包吃住）', '普工', '保洁员', '保安员', '养老护理员', '快递员', '缝纫工', '电子厂装配工'])[1 + n % 8], region,
            (ARRAY['4-10-01-06', '6-31-01-09', '4-07-04-02', '4-07-05-01', '4-10-01-05', '4-02-07-01', '6-05-01-01', '6-25-04-01'])[1 + n % 8],
            3500 + (n % 10) * 200, 4500 + (n % 10) * 300, 1 + n % 20, 'bulk', now() - (n % 300) * interval '1 day', now()
     FROM bench_vacancy;
     CREATE TEMP TABLE bench_course AS
     SELECT i - 1 AS n, gen_random_uuid()::text AS id, i % 5 <> 0 AS free FROM generate_series(1, ${COURSES}) i;
     INSERT INTO "TrainingCourse" (id, title, "occupationCode", "regionCode", "startsAt", seats, free, "subsidyYuan", "createdAt", "updatedAt")
     SELECT c.id, (ARRAY['家政服务培训班', '养老护理员培训', '电子商务直播带货', '中式烹调师', '电工上岗证'])[1 + c.n % 5],
            (ARRAY['4-10-01-06', '4-10-01-05', '4-01-02-01', '4-03-02-01', '6-31-01-03'])[1 + c.n % 5],
            (SELECT code FROM bench_county WHERE n = c.n % (SELECT count(*) FROM bench_county)),
            timestamp '2024-03-01' + c.n * interval '2 days', 40, c.free, CASE WHEN NOT c.free THEN 350 END, now(), now()
     FROM bench_course c`,
  ],
  [
    "enrolments",
    // About one worker in five enrolled in a course, some in two; most finish.
    `INSERT INTO "TrainingEnrolment" (id, "courseId", "workerId", status, "enrolledAt", "completedAt")
     SELECT pg_temp.bench_uuid7(e.enrolled), c.id, e.worker,
            (CASE WHEN e.r_status < 0.58 THEN 'completed' WHEN e.r_status < 0.85 THEN 'enrolled' ELSE 'dropped' END)::"EnrolmentStatus",
            e.enrolled, CASE WHEN e.r_status < 0.58 THEN least(e.enrolled + interval '20 days', now()::timestamp) END
     FROM (SELECT w.id AS worker, ((hashtext(w.id)::bigint + 2147483648) + k * 37) % ${COURSES} AS course, random() AS r_status,
                  w."createdAt" + random() * (now()::timestamp - w."createdAt") AS enrolled
           FROM (SELECT id, "createdAt", random() AS r FROM "Worker") w, generate_series(1, CASE WHEN w.r < 0.05 THEN 2 WHEN w.r < 0.2 THEN 1 ELSE 0 END) k) e
     JOIN bench_course c ON c.n = e.course
     ORDER BY e.enrolled`,
  ],
  [
    "figure changes",
    // One worker in ten changed since the last quarter ended (a hire, a pension, a new wish): what
    // they were before, as the trigger on "Worker" keeps it for that quarter's report.
    `INSERT INTO "WorkerFiguresChange" ("workerId", "changedAt", "registeredAt", "homeRegionCode", "employmentStatus", "workRange", "wantsTraining",
                                       "pensionEnrolled", "povertyStatus", "birthDate", "employedSince")
     SELECT w.id, date_trunc('quarter', now()::timestamp) + random() * (now()::timestamp - date_trunc('quarter', now()::timestamp)),
            w."createdAt", w."homeRegionCode", 'seeking', w."workRange", w."wantsTraining", false, w."povertyStatus", w."birthDate", NULL
     FROM "Worker" w WHERE random() < 0.1`,
  ],
  [
    "notices",
    // Job pushes (several for a seeking worker, fewer for others), training offers for those who want
    // training, and subsidy notices; most carried by an outbox row (as services/outreach.ts writes them:
    // the same id, the notice's key), whose delivery mostly succeeded.
    `CREATE TEMP TABLE bench_notice AS
     WITH worker AS (
       SELECT id, "homeRegionCode" AS region, "createdAt", "employmentStatus", "wantsTraining", random() AS r_count, hashtext(id)::bigint + 2147483648 AS h FROM "Worker"
     ), drafted AS (
       SELECT 'job_push' AS kind, w.id AS worker, w.region, w."createdAt" AS since, v.id AS vacancy, NULL::text AS course,
              'job_push:' || v.id || ':' || w.id AS key
       FROM worker w
       CROSS JOIN LATERAL generate_series(1, CASE WHEN w."employmentStatus" = 'seeking' THEN floor(w.r_count * 7)::int WHEN w."employmentStatus" = 'notSeeking' THEN 0
                                    WHEN w.r_count < 0.5 THEN 1 ELSE 0 END) k
       JOIN bench_vacancy v ON v.n = (w.h + k * 1919) % ${VACANCIES}
       UNION ALL
       SELECT 'training_offer', w.id, w.region, w."createdAt", NULL, c.id, 'training_offer:' || c.id || ':' || w.id
       FROM worker w
       CROSS JOIN LATERAL generate_series(1, CASE WHEN w."wantsTraining" THEN floor(w.r_count * 3.2)::int WHEN w.r_count < 0.08 THEN 1 ELSE 0 END) k
       JOIN bench_course c ON c.n = (w.h + k * 37) % ${COURSES}
       UNION ALL
       SELECT 'subsidy', w.id, w.region, w."createdAt", NULL, NULL, 'subsidy:transport:' || w.id
       FROM worker w WHERE w.r_count > 0.85
     )
     SELECT identified.*,
            -- one in twenty reached no channel: no outbox row; else the outbox row shares the notice's id
            CASE WHEN r_outbox < 0.95 THEN id END AS outbox,
            CASE WHEN r_outbox >= 0.95 THEN NULL WHEN r_channel < 0.55 THEN 'wechat' ELSE 'sms' END AS channel
     FROM (SELECT pg_temp.bench_uuid7(created) AS id, timed.*
           FROM (SELECT d.*, random() AS r_outbox, random() AS r_channel, d.since + random() * (now()::timestamp - d.since) AS created
                 FROM drafted d) timed) identified
     ORDER BY created;
     INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, attempts, "nextAttemptAt", "workerId", "createdAt", "sentAt", "statusAt")
     SELECT outbox, key, channel, CASE channel WHEN 'sms' THEN '+86138' || lpad(((hashtext(worker)::bigint + 2147483648) % 100000000)::text, 8, '0') ELSE 'o' || md5(worker) END,
            'push', jsonb_build_object('text', CASE kind WHEN 'job_push' THEN '【就业直通车】为您推荐：漳州云霄县家政服务员，月薪4500-5500元，包吃住。回复1报名，回复TD退订。'
                                                    WHEN 'training_offer' THEN '【就业直通车】免费培训：家政服务培训班，12月8日开班，包午餐，结业发证。回复2报名。'
                                                    ELSE '【就业直通车】您可申领一次性交通补贴，详询村协理员。' END),
            (CASE WHEN r_outbox < 0.62 THEN 'delivered' WHEN r_outbox < 0.80 THEN 'sent' WHEN r_outbox < 0.87 THEN 'failed'
                  WHEN r_outbox < 0.92 THEN 'undelivered' ELSE 'pending' END)::"OutboxStatus",
            1, created, worker, created, CASE WHEN r_outbox < 0.80 OR r_outbox >= 0.87 AND r_outbox < 0.92 THEN created END, created
     FROM bench_notice WHERE outbox IS NOT NULL ORDER BY created;
     INSERT INTO "Notice" (id, kind, "workerId", "vacancyId", "courseId", key, "outboxId", channel, "regionCode", "createdAt", delivery, "sentAt")
     SELECT id, kind, worker, vacancy, course, key, outbox, channel, region, created,
            -- what the dispatcher and the status callbacks write on the notice, as on its outbox row
            CASE WHEN outbox IS NULL THEN NULL WHEN r_outbox < 0.62 THEN 'delivered' WHEN r_outbox < 0.80 THEN 'sent'
                 WHEN r_outbox < 0.87 THEN 'failed' WHEN r_outbox < 0.92 THEN 'undelivered' END,
            CASE WHEN outbox IS NOT NULL AND (r_outbox < 0.80 OR r_outbox >= 0.87 AND r_outbox < 0.92) THEN created END
     FROM bench_notice ORDER BY created`,
  ],
  [
    "replies",
    // The outbox carries every chat reply too, far more rows than the pushes: the figures must find
    // a push's delivery among them. A few per worker (the end of the registration chat).
    `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, attempts, "nextAttemptAt", "workerId", "createdAt", "sentAt", "statusAt")
     SELECT pg_temp.bench_uuid7(at), 'reply:' || id || ':' || k, channel, 'o' || md5(id), 'reply',
            jsonb_build_object('text', (ARRAY['请问您今年多大年纪？回复数字即可，例如 45。', '您想在哪里工作？1 本县 2 省内 3 省外都行', '登记好了！有合适的工作会第一时间告诉您。'])[1 + (k - 1) % 3]),
            (CASE WHEN k % 17 = 0 THEN 'failed' ELSE 'delivered' END)::"OutboxStatus", 1, at, id, at, at, at
     FROM (SELECT w.id, k, w."createdAt" + k * interval '40 seconds' AS at, CASE WHEN w."registeredVia" = 'sms' THEN 'sms' ELSE 'wechat' END AS channel
           FROM "Worker" w CROSS JOIN generate_series(1, ${REPLIES_PER_WORKER}) k) replies
     ORDER BY at`,
  ],
];

const LOADED_TABLES = ["Worker", "AssistancePlan", "PlanTask", "Vacancy", "TrainingCourse", "TrainingEnrolment", "OutboxMessage", "Notice"];

async function generate(client: pg.Client): Promise<void> {
  await client.query("SELECT setseed(0.20261202)");
  await client.query("SET session_replication_role = replica");
  // Secondary indexes are dropped for the load and built again afterwards from their own definitions
  // (one sort each instead of a million random inserts); the primary keys stay.
  const { rows: secondary } = await client.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = 'public' AND tablename = ANY($1) AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    [LOADED_TABLES],
  );
  for (const index of secondary) await client.query(`DROP INDEX "${index.name}"`);
  for (const [label, sql] of GENERATE) {
    const start = performance.now();
    if (label === "workers") await client.query(sql, [WORKERS]);
    else await client.query(sql);
    console.log(`  ${label}: ${seconds(start)} s`);
  }
  await client.query("SET session_replication_role = DEFAULT");
  let start = performance.now();
  for (const index of secondary) await client.query(index.definition);
  console.log(`  ${secondary.length} indexes: ${seconds(start)} s`);
  start = performance.now();
  // VACUUM sets the visibility map, as autovacuum would on a live database, so that index-only
  // scans are possible; ANALYZE gives the planner the statistics it would have.
  await client.query("VACUUM ANALYZE");
  console.log(`  vacuum analyze: ${seconds(start)} s`);
  start = performance.now();
  // The load ran with the triggers off: the kept figures are counted once from the tables.
  await client.query(`SELECT "figures_rebuild"()`);
  await client.query(`VACUUM ANALYZE "WorkerFigures", "PlaceFigures", "PlaceFiguresChange"`);
  console.log(`  the kept live figures (figures_rebuild): ${seconds(start)} s`);
}

async function tableSizes(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ name: string; rows: string; size: string }>(
    `SELECT relname AS name, reltuples::bigint::text AS rows, pg_size_pretty(pg_total_relation_size(oid)) AS size
     FROM pg_class WHERE relname IN ('Worker', 'AssistancePlan', 'PlanTask', 'Notice', 'OutboxMessage', 'TrainingEnrolment') ORDER BY relname`,
  );
  return rows.map((row) => `${row.name} ${Number(row.rows).toLocaleString("en")} rows (${row.size})`).join(", ");
}

// ---------------------------------------------------------------------------------------------------
// Measuring

interface Timing {
  p50: number;
  max: number;
}

function summarise(durations: number[]): Timing {
  const sorted = [...durations].sort((a, b) => a - b);
  return { p50: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted.at(-1)! };
}

const ms = (value: number) => `${Math.round(value)} ms`;
const load = () => loadavg().map((value) => value.toFixed(1)).join(" ");

/** A GET over a real socket with keep-alive: the whole path, as an official's client meets it. */
function get(agent: http.Agent, port: number, path: string, token: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path, agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

/** The statement exactly as the service sends it: its own transaction, the same session settings. */
async function rawSql(client: pg.Client, query: StatsQuery, session = STATS_SESSION): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(session);
    await client.query(query.text, query.values);
  } finally {
    await client.query("COMMIT");
  }
}

/** Each of these back to back, the order turned each round, so that all see the same cache. */
async function timeTogether<K extends string>(runs: Record<K, () => Promise<void>>): Promise<Record<K, Timing>> {
  const names = Object.keys(runs) as K[];
  for (const name of names) await runs[name](); // warm-up: plans, buffers, the API key look-up
  const durations = Object.fromEntries(names.map((name) => [name, [] as number[]])) as unknown as Record<K, number[]>;
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const start = performance.now();
      await runs[name]();
      durations[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(durations[name])])) as Record<K, Timing>;
}

interface Target {
  label: string;
  code: string;
  name: string;
  workers: number;
}

/** The province, and its largest city, county and township: the heaviest query of each level. */
async function targets(client: pg.Client): Promise<Target[]> {
  const picked: Target[] = [];
  for (const [label, length] of [["province", 2], ["city", 4], ["county", 6], ["township", 9]] as const) {
    const { rows } = await client.query<{ code: string; name: string; workers: number }>(
      `SELECT r.code, r.name, count(*)::int AS workers
       FROM "Worker" w JOIN "Region" r ON r.code = substr(w."homeRegionCode", 1, $1::int)
       WHERE w."homeRegionCode" >= '35' AND w."homeRegionCode" < '35z'
       GROUP BY r.code, r.name ORDER BY workers DESC, r.code LIMIT 1`,
      [length],
    );
    picked.push({ label, ...rows[0]! });
  }
  return picked;
}

async function measure(phase: string, client: pg.Client, sql: SqlRunner, port: number, token: string, regions: Target[], now: Date) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  console.log(`\n${phase} (load average ${load()})`);
  console.log("  the live figures: the endpoint (kept rows), its SQL raw, and the statement that counts every worker, raw");
  console.log("  region                          workers   endpoint p50 / max    kept SQL p50 / max    every worker p50 / max   endpoint ÷ every worker");
  const fetched = async (path: string) => {
    const response = await get(agent, port, path, token);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.body.toString().slice(0, 200)}`);
  };
  const results: Record<string, Timing> = {};
  for (const region of regions) {
    const label = `${region.label} ${region.code} ${region.name}`;
    const timing = await timeTogether({
      endpoint: () => fetched(`/api/stats?region=${region.code}`),
      kept: () => rawSql(client, statsQuery(region.code, now)),
      workers: () => rawSql(client, statsQuery(region.code, now, "workers")),
    });
    results[label] = timing.endpoint;
    console.log(
      `  ${label.padEnd(30)} ${String(region.workers).padStart(8)}   ${`${ms(timing.endpoint.p50)} / ${ms(timing.endpoint.max)}`.padEnd(20)}  ` +
        `${`${ms(timing.kept.p50)} / ${ms(timing.kept.max)}`.padEnd(20)}  ${`${ms(timing.workers.p50)} / ${ms(timing.workers.max)}`.padEnd(22)}   ` +
        `${(timing.endpoint.p50 / timing.workers.p50).toFixed(3)}`,
    );
  }
  const quarter = chinaQuarter(now);
  const previous = previousQuarter(quarter);
  const reports = [
    ...[regions[0]!, regions[2]!].map((region) => ({ region, quarter })),
    // The quarter before: every worker changed since counted as they stood at its end.
    { region: regions[0]!, quarter: previous },
  ];
  console.log("  the quarterly report: the endpoint (CSV), its SQL raw (kept rows), and the statement that counts every worker (as they stood at an ended quarter's end)");
  for (const report of reports) {
    const label = `CSV ${report.quarter.label} ${report.region.code} ${report.region.name}`;
    const query = await quarterlyStatsQuery(sql, report.region.code, report.quarter, now);
    const everyWorker = await quarterlyStatsQuery(sql, report.region.code, report.quarter, now, "workers");
    const kept = everyWorker.text !== query.text;
    const runs: Record<string, () => Promise<void>> = {
      endpoint: () => fetched(`/api/reports/quarterly?region=${report.region.code}&quarter=${report.quarter.label}`),
      raw: () => rawSql(client, query),
    };
    if (kept) runs.workers = () => rawSql(client, everyWorker);
    const timing = await timeTogether(runs);
    results[label] = timing.endpoint!;
    const workers = timing.workers;
    console.log(
      `  ${label.padEnd(30)} ${String(report.region.workers).padStart(8)}   ${`${ms(timing.endpoint!.p50)} / ${ms(timing.endpoint!.max)}`.padEnd(20)}  ` +
        `${`${ms(timing.raw!.p50)} / ${ms(timing.raw!.max)}`.padEnd(20)}  ${workers ? `${`${ms(workers.p50)} / ${ms(workers.max)}`.padEnd(22)}   ${(timing.endpoint!.p50 / workers.p50).toFixed(3)}` : "(not kept: the statement is the SQL)"}`,
    );
  }
  agent.destroy();
  const province = results[`${regions[0]!.label} ${regions[0]!.code} ${regions[0]!.name}`]!.p50;
  const county = results[`${regions[2]!.label} ${regions[2]!.code} ${regions[2]!.name}`]!.p50;
  console.log(
    `  live figures p50: province ${ms(province)} (target ${TARGET_PROVINCE_MS} ms: ${province <= TARGET_PROVINCE_MS ? "met" : "NOT met"}), ` +
      `county ${ms(county)} (target ${TARGET_COUNTY_MS} ms: ${county <= TARGET_COUNTY_MS ? "met" : "NOT met"}); load average now ${load()}`,
  );
  return results;
}

/**
 * What bounds the province's time: the statement's CPU in one backend (parallel workers off, so all
 * the work is in the process measured), in total and per aggregate. Reads the backend's /proc entry,
 * so only when the server runs on this machine.
 */
async function whereTheTimeGoes(client: pg.Client, query: StatsQuery) {
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const backend = rows[0]!.pid;
  if (processCpuMs(backend) === null) return console.log("\n(the server is not on this machine: no CPU breakdown)");
  const cpuMs = () => processCpuMs(backend)!;
  const serial = "SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0";
  const timeCpu = async (text: string) => {
    const before = cpuMs();
    await rawSql(client, { text, values: query.values }, serial);
    return cpuMs() - before;
  };
  console.log(`\nthe province's statement over every worker in one process (parallel workers off): ${ms(await timeCpu(query.text))} of CPU; per aggregate:`);
  // Each aggregate alone: the statement's CTEs, with a final SELECT that reads only that one.
  const final = query.text.lastIndexOf("SELECT children.child");
  if (final < 0) throw new Error("the figures statement has no final SELECT children.child: update whereTheTimeGoes");
  const parts: string[] = [];
  for (const aggregate of ["people", "trained", "delivered", "pushed", "offered", "warned"]) {
    parts.push(`${aggregate} ${ms(await timeCpu(`${query.text.slice(0, final)} SELECT count(*) FROM ${aggregate}`))}`);
  }
  console.log(`  ${parts.join(", ")}`);
}

// ---------------------------------------------------------------------------------------------------
// The run

let start = performance.now();
if (!REUSE) {
  await onServer(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${DATABASE}`);
  });
}
const db = await openDatabase({ url: benchUrl.toString() });
const client = new pg.Client({ connectionString: benchUrl.toString() });
await client.connect();
try {
  if (!REUSE) {
    await applyMigrations(db.sql, readMigrations());
    await ensureRegions(db.sql, { villagesUnder: ["35"] });
    console.log(`database ${DATABASE}: schema and Fujian's regions in ${seconds(start)} s; generating ${WORKERS.toLocaleString("en")} workers`);
    start = performance.now();
    await generate(client);
    console.log(`generated in ${seconds(start)} s`);
  }
  console.log(await tableSizes(client));

  const now = new Date();
  const service = benchDeps(db, { databaseUrl: benchUrl.toString() });
  const { deps } = service;
  const app = buildApp(deps);
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  const { token } = await createOperator(contextFor(deps, SERVICE), { name: "bench:stats", role: "admin", regionCodes: [] });

  const regions = await targets(client);

  // The figures themselves, and the sums that must hold.
  const figures = JSON.parse((await get(new http.Agent(), port, `/api/stats?region=35`, token)).body.toString());
  const counted = [...figures.children, figures.unplaced].reduce((sum: number, part: { registered: number }) => sum + part.registered, 0);
  console.log(
    `\nFujian as of ${figures.asOf}: ${figures.registered.toLocaleString("en")} registered (cities ${counted === figures.registered ? "add up" : "DO NOT add up"}; ` +
      `${figures.unplaced.registered.toLocaleString("en")} known only to the province), ${figures.wantWork.toLocaleString("en")} want work, employed ` +
      `${figures.employed.local}/${figures.employed.inProvince}/${figures.employed.outOfProvince} (local/province/out), ${figures.selfEmployed} self-employed, ` +
      `${figures.trained} trained, ${figures.withPlan} with a plan, ${figures.pushesDelivered} pushes delivered, ${figures.openWarnings} open warnings`,
  );
  console.log(`targets: ${Object.entries(figures.targets).map(([name, value]) => `${name} ${value}%`).join(", ")}`);

  const jitStart = performance.now();
  await rawSql(client, statsQuery("35", now, "workers"), "SET LOCAL jit = on");
  console.log(`province counted from every worker once with the server's default JIT on (the service turns it off): ${ms(performance.now() - jitStart)}`);
  // The kept figures must be the figures: every level, against the statement over every worker.
  for (const region of regions) {
    const kept = await regionStats({ sql: db.sql }, region.code, { now });
    const everyWorker = await regionStats({ sql: db.sql }, region.code, { now, from: "workers" });
    console.log(`${region.label} ${region.code}: kept figures ${JSON.stringify(kept) === JSON.stringify(everyWorker) ? "equal" : "DIFFER FROM"} those counted from every worker`);
  }
  const running = chinaQuarter(now);
  const report = await quarterlyReport({ sql: db.sql }, "35", running, { now });
  const reportFromWorkers = await quarterlyReport({ sql: db.sql }, "35", running, { now, from: "workers" });
  console.log(`the province's ${running.label} report: ${JSON.stringify(report) === JSON.stringify(reportFromWorkers) ? "equal" : "DIFFERS FROM"} the statement over every worker`);
  // The job figures.quarter keeps an ended quarter's report per place once it ends: here, the one before.
  const keepStart = performance.now();
  await db.sql.query(`DELETE FROM "QuarterFigures" WHERE quarter = $1`, [previousQuarter(running).label]);
  const ended = await keepEndedQuarter(db.sql, now);
  console.log(`${ended}'s report kept per place (figures.quarter, once after the quarter ends): ${ms(performance.now() - keepStart)}`);
  const endedReport = await quarterlyReport({ sql: db.sql }, "35", previousQuarter(running), { now });
  const endedFromWorkers = await quarterlyReport({ sql: db.sql }, "35", previousQuarter(running), { now, from: "workers" });
  console.log(`the province's ${ended} report: ${JSON.stringify(endedReport) === JSON.stringify(endedFromWorkers) ? "equal" : "DIFFERS FROM"} the statement over every worker as they stood`);

  // The schema as migrated, with its figures index (Worker_figures_idx: the columns the figures read).
  await measure("the schema as migrated", client, db.sql, port, token, regions, now);
  await whereTheTimeGoes(client, statsQuery("35", now, "workers"));

  await new Promise((resolve) => server.close(resolve));
  service.close();
} finally {
  await client.end();
  await db.close();
  if (!KEEP) await onServer((server) => server.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`));
}
