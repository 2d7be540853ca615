// Issue 7 through the simulator: workers with different profiles ask 补贴 and hear what the policy
// gives them; a hire out of province brings the transport-subsidy notice by itself and a local
// one does not; a county's stored document changes the amount the workers hear; the follow-up a
// month after a hire — answered "2", or unanswered twice — raises a job-loss warning.
import { service } from "../support/service.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../../src/delivery/dispatcher.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { BUILT_IN_DOCUMENTS } from "../../src/policies/index.ts";
import { webChannel } from "../../bots/web/index.ts";
import { createHarness, TEST_NOW, type Harness } from "../support/harness.ts";
import { registerTestWorker, type TestWorker } from "../support/people.ts";

let h: Harness;
let admin: string;
let clock = TEST_NOW;
beforeAll(async () => {
  h = await createHarness();
  h.deps.clock = () => clock;
  admin = (await h.operator("admin")).token;
  await h.deps.indexes.ensureSettings();
});
afterAll(() => h.close());

async function settle() {
  const jobs = createJobRunner({ deps: { ...h.deps, clock: () => clock } });
  const dispatcher = createDispatcher({ prisma: h.deps.prisma, sql: h.deps.sql, pii: h.deps.pii, channels: { web: webChannel.delivery(h.deps.config, h.deps.log) }, quietHours: null, log: h.deps.log, clock: () => clock });
  for (let round = 0; round < 20; round++) if ((await jobs.runOnce()) + (await dispatcher.runOnce()) === 0) return;
  throw new Error("did not settle");
}

async function say(from: string, text: string): Promise<string> {
  const response = await h.request("POST", "/api/simulator/messages", { body: { from, text } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  for (const reply of response.body.replies as { text: string }[]) expect(reply.text.length).toBeLessThanOrEqual(70);
  return (response.body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
}
const inbox = async (address: string) =>
  ((await h.request("GET", `/api/simulator/messages?to=${address}`)).body.messages as { text: string; purpose: string }[]).map((message) => message.text).join("\n");

const ZHANGZHOU_VILLAGE = "350622103201";

describe("补贴 in the chat", () => {
  it("gives each worker the benefits their profile qualifies for, and not the others", async () => {
    const poor = await registerTestWorker(h, { name: "蔡丽", birthDate: "1990-04-04", sex: "female", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "registered", categories: ["minimumLivingAllowance"], wantsTraining: true });
    const notPoor = await registerTestWorker(h, { name: "许刚", birthDate: "1990-04-04", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "none", wantsTraining: true });
    const poorLines = await say(poor.address, "补贴");
    const notPoorLines = await say(notPoor.address, "补贴");
    expect(poorLines).toContain("职业培训");
    expect(poorLines).toContain("养老代缴");
    expect(notPoorLines).not.toContain("职业培训");
    expect(notPoorLines).not.toContain("养老代缴");
    expect(notPoorLines).toContain('回复"人工"');
    // What the record does not know is asked, and what the answers decide is said.
    expect(poorLines).toContain("您参加城乡居民养老保险（农保）了吗？");
    expect(await say(poor.address, "没参加")).toContain("您在自己做生意");
    // 36 years old: no school questions.
    const told = await say(poor.address, "不是");
    expect(told).not.toContain("读书");
    expect(told).toContain("养老参保");
    expect(told).toContain('回复"人工"');
    // The operator sees the same evaluation, with reasons.
    const evaluation = await h.request("GET", `/api/workers/${poor.id}/benefits`, { token: admin });
    expect(evaluation.status).toBe(200);
    const training = (evaluation.body.benefits as { id: string; answer: string; reason: string }[]).find((benefit) => benefit.id === "vocational_training");
    expect(training).toMatchObject({ answer: "yes" });
    // The answers are the worker's record now, on their timeline, and the evaluation reads them.
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: poor.id } })).toMatchObject({ pensionEnrolled: false, startingBusiness: false, education: null });
    const pension = (evaluation.body.benefits as { id: string; answer: string }[]).find((benefit) => benefit.id === "pension_enrolment");
    expect(pension).toMatchObject({ answer: "yes" });
    const timeline = await h.deps.prisma.planEvent.findMany({ where: { workerId: poor.id, kind: "benefit_facts_told" }, orderBy: { seq: "asc" } });
    expect(timeline.map((entry) => entry.data)).toEqual([{ pensionEnrolled: false }, { startingBusiness: false }]);
  });
});

