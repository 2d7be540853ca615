// The training catalogue as operators meet it: who may add and change courses where, what bad input
// gets (400 and nothing written), enrolment through the API (full, closed, already), the trainees
// an operator may see, and completion with its timeline entry.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";
import { DAY_MS, registerTrainee } from "./support.ts";

let h: Harness;
let admin: string;
let pumeiCoordinator: string; // 莆美镇 350622103
let yunlingCoordinator: string; // 云陵镇 350622100
let yunxiaoOfficial: string; // 云霄县 350622
const inTenDays = () => new Date(h.clock().getTime() + 10 * DAY_MS).toISOString();

const course = (overrides: Record<string, unknown> = {}) => ({
  title: "家政服务员培训班",
  regionCode: "350622103",
  address: "莆美镇文化站",
  startsAt: inTenDays(),
  seats: 2,
  livingAllowance: 50,
  // Closed unless a test says otherwise: these tests are about the catalogue, not the offers.
  status: "closed",
  ...overrides,
});

beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  pumeiCoordinator = (await h.operator("coordinator", ["350622103"])).token;
  yunlingCoordinator = (await h.operator("coordinator", ["350622100"])).token;
  yunxiaoOfficial = (await h.operator("countyOfficial", ["350622"])).token;
});
afterEach(() => {
  h.deps.clock = h.clock;
});
afterAll(() => h.close());

const countCourses = () => h.deps.prisma.trainingCourse.count();

describe("adding a course", () => {
  it("needs an operator key", async () => {
    const response = await h.request("POST", "/api/training/courses", { body: course() });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
    expect((await h.request("GET", "/api/training/courses")).status).toBe(401);
    expect(await countCourses()).toBe(0);
  });

  it("lets the county's operators add one in a township, reads the occupation from the title, and queues its offers with it", async () => {
    // A township course is offered across its county: the township's coordinator may not send that.
    const narrow = await h.request("POST", "/api/training/courses", { token: pumeiCoordinator, body: course({ status: "open" }) });
    expect(narrow.status).toBe(403);
    expect(narrow.body.error.message).toContain("350622");
    const response = await h.request("POST", "/api/training/courses", { token: yunxiaoOfficial, body: course({ status: "open" }) });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.course).toMatchObject({ title: "家政服务员培训班", occupationCode: "4-10-01-06", regionCode: "350622103", seats: 2, seatsTaken: 0, free: true, livingAllowance: 50, status: "open" });
    const job = await h.deps.prisma.job.findUnique({ where: { key: `training:offer:${response.body.course.id}` } });
    expect(job).toMatchObject({ kind: "training.offer", status: "pending", payload: { courseId: response.body.course.id } });
  });

  it("queues no offers for a course added closed", async () => {
    const response = await h.request("POST", "/api/training/courses", { token: admin, body: course() });
    expect(response.status).toBe(201);
    expect(await h.deps.prisma.job.count({ where: { key: `training:offer:${response.body.course.id}` } })).toBe(0);
  });

  it("refuses a course outside the caller's regions, wider ones included, and writes nothing", async () => {
    const before = await countCourses();
    for (const regionCode of ["350623100", "350622", "350622100"]) {
      const response = await h.request("POST", "/api/training/courses", { token: pumeiCoordinator, body: course({ regionCode }) });
      expect(response.status, regionCode).toBe(403);
      expect(response.body.error.code).toBe("forbidden");
    }
    expect(await countCourses()).toBe(before);
    // The county official may add one anywhere in the county, a township's included.
    expect((await h.request("POST", "/api/training/courses", { token: yunxiaoOfficial, body: course({ regionCode: "350622100" }) })).status).toBe(201);
  });

  it("refuses bad input with 400 validation_failed and writes nothing, not even a job", async () => {
    const coursesBefore = await countCourses();
    const jobsBefore = await h.deps.prisma.job.count();
    const bad = [
      course({ seats: 0 }),
      course({ title: "" }),
      course({ regionCode: "35062210" }),
      course({ regionCode: "350699" }), // well-formed, but no such county
      course({ startsAt: "not a date" }),
      course({ endsAt: new Date(h.clock().getTime() + 5 * DAY_MS).toISOString() }), // before the start
      course({ free: false }), // subsidised, but by how much?
      course({ status: "open", startsAt: new Date(h.clock().getTime() - DAY_MS).toISOString() }),
    ];
    for (const body of bad) {
      const response = await h.request("POST", "/api/training/courses", { token: admin, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.code).toBe("validation_failed");
    }
    expect((await h.request("POST", "/api/training/courses", { token: admin, body: "{not json" , headers: { "content-type": "application/json" } })).status).toBe(400);
    expect(await countCourses()).toBe(coursesBefore);
    expect(await h.deps.prisma.job.count()).toBe(jobsBefore);
  });
});

