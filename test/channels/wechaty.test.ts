// The wechaty channel end to end: the service on a real port (real database, the run's Meilisearch),
// the bot process's code wired to it over HTTP, and wechaty's mock puppet standing in for WeChat's
// side (the only thing mocked). A contact registers by saying each answer to the bot; the bridge
// refuses strangers; a push queued in the outbox reaches the contact through the dispatcher; a
// message wechaty emits twice runs one turn. Plus the bot's configuration errors.
import { serve, type ServerType } from "@hono/node-server";
import type { EventEmitter } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mock, PuppetMock, WechatyBuilder, type Message, type Wechaty } from "../../bots/wechaty/mock-puppet.ts";
import { ROOM_HINT, startWechatyBot, type WechatyBot } from "../../bots/wechaty/bot.ts";
import { wechatyBotSettings } from "../../bots/wechaty/config.ts";
import { wechatyChannel } from "../../bots/wechaty/index.ts";
import { BOT_SEND_PATH, BRIDGE_PATH } from "../../bots/wechaty/protocol.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createDispatcher } from "../../src/delivery/dispatcher.ts";
import { createHarness, type Harness } from "../support/harness.ts";

const TOKEN = "wechaty-bridge-test-token-0123456789";
let h: Harness;
let service: ServerType;
let serviceUrl: string;
let mocker: mock.Mocker;
let wechaty: Wechaty;
let bot: WechatyBot;
let botUser: mock.ContactMock;

/** Messages the bot process has received, for a test to wait on the one it caused. */
const arrivals: { contactId: string; resolve: (message: Message) => void }[] = [];

