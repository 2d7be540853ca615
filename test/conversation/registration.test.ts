// Issue 3's acceptance: a worker registers through the web simulator, mistakes included, and ends
// with the right record, a plan with the village's coordinator, and every turn on the timeline.
import { smsAddress } from "../../src/delivery/personal-data.ts";
import { CONSENT_WORDING } from "../../src/engine/flows/registration.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
let townshipCoordinator: { id: string };
beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  await h.operator("coordinator", ["350622"]); // the county's: a narrower one exists
  townshipCoordinator = await h.operator("coordinator", ["350622103"]);
});
afterAll(() => h.close());

/** A simulated phone: sends one message, returns the replies joined. */
function phone(from: string) {
  const sent: string[] = [];
  const said = async (text: string, id?: string) => {
    const response = await h.request("POST", "/api/simulator/messages", { body: { from, text, ...(id ? { id } : {}) } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    sent.push(text);
    return { text: (response.body.replies as { text: string }[]).map((r) => r.text).join("\n"), ...response.body } as {
      text: string;
      replies: { text: string }[];
      duplicate: boolean;
    };
  };
  return { said, sent };
}

/** The number of the option whose label contains `label` in a rendered menu ("3 莆美镇"). */
function optionNumber(reply: string, label: string): string {
  const line = reply.split("\n").find((l) => /^\d /.test(l) && l.includes(label));
  if (!line) throw new Error(`no option "${label}" in:\n${reply}`);
  return line.split(" ")[0]!;
}

const workerByName = (name: string) => h.deps.prisma.worker.findFirstOrThrow({ where: { name }, include: { plan: true, identities: true } });

describe("registration through the simulator", () => {
  it("forgives mistakes and ends with a correct record, a plan, and every turn on the timeline", async () => {
    const worker = phone("13800000001");
    expect((await worker.said("你好")).text).toContain("1 找工作");
    expect((await worker.said("１")).text).toContain("同意"); // 全角 digit
    expect((await worker.said("同意")).text).toContain("姓名"); // the option's word
    expect((await worker.said("张三")).text).toContain("身份证");
    const wrongId = await worker.said("350622199001011231");
    expect(wrongId.text).not.toContain("350622199001011231");
    expect(wrongId.text).toMatch(/不对|有误|错/);
    const rightId = await worker.said("350622 19900101 1230");
    expect(rightId.text).toContain("身份证尾号1230，1990年1月1日生");
    expect(rightId.text).toContain("男");
    // The simulator's sender id looks like a phone but proves nothing: the phone is asked, as on WeChat.
    expect(rightId.text).toContain("手机号码");
    expect((await worker.said("13800000001")).text).toContain("您家在云霄县吗"); // the county that issued the ID number

    const twoProvinces = await worker.said("鼓楼区"); // exists in four provinces
    for (const city of ["福州", "南京", "开封", "徐州"]) expect(twoProvinces.text).toContain(city);
    const county = await worker.said("云宵县"); // a homophone typo for 云霄县
    const township = county.text.includes("请选乡镇") ? county : await worker.said(optionNumber(county.text, "云霄"));
    expect(township.text).toContain("请选乡镇");
    const villageMenu = await worker.said("莆美");
    expect(villageMenu.text).toContain("请选村");
    const firstVillage = villageMenu.text.split("\n").find((l) => l.startsWith("1 "))!.slice(2);
    expect((await worker.said("①")).text).toContain("建档立卡");
    expect((await worker.said("一")).text).toContain("可多选"); // Chinese numeral: registered poor
    expect((await worker.said("4")).text).toContain("想做什么工作");
    const jobs = await worker.said("家政");
    const afterJobs = jobs.text.includes("对吗") ? await worker.said("1") : jobs;
    expect(afterJobs.text).toContain("愿意去哪里工作");
    expect((await worker.said("3")).text).toContain("工资");
    expect((await worker.said("3千")).text).toContain("培训");
    const summary = await worker.said("2");
    expect(summary.text).toContain("请核对");
    expect(summary.text).toContain(`住址：云霄县莆美镇${firstVillage}`);
    for (const reply of summary.replies) expect(reply.text.length).toBeLessThanOrEqual(70);
    const done = await worker.said("1");
    expect(done.text).toContain("登记成功");
    expect(done.text).toContain(`协理员是coordinator 350622103`);

    const record = await workerByName("张三");
    expect(record).toMatchObject({ sex: "male", povertyStatus: "registered", workRange: "anywhere", wageFloor: 3000, wantsTraining: false, registeredVia: "web" });
    expect(record.birthDate?.toISOString().slice(0, 10)).toBe("1990-01-01");
    // 不限 is no floor at all on the record, as for someone never asked (0 would rank every job as well paid).
    expect((await worker.said("修改")).text).toContain("要改哪一项");
    expect((await worker.said("最低月薪")).text).toContain("每月工资最少");
    expect((await worker.said("不限")).text).toContain("最低月薪：不限，对吗");
    await worker.said("1");
    expect((await workerByName("张三")).wageFloor).toBeNull();
    expect(record.homeRegionCode).toMatch(/^350622103\d{3}$/);
    expect(record.wishedOccupations).toContain("4-10-01-06");
    expect(record.plan?.coordinatorId).toBe(townshipCoordinator.id);
    // the simulator identity only: a typed phone is kept for the coordinator, never made an SMS address
    expect(record.identities.map((i) => `${i.channel}:${i.address}`)).toEqual(["web:13800000001"]);
    expect(record.phoneMasked).toBe("138****0001");
    expect(await h.deps.prisma.channelIdentity.count({ where: { channel: "sms", address: smsAddress(h.deps.pii, "+8613800000001") } })).toBe(0);
    // The consent as given (the law asks for it): the words agreed to, on which chat, at the turn's
    // time as the timeline has it; now the worker's.
    const consents = await h.deps.prisma.consent.findMany({ where: { workerId: record.id } });
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ kind: "data_processing", granted: true, wording: CONSENT_WORDING, channel: "web", identityId: record.identities[0]!.id });
    const given = await h.deps.prisma.planEvent.findFirstOrThrow({ where: { workerId: record.id, kind: "consent_given" } });
    expect(consents[0]!.at).toEqual(given.at);

    const plan = await h.request("GET", `/api/workers/${record.id}/plan`, { token: admin });
    expect(plan.body.plan.coordinator.name).toBe("coordinator 350622103");
    const timeline = [...plan.body.timeline].reverse() as { kind: string; text: string | null }[];
    expect(timeline.filter((e) => e.kind === "message_in").map((e) => e.text)).toEqual(
      // every turn, with the ID and phone numbers masked however they were typed
      worker.sent.map((text) => text.replace("350622199001011231", "350622********1231").replace("350622 19900101 1230", "350622********1230").replace(/^13800000001$/, "138****0001")),
    );
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(["consent_given", "registered", "message_out"]));
    expect(timeline[0]!.kind).toBe("message_in");
    const api = await h.request("GET", `/api/workers/${record.id}`, { token: admin });
    expect(api.body.worker).toMatchObject({ age: expect.any(Number), sex: "male", idNumber: "350622********1230" });
  });

  it("takes a township named without its suffix (云陵 for 云陵镇), though another's name starts the same (云陵工业开发区)", async () => {
    const worker = phone("13800000077");
    for (const text of ["你好", "1", "同意", "吴云", "350622198808081235", "13800000077"]) await worker.said(text);
    expect((await worker.said("是")).text).toContain("请选乡镇"); // 云陵工业开发区 among them, on a later page
    expect((await worker.said("云陵")).text).toContain("请选村");
  });

  it("keeps personal numbers out of sessions, timeline and outbox at rest", async () => {
    const dump = (rows: unknown[]) => JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? String(value) : value));
    const sessions = dump(await h.deps.prisma.conversationSession.findMany());
    const events = dump(await h.deps.prisma.planEvent.findMany());
    const outbox = dump(await h.deps.prisma.outboxMessage.findMany());
    for (const dump of [sessions, events, outbox]) {
      expect(dump).not.toContain("350622199001011230");
      expect(dump).not.toContain("350622199001011231");
    }
    expect(sessions).not.toContain("张三");
  });

  it("shows the simulated inbox: every reply, in order", async () => {
    const someone = phone("web-inbox-test");
    const first = await someone.said("你好");
    const second = await someone.said("1");
    const inbox = await h.request("GET", "/api/simulator/messages?to=web-inbox-test");
    expect(inbox.body.messages.map((m: { text: string }) => m.text)).toEqual([...first.replies, ...second.replies].map((r) => r.text));
  });
});

