// The SMS providers' protocol layer, checked against the providers' own published vectors, the
// `twilio` package as an independent oracle, and local stand-ins for both providers' APIs.
import type { Envelope } from "../../src/delivery/sender.ts";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seededRandom } from "../support/seeded.ts";
import {
  ALIYUN_CALLBACK_ACK,
  aliyunPercentEncode,
  aliyunRpcSignature,
  aliyunStringToSign,
  createAliyunSender,
  createTwilioSender,
  emptyTwiml,
  fitsOneSms,
  parseAliyunCallback,
  parseTwilioInbound,
  parseTwilioStatus,
  smsSegments,
  SmsProtocolError,
  SmsSendError,
  twilioSignature,
  verifyTwilioRequest,
  type TwilioParams,
} from "../../bots/sms/protocol/index.ts";
import { smsChannel } from "../../bots/sms/index.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { standIn } from "../support/stand-in.ts";

// ---------------------------------------------------------------------------------------------
// Text budget

describe("smsSegments", () => {
  it("counts Chinese as UCS-2: 70 in one message, 67 per part after that", () => {
    expect(smsSegments("中".repeat(70))).toEqual({ encoding: "UCS-2", units: 70, segments: 1 });
    expect(smsSegments("中".repeat(71))).toEqual({ encoding: "UCS-2", units: 71, segments: 2 });
    expect(smsSegments("中".repeat(134)).segments).toBe(2);
    expect(smsSegments("中".repeat(135)).segments).toBe(3);
  });

  it("counts plain ASCII as GSM-7: 160 in one message, 153 per part after that", () => {
    expect(smsSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", units: 160, segments: 1 });
    expect(smsSegments("a".repeat(161))).toEqual({ encoding: "GSM-7", units: 161, segments: 2 });
    expect(smsSegments("a".repeat(306)).segments).toBe(2);
    expect(smsSegments("a".repeat(307)).segments).toBe(3);
  });

  it("counts GSM-7 extension characters twice", () => {
    expect(smsSegments("^{}\\[~]|€")).toEqual({ encoding: "GSM-7", units: 18, segments: 1 });
    expect(smsSegments("€".repeat(80)).segments).toBe(1);
    expect(smsSegments("€".repeat(81)).segments).toBe(2);
  });

  it("counts an emoji as two UTF-16 units and switches the text to UCS-2", () => {
    expect(smsSegments("😀")).toEqual({ encoding: "UCS-2", units: 2, segments: 1 });
    expect(smsSegments("a".repeat(69) + "😀")).toEqual({ encoding: "UCS-2", units: 71, segments: 2 });
    expect(smsSegments("中".repeat(68) + "😀").segments).toBe(1);
  });

  it("never splits an emoji across two parts", () => {
    // 66 units, then an emoji that would straddle the 67-unit boundary: it moves to part 2.
    const text = "中".repeat(66) + "😀" + "中".repeat(66);
    expect(smsSegments(text).units).toBe(134);
    expect(smsSegments(text).segments).toBe(3);
  });

  it("treats a character outside GSM 03.38 (a curly quote) as UCS-2", () => {
    expect(smsSegments("It’s").encoding).toBe("UCS-2");
    expect(smsSegments("It's").encoding).toBe("GSM-7");
  });

  it("counts the provider's 【签名】 toward the budget", () => {
    const text = "中".repeat(64);
    expect(fitsOneSms(text)).toBe(true);
    // 【就业直通车】 is 7 units: 7 + 64 = 71, one too many
    expect(smsSegments("【就业直通车】" + text).units).toBe(71);
    expect(fitsOneSms(text, "就业直通车")).toBe(false);
    expect(fitsOneSms(text, "【就业直通车】")).toBe(false);
    expect(fitsOneSms("中".repeat(63), "就业直通车")).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Twilio signatures

const EXAMPLE_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";

describe("twilioSignature", () => {
  it("reproduces the example on Twilio's webhook security page", () => {
    // twilio.com/docs/usage/webhooks/webhooks-security: token 12345, Caller/From +12349013030.
    const params = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
    expect(twilioSignature("12345", EXAMPLE_URL, params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });

  // RSOYDt4T1cUTdK1PDd93/VVr8B8= is the vector of Twilio's helper libraries' tests
  // (twilio-php RequestValidatorTest, twilio-csharp RequestValidatorTest): same URL and token,
  // but Caller/From +14158675309. With +12349013030 it does not hold (see the test above).
  const LIBRARY_PARAMS = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };

  it("reproduces the vectors of Twilio's helper-library tests", () => {
    expect(twilioSignature("12345", EXAMPLE_URL, LIBRARY_PARAMS)).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    // a repeated field: each distinct value, sorted
    expect(twilioSignature("12345", EXAMPLE_URL, { Sid: "CA123", SidAccount: "AC123", Digits: ["5678", "1234", "1234"] })).toBe(
      "IK+Dwps556ElfBT0I3Rgjkr1wJU=",
    );
  });

  it("accepts the URL with or without its port, as Twilio's libraries do (their port vectors)", () => {
    const verify = (url: string, signature: string) => verifyTwilioRequest({ authToken: "12345", url, params: LIBRARY_PARAMS, signature });
    expect(verify("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")).toBe(true);
    expect(verify("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")).toBe(true);
    expect(verify(EXAMPLE_URL, "kvajT1Ptam85bY51eRf/AJRuM3w=")).toBe(true); // signed with :443
    expect(verify("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")).toBe(true); // with :80
    expect(verify("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=")).toBe(true);
    expect(verify("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")).toBe(true);
  });
});

/** A small seeded generator: the same "random" cases on every run. */
function seededCases(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const KNOWN_FIELDS = ["MessageSid", "SmsSid", "SmsMessageSid", "AccountSid", "MessagingServiceSid", "From", "To", "Body", "NumMedia", "NumSegments", "FromCountry", "FromCity", "ToCountry", "ApiVersion", "OptOutType"];
const PIECES = ["你好", "我想找工作", "退订", "福建", "😀", "👍🏽", " ", "+", "&", "=", "%20", "?", "#", "a", "Z", "9", "é", "\n", "'", "\"", "<>", "STOP", "云霄县"];

function randomParams(random: ReturnType<typeof seededCases>): Record<string, string> {
  const params: Record<string, string> = {};
  const value = () => Array.from({ length: random.int(8) }, () => random.pick(PIECES)).join("");
  for (const name of KNOWN_FIELDS) if (random.next() < 0.7) params[name] = value();
  params.Body = Array.from({ length: 1 + random.int(40) }, () => random.pick(PIECES)).join(""); // Chinese bodies mostly
  // fields Twilio may add some day: any name, any case
  for (let i = random.int(4); i > 0; i--) params[`X${random.pick(["New", "future_", "a", "Z"])}${random.int(1000)}`] = value();
  return params;
}

function randomUrl(random: ReturnType<typeof seededCases>): string {
  const host = random.pick(["https://zt.example.cn", "https://zt.example.cn:8443", "http://127.0.0.1:3000"]);
  const query = random.next() < 0.5 ? "" : `?secret=${random.int(1e6)}&k=${encodeURIComponent(random.pick(PIECES))}`;
  return `${host}/channels/sms/twilio${query}`;
}

describe("twilioSignature against the twilio package", () => {
  it("signs exactly as getExpectedTwilioSignature over 300 random requests", () => {
    const random = seededCases(20240501);
    for (let i = 0; i < 300; i++) {
      const token = `tok${random.int(1e9)}`;
      const url = randomUrl(random);
      const params = randomParams(random);
      expect(twilioSignature(token, url, params)).toBe(getExpectedTwilioSignature(token, url, params));
    }
  });

  it("verifies what the twilio package validates, and refuses a changed field, a missing field, a different URL", () => {
    const random = seededCases(7);
    for (let i = 0; i < 300; i++) {
      const authToken = `tok${random.int(1e9)}`;
      const url = randomUrl(random);
      const params = randomParams(random);
      const signature = getExpectedTwilioSignature(authToken, url, params);
      expect(validateRequest(authToken, signature, url, params)).toBe(true);
      expect(verifyTwilioRequest({ authToken, url, params, signature })).toBe(true);

      const changed = { ...params, Body: `${params.Body}。` };
      const { Body: _missing, ...withoutBody } = params;
      const extra = { ...params, Injected: "1" };
      const otherUrl = url.replace("/twilio", "/twilio2");
      for (const [u, p] of [[url, changed], [url, withoutBody], [url, extra], [otherUrl, params]] as const) {
        expect(verifyTwilioRequest({ authToken, url: u, params: p, signature })).toBe(false);
        expect(validateRequest(authToken, signature, u, p)).toBe(false);
      }
      expect(verifyTwilioRequest({ authToken: `${authToken}x`, url, params, signature })).toBe(false);
    }
  });

  it("never throws: missing header, empty token, odd inputs are simply invalid", () => {
    const params = { Body: "hi" };
    const signature = twilioSignature("t", EXAMPLE_URL, params);
    expect(verifyTwilioRequest({ authToken: "t", url: EXAMPLE_URL, params, signature: undefined })).toBe(false);
    expect(verifyTwilioRequest({ authToken: "t", url: EXAMPLE_URL, params, signature: null })).toBe(false);
    expect(verifyTwilioRequest({ authToken: "t", url: EXAMPLE_URL, params, signature: "" })).toBe(false);
    expect(verifyTwilioRequest({ authToken: "t", url: EXAMPLE_URL, params, signature: `${signature}=` })).toBe(false);
    expect(verifyTwilioRequest({ authToken: "t", url: EXAMPLE_URL, params, signature: "王".repeat(28) })).toBe(false);
    // an empty token would let anyone compute a valid signature
    const emptyTokenSignature = twilioSignature("", EXAMPLE_URL, params);
    expect(verifyTwilioRequest({ authToken: "", url: EXAMPLE_URL, params, signature: emptyTokenSignature })).toBe(false);
    const odd = [null, undefined, 42, { Body: 1 }, { Body: { nested: true } }] as unknown as TwilioParams[];
    for (const p of odd) expect(() => verifyTwilioRequest({ authToken: "t", url: EXAMPLE_URL, params: p, signature })).not.toThrow();
    expect(verifyTwilioRequest({ authToken: "t", url: undefined as unknown as string, params, signature })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Twilio webhooks

describe("parseTwilioInbound", () => {
  const inbound = { MessageSid: "SM0123", SmsSid: "SM0123", AccountSid: "AC1", From: "+8613800138000", To: "+15005550006", Body: "我想找工作", NumMedia: "0", SomethingNew: "x" };

  it("reads the message fields and ignores the rest", () => {
    expect(parseTwilioInbound(inbound)).toEqual({ messageSid: "SM0123", from: "+8613800138000", to: "+15005550006", body: "我想找工作" });
  });

  it("reports Twilio's opt-out handling: its OptOutType field, else its default keywords", () => {
    expect(parseTwilioInbound({ ...inbound, Body: "stop", OptOutType: "STOP" }).optOutType).toBe("STOP");
    expect(parseTwilioInbound({ ...inbound, Body: "Arrêtez", OptOutType: "STOP" }).optOutType).toBe("STOP"); // custom keyword
    for (const word of ["STOP", "stopall", " Unsubscribe ", "cancel", "END", "quit"]) expect(parseTwilioInbound({ ...inbound, Body: word }).optOutType).toBe("STOP");
    for (const word of ["START", "yes", "Unstop"]) expect(parseTwilioInbound({ ...inbound, Body: word }).optOutType).toBe("START");
    for (const word of ["HELP", "info"]) expect(parseTwilioInbound({ ...inbound, Body: word }).optOutType).toBe("HELP");
    expect(parseTwilioInbound({ ...inbound, Body: "please stop" }).optOutType).toBeUndefined();
    expect(parseTwilioInbound({ ...inbound, Body: "退订" }).optOutType).toBeUndefined(); // the engine's word, not Twilio's
  });

  it("accepts an empty body (a picture-only message) but not a missing one", () => {
    expect(parseTwilioInbound({ ...inbound, Body: "", NumMedia: "1" }).body).toBe("");
    for (const field of ["MessageSid", "From", "Body"]) {
      const { [field]: _gone, ...rest } = inbound as Record<string, string>;
      expect(() => parseTwilioInbound(rest)).toThrow(SmsProtocolError);
    }
    // an empty id would make every such message look like a retry of the first (found by fuzzing)
    expect(() => parseTwilioInbound({ ...inbound, MessageSid: "" })).toThrow(SmsProtocolError);
    expect(() => parseTwilioInbound({ ...inbound, From: " " })).toThrow(SmsProtocolError);
  });
});

describe("parseTwilioStatus", () => {
  it("reads status callbacks, with the error code when there is one", () => {
    expect(parseTwilioStatus({ MessageSid: "SM1", MessageStatus: "delivered", SmsStatus: "delivered", To: "+8613800138000" })).toEqual({
      messageSid: "SM1",
      status: "delivered",
      to: "+8613800138000",
    });
    expect(parseTwilioStatus({ MessageSid: "SM1", MessageStatus: "undelivered", ErrorCode: "30003" })).toMatchObject({ status: "undelivered", errorCode: "30003" });
    expect(parseTwilioStatus({ MessageSid: "SM1", MessageStatus: "sent", ErrorCode: "" }).errorCode).toBeUndefined();
    expect(parseTwilioStatus({ MessageSid: "SM1", MessageStatus: "partially_delivered" }).status).toBe("partially_delivered");
    expect(() => parseTwilioStatus({ MessageStatus: "sent" })).toThrow(SmsProtocolError);
    expect(() => parseTwilioStatus({ MessageSid: "SM1" })).toThrow(SmsProtocolError);
  });

  it("answers inbound webhooks with empty TwiML", () => {
    expect(emptyTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
});

// ---------------------------------------------------------------------------------------------
// A local stand-in for a provider's API

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}
type Reply = (request: Recorded, res: ServerResponse) => void;

class StandIn {
  requests: Recorded[] = [];
  reply: Reply = (_req, res) => res.writeHead(500).end();
  private server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      this.requests.push(recorded);
      this.reply(recorded, res);
    });
  });
  url = "";

  async start() {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
  reset() {
    this.requests = [];
  }
  get last(): Recorded {
    const request = this.requests.at(-1);
    if (!request) throw new Error("no request reached the stand-in");
    return request;
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) =>
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
const hang: Reply = () => {}; // never answers: the sender's deadline must end it

async function sendError(promise: Promise<unknown>): Promise<SmsSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsSendError);
  return error as SmsSendError;
}

/** A port nothing listens on: connection refused. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Twilio sender

describe("createTwilioSender", () => {
  const twilio = new StandIn();
  beforeAll(() => twilio.start());
  afterAll(() => twilio.stop());
  beforeEach(() => twilio.reset());

  const sender = (overrides: { timeoutMs?: number; apiUrl?: string; from?: string } = {}) =>
    createTwilioSender({ accountSid: "AC0123456789", authToken: "s3cret", from: "+15005550006", apiUrl: twilio.url, timeoutMs: 2000, ...overrides });

  it("POSTs the form to Messages.json with Basic auth and returns the sid", async () => {
    twilio.reply = json(201, { sid: "SM9f2c", status: "queued" });
    const result = await sender().send({ to: "+8613800138000", body: "您好，岗位：福州 普工 4500元。回1报名", statusCallback: "https://zt.example.cn/sms/status" });
    expect(result).toEqual({ providerMessageId: "SM9f2c" });
    const request = twilio.last;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/2010-04-01/Accounts/AC0123456789/Messages.json");
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from("AC0123456789:s3cret").toString("base64")}`);
    expect(request.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      To: "+8613800138000",
      From: "+15005550006",
      Body: "您好，岗位：福州 普工 4500元。回1报名",
      StatusCallback: "https://zt.example.cn/sms/status",
    });
  });

  it("leaves StatusCallback out when none is given, and sends from a Messaging Service when from is MG…", async () => {
    twilio.reply = json(201, { sid: "SM1" });
    await sender({ from: "MG0123" }).send({ to: "+15005550009", body: "hi" });
    expect(Object.fromEntries(new URLSearchParams(twilio.last.body))).toEqual({ To: "+15005550009", MessagingServiceSid: "MG0123", Body: "hi" });
  });

  it("treats 429 and 5xx as retryable", async () => {
    twilio.reply = json(429, { code: 20429, message: "Too Many Requests", status: 429 }, { "retry-after": "3" });
    const throttled = await sendError(sender().send({ to: "+15005550009", body: "hi" }));
    expect(throttled).toMatchObject({ retryable: true, optedOut: false, status: 429, code: "20429", retryAfterSeconds: 3 });

    twilio.reply = (_req, res) => res.writeHead(500, { "content-type": "text/html" }).end("<html>oops</html>");
    expect(await sendError(sender().send({ to: "+15005550009", body: "hi" }))).toMatchObject({ retryable: true, status: 500 });
    twilio.reply = json(503, { code: 20503, message: "Service Unavailable" });
    expect(await sendError(sender().send({ to: "+15005550009", body: "hi" }))).toMatchObject({ retryable: true, status: 503 });
  });

  it("treats a timeout and a network error as retryable (a timeout may have sent the message)", async () => {
    twilio.reply = hang;
    const started = Date.now();
    const timedOut = await sendError(sender({ timeoutMs: 200 }).send({ to: "+15005550009", body: "hi" }));
    // The 200 ms timeout ended the wait, not the hang (which never answers): generous for a busy machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(timedOut).toMatchObject({ retryable: true, code: "TIMEOUT", outcomeUnknown: true });

    const refused = await sendError(sender({ apiUrl: await closedPortUrl() }).send({ to: "+15005550009", body: "hi" }));
    expect(refused).toMatchObject({ retryable: true, code: "ECONNREFUSED", outcomeUnknown: false });
  });

  it("marks 21610 (the recipient sent STOP) as opted out and not retryable; other 4xx are not retryable", async () => {
    twilio.reply = json(400, { code: 21610, message: "Attempt to send to unsubscribed recipient", more_info: "https://www.twilio.com/docs/errors/21610", status: 400 });
    expect(await sendError(sender().send({ to: "+15005550009", body: "hi" }))).toMatchObject({ retryable: false, optedOut: true, code: "21610", status: 400 });

    twilio.reply = json(400, { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 });
    expect(await sendError(sender().send({ to: "+1", body: "hi" }))).toMatchObject({ retryable: false, optedOut: false, code: "21211" });
    twilio.reply = json(401, { code: 20003, message: "Authenticate", status: 401 });
    expect(await sendError(sender().send({ to: "+15005550009", body: "hi" }))).toMatchObject({ retryable: false, status: 401 });
  });

  it("does not retry a 2xx it cannot read: the message may exist already", async () => {
    twilio.reply = (_req, res) => res.writeHead(201).end("not json");
    expect(await sendError(sender().send({ to: "+15005550009", body: "hi" }))).toMatchObject({ retryable: false, outcomeUnknown: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Aliyun signature

describe("aliyunRpcSignature", () => {
  it("reproduces the worked example of Aliyun's RPC signature documentation (DescribeRegions)", () => {
    // Aliyun's "signature method" pages (ECS, SLB, CAS …): AccessKeySecret testsecret, key testsecret&.
    const params = {
      AccessKeyId: "testid",
      Action: "DescribeRegions",
      Format: "XML",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
      SignatureVersion: "1.0",
      TimeStamp: "2016-02-23T12:46:24Z", // spelled TimeStamp in that example
      Version: "2014-05-26",
    };
    expect(aliyunStringToSign("GET", params)).toBe(
      "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
    );
    expect(aliyunRpcSignature("testsecret", "GET", params)).toBe("CT9X0VtwR86fNWSnsc6v8YGOjuE=");
  });

  it("reproduces the SendSms example of the SMS documentation (HTTP协议及签名), Chinese SignName included", () => {
    // help.aliyun.com 短信服务 签名机制: AccessKeyId testId, AccessKeySecret testSecret (capital S).
    const params = {
      AccessKeyId: "testId",
      Action: "SendSms",
      Format: "XML",
      OutId: "123",
      PhoneNumbers: "15300000001",
      RegionId: "cn-hangzhou",
      SignName: "阿里云短信测试专用",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
      SignatureVersion: "1.0",
      TemplateCode: "SMS_71390007",
      TemplateParam: '{"customer":"test"}',
      Timestamp: "2017-07-12T02:42:19Z",
      Version: "2017-05-25",
    };
    expect(aliyunStringToSign("GET", params)).toBe(
      "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
    );
    expect(aliyunRpcSignature("testSecret", "GET", params)).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
    // the Signature parameter itself never takes part
    expect(aliyunRpcSignature("testSecret", "GET", { ...params, Signature: "anything" })).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("percent-encodes by RFC 3986: space %20, * %2A, ~ kept, !'() encoded", () => {
    expect(aliyunPercentEncode("a b*c~d")).toBe("a%20b%2Ac~d");
    expect(aliyunPercentEncode("!'()")).toBe("%21%27%28%29");
    expect(aliyunPercentEncode("-_.~AZaz09")).toBe("-_.~AZaz09");
    expect(aliyunPercentEncode("+/=&")).toBe("%2B%2F%3D%26");
    expect(aliyunPercentEncode("派")).toBe("%E6%B4%BE");
  });
});

// ---------------------------------------------------------------------------------------------
// Aliyun sender

describe("createAliyunSender", () => {
  const aliyun = new StandIn();
  beforeAll(() => aliyun.start());
  afterAll(() => aliyun.stop());
  beforeEach(() => aliyun.reset());

  const SECRET = "aliyun-secret";
  let nonces = 0;
  const sender = (overrides: { endpoint?: string; timeoutMs?: number } = {}) =>
    createAliyunSender({
      accessKeyId: "LTAI-test",
      accessKeySecret: SECRET,
      signName: "就业直通车",
      endpoint: aliyun.url,
      now: () => new Date("2024-05-01T08:00:00.123Z"),
      nonce: () => `nonce-${++nonces}`,
      timeoutMs: 2000,
      ...overrides,
    });
  const message = { to: "+8613800138000", templateCode: "SMS_123456", templateParam: { job: "普工 (福州)", pay: "4500*" }, outId: "outbox-42" };
  const received = () => Object.fromEntries(new URLSearchParams(aliyun.last.body));

  it("POSTs SendSms with every common parameter, signed so that the signature verifies, and returns the BizId", async () => {
    aliyun.reply = json(200, { Code: "OK", Message: "OK", BizId: "900619746936498440^0", RequestId: "F655A8D5-B967-440B-8683-DAD6FF8DE990" });
    expect(await sender().send(message)).toEqual({ providerMessageId: "900619746936498440^0" });

    const request = aliyun.last;
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/");
    expect(request.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    const params = received();
    expect(params).toEqual({
      AccessKeyId: "LTAI-test",
      Action: "SendSms",
      Format: "JSON",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: expect.stringMatching(/^nonce-\d+$/),
      SignatureVersion: "1.0",
      Timestamp: "2024-05-01T08:00:00Z",
      Version: "2017-05-25",
      PhoneNumbers: "13800138000",
      SignName: "就业直通车",
      TemplateCode: "SMS_123456",
      TemplateParam: '{"job":"普工 (福州)","pay":"4500*"}',
      OutId: "outbox-42",
      Signature: expect.any(String),
    });
    expect(params.Signature).toBe(aliyunRpcSignature(SECRET, "POST", params));
    expect(params.Signature).not.toBe(aliyunRpcSignature("other-secret", "POST", params));
    // RFC 3986 on the wire too: no '+' for spaces, '*' and '(' encoded
    expect(request.body).toContain("%20");
    expect(request.body).not.toMatch(/[+*()]/);
  });

  it("uses a fresh nonce on every request and strips +86 / 0086", async () => {
    aliyun.reply = json(200, { Code: "OK", BizId: "1^0" });
    await sender().send({ ...message, to: "008613900139000" });
    const first = received();
    await sender().send({ ...message, to: "13900139000" });
    const second = received();
    expect(first.PhoneNumbers).toBe("13900139000");
    expect(second.PhoneNumbers).toBe("13900139000");
    expect(first.SignatureNonce).not.toBe(second.SignatureNonce);
  });

  it("refuses a number that is not a mainland mobile without calling Aliyun", async () => {
    expect(await sendError(sender().send({ ...message, to: "+15005550006" }))).toMatchObject({ retryable: false, code: "INVALID_NUMBER" });
    expect(aliyun.requests).toHaveLength(0);
  });

  const cases: Array<[string, Reply, Partial<SmsSendError>]> = [
    ["minute-level flow control: retry in a minute", json(200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控Permits:1" }), { retryable: true, retryAfterSeconds: 60 }],
    ["hour-level flow control: not today's reply", json(200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发小时级流控Permits:5" }), { retryable: false }],
    ["day-level flow control", json(200, { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发天级流控Permits:10" }), { retryable: false }],
    ["account daily cap", json(200, { Code: "isv.DAY_LIMIT_CONTROL", Message: "触发日发送限额" }), { retryable: false }],
    ["bad number", json(200, { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "非法手机号" }), { retryable: false }],
    ["no balance", json(200, { Code: "isv.AMOUNT_NOT_ENOUGH", Message: "账户余额不足" }), { retryable: false }],
    ["bad signature", json(400, { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation." }), { retryable: false, status: 400 }],
    ["API throttling", json(400, { Code: "Throttling.User", Message: "Request was denied due to user flow control." }), { retryable: true }],
    ["platform error", json(200, { Code: "isp.SYSTEM_ERROR", Message: "请重试接口调用" }), { retryable: true }],
    ["gateway 503", (_req, res) => res.writeHead(503, { "content-type": "text/html" }).end("<html>busy</html>"), { retryable: true, status: 503 }],
    ["unreadable 200", (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>?</html>"), { retryable: false, outcomeUnknown: true }],
    ["OK without BizId", json(200, { Code: "OK", Message: "OK" }), { retryable: false, outcomeUnknown: true }],
  ];
  it.each(cases)("maps %s", async (_name, reply, expected) => {
    aliyun.reply = reply;
    const error = await sendError(sender().send(message));
    expect(error).toMatchObject({ provider: "aliyun", optedOut: false, ...expected });
  });

  it("treats a timeout and a refused connection as retryable", async () => {
    aliyun.reply = hang;
    expect(await sendError(sender({ timeoutMs: 200 }).send(message))).toMatchObject({ retryable: true, code: "TIMEOUT", outcomeUnknown: true });
    expect(await sendError(sender({ endpoint: await closedPortUrl() }).send(message))).toMatchObject({ retryable: true, outcomeUnknown: false });
  });
});

// ---------------------------------------------------------------------------------------------
// Aliyun callbacks

describe("parseAliyunCallback", () => {
  it("parses SmsUp (a reply), as in Aliyun's documentation", () => {
    const body = [{ phone_number: "13800138000", send_time: "2017-09-01 00:00:00", content: "退订", sign_name: "就业直通车", dest_code: "1234", sequence_id: 1234567890 }];
    expect(parseAliyunCallback(body)).toEqual([
      {
        kind: "SmsUp",
        phoneNumber: "13800138000",
        e164: "+8613800138000",
        sendTime: "2017-09-01 00:00:00",
        sentAt: new Date("2017-08-31T16:00:00Z"), // Beijing time
        content: "退订",
        signName: "就业直通车",
        destCode: "1234",
        sequenceId: "1234567890",
      },
    ]);
  });

  it("parses SmsReport batches (delivered and failed), ignoring fields it does not know", () => {
    const body = JSON.stringify([
      { phone_number: "13800138000", send_time: "2017-01-01 00:00:00", report_time: "2017-01-01 00:00:05", success: true, err_code: "DELIVERED", err_msg: "用户接收成功", sms_size: "1", biz_id: "12345", out_id: "67890", template_code: "SMS_1" },
      { phone_number: "1381111****", send_time: "2017-01-01 00:00:00", report_time: "2017-01-01 00:01:00", success: false, err_code: "MK:0001", err_msg: "", sms_size: "2", biz_id: "12346", out_id: "" },
    ]);
    const [delivered, failed] = parseAliyunCallback(body);
    expect(delivered).toEqual({
      kind: "SmsReport",
      phoneNumber: "13800138000",
      e164: "+8613800138000",
      sendTime: "2017-01-01 00:00:00",
      sentAt: new Date("2016-12-31T16:00:00Z"),
      reportTime: "2017-01-01 00:00:05",
      reportedAt: new Date("2016-12-31T16:00:05Z"),
      success: true,
      errCode: "DELIVERED",
      errMsg: "用户接收成功",
      smsSize: 1,
      bizId: "12345",
      outId: "67890",
    });
    expect(failed).toMatchObject({ kind: "SmsReport", phoneNumber: "1381111****", success: false, errCode: "MK:0001", smsSize: 2, bizId: "12346" });
    expect(failed).not.toHaveProperty("e164");
    expect(failed).not.toHaveProperty("outId");
  });

  it("refuses anything else", () => {
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      "not json",
      "{}",
      {},
      { phone_number: "13800138000" },
      [1],
      [{}],
      [{ phone_number: "13800138000", content: "hi" }],
      [{ phone_number: "13800138000", send_time: "x", report_time: "y", success: "maybe", err_code: "DELIVERED", biz_id: "1" }],
    ];
    for (const body of garbage) expect(() => parseAliyunCallback(body), JSON.stringify(body)).toThrow(SmsProtocolError);
  });

  it("acknowledges as Aliyun's documentation shows (only the numeric code is checked)", () => {
    expect(ALIYUN_CALLBACK_ACK).toEqual({ code: 0, msg: "接收成功" });
  });
});

describe("the SMS channel's templates on Aliyun", () => {
  it("sends a notice on its own approved template with its parameters, anything else on the generic one", async () => {
    const provider = await standIn(() => ({ json: { Code: "OK", BizId: "77^0" } }));
    try {
      const config = loadConfig({
        ALIYUN_SMS_ACCESS_KEY_ID: "LTAI-test",
        ALIYUN_SMS_ACCESS_KEY_SECRET: "aliyun-secret",
        ALIYUN_SMS_SIGN_NAME: "就业直通车",
        ALIYUN_SMS_ENDPOINT: provider.url,
        ALIYUN_SMS_TEMPLATE_CODE: "SMS_GENERIC",
        ALIYUN_SMS_TEMPLATES: '{"job_push":"SMS_JOB_PUSH"}',
      });
      const { sender } = smsChannel.delivery(config, createLogger({ level: "silent" }));
      const outbox = (id: string, body: Envelope["body"]): Envelope => ({ id, channel: "sms", to: "+8613800138000", purpose: "push", body });
      const params = { job: "保洁员", place: "云霄县莆美镇", pay: "2500-3000元/月", reason: "就在本乡镇" };
      await sender.send(outbox("p1", { text: "保洁员，云霄县莆美镇。回复1报名", template: "job_push", params }));
      await sender.send(outbox("p2", { text: "春风行动招聘会12月5日", template: "campaign", params: { name: "春风行动" } }));
      const sent = provider.requests.map((request) => Object.fromEntries(new URLSearchParams(request.body)));
      expect(sent.map((form) => [form.TemplateCode, JSON.parse(form.TemplateParam!)])).toEqual([
        ["SMS_JOB_PUSH", params],
        ["SMS_GENERIC", { content: "春风行动招聘会12月5日" }],
      ]);
    } finally {
      await provider.close();
    }
  });

  it("refuses a template map that is not a JSON object of ids, naming the variable", () => {
    expect(() => loadConfig({ ALIYUN_SMS_TEMPLATES: "job_push=SMS_1" })).toThrow(/ALIYUN_SMS_TEMPLATES: expected a JSON object of template names to template ids/);
    expect(() => loadConfig({ WECHAT_TEMPLATES: '{"job_push": 5}' })).toThrow(/WECHAT_TEMPLATES/);
  });
});
