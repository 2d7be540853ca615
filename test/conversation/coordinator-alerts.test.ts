// A coordinator hears of their work by SMS: at once when a worker asks for 人工, and each morning
// the count of what is due that day. The phone is the coordinator's own, given by an administrator,
// sealed at rest like every other number.
import { service } from "../support/service.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBody, smsAddress } from "../../src/delivery/personal-data.ts";
import { sendCoordinatorDigests } from "../../src/services/coordinator-alerts.ts";
import { reportJobLoss } from "../../src/services/follow-ups.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";
import { settle } from "../training/support.ts";

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
});
afterAll(() => h.close());

const textsTo = async (phone: string) =>
  (await h.deps.prisma.outboxMessage.findMany({ where: { channel: "sms", address: smsAddress(h.deps.pii, phone) }, orderBy: { seq: "asc" } })).map(
    (row) => (openBody(h.deps.pii, row.body) as { text: string }).text,
  );

async function coordinator(name: string, regionCodes: string[], phone?: string) {
  const response = await h.request("POST", "/api/operators", { token: admin, body: { name, role: "coordinator", regionCodes, ...(phone ? { phone } : {}) } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.operator as { id: string; phone: string | null };
}

describe("a coordinator's alerts", () => {
  it("takes the phone only as a Chinese mobile number, shows it masked, and can change it", async () => {
    const before = await h.deps.prisma.operator.count();
    const bad = await h.request("POST", "/api/operators", { token: admin, body: { name: "错号", role: "coordinator", regionCodes: ["350623"], phone: "12345" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("mobile");
    expect(await h.deps.prisma.operator.count()).toBe(before);

    const created = await coordinator("郑协理员", ["350623"], "139 0000 7001");
    expect(created.phone).toBe("139****7001");
    expect(JSON.stringify(await h.deps.prisma.operator.findUniqueOrThrow({ where: { id: created.id } }))).not.toContain("13900007001");
    const coordinatorToken = (await h.operator("coordinator", ["350623"])).token;
    expect((await h.request("PUT", `/api/operators/${created.id}/phone`, { token: coordinatorToken, body: { phone: null } })).status).toBe(403);
    const cleared = await h.request("PUT", `/api/operators/${created.id}/phone`, { token: admin, body: { phone: null } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.operator.phone).toBeNull();
  });

  it("sends 人工 to the coordinator of the worker's place at once, one SMS naming who and where", async () => {
    await coordinator("林协理员", ["350622"], "13900008888");
    const worker = await registerTestWorker(h, { name: "黄秀", birthDate: "1980-03-03", sex: "female", homeRegionCode: "350622103201", povertyStatus: "lifted" });
    const turn = await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: "人工" } });
    const replies = (turn.body.replies as { text: string }[]).map((reply) => reply.text);
    expect(replies.join("\n")).toContain("林协理员会尽快给您打电话");
    // Who will call, said once (not also "他们会尽快打电话给您"), and the menu last: what to reply.
    expect(replies.join("\n").match(/.*打电话.*/g)).toEqual(["林协理员会尽快给您打电话。"]);
    expect(replies.at(-1)).toMatch(/1 找工作/);
    await settle(h);
    // Asked again before anyone called: the same request, no second alert.
    await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: "人工" } });
    await settle(h);
    expect(await h.deps.prisma.planTask.count({ where: { kind: "human_request", plan: { workerId: worker.id } } })).toBe(1);
    const [alert, ...more] = await textsTo("+8613900008888");
    expect(more).toEqual([]);
    // With the worker's number to call back: the coordinator may see it; at rest it is sealed.
    expect(alert).toBe(`人工求助：黄秀（云霄县莆美镇莆东村），电话${worker.address}。在主菜单时请求人工`);
    expect(alert!.length).toBeLessThanOrEqual(70);
    const stored = await h.deps.prisma.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: "coordinator_alert:" } } });
    expect(JSON.stringify([stored.address, stored.body])).not.toContain(worker.address);
  });

  it("alerts the coordinator on the worker's plan, even one whose regions do not hold the worker's home", async () => {
    const assigned = await coordinator("苏协理员", ["350627"], "13900004444");
    await coordinator("叶协理员", ["350628"], "13900003333"); // the home county's own
    const worker = await registerTestWorker(h, { name: "许红", birthDate: "1985-05-05", sex: "female", homeRegionCode: "350628100201", povertyStatus: "lifted" });
    await h.deps.prisma.assistancePlan.update({ where: { workerId: worker.id }, data: { coordinatorId: assigned.id } });
    const turn = await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: "人工" } });
    expect((turn.body.replies as { text: string }[]).map((reply) => reply.text).join("\n")).toContain("苏协理员会尽快给您打电话");
    await settle(h);
    expect(await textsTo("+8613900004444")).toHaveLength(1);
    expect(await textsTo("+8613900003333")).toEqual([]);
  });

  it("asks someone whose number nobody has (the web, WeChat) for one, and the coordinator's task and alert then carry it", async () => {
    await coordinator("华协理员", ["350629"], "13900002222");
    const from = "sim-no-number";
    const say = async (text: string) => ((await h.request("POST", "/api/simulator/messages", { body: { from, text } })).body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
    for (const text of ["你好", "1", "1", "甘草"]) await say(text);
    expect(await say("350629198505051236")).toContain("手机号码");
    // Asked before they said where they live: the coordinator of the county their ID number is from.
    expect(await say("人工")).toContain("请回复您的手机号码，协理员好打给您");
    await settle(h);
    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "human_request", regionCode: "350629" } });
    expect(task.callbackPhoneEnc).toBeNull();
    expect(task.note).toBe("甘草，在登记时请求人工"); // named as they typed it: no worker record yet
    const [first, ...others] = await textsTo("+8613900002222");
    expect(others).toEqual([]);
    expect(first).toContain("甘草");
    // The number given: the same task has it (sealed), and the coordinator hears it; it answers the
    // registration's own question for the number too, and the chat goes on.
    const given = await say("139 0000 3456");
    expect(given).toContain("华协理员会尽快给您打电话"); // the coordinator's name says the number was taken
    expect(given).toMatch(/您家在.+吗/);
    await settle(h);
    const filled = await h.deps.prisma.planTask.findMany({ where: { kind: "human_request", regionCode: "350629" } });
    expect(filled).toHaveLength(1);
    expect(h.deps.pii.decrypt(filled[0]!.callbackPhoneEnc!)).toBe("+8613900003456");
    const alerts = await textsTo("+8613900002222");
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toContain("电话13900003456");
  });

  it("warns of a job lost naming the plan's worker and their number, though no chat raised the task", async () => {
    await coordinator("郭协理员", ["350626"], "13900005555");
    const worker = await registerTestWorker(h, { name: "邱兰", birthDate: "1981-04-04", sex: "female", homeRegionCode: "350626100201", povertyStatus: "lifted" });
    await reportJobLoss(h.deps.prisma, worker.id, h.clock(), "回访时说不在这里工作了");
    await settle(h);
    const [warning, ...more] = await textsTo("+8613900005555");
    expect(more).toEqual([]);
    expect(warning).toContain("就业转失业预警：邱兰");
    expect(warning).toContain(`电话${worker.address}`);
  });

  it("tells each coordinator with a phone, once a morning, how much is due that day; nothing to one without", async () => {
    const withPhone = await coordinator("陈协理员", ["350624"], "13900009999");
    const withoutPhone = await coordinator("吴协理员", ["350625"]);
    await coordinator("何协理员", ["350624101"], "13900006666"); // a township inside 陈's county
    // One clock for the whole world this test asserts on: a 人工 asked for last evening is due today.
    const evening = new Date("2026-12-02T12:00:00Z"); // 20:00 China time
    const morning = new Date("2026-12-03T00:00:00Z"); // 8:00 China time
    h.clock.set(evening);
    const asking = await registerTestWorker(h, { name: "沈梅", birthDate: "1983-05-05", sex: "female", homeRegionCode: "350622103202", povertyStatus: "lifted" });
    await h.request("POST", "/api/simulator/messages", { body: { from: asking.address, text: "人工" } });
    const worker = await registerTestWorker(h, { name: "蓝山", birthDate: "1979-09-09", sex: "male", homeRegionCode: "350624101201", povertyStatus: "registered" });
    const plan = await h.deps.prisma.assistancePlan.update({ where: { workerId: worker.id }, data: { coordinatorId: withPhone.id } });
    await h.deps.prisma.planTask.createMany({
      data: [
        { planId: plan.id, regionCode: "350624101201", kind: "follow_up", dueAt: new Date("2026-12-03T03:00:00Z") },
        { planId: plan.id, regionCode: "350624101201", kind: "follow_up", dueAt: new Date("2026-12-02T03:00:00Z") }, // overdue
        { planId: plan.id, regionCode: "350624101201", kind: "job_loss_warning", dueAt: new Date("2026-12-03T10:00:00Z") },
        { planId: plan.id, regionCode: "350624101201", kind: "follow_up", dueAt: new Date("2026-12-04T03:00:00Z") }, // tomorrow
        { planId: plan.id, regionCode: "350624101201", kind: "follow_up", dueAt: new Date("2026-12-03T03:00:00Z"), status: "done" },
        { planId: null, regionCode: "350625101201", kind: "human_request", dueAt: new Date("2026-12-03T03:00:00Z") },
        // no plan: the township's coordinator's, not the county's as well
        { planId: null, regionCode: "350624101202", kind: "human_request", dueAt: new Date("2026-12-03T03:00:00Z") },
      ],
    });
    h.clock.set(morning);
    // 陈, 何, and 林, whose worker asked for 人工 last evening (due within a day of asking).
    expect(await sendCoordinatorDigests(service(h))).toBe(3);
    expect(await textsTo("+8613900009999")).toEqual(["陈协理员，今天待办3件：回访2、失业预警1。请到工作台查看。"]);
    expect(await textsTo("+8613900006666")).toEqual(["何协理员，今天待办1件：人工求助1。请到工作台查看。"]);
    expect((await textsTo("+8613900008888")).at(-1)).toBe("林协理员，今天待办1件：人工求助1。请到工作台查看。");
    expect(await sendCoordinatorDigests(service(h))).toBe(0);
    expect(await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: `coordinator_digest:${withoutPhone.id}` } } })).toBe(0);
  });
});
