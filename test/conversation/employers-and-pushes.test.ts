// Issue 6's acceptance through the simulator: a new employer registers and posts a vacancy by chat;
// the workers who fit get one push each in their simulated inbox and those who opted out or do not
// fit get none; a worker applies by replying 1; the employer sees the applicant and marks the hire;
// the worker's plan and employment show it. Then the fan-out's restart safety and its caps.
import { service } from "../support/service.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../../src/delivery/dispatcher.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { pushVacancy, PUSH_LIMITS } from "../../src/services/push.ts";
import { SHARE_PHONE_WORDING } from "../../src/services/applications.ts";
import { webChannel } from "../../bots/web/index.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker, type TestWorker } from "../support/people.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.deps.indexes.ensureSettings();
  await h.operator("coordinator", ["350622103"]);
});
afterAll(() => h.close());

/** Runs every due job (index sync, pushes) and sends everything queued, as the Node service does. */
async function settle() {
  const jobs = createJobRunner({ deps: h.deps });
  const dispatcher = createDispatcher({
    prisma: h.deps.prisma,
    pii: h.deps.pii,
    sql: h.deps.sql,
    channels: { web: webChannel.delivery(h.deps.config, h.deps.log) },
    quietHours: null,
    log: h.deps.log,
    clock: h.deps.clock,
  });
  for (let round = 0; round < 20; round++) {
    const done = (await jobs.runOnce()) + (await dispatcher.runOnce());
    if (done === 0) return;
  }
  throw new Error("jobs and outbox did not settle");
}

