// Work a webhook acknowledges before it is done (a chat turn after the provider's "received"): it
// goes on after the response, and a failure is logged, since nobody waits for it. Nothing here keeps
// the work alive: on Node the process does (a clean shutdown drains the turns in flight), and on
// Workers the conversation host hands every turn it starts to the request's waitUntil
// (`turnStarted`, src/entry/worker.ts). Asking Hono for an execution context on Node would throw,
// and build an error with its stack, on every SMS.
import type { Logger } from "../shared/logger.ts";

export function afterResponse(work: Promise<unknown>, log: Logger, what: string): void {
  work.catch((error: unknown) => log.error({ err: error }, `${what} failed after it was acknowledged`));
}
