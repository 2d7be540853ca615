// Rate limits (shared/rate-limits.ts) on what a stranger or a runaway client can send over HTTP. Counted in this process's memory
// (hono-rate-limiter's store): with several processes each counts on its own, so the limits
// multiply by the number of processes (the README says so). Over a limit: 429, Retry-After, and the
// one error envelope.
import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import { AppError, errorBody } from "./errors.ts";
import type { AppEnv } from "./context.ts";
import type { RateLimits } from "../shared/rate-limits.ts";
import { hashToken } from "../shared/tokens.ts";
import { signInPage } from "./console/kit.ts";
import { T } from "./console/text.ts";

/** The caller's address: the socket's on Node, Cloudflare's header on Workers. */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? c.req.header("cf-connecting-ip") ?? "unknown";
}

function limited(
  name: string,
  { limit, windowMs }: { limit: number; windowMs: number },
  key: (c: Context<AppEnv>) => string,
  options: {
    skip?: (c: Context<AppEnv>) => boolean;
    /** count only the requests this says failed */
    failed?: (c: Context<AppEnv>) => boolean;
    /** the answer over the limit, when it is not the API's JSON (a page, for a browser) */
    refuse?: (c: Context<AppEnv>) => Response | Promise<Response>;
  } = {},
): MiddlewareHandler<AppEnv> {
  return rateLimiter<AppEnv>({
    windowMs,
    limit,
    standardHeaders: "draft-6",
    keyGenerator: key,
    ...(options.failed ? { skipSuccessfulRequests: true, requestWasSuccessful: (c: Context<AppEnv>) => !options.failed!(c) } : {}),
    handler: (c) => options.refuse?.(c) ?? c.json(errorBody(new AppError("rate_limited", `too many ${name} requests: try again after Retry-After seconds`)), 429),
    ...(options.skip ? { skip: options.skip } : {}),
  });
}

export const simulatorLimit = (limits: RateLimits) => limited("simulator", limits.simulatorPerClient, clientAddress);

/** The simulator's routes have a limit of their own. */
const isSimulator = (c: Context) => c.req.path.startsWith("/api/simulator/");

/**
 * Keys refused per client address: a new random token each time would otherwise get a fresh
 * per-key bucket. Over the limit, the address waits, whatever key it sends.
 */
export const keyGuessingLimit = (limits: RateLimits) =>
  limited("refused-key", limits.operatorFailuresPerAddress, clientAddress, { skip: isSimulator, failed: (c) => c.res.status === 401 });

/** Over a console limit: the sign-in page, saying to wait, for a person at a browser. */
const waitPage = (c: Context<AppEnv>) => c.html(signInPage({ codeError: T.signIn.tooMany, tokenError: T.signIn.tooMany }), 429);

/** Console sign-ins refused per client address, as API keys refused are: guessing tokens stops there. */
export const consoleSignInLimit = (limits: RateLimits) =>
  limited("console sign-in", limits.operatorFailuresPerAddress, clientAddress, { failed: (c) => c.res.status === 401, refuse: waitPage });

/** Sign-in codes asked for per client address (each texts a phone): as many as refused keys. */
export const consoleCodeLimit = (limits: RateLimits) => limited("sign-in code", limits.operatorFailuresPerAddress, clientAddress, { refuse: waitPage });

/** Every /api route but the simulator's, which has its own limit. */
export const operatorLimit = (limits: RateLimits) =>
  limited(
    "operator API",
    limits.operatorPerKey,
    (c) => {
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
      return bearer ? `key:${hashToken(bearer)}` : `address:${clientAddress(c)}`;
    },
    { skip: isSimulator },
  );