async function say(from: string, text: string): Promise<string> {
  const response = await h.request("POST", "/api/simulator/messages", { body: { from, text } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const replies = response.body.replies as { text: string }[];
  for (const reply of replies) expect(reply.text.length, reply.text).toBeLessThanOrEqual(70);
  return replies.map((reply) => reply.text).join("\n");
}

async function inbox(address: string): Promise<{ text: string; purpose: string }[]> {
  const response = await h.request("GET", `/api/simulator/messages?to=${address}`);
  return response.body.messages;
}
const pushesTo = async (address: string) => (await inbox(address)).filter((message) => message.purpose === "push");

/** Walks a menu: the number of the option whose label contains `label`. */
function option(reply: string, label: string): string {
  const line = reply.split("\n").find((l) => /^\d /.test(l) && l.includes(label));
  if (!line) throw new Error(`no option "${label}" in:\n${reply}`);
  return line.split(" ")[0]!;
}

/** The employer's chat in the simulator, and the contact phone it types (which proves nothing). */
const EMPLOYER = "sim-employer-1";
const EMPLOYER_PHONE = "13900000001";
const CREDIT_CODE = "91350100M000100Y43";

describe("an employer posts by chat and the workers who fit hear of it", () => {
  let fits: TestWorker;
  let fitsToo: TestWorker;
  let tooOld: TestWorker;
  let optedOut: TestWorker;
  let otherCounty: TestWorker;

  beforeAll(async () => {
    const here = { homeRegionCode: "350622103201", povertyStatus: "registered" as const, workRange: "homeCounty" as const, wishedOccupations: ["4-09-08-01"] };
    fits = await registerTestWorker(h, { ...here, name: "王芳", birthDate: "1990-05-01", sex: "female" });
    fitsToo = await registerTestWorker(h, { ...here, name: "李强", birthDate: "1985-03-03", sex: "male", wishedOccupations: [] });
    tooOld = await registerTestWorker(h, { ...here, name: "陈伯", birthDate: "1960-01-01", sex: "male" });
    optedOut = await registerTestWorker(h, { ...here, name: "林梅", birthDate: "1992-02-02", sex: "female", optedOut: true });
    otherCounty = await registerTestWorker(h, { ...here, homeRegionCode: "350628100201", name: "黄丽", birthDate: "1991-01-01", sex: "female" });
    await settle(); // the workers are indexed
  });

  it("registers the employer and posts the vacancy in short SMS-sized questions", async () => {
    expect(await say(EMPLOYER, "你好")).toContain("2 我要招人");
    expect(await say(EMPLOYER, "2")).toContain("单位名称");
    expect(await say(EMPLOYER, "云霄县莆美保洁服务部")).toContain("哪一类");
    expect(await say(EMPLOYER, "1")).toContain("信用代码");
    expect(await say(EMPLOYER, CREDIT_CODE)).toContain("联系人");
    expect(await say(EMPLOYER, "郑")).toContain("联系人姓名"); // one character is not a name
    expect(await say(EMPLOYER, "郑明")).toContain("手机号码"); // the simulator knows no phone: asked
    expect(await say(EMPLOYER, EMPLOYER_PHONE)).toContain("哪个县");
    const townships = await say(EMPLOYER, "云霄");
    expect(await say(EMPLOYER, option(townships, "莆美"))).toContain("详细地址");
    expect(await say(EMPLOYER, "莆东村8号")).toContain("请核对");
    expect(await say(EMPLOYER, "1")).toContain("招什么工");
    const occupation = await say(EMPLOYER, "保洁员");
    expect(occupation).toContain("这个工种是：保洁，对吗？"); // in the words workers choose by
    expect(await say(EMPLOYER, "1")).toContain("招几个人");
    expect(await say(EMPLOYER, "2")).toContain("在哪里上班");
    expect(await say(EMPLOYER, "1")).toContain("工资");
    expect(await say(EMPLOYER, "2500-3000元/月")).toContain("几小时");
    expect(await say(EMPLOYER, "8")).toContain("年龄");
    expect(await say(EMPLOYER, "18-55")).toContain("男女");
    expect(await say(EMPLOYER, "1")).toContain("其他要求");
    expect(await say(EMPLOYER, "无")).toContain("包吃住");
    expect(await say(EMPLOYER, "1")).toContain("社保");
    expect(await say(EMPLOYER, "1")).toContain("招到哪天");
    const summary = await say(EMPLOYER, "长期");
    expect(summary).toContain("2500-3000元/月");
    expect(await say(EMPLOYER, "1")).toContain("已发布");

    const employer = await h.deps.prisma.employer.findUniqueOrThrow({ where: { creditCode: CREDIT_CODE } });
    expect(employer).toMatchObject({ name: "云霄县莆美保洁服务部", kind: "company", contactName: "郑明", regionCode: "350622103", contactPhoneMasked: "139****0001" });
    expect(employer.contactPhoneEnc).not.toContain("13900000001");
    const vacancy = await h.deps.prisma.vacancy.findFirstOrThrow({ where: { employerId: employer.id } });
    expect(vacancy).toMatchObject({ title: "保洁员", occupationCode: "4-09-08-01", status: "open", housing: true, meals: true, headcount: 2, wageMin: 2500, wageMax: 3000, ageMin: 18, ageMax: 55, regionCode: "350622103", postedVia: "web" });
  });

  it("does not hand the employer to someone who types its credit code and contact phone", async () => {
    // The simulator's sender id is anything anyone types: the employer's own number proves nothing.
    const stranger = EMPLOYER_PHONE;
    await say(stranger, "你好");
    await say(stranger, "2");
    await say(stranger, "云霄县莆美保洁服务部");
    await say(stranger, "1");
    await say(stranger, CREDIT_CODE);
    await say(stranger, "郑明");
    expect(await say(stranger, EMPLOYER_PHONE)).toContain("哪个县"); // the number is only typed
    const townships = await say(stranger, "云霄");
    await say(stranger, option(townships, "莆美"));
    await say(stranger, "莆东村8号");
    expect(await say(stranger, "1")).toContain("已由别的联系人登记");
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: stranger } } });
    expect(identity.employerId).toBeNull();
    expect(await h.deps.prisma.employer.count({ where: { creditCode: CREDIT_CODE } })).toBe(1);
    expect(await say(stranger, "查看报名")).not.toContain("王芳");
    // Not left at the first vacancy's title of an employer it is not: back at the welcome.
    expect(await say(stranger, "你好")).toContain("2 我要招人");
    // Typed again before the coordinator called: still one task asks it.
    for (const text of ["2", "云霄县莆美保洁服务部", "1", CREDIT_CODE, "郑明", EMPLOYER_PHONE]) await say(stranger, text);
    await say(stranger, option(await say(stranger, "云霄"), "莆美"));
    await say(stranger, "莆东村8号");
    expect(await say(stranger, "1")).toContain("已由别的联系人登记");
    expect(await h.deps.prisma.planTask.count({ where: { identityId: identity.id, kind: "employer_verification", status: "open" } })).toBe(1);
    // The coordinator called and confirms the new contact: its next message is the employer's menu,
    // wherever its conversation was (the welcome, here).
    expect(await say(stranger, "你好")).toContain("2 我要招人");
    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { identityId: identity.id, kind: "employer_verification", status: "open" } });
    const coordinator = await h.operator("coordinator", ["350622"]);
    expect((await h.request("POST", `/api/plans/tasks/${task.id}/link-employer`, { token: coordinator.token })).status).toBe(200);
    expect(await say(stranger, "你好")).toContain("发布新岗位");
  });

  it("pushes it once to each worker who fits, and to nobody else", async () => {
    // Queued (the jobs ran) is not received: the simulated phone shows a push once it is sent, as
    // a phone would after quiet hours, so that its "回复1报名" is answerable when it appears.
    const jobs = createJobRunner({ deps: h.deps });
    while ((await jobs.runOnce()) > 0);
    expect(await h.deps.prisma.outboxMessage.count({ where: { purpose: "push", status: "pending" } })).toBeGreaterThan(0);
    expect(await pushesTo(fits.address)).toEqual([]);
    await settle();
    for (const worker of [fits, fitsToo]) {
      const pushes = await pushesTo(worker.address);
      expect(pushes).toHaveLength(1);
      expect(pushes[0]!.text).toMatch(/^保洁员，云霄县莆美镇，2500-3000元\/月，包吃住.*回复1报名$/);
      expect(pushes[0]!.text.length).toBeLessThanOrEqual(70);
    }
    expect((await pushesTo(fits.address))[0]!.text).toContain("是您想做的工作");
    for (const worker of [tooOld, optedOut, otherCounty]) expect(await pushesTo(worker.address)).toEqual([]);
    // Running the push again (the morning digest) tells nobody twice.
    const vacancy = await h.deps.prisma.vacancy.findFirstOrThrow({ where: { title: "保洁员" } });
    expect(await pushVacancy(service(h), vacancy.id)).toMatchObject({ queued: 0 });
  });

  it("a worker applies by replying 1, agrees to share the phone, and the employer is told", async () => {
    const applied = await say(fits.address, "1");
    expect(applied).toContain("已报名");
    expect(await say(fits.address, "1")).toContain("招聘方会打电话给您");
    await settle();
    const told = (await inbox(EMPLOYER)).map((message) => message.text).join("\n");
    expect(told).toContain("新报名：王芳");
    expect(told).toContain(`王芳同意给您电话：${fits.address}`);
    // At rest the message that carries the number is sealed.
    const carrier = await h.deps.prisma.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { endsWith: ":phone" } } });
    expect(JSON.stringify(carrier.body)).not.toContain(fits.address);
    expect(["sent", "delivered"]).toContain(carrier.status);
    // The answer kept: the application shared, and the consent to it in the words the worker saw.
    const application = await h.deps.prisma.application.findFirstOrThrow({ where: { workerId: fits.id } });
    expect(application).toMatchObject({ status: "shared", sharePhone: true, source: "push" });
    // …and what the worker hears when they ask after it.
    expect(await say(fits.address, "我的报名")).toMatch(/保洁员（.+）：电话已给单位，等单位打来/);
    const consent = await h.deps.prisma.consent.findFirstOrThrow({ where: { workerId: fits.id, kind: "share_phone_with_employer" } });
    expect(consent).toMatchObject({ granted: true, wording: SHARE_PHONE_WORDING });
    const applicants = await say(EMPLOYER, "查看报名");
    expect(applicants).toMatch(new RegExp(`^王芳 \\d+岁 莆东村 ${fits.address}$`, "m"));
    // Every message at rest, replies included, holds the number only sealed.
    const outbox = await h.deps.prisma.outboxMessage.findMany({ select: { body: true, lastError: true } });
    expect(JSON.stringify(outbox)).not.toContain(fits.address);
  });

  it("the employer marks the hire: the worker's employment, plan, follow-up and the county's figures follow", async () => {
    const admin = (await h.operator("admin")).token;
    const figures = async () => (await h.request("GET", "/api/stats?region=350622", { token: admin })).body;
    // Figures stand before their instant: a minute on from the pushes (the clock is fixed).
    h.clock.advance(60_000);
    const before = await figures();
    expect(before.pushesDelivered).toBeGreaterThanOrEqual(2); // the two pushes above, delivered to the simulator
    const menu = await say(EMPLOYER, "已录用");
    expect(menu).toContain("录用了哪一位");
    expect(await say(EMPLOYER, option(menu, "王芳"))).toContain("已记下录用王芳");
    const worker = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: fits.id }, include: { plan: { include: { tasks: true } } } });
    expect(worker).toMatchObject({ employmentStatus: "employedLocal", employedRegionCode: "350622103" });
    expect(worker.plan!.tasks.map((task) => task.kind)).toContain("follow_up");
    const followUp = await h.deps.prisma.job.findFirstOrThrow({ where: { kind: "followup.hire" } });
    expect(followUp.runAt.getTime() - h.clock().getTime()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    const after = await figures();
    expect(after.employed.local).toBe(before.employed.local + 1);
    expect(after.wantWork).toBe(before.wantWork - 1);
    const plan = await h.request("GET", `/api/workers/${fits.id}/plan`, { token: admin });
    const kinds = (plan.body.timeline as { kind: string }[]).map((event) => event.kind);
    for (const kind of ["push", "application", "phone_shared", "hired"]) expect(kinds).toContain(kind);
    await settle();
    expect((await inbox(fits.address)).map((message) => message.text).join("\n")).toContain("录用了您");
    // The other applicant-free worker is still seeking; a second hire would fill the vacancy.
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: fitsToo.id } })).employmentStatus).toBe("seeking");
  });

  it("the employer's 我的岗位 and 关闭 work on the records", async () => {
    expect(await say(EMPLOYER, "我的岗位")).toContain("1 保洁员 招聘中 报名1人");
    expect(await say(EMPLOYER, "关闭 1")).toContain('已关闭"保洁员"');
    expect((await h.deps.prisma.vacancy.findFirstOrThrow({ where: { title: "保洁员" } })).status).toBe("closed");
  });
});