describe("the catalogue", () => {
  let township: string;
  let city: string;
  let elsewhere: string;

  beforeAll(async () => {
    const add = async (body: Record<string, unknown>) => (await h.request("POST", "/api/training/courses", { token: admin, body: course(body) })).body.course.id as string;
    township = await add({ title: "电工培训", regionCode: "350622103", startsAt: new Date(h.clock().getTime() + 20 * DAY_MS).toISOString() });
    city = await add({ title: "养老护理员培训班", regionCode: "3506", startsAt: new Date(h.clock().getTime() + 30 * DAY_MS).toISOString(), free: false, subsidyYuan: 800 });
    elsewhere = await add({ title: "中式烹调师", regionCode: "350623100", startsAt: new Date(h.clock().getTime() + 40 * DAY_MS).toISOString() });
  });

  it("shows a coordinator the courses of their township and those run for the county or city, not another county's", async () => {
    const response = await h.request("GET", "/api/training/courses", { token: pumeiCoordinator });
    expect(response.status).toBe(200);
    const ids = response.body.courses.map((c: { id: string }) => c.id);
    expect(ids).toContain(township);
    expect(ids).toContain(city);
    expect(ids).not.toContain(elsewhere);
    // soonest first
    const starts = response.body.courses.map((c: { startsAt: string }) => c.startsAt);
    expect([...starts].sort()).toEqual(starts);
    expect((await h.request("GET", `/api/training/courses/${city}`, { token: pumeiCoordinator })).body.course).toMatchObject({ free: false, subsidyYuan: 800 });
  });

  it("filters by region and status, inside the caller's regions only", async () => {
    const inElsewhere = await h.request("GET", "/api/training/courses?region=350623", { token: admin });
    expect(inElsewhere.body.courses.map((c: { id: string }) => c.id)).toContain(elsewhere);
    expect(inElsewhere.body.courses.map((c: { id: string }) => c.id)).not.toContain(township);
    const open = await h.request("GET", "/api/training/courses?status=open", { token: admin });
    expect(open.body.courses.every((c: { status: string }) => c.status === "open")).toBe(true);
    expect((await h.request("GET", "/api/training/courses?region=350623", { token: pumeiCoordinator })).status).toBe(403);
    expect((await h.request("GET", "/api/training/courses?status=maybe", { token: admin })).status).toBe(400);
  });

  it("answers 404 for an unknown course and 403 for one outside the caller's regions", async () => {
    expect((await h.request("GET", "/api/training/courses/0190a000-0000-7000-8000-000000000000", { token: admin })).status).toBe(404);
    const outside = await h.request("GET", `/api/training/courses/${elsewhere}`, { token: pumeiCoordinator });
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe("forbidden");
  });

  it("changes seats and dates, closes and cancels; a cancelled course stays cancelled", async () => {
    const later = new Date(h.clock().getTime() + 25 * DAY_MS).toISOString();
    // More seats are offered across the county again: a township's coordinator may not change them.
    expect((await h.request("PATCH", `/api/training/courses/${township}`, { token: pumeiCoordinator, body: { seats: 30 } })).status).toBe(403);
    const changed = await h.request("PATCH", `/api/training/courses/${township}`, { token: yunxiaoOfficial, body: { seats: 30, startsAt: later } });
    expect(changed.status).toBe(200);
    expect(changed.body.course).toMatchObject({ seats: 30, startsAt: later });
    expect((await h.request("PATCH", `/api/training/courses/${township}`, { token: yunxiaoOfficial, body: { status: "cancelled" } })).body.course.status).toBe("cancelled");
    const again = await h.request("PATCH", `/api/training/courses/${township}`, { token: yunxiaoOfficial, body: { status: "open" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conflict");
  });

  it("lets only the operators of a course's region change it, and refuses an empty or bad change", async () => {
    // The city's course reaches the coordinator's township, but it is not theirs to change.
    expect((await h.request("PATCH", `/api/training/courses/${city}`, { token: pumeiCoordinator, body: { seats: 5 } })).status).toBe(403);
    expect((await h.request("PATCH", `/api/training/courses/${city}`, { token: admin, body: {} })).status).toBe(400);
    expect((await h.request("PATCH", `/api/training/courses/${city}`, { token: admin, body: { status: "paused" } })).status).toBe(400);
    expect((await h.request("PATCH", `/api/training/courses/${city}`, { token: admin, body: { endsAt: new Date(h.clock().getTime()).toISOString() } })).status).toBe(400);
    expect((await h.request("GET", `/api/training/courses/${city}`, { token: admin })).body.course.seats).toBe(2);
  });
});

describe("enrolment and completion through the API", () => {
  let courseId: string;
  let pumeiWorker: string;
  let pumeiNeighbour: string;
  let yunlingWorker: string;
  let latecomer: string;

  beforeAll(async () => {
    courseId = (await h.request("POST", "/api/training/courses", { token: yunxiaoOfficial, body: course({ regionCode: "350622", title: "电商直播培训", seats: 2, status: "open" }) })).body.course.id;
    const person = { birthDate: "1990-01-01", sex: "female" as const, wantsTraining: true };
    pumeiWorker = (await registerTrainee(h, { ...person, name: "王芳", homeRegionCode: "350622103201" })).id;
    pumeiNeighbour = (await registerTrainee(h, { ...person, name: "李梅", homeRegionCode: "350622103202" })).id;
    yunlingWorker = (await registerTrainee(h, { ...person, name: "陈丽", homeRegionCode: "350622100201" })).id;
    latecomer = (await registerTrainee(h, { ...person, name: "黄英", homeRegionCode: "350622103203" })).id;
  });

  it("enrols a worker of the coordinator's township once, and refuses one of another township", async () => {
    const path = `/api/training/courses/${courseId}/enrolments`;
    const first = await h.request("POST", path, { token: pumeiCoordinator, body: { workerId: pumeiWorker } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ already: false, enrolment: { courseId, workerId: pumeiWorker, status: "enrolled", completedAt: null } });
    const twice = await h.request("POST", path, { token: pumeiCoordinator, body: { workerId: pumeiWorker } });
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ already: true, enrolment: { id: first.body.enrolment.id } });
    const outside = await h.request("POST", path, { token: pumeiCoordinator, body: { workerId: yunlingWorker } });
    expect(outside.status).toBe(403);
    expect(await h.deps.prisma.trainingEnrolment.count({ where: { courseId } })).toBe(1);
    expect((await h.request("POST", path, { token: pumeiCoordinator, body: { workerId: "nobody" } })).status).toBe(400);
    expect((await h.request("POST", path, { body: { workerId: pumeiWorker } })).status).toBe(401);
  });

  it("refuses a worker when the course is full, with 409 conflict", async () => {
    const path = `/api/training/courses/${courseId}/enrolments`;
    expect((await h.request("POST", path, { token: yunlingCoordinator, body: { workerId: yunlingWorker } })).status).toBe(201);
    const full = await h.request("POST", path, { token: pumeiCoordinator, body: { workerId: pumeiNeighbour } });
    expect(full.status).toBe(409);
    expect(full.body.error).toMatchObject({ code: "conflict" });
    expect(full.body.error.message).toContain("full");
    expect((await h.request("GET", `/api/training/courses/${courseId}`, { token: admin })).body.course).toMatchObject({ seats: 2, seatsTaken: 2 });
    // A seat added is a seat taken up.
    await h.request("PATCH", `/api/training/courses/${courseId}`, { token: yunxiaoOfficial, body: { seats: 3 } });
    expect((await h.request("POST", path, { token: pumeiCoordinator, body: { workerId: pumeiNeighbour } })).status).toBe(201);
    expect((await h.request("PATCH", `/api/training/courses/${courseId}`, { token: yunxiaoOfficial, body: { seats: 2 } })).status).toBe(409);
  });

  it("refuses enrolment in a closed course", async () => {
    await h.request("PATCH", `/api/training/courses/${courseId}`, { token: yunxiaoOfficial, body: { status: "closed", seats: 10 } });
    const closed = await h.request("POST", `/api/training/courses/${courseId}/enrolments`, { token: pumeiCoordinator, body: { workerId: latecomer } });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toContain("closed");
  });

  it("shows each operator only the trainees of their own regions", async () => {
    const names = async (token: string) => (await h.request("GET", `/api/training/courses/${courseId}/enrolments`, { token })).body.enrolments.map((e: { workerName: string }) => e.workerName).sort();
    expect(await names(pumeiCoordinator)).toEqual(["李梅", "王芳"]);
    expect(await names(yunlingCoordinator)).toEqual(["陈丽"]);
    expect(await names(yunxiaoOfficial)).toEqual(["李梅", "王芳", "陈丽"]);
  });

  it("refuses completion before the course has started, and of a worker not enrolled, writing nothing", async () => {
    const path = `/api/training/courses/${courseId}/completions`;
    const early = await h.request("POST", path, { token: yunxiaoOfficial, body: { workerIds: [pumeiWorker] } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain("not started");

    h.deps.clock = () => new Date(h.clock().getTime() + 15 * DAY_MS);
    const mixed = await h.request("POST", path, { token: yunxiaoOfficial, body: { workerIds: [pumeiWorker, latecomer] } });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error.details).toEqual({ workerIds: [latecomer] });
    expect(await h.deps.prisma.trainingEnrolment.count({ where: { courseId, status: "completed" } })).toBe(0);
    expect(await h.deps.prisma.planEvent.count({ where: { kind: "training_completed" } })).toBe(0);
    // A coordinator records completions only for workers of their own regions.
    expect((await h.request("POST", path, { token: pumeiCoordinator, body: { workerIds: [pumeiWorker, yunlingWorker] } })).status).toBe(403);
    expect((await h.request("POST", path, { token: yunxiaoOfficial, body: { workerIds: [pumeiWorker, pumeiWorker] } })).status).toBe(400);
  });

  it("records completion with the certificate: the enrolments completed and a training_completed entry on each plan", async () => {
    const finished = new Date(h.clock().getTime() + 15 * DAY_MS);
    h.deps.clock = () => finished;
    const response = await h.request("POST", `/api/training/courses/${courseId}/completions`, {
      token: yunxiaoOfficial,
      body: { workerIds: [pumeiWorker, yunlingWorker], certificate: "互联网营销师五级" },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.enrolments).toHaveLength(2);
    for (const enrolment of response.body.enrolments) {
      expect(enrolment).toMatchObject({ status: "completed", completedAt: finished.toISOString(), certificate: "互联网营销师五级" });
    }
    const neighbour = await h.deps.prisma.trainingEnrolment.findFirstOrThrow({ where: { courseId, workerId: pumeiNeighbour } });
    expect(neighbour.status).toBe("enrolled");

    const plan = await h.request("GET", `/api/workers/${pumeiWorker}/plan`, { token: pumeiCoordinator });
    const completed = plan.body.timeline.filter((entry: { kind: string }) => entry.kind === "training_completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ data: { courseId, title: "电商直播培训", certificate: "互联网营销师五级" } });
    expect(plan.body.timeline.map((entry: { kind: string }) => entry.kind)).toContain("training_enrolled");
    // Recording it again changes nothing: the date the certificate was earned stays.
    h.deps.clock = () => new Date(finished.getTime() + DAY_MS);
    const again = await h.request("POST", `/api/training/courses/${courseId}/completions`, { token: yunxiaoOfficial, body: { workerIds: [pumeiWorker] } });
    expect(again.body.enrolments[0]).toMatchObject({ completedAt: finished.toISOString(), certificate: "互联网营销师五级" });
    expect(await h.deps.prisma.planEvent.count({ where: { workerId: pumeiWorker, kind: "training_completed" } })).toBe(1);
  });

  it("lets a course that has started get a seat, but not be reopened in the past", async () => {
    h.deps.clock = () => new Date(h.clock().getTime() + 15 * DAY_MS);
    await h.request("PATCH", `/api/training/courses/${courseId}`, { token: admin, body: { status: "open" } }).then((response) => expect(response.status).toBe(409));
    // Running, as a course opened before its start is: a late seat is still a seat.
    await h.deps.prisma.trainingCourse.update({ where: { id: courseId }, data: { status: "open" } });
    const seat = await h.request("PATCH", `/api/training/courses/${courseId}`, { token: yunxiaoOfficial, body: { seats: 11 } });
    expect(seat.status).toBe(200);
    expect(seat.body.course).toMatchObject({ seats: 11, status: "open" });
  });
});
