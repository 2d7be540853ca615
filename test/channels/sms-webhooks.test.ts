// The SMS channel end to end: Twilio's signed webhooks (the official `twilio` package signs), a
// whole registration by SMS, opt-out words, retries, delivery statuses, and the outbox sending
// through a local stand-in for Twilio's API. Aliyun's callbacks on their secret path.
import { openBody, smsAddress } from "../../src/delivery/personal-data.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { smsChannel } from "../../bots/sms/index.ts";
import { createDispatcher } from "../../src/delivery/dispatcher.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { standIn } from "../support/stand-in.ts";

const AUTH_TOKEN = "twilio-test-auth-token";
const PUBLIC = "https://zt.example.cn";
const CALLBACK_SECRET = "aliyun-callback-secret-0123456789";
let h: Harness;
let twilioApi: Awaited<ReturnType<typeof standIn>>;
let sid = 0;

beforeAll(async () => {
  twilioApi = await standIn((request) =>
    /Messages\.json$/.test(request.path) ? { status: 201, json: { sid: `SM${String(++sid).padStart(32, "0")}`, status: "queued" } } : { status: 404, json: {} },
  );
  h = await createHarness({
    env: {
      TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000",
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: "+15005550006",
      TWILIO_API_URL: twilioApi.url,
      PUBLIC_BASE_URL: PUBLIC,
      ALIYUN_SMS_CALLBACK_SECRET: CALLBACK_SECRET,
    },
  });
});
afterAll(async () => {
  await h.close();
  await twilioApi.close();
});