describe("at any step", () => {
  it("人工 asks a coordinator, and the request joins the plan at registration", async () => {
    const worker = phone("13800000002");
    await worker.said("你好");
    await worker.said("1");
    await worker.said("1");
    const human = await worker.said("人工");
    expect(human.text).toContain("协理员");
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: "13800000002" } } });
    const tasks = await h.deps.prisma.planTask.findMany({ where: { identityId: identity.id } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: "human_request", status: "open", planId: null });
    // the conversation goes on where it was
    expect((await worker.said("李四")).text).toContain("身份证");
  });

  it("退订, TD and STOP opt out of pushes and keep answering; 订阅 comes back", async () => {
    const worker = phone("13800000003");
    await worker.said("你好");
    const identity = () => h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: "13800000003" } } });
    for (const word of ["退订", "TD", "STOP"]) {
      const reply = await worker.said(word);
      expect(reply.text).toContain("订阅");
      expect((await identity()).optedOutAt).not.toBeNull();
      expect((await worker.said("订阅")).text.length).toBeGreaterThan(0);
      expect((await identity()).optedOutAt).toBeNull();
    }
    await worker.said("退订");
    expect((await worker.said("1")).text.length).toBeGreaterThan(0); // still answers
  });
});

describe("delivery semantics", () => {
  it("runs a retried message once, and answers the retry with the same replies", async () => {
    const worker = phone("13800000004");
    const first = await worker.said("你好", "msg-1");
    const retry = await worker.said("你好", "msg-1");
    expect(first.duplicate).toBe(false);
    // The first answer may never have reached the phone (the reason to retry): the same one again.
    expect(retry).toMatchObject({ duplicate: true, replies: first.replies });
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: "13800000004" } } });
    expect(await h.deps.prisma.planEvent.count({ where: { identityId: identity.id, kind: "message_in" } })).toBe(1);
  });

  it("takes one turn at a time per user when messages arrive together", async () => {
    const worker = phone("13800000005");
    await worker.said("你好");
    await Promise.all(["1", "1", "王五", "赵六"].map((text, i) => worker.said(text, `together-${i}`)));
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({
      where: { channel_address: { channel: "web", address: "13800000005" } },
      include: { session: true },
    });
    expect(identity.session?.version).toBe(4);
    expect(await h.deps.prisma.planEvent.count({ where: { identityId: identity.id, kind: "message_in" } })).toBe(5);
  });

  it("does not link a second phone to an ID number already registered", async () => {
    const other = phone("13800000006");
    let reply = { text: "" };
    for (const text of ["你好", "1", "1", "冒名", "350622199001011230", "13800000006", "云霄县", "莆美", "1", "5", "4", "1", "1", "3000", "2"]) {
      reply = await other.said(text);
    }
    if (reply.text.includes("对吗")) reply = await other.said("1");
    const done = await other.said("1");
    expect(done.text).toContain("已登记过");
    expect(done.text).not.toContain("登记成功");
    expect(await h.deps.prisma.worker.count({ where: { name: "冒名" } })).toBe(0);
    const original = await workerByName("张三");
    expect(original.identities.map((i) => `${i.channel}:${i.address}`)).toEqual(["web:13800000001"]);
  });
});

