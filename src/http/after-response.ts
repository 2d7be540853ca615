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

/**
 * The work's result when it ends within `ms` (its failure too), else null: it then goes on after
 * the response, as afterResponse says. For a webhook whose provider waits only so long.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number, log: Logger, what: string): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  const result = await Promise.race([work, late]).finally(() => clearTimeout(timer));
  if (result === null) afterResponse(work, log, what);
  return result;
}