/** An employer on the simulator with one open vacancy at `regionCode`, and an application by the worker. */
async function employerWithApplicant(worker: TestWorker, regionCode: string, phone: string) {
  const employer = await h.deps.prisma.employer.create({ data: { name: `用工单位${phone.slice(-4)}`, creditCode: null, vouchedBy: "test", regionCode } });
  await h.deps.prisma.channelIdentity.create({ data: { channel: "web", address: phone, employerId: employer.id, lastInboundAt: clock } });
  const vacancy = await h.deps.prisma.vacancy.create({ data: { employerId: employer.id, title: "电子厂普工", regionCode, headcount: 5, status: "open" } });
  await h.deps.prisma.application.create({ data: { vacancyId: vacancy.id, workerId: worker.id, source: "push" } });
  return { employer, vacancy };
}

async function hireThroughChat(phone: string, workerName: string) {
  const menu = await say(phone, "已录用");
  const line = menu.split("\n").find((l) => l.includes(workerName));
  expect(line, menu).toBeTruthy();
  expect(await say(phone, line!.split(" ")[0]!)).toContain(`已记下录用${workerName}`);
}

describe("a hire brings the notices it should, by itself", () => {
  it("hired out of province: the transport subsidy notice; hired locally: none", async () => {
    const far = await registerTestWorker(h, { name: "吴远", birthDate: "1988-01-01", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "registered", workRange: "anywhere" });
    const near = await registerTestWorker(h, { name: "吴近", birthDate: "1988-01-01", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "registered", workRange: "homeCounty" });
    await employerWithApplicant(far, "440305", "13900000101"); // 深圳市南山区
    await employerWithApplicant(near, "350622103", "13900000102");
    await hireThroughChat("13900000101", "吴远");
    await hireThroughChat("13900000102", "吴近");
    await settle();
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: far.id } })).employmentStatus).toBe("employedOutOfProvince");
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: near.id } })).employmentStatus).toBe("employedLocal");
    const farInbox = await inbox(far.address);
    expect(farInbox).toContain("录用了您");
    expect(farInbox).toContain("交通");
    const nearInbox = await inbox(near.address);
    expect(nearInbox).toContain("录用了您");
    expect(nearInbox).not.toContain("交通");
    expect(await h.deps.prisma.notice.count({ where: { workerId: far.id, kind: "subsidy" } })).toBe(1);
  });

  it("a county's stored document changes what its workers are told, without a code change", async () => {
    const national = BUILT_IN_DOCUMENTS.find((document) => (document.data as { regionCode: string }).regionCode === "national")!.data as {
      benefits: { id: string }[];
    };
    expect(national.benefits.some((benefit) => benefit.id === "transport_subsidy")).toBe(true);
    const county = {
      regionCode: "350623",
      name: "漳浦县就业帮扶政策",
      benefits: [{ id: "transport_subsidy", amount: { yuan: 500, text: "一次性交通补助{yuan}元", short: "{yuan}元" }, sources: [{ file: "漳浦县人社局通知", quotes: ["外出务工一次性交通补助500元"] }] }],
    };
    const official = await h.operator("countyOfficial", ["350623"]);
    const other = await h.operator("countyOfficial", ["350622"]);
    expect((await h.request("PUT", "/api/policies/350623", { token: other.token, body: county })).status).toBe(403);
    const bad = await h.request("PUT", "/api/policies/350623", { token: official.token, body: { ...county, benefits: [{ id: "transport_subsidy", amount: { yuan: "five hundred" } }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("transport_subsidy");
    expect(await h.deps.prisma.policyDocument.count()).toBe(0);
    const stored = await h.request("PUT", "/api/policies/350623", { token: official.token, body: county });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);

    const effective = await h.request("GET", "/api/policies?region=350623", { token: official.token });
    expect((effective.body.benefits as { id: string; amount: string }[]).find((benefit) => benefit.id === "transport_subsidy")!.amount).toContain("500元");

    const zhangpu = await registerTestWorker(h, { name: "郭行", birthDate: "1987-07-07", sex: "male", homeRegionCode: "350623100201", povertyStatus: "registered", workRange: "anywhere" });
    await employerWithApplicant(zhangpu, "440305", "13900000103");
    await hireThroughChat("13900000103", "郭行");
    await settle();
    expect(await inbox(zhangpu.address)).toContain("500元");
    expect(await say(zhangpu.address, "补贴")).toContain("500元");
    // Changed by another process (straight in the table): the chat's 补贴 reads the documents' stamp
    // with the worker, and so the new amount at once.
    const raised = { ...county, benefits: [{ ...county.benefits[0]!, amount: { ...county.benefits[0]!.amount, yuan: 600 } }] };
    await h.deps.prisma.policyDocument.update({ where: { regionCode: "350623" }, data: { document: raised } });
    const lines = await say(zhangpu.address, "补贴");
    expect(lines).toContain("600元");
    expect(lines).not.toContain("500元");
  });
});

describe("the follow-up a month after a hire", () => {
  async function hiredWorker(name: string, phone: string) {
    const worker = await registerTestWorker(h, { name, birthDate: "1986-06-06", sex: "female", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "lifted", workRange: "homeCounty" });
    await employerWithApplicant(worker, "350622103", phone);
    await hireThroughChat(phone, name);
    await settle();
    return worker;
  }
  const days = (n: number) => n * 24 * 3600 * 1000;
  const warnings = (workerId: string) => h.deps.prisma.planTask.findMany({ where: { kind: "job_loss_warning", plan: { workerId } } });

  it("asks after 30 days; a 2 raises the warning, re-opens the search, offers a free course, and the worker is seeking again", async () => {
    const start = clock;
    const worker = await hiredWorker("邱二", "13900000201");
    clock = new Date(start.getTime() + days(30) + 60_000);
    // A free course in the worker's county, which they never asked about: the job loss brings it.
    const course = await h.request("POST", "/api/training/courses", {
      token: admin,
      body: { title: "电商直播培训班", regionCode: "350622103", address: "莆美镇文化站", startsAt: new Date(clock.getTime() + days(10)).toISOString(), seats: 20, status: "open" },
    });
    expect(course.status, JSON.stringify(course.body)).toBe(201);
    await settle();
    expect(await inbox(worker.address)).toMatch(/邱二您好！您还在.+吗？回复1是，2否/);
    expect(await inbox(worker.address)).not.toContain("电商直播培训班");
    const answer = await say(worker.address, "2");
    expect(answer).toContain("帮您找新工作");
    const record = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
    expect(record.employmentStatus).toBe("seeking");
    expect(await warnings(worker.id)).toHaveLength(1);
    await settle();
    expect(await inbox(worker.address)).toMatch(/电商直播培训班.*回复1报名/);
    // The coordinator sees it among what is due.
    const due = await h.request("GET", `/api/plans?due=${new Date(clock.getTime() + days(3)).toISOString().slice(0, 10)}&kind=job_loss_warning`, { token: admin });
    expect((due.body.plans as { worker: { id: string } }[]).map((plan) => plan.worker.id)).toContain(worker.id);
    // No second try once answered.
    clock = new Date(clock.getTime() + days(4));
    await settle();
    expect((await inbox(worker.address)).match(/您还在/g)).toHaveLength(1);
    clock = start;
  });

  it("a 1 closes the follow-up and raises nothing", async () => {
    const start = clock;
    const worker = await hiredWorker("邱一", "13900000202");
    clock = new Date(start.getTime() + days(30) + 60_000);
    await settle();
    expect(await say(worker.address, "1")).toContain("祝您工作顺利");
    clock = new Date(clock.getTime() + days(7));
    await settle();
    expect(await warnings(worker.id)).toHaveLength(0);
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).employmentStatus).toBe("employedLocal");
    clock = start;
  });

  it("silence after two tries raises the warning", async () => {
    const start = clock;
    const worker = await hiredWorker("邱默", "13900000203");
    for (const after of [30, 33, 36]) {
      clock = new Date(start.getTime() + days(after) + 60_000);
      await settle();
    }
    expect((await inbox(worker.address)).match(/您还在/g)).toHaveLength(2);
    const [warning] = await warnings(worker.id);
    expect(warning?.note).toContain("两次回访没有回复");
    clock = start;
  });
});