let messageCounter = 0;
/** An inbound SMS as Twilio posts it, signed as Twilio signs it. */
async function twilioPost(path: string, fields: Record<string, string>, { sign = true } = {}) {
  const body = new URLSearchParams(fields).toString();
  const signature = sign ? getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC}${path}`, fields) : "forged";
  return h.app.request(path, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } });
}
/** An inbound SMS; resolves once its turn is recorded (a turn slower than Twilio's patience goes on after the answer). */
async function sms(from: string, text: string, sidOverride?: string) {
  const response = await twilioPost("/webhooks/sms/twilio", {
    MessageSid: sidOverride ?? `SMin${++messageCounter}`,
    AccountSid: "AC00000000000000000000000000000000",
    From: from,
    To: "+15005550006",
    Body: text,
    NumSegments: "1",
    FromCountry: "CN",
  });
  await h.app.drainTurns();
  return response;
}

const repliesTo = async (address: string) =>
  (await h.deps.prisma.outboxMessage.findMany({ where: { channel: "sms", address: smsAddress(h.deps.pii, address) }, orderBy: { seq: "asc" } })).map((m) => (m.body as { text: string }).text);

describe("Twilio inbound", () => {
  it("refuses an unsigned or forged request and records nothing", async () => {
    const before = await h.deps.prisma.inboundReceipt.count();
    const forged = await twilioPost("/webhooks/sms/twilio", { MessageSid: "SMx", From: "+8613800000099", Body: "你好" }, { sign: false });
    expect(forged.status).toBe(403);
    // signed over another URL (not PUBLIC_BASE_URL): refused too
    const body = new URLSearchParams({ MessageSid: "SMy", From: "+8613800000099", Body: "你好" }).toString();
    const wrongUrl = await h.app.request("/webhooks/sms/twilio", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": getExpectedTwilioSignature(AUTH_TOKEN, "http://localhost/webhooks/sms/twilio", { MessageSid: "SMy", From: "+8613800000099", Body: "你好" }) },
    });
    expect(wrongUrl.status).toBe(403);
    expect(await h.deps.prisma.inboundReceipt.count()).toBe(before);
    expect(await h.deps.prisma.channelIdentity.count({ where: { address: smsAddress(h.deps.pii, "+8613800000099") } })).toBe(0);
  });

  it("answers at once with empty TwiML and queues the reply in the outbox", async () => {
    const response = await sms("+8613800000011", "你好");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/xml");
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const [reply] = await repliesTo("+8613800000011");
    expect(reply).toContain("1 找工作");
  });

  it("answers once the turn is recorded: the reply is queued by then, and a turn that fails is no 200", async () => {
    const response = await twilioPost("/webhooks/sms/twilio", { MessageSid: "SMrecorded1", From: "+8613800000018", To: "+15005550006", Body: "你好" });
    expect(response.status).toBe(200);
    // Not drained: the answer came after the record.
    expect((await repliesTo("+8613800000018")).length).toBeGreaterThan(0);

    const { pii } = h.deps;
    const sealAddress = pii.sealAddress.bind(pii);
    pii.sealAddress = () => {
      throw new Error("the turn broke before it was recorded");
    };
    const receipts = await h.deps.prisma.inboundReceipt.count();
    try {
      const failed = await twilioPost("/webhooks/sms/twilio", { MessageSid: "SMbroken1", From: "+8613800000019", To: "+15005550006", Body: "你好" });
      expect(failed.status).toBeGreaterThanOrEqual(500);
    } finally {
      pii.sealAddress = sealAddress;
    }
    expect(await h.deps.prisma.inboundReceipt.count()).toBe(receipts);
    // Sent again (Twilio's fallback, or a person trying again), the message is taken as new.
    expect((await sms("+8613800000019", "你好", "SMbroken1")).status).toBe(200);
    expect((await repliesTo("+8613800000019")).length).toBeGreaterThan(0);
  });

  it("answers a turn slower than Twilio's patience at 10 s, and records it when it finishes", async () => {
    // The turn's statements wait until released; the answer's clock is faked, not waited for.
    const { sql } = h.deps;
    const query = sql.query.bind(sql);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    sql.query = (async (...args: Parameters<typeof query>) => {
      await held;
      return query(...args);
    }) as typeof sql.query;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const answer = twilioPost("/webhooks/sms/twilio", { MessageSid: "SMslow1", From: "+8613800000017", To: "+15005550006", Body: "你好" });
      await vi.advanceTimersByTimeAsync(9_000);
      let answered = false;
      void answer.then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(0);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect((await answer).status).toBe(200);
      expect(await h.deps.prisma.inboundReceipt.count({ where: { messageId: "SMslow1" } })).toBe(0);
    } finally {
      vi.useRealTimers();
      sql.query = query;
      release();
    }
    await h.app.drainTurns();
    expect(await h.deps.prisma.inboundReceipt.count({ where: { messageId: "SMslow1" } })).toBe(1);
    expect((await repliesTo("+8613800000017")).length).toBeGreaterThan(0);
  });

  it("registers a worker by SMS without asking for the phone, every reply one SMS", async () => {
    const phone = "+8613800000012";
    const answers = ["你好", "1", "1", "陈六", "350628198506150029", "平和", "1", "1", "2", "4", "1", "2", "2500", "2", "1"];
    for (const text of answers) expect((await sms(phone, text)).status).toBe(200);
    const replies = await repliesTo(phone);
    expect(replies.join("\n")).not.toMatch(/手机号|电话号码/);
    expect(replies.at(-1) ?? "").toMatch(/登记成功|协理员/);
    for (const reply of replies) expect(reply.length, reply).toBeLessThanOrEqual(70);
    const worker = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: "陈六" } });
    expect(worker).toMatchObject({ registeredVia: "sms", sex: "female", phoneMasked: "138****0012" });
    expect(worker.homeRegionCode?.startsWith("350628")).toBe(true);
  });

  it("someone still registering who asks for 人工 reaches the coordinator of the county said so far, with the number to call back", async () => {
    const admin = (await h.operator("admin")).token;
    const created = await h.request("POST", "/api/operators", { token: admin, body: { name: "平和协理员", role: "coordinator", regionCodes: ["350628"], phone: "13900004444" } });
    expect(created.status).toBe(201);
    const phone = "+8613800000014";
    const jobs = createJobRunner({ deps: h.deps });
    // Asked first before saying where: nobody to tell yet.
    for (const text of ["你好", "1", "1", "人工"]) await sms(phone, text);
    while ((await jobs.runOnce()) > 0);
    for (const text of ["李七", "350628198506150045", "平和"]) await sms(phone, text);
    // Asked again, having named the county: the same request, now placed, and the coordinator told.
    expect((await sms(phone, "人工")).status).toBe(200);
    while ((await jobs.runOnce()) > 0);
    expect(await h.deps.prisma.planTask.count({ where: { kind: "human_request", identity: { address: smsAddress(h.deps.pii, phone) } } })).toBe(1);
    const alerts = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "sms", address: smsAddress(h.deps.pii, "+8613900004444") } });
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    // The number is in the message for the coordinator to call, and the message is sealed at rest.
    expect(JSON.stringify(alert!.body)).not.toContain("13800000014");
    expect((openBody(h.deps.pii, alert!.body) as { text: string }).text).toMatch(/^人工求助：一位还没登记完的人（平和县），电话13800000014。/);
  });

  it("runs a retried MessageSid once", async () => {
    await sms("+8613800000013", "你好", "SMretry1");
    await sms("+8613800000013", "你好", "SMretry1");
    expect(await repliesTo("+8613800000013")).toHaveLength(1);
  });

  it("stops pushes on STOP (Twilio's word) and on 退订 and TD (ours)", async () => {
    const identity = (address: string) => h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "sms", address: smsAddress(h.deps.pii, address) } } });
    for (const [i, word] of ["STOP", "退订", "TD", "unsubscribe"].entries()) {
      const phone = `+861380000002${i}`;
      await sms(phone, "你好");
      await sms(phone, word);
      expect((await identity(phone)).optedOutAt, word).not.toBeNull();
    }
    await sms("+8613800000020", "START");
    expect((await identity("+8613800000020")).optedOutAt).toBeNull();
  });
});

describe("sending and delivery status", () => {
  it("sends queued replies through Twilio's API, then follows its status callbacks forward only", async () => {
    await sms("+8613800000031", "你好");
    const dispatcher = createDispatcher({
      prisma: h.deps.prisma,
      pii: h.deps.pii,
      sql: h.deps.sql,
      channels: { sms: smsChannel.delivery(h.deps.config, h.deps.log) },
      quietHours: null,
      log: h.deps.log,
      clock: h.deps.clock,
    });
    while ((await dispatcher.runOnce()) > 0);
    const request = twilioApi.requests.find((r) => new URLSearchParams(r.body).get("To") === "+8613800000031")!;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`AC00000000000000000000000000000000:${AUTH_TOKEN}`).toString("base64")}`);
    const form = new URLSearchParams(request.body);
    expect(form.get("Body")).toContain("1 找工作");
    expect(form.get("StatusCallback")).toBe(`${PUBLIC}/webhooks/sms/twilio/status`);

    const sent = await h.deps.prisma.outboxMessage.findFirstOrThrow({ where: { address: smsAddress(h.deps.pii, "+8613800000031") } });
    expect(sent.status).toBe("sent");
    const status = (value: string) => twilioPost("/webhooks/sms/twilio/status", { MessageSid: sent.providerMessageId!, MessageStatus: value, To: "+8613800000031" });
    expect((await status("delivered")).status).toBe(200);
    expect((await status("sent")).status).toBe(200); // late, out of order
    expect((await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { id: sent.id } })).status).toBe("delivered");
    const forged = await twilioPost("/webhooks/sms/twilio/status", { MessageSid: sent.providerMessageId!, MessageStatus: "failed" }, { sign: false });
    expect(forged.status).toBe(403);
  });
});

