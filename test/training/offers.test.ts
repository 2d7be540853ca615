// Training reaching workers: a course that opens is offered to the workers nearby who want training
// (and nobody else), once each; the offer cap and who comes first; enrolment by the verb the chat
// uses; the reminder two days before the start; and the annual promise of a free course.
// Each scenario lives in counties of its own so that no earlier worker is a candidate.
import { service } from "../support/service.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureRecurringJobs } from "../../src/jobs/registry.ts";
import { chinaYearStart } from "../../src/shared/china-time.ts";
import { TRAINING_LIMITS } from "../../src/services/training/course-rules.ts";
import { enrolInCourse } from "../../src/services/training/enrolment.ts";
import { offerCourse } from "../../src/services/training/offers.ts";
import { keepTrainingPromise } from "../../src/services/training/promise.ts";
import { contextFor, operatorActor } from "../../src/services/context.ts";
import { correctWorker } from "../../src/services/worker-record.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { residentId, type TestWorker } from "../support/people.ts";
import { DAY_MS, received, registerTrainee, settle } from "./support.ts";

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  await h.deps.indexes.ensureSettings();
  admin = (await h.operator("admin")).token;
});
afterAll(() => h.close());

const person = (name: string, homeRegionCode: string) => ({ name, homeRegionCode, birthDate: "1988-04-04", sex: "female" as const, povertyStatus: "registered" as const, wantsTraining: true });

