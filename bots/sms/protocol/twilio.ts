// Twilio Programmable Messaging: webhook signatures, inbound and status-callback parsing, and the
// Messages API sender. Checked against Twilio's documented signature example and, in the tests,
// against the `twilio` package's own validator.
import { createHmac, timingSafeEqual } from "node:crypto";
import { SmsProtocolError, SmsSendError } from "./errors.ts";
import { DEFAULT_SEND_TIMEOUT_MS, isTransientStatus, parseJsonObject, postForm, type FetchLike, type SmsSender } from "./http.ts";

/** Form fields as received; repeated fields (rare on messaging webhooks) arrive as arrays. */
export type TwilioParams = Record<string, string | string[]>;

// ---------------------------------------------------------------------------------------------
// Signatures

/**
 * X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + every field name and value, sorted by
 * name)). `url` is the address Twilio called, query string included: behind a proxy that is the
 * public one (PUBLIC_BASE_URL + path + query), not what the server sees.
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  const data = Object.keys(params)
    .sort()
    .reduce((signed, name) => signed + signedField(name, params[name]!), url);
  return createHmac("sha1", authToken).update(data, "utf8").digest("base64");
}

/** A repeated field signs each distinct value, sorted: what Twilio's own libraries do. */
function signedField(name: string, value: string | string[]): string {
  if (!Array.isArray(value)) return name + value;
  return [...new Set(value)]
    .sort()
    .map((v) => name + v)
    .join("");
}

export interface TwilioRequestToVerify {
  authToken: string;
  /** the public URL Twilio called, with its query string */
  url: string;
  /** every form field received, unknown ones included: Twilio adds fields without notice */
  params: TwilioParams;
  /** the X-Twilio-Signature header */
  signature: string | null | undefined;
}

/** Constant-time check of X-Twilio-Signature. Never throws: anything odd is simply not valid. */
export function verifyTwilioRequest(request: TwilioRequestToVerify): boolean {
  try {
    const { authToken, url, params, signature } = request;
    // An empty token would make the HMAC computable by anyone.
    if (typeof authToken !== "string" || authToken === "" || typeof signature !== "string" || signature === "") return false;
    if (typeof url !== "string" || !isFieldMap(params)) return false;
    const received = Buffer.from(signature, "utf8");
    // Every candidate is computed and compared, so the time taken does not say which one matched.
    let valid = false;
    for (const candidate of urlVariants(url)) {
      const expected = Buffer.from(twilioSignature(authToken, candidate, params), "utf8");
      if (expected.length === received.length && timingSafeEqual(expected, received)) valid = true;
    }
    return valid;
  } catch {
    return false;
  }
}

function isFieldMap(params: unknown): params is TwilioParams {
  if (params === null || typeof params !== "object") return false;
  return Object.values(params).every((v) => typeof v === "string" || (Array.isArray(v) && v.every((item) => typeof item === "string")));
}

/**
 * Twilio signs the URL as configured, which may or may not spell out the default port (and a
 * load balancer may add or drop it): accept the URL as given, without its port, and with the
 * scheme's default port, as Twilio's libraries do.
 */
