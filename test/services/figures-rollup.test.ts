// The live figures the service answers with come from what the database keeps current (PlaceFigures,
// WorkerFigures: the figures_rollup migration's triggers). Here the tables they read are changed at
// random, straight in SQL as any code path could — registrations, hires and job losses, moves,
// plans, first messages, pushes sent and delivered, trainings, offers of free courses (this year's
// and last year's), courses made free or not, job-loss warnings, the roster and its imports — and
// after each batch every level's figures, kept and counted again from every worker, must be equal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chinaQuarter, previousQuarter } from "../../src/shared/china-time.ts";
import { foldPlaceFigures, keepEndedQuarter, quarterlyReport, regionStats } from "../../src/services/stats/figures.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { seededRandom } from "../support/seeded.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const VILLAGES = ["350622103001", "350622103002", "350622103003", "350622100001", "350628100001", "350628101001", "350102001001"];
/** Homes that stop above a village: counted in their region, in none of its children. */
const COARSE_HOMES = ["350622", "350622103", "3506", "35"];
/** One row of the table, chosen by the test's seeded generator (parameter $k), so that a run replays. */
const anyRow = (table: string, k: number) => `(SELECT id FROM "${table}" ORDER BY id COLLATE "C" LIMIT 1 OFFSET (SELECT floor($${k}::float8 * count(*))::int FROM "${table}"))`;
const LEVELS = ["35", "3506", "3501", "350622", "350628", "350622103", "350622103001"];