async function addCourse(body: Record<string, unknown>): Promise<string> {
  const response = await h.request("POST", "/api/training/courses", {
    token: admin,
    body: { title: "家政服务员培训班", seats: 10, startsAt: new Date(h.clock().getTime() + 10 * DAY_MS).toISOString(), ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.course.id;
}

const offersTo = async (worker: TestWorker) => (await received(h, worker.address)).filter((message) => message.key.startsWith("training_offer:"));

describe("a course that opens is offered to the workers nearby who want training", () => {
  let wishesIt: TestWorker;
  let employedLocally: TestWorker;
  let notWanting: TestWorker;
  let otherCounty: TestWorker;
  let employedAway: TestWorker;
  let optedOut: TestWorker;
  let courseId: string;

  beforeAll(async () => {
    wishesIt = await registerTrainee(h, { ...person("王芳", "350622103201"), trainingWish: "家政" });
    employedLocally = await registerTrainee(h, { ...person("李梅", "350622100201"), employmentStatus: "employedLocal" });
    notWanting = await registerTrainee(h, { ...person("陈丽", "350622103202"), wantsTraining: false });
    otherCounty = await registerTrainee(h, person("黄英", "350626100201"));
    employedAway = await registerTrainee(h, { ...person("林霞", "350622103203"), employmentStatus: "employedOutOfProvince" });
    optedOut = await registerTrainee(h, { ...person("郑红", "350622103204"), optedOut: true });
    courseId = await addCourse({ regionCode: "350622103", address: "莆美镇文化站", livingAllowance: 50, startsAt: "2030-06-10T00:30:00Z" });
    await settle(h);
  });

  it("reaches each worker who wants training in the county once, in one SMS ending 回复1报名", async () => {
    for (const worker of [wishesIt, employedLocally]) {
      const offers = await offersTo(worker);
      expect(offers).toHaveLength(1);
      const [offer] = offers;
      expect(offer!.text).toBe("家政服务员培训班，云霄县莆美镇，6月10日开课，免费，每天生活补贴50元。回复1报名");
      expect(offer!.text.length).toBeLessThanOrEqual(70);
      expect(offer!.purpose).toBe("push");
      expect(offer!.status).toBe("delivered");
      expect(offer!.body.template).toBe("training_offer");
      for (const value of Object.values(offer!.body.params!)) expect(value.length).toBeLessThanOrEqual(20);
    }
    const notice = await h.deps.prisma.notice.findUniqueOrThrow({ where: { key: `training_offer:${courseId}:${wishesIt.id}` } });
    expect(notice).toMatchObject({ kind: "training_offer", courseId, workerId: wishesIt.id, regionCode: "350622103201" });
  });

  it("reaches nobody else: not wanting training, another county, employed out of the province, opted out", async () => {
    for (const worker of [notWanting, otherCounty, employedAway, optedOut]) expect(await offersTo(worker)).toEqual([]);
  });

  it("tells nobody twice when the offer runs again", async () => {
    expect(await offerCourse(service(h), courseId)).toEqual({ chosen: 0, queued: 0 });
    await h.deps.prisma.job.update({ where: { key: `training:offer:${courseId}` }, data: { status: "pending", runAt: h.clock() } });
    await settle(h);
    expect(await h.deps.prisma.notice.count({ where: { courseId } })).toBe(2);
  });

  it("puts the offer on the worker's timeline", async () => {
    const events = await h.deps.prisma.planEvent.findMany({ where: { workerId: wishesIt.id, kind: "training_offer" } });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ courseId, title: "家政服务员培训班", free: true });
  });

  it("offers a subsidised course as such, within 70 characters however long its title", async () => {
    const subsidised = await addCourse({ regionCode: "350622", title: "农村电子商务直播带货与网店运营实操技能提升培训班", free: false, subsidyYuan: 1200, seats: 3 });
    await settle(h);
    const [offer] = (await offersTo(wishesIt)).filter((message) => message.key.includes(subsidised));
    expect(offer!.text).toContain("政府补贴1200元");
    expect(offer!.text.length).toBeLessThanOrEqual(70);
    expect(offer!.text.endsWith("回复1报名")).toBe(true);
  });
});

describe("how many are offered a course, and who first", () => {
  // 诏安县 350624: one seat, so five offers; fitting workers first, then those not yet offered a free course this year.
  it("offers fitting workers first, then those without a free offer this year, up to five per seat; a crash half-way sends nobody two", async () => {
    const fitsButCovered = await registerTrainee(h, { ...person("甲", "350624100201"), trainingWish: "月嫂" });
    const fresh: TestWorker[] = [];
    for (const name of ["乙", "丙", "丁", "戊"]) fresh.push(await registerTrainee(h, person(name, "350624100202")));
    const covered = await registerTrainee(h, person("己", "350624100203"));
    // Both were offered another free course this year; the fitting one still comes first.
    const earlier = await h.deps.prisma.trainingCourse.create({ data: { title: "旧课程", regionCode: "350624", startsAt: h.clock(), seats: 1, free: true, status: "closed" } });
    for (const worker of [fitsButCovered, covered]) {
      await h.deps.prisma.notice.create({ data: { kind: "training_offer", workerId: worker.id, courseId: earlier.id, key: `training_offer:${earlier.id}:${worker.id}` } });
    }

    const courseId = await addCourse({ regionCode: "350624100", title: "家政服务员培训", seats: 1, status: "closed" });
    await h.request("PATCH", `/api/training/courses/${courseId}`, { token: admin, body: { status: "open" } });
    let batches = 0;
    const crashing = { ...service(h), wake: () => { if (++batches === 1) throw new Error("killed"); } };
    await expect(offerCourse(crashing, courseId, { batchSize: 2 })).rejects.toThrow("killed");
    expect(await h.deps.prisma.notice.count({ where: { courseId } })).toBe(2);
    expect(await offerCourse(service(h), courseId, { batchSize: 2 })).toEqual({ chosen: 3, queued: 3 });

    const offered = await h.deps.prisma.notice.findMany({ where: { courseId } });
    expect(offered).toHaveLength(TRAINING_LIMITS.offersPerSeat);
    expect(new Set(offered.map((notice) => notice.workerId))).toEqual(new Set([fitsButCovered, ...fresh].map((worker) => worker.id)));
    const outbox = await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: `training_offer:${courseId}:` } } });
    expect(outbox).toBe(5);
    // At the cap: the job run again (the reopened course's job) offers no one more.
    await settle(h);
    expect(await h.deps.prisma.notice.count({ where: { courseId } })).toBe(5);
    expect(await offersTo(covered)).toEqual([]);
  });
});