describe("Aliyun callbacks", () => {
  const post = (secret: string, body: unknown) =>
    h.app.request(`/webhooks/sms/aliyun/${secret}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

  it("take replies and reports on the secret path only", async () => {
    const up = [{ phone_number: "13800000041", send_time: "2026-11-24 10:00:00", content: "你好", sign_name: "就业直通车", dest_code: "1234", sequence_id: 9001 }];
    expect((await post("wrong-secret-wrong-secret", up)).status).toBe(403);
    const accepted = await post(CALLBACK_SECRET, up);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ code: 0, msg: "接收成功" });
    expect((await repliesTo("+8613800000041"))[0]).toContain("1 找工作");
    await post(CALLBACK_SECRET, up); // pushed twice: one turn
    expect(await repliesTo("+8613800000041")).toHaveLength(1);

    const reply = await h.deps.prisma.outboxMessage.findFirstOrThrow({ where: { address: smsAddress(h.deps.pii, "+8613800000041") } });
    await h.deps.prisma.outboxMessage.update({ where: { id: reply.id }, data: { status: "sent", providerMessageId: "biz-1" } });
    const report = [{ phone_number: "13800000041", send_time: "2026-11-24 10:00:01", report_time: "2026-11-24 10:00:05", success: true, err_code: "DELIVERED", err_msg: "用户接收成功", sms_size: "1", biz_id: "biz-1", out_id: reply.id }];
    expect((await post(CALLBACK_SECRET, report)).status).toBe(200);
    expect((await h.deps.prisma.outboxMessage.findUniqueOrThrow({ where: { id: reply.id } })).status).toBe("delivered");
    expect((await post(CALLBACK_SECRET, { not: "a callback" })).status).toBe(400);
  });
});
