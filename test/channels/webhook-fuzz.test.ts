// A few thousand malformed requests at every webhook: each gets a clear 4xx (or WeChat's
// "success" for a signed body it cannot read), never a 5xx, nothing is recorded from an
// unverified request, and the service still answers /health afterwards.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";

const TOKEN = "fuzz-token";
const TWILIO_TOKEN = "fuzz-twilio-token";
const PUBLIC = "https://zt.example.cn";
const SECRET = "fuzz-aliyun-secret-0123456789";
const BRIDGE_TOKEN = "fuzz-wechaty-bridge-token-0123456789";
let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    env: {
      WECHAT_TOKEN: TOKEN,
      WECHAT_ENCODING_AES_KEY: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
      WECHAT_APP_ID: "wx2c2769f8efd9abc2",
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      PUBLIC_BASE_URL: PUBLIC,
      ALIYUN_SMS_CALLBACK_SECRET: SECRET,
      WECHATY_BRIDGE_TOKEN: BRIDGE_TOKEN,
      LOG_LEVEL: "silent",
    },
  });
});
afterAll(() => h.close());

// A small seeded generator: the same inputs every run, so a failure can be replayed.
function generator(seed: number) {
  let state = seed;
  const next = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const VALID_XML = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[fuzz-user]]></FromUserName><CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId></xml>`;
const FRAGMENTS = ["<xml>", "</xml>", "<![CDATA[", "]]>", "<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]>", "&a;", "&#0;", "\u0000", "<Encrypt>", "%", "{", "[", "😀", "\ud800", "a".repeat(5000), "=", "&", "MessageSid=", "Body=%E4", "From=+86"];

function mutate(base: string, random: ReturnType<typeof generator>): string {
  let text = base;
  const edits = 1 + Math.floor(random.next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random.next() * (text.length + 1));
    const choice = random.next();
    if (choice < 0.4) text = text.slice(0, at) + random.pick(FRAGMENTS) + text.slice(at);
    else if (choice < 0.7) text = text.slice(0, at) + text.slice(at + Math.floor(random.next() * 20));
    else text = text.slice(0, at);
  }
  return text;
}

const wechatQuery = () => {
  const timestamp = "1714112445";
  const nonce = "415670741";
  const signature = createHash("sha1").update([TOKEN, timestamp, nonce].sort().join("")).digest("hex");
  return `signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
};