// Each case below is in a county of its own (漳浦县, 诏安县), so that no earlier worker is a candidate.
describe("the fan-out", () => {
  it("is restart-safe: killed between batches and run again, each chosen worker gets exactly one push", async () => {
    const workers: TestWorker[] = [];
    for (let i = 0; i < 12; i++) {
      workers.push(await registerTestWorker(h, { name: `工人${"甲乙丙丁戊己庚辛壬癸子丑"[i]}`, birthDate: `198${i % 10}-06-01`, sex: i % 2 ? "male" : "female", homeRegionCode: "350623100201", workRange: "homeCounty", wishedOccupations: ["4-10-01-06"] }));
    }
    await settle();
    const vacancy = await h.deps.prisma.vacancy.create({ data: { title: "家政服务员", occupationCode: "4-10-01-06", regionCode: "350623100", headcount: 1, status: "open" } });
    await h.deps.indexes.waitFor(await h.deps.indexes.upsertVacancies([{ ...vacancy, employerKind: null }]));

    let batches = 0;
    const crashing = { ...service(h), wake: () => { if (++batches === 1) throw new Error("killed"); } };
    await expect(pushVacancy(crashing, vacancy.id, { batchSize: 5 })).rejects.toThrow("killed");
    const afterCrash = await h.deps.prisma.notice.count({ where: { vacancyId: vacancy.id } });
    expect(afterCrash).toBe(5);
    const rerun = await pushVacancy(service(h), vacancy.id, { batchSize: 5 });
    expect(rerun.queued).toBe(12 - 5);

    const notices = await h.deps.prisma.notice.findMany({ where: { vacancyId: vacancy.id } });
    expect(new Set(notices.map((notice) => notice.workerId)).size).toBe(12);
    const outbox = await h.deps.prisma.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `job_push:${vacancy.id}:` } } });
    expect(outbox).toHaveLength(12);
    expect(new Set(outbox.map((row) => row.address))).toEqual(new Set(workers.map((worker) => worker.address)));
  });

  it("leaves out a worker who has had this week's share of pushes", async () => {
    const busy = await registerTestWorker(h, { name: "忙人", birthDate: "1988-08-08", sex: "female", homeRegionCode: "350624100201", workRange: "homeCounty", wishedOccupations: ["4-03-02-05"] });
    const fresh = await registerTestWorker(h, { name: "新人", birthDate: "1989-09-09", sex: "female", homeRegionCode: "350624100201", workRange: "homeCounty", wishedOccupations: ["4-03-02-05"] });
    for (let i = 0; i < PUSH_LIMITS.weeklyPerWorker; i++) {
      const other = await h.deps.prisma.vacancy.create({ data: { title: `别的岗位${i}`, status: "closed" } });
      await h.deps.prisma.notice.create({ data: { kind: "job_push", key: `job_push:${other.id}:${busy.id}`, workerId: busy.id, vacancyId: other.id } });
    }
    await settle();
    const vacancy = await h.deps.prisma.vacancy.create({ data: { title: "餐厅服务员", occupationCode: "4-03-02-05", regionCode: "350624100", headcount: 1, status: "open" } });
    const run = await pushVacancy(service(h), vacancy.id);
    expect(run.queued).toBe(1);
    expect(await h.deps.prisma.notice.findMany({ where: { vacancyId: vacancy.id }, select: { workerId: true } })).toEqual([{ workerId: fresh.id }]);
  });
});
