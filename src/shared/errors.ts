// What a domain verb throws when it refuses: a closed set of reasons, no transport's words. Each
// door maps them once: HTTP to its error envelope (src/http/errors.ts), the chat to a plain
// sentence, the console to a message on the page.

export type DomainErrorCode =
  /** the input breaks a rule of the domain (a course that starts in the past) */
  | "validation_failed"
  /** the caller's role or regions do not allow it */
  | "forbidden"
  | "not_found"
  /** the record's state does not allow it now (a full course, a cancelled campaign) */
  | "conflict"
  /** something the verb needs does not answer (the search engine) */
  | "unavailable";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
export const invalid = (message: string, details?: unknown) => new DomainError("validation_failed", message, details);
export const forbidden = (message: string, details?: unknown) => new DomainError("forbidden", message, details);
export const conflict = (message: string, details?: unknown) => new DomainError("conflict", message, details);