beforeAll(async () => {
  h = await createHarness({ env: { WECHATY_BRIDGE_TOKEN: TOKEN } });
  service = await new Promise<ServerType>((resolve) => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;

  mocker = new mock.Mocker();
  wechaty = WechatyBuilder.build({ puppet: new PuppetMock({ mocker }) });
  bot = await startWechatyBot({ wechaty, serviceUrl, token: TOKEN, listen: { hostname: "127.0.0.1", port: 0 }, log: h.deps.log, retryDelaysMs: [50] });
  // Registered after the bot's own listener, so the bot has queued a message when this runs.
  wechaty.on("message", (message: Message) => {
    const index = arrivals.findIndex((arrival) => arrival.contactId === message.talker().id);
    if (index >= 0) arrivals.splice(index, 1)[0]!.resolve(message);
  });
  botUser = mocker.createContact({ name: "就业直通车" });
  const loggedIn = new Promise((resolve) => wechaty.once("login", resolve));
  mocker.login(botUser);
  await loggedIn;
});
afterAll(async () => {
  await bot?.stop();
  await new Promise((resolve) => service?.close(resolve));
  await h?.close();
});

/**
 * What a mock contact or room sees said in its conversation. The mock's event typings (typed-emitter)
 * do not resolve under NodeNext; at run time both are plain EventEmitters.
 */
const onConversation = (who: mock.ContactMock | mock.RoomMock, listener: (message: mock.MessageMock) => void) =>
  (who as unknown as EventEmitter).on("message", listener);

const nextArrivalFrom = (contactId: string) => new Promise<Message>((resolve) => arrivals.push({ contactId, resolve }));

/** A WeChat user on the mock puppet: what they say goes to the bot; what the bot says lands in `inbox`. */
function person(name: string) {
  const contact = mocker.createContact({ name });
  const inbox: string[] = [];
  const sent: string[] = [];
  onConversation(contact, (message) => {
    if (message.talker().id === botUser.id) inbox.push(message.text() ?? "");
  });
  /** Says one message to the bot; returns what the bot said back, once it has finished the turn. */
  async function say(text: string): Promise<{ text: string; replies: string[]; message: Message }> {
    const before = inbox.length;
    const arrived = nextArrivalFrom(contact.id);
    contact.say(text).to(botUser);
    const message = await arrived;
    await bot.idle();
    sent.push(text);
    const replies = inbox.slice(before);
    return { text: replies.join("\n"), replies, message };
  }
  return { contact, inbox, sent, say };
}

function optionNumber(reply: string, label: string): string {
  const line = reply.split("\n").find((l) => /^\d /.test(l) && l.includes(label));
  if (!line) throw new Error(`no option "${label}" in:\n${reply}`);
  return line.split(" ")[0]!;
}

const bridge = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${serviceUrl}${BRIDGE_PATH}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("registration through wechaty", () => {
  it("registers a worker by a contact's messages, every reply said in the contact's conversation", async () => {
    const admin = (await h.operator("admin")).token;
    const worker = person("林小梅");
    expect((await worker.say("你好")).text).toContain("1 找工作");
    expect((await worker.say("1")).text).toContain("同意");
    expect((await worker.say("同意")).text).toContain("姓名");
    expect((await worker.say("林小梅")).text).toContain("身份证");
    const id = await worker.say("350622198805062012");
    expect(id.text).toContain("身份证尾号2012，1988年5月6日生");
    expect(id.text).toMatch(/手机/); // wechaty does not know the phone: it is asked for
    const county = await worker.say("13800000071");
    expect(county.text).toMatch(/县|区/);
    const afterCounty = await worker.say("云霄县");
    const township = afterCounty.text.includes("请选乡镇") ? afterCounty : await worker.say(optionNumber(afterCounty.text, "云霄"));
    expect(township.text).toContain("请选乡镇");
    const villages = await worker.say("1");
    expect(villages.text).toContain("请选村");
    expect((await worker.say("1")).text).toContain("建档立卡");
    expect((await worker.say("4")).text).toContain("想做什么工作");
    const jobs = await worker.say("家政");
    const afterJobs = jobs.text.includes("对吗") ? await worker.say("1") : jobs;
    expect(afterJobs.text).toContain("愿意去哪里工作");
    expect((await worker.say("1")).text).toContain("工资");
    expect((await worker.say("2800")).text).toContain("培训");
    const summary = await worker.say("2");
    expect(summary.text).toContain("请核对");
    for (const reply of summary.replies) expect(reply.length).toBeLessThanOrEqual(wechatyChannel.capabilities.textBudget);
    expect((await worker.say("1")).text).toContain("登记成功");

    const record = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: "林小梅" }, include: { identities: true } });
    expect(record).toMatchObject({ registeredVia: "wechaty", sex: "male", phoneMasked: "138****0071" });
    expect(record.homeRegionCode?.startsWith("350622")).toBe(true);
    // The contact id is the address; a typed phone is stored, not linked as an SMS address.
    expect(record.identities.map((i) => `${i.channel}:${i.address}`)).toEqual([`wechaty:${worker.contact.id}`]);

    // Everything said is on the plan's timeline, both ways, the ID and phone numbers masked.
    const plan = await fetch(`${serviceUrl}/api/workers/${record.id}/plan`, { headers: { authorization: `Bearer ${admin}` } });
    expect(plan.status).toBe(200);
    const timeline = [...((await plan.json()) as { timeline: { kind: string; text: string | null }[] }).timeline].reverse();
    expect(timeline.filter((e) => e.kind === "message_in").map((e) => e.text)).toEqual(worker.sent.map((t) => t.replace("350622198805062012", "350622********2012").replace("13800000071", "138****0071")));
    expect(timeline.filter((e) => e.kind === "message_out").map((e) => e.text)).toEqual(worker.inbox);
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(["consent_given", "registered"]));
    // Said inline: nothing is left in the outbox for the dispatcher (the timeline above keeps it all).
    expect(await h.deps.prisma.outboxMessage.count({ where: { channel: "wechaty", address: worker.contact.id } })).toBe(0);
  });
});

