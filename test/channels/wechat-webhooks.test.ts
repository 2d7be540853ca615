// The WeChat Official Account channel end to end: the server check, plain and safe-mode messages
// (the independent `wechat-crypto` package encrypts and signs as WeChat would), passive replies,
// retries, events, voice, and sending later through a stand-in for WeChat's API.
import { openBody, smsAddress } from "../../src/delivery/personal-data.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wechatChannel } from "../../bots/wechat/index.ts";
import { parseWeChatXml } from "../../bots/wechat/protocol/index.ts";
import { createDispatcher } from "../../src/delivery/dispatcher.ts";
import { smsChannel } from "../../bots/sms/index.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { standIn } from "../support/stand-in.ts";

interface OracleCipher {
  getSignature(timestamp: string, nonce: string, encrypt: string): string;
  encrypt(message: string): string;
  decrypt(encrypt: string): { message: string; id: string };
}
const OracleCrypt = createRequire(import.meta.url)("wechat-crypto") as new (token: string, key: string, appId: string) => OracleCipher;

// Vector B's key and appid (../shared/channels.md); the token of the official GET example.
const TOKEN = "AAAAA";
const AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const APP_ID = "wx2c2769f8efd9abc2";
const oracle = new OracleCrypt(TOKEN, AES_KEY, APP_ID);

let h: Harness;
let wechatApi: Awaited<ReturnType<typeof standIn>>;
let templateDown = false;
let windowClosed = false;
beforeAll(async () => {
  wechatApi = await standIn((request) => {
    if (request.path === "/cgi-bin/stable_token") return { json: { access_token: "TOKEN-1", expires_in: 7200 } };
    if (request.path === "/cgi-bin/message/custom/send") return { json: windowClosed ? { errcode: 45015, errmsg: "response out of time limit" } : { errcode: 0, errmsg: "ok" } };
    if (request.path === "/cgi-bin/message/template/send") return templateDown ? { status: 502, text: "Bad Gateway" } : { json: { errcode: 0, errmsg: "ok", msgid: 200228332 } };
    return { status: 404, json: {} };
  });
  h = await createHarness({
    env: { WECHAT_TOKEN: TOKEN, WECHAT_ENCODING_AES_KEY: AES_KEY, WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: "secret", WECHAT_API_URL: wechatApi.url },
  });
});
afterAll(async () => {
  await h.close();
  await wechatApi.close();
});

const sha1 = async (parts: string[]) => {
  const { createHash } = await import("node:crypto");
  return createHash("sha1").update([...parts].sort().join("")).digest("hex");
};

let msgId = 6054768590064713000n;
const textXml = (from: string, content: string, id = String(++msgId)) =>
  `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${id}</MsgId></xml>`;
const eventXml = (from: string, event: string, key = "", time = nowSeconds()) =>
  `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${time}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event><EventKey><![CDATA[${key}]]></EventKey></xml>`;

/** Seconds on the harness's clock, as WeChat stamps its callbacks. */
const nowSeconds = () => Math.floor(h.clock().getTime() / 1000);
const senderOf = (xml: string) => /<FromUserName><!\[CDATA\[(.*?)\]\]>/.exec(xml)?.[1] ?? "";
let nonceSerial = 1320562132;

interface Signing {
  forge?: boolean;
  nonce?: string;
  timestamp?: string;
  /** the URL's openid: WeChat puts the sender's there */
  openid?: string;
  /** the message already encrypted (each encryption differs: a retry sends the same one) */
  encrypt?: string;
}

/** A safe-mode POST, as WeChat sends it with the AES key set: encrypted and signed by the oracle. */
async function safe(xml: string, { forge = false, nonce = String(++nonceSerial), timestamp = String(nowSeconds()), openid = senderOf(xml), encrypt = oracle.encrypt(xml) }: Signing = {}) {
  const signature = await sha1([TOKEN, timestamp, nonce]);
  const msgSignature = forge ? "0".repeat(40) : oracle.getSignature(timestamp, nonce, encrypt);
  const body = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  const response = await h.app.request(
    `/webhooks/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${encodeURIComponent(openid)}&encrypt_type=aes&msg_signature=${msgSignature}`,
    { method: "POST", body, headers: { "content-type": "text/xml" } },
  );
  return { status: response.status, text: await response.text() };
}

