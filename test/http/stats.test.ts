// GET /api/stats and /api/reports/quarterly over a small crafted population in 云霄县, where every
// worker is there to exercise one definition or one edge of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmploymentStatus, OutboxStatus, PovertyStatus, WorkRange } from "../../src/db/client.ts";
import { runFigures } from "../../src/services/stats/statement.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
/** The figures are counted as of this instant: 2026-11-20 12:00 in China. */
const NOW = new Date("2026-11-20T04:00:00Z");
const at = (iso: string) => new Date(iso);

const COUNTY = "350622"; // 云霄县
const PUMEI = "350622103"; // 莆美镇
const PUDONG = "350622103201"; // 莆东村, in 莆美镇
const CHENDAI = "350622101"; // 陈岱镇
const XIAZENG = "350622101211"; // 下曾村, in 陈岱镇
const PINGHE_VILLAGE = "350628100200"; // 平和县: outside 云霄县

interface SeedWorker {
  name: string;
  home: string;
  status: EmploymentStatus;
  workRange?: WorkRange;
  wantsTraining?: boolean;
  pensionEnrolled?: boolean;
  povertyStatus?: PovertyStatus;
  birthDate?: string;
  createdAt?: string;
  employedSince?: string;
}

async function worker(seed: SeedWorker): Promise<string> {
  const created = await h.deps.prisma.worker.create({
    data: {
      name: seed.name,
      homeRegionCode: seed.home,
      employmentStatus: seed.status,
      workRange: seed.workRange ?? null,
      wantsTraining: seed.wantsTraining ?? null,
      pensionEnrolled: seed.pensionEnrolled ?? null,
      povertyStatus: seed.povertyStatus ?? "lifted",
      birthDate: seed.birthDate ? at(`${seed.birthDate}T00:00:00Z`) : null,
      createdAt: at(seed.createdAt ?? "2026-03-01T02:00:00Z"),
      employedSince: seed.employedSince ? at(seed.employedSince) : null,
    },
  });
  // A hire is the employer's mark on an application, as hireApplicant records it.
  if (seed.employedSince) {
    const vacancy = await h.deps.prisma.vacancy.create({ data: { title: `${seed.name}的工作`, status: "open" } });
    await h.deps.prisma.application.create({ data: { vacancyId: vacancy.id, workerId: created.id, source: "push", status: "hired", hiredAt: at(seed.employedSince) } });
  }
  return created.id;
}

let noticeCount = 0;
/** A notice, carried by an outbox row in `outbox` status, or by none (no channel reached the worker). */
async function notice(workerId: string, kind: "job_push" | "training_offer", outbox: OutboxStatus | null, options: { createdAt?: string; courseId?: string } = {}) {
  const key = `${kind}:${++noticeCount}:${workerId}`;
  const message = outbox
    ? await h.deps.prisma.outboxMessage.create({
        data: { idempotencyKey: key, channel: "sms", address: "+8613800000000", purpose: "push", body: { text: "…" }, status: outbox, workerId },
      })
    : null;
  // The notice's delivery, as the dispatcher and the status callbacks keep it beside the outbox row's.
  const reported = outbox && ["sent", "delivered", "undelivered", "failed"].includes(outbox) ? outbox : null;
  // What reached a provider has a send time; a failed or still queued message has none.
  const sent = outbox && ["sent", "delivered", "undelivered"].includes(outbox);
  // The worker's home when it was sent, as noticeWorkers records it.
  const { homeRegionCode } = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: workerId } });
  await h.deps.prisma.notice.create({
    data: {
      kind,
      workerId,
      key,
      outboxId: message?.id ?? null,
      courseId: options.courseId ?? null,
      createdAt: at(options.createdAt ?? "2026-05-10T02:00:00Z"),
      delivery: reported,
      sentAt: sent ? at(options.createdAt ?? "2026-05-10T02:00:00Z") : null,
      regionCode: homeRegionCode,
    },
  });
}

async function plan(workerId: string, options: { openedAt?: string; closedAt?: string } = {}) {
  const created = await h.deps.prisma.assistancePlan.create({
    data: {
      workerId,
      status: options.closedAt ? "closed" : "open",
      openedAt: at(options.openedAt ?? "2026-03-02T02:00:00Z"),
      closedAt: options.closedAt ? at(options.closedAt) : null,
    },
  });
  return created.id;
}

