// Reaching the roster's people: the invitation campaign (one SMS per number, once, opt-out kept),
// and a roster person registering by SMS from the number the roster holds — shown what the roster
// says, asked only what it does not know, in 8 messages or fewer — while any other door (the
// simulator, another number) is shown nothing of it.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smsAddress } from "../../src/delivery/personal-data.ts";
import { contextFor, SERVICE, type OperatorActor } from "../../src/services/context.ts";
import { INVITATION_TEXT, scheduleCampaign, sendCampaign } from "../../src/services/campaigns.ts";
import { applyRosterImport } from "../../src/services/roster/apply.ts";
import { stageRoster, startRosterImport } from "../../src/services/roster/import.ts";
import { joinRosterPerson } from "../../src/services/roster/reach.ts";
import { createWorker } from "../../src/services/workers.ts";
import { readCsv } from "../../src/shared/csv.ts";
import { createHarness, type Harness } from "../support/harness.ts";

const CALLBACK_SECRET = "aliyun-callback-secret-0123456789";
let h: Harness;
const sample = readCsv(readFileSync(new URL("../fixtures/registry-sample.csv", import.meta.url)));
const header = sample[0]!;
const cell = (row: number, name: string) => sample[row]![header.indexOf(name)]!;
const official: OperatorActor = { kind: "operator", id: "official-3506", name: "漳州市人社局", role: "countyOfficial", regionCodes: ["3506"] };

let sequence = 0;
/** An SMS from a Chinese number as Aliyun pushes it; returns the replies it got, joined. */
async function sms(from: string, text: string): Promise<string> {
  const before = await repliesTo(from);
  const up = [{ phone_number: from, send_time: "2026-12-03 10:00:00", content: text, sign_name: "就业直通车", dest_code: "1234", sequence_id: ++sequence }];
  const response = await h.app.request(`/webhooks/sms/aliyun/${CALLBACK_SECRET}`, { method: "POST", body: JSON.stringify(up), headers: { "content-type": "application/json" } });
  expect(response.status).toBe(200);
  await h.app.drainTurns();
  return (await repliesTo(from)).slice(before.length).join("\n");
}

async function repliesTo(phone: string): Promise<string[]> {
  const rows = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "sms", address: smsAddress(h.deps.pii, `+86${phone}`) }, orderBy: { seq: "asc" } });
  return rows.map((row) => (row.body as { text: string }).text);
}

beforeAll(async () => {
  h = await createHarness({ env: { ALIYUN_SMS_CALLBACK_SECRET: CALLBACK_SECRET } });
  await h.operator("coordinator", ["350622101"]);
  const ctx = contextFor(h.deps, official);
  const staged = await stageRoster(ctx, { region: "3506", rows: (async function* () { yield* sample; })(), fileName: "名单.csv" });
  await startRosterImport(ctx, { importId: staged.importId });
  await applyRosterImport(contextFor(h.deps, SERVICE), staged.importId);
});
afterAll(() => h.close());

