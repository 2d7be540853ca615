// `npm start`: the whole service on Node. The only place (with worker.ts) that reads the environment.
// The configuration holds before anything else is loaded, so a mistyped variable is named at once.
// One process serves (or, with WEB_CONCURRENCY on PostgreSQL, this one starts several: processes.ts).
import cluster from "node:cluster";
import { ConfigError, loadConfig, type Config } from "../config.ts";
import { createLogger } from "../shared/logger.ts";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(`configuration: ${error.message}`);
  throw error;
}
const log = createLogger({ level: config.LOG_LEVEL });

if (config.WEB_CONCURRENCY > 1 && !config.DATABASE_URL) {
  log.warn({ WEB_CONCURRENCY: config.WEB_CONCURRENCY }, "WEB_CONCURRENCY: the embedded database has one owner, so the service runs as one process; set DATABASE_URL (PostgreSQL) for more");
}
if (config.WEB_CONCURRENCY > 1 && config.DATABASE_URL && cluster.isPrimary) {
  const { runProcesses } = await import("./processes.ts");
  await runProcesses(config, log, fail);
} else {
  await serveOneProcess(config);
}

async function serveOneProcess(config: Config) {
  // The routes load while the database and the search engine come up, and are used only if they do.
  const { startNodeServices } = await import("./node-services.ts");
  const routes = Promise.all([import("@hono/node-server"), import("../app.ts")]);
  const services = await startNodeServices(config, log).catch((error: Error) => fail(`start-up failed: ${error.message}`));
  const [{ serve }, { buildApp }] = await routes;
  const app = buildApp(services.deps);

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: "0.0.0.0" });
  server.on("error", async (error: NodeJS.ErrnoException) => {
    await services.stop();
    fail(error.code === "EADDRINUSE" ? `PORT: ${config.PORT} is already in use` : `HTTP server failed: ${error.message}`);
  });
  server.on("listening", () => {
    log.info({ port: config.PORT, publicBaseUrl: config.publicBaseUrl, pid: process.pid }, "zhitongche is listening");
    if (services.generatedAdminToken) {
      // Printed once, on the first start only: the database keeps just its hash.
      process.stdout.write(
        `\nAdministrator API token (shown once; keep it, or set ADMIN_TOKEN):\n  ${services.generatedAdminToken}\n\n`,
      );
    }
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.drainTurns();
    await services.stop();
    process.exit(0);
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}