async function course(free: boolean) {
  return (await h.deps.prisma.trainingCourse.create({ data: { title: free ? "家政服务培训班" : "收费电工班", startsAt: at("2026-06-01T00:00:00Z"), seats: 30, free } })).id;
}

async function enrol(workerId: string, courseId: string, status: "enrolled" | "completed" | "dropped", completedAt?: string) {
  await h.deps.prisma.trainingEnrolment.create({ data: { workerId, courseId, status, completedAt: completedAt ? at(completedAt) : null } });
}

beforeAll(async () => {
  h = await createHarness();
  h.deps.clock = () => NOW;
  admin = (await h.operator("admin")).token;

  const freeCourse = await course(true);
  const otherFreeCourse = await course(true);
  const paidCourse = await course(false);

  // 莆美镇, 莆东村
  const a1 = await worker({ name: "a1", home: PUDONG, status: "seeking", workRange: "province", wantsTraining: true });
  await notice(a1, "job_push", "delivered");
  await notice(a1, "training_offer", "sent", { courseId: freeCourse, createdAt: "2026-02-01T02:00:00Z" });
  await plan(a1);

  // A push that failed still reached the coverage target (a job was pushed) but was not delivered;
  // a closed plan is no plan; an offer of a course that is not free is not the free training.
  const a2 = await worker({ name: "a2", home: PUDONG, status: "seeking", workRange: "anywhere", wantsTraining: true });
  await notice(a2, "job_push", "failed");
  await notice(a2, "training_offer", "delivered", { courseId: paidCourse, createdAt: "2026-04-01T02:00:00Z" });
  await plan(a2, { closedAt: "2026-10-15T02:00:00Z" });

  // Registered, hired, trained and warned in 2026Q4; 66 and enrolled in the pension.
  const a3 = await worker({
    name: "a3",
    home: PUDONG,
    status: "employedLocal",
    pensionEnrolled: true,
    povertyStatus: "registered",
    birthDate: "1960-05-01",
    createdAt: "2026-10-05T02:00:00Z",
    employedSince: "2026-10-10T02:00:00Z",
  });
  await notice(a3, "job_push", "sent", { createdAt: "2026-10-12T02:00:00Z" });
  await enrol(a3, freeCourse, "completed", "2026-10-20T02:00:00Z");
  await enrol(a3, otherFreeCourse, "completed", "2026-10-25T02:00:00Z");
  const a3Plan = await plan(a3, { openedAt: "2026-10-06T02:00:00Z" });
  await h.deps.prisma.planTask.createMany({
    data: [
      { planId: a3Plan, kind: "job_loss_warning", dueAt: NOW, status: "open", createdAt: at("2026-10-30T02:00:00Z") },
      { planId: a3Plan, kind: "job_loss_warning", dueAt: NOW, status: "done", createdAt: at("2026-10-07T02:00:00Z"), doneAt: at("2026-10-08T02:00:00Z") },
      { planId: a3Plan, kind: "follow_up", dueAt: NOW, status: "open", createdAt: at("2026-10-07T02:00:00Z") },
    ],
  });

  // Turns 60 today: due a pension, not enrolled. The free offer came last year; the course is unfinished.
  const a4 = await worker({ name: "a4", home: PUDONG, status: "selfEmployed", wantsTraining: true, pensionEnrolled: false, birthDate: "1966-11-20" });
  await notice(a4, "training_offer", "delivered", { courseId: freeCourse, createdAt: "2025-06-01T02:00:00Z" });
  await enrol(a4, paidCourse, "enrolled");

  // Known only down to 莆美镇 (no village): in the township, unplaced in it. Not poor: no pension target.
  await worker({ name: "a5", home: PUMEI, status: "employedInProvince", pensionEnrolled: true, povertyStatus: "none", birthDate: "1950-01-01", createdAt: "2026-08-01T02:00:00Z" });

  // 陈岱镇, 下曾村
  const b1 = await worker({ name: "b1", home: XIAZENG, status: "seeking", workRange: "homeCounty" });
  await notice(b1, "job_push", "pending");
  await plan(b1);
  await enrol(b1, freeCourse, "dropped");
  const b2 = await worker({ name: "b2", home: XIAZENG, status: "employedOutOfProvince", povertyStatus: "registered", employedSince: "2026-04-01T02:00:00Z" });
  await notice(b2, "job_push", "delivered");
  await notice(b2, "job_push", "delivered");
  await notice(b2, "job_push", null);

  // Known only down to 云霄县: unplaced in the county.
  await worker({ name: "c1", home: COUNTY, status: "seeking", workRange: "province" });
  await worker({ name: "c2", home: COUNTY, status: "notSeeking", wantsTraining: false });

  // Outside the county, and a notice of a kind the figures do not count.
  const outsider = await worker({ name: "d1", home: PINGHE_VILLAGE, status: "seeking", workRange: "province", wantsTraining: true });
  await notice(outsider, "job_push", "delivered");
  await plan(outsider);
});
afterAll(() => h.close());