describe("a follow-up the bot cannot do", () => {
  const days = (n: number) => n * 24 * 3600 * 1000;
  async function hire(name: string, phone: string) {
    const worker = await registerTestWorker(h, { name, birthDate: "1984-04-04", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "lifted", workRange: "homeCounty" });
    await employerWithApplicant(worker, "350622103", phone);
    await hireThroughChat(phone, name);
    await settle();
    return worker;
  }
  const tasks = (workerId: string) => h.deps.prisma.planTask.findMany({ where: { plan: { workerId }, kind: { in: ["follow_up", "job_loss_warning"] }, status: "open" }, orderBy: { createdAt: "asc" } });

  it("with no channel left to the worker, asks the coordinator to call, and reports no job loss", async () => {
    const start = clock;
    const worker = await hire("严无", "13900000301");
    await h.deps.prisma.channelIdentity.deleteMany({ where: { workerId: worker.id } });
    clock = new Date(start.getTime() + days(30) + 60_000);
    await settle();
    const open = await tasks(worker.id);
    expect(open.map((task) => task.kind)).toEqual(["follow_up", "follow_up"]);
    expect(open[1]!.note).toContain("请电话回访");
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).employmentStatus).toBe("employedLocal");
    clock = start;
  });

  it("when neither question was ever sent (the channel is down), silence is not a job loss", async () => {
    const start = clock;
    const worker = await hire("严断", "13900000302");
    // Their only channel is one this run's dispatcher does not send on: the questions stay queued.
    await h.deps.prisma.channelIdentity.updateMany({ where: { workerId: worker.id }, data: { channel: "sms", address: "+8613900000302" } });
    for (const after of [30, 33, 36]) {
      clock = new Date(start.getTime() + days(after) + 60_000);
      await settle();
    }
    const open = await tasks(worker.id);
    expect(open.map((task) => task.kind)).not.toContain("job_loss_warning");
    expect(open.at(-1)!.note).toContain("没能发到");
    clock = start;
  });

  it("a late 否 about a job the worker has since left for another changes nothing", async () => {
    const worker = await hire("严换", "13900000303");
    const [first] = await h.deps.prisma.application.findMany({ where: { workerId: worker.id } });
    const second = await h.deps.prisma.vacancy.create({ data: { title: "另一份工", regionCode: "350622103", status: "open" } });
    await h.deps.prisma.worker.update({ where: { id: worker.id }, data: { employedVacancyId: second.id } });
    const { answerFollowUp } = await import("../../src/services/follow-ups.ts");
    await h.deps.prisma.$transaction((tx) => answerFollowUp(tx, { identityId: null, workerId: worker.id }, first!.id, false, "web", clock));
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).employmentStatus).toBe("employedLocal");
    expect((await tasks(worker.id)).map((task) => task.kind)).not.toContain("job_loss_warning");
  });
});

