// Aliyun SMS (dysmsapi, version 2017-05-25, RPC style): the signature method v1 (HMAC-SHA1),
// SendSms, and the JSON arrays Aliyun pushes for replies (SmsUp) and delivery reports (SmsReport).
// The signature is checked against both worked examples in Aliyun's documentation (see the tests).
import { createHmac, randomUUID } from "node:crypto";
import { z } from "zod";
import { normalizeMobile } from "../../../src/shared/identifiers.ts";
import { SmsProtocolError, SmsSendError } from "./errors.ts";
import { DEFAULT_SEND_TIMEOUT_MS, isTransientStatus, parseJsonObject, postForm, type FetchLike, type SmsSender } from "./http.ts";

// ---------------------------------------------------------------------------------------------
// Signature method v1

/**
 * RFC 3986 percent-encoding: only A–Z a–z 0–9 - _ . ~ stay as they are, a space is %20 (never +).
 * encodeURIComponent leaves ! ' ( ) * alone, so those are encoded by hand.
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Sorted `name=value` pairs, both encoded, joined by &; the Signature parameter never signs itself. */
export function aliyunCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((name) => name !== "Signature")
    .sort()
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name]!)}`)
    .join("&");
}

/** METHOD & encode("/") & encode(canonical query). */
export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  return `${method.toUpperCase()}&${aliyunPercentEncode("/")}&${aliyunPercentEncode(aliyunCanonicalQuery(params))}`;
}

/** base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)). */
export function aliyunRpcSignature(accessKeySecret: string, method: string, params: Record<string, string>): string {
  return createHmac("sha1", `${accessKeySecret}&`).update(aliyunStringToSign(method, params), "utf8").digest("base64");
}

// ---------------------------------------------------------------------------------------------
// SendSms

export interface AliyunSenderOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** the approved signature name, without 【】 */
  signName: string;
  /** ALIYUN_SMS_ENDPOINT: https://dysmsapi.aliyuncs.com, or a stand-in */
  endpoint: string;
  fetch?: FetchLike;
  /** clock for the Timestamp parameter (Aliyun refuses requests more than 15 min off) */
  now?: () => Date;
  /** SignatureNonce source: must differ on every request, a reused nonce is refused as a replay */
  nonce?: () => string;
  timeoutMs?: number;
}

export interface AliyunMessageToSend {
  /** a mainland mobile: +86…, 0086… or the bare 11 digits */
  to: string;
  /** an approved template (SMS_…): Aliyun sends no free text on mainland routes */
  templateCode: string;
  templateParam: Record<string, string>;
  /** our id for the message; delivery reports carry it back as out_id */
  outId: string;
}

export function createAliyunSender(options: AliyunSenderOptions): SmsSender<AliyunMessageToSend> {
  const url = `${options.endpoint.replace(/\/+$/, "")}/`;
  const now = options.now ?? (() => new Date());
  const nonce = options.nonce ?? randomUUID;

  return {
    async send(message) {
      const params = sendSmsParams(options, message, now(), nonce());
      params.Signature = aliyunRpcSignature(options.accessKeySecret, "POST", params);
      // The body is the canonical form itself, byte for byte what was signed (as Aliyun's SDK does).
      const body = Object.keys(params)
        .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name]!)}`)
        .join("&");
      const answer = await postForm({
        provider: "aliyun",
        url,
        form: body,
        timeoutMs: options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
        fetch: options.fetch ?? fetch,
      });
      return { providerMessageId: bizIdFrom(answer.status, answer.body, answer.retryAfterSeconds) };
    },
  };
}

function sendSmsParams(options: AliyunSenderOptions, message: AliyunMessageToSend, at: Date, signatureNonce: string): Record<string, string> {
  return {
    // common parameters
    AccessKeyId: options.accessKeyId,
    Action: "SendSms",
    Format: "JSON",
    SignatureMethod: "HMAC-SHA1",
    SignatureNonce: signatureNonce,
    SignatureVersion: "1.0",
    Timestamp: aliyunTimestamp(at),
    Version: "2017-05-25",
    // SendSms
    PhoneNumbers: mainlandNumber(message.to),
    SignName: options.signName,
    TemplateCode: message.templateCode,
    TemplateParam: JSON.stringify(message.templateParam),
    OutId: message.outId,
  };
}