interface Figures {
  registered: number;
  employed: Record<string, number>;
  targetCounts: Record<string, { covered: number; of: number }>;
  [figure: string]: unknown;
}

/** The counts that must add up: every figure and every target's numerator and denominator. */
function additiveCounts(figures: Figures): Record<string, number> {
  const counts: Record<string, number> = { ...figures.employed };
  for (const name of ["registered", "wantWork", "selfEmployed", "trained", "pensionEnrolled", "withPlan", "pushesDelivered", "openWarnings"]) {
    counts[name] = figures[name] as number;
  }
  for (const [target, { covered, of }] of Object.entries(figures.targetCounts)) Object.assign(counts, { [`${target}.covered`]: covered, [`${target}.of`]: of });
  return counts;
}

function sum(list: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const counts of list) for (const [key, value] of Object.entries(counts)) total[key] = (total[key] ?? 0) + value;
  return total;
}

const stats = (region: string, token = admin) => h.request("GET", `/api/stats?region=${region}`, { token });

describe("GET /api/stats", () => {
  it("counts each definition as specified, edge cases included", async () => {
    const response = await stats(COUNTY);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      region: { code: COUNTY, name: "云霄县", level: 3 },
      asOf: NOW.toISOString(),
      registered: 9, // the outsider in 平和县 is not counted
      wantWork: 4,
      employed: { local: 1, inProvince: 1, outOfProvince: 1 },
      selfEmployed: 1,
      trained: 1, // a3 (two completed courses, one worker); a4 still enrolled, b1 dropped
      pensionEnrolled: 2,
      withPlan: 3, // a1, a3, b1; a2's plan is closed
      pushesDelivered: 4, // notices, not workers: a1, a3 (sent), b2 twice; not failed, pending or never queued
      openWarnings: 1, // a3's open warning; not its done one, nor the open follow-up
      targetCounts: {
        matchedPushCoverage: { covered: 1, of: 3 }, // a1 of a1, a2, c1: a2's push failed, so it never reached them
        trainingOfferCoverage: { covered: 1, of: 3 }, // a1; a2's course is not free, a4's offer was last year
        planCoverage: { covered: 2, of: 4 }, // a1, b1 of the four seeking
        pensionCoverage: { covered: 1, of: 2 }, // a3 of a3 and a4 (60 today); a5 is not poor, b2's age unknown
        employmentRate: { covered: 4, of: 9 },
      },
      targets: { matchedPushCoverage: 33.3, trainingOfferCoverage: 33.3, planCoverage: 50, pensionCoverage: 50, employmentRate: 44.4 },
    });
  });

  it("adds up: a county is its townships plus its unplaced workers, and each child is that region's own figures", async () => {
    const county = (await stats(COUNTY)).body;
    expect(county.children.map((child: { region: { code: string } }) => child.region.code)).toEqual([
      "350622100", "350622101", "350622102", "350622103", "350622104", "350622105", "350622200", "350622201", "350622202", "350622500", "350622501",
    ]);
    expect(sum([...county.children.map(additiveCounts), additiveCounts(county.unplaced)])).toEqual(additiveCounts(county));
    expect(county.unplaced).toMatchObject({ registered: 2, wantWork: 1 }); // c1, c2

    for (const child of county.children.filter((entry: Figures) => entry.registered > 0)) {
      const own = (await stats(child.region.code)).body;
      expect(additiveCounts(own), child.region.code).toEqual(additiveCounts(child));
      expect(sum([...own.children.map(additiveCounts), additiveCounts(own.unplaced)])).toEqual(additiveCounts(own));
    }
    const pumei = (await stats(PUMEI)).body;
    expect(pumei.registered).toBe(5);
    expect(pumei.unplaced.registered).toBe(1); // a5, known only down to the township
    expect(pumei.children.find((child: { region: { code: string } }) => child.region.code === PUDONG).registered).toBe(4);

    const city = (await stats("3506")).body;
    expect(city.children.find((child: { region: { code: string } }) => child.region.code === COUNTY).registered).toBe(9);
    const village = (await stats(PUDONG)).body;
    expect(village).toMatchObject({ registered: 4, children: [], unplaced: null });
  });

  it("gives null percentages where nobody is in the denominator", async () => {
    const empty = (await stats("350622102")).body; // 东厦镇: nobody registered
    expect(empty.registered).toBe(0);
    expect(Object.values(empty.targets)).toEqual([null, null, null, null, null, null]);
    const chendai = (await stats(CHENDAI)).body;
    expect(chendai.targets).toEqual({ reachCoverage: null, matchedPushCoverage: null, trainingOfferCoverage: null, planCoverage: 100, pensionCoverage: null, employmentRate: 50 });
  });

  it("needs a key, and shows officials and coordinators only their own regions", async () => {
    expect((await h.request("GET", `/api/stats?region=${COUNTY}`)).status).toBe(401);
    const countyOfficial = (await h.operator("countyOfficial", [COUNTY])).token;
    const pumeiCoordinator = (await h.operator("coordinator", [PUMEI])).token;
    const pingheOfficial = (await h.operator("countyOfficial", ["350628"])).token;

    expect((await stats(COUNTY, countyOfficial)).status).toBe(200);
    expect((await stats(PUMEI, countyOfficial)).status).toBe(200);
    const city = await stats("3506", countyOfficial); // the city holds other counties too
    expect(city.status).toBe(403);
    expect(city.body.error.code).toBe("forbidden");
    expect((await stats(COUNTY, pingheOfficial)).status).toBe(403);

    const own = await stats(PUMEI, pumeiCoordinator);
    expect(own.status).toBe(200);
    expect(own.body.registered).toBe(5);
    expect((await stats(PUDONG, pumeiCoordinator)).status).toBe(200);
    expect((await stats(COUNTY, pumeiCoordinator)).status).toBe(403);
    expect((await stats(CHENDAI, pumeiCoordinator)).status).toBe(403);
  });

  it("shares one computation among identical requests running at once, and keeps no answer after", async () => {
    // Each computation reads the clock once: its asOf tells computations apart.
    let reads = 0;
    h.deps.clock = () => new Date(NOW.getTime() + ++reads * 1000);
    try {
      const together = await Promise.all(Array.from({ length: 6 }, () => h.request("GET", "/api/stats?region=350622", { token: admin })));
      expect(together.every((response) => response.status === 200)).toBe(true);
      expect(new Set(together.map((response) => response.body.asOf)).size).toBe(1);
      expect(together.map((response) => response.body.registered)).toEqual(Array(6).fill(together[0]!.body.registered));
      const other = await Promise.all([h.request("GET", "/api/stats?region=350622", { token: admin }), h.request("GET", "/api/stats?region=350622103", { token: admin })]);
      expect(other[0]!.body.asOf).not.toBe(other[1]!.body.asOf); // another region is its own computation
      expect(other[0]!.body.asOf).not.toBe(together[0]!.body.asOf); // nothing kept from before
    } finally {
      h.deps.clock = () => NOW;
    }
  });

  it("counts with a plan made for the region asked, where the service's other statements get generic ones", async () => {
    // On PostgreSQL the service's connections plan statements with parameters generically; a plan
    // that cannot tell a township from a province doubled the province's time on bench:stats.
    const [session] = await runFigures(h.deps.sql, { text: "SELECT current_setting('plan_cache_mode') AS plans, current_setting('jit') AS jit", values: [] });
    expect(session).toEqual({ plans: "force_custom_plan", jit: "off" });
  });

  it("refuses a malformed region code with 400 and an unknown one with 404", async () => {
    for (const query of ["region=35062", "region=abc", "region=3506220", ""]) {
      const response = await h.request("GET", `/api/stats?${query}`, { token: admin });
      expect(response.status, query).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
    }
    const unknown = await stats("350699");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });
});