/** The same, with the reply opened: the passive reply's XML, or WeChat's plain "success". */
async function post(xml: string, signing: Signing = {}) {
  const { status, text } = await safe(xml, signing);
  const encrypt = status === 200 && text.startsWith("<xml>") ? parseWeChatXml(text).Encrypt : undefined;
  return { status, text: encrypt ? oracle.decrypt(encrypt).message : text };
}

const content = (replyXml: string) => parseWeChatXml(replyXml).Content ?? "";

describe("WeChat server check", () => {
  it("answers echostr for the official example and refuses a wrong signature", async () => {
    const ok = await h.app.request("/webhooks/wechat?signature=f464b24fc39322e44b38aa78f5edd27bd1441696&timestamp=1714036504&nonce=1514711492&echostr=hello123");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("hello123");
    const bad = await h.app.request("/webhooks/wechat?signature=f464b24fc39322e44b38aa78f5edd27bd1441697&timestamp=1714036504&nonce=1514711492&echostr=hello123");
    expect(bad.status).toBe(403);
  });
});

describe("messages", () => {
  it("answers a plain message passively, and does not send the reply again later", async () => {
    const reply = await post(textXml("openid-plain-1", "你好"));
    expect(reply.status).toBe(200);
    const fields = parseWeChatXml(reply.text);
    expect(fields).toMatchObject({ ToUserName: "openid-plain-1", FromUserName: "gh_10f6c3c3ac5a", MsgType: "text" });
    expect(fields.Content).toContain("1 找工作");
    // Answered in the response: nothing is left in the outbox to send, and the plan keeps the reply.
    expect(await h.deps.prisma.outboxMessage.count({ where: { channel: "wechat", address: "openid-plain-1" } })).toBe(0);
    const said = await h.deps.prisma.planEvent.findMany({ where: { identity: { address: "openid-plain-1" }, kind: "message_out" } });
    expect(said.map((event) => event.text).join("\n\n")).toBe(fields.Content);
  });

  it("answers a safe-mode message with an encrypted, signed reply the oracle opens", async () => {
    const reply = await safe(textXml("openid-aes-1", "你好"));
    expect(reply.status).toBe(200);
    const envelope = parseWeChatXml(reply.text);
    expect(oracle.getSignature(envelope.TimeStamp!, envelope.Nonce!, envelope.Encrypt!)).toBe(envelope.MsgSignature);
    const opened = oracle.decrypt(envelope.Encrypt!);
    expect(opened.id).toBe(APP_ID);
    expect(content(opened.message)).toContain("1 找工作");
  });

  it("registers a worker over WeChat in safe mode, asking for the phone", async () => {
    const user = "openid-aes-register";
    const say = async (text: string) => content(oracle.decrypt(parseWeChatXml((await safe(textXml(user, text))).text).Encrypt!).message);
    expect(await say("找工作")).toContain("同意");
    await say("1");
    await say("刘七");
    expect(await say("350624197003044419")).toMatch(/手机/); // WeChat does not know the phone
    let last = "";
    for (const text of ["13800000051", "诏安", "1", "1", "4", "1", "1", "2", "2800", "2"]) last = await say(text);
    expect(last).toContain("请核对");
    expect(await say("1")).toContain("登记成功");
    const worker = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: "刘七" }, include: { identities: true } });
    expect(worker).toMatchObject({ registeredVia: "wechat", sex: "male" });
    // The phone was typed, not proven by the channel: it is stored (for the coordinator), not linked
    // as an SMS address.
    expect(worker.identities.map((i) => `${i.channel}:${i.address}`)).toEqual([`wechat:${user}`]);
    expect(worker.phoneMasked).toBe("138****0051");
  });

  it("someone registering on WeChat who asks for 人工 after typing a phone gets a call back on it", async () => {
    const admin = (await h.operator("admin")).token;
    expect((await h.request("POST", "/api/operators", { token: admin, body: { name: "诏安协理员", role: "coordinator", regionCodes: ["350624"], phone: "13900002222" } })).status).toBe(201);
    const user = "openid-callback";
    const say = async (text: string) => content((await post(textXml(user, text))).text);
    for (const text of ["找工作", "1", "林八", "350624197003044427", "13800000061", "诏安"]) await say(text);
    expect(await say("人工")).toContain("协理员");
    const jobs = createJobRunner({ deps: h.deps });
    while ((await jobs.runOnce()) > 0);
    const [alert] = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "sms", address: smsAddress(h.deps.pii, "+8613900002222") } });
    expect((openBody(h.deps.pii, alert!.body) as { text: string }).text).toMatch(/^人工求助：一位还没登记完的人（诏安县），电话13800000061。/);
    // The number typed is kept sealed on the task, not in clear.
    const [task] = await h.deps.prisma.planTask.findMany({ where: { kind: "human_request", identity: { address: user } } });
    expect(task!.callbackPhoneEnc).not.toContain("13800000061");
    expect(h.deps.pii.decrypt(task!.callbackPhoneEnc!)).toBe("+8613800000061");
  });

  it("refuses a forged message and records nothing", async () => {
    const before = await h.deps.prisma.inboundReceipt.count();
    expect((await post(textXml("openid-forged", "你好"), { forge: true })).status).toBe(403);
    expect(await h.deps.prisma.inboundReceipt.count()).toBe(before);
  });

  it("runs a message WeChat retries once, answering the retry with the passive reply it never got", async () => {
    const first = await post(textXml("openid-retry", "你好", "7000000000000000001"));
    const retry = await post(textXml("openid-retry", "你好", "7000000000000000001"));
    expect(content(first.text)).toContain("找工作");
    // WeChat retries only when our answer did not reach it in time: the same reply, not "success".
    expect(content(retry.text)).toBe(content(first.text));
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "wechat", address: "openid-retry" } } });
    expect(await h.deps.prisma.planEvent.count({ where: { identityId: identity.id, kind: "message_in" } })).toBe(1);

    // A retry that comes after the person's next message gets its own turn's replies, not the next one's.
    const second = await post(textXml("openid-retry", "1", "7000000000000000002"));
    expect(content(second.text)).not.toBe(content(first.text));
    expect(content((await post(textXml("openid-retry", "你好", "7000000000000000001"))).text)).toBe(content(first.text));
    expect(content((await post(textXml("openid-retry", "1", "7000000000000000002"))).text)).toBe(content(second.text));
    expect(await h.deps.prisma.planEvent.count({ where: { identityId: identity.id, kind: "message_in" } })).toBe(2);
  });

  it("keeps a passive reply that carries a phone number sealed in the outbox, and answers its retry from there", async () => {
    const user = "openid-retry-personal";
    let serial = 7100000000000000000n;
    const say = async (text: string, id = String(++serial)) => content((await post(textXml(user, text, id))).text);
    for (const text of ["你好", "2", "诏安县兴农车间", "1", "没有", "郑明", "13900000071"]) await say(text);
    const townships = await say("诏安");
    await say(townships.match(/(\d+) [^\n]*?(?=\n)/)![1]!);
    // The address typed carries a phone number, and the summary repeats it.
    const summaryId = String(++serial);
    const summary = await say("东村8号，电话13800000071", summaryId);
    expect(summary).toContain("请核对");
    expect(summary).toContain("13800000071");
    const rows = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "wechat", address: user } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.idempotencyKey.includes(summaryId) && row.status === "delivered")).toBe(true);
    expect(JSON.stringify(rows.map((row) => row.body))).not.toContain("13800000071");
    expect(await say("东村8号，电话13800000071", summaryId)).toBe(summary);
  });
});