describe("a coordinator's own records", () => {
  it("notes and visits go on the timeline with who wrote them; outside the region is refused", async () => {
    const worker = await registerTestWorker(h, { name: "访客", birthDate: "1980-02-02", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE });
    const coordinator = await h.operator("coordinator", ["350622103"]);
    const stranger = await h.operator("coordinator", ["350623"]);
    const body = { kind: "visit", text: "入户走访，本人想去厦门做保安" };
    expect((await h.request("POST", `/api/workers/${worker.id}/plan/events`, { token: stranger.token, body })).status).toBe(403);
    expect((await h.request("POST", `/api/workers/${worker.id}/plan/events`, { body })).status).toBe(401);
    expect((await h.request("POST", `/api/workers/${worker.id}/plan/events`, { token: coordinator.token, body: { kind: "gossip", text: "x" } })).status).toBe(400);
    const written = await h.request("POST", `/api/workers/${worker.id}/plan/events`, { token: coordinator.token, body });
    expect(written.status).toBe(201);
    const plan = await h.request("GET", `/api/workers/${worker.id}/plan`, { token: coordinator.token });
    expect(plan.body.timeline[0]).toMatchObject({ kind: "visit", text: body.text, actorId: coordinator.id });
  });
});

describe("entitlements that come with a date", () => {
  it("turning 60 brings the pension-enrolment notice; a graduation year beginning brings the job-seeking subsidy; once each", async () => {
    // Run on 2027-01-02 (China time) for the days since 2026-12-30: a birthday on 31 December and a new year.
    const since = new Date("2026-12-29T16:30:00Z");
    const today = new Date("2027-01-02T01:00:00Z");
    const sixty = await registerTestWorker(h, { name: "甘六十", birthDate: "1966-12-31", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "registered" });
    await h.deps.prisma.worker.update({ where: { id: sixty.id }, data: { pensionEnrolled: false } });
    const enrolled = await registerTestWorker(h, { name: "甘已保", birthDate: "1966-12-31", sex: "male", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "registered" });
    await h.deps.prisma.worker.update({ where: { id: enrolled.id }, data: { pensionEnrolled: true } });
    const graduate = await registerTestWorker(h, { name: "甘毕业", birthDate: "2005-03-03", sex: "female", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "registered" });
    await h.deps.prisma.worker.update({ where: { id: graduate.id }, data: { graduationYear: 2027, education: "college" } });
    const notPoorGraduate = await registerTestWorker(h, { name: "甘非贫", birthDate: "2005-03-03", sex: "female", homeRegionCode: ZHANGZHOU_VILLAGE, povertyStatus: "none" });
    await h.deps.prisma.worker.update({ where: { id: notPoorGraduate.id }, data: { graduationYear: 2027, education: "college" } });

    const { noticeDateEntitlements } = await import("../../src/services/policies.ts");
    const subsidies = (workerId: string) => h.deps.prisma.notice.findMany({ where: { workerId, kind: "subsidy" }, select: { key: true } });
    await noticeDateEntitlements(service(h), since, today);
    expect((await subsidies(sixty.id)).map((notice) => notice.key)).toEqual([`subsidy:pension_enrolment_60:${sixty.id}`]);
    expect(await subsidies(enrolled.id)).toEqual([]);
    expect((await subsidies(graduate.id)).map((notice) => notice.key)).toContain(`subsidy:job_seeking_subsidy_graduate:${graduate.id}`);
    expect(await subsidies(notPoorGraduate.id)).toEqual([]);
    // The next day's run finds nothing new.
    expect(await noticeDateEntitlements(service(h), today, new Date(today.getTime() + 24 * 3600 * 1000))).toBe(0);
    // The notices go on the day they were found for (the inbox shows what was sent).
    clock = today;
    try {
      await settle();
    } finally {
      clock = TEST_NOW;
    }
    expect(await inbox(graduate.address)).toContain("2000元");
  });
});

describe("the whole run", () => {
  it("logged no error: every request and job above went through", () => {
    expect(h.logs.filter((entry) => (entry.level as number) >= 50)).toEqual([]);
  });
});