/** The report's raw bytes (a Response's text() would drop the byte-order mark), parsed into cells. */
async function report(region: string, quarter: string, token = admin) {
  const response = await h.app.request(`/api/reports/quarterly?region=${region}&quarter=${quarter}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const csv = () => {
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return text.slice(1).split("\r\n").filter((line) => line !== "").map((line) => line.split(","));
  };
  return { status: response.status, headers: response.headers, text, csv, json: () => JSON.parse(text) };
}

describe("GET /api/reports/quarterly", () => {
  it("is a CSV Excel opens: BOM, Chinese headers, one row per township, the unplaced rest and the total, which add up", async () => {
    const response = await report(COUNTY, "2026Q4");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("zhitongche-350622-2026Q4.csv");
    expect(response.headers.get("x-figures-as-of")).toBe(NOW.toISOString()); // the quarter still runs
    const [header, ...rows] = response.csv();
    expect(header!.slice(0, 7)).toEqual(["地区代码", "地区名称", "登记劳动力人数", "其中：名单内人数", "其中：自行登记人数", "已联系上人数", "求职中人数"]);
    expect(header).toContain("本季度新登记人数");
    expect(rows).toHaveLength(11 + 2);
    expect(rows.at(-2)!.slice(0, 2)).toEqual(["", "云霄县（未细分到下级地区）"]);
    expect(rows.at(-1)!.slice(0, 3)).toEqual([COUNTY, "合计：云霄县", "9"]);
    const column = (name: string) => header!.indexOf(name);
    expect(rows.find((row) => row[0] === PUMEI)!.slice(1, 3)).toEqual(["莆美镇", "5"]);

    // every count column (not the percentages) sums to the total row
    const total = rows.at(-1)!;
    header!.forEach((name, index) => {
      if (index < 2 || name.includes("(%)")) return;
      const parts = rows.slice(0, -1).reduce((sum, row) => sum + Number(row[index]), 0);
      expect(parts, name).toBe(Number(total[index]));
    });
    expect(total[column("外出务工意愿者岗位推送覆盖率(%)")]).toBe("33.3");
    expect(rows.find((row) => row[0] === "350622102")![column("就业率(%)")]).toBe(""); // nobody registered: no rate
  });

  it("counts the quarter's flows, and the figures as they stood at the quarter's end", async () => {
    const [header, ...q4] = (await report(COUNTY, "2026Q4")).csv();
    const cell = (rows: string[][], name: string) => rows.at(-1)![header!.indexOf(name)];
    expect(cell(q4, "本季度新登记人数")).toBe("1"); // a3
    expect(cell(q4, "本季度新就业人数")).toBe("1"); // a3; b2 was hired in April
    expect(cell(q4, "本季度培训结业人次")).toBe("2"); // a3's two courses
    expect(cell(q4, "本季度岗位推送送达条数")).toBe("1"); // a3's push of October

    const q3Report = await report(COUNTY, "2026Q3");
    expect(q3Report.headers.get("x-figures-as-of")).toBe("2026-09-30T16:00:00.000Z"); // 1 October, China time
    const [, ...q3] = q3Report.csv();
    expect(cell(q3, "登记劳动力人数")).toBe("8"); // a3 registered in October
    expect(cell(q3, "有帮扶计划人数")).toBe("3"); // a1, b1, and a2's plan, closed only in October
    expect(cell(q3, "待处理失业预警数")).toBe("0");
    expect(cell(q3, "完成培训人数")).toBe("0");
    expect(cell(q3, "本季度新登记人数")).toBe("1"); // a5, in August
    expect(cell(q3, "本季度岗位推送送达条数")).toBe("0");
    expect(cell(q3, "培训意愿者年度免费培训推送率(%)")).toBe("33.3"); // a1's offer of February, of a1, a2, a4
  });

  it("refuses a bad or future quarter with 400, and follows the same access rules", async () => {
    for (const quarter of ["2026Q5", "2026-4", "Q4", "2027Q1"]) {
      const response = await report(COUNTY, quarter);
      expect(response.status, quarter).toBe(400);
      expect(response.json().error.code).toBe("validation_failed");
    }
    expect((await h.request("GET", `/api/reports/quarterly?region=${COUNTY}&quarter=2026Q4`)).status).toBe(401);
    const pumeiCoordinator = (await h.operator("coordinator", [PUMEI])).token;
    expect((await report(COUNTY, "2026Q4", pumeiCoordinator)).status).toBe(403);
    const own = await report(PUMEI, "2026Q4", pumeiCoordinator);
    expect(own.status).toBe(200);
    expect(own.csv().at(-1)!.slice(0, 3)).toEqual([PUMEI, "合计：莆美镇", "5"]);
    expect((await report("350699", "2026Q4")).status).toBe(404);
  });
});

describe("figures that outlive the workers' moves", () => {
  it("a past quarter counts each worker as they stood at its end: a hire, a pension and a move since change nothing there", async () => {
    const NANJING = "350627"; // 南靖县: a county of its own, so that the figures above stay as they are
    const stayed = await worker({ name: "p1", home: `${NANJING}100201`, status: "seeking", workRange: "anywhere" });
    const movedIn = await worker({ name: "p2", home: PINGHE_VILLAGE, status: "seeking" });
    // In November: p1 is hired out of the province and enrolled in the pension; p2 moves in.
    await h.deps.prisma.worker.update({ where: { id: stayed }, data: { employmentStatus: "employedOutOfProvince", pensionEnrolled: true } });
    await h.deps.prisma.worker.update({ where: { id: movedIn }, data: { homeRegionCode: `${NANJING}100202` } });
    // The trigger stamped the changes with the database's clock; the story says November.
    expect(await h.deps.prisma.workerFiguresChange.count({ where: { workerId: { in: [stayed, movedIn] } } })).toBe(2);
    await h.deps.prisma.workerFiguresChange.updateMany({ where: { workerId: { in: [stayed, movedIn] } }, data: { changedAt: at("2026-11-05T02:00:00Z") } });

    const totals = async (quarter: string) => {
      const [header, ...rows] = (await report(NANJING, quarter)).csv();
      return (name: string) => rows.at(-1)![header!.indexOf(name)];
    };
    const q3 = await totals("2026Q3");
    expect(q3("登记劳动力人数")).toBe("1"); // p2 lived in 平和县 then
    expect(q3("求职中人数")).toBe("1");
    expect(q3("省外就业人数")).toBe("0");
    expect(q3("参加养老保险人数")).toBe("0");
    const q4 = await totals("2026Q4"); // as of now (20 November): after the changes
    expect(q4("登记劳动力人数")).toBe("2");
    expect(q4("求职中人数")).toBe("1");
    expect(q4("省外就业人数")).toBe("1");
    expect(q4("参加养老保险人数")).toBe("1");
    // And 平和县's third quarter still has p2, beside d1 who lives there; its fourth has d1 only.
    expect((await report("350628", "2026Q3")).csv().at(-1)![2]).toBe("2"); // the third column: 登记劳动力人数
    expect((await report("350628", "2026Q4")).csv().at(-1)![2]).toBe("1");
  });

  it("a hire counts in its quarter even after the job was lost; pushes stay where they were sent", async () => {
    // Another county, so that the figures above stay as they are.
    const HOME = "350623100201"; // 漳浦县
    const hiredThenLost = await worker({ name: "h1", home: HOME, status: "seeking", employedSince: "2026-10-15T02:00:00Z" });
    await h.deps.prisma.worker.update({ where: { id: hiredThenLost }, data: { employedSince: null } }); // the job was lost
    const movedAway = await worker({ name: "h2", home: "350623101201", status: "seeking" });
    await notice(movedAway, "job_push", "delivered", { createdAt: "2026-10-20T02:00:00Z" });
    await h.deps.prisma.worker.update({ where: { id: movedAway }, data: { homeRegionCode: "350624100201" } }); // moved to 诏安县
    const [header, ...rows] = (await report("350623", "2026Q4")).csv();
    const total = rows.at(-1)!;
    expect(total[header!.indexOf("本季度新就业人数")]).toBe("1");
    expect(total[header!.indexOf("本季度岗位推送送达条数")]).toBe("1");
    const live = await h.request("GET", "/api/stats?region=350623", { token: admin });
    expect(live.body.pushesDelivered).toBe(1);
    expect(live.body.registered).toBe(1); // only h1 lives there now
  });
});