describe("who may post", () => {
  const receipts = () => h.deps.prisma.inboundReceipt.count();

  it("refuses plain mode when the AES key is set, even with a valid URL signature", async () => {
    const before = await receipts();
    const timestamp = String(nowSeconds());
    const nonce = String(++nonceSerial);
    const signature = await sha1([TOKEN, timestamp, nonce]);
    const response = await h.app.request(`/webhooks/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=openid-plain`, {
      method: "POST",
      body: textXml("openid-plain", "你好"),
      headers: { "content-type": "text/xml" },
    });
    expect(response.status).toBe(403);
    expect(await receipts()).toBe(before);
  });

  it("refuses a timestamp more than five minutes off, either way", async () => {
    const before = await receipts();
    for (const offset of [-301, 301]) {
      expect((await post(textXml("openid-stale", "你好"), { timestamp: String(nowSeconds() + offset) })).status).toBe(403);
    }
    expect((await post(textXml("openid-stale", "你好"), { timestamp: String(nowSeconds() - 299) })).status).toBe(200);
    expect(await receipts()).toBeGreaterThan(before);
  });

  it("refuses a nonce seen in the window with another body; the same body again is WeChat's retry", async () => {
    const nonce = String(++nonceSerial);
    const timestamp = String(nowSeconds());
    const xml = textXml("openid-nonce", "你好");
    const encrypt = oracle.encrypt(xml);
    const first = await post(xml, { nonce, timestamp, encrypt });
    expect(first.status).toBe(200);
    expect(content((await post(xml, { nonce, timestamp, encrypt })).text)).toBe(content(first.text));
    const replayed = await post(textXml("openid-nonce", "人工"), { nonce, timestamp });
    expect(replayed.status).toBe(403);
    expect(await h.deps.prisma.planTask.count({ where: { identity: { address: "openid-nonce" } } })).toBe(0);
    // Another body under the first message's own id is not taken for WeChat's retry of it: it would
    // be answered with the first message's replies.
    const sameId = /<MsgId>(\d+)<\/MsgId>/.exec(xml)![1];
    expect((await post(textXml("openid-nonce", "我的信息", sameId), { nonce, timestamp })).status).toBe(403);
    // And a voice message (no turn) is held to the same nonce.
    const voice = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[openid-nonce]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>${++msgId}</MsgId></xml>`;
    expect((await post(voice, { nonce, timestamp })).status).toBe(403);
  });

  it("lets one of two bodies under one nonce through when they come at the same moment", async () => {
    // Turns of the same moment are written together in one statement: two with one nonce must not
    // both find it new there.
    const nonce = String(++nonceSerial);
    const timestamp = String(nowSeconds());
    const others = Array.from({ length: 4 }, (_, index) => post(textXml(`openid-crowd-${index}`, "你好")));
    const sameNonce = await Promise.all([post(textXml("openid-twin-a", "你好"), { nonce, timestamp }), post(textXml("openid-twin-b", "帮助"), { nonce, timestamp })]);
    expect((await Promise.all(others)).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(sameNonce.map((answer) => answer.status).sort()).toEqual([200, 403]);
  });

  it("answers a photo, a location or a voice message without its transcript: only text can be read", async () => {
    const media = (type: string, fields: string) =>
      `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[openid-media]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>${fields}<MsgId>${++msgId}</MsgId></xml>`;
    const image = await post(media("image", "<PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId><![CDATA[m2]]></MediaId>"));
    expect(content(image.text)).toContain("这里只能看文字");
    const location = await post(media("location", "<Location_X>23.9</Location_X><Location_Y>117.3</Location_Y><Scale>15</Scale><Label><![CDATA[云霄县]]></Label>"));
    expect(content(location.text)).toContain("请打字回复");
    const voice = await post(media("voice", "<MediaId><![CDATA[m3]]></MediaId><Format><![CDATA[amr]]></Format>"));
    expect(content(voice.text)).toContain("没听清您的语音");
    // None of them is a turn: nothing of this sender is kept.
    expect(await h.deps.prisma.channelIdentity.count({ where: { address: "openid-media" } })).toBe(0);
  });

  it("refuses a body whose sender is not the URL's openid", async () => {
    expect((await post(textXml("openid-victim", "人工"), { openid: "openid-attacker" })).status).toBe(403);
    expect(await h.deps.prisma.channelIdentity.count({ where: { address: { in: ["openid-victim", "openid-attacker"] } } })).toBe(0);
  });

  it("keeps one user's MsgId from answering another's: the dedupe is by sender", async () => {
    const asked = await post(textXml("openid-owner", "你好", "7100000000000000001"));
    expect(content(asked.text)).toContain("找工作");
    const other = await post(textXml("openid-other", "人工", "7100000000000000001"));
    expect(content(other.text)).toContain("协理员");
    expect(await h.deps.prisma.planTask.count({ where: { kind: "human_request", identity: { address: "openid-other" } } })).toBe(1);
  });
});

describe("plain mode, on an account without the AES key", () => {
  let keyless: Harness;
  beforeAll(async () => {
    keyless = await createHarness({ env: { WECHAT_TOKEN: TOKEN } });
  });
  afterAll(() => keyless.close());

  const plain = async (xml: string, { forge = false } = {}) => {
    const timestamp = String(Math.floor(keyless.clock().getTime() / 1000));
    const nonce = String(++nonceSerial);
    const signature = forge ? "0".repeat(40) : await sha1([TOKEN, timestamp, nonce]);
    const response = await keyless.app.request(`/webhooks/wechat?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&openid=${senderOf(xml)}`, {
      method: "POST",
      body: xml,
      headers: { "content-type": "text/xml" },
    });
    return { status: response.status, text: await response.text() };
  };

  it("answers passively in plain XML and refuses a forged signature", async () => {
    const reply = await plain(textXml("openid-keyless", "你好"));
    expect(reply.status).toBe(200);
    expect(parseWeChatXml(reply.text)).toMatchObject({ ToUserName: "openid-keyless", MsgType: "text" });
    expect(content(reply.text)).toContain("1 找工作");
    expect((await plain(textXml("openid-keyless", "你好"), { forge: true })).status).toBe(403);
  });
});

describe("events and voice", () => {
  it("starts on subscribe, opts out on unsubscribe, and a menu click opens no 48-hour window", async () => {
    const user = "openid-events";
    expect(content((await post(eventXml(user, "subscribe"))).text)).toContain("找工作");
    const identity = () => h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "wechat", address: user } } });
    const openedAt = (await identity()).lastInboundAt;
    expect(openedAt).not.toBeNull();
    h.clock.advance(60_000);
    await post(eventXml(user, "CLICK", "帮助"));
    expect((await identity()).lastInboundAt).toEqual(openedAt);
    await post(eventXml(user, "unsubscribe"));
    expect((await identity()).optedOutAt).not.toBeNull();
  });

  it("keeps when the person last wrote to the minute: a reply within it writes nothing there, a later one moves it", async () => {
    const user = "openid-window";
    const lastWrote = async () => (await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "wechat", address: user } } })).lastInboundAt;
    await post(textXml(user, "你好"));
    const first = await lastWrote();
    expect(first).toEqual(h.clock());
    h.clock.advance(50_000);
    await post(textXml(user, "帮助"));
    expect(await lastWrote()).toEqual(first);
    h.clock.advance(20_000);
    await post(textXml(user, "0"));
    expect(await lastWrote()).toEqual(h.clock());
  });

  it("uses voice recognition when present, and asks to type when not", async () => {
    const voice = (recognition: string) =>
      `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[openid-voice]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[m1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[${recognition}]]></Recognition><MsgId>${++msgId}</MsgId></xml>`;
    expect(content((await post(voice(""))).text)).toContain("请打字");
    expect(content((await post(voice("你好"))).text)).toContain("找工作");
  });
});

describe("sending later", () => {
  it("sends through the customer-service API, and falls back to SMS outside the 48-hour window", async () => {
    const worker = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: "刘七" } });
    // the worker's proven SMS number (as linking by an SMS code, or an SMS registration, records it)
    await h.deps.prisma.channelIdentity.create({ data: { channel: "sms", address: smsAddress(h.deps.pii, "+8613800000051"), workerId: worker.id } });
    const push = (key: string) =>
      h.deps.prisma.outboxMessage.create({ data: { nextAttemptAt: h.clock(), idempotencyKey: key, channel: "wechat", address: "openid-aes-register", purpose: "push", body: { text: "新岗位：诏安县村道保洁员" }, workerId: worker.id } });
    const dispatcher = createDispatcher({
      prisma: h.deps.prisma,
      pii: h.deps.pii,
      sql: h.deps.sql,
      channels: { wechat: wechatChannel.delivery(h.deps.config, h.deps.log), sms: smsChannel.delivery(h.deps.config, h.deps.log) },
      quietHours: null,
      log: h.deps.log,
      clock: h.deps.clock,
    });
    await push("notice-in-window");
    while ((await dispatcher.runOnce()) > 0);
    const send = wechatApi.requests.find((r) => r.path === "/cgi-bin/message/custom/send")!;
    expect(send.query.get("access_token")).toBe("TOKEN-1");
    expect(JSON.parse(send.body)).toEqual({ touser: "openid-aes-register", msgtype: "text", text: { content: "新岗位：诏安县村道保洁员" } });
    expect((await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "notice-in-window" } })).status).toBe("delivered");

    windowClosed = true;
    await push("notice-window-closed");
    while ((await dispatcher.runOnce()) > 0);
    expect((await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "notice-window-closed" } })).status).toBe("failed");
    const bySms = await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "notice-window-closed:via:sms" } });
    expect(bySms).toMatchObject({ channel: "sms", address: smsAddress(h.deps.pii, "+8613800000051"), status: "sent" });
    expect(wechatApi.requests.filter((r) => r.path === "/cgi-bin/stable_token")).toHaveLength(1); // the token is cached

    // An SMS number that opted out gets no rerouted pushes.
    await h.deps.prisma.channelIdentity.update({ where: { channel_address: { channel: "sms", address: smsAddress(h.deps.pii, "+8613800000051") } }, data: { optedOutAt: new Date() } });
    await push("notice-opted-out");
    while ((await dispatcher.runOnce()) > 0);
    expect((await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "notice-opted-out" } })).status).toBe("failed");
    expect(await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: "notice-opted-out:via:sms" } })).toBe(0);
  });

  /** WeChat with a template approved for job pushes, and SMS to fall back on. */
  const templateDispatcher = () => {
    const config = { ...h.deps.config, WECHAT_TEMPLATES: { job_push: "TPL-JOB-PUSH" } };
    return createDispatcher({
      prisma: h.deps.prisma,
      pii: h.deps.pii,
      sql: h.deps.sql,
      channels: { wechat: wechatChannel.delivery(config, h.deps.log), sms: smsChannel.delivery(config, h.deps.log) },
      quietHours: null,
      log: h.deps.log,
      clock: h.deps.clock,
    });
  };

  it("outside the window sends an approved template message for a notice that has one, before any SMS", async () => {
    windowClosed = true;
    // The number opted out of pushes above; a notice about the worker's own case still falls back to it.
    const dispatcher = templateDispatcher();
    const params = { job: "村道保洁员", place: "诏安县深桥镇", pay: "1800元/月", reason: "是您想做的工作，就在本乡镇" };
    await h.deps.prisma.outboxMessage.createMany({
      data: [
        { nextAttemptAt: h.clock(), idempotencyKey: "template-push", channel: "wechat", address: "openid-aes-register", purpose: "push", body: { text: "村道保洁员，诏安县。回复1报名", template: "job_push", params } },
        // A notice about the worker's own case (their SMS number opted out of pushes only).
        { nextAttemptAt: h.clock(), idempotencyKey: "no-template", channel: "wechat", address: "openid-aes-register", purpose: "notice", body: { text: "协理员下周一来访", template: "visit", params: { day: "下周一" } } },
      ],
    });
    while ((await dispatcher.runOnce()) > 0);
    const sent = wechatApi.requests.filter((r) => r.path === "/cgi-bin/message/template/send").map((r) => JSON.parse(r.body));
    expect(sent).toEqual([{ touser: "openid-aes-register", template_id: "TPL-JOB-PUSH", data: Object.fromEntries(Object.entries(params).map(([key, value]) => [key, { value: value.slice(0, 20) }])) }]);
    expect(await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "template-push" } })).toMatchObject({ status: "sent", providerMessageId: "200228332" });
    // No template for that kind of notice is configured: it falls back to SMS as before.
    expect((await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "no-template" } })).status).toBe("failed");
    expect(await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: "no-template:via:sms" } })).toBe(1);
    windowClosed = false;
  });

  it("a template send that may have gone (a 5xx, a timeout) is tried again on WeChat, not doubled by SMS", async () => {
    windowClosed = true;
    templateDown = true;
    const dispatcher = templateDispatcher();
    const params = { job: "包装工", place: "诏安县", pay: "2600元/月", reason: "就在本县" };
    await h.deps.prisma.outboxMessage.create({
      data: { nextAttemptAt: h.clock(), idempotencyKey: "template-unsure", channel: "wechat", address: "openid-aes-register", purpose: "push", body: { text: "包装工，诏安县。回复1报名", template: "job_push", params } },
    });
    await dispatcher.runOnce();
    const message = await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "template-unsure" } });
    expect(message.status).toBe("pending");
    expect(message.lastError).toContain("502");
    expect(await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: "template-unsure:via:sms" } })).toBe(0);
    templateDown = false;
    windowClosed = false;
  });
});

describe("one worker, two channels", () => {
  const codeSentTo = async (phone: string) => {
    const [sms] = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "sms", address: smsAddress(h.deps.pii, phone), idempotencyKey: { startsWith: "phone_code:" } }, orderBy: { seq: "desc" }, take: 1 });
    return /验证码(\d{6})/.exec((sms?.body as { text: string }).text)?.[1];
  };

  it("links a WeChat chat to a worker registered by SMS once the code sent to the phone comes back", async () => {
    const phone = "+8613900005555";
    const worker = await h.deps.prisma.worker.create({ data: { name: "方园", registeredVia: "sms", homeRegionCode: "350622103201" } });
    await h.deps.prisma.assistancePlan.create({ data: { workerId: worker.id } });
    await h.deps.prisma.channelIdentity.create({ data: { channel: "sms", address: smsAddress(h.deps.pii, phone), workerId: worker.id, lastInboundAt: new Date() } });
    const user = "openid-link-1";
    const say = async (text: string) => content((await post(textXml(user, text))).text);

    expect(await say("你好")).toContain("3 我登记过(绑定手机)");
    expect(await say("3")).toContain("手机号码");
    expect(await say("13900005555")).toContain("验证码已发到139****5555");
    const code = await codeSentTo(phone);
    expect(code).toMatch(/^\d{6}$/);
    // The code is not in the database in clear, nor in the timeline.
    expect(JSON.stringify(await h.deps.prisma.phoneCode.findMany())).not.toContain(code!);
    expect(await say(code!)).toContain("绑定好了！方园");

    const wechatIdentity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "wechat", address: user } } });
    expect(wechatIdentity.workerId).toBe(worker.id);
    const admin = (await h.operator("admin")).token;
    const plan = await h.request("GET", `/api/workers/${worker.id}/plan`, { token: admin });
    expect((plan.body.plan.channels as { channel: string }[]).map((entry) => entry.channel).sort()).toEqual(["sms", "wechat"]);
    expect((plan.body.plan.channels as { channel: string; address: string }[]).find((entry) => entry.channel === "sms")!.address).toBe("139****5555");
    // As an address too, the number is sealed at rest: in the identities and in the outbox.
    const addresses = [...(await h.deps.prisma.channelIdentity.findMany({ select: { address: true } })), ...(await h.deps.prisma.outboxMessage.findMany({ select: { address: true } }))];
    expect(JSON.stringify(addresses)).not.toContain("13900005555");
    expect((plan.body.timeline as { kind: string }[]).map((event) => event.kind)).toContain("channel_linked");
    // From now on this WeChat user is that worker.
    expect(await say("我的信息")).toContain("姓名：方园");
  });

  it("sends one number no more than five codes an hour, however many chats ask", async () => {
    const asks = [];
    for (let i = 0; i < 6; i++) {
      const user = `openid-flood-${i}`;
      await post(textXml(user, "你好"));
      await post(textXml(user, "3"));
      asks.push(content((await post(textXml(user, "13900007777"))).text));
    }
    expect(asks.slice(0, 5).every((reply) => reply.includes("验证码已发到"))).toBe(true);
    expect(asks[5]).toContain("验证码发得太多了");
    expect(await h.deps.prisma.outboxMessage.count({ where: { channel: "sms", address: smsAddress(h.deps.pii, "+8613900007777") } })).toBe(5);
  });

  it("locks the code after five wrong tries, and a typed number alone links nothing", async () => {
    const phone = "+8613900006666";
    const worker = await h.deps.prisma.worker.create({ data: { name: "石磊", registeredVia: "sms" } });
    await h.deps.prisma.channelIdentity.create({ data: { channel: "sms", address: smsAddress(h.deps.pii, phone), workerId: worker.id } });
    const user = "openid-link-2";
    const say = async (text: string) => content((await post(textXml(user, text))).text);
    await say("你好");
    await say("3");
    await say("13900006666");
    const code = await codeSentTo(phone);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect(await say(wrong)).toContain("验证码不对");
    expect(await say(code!)).toContain("输错太多次");
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "wechat", address: user } } });
    expect(identity.workerId).toBeNull();
  });
});