describe("enrolment, as the chat's reply 1 uses it", () => {
  const startsAt = new Date("2031-03-10T00:30:00Z"); // 10 March 2031, 8:30 China time
  let courseId: string;
  const workers: TestWorker[] = [];

  beforeAll(async () => {
    for (const name of ["子", "丑", "寅"]) workers.push(await registerTrainee(h, person(name, "350629100201")));
    workers.push(await registerTrainee(h, { ...person("卯", "350629100202"), optedOut: true }));
    courseId = await addCourse({ regionCode: "350629", title: "电工培训", seats: 2, startsAt: startsAt.toISOString() });
  });

  const enrol = (worker: TestWorker, now = h.clock()) =>
    h.deps.prisma.$transaction((tx) => enrolInCourse(tx, { workerId: worker.id, courseId, source: "offer", now, channel: "web" }));

  it("enrols, then answers already, then full when the seats are taken", async () => {
    const first = await enrol(workers[0]!);
    expect(first).toMatchObject({ enrolled: { courseId, workerId: workers[0]!.id, status: "enrolled" } });
    expect(await enrol(workers[0]!)).toMatchObject({ already: { id: (first as { enrolled: { id: string } }).enrolled.id } });
    // The operator enrols the worker who turned pushes off: their own enrolment is not a push.
    const byOperator = await h.request("POST", `/api/training/courses/${courseId}/enrolments`, { token: admin, body: { workerId: workers[3]!.id } });
    expect(byOperator.status).toBe(201);
    expect(await enrol(workers[1]!)).toMatchObject({ full: true });
    expect(await h.deps.prisma.trainingEnrolment.count({ where: { courseId } })).toBe(2);
  });

  it("records training_enrolled on the timeline", async () => {
    const [event] = await h.deps.prisma.planEvent.findMany({ where: { workerId: workers[0]!.id, kind: "training_enrolled" } });
    expect(event).toMatchObject({ channel: "web", data: { courseId, source: "offer", title: "电工培训" } });
  });

  it("answers closed for a closed course, one that has started, or one that does not exist", async () => {
    await h.request("PATCH", `/api/training/courses/${courseId}`, { token: admin, body: { seats: 5 } });
    expect(await enrol(workers[1]!, new Date(startsAt.getTime() + 1000))).toMatchObject({ closed: true });
    await h.request("PATCH", `/api/training/courses/${courseId}`, { token: admin, body: { status: "closed" } });
    expect(await enrol(workers[1]!)).toMatchObject({ closed: true });
    const missing = await h.deps.prisma.$transaction((tx) => enrolInCourse(tx, { workerId: workers[1]!.id, courseId: "0190a000-0000-7000-8000-000000000000", source: "offer", now: h.clock() }));
    expect(missing).toEqual({ closed: true, course: null });
  });

  it("queues the reminder for 9:00 China time two days before the course day", async () => {
    const jobs = await h.deps.prisma.job.findMany({ where: { kind: "training.reminder", payload: { path: ["courseId"], equals: courseId } } });
    expect(jobs).toHaveLength(2);
    for (const job of jobs) expect(job.runAt.toISOString()).toBe("2031-03-08T01:00:00.000Z");
  });

  it("sends the reminder when its time comes, not before, as a notice that reaches the opted-out worker too", async () => {
    await settle(h, { at: new Date("2031-03-08T00:59:00Z") });
    const reminders = async (worker: TestWorker) => (await received(h, worker.address)).filter((message) => message.key.startsWith("training_reminder:"));
    expect(await reminders(workers[0]!)).toEqual([]);

    await settle(h, { at: new Date("2031-03-08T01:00:30Z") });
    for (const worker of [workers[0]!, workers[3]!]) {
      const [reminder, ...more] = await reminders(worker);
      expect(more).toEqual([]);
      expect(reminder).toMatchObject({ purpose: "notice", status: "delivered" });
      expect(reminder!.text).toBe('提醒：您报名的电工培训3月10日8:30开课，地点：华安县。去不了请回复"人工"');
      expect(reminder!.body).toMatchObject({ template: "training_reminder", params: { course: "电工培训", start: "3月10日8:30", place: "华安县" } });
    }
    expect(await reminders(workers[1]!)).toEqual([]);
    // The worker who turned pushes off got no offer, only the reminder of their own enrolment.
    expect((await received(h, workers[3]!.address)).map((message) => message.key.split(":")[0])).toEqual(["training_reminder"]);
  });

  it("reminds nobody of a course that was cancelled", async () => {
    const cancelledId = await addCourse({ regionCode: "350629", title: "焊工培训", seats: 2, startsAt: "2031-04-10T02:00:00Z" });
    const enrolled = await h.deps.prisma.$transaction((tx) => enrolInCourse(tx, { workerId: workers[2]!.id, courseId: cancelledId, source: "operator", now: h.clock() }));
    expect(enrolled).toHaveProperty("enrolled");
    await h.request("PATCH", `/api/training/courses/${cancelledId}`, { token: admin, body: { status: "cancelled" } });
    await settle(h, { at: new Date("2031-04-08T01:00:30Z") });
    expect(await h.deps.prisma.notice.count({ where: { courseId: cancelledId, kind: "training_reminder" } })).toBe(0);
  });
});

