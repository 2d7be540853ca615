// One error envelope for every HTTP answer: {"error":{"code","message","details"?}}.
// The codes are a closed set so that clients can switch on them; a verb's DomainError keeps its
// code (the domain's codes are among these).
import { DomainError } from "../shared/errors.ts";

export const errorCodes = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  not_implemented: 501,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
    this.status = errorCodes[code];
  }
}

/** The HTTP answer to an error a verb threw. */
export const fromDomain = (error: DomainError) => new AppError(error.code, error.message, error.details);

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorBody(error: AppError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}
