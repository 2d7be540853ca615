// Runs `runOnce` again and again: at once while it finds work, every `idleMs` when it does not,
// or sooner when nudged. Errors are logged and the loop goes on. The outbox dispatcher and the job
// runner both work this way.
import type { Logger } from "./logger.ts";

export function pollingLoop(runOnce: () => Promise<number>, log: Logger, name: string) {
  let stopped = true;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  return {
    start(idleMs = 1_000) {
      if (!stopped) return;
      stopped = false;
      running = (async () => {
        while (!stopped) {
          let taken = 0;
          try {
            taken = await runOnce();
          } catch (error) {
            log.error({ err: error }, `${name} failed; trying again`);
          }
          if (taken === 0 && !stopped) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, idleMs);
            });
          }
        }
      })();
    },
    /** Work was queued: look now rather than at the next poll. */
    nudge() {
      wake?.();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await running;
    },
  };
}