describe("the invitation campaign", () => {
  it("sends one SMS per roster number not yet reached, in the approved template, once", async () => {
    const ownPhone = `+86${cell(1, "人联系电话")}`;
    const householdPhone = `+86${cell(1, "户联系电话")}`;
    // Someone said 退订 from one household's number before: it is left alone.
    const optedOut = `+86${cell(6, "户联系电话")}`;
    await h.deps.prisma.channelIdentity.create({ data: { channel: "sms", address: smsAddress(h.deps.pii, optedOut), optedOutAt: h.clock() } });

    const campaign = await scheduleCampaign(contextFor(h.deps, official), { kind: "invitation", name: "邀请登记", segment: { regionCode: "350622" } });
    expect(campaign.text).toBe(INVITATION_TEXT);
    expect([...INVITATION_TEXT].length).toBeLessThanOrEqual(70);
    const sent = await sendCampaign(contextFor(h.deps, SERVICE), campaign.id, { batchSize: 7 });

    const outbox = await h.deps.prisma.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "invitation:" } } });
    const addresses = outbox.map((row) => row.address);
    // Each number once, however many of the household share it; the opted-out number not at all.
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses).toContain(smsAddress(h.deps.pii, ownPhone));
    expect(addresses).toContain(smsAddress(h.deps.pii, householdPhone));
    expect(addresses).not.toContain(smsAddress(h.deps.pii, optedOut));
    expect(sent).toEqual({ status: "sent", recipients: outbox.length });
    expect(outbox.every((row) => row.purpose === "push" && (row.body as { template: string }).template === "invitation")).toBe(true);
    // On the invited person's timeline; their chat is not theirs until they say who they are.
    const invited = await h.deps.prisma.notice.findFirstOrThrow({ where: { kind: "invitation", outboxId: outbox[0]!.id } });
    expect(await h.deps.prisma.planEvent.count({ where: { workerId: invited.workerId, kind: "campaign" } })).toBe(1);
    expect(await h.deps.prisma.channelIdentity.count({ where: { workerId: invited.workerId } })).toBe(0);

    // A second invitation reaches nobody twice.
    const again = await scheduleCampaign(contextFor(h.deps, official), { kind: "invitation", name: "再次邀请", segment: { regionCode: "350622" } });
    expect(await sendCampaign(contextFor(h.deps, SERVICE), again.id)).toEqual({ status: "sent", recipients: 0 });
  });

  it("refuses a text or a narrowed segment for an invitation, and a broadcast without text", async () => {
    const ctx = contextFor(h.deps, official);
    await expect(scheduleCampaign(ctx, { kind: "invitation", name: "邀请", segment: { regionCode: "350622" }, text: "自己写的" })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(scheduleCampaign(ctx, { kind: "invitation", name: "邀请", segment: { regionCode: "350622", wantsTraining: true } })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(scheduleCampaign(ctx, { name: "群发", segment: { regionCode: "350622" } })).rejects.toMatchObject({ code: "validation_failed" });
    await expect(scheduleCampaign(contextFor(h.deps, { ...official, role: "coordinator" }), { kind: "invitation", name: "邀请", segment: { regionCode: "350622" } })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("a roster person registering by SMS", () => {
  it("is asked which of the household they are on the shared number, and 都不是 leads to the welcome", async () => {
    const shared = cell(1, "户联系电话");
    const asked = await sms(shared, "1");
    expect(asked).toContain("您是哪位");
    expect(asked).toContain(cell(1, "姓名"));
    expect(asked).toContain(cell(2, "姓名"));
    expect(await sms(shared, "都不是")).toContain("1 找工作");
  });

  it("registers from the roster's own number in 8 messages or fewer, asked only what the roster does not know", async () => {
    const phone = cell(1, "人联系电话");
    const name = cell(1, "姓名");
    const workersBefore = await h.deps.prisma.worker.count();
    const said: string[] = [];
    const send = (text: string) => (said.push(text), sms(phone, text));

    const first = await send("1"); // the reply to the invitation
    expect(first).toMatch(new RegExp(`您是云霄县陈岱镇岱东村的${name}吗`));
    expect(await send("1")).toContain("同意");
    expect(await send("1")).toContain("想做什么工作");
    expect(await send("1")).toContain("愿意去哪里工作");
    expect(await send("２")).toContain("工资"); // 全角 digit
    expect(await send("三千")).toContain("培训");
    const done = await send("想学电工");
    expect(done).toContain("登记好了");
    expect(said.length).toBeLessThanOrEqual(8);

    // The roster's record, now theirs: no second worker, the wishes added, the rest as the roster had it.
    expect(await h.deps.prisma.worker.count()).toBe(workersBefore);
    const entry = await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { name }, include: { worker: { include: { identities: true, consents: true } } } });
    const worker = entry.worker;
    expect(worker).toMatchObject({ name, homeRegionCode: entry.regionCode, povertyStatus: "lifted", wishedOccupations: ["4-10-01-06"], workRange: "province", wageFloor: 3000, wantsTraining: true, trainingWish: "电工", registeredVia: "sms" });
    expect(worker.identities.map((identity) => identity.address)).toEqual([smsAddress(h.deps.pii, `+86${phone}`)]);
    expect(worker.consents).toHaveLength(1);
    expect(await h.deps.prisma.planEvent.count({ where: { workerId: worker.id, kind: "registered" } })).toBe(1);
    // They want training: the promise is kept for them now, not at the next daily run.
    expect(await h.deps.prisma.job.findUnique({ where: { key: `training:promise:${worker.id}` } })).toMatchObject({ kind: "training.promise_to" });
    // Everything said before joining is on their timeline.
    expect(await h.deps.prisma.planEvent.count({ where: { workerId: worker.id, kind: "message_in" } })).toBe(said.length);
    // Their household's number now asks only about those not yet reached.
    const shared = await sms(cell(1, "户联系电话"), "你好");
    expect(shared).not.toContain(name);
  });

  it("shows the roster to no other door: the simulator, or another number", async () => {
    const phone = cell(4, "人联系电话") || cell(4, "户联系电话");
    const simulated = await h.request("POST", "/api/simulator/messages", { body: { from: phone, text: "1" } });
    const text = (simulated.body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
    expect(text).not.toContain(cell(4, "姓名"));
    expect(text).toContain("同意"); // the welcome's "1 找工作", answered: the ordinary registration
    expect(await sms("13900009999", "1")).not.toContain("您是");
  });

  it("on WeChat (here the simulator), proves a matching name and ID number by a code to the roster's phone, then asks only the wishes", async () => {
    const simulator = async (text: string) => {
      const response = await h.request("POST", "/api/simulator/messages", { body: { from: "wx-roster-5", text } });
      expect(response.status).toBe(200);
      return (response.body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
    };
    const name = cell(5, "姓名");
    const rosterPhone = `+86${cell(5, "人联系电话")}`;
    await simulator("你好");
    await simulator("1");
    await simulator("同意");
    await simulator(name);
    const asked = await simulator(cell(5, "证件号码"));
    // What the roster holds stays unshown: the masked phone the code went to, nothing more.
    expect(asked).toContain(`名单上有您。验证码已发到${cell(5, "人联系电话").slice(0, 3)}`);
    expect(asked).not.toContain(cell(5, "人联系电话"));
    expect(asked).not.toContain("岱东村");
    const sent = await h.deps.prisma.outboxMessage.findFirstOrThrow({ where: { address: smsAddress(h.deps.pii, rosterPhone), idempotencyKey: { startsWith: "phone_code:" } }, orderBy: { seq: "desc" } });
    const code = /\d{6}/.exec((sent.body as { text: string }).text)![0];
    expect(await simulator(code === "000000" ? "111111" : "000000")).toContain("验证码不对");
    expect(await simulator(code)).toContain("想做什么工作");
    await simulator("1");
    await simulator("1");
    await simulator("2500");
    expect(await simulator("不想")).toContain("登记好了");
    const entry = await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { name }, include: { worker: { include: { identities: true } } } });
    expect(entry.worker).toMatchObject({ wageFloor: 2500, wantsTraining: false, registeredVia: "web" });
    expect(entry.worker.identities.map((identity) => identity.channel)).toEqual(["web"]);

    // The right ID number under another name gets no code: the registration goes on as anyone's.
    const other = async (text: string) => (await h.request("POST", "/api/simulator/messages", { body: { from: "wx-roster-6", text } })).body.replies as { text: string }[];
    for (const text of ["你好", "1", "同意", "某某某"]) await other(text);
    const refused = (await other(cell(7, "证件号码"))).map((reply) => reply.text).join("\n");
    expect(refused).not.toContain("验证码");
    expect(refused).toContain("手机号码");
  });

  it("joins only a sender the roster's number proves, checked again when the registration comes back", async () => {
    const entry = await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { name: cell(4, "姓名") } });
    const identity = await h.deps.prisma.channelIdentity.create({ data: { channel: "sms", address: "forged" } });
    const wishes = { wishedOccupations: [], workRange: "homeCounty" as const, wageFloor: 2000, wantsTraining: false, trainingWish: null };
    const join = (provenPhone: string | undefined) =>
      h.deps.prisma.$transaction((tx) => joinRosterPerson(tx, h.deps.pii, { identityId: identity.id, rosterKey: entry.id, provenPhone, wishes, channel: "sms", now: h.clock() }));
    expect(await join(undefined)).toBeNull();
    expect(await join("+8613900009999")).toBeNull();
    expect(await h.deps.prisma.channelIdentity.count({ where: { workerId: entry.workerId } })).toBe(0);
    // A code sent to the roster's phone and spent by this chat proves it, whatever number the chat writes from.
    await h.deps.prisma.phoneCode.create({ data: { identityId: identity.id, phoneHash: entry.householdPhoneHash!, codeHash: "spent", expiresAt: h.clock(), usedAt: h.clock() } });
    expect(await join("+8613900009999")).toMatchObject({ workerId: entry.workerId });
  });
});

describe("the figures, over the roster", () => {
  it("count the roster's people and the self-registered apart, who has been reached, and take the roster as the targets' base", async () => {
    const { token } = await h.operator("admin");
    // Two who came by themselves: one in the roster's county (outside its base), one where no roster was imported.
    const inRosterCounty = await createWorker(h.deps, { name: "自来甲", homeRegionCode: "350622101204", povertyStatus: "none", registeredVia: "wechat" });
    const elsewhere = await createWorker(h.deps, { name: "自来乙", homeRegionCode: "350102001001", povertyStatus: "lifted", registeredVia: "wechat" });
    await h.deps.prisma.worker.updateMany({ where: { id: { in: [inRosterCounty.id, elsewhere.id] } }, data: { employmentStatus: "employedLocal" } });

    h.clock.advance(60_000); // figures count who was registered before their instant
    const county = (await h.request("GET", "/api/stats?region=350622", { token })).body as Record<string, any>;
    const onRoster = await h.deps.prisma.rosterEntry.count({ where: { regionCode: { startsWith: "350622" }, leftAt: null } });
    const registered = await h.deps.prisma.worker.count({ where: { homeRegionCode: { startsWith: "350622" } } });
    const reached = await h.deps.prisma.worker.count({ where: { homeRegionCode: { startsWith: "350622" }, identities: { some: { lastInboundAt: { not: null } } } } });
    expect(reached).toBe(2); // one by SMS, one by the simulator
    expect(county).toMatchObject({ registered, onRoster, selfRegistered: registered - onRoster, reached });
    expect(county.targetCounts.reachCoverage).toEqual({ covered: 2, of: onRoster });
    // The employment rate of the roster county counts its roster people only: the self-registered worker's job is not in it.
    expect(county.targetCounts.employmentRate).toEqual({ covered: 0, of: onRoster });
    // The children add up to the county.
    const children = county.children as { onRoster: number; reached: number }[];
    expect(children.reduce((sum, child) => sum + child.onRoster, 0) + (county.unplaced?.onRoster ?? 0)).toBe(onRoster);

    // Where no roster was imported, everyone registered is the base.
    const city = (await h.request("GET", "/api/stats?region=350102", { token })).body as Record<string, any>;
    expect(city).toMatchObject({ registered: 1, onRoster: 0, selfRegistered: 1 });
    expect(city.targetCounts.employmentRate).toEqual({ covered: 1, of: 1 });
    expect(city.targets.reachCoverage).toBeNull();
  });
});

describe("a coordinator's confirmation, where the roster has no phone", () => {
  it("holds the registration on a task until the coordinator of the village confirms; then the chat joins the record with the wishes given", async () => {
    const name = cell(7, "姓名");
    const entry = await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { name } });
    await h.deps.prisma.rosterEntry.update({ where: { id: entry.id }, data: { phoneEnc: null, phoneHash: null, phoneMasked: null, householdPhoneEnc: null, householdPhoneHash: null, householdPhoneMasked: null } });
    const village = entry.regionCode;
    const here = await h.operator("coordinator", [village.slice(0, 9)]);
    const elsewhere = await h.operator("coordinator", ["350628"]);

    const chat = async (text: string) =>
      ((await h.request("POST", "/api/simulator/messages", { body: { from: "wx-roster-8", text } })).body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
    for (const text of ["你好", "1", "同意", name]) await chat(text);
    const afterId = await chat(cell(7, "证件号码"));
    expect(afterId).not.toContain("验证码"); // no phone on the roster to send one to
    expect(afterId).toContain("手机号码");
    // The rest of the registration, as anyone's: nothing of the roster is shown.
    const answers = ["13900008888", "诏安县", "白洋乡", cell(7, "行政村"), "2", "2", "1", "1", "2800", "不想"];
    for (const text of answers) expect(await chat(text)).not.toContain("名单");
    const ended = await chat("确认");
    expect(ended).toContain("协理员会联系您核实");

    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "identity_check" } });
    expect(task).toMatchObject({ status: "open", regionCode: village });
    expect(await h.deps.prisma.channelIdentity.count({ where: { workerId: entry.workerId } })).toBe(0);
    // Only a coordinator of the place confirms; then the chat is theirs, the person is told, and the act audited.
    const path = `/api/plans/tasks/${task.id}/confirm-identity`;
    expect((await h.request("POST", path, { token: elsewhere.token })).status).toBe(403);
    // On the coordinator's 待办, the task with its button; pressed, the chat joins.
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const signedIn = await h.request("POST", "/console/sign-in", { body: new URLSearchParams({ token: here.token }).toString(), headers: form });
    const cookie = `zt_console=${/zt_console=([^;]+)/.exec(signedIn.headers.get("set-cookie") ?? "")![1]}`;
    const today = await h.request("GET", "/console/today", { headers: { cookie } });
    expect(today.text).toContain(`action="/console/tasks/${task.id}/confirm-identity"`);
    expect(today.text).toContain("确认是本人");
    const csrf = /name="csrf" value="([^"]+)"/.exec(today.text)![1]!;
    const pressed = await h.request("POST", `/console/tasks/${task.id}/confirm-identity`, { body: new URLSearchParams({ csrf }).toString(), headers: { ...form, cookie } });
    expect(pressed.status).toBe(303);
    const worker = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: entry.workerId }, include: { identities: true } });
    expect(worker).toMatchObject({ wageFloor: 2800, wantsTraining: false, registeredVia: "web" });
    expect(worker.identities).toHaveLength(1);
    expect(await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "done" });
    expect(await h.deps.prisma.auditLog.count({ where: { action: "task.identity_confirmed", target: task.id } })).toBe(1);
    expect(await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: `identity_confirmed:${task.id}` } })).toBe(1);
    expect((await h.request("POST", path, { token: here.token })).status).toBe(409);
  });
});