describe("the annual promise: a free course offered to every worker who wants training", () => {
  // 漳浦县 350623 has the free course; 南靖县 350627 (same city) has only a subsidised one; 泉州 3505 has none.
  let offeredThisYear: TestWorker;
  let offeredLastYear: TestWorker;
  let newcomer: TestWorker;
  let sameCity: TestWorker;
  let otherCity: TestWorker;
  let freeCourse: string;
  let subsidisedNearby: string;

  beforeAll(async () => {
    offeredThisYear = await registerTrainee(h, person("甲一", "350623100201"));
    freeCourse = await addCourse({ regionCode: "350623", title: "养老护理员培训班", seats: 20, startsAt: new Date(h.clock().getTime() + 30 * DAY_MS).toISOString() });
    await settle(h); // offered to 甲一, the only one there yet
    offeredLastYear = await registerTrainee(h, person("乙二", "350623100202"));
    const lastYear = new Date(chinaYearStart(h.clock()).getTime() - 30 * DAY_MS);
    const old = await h.deps.prisma.trainingCourse.create({ data: { title: "去年的课", regionCode: "350623", startsAt: lastYear, seats: 5, free: true, status: "closed" } });
    await h.deps.prisma.notice.create({ data: { kind: "training_offer", workerId: offeredLastYear.id, courseId: old.id, key: `training_offer:${old.id}:${offeredLastYear.id}`, createdAt: lastYear } });
    newcomer = await registerTrainee(h, person("丙三", "350623101201"));
    sameCity = await registerTrainee(h, { ...person("丁四", "350627100201"), trainingWish: "电工" });
    otherCity = await registerTrainee(h, person("戊五", "350524100201"));
    subsidisedNearby = await addCourse({ regionCode: "350627", title: "电工培训", free: false, subsidyYuan: 600, seats: 10, status: "closed" });
    await h.request("PATCH", `/api/training/courses/${subsidisedNearby}`, { token: admin, body: { status: "open" } });
    await settle(h);
  });

  const offers = (worker: TestWorker) => h.deps.prisma.notice.findMany({ where: { workerId: worker.id, kind: "training_offer" }, include: { course: true } });

  it("runs every day at 10:00 China time", async () => {
    await ensureRecurringJobs(h.deps);
    const job = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: "training:promise" } });
    expect(job.kind).toBe("training.promise");
    expect(new Date(job.runAt.getTime() + 8 * 3600 * 1000).toISOString().slice(11, 19)).toBe("10:00:00");
    expect(job.runAt.getTime() - h.clock().getTime()).toBeLessThanOrEqual(DAY_MS);
  });

  it("offers the nearest free course to those without a free offer this year, and not to one who had one", async () => {
    // The promise as the county's figure counts it, a moment after `at` (it counts what happened before its instant).
    const coverage = async (at: Date) => {
      const now = h.clock();
      h.clock.set(new Date(at.getTime() + 1000));
      const figures = await h.request("GET", "/api/stats?region=350623", { token: admin });
      h.clock.set(now);
      return figures.body.targetCounts.trainingOfferCoverage;
    };
    expect(await coverage(h.clock())).toEqual({ covered: 1, of: 3 });

    const job = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: "training:promise" } });
    await settle(h, { at: new Date(job.runAt.getTime() + 1000) });

    expect((await offers(offeredThisYear)).map((notice) => notice.courseId)).toEqual([freeCourse]);
    for (const worker of [offeredLastYear, newcomer]) {
      const thisYear = (await offers(worker)).filter((notice) => notice.course!.free && notice.courseId === freeCourse);
      expect(thisYear).toHaveLength(1);
    }
    // Its own county has only a subsidised course: the free one in the same city is offered.
    expect(new Set((await offers(sameCity)).map((notice) => notice.courseId))).toEqual(new Set([freeCourse, subsidisedNearby]));
    expect(await offers(otherCity)).toEqual([]);
    const [text] = (await received(h, newcomer.address)).filter((message) => message.key.startsWith("training_offer:")).map((message) => message.text);
    expect(text).toMatch(/^养老护理员培训班，漳浦县，\d+月\d+日开课，免费。回复1报名$/);

    expect(await coverage(new Date(job.runAt.getTime() + 1000))).toEqual({ covered: 3, of: 3 });
    // And tomorrow's run is queued.
    const next = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: "training:promise" } });
    expect(next.status).toBe("pending");
    expect(next.runAt.getTime() - job.runAt.getTime()).toBe(DAY_MS);
  });

  it("offers nothing more when it runs again", async () => {
    const offered = await h.deps.prisma.notice.count({ where: { kind: "training_offer" } });
    expect(await keepTrainingPromise(service(h))).toMatchObject({ offered: 0 });
    expect(await h.deps.prisma.notice.count({ where: { kind: "training_offer" } })).toBe(offered);
  });
});