describe("the bridge route", () => {
  it("refuses a request without the token (401) or with another (403) and records nothing", async () => {
    const before = { receipts: await h.deps.prisma.inboundReceipt.count(), identities: await h.deps.prisma.channelIdentity.count() };
    const message = { messageId: "stranger-1", from: "stranger-contact", text: "你好", at: new Date().toISOString() };
    const missing = await bridge(message);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect((await bridge(message, { authorization: "Bearer not-the-bridge-token-at-all-0000" })).status).toBe(403);
    expect((await bridge(message, { authorization: `Bearer ${TOKEN}x` })).status).toBe(403);
    expect((await bridge(message, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` })).status).toBe(401);
    // The token comes before the body: a stranger learns nothing about what a valid message is.
    expect((await bridge({ nonsense: true }, { authorization: "Bearer wrong" })).status).toBe(403);
    expect(await h.deps.prisma.inboundReceipt.count()).toBe(before.receipts);
    expect(await h.deps.prisma.channelIdentity.count()).toBe(before.identities);
    // With the token, a malformed message is a 400, still with nothing recorded.
    expect((await bridge({ messageId: "x", from: "stranger-contact" }, { authorization: `Bearer ${TOKEN}` })).status).toBe(400);
    expect(await h.deps.prisma.channelIdentity.count()).toBe(before.identities);
  });

  it("is in the OpenAPI document with its bearer security", async () => {
    const doc = (await (await fetch(`${serviceUrl}/openapi.json`)).json()) as { paths: Record<string, { post?: { security?: unknown } }> };
    expect(doc.paths[BRIDGE_PATH]?.post?.security).toEqual([{ bearer: [] }]);
  });
});

describe("messages wechaty emits twice", () => {
  it("runs one turn: the contact hears the replies once", async () => {
    const someone = person("重复的人");
    const first = await someone.say("你好");
    expect(first.text).toContain("1 找工作");
    // The puppet emits the same message again (as after a reconnect): wechaty hands it over again.
    const again = nextArrivalFrom(someone.contact.id);
    mocker.puppet.emit("message", { messageId: first.message.id });
    expect((await again).id).toBe(first.message.id);
    await bot.idle();
    expect(someone.inbox).toEqual(first.replies);
    expect(await h.deps.prisma.inboundReceipt.count({ where: { channel: "wechaty", messageId: first.message.id } })).toBe(1);
    expect(await h.deps.prisma.planEvent.count({ where: { identity: { address: someone.contact.id }, kind: "message_out" } })).toBe(first.replies.length);

    // And straight at the bridge: a repeat runs nothing again and brings the same replies, for a bot
    // whose first answer was lost (the bot itself says nothing twice: it remembers what it answered).
    const message = { messageId: "direct-dup-1", from: "direct-dup-contact", text: "你好", at: new Date().toISOString() };
    const one = (await (await bridge(message, { authorization: `Bearer ${TOKEN}` })).json()) as { replies: string[]; duplicate: boolean };
    const two = (await (await bridge(message, { authorization: `Bearer ${TOKEN}` })).json()) as { replies: string[]; duplicate: boolean };
    expect(one.duplicate).toBe(false);
    expect(one.replies.length).toBeGreaterThan(0);
    expect(two).toEqual({ replies: one.replies, duplicate: true });
    expect(await h.deps.prisma.inboundReceipt.count({ where: { channel: "wechaty", messageId: "direct-dup-1" } })).toBe(1);
  });
});

describe("sending through the outbox", () => {
  const dispatcherFor = () =>
    createDispatcher({
      prisma: h.deps.prisma,
      pii: h.deps.pii,
      sql: h.deps.sql,
      // The service reaches the bot at its send endpoint (WECHATY_BOT_URL); here on a free port.
      channels: { wechaty: wechatyChannel.delivery({ ...h.deps.config, WECHATY_BOT_URL: bot.url }, h.deps.log) },
      quietHours: null,
      log: h.deps.log,
      clock: h.deps.clock,
    });
  const queuePush = (key: string, address: string, text: string) =>
    h.deps.prisma.outboxMessage.create({
      data: { idempotencyKey: key, channel: "wechaty", address, purpose: "push", body: { text }, nextAttemptAt: h.clock() },
    });

  it("delivers a push queued for a wechaty contact through the dispatcher and the bot", async () => {
    const someone = person("等通知的人");
    const push = await queuePush("push-wechaty-1", someone.contact.id, "有新岗位：家政服务员，月薪3000元。回复1查看。");
    const dispatcher = dispatcherFor();
    while ((await dispatcher.runOnce()) > 0);
    expect(someone.inbox).toEqual(["有新岗位：家政服务员，月薪3000元。回复1查看。"]);
    const row = await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { id: push.id } });
    // Said by the puppet: no delivery report will follow, so it counts as delivered.
    expect(row.status).toBe("delivered");

    // The dispatcher sends again after a timeout: the bot says a message once.
    const resend = await fetch(`${bot.url}${BOT_SEND_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ id: push.id, to: someone.contact.id, text: "有新岗位：家政服务员，月薪3000元。回复1查看。" }),
    });
    expect(resend.status).toBe(200);
    expect(someone.inbox).toHaveLength(1);
  });

  it("says a message once when the dispatcher asks twice at the same time (its first request timed out)", async () => {
    const someone = person("只收一次的人");
    const send = () =>
      fetch(`${bot.url}${BOT_SEND_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ id: "outbox-concurrent-1", to: someone.contact.id, text: "培训通知：家政班下周一开课。" }),
      });
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status]).toEqual([200, 200]);
    await bot.idle();
    expect(someone.inbox).toEqual(["培训通知：家政班下周一开课。"]);
  });

  it("gives up on a contact the bot does not have, and the bot's endpoint refuses strangers", async () => {
    const push = await queuePush("push-wechaty-unknown", "no-such-contact", "你好");
    const dispatcher = dispatcherFor();
    while ((await dispatcher.runOnce()) > 0);
    const row = await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { id: push.id } });
    expect(row.status).toBe("failed");
    expect(row.lastError).toContain("404");

    const someone = person("不该收到的人");
    const send = (headers: Record<string, string>) =>
      fetch(`${bot.url}${BOT_SEND_PATH}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ id: "forged", to: someone.contact.id, text: "假消息" }) });
    expect((await send({})).status).toBe(401);
    expect((await send({ authorization: "Bearer not-the-bridge-token" })).status).toBe(403);
    expect(someone.inbox).toEqual([]);
  });
});

