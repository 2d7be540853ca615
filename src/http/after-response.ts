// Work a webhook acknowledges before it is done (a chat turn after the provider's "received"): it
// goes on after the response. On Workers the runtime is told to wait for it; on Node the process
// does, and a clean shutdown drains the turns in flight (app.drainTurns).
import type { Context } from "hono";
import type { Logger } from "../shared/logger.ts";

export function afterResponse(c: Context, work: Promise<unknown>, log: Logger, what: string): void {
  const logged = work.catch((error: unknown) => log.error({ err: error }, `${what} failed after it was acknowledged`));
  try {
    c.executionCtx.waitUntil(logged);
  } catch {
    // Node: no execution context; the promise runs on, and the host's locks let shutdown wait for it.
  }
}