describe("identity", () => {
  it("lets no one take over a record with an ID number and a typed (unproven) phone", async () => {
    const impostor = phone("web-impostor"); // not a phone number: the phone is typed, as on WeChat
    let reply = { text: "" };
    for (const text of ["你好", "1", "1", "张三", "350622199001011230", "13800000001", "云霄县", "莆美", "1", "5", "4", "1", "1", "3000", "2"]) {
      reply = await impostor.said(text);
    }
    if (reply.text.includes("对吗")) reply = await impostor.said("1");
    const done = await impostor.said("1");
    expect(done.text).toContain("已登记过");
    const original = await workerByName("张三");
    expect(original.identities.map((i) => i.address)).not.toContain("web-impostor");
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: "web-impostor" } } });
    expect(identity.workerId).toBeNull();
    expect(await h.deps.prisma.planTask.count({ where: { identityId: identity.id, kind: "human_request" } })).toBe(1);
  });
});

describe("when the simulator is switched off", () => {
  it("is not there", async () => {
    const production = await createHarness({ env: { NODE_ENV: "production" } });
    expect((await production.request("POST", "/api/simulator/messages", { body: { from: "x", text: "你好" } })).status).toBe(404);
    expect((await production.request("GET", "/simulator")).status).toBe(404);
    await production.close();
  });
});
