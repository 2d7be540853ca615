// The two ways an SMS provider exchange goes wrong: what it sent us does not parse (a protocol
// error: answer 4xx, never retry), or what we sent it was refused (a send error, which the outbox
// dispatcher retries or gives up on depending on `retryable`).

export type SmsProvider = "twilio" | "aliyun";

/** A provider's request (webhook, callback) is malformed or lacks a required field. */
export class SmsProtocolError extends Error {
  override name = "SmsProtocolError";
}

export interface SmsSendErrorDetails {
  provider: SmsProvider;
  /** worth trying again later: network errors, timeouts, 429, 5xx, the provider's throttling codes */
  retryable: boolean;
  /** the recipient opted out (Twilio 21610): stop sending to this number */
  optedOut?: boolean;
  /**
   * The provider may have accepted the message although we saw a failure (a timeout after the
   * request left, a connection cut mid-answer, an unreadable 2xx answer). Neither provider's send
   * API is idempotent, so a retry can deliver the message twice.
   */
  outcomeUnknown?: boolean;
  /** the provider's error code (Twilio's numeric code as a string, Aliyun's `Code`) */
  code?: string;
  /** the HTTP status, when an answer came */
  status?: number;
  /** the provider asked us to wait this long before trying again */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class SmsSendError extends Error {
  override name = "SmsSendError";
  readonly provider: SmsProvider;
  readonly retryable: boolean;
  readonly optedOut: boolean;
  readonly outcomeUnknown: boolean;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: SmsSendErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.provider = details.provider;
    this.retryable = details.retryable;
    this.optedOut = details.optedOut ?? false;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.code = details.code;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}
