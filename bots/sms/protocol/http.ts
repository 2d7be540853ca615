// One form POST to a provider, with a deadline, turning transport failures into SmsSendError.
// What the provider answered (status and body) is left to the provider's module to judge.
import { SmsSendError, type SmsProvider } from "./errors.ts";

export type FetchLike = typeof fetch;

/** What both providers' senders offer the outbox dispatcher. Failures throw SmsSendError. */
export interface SmsSender<Message> {
  send(message: Message): Promise<{ providerMessageId: string }>;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

export interface ProviderAnswer {
  status: number;
  body: string;
  retryAfterSeconds: number | undefined;
}

export interface FormPost {
  provider: SmsProvider;
  url: string;
  /** form fields, or a body already form-encoded (Aliyun's RFC 3986 canonical form) */
  form: URLSearchParams | string;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch: FetchLike;
}

export async function postForm(post: FormPost): Promise<ProviderAnswer> {
  // One signal covers the connection, the headers and the body: a provider that stalls mid-answer
  // must not hold an outbox lease for ever.
  const signal = AbortSignal.timeout(post.timeoutMs);
  // Called on its own, not as post.fetch(…): workerd's fetch refuses any `this` but the global one.
  const send = post.fetch;
  try {
    const response = await send(post.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", accept: "application/json", ...post.headers },
      body: typeof post.form === "string" ? post.form : post.form.toString(),
      signal,
    });
    const body = await response.text();
    return { status: response.status, body, retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")) };
  } catch (error) {
    throw transportFailure(post.provider, error, signal.aborted);
  }
}

/** Connection errors that mean the request never reached the provider: safe to send again. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

function transportFailure(provider: SmsProvider, error: unknown, timedOut: boolean): SmsSendError {
  if (timedOut || (error instanceof Error && error.name === "TimeoutError")) {
    return new SmsSendError(`${provider}: no answer in time`, { provider, retryable: true, outcomeUnknown: true, code: "TIMEOUT", cause: error });
  }
  const code = errorCode(error);
  return new SmsSendError(`${provider}: network error${code ? ` (${code})` : ""}`, {
    provider,
    retryable: true,
    outcomeUnknown: code === undefined || !NEVER_SENT_CODES.has(code),
    code: code ?? "NETWORK",
    cause: error,
  });
}

/** undici wraps the socket error: TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }). */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = (current as { cause?: unknown }).cause ?? nested;
  }
  return undefined;
}

/** Retry-After in seconds (the HTTP-date form is not used by these providers). */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** JSON.parse that returns undefined for anything unreadable: providers' error pages are HTML. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** 429 and 5xx: the provider is busy or broken right now, the message itself is fine. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