describe("malformed bodies at every webhook", () => {
  it("never crash a route, never answer 5xx, and record nothing unverified", async () => {
    const random = generator(20261124);
    const receiptsBefore = await h.deps.prisma.inboundReceipt.count();
    const statuses = new Map<string, number>();
    const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);
    const twilioFields = "MessageSid=SM1&From=%2B8613800000001&Body=%E4%BD%A0%E5%A5%BD";
    const signedSids = new Set<string>();
    const authorisedBridgeIds = new Set<string>();

    for (let i = 0; i < 1_000; i++) {
      // WeChat, signed query (so the body is parsed), plain and safe mode.
      const xml = mutate(VALID_XML, random);
      const mode = random.next() < 0.5 ? "" : "&encrypt_type=aes&msg_signature=" + "0".repeat(40);
      const wechat = await h.app.request(`/webhooks/wechat?${wechatQuery()}${mode}`, { method: "POST", body: xml, headers: { "content-type": random.pick(["text/xml", "application/json", "", "application/x-www-form-urlencoded"]) } });
      expect(wechat.status, `wechat body ${JSON.stringify(xml.slice(0, 200))}`).toBeLessThan(500);
      count(`wechat ${wechat.status}`);

      // Twilio: mutated forms, some validly signed over their mutated fields.
      const form = mutate(twilioFields, random);
      const fields = Object.fromEntries(new URLSearchParams(form));
      const signed = random.next() < 0.5;
      const twilio = await h.app.request("/webhooks/sms/twilio", {
        method: "POST",
        body: form,
        headers: {
          "content-type": random.pick(["application/x-www-form-urlencoded", "text/plain", ""]),
          "x-twilio-signature": signed
            ? getExpectedTwilioSignature(TWILIO_TOKEN, `${PUBLIC}/webhooks/sms/twilio`, fields)
            : `${"RSOYDt4T1cUTdK1PDd93/VVr8B8=".slice(0, Math.floor(random.next() * 28))}A`, // headers carry ASCII only
        },
      });
      expect(twilio.status, `twilio body ${JSON.stringify(form.slice(0, 200))}`).toBeLessThan(500);
      if (signed && fields.MessageSid) signedSids.add(fields.MessageSid);
      count(`twilio ${twilio.status}`);

      // Aliyun: mutated JSON on the right path, anything on a wrong one.
      const aliyunBody = mutate(JSON.stringify([{ phone_number: "13800000001", send_time: "2026-11-24 10:00:00", content: "你好", sign_name: "x", dest_code: "1", sequence_id: i }]), random);
      const aliyun = await h.app.request(`/webhooks/sms/aliyun/${random.next() < 0.8 ? SECRET : "guess"}`, { method: "POST", body: aliyunBody, headers: { "content-type": "application/json" } });
      expect(aliyun.status, `aliyun body ${JSON.stringify(aliyunBody.slice(0, 200))}`).toBeLessThan(500);
      count(`aliyun ${aliyun.status}`);

      // The wechaty bridge: mutated JSON, with the bot's token, a wrong one, or none.
      const bridgeBody = mutate(JSON.stringify({ messageId: `wx-${i}`, from: `contact-${i % 7}`, text: "你好", at: "2026-11-24T02:00:00.000Z" }), random);
      const authorised = random.next() < 0.5;
      const token = authorised ? BRIDGE_TOKEN : random.pick(["", "guess", BRIDGE_TOKEN.slice(0, -1)]);
      const wechaty = await h.app.request("/webhooks/wechaty/messages", {
        method: "POST",
        body: bridgeBody,
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      expect(wechaty.status, `wechaty body ${JSON.stringify(bridgeBody.slice(0, 200))}`).toBeLessThan(500);
      if (!authorised) expect([401, 403]).toContain(wechaty.status);
      else if (wechaty.status === 200) authorisedBridgeIds.add(String((JSON.parse(bridgeBody) as { messageId: unknown }).messageId));
      count(`wechaty ${wechaty.status}`);
    }
    // Oversize bodies are refused before they are read whole.
    const huge = "x".repeat(2 * 1024 * 1024);
    for (const path of [`/webhooks/wechat?${wechatQuery()}`, "/webhooks/sms/twilio", `/webhooks/sms/aliyun/${SECRET}`]) {
      expect((await h.app.request(path, { method: "POST", body: huge })).status).toBe(413);
    }
    const hugeBridge = await h.app.request("/webhooks/wechaty/messages", { method: "POST", body: huge, headers: { authorization: `Bearer ${BRIDGE_TOKEN}` } });
    expect(hugeBridge.status).toBe(413);
    // Bridge turns came only from the bot's token.
    const bridgeTurns = await h.deps.prisma.inboundReceipt.findMany({ where: { channel: "wechaty" } });
    expect(bridgeTurns.map((r) => r.messageId).filter((id) => !authorisedBridgeIds.has(id))).toEqual([]);

    // Twilio turns came only from validly signed requests; no unsigned WeChat message got through.
    const twilioTurns = await h.deps.prisma.inboundReceipt.findMany({ where: { channel: "sms", messageId: { not: { startsWith: "aliyun:" } } } });
    expect(twilioTurns.map((r) => r.messageId).filter((sid) => !signedSids.has(sid))).toEqual([]);
    expect(receiptsBefore).toBe(0);
    expect([...statuses.keys()].some((key) => key.startsWith("twilio 403"))).toBe(true);
    expect([...statuses.keys()].some((key) => key.startsWith("wechat 200") || key.startsWith("wechat 403"))).toBe(true);

    const health = await h.request("GET", "/health");
    expect(health.body).toEqual({ status: "ok", db: "ok", search: "ok" });
  }, 300_000);
});
