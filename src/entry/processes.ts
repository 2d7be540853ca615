// WEB_CONCURRENCY service processes on one PostgreSQL database (node:cluster): this process does the
// shared work once (the database made ready, the first administrator, one bundled Meilisearch),
// then starts the service processes, which share the port. The outbox and the job queue are claimed
// with FOR UPDATE SKIP LOCKED, and a person's turns are ordered by their session's version, so the
// processes share the work without sending or running anything twice. A process that dies is
// started again; a stop signal stops them all, then the search engine.
import cluster, { type Worker } from "node:cluster";
import type { Config } from "../config.ts";
import type { Logger } from "../shared/logger.ts";
import { startSharedServices } from "./node-services.ts";

/** How long the processes have to finish their turns and sends after a stop signal. */
const STOP_GRACE_MS = 30_000;
/** A process that keeps dying is started again no faster than this. */
const RESTART_DELAY_MS = 1_000;

export async function runProcesses(config: Config, log: Logger, fail: (message: string) => never): Promise<void> {
  const shared = await startSharedServices(config, log).catch((error: Error) => fail(`start-up failed: ${error.message}`));
  if (shared.generatedAdminToken) {
    // Printed once, on the first start only: the database keeps just its hash.
    process.stdout.write(`\nAdministrator API token (shown once; keep it, or set ADMIN_TOKEN):\n  ${shared.generatedAdminToken}\n\n`);
  }
  let stopping = false;
  const start = (): Worker => cluster.fork(shared.env);
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, "a service process ended: starting another");
    setTimeout(() => !stopping && start(), RESTART_DELAY_MS);
  });
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) start();
  log.info({ processes: config.WEB_CONCURRENCY }, "service processes started");

  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping the service processes");
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const force = setTimeout(() => worker.process.kill("SIGKILL"), STOP_GRACE_MS);
            worker.once("exit", () => {
              clearTimeout(force);
              resolve();
            });
            worker.process.kill("SIGTERM");
          }),
      ),
    );
    await shared.stop();
    process.exit(0);
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