function urlVariants(url: string): string[] {
  const match = /^(https?:\/\/)([^/?#@]*@)?([^/?#:]+|\[[^\]]+\])(:\d+)?(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = "", userInfo = "", host = "", port, rest = ""] = match;
  const defaultPort = scheme.toLowerCase() === "https://" ? ":443" : ":80";
  const variants = [url, scheme + userInfo + host + rest];
  if (port === undefined) variants.push(scheme + userInfo + host + defaultPort + rest);
  return [...new Set(variants)];
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/** Twilio's default opt-out, opt-in and help keywords: a message that is exactly one of them. */
export const TWILIO_OPT_OUT_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const TWILIO_OPT_IN_WORDS = ["START", "YES", "UNSTOP"] as const;
export const TWILIO_HELP_WORDS = ["HELP", "INFO"] as const;

export type TwilioOptOutType = "STOP" | "START" | "HELP";

export interface TwilioInbound {
  messageSid: string;
  /** E.164, as Twilio sends it */
  from: string;
  to: string;
  body: string;
  /**
   * Twilio has acted on a keyword: STOP (the number is now blocked: sends to it fail with 21610),
   * START (unblocked), HELP. Taken from Twilio's OptOutType field (Advanced Opt-Out), or from the
   * default keywords when that field is absent. Chinese words (退订, TD) are not Twilio's: the
   * conversation engine handles those.
   */
  optOutType?: TwilioOptOutType;
}

/** An incoming message webhook. Throws SmsProtocolError when MessageSid, From or Body is missing. */
export function parseTwilioInbound(params: TwilioParams): TwilioInbound {
  const messageSid = requiredField(params, "MessageSid");
  const from = requiredField(params, "From");
  const body = requiredField(params, "Body"); // present but empty on a picture-only message
  const to = field(params, "To") ?? "";
  const optOutType = optOutTypeOf(field(params, "OptOutType")) ?? keywordOptOutType(body);
  return { messageSid, from, to, body, ...(optOutType ? { optOutType } : {}) };
}

function optOutTypeOf(value: string | undefined): TwilioOptOutType | undefined {
  const upper = value?.trim().toUpperCase();
  return upper === "STOP" || upper === "START" || upper === "HELP" ? upper : undefined;
}

function keywordOptOutType(body: string): TwilioOptOutType | undefined {
  const word = body.trim().toUpperCase();
  if ((TWILIO_OPT_OUT_WORDS as readonly string[]).includes(word)) return "STOP";
  if ((TWILIO_OPT_IN_WORDS as readonly string[]).includes(word)) return "START";
  if ((TWILIO_HELP_WORDS as readonly string[]).includes(word)) return "HELP";
  return undefined;
}

/** Statuses a message goes through; Twilio may add others, which are passed on as they come. */
export const TWILIO_MESSAGE_STATUSES = [
  "accepted",
  "scheduled",
  "queued",
  "sending",
  "sent",
  "delivered",
  "undelivered",
  "failed",
  "read",
  "canceled",
] as const;
export type TwilioMessageStatus = (typeof TWILIO_MESSAGE_STATUSES)[number];

export interface TwilioStatus {
  messageSid: string;
  status: TwilioMessageStatus | (string & {});
  /** set on undelivered / failed (e.g. 30003 unreachable, 30007 filtered, 21610 opted out) */
  errorCode?: string;
  to?: string;
}

/** A status callback. Throws SmsProtocolError when MessageSid or MessageStatus is missing. */
export function parseTwilioStatus(params: TwilioParams): TwilioStatus {
  const messageSid = requiredField(params, "MessageSid");
  // SmsStatus is the older name of the same field; Twilio still sends both.
  const status = (field(params, "MessageStatus") ?? field(params, "SmsStatus") ?? "").trim().toLowerCase();
  if (status === "") throw new SmsProtocolError("Twilio status callback: MessageStatus is missing");
  const errorCode = field(params, "ErrorCode")?.trim();
  const to = field(params, "To");
  return { messageSid, status, ...(errorCode ? { errorCode } : {}), ...(to ? { to } : {}) };
}

/**
 * The answer to an inbound webhook: nothing to send now (replies go through the outbox). Serve it
 * with Content-Type text/xml.
 */
export function emptyTwiml(): string {
  return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
}

function field(params: TwilioParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A field that must be there; only Body may be empty (a picture-only message). */
function requiredField(params: TwilioParams, name: string): string {
  const value = field(params, name);
  if (value === undefined || (name !== "Body" && value.trim() === "")) throw new SmsProtocolError(`Twilio webhook: ${name} is missing`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Sending

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** the sending number (E.164), or a Messaging Service SID (MG…) */
  from: string;
  /** TWILIO_API_URL: https://api.twilio.com, or a stand-in */
  apiUrl: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export interface TwilioMessageToSend {
  /** E.164 */
  to: string;
  body: string;
  /** where Twilio posts status callbacks for this message (public URL) */
  statusCallback?: string;
}

/** Twilio's error code for "the recipient replied STOP": not retryable, stop sending. */
export const TWILIO_OPTED_OUT_CODE = "21610";

export function createTwilioSender(options: TwilioSenderOptions): SmsSender<TwilioMessageToSend> {
  const url = `${options.apiUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`, "utf8").toString("base64")}`;
  // A Messaging Service SID picks the number itself (and handles Twilio's sender pools).
  const senderField = options.from.startsWith("MG") ? "MessagingServiceSid" : "From";

  return {
    async send(message) {
      const form = new URLSearchParams({ To: message.to, [senderField]: options.from, Body: message.body });
      if (message.statusCallback) form.set("StatusCallback", message.statusCallback);
      const answer = await postForm({
        provider: "twilio",
        url,
        form,
        headers: { authorization },
        timeoutMs: options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
        fetch: options.fetch ?? fetch,
      });
      const json = parseJsonObject(answer.body);
      if (answer.status >= 200 && answer.status < 300) {
        if (typeof json?.sid === "string" && json.sid !== "") return { providerMessageId: json.sid };
        // Twilio took the request but we cannot tell the message id: sending again may duplicate.
        throw new SmsSendError(`twilio: HTTP ${answer.status} without a message sid`, {
          provider: "twilio",
          retryable: false,
          outcomeUnknown: true,
          status: answer.status,
        });
      }
      throw twilioRefusal(answer.status, json, answer.retryAfterSeconds);
    },
  };
}

/** Twilio's error body: { code: 21610, message: "…", more_info: "…", status: 400 }. */
function twilioRefusal(status: number, json: Record<string, unknown> | undefined, retryAfterSeconds: number | undefined): SmsSendError {
  const code = typeof json?.code === "number" || typeof json?.code === "string" ? String(json.code) : undefined;
  const detail = typeof json?.message === "string" ? `: ${json.message}` : "";
  return new SmsSendError(`twilio: HTTP ${status}${code ? ` (${code})` : ""}${detail}`, {
    provider: "twilio",
    retryable: isTransientStatus(status),
    optedOut: code === TWILIO_OPTED_OUT_CODE,
    status,
    ...(code ? { code } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}