describe("replying 1 to an offer in the chat", () => {
  it("enrols the worker and says when the course starts; a second 1 after the seats are gone says so", async () => {
    const first = await registerTrainee(h, person("丁一", "350629100201"));
    const second = await registerTrainee(h, person("丁二", "350629100202"));
    const courseId = await addCourse({ title: "电工培训班", regionCode: "350629", seats: 1, startsAt: "2030-07-01T01:00:00Z" });
    await settle(h);
    for (const worker of [first, second]) expect(await offersTo(worker)).toHaveLength(1);
    const say = async (from: string, text: string) =>
      ((await h.request("POST", "/api/simulator/messages", { body: { from, text } })).body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
    expect(await say(first.address, "1")).toBe("报名成功！电工培训班，7月1日开课，开课前两天提醒您。");
    expect(await say(second.address, "报名")).toContain("名额满了");
    const enrolments = await h.deps.prisma.trainingEnrolment.findMany({ where: { courseId } });
    expect(enrolments.map((enrolment) => enrolment.workerId)).toEqual([first.id]);
    // The answer was to the offer only: the next 1 is the menu's 找工作 again.
    expect(await say(first.address, "1")).not.toContain("报名成功");
  });
});

describe("a worker who comes to want training", () => {
  const say = async (from: string, text: string) =>
    ((await h.request("POST", "/api/simulator/messages", { body: { from, text } })).body.replies as { text: string }[]).map((reply) => reply.text).join("\n");

  it("hears of the nearest course once registered, and when 修改 turns training on later, not at the next daily run", async () => {
    // 平和县 350628: a free course there, and nobody who wants training yet.
    const courseId = await addCourse({ regionCode: "350628", title: "电工培训班", startsAt: "2030-08-01T01:00:00Z" });
    await settle(h);
    const from = "13900000628";
    let reply = "";
    for (const text of ["你好", "1", "1", "张平和", residentId("1986-06-06", "male", 628, "350628"), from, "1", "1", "1", "2", "4", "家政服务", "1", "3000", "1"]) reply = await say(from, text);
    expect(reply).toContain("请核对");
    expect(await say(from, "1")).toContain("登记成功");
    const registered = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: "张平和" } });
    expect(registered).toMatchObject({ wantsTraining: true, homeRegionCode: expect.stringMatching(/^350628/) });
    await settle(h);
    const offered = (await received(h, from)).filter((message) => message.key === `training_offer:${courseId}:${registered.id}`);
    expect(offered.map((message) => message.text)).toEqual([expect.stringMatching(/^电工培训班，平和县，8月1日开课，免费。回复1报名$/)]);

    // A registered worker who did not want training changes it in the chat: offered as soon.
    const later = await registerTrainee(h, { ...person("李平和", "350628100201"), wantsTraining: false });
    expect(await say(later.address, "修改")).toContain("要改哪一项");
    const fields = await say(later.address, "9");
    expect(await say(later.address, fields.match(/(\d) 培训/)![1]!)).toContain("培训");
    expect(await say(later.address, "1")).toContain("改成：培训：想参加，对吗？");
    expect(await say(later.address, "1")).toContain("已改好");
    await settle(h);
    expect(await offersTo(later)).toHaveLength(1);

    // And when a coordinator records it in the console.
    const told = await registerTrainee(h, { ...person("王平和", "350628100202"), wantsTraining: false });
    const coordinator = await h.deps.prisma.operator.findUniqueOrThrow({ where: { id: (await h.operator("coordinator", ["350628"])).id } });
    await correctWorker(contextFor(h.deps, operatorActor(coordinator)), { workerId: told.id, field: "wantsTraining", value: "yes" });
    await settle(h);
    expect(await offersTo(told)).toHaveLength(1);
  });
});