describe("the kept live figures", () => {
  it("equal the figures counted from every worker, at every level, after every batch of random changes", async () => {
    const random = seededRandom(20261206);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const chance = (p: number) => random() < p;
    const sql = h.deps.sql;
    const now = h.clock();
    // Everything happened before the instant the figures are asked for; some of it last year.
    const before = (maxDays = 400) => new Date(now.getTime() - Math.floor(random() * maxDays * 86_400_000) - 60_000);
    const asOf = new Date(now.getTime() + 3_600_000);
    const quarter = chinaQuarter(asOf);

    const workers: string[] = [];
    const plans = new Map<string, string>();
    const courses: string[] = [];
    let serial = 0;
    const id = (prefix: string) => `${prefix}-${++serial}`;

    const register = async () => {
      const worker = id("w");
      const born = new Date(Date.UTC(1955 + Math.floor(random() * 50), Math.floor(random() * 12), 1 + Math.floor(random() * 28)));
      await sql.query(
        `INSERT INTO "Worker" (id, name, "homeRegionCode", "povertyStatus", "employmentStatus", "workRange", "wantsTraining", "pensionEnrolled", "birthDate", "createdAt", "updatedAt")
         VALUES ($1, 'x', $2, $3::"PovertyStatus", $4::"EmploymentStatus", $5::"WorkRange", $6, $7, $8::date, $9, $9)`,
        [
          worker,
          chance(0.1) ? pick(COARSE_HOMES) : chance(0.05) ? null : pick(VILLAGES),
          pick(["registered", "lifted", "monitored", "none", "unknown"]),
          pick(["seeking", "seeking", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "notSeeking"]),
          pick([null, "homeCounty", "province", "anywhere"]),
          pick([null, true, false]),
          pick([null, true, false]),
          chance(0.9) ? born.toISOString().slice(0, 10) : null,
          before(),
        ],
      );
      workers.push(worker);
    };

    const push = () =>
      sql.query(`INSERT INTO "Notice" (id, kind, "workerId", key, "regionCode", "createdAt", "sentAt", delivery) VALUES ($1, 'job_push', $2, $1, $3, $4, $5, $6)`, [
          id("n"),
          pick(workers),
          pick([...VILLAGES, null]),
          before(),
          chance(0.6) ? before(60) : null,
          pick([null, "sent", "delivered", "undelivered", "failed"]),
        ]);

    const changes: (() => Promise<unknown>)[] = [
      register,
      // a roster import's batch: several workers in one statement, then their plans in one statement
      async () => {
        const batch = Array.from({ length: 1 + Math.floor(random() * 6) }, () => id("w"));
        await sql.query(
          `INSERT INTO "Worker" (id, name, "homeRegionCode", "povertyStatus", "employmentStatus", "birthDate", "createdAt", "updatedAt")
           SELECT w, 'x', $2, 'lifted', 'seeking', '1964-06-01', $3, $3 FROM unnest($1::text[]) w`,
          [batch, pick(VILLAGES), before()],
        );
        await sql.query(`INSERT INTO "AssistancePlan" (id, "workerId", "openedAt") SELECT 'p-' || w, w, $2 FROM unnest($1::text[]) w`, [batch, before()]);
        for (const worker of batch) {
          workers.push(worker);
          plans.set(worker, `p-${worker}`);
        }
      },
      // hired, lost the job, stopped seeking
      () => sql.query(`UPDATE "Worker" SET "employmentStatus" = $2::"EmploymentStatus" WHERE id = $1`, [pick(workers), pick(["seeking", "employedLocal", "employedOutOfProvince", "selfEmployed", "notSeeking"])]),
      // moved, to a village, a coarser place or nowhere known
      () => sql.query(`UPDATE "Worker" SET "homeRegionCode" = $2 WHERE id = $1`, [pick(workers), chance(0.15) ? pick(COARSE_HOMES) : chance(0.05) ? null : pick(VILLAGES)]),
      () =>
        sql.query(`UPDATE "Worker" SET "wantsTraining" = $2, "pensionEnrolled" = $3, "workRange" = $4::"WorkRange", "povertyStatus" = $5::"PovertyStatus" WHERE id = $1`, [
          pick(workers),
          pick([null, true, false]),
          pick([null, true, false]),
          pick([null, "homeCounty", "province", "anywhere"]),
          pick(["registered", "lifted", "none"]),
        ]),
      // turns 60 around the day asked for
      () => sql.query(`UPDATE "Worker" SET "birthDate" = ($2::date - interval '60 years' + $3::int * interval '1 day')::date WHERE id = $1`, [pick(workers), asOf.toISOString().slice(0, 10), Math.floor(random() * 5) - 2]),
      async () => {
        const worker = pick(workers);
        if (plans.has(worker)) {
          const closed = chance(0.5);
          await sql.query(`UPDATE "AssistancePlan" SET status = $2::"PlanStatus", "closedAt" = $3 WHERE id = $1`, [plans.get(worker), closed ? "closed" : "open", closed ? before(30) : null]);
        } else {
          const plan = id("p");
          await sql.query(`INSERT INTO "AssistancePlan" (id, "workerId", "openedAt") VALUES ($1, $2, $3)`, [plan, worker, before()]);
          plans.set(worker, plan);
        }
      },
      // a chat: registered by a coordinator (never wrote) or written from; the first message; moved to another worker
      () => sql.query(`INSERT INTO "ChannelIdentity" (id, channel, address, "workerId", "lastInboundAt", "createdAt") VALUES ($1, 'web', $1, $2, $3, $4)`, [id("i"), pick(workers), chance(0.5) ? before(30) : null, before()]),
      () => sql.query(`UPDATE "ChannelIdentity" SET "lastInboundAt" = $1 WHERE id = ${anyRow("ChannelIdentity", 2)}`, [chance(0.8) ? before(10) : null, random()]),
      () => sql.query(`UPDATE "ChannelIdentity" SET "workerId" = $1 WHERE id = ${anyRow("ChannelIdentity", 2)}`, [pick(workers), random()]),
      // a job push queued, then sent, delivered or not
      push,
      push,
      // one sent to a worker who will work away from home (the matched-push target's numerator)
      () =>
        sql.query(
          `INSERT INTO "Notice" (id, kind, "workerId", key, "regionCode", "createdAt", "sentAt", delivery)
           SELECT $1, 'job_push', id, $1, "homeRegionCode", $2, $2, 'delivered' FROM "Worker"
           WHERE "employmentStatus" = 'seeking' AND "workRange" IN ('province', 'anywhere') ORDER BY id COLLATE "C" LIMIT 1
           OFFSET (SELECT floor($3::float8 * count(*))::int FROM "Worker" WHERE "employmentStatus" = 'seeking' AND "workRange" IN ('province', 'anywhere'))`,
          [id("n"), before(30), random()],
        ),
      () =>
        sql.query(`UPDATE "Notice" SET "sentAt" = coalesce("sentAt", $1::timestamp), delivery = $2 WHERE id = ${anyRow("Notice", 3)}`, [before(20), pick(["sent", "delivered", "undelivered", "failed"]), random()]),
      // courses, trainings completed, free courses offered (this year or last)
      async () => {
        const course = id("c");
        await sql.query(`INSERT INTO "TrainingCourse" (id, title, "startsAt", seats, free, "updatedAt") VALUES ($1, 'x', $2, 10, $3, $2)`, [course, before(), chance(0.7)]);
        courses.push(course);
      },
      async () => courses.length && sql.query(`UPDATE "TrainingCourse" SET free = NOT free WHERE id = $1`, [pick(courses)]),
      async () =>
        courses.length &&
        sql.query(`INSERT INTO "TrainingEnrolment" (id, "courseId", "workerId", status, "completedAt") VALUES ($1, $2, $3, $4::"EnrolmentStatus", $5) ON CONFLICT DO NOTHING`, [
          id("e"),
          pick(courses),
          pick(workers),
          pick(["enrolled", "completed", "dropped"]),
          chance(0.7) ? before(200) : null,
        ]),
      () => sql.query(`UPDATE "TrainingEnrolment" SET status = $1::"EnrolmentStatus" WHERE id = ${anyRow("TrainingEnrolment", 2)}`, [pick(["enrolled", "completed", "dropped"]), random()]),
      async () =>
        courses.length &&
        sql.query(`INSERT INTO "Notice" (id, kind, "workerId", "courseId", key, "createdAt", "sentAt") VALUES ($1, 'training_offer', $2, $3, $1, $4, $5)`, [
          id("n"),
          pick(workers),
          pick(courses),
          before(),
          chance(0.8) ? before(400) : null,
        ]),
      // a free course offered this month to a worker who wants training (the offer target's numerator)
      async () => {
        if (!courses.length) return;
        const [worker, course] = [pick(workers), pick(courses)];
        await sql.query(`UPDATE "Worker" SET "wantsTraining" = true WHERE id = $1`, [worker]);
        await sql.query(`UPDATE "TrainingCourse" SET free = true WHERE id = $1`, [course]);
        await sql.query(`INSERT INTO "Notice" (id, kind, "workerId", "courseId", key, "createdAt", "sentAt") VALUES ($1, 'training_offer', $2, $3, $1, $4, $4)`, [id("n"), worker, course, before(30)]);
      },
      // hires marked by employers, some in this quarter
      async () => {
        const vacancy = id("v");
        await sql.query(`INSERT INTO "Vacancy" (id, title, "updatedAt") VALUES ($1, 'x', $2)`, [vacancy, before()]);
        await sql.query(`INSERT INTO "Application" (id, "vacancyId", "workerId", status, source, "updatedAt", "hiredAt") VALUES ($1, $2, $3, $4::"ApplicationStatus", 'push', $5, $5)`, [
          id("a"),
          vacancy,
          pick(workers),
          pick(["applied", "hired", "hired", "rejected"]),
          before(150),
        ]);
      },
      // job-loss warnings raised and settled
      async () =>
        plans.size &&
        sql.query(`INSERT INTO "PlanTask" (id, "planId", kind, "dueAt", status, "createdAt") VALUES ($1, $2, $3, $4, $5::"TaskStatus", $4)`, [
          id("t"),
          pick([...plans.values()]),
          pick(["job_loss_warning", "job_loss_warning", "follow_up"]),
          before(30),
          pick(["open", "done"]),
        ]),
      () => sql.query(`UPDATE "PlanTask" SET status = $1::"TaskStatus", "doneAt" = $2 WHERE id = ${anyRow("PlanTask", 3)}`, [pick(["open", "done", "cancelled"]), before(5), random()]),
      // the roster: people listed, people no longer listed, a county's or a city's import done
      () =>
        sql.query(
          `INSERT INTO "RosterEntry" (id, "idNumberHash", "regionCode", name, "workerId", "lastImportId", "createdAt", "updatedAt", "leftAt")
           VALUES ($1, $1, '350622103001', 'x', $2, 'import', $3, $3, $4) ON CONFLICT DO NOTHING`,
          [id("r"), pick(workers), before(), chance(0.2) ? before(5) : null],
        ),
      () => sql.query(`UPDATE "RosterEntry" SET "leftAt" = $1 WHERE id = ${anyRow("RosterEntry", 2)}`, [chance(0.5) ? before(5) : null, random()]),
      () =>
        sql.query(`INSERT INTO "RosterImport" (id, "regionCode", "rowsTotal", status, "finishedAt") VALUES ($1, $2, 1, 'done', $3)`, [id("ri"), pick(["350622", "350628", "3501"]), before(10)]),
      // the fold, at any moment between changes
      () => foldPlaceFigures(sql),
    ];

    for (let i = 0; i < 12; i++) await register();
    // Each figure, target and unplaced count must have been above zero after some batch: a run that
    // never moved one would prove nothing about it.
    const moved = new Set<string>();
    for (let batch = 0; batch < 16; batch++) {
      for (let i = 0; i < 30; i++) await pick(changes)();
      for (const code of LEVELS) {
        const kept = await regionStats(h.deps, code, { now: asOf });
        const counted = await regionStats(h.deps, code, { now: asOf, from: "workers" });
        expect(kept, `region ${code} after batch ${batch}`).toEqual(counted);
        // The running quarter's report: the kept figures and its flows.
        const report = await quarterlyReport(h.deps, code, quarter, { now: asOf });
        expect(report, `the quarter's report of ${code} after batch ${batch}`).toEqual(await quarterlyReport(h.deps, code, quarter, { now: asOf, from: "workers" }));
        for (const row of report.rows) for (const [flow, count] of Object.entries(row.flows)) if (count > 0) moved.add(`flow ${flow}`);
        if (kept.unplaced && kept.unplaced.registered > 0) moved.add("unplaced");
        if (code !== "35") continue;
        for (const figure of ["registered", "reached", "onRoster", "withPlan", "trained", "pushesDelivered", "openWarnings"] as const) if (kept[figure] > 0) moved.add(figure);
        for (const [target, { covered, of }] of Object.entries(kept.targetCounts)) {
          if (of > 0) moved.add(`${target} of`);
          if (covered > 0) moved.add(`${target} covered`);
        }
      }
    }
    const everything = ["flow newlyRegistered", "flow hires", "flow trainingsCompleted", "flow pushesDelivered", "registered", "reached", "onRoster", "withPlan", "trained", "pushesDelivered", "openWarnings", "unplaced"];
    for (const target of Object.keys((await regionStats(h.deps, "35", { now: asOf })).targetCounts)) everything.push(`${target} of`, `${target} covered`);
    expect(everything.filter((figure) => !moved.has(figure))).toEqual([]);
  }, 120_000);

  it("keep an ended quarter's report per place once it ends: equal to the statement at every level, and unmoved by what changes after", async () => {
    const asOf = new Date(h.clock().getTime() + 3_600_000);
    const ended = previousQuarter(chinaQuarter(asOf));
    const statement = async (code: string) => quarterlyReport(h.deps, code, ended, { now: asOf, from: "workers" });
    const before = await Promise.all(LEVELS.map(statement));
    expect(await keepEndedQuarter(h.deps.sql, asOf)).toBe(ended.label);
    const kept = async () => Promise.all(LEVELS.map((code) => quarterlyReport(h.deps, code, ended, { now: asOf })));
    expect(await kept()).toEqual(before);
    expect(before[0]!.rows.at(-1)!.figures.registered).toBeGreaterThan(0);
    expect(Object.values(before[0]!.rows.at(-1)!.flows).some((count) => count > 0)).toBe(true);
    // Afterwards: hires, job losses, moves, plans closed. The kept report is the same, and the statement agrees.
    const sql = h.deps.sql;
    await sql.query(`UPDATE "Worker" SET "employmentStatus" = CASE WHEN "employmentStatus" = 'seeking' THEN 'employedLocal' ELSE 'seeking' END::"EmploymentStatus"`);
    await sql.query(`UPDATE "Worker" SET "homeRegionCode" = '350628100001' WHERE "homeRegionCode" LIKE '350622%'`);
    await sql.query(`UPDATE "AssistancePlan" SET status = 'closed', "closedAt" = $1`, [asOf]);
    expect(await kept()).toEqual(before);
    expect(await Promise.all(LEVELS.map(statement))).toEqual(before);
    // The report is read from those rows (one place's count moved by hand moves it).
    await sql.query(`UPDATE "QuarterFigures" SET registered = registered + 1 WHERE quarter = $1 AND "regionCode" = (SELECT min("regionCode") FROM "QuarterFigures" WHERE quarter = $1 AND "regionCode" LIKE '35%')`, [ended.label]);
    expect((await quarterlyReport(h.deps, "35", ended, { now: asOf })).rows.at(-1)!.figures.registered).toBe(before[0]!.rows.at(-1)!.figures.registered + 1);
    await sql.query(`UPDATE "QuarterFigures" SET registered = registered - 1 WHERE quarter = $1 AND "regionCode" = (SELECT min("regionCode") FROM "QuarterFigures" WHERE quarter = $1 AND "regionCode" LIKE '35%')`, [ended.label]);
    // Kept once: a second run writes nothing.
    const rows = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "QuarterFigures" WHERE quarter = $1`, [ended.label]))[0]!.n;
    const written = await rows();
    expect(written).toBeGreaterThan(0);
    await keepEndedQuarter(sql, asOf);
    expect(await rows()).toBe(written);
  });

  it("are counted again from the tables by figures_rebuild, to the same figures", async () => {
    const asOf = new Date(h.clock().getTime() + 3_600_000);
    const before = await regionStats(h.deps, "35", { now: asOf });
    await h.deps.sql.query(`UPDATE "PlaceFigures" SET registered = registered + 100`);
    expect((await regionStats(h.deps, "35", { now: asOf })).registered).toBe(before.registered + (await placesIn("35")) * 100);
    await h.deps.sql.query(`SELECT "figures_rebuild"()`);
    expect(await regionStats(h.deps, "35", { now: asOf })).toEqual(before);
  });
});

const placesIn = async (code: string) =>
  (await h.deps.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "PlaceFigures" WHERE "regionCode" LIKE $1 || '%'`, [code]))[0]!.n;