/** ISO 8601 UTC without milliseconds: yyyy-MM-ddTHH:mm:ssZ. */
export function aliyunTimestamp(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** PhoneNumbers takes the 11 digits; a number that is not a mainland mobile cannot be sent to. */
function mainlandNumber(to: string): string {
  const e164 = normalizeMobile(to);
  if (e164 === null) {
    // The number stays out of the message: errors end up in logs.
    throw new SmsSendError("aliyun: the recipient is not a mainland mobile number", { provider: "aliyun", retryable: false, code: "INVALID_NUMBER" });
  }
  return e164.slice("+86".length);
}

/** Aliyun's answer: { Code: "OK", BizId, RequestId, Message } on success, { Code, Message } otherwise. */
function bizIdFrom(status: number, body: string, retryAfterSeconds: number | undefined): string {
  const json = parseJsonObject(body);
  const code = typeof json?.Code === "string" ? json.Code : undefined;
  const detail = typeof json?.Message === "string" ? json.Message : "";
  const answeredOk = status >= 200 && status < 300;
  if (answeredOk && code === "OK" && typeof json?.BizId === "string" && json.BizId !== "") return json.BizId;
  if (answeredOk && (code === undefined || code === "OK")) {
    // Aliyun answered but we cannot read the outcome: the message may be on its way.
    throw new SmsSendError(`aliyun: HTTP ${status} without a readable result`, { provider: "aliyun", retryable: false, outcomeUnknown: true, status });
  }
  const decision = code === undefined ? { retryable: isTransientStatus(status) } : aliyunCodeRetry(code, detail, status);
  const waitSeconds = decision.retryAfterSeconds ?? retryAfterSeconds;
  throw new SmsSendError(`aliyun: ${code ?? `HTTP ${status}`}${detail ? `: ${detail}` : ""}`, {
    provider: "aliyun",
    status,
    retryable: decision.retryable,
    ...(code ? { code } : {}),
    ...(waitSeconds !== undefined ? { retryAfterSeconds: waitSeconds } : {}),
  });
}

interface RetryDecision {
  retryable: boolean;
  retryAfterSeconds?: number;
}

/** Aliyun's platform and gateway codes that mean "not now", not "not this message". */
const TRANSIENT_ALIYUN_CODES = new Set(["isp.SYSTEM_ERROR", "ServiceUnavailable", "InternalError", "SignatureNonceUsed"]);

/**
 * Which refusals to try again. isv.BUSINESS_LIMIT_CONTROL is the per-number flow control; its
 * message says the window: minute-level (分钟级) passes in a minute, so it is retried after 60 s;
 * hour- and day-level (小时级, 天级: 50 notices per signature and template a day) would deliver a
 * conversation reply hours late or tomorrow, so they fail for good, like the account-wide daily and
 * monthly caps (isv.DAY_LIMIT_CONTROL, isv.MONTH_LIMIT_CONTROL), balance, template, signature and
 * number errors.
 */
export function aliyunCodeRetry(code: string, message: string, status: number): RetryDecision {
  if (code === "isv.BUSINESS_LIMIT_CONTROL") return /分钟/.test(message) ? { retryable: true, retryAfterSeconds: 60 } : { retryable: false };
  if (TRANSIENT_ALIYUN_CODES.has(code) || code.startsWith("Throttling")) return { retryable: true };
  // Other codes name a problem with the message, the account or the request: sending the same
  // again cannot help, unless Aliyun itself failed (5xx).
  return { retryable: isTransientStatus(status) };
}

// ---------------------------------------------------------------------------------------------
// Pushed callbacks (HTTP batch push): JSON arrays, no signature (protect the route with a secret
// path and an address allowlist)

/** What Aliyun expects back; it checks only that `code` is a number (HTTP 200, else it retries). */
export const ALIYUN_CALLBACK_ACK = { code: 0, msg: "接收成功" } as const;

export interface AliyunSmsUp {
  kind: "SmsUp";
  /** as Aliyun sends it: 11 digits, no +86 */
  phoneNumber: string;
  /** +86…, when phoneNumber is a mainland mobile */
  e164?: string;
  /** Beijing time, "yyyy-MM-dd HH:mm:ss" */
  sendTime: string;
  sentAt?: Date;
  content: string;
  signName: string;
  destCode: string;
  /** unique per reply: the deduplication key */
  sequenceId: string;
}

export interface AliyunSmsReport {
  kind: "SmsReport";
  phoneNumber: string;
  e164?: string;
  sendTime: string;
  sentAt?: Date;
  reportTime: string;
  reportedAt?: Date;
  success: boolean;
  /** DELIVERED on success, else the operator's code (e.g. MK:0001, IC:0015) */
  errCode: string;
  errMsg: string;
  /** parts billed */
  smsSize: number;
  /** SendSms's BizId */
  bizId: string;
  /** our OutId, when the send set one */
  outId?: string;
}

export type AliyunCallbackItem = AliyunSmsUp | AliyunSmsReport;

// Aliyun documents strings and numbers but is not always consistent (sequence_id is a number,
// sms_size a string): accept either and keep a string.
const text = z.union([z.string(), z.number()]).transform(String);
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

const smsReportSchema = z
  .object({
    phone_number: text,
    send_time: z.string(),
    report_time: z.string(),
    success: flag,
    err_code: z.string(),
    err_msg: z.string().optional(),
    sms_size: text.pipe(z.string().regex(/^\d+$/)).optional(),
    biz_id: text,
    out_id: text.optional(),
  })
  .transform(
    (r): AliyunSmsReport => ({
      kind: "SmsReport",
      ...phone(r.phone_number),
      sendTime: r.send_time,
      ...dated("sentAt", r.send_time),
      reportTime: r.report_time,
      ...dated("reportedAt", r.report_time),
      success: r.success,
      errCode: r.err_code,
      errMsg: r.err_msg ?? "",
      smsSize: r.sms_size === undefined ? 1 : Number(r.sms_size),
      bizId: r.biz_id,
      ...(r.out_id ? { outId: r.out_id } : {}),
    }),
  );

const smsUpSchema = z
  .object({
    phone_number: text,
    send_time: z.string(),
    content: z.string(),
    sign_name: z.string(),
    dest_code: text,
    sequence_id: text,
  })
  .transform(
    (u): AliyunSmsUp => ({
      kind: "SmsUp",
      ...phone(u.phone_number),
      sendTime: u.send_time,
      ...dated("sentAt", u.send_time),
      content: u.content,
      signName: u.sign_name,
      destCode: u.dest_code,
      sequenceId: u.sequence_id,
    }),
  );

const callbackSchema = z.array(z.union([smsReportSchema, smsUpSchema]));

/**
 * A pushed SmsUp or SmsReport batch (the parsed JSON body, or its text). Unknown extra fields are
 * ignored (Aliyun adds some); anything that is not an array of such items is a SmsProtocolError.
 */
export function parseAliyunCallback(body: unknown): AliyunCallbackItem[] {
  const value = typeof body === "string" ? parseJson(body) : body;
  const parsed = callbackSchema.safeParse(value);
  if (!parsed.success) throw new SmsProtocolError(`Aliyun callback: not an SmsUp or SmsReport array (${z.prettifyError(parsed.error)})`);
  return parsed.data;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new SmsProtocolError("Aliyun callback: body is not JSON");
  }
}

function phone(phoneNumber: string): { phoneNumber: string; e164?: string } {
  const e164 = normalizeMobile(phoneNumber);
  return e164 ? { phoneNumber, e164 } : { phoneNumber };
}

/** Aliyun's times are Beijing time (UTC+8) without a zone: "2017-01-01 00:00:00". */
export function parseAliyunTime(value: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  const at = new Date(`${match[1]}T${match[2]}+08:00`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

function dated<K extends string>(key: K, value: string): Partial<Record<K, Date>> {
  const at = parseAliyunTime(value);
  return at ? ({ [key]: at } as Record<K, Date>) : {};
}