describe("rooms", () => {
  it("forwards nothing said in a room; a mention gets a request to write privately", async () => {
    const member = person("群里的人");
    const room = mocker.createRoom({ topic: "老乡群", memberIdList: [member.contact.id, botUser.id] });
    const inRoom: string[] = [];
    onConversation(room, (message) => {
      if (message.talker().id === botUser.id) inRoom.push(message.text() ?? "");
    });
    const identities = await h.deps.prisma.channelIdentity.count();
    for (const mentions of [[], [botUser]]) {
      const arrived = nextArrivalFrom(member.contact.id);
      member.contact.say("我的身份证号是350622198805062012", mentions).to(room);
      await arrived;
      await bot.idle();
    }
    expect(inRoom).toHaveLength(1);
    expect(inRoom[0]).toContain(ROOM_HINT);
    expect(member.inbox).toEqual([]);
    expect(await h.deps.prisma.channelIdentity.count()).toBe(identities);
  });
});

describe("configuration", () => {
  const env = { WECHATY_BRIDGE_TOKEN: TOKEN, WECHATY_PUPPET: "wechaty-puppet-service", WECHATY_PUPPET_SERVICE_TOKEN: "puppet_workpro_0123" };
  const settingsError = (values: Record<string, string>) => {
    try {
      wechatyBotSettings(loadConfig(values));
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return "no error";
  };

  it("turns the channel on only with WECHATY_BRIDGE_TOKEN, and refuses a short one", () => {
    expect(wechatyChannel.enabled(loadConfig({}))).toBe(false);
    expect(wechatyChannel.enabled(loadConfig({ WECHATY_BRIDGE_TOKEN: TOKEN }))).toBe(true);
    expect(() => loadConfig({ WECHATY_BRIDGE_TOKEN: "short" })).toThrow(/^WECHATY_BRIDGE_TOKEN: expected at least 24 characters/);
    expect(() => loadConfig({ WECHATY_BOT_URL: "bot:8788" })).toThrow(/^WECHATY_BOT_URL: expected a URL/);
  });

  it("gives the bot its puppet, the service's address and its own from the environment", () => {
    const settings = wechatyBotSettings(loadConfig({ ...env, PORT: "9000", DATA_DIR: "/var/lib/zt" }));
    expect(settings).toMatchObject({
      puppet: "wechaty-puppet-service",
      puppetOptions: { token: "puppet_workpro_0123" },
      serviceUrl: "http://127.0.0.1:9000",
      listen: { hostname: "127.0.0.1", port: 8788 },
      memoryName: "/var/lib/zt/wechaty",
    });
    expect(wechatyBotSettings(loadConfig({ ...env, WECHATY_BOT_URL: "http://0.0.0.0:9100", WECHATY_SERVICE_URL: "http://zt.internal:8787/" }))).toMatchObject({
      listen: { hostname: "0.0.0.0", port: 9100 },
      serviceUrl: "http://zt.internal:8787",
    });
  });

  it("names the variable when the bot cannot start", () => {
    expect(settingsError({ ...env, WECHATY_BRIDGE_TOKEN: "" })).toMatch(/^WECHATY_BRIDGE_TOKEN: /);
    // wechaty's own default puppet drives a personal account: the puppet must be chosen.
    expect(settingsError({ ...env, WECHATY_PUPPET: "" })).toMatch(/^WECHATY_PUPPET: expected the puppet to run/);
    expect(settingsError({ ...env, WECHATY_PUPPET_SERVICE_TOKEN: "" })).toMatch(/^WECHATY_PUPPET_SERVICE_TOKEN: /);
    expect(settingsError({ ...env, WECHATY_BOT_URL: "https://bot.example.cn" })).toMatch(/^WECHATY_BOT_URL: expected an http:\/\/ URL/);
    expect(() => loadConfig({ WECHATY_PUPPET: "puppeteer" })).toThrow(/^WECHATY_PUPPET: expected a puppet package name/);
    expect(settingsError({ ...env, WECHATY_PUPPET: "wechaty-puppet-mock", WECHATY_PUPPET_SERVICE_TOKEN: "" })).toBe("no error");
  });
});
