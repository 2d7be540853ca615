// `npm start` as an operator runs it: the whole service on embedded defaults from an empty
// DATA_DIR, a clean stop that leaves no Meilisearch behind, and a restart that keeps the data.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../support/servers.ts";

const root = new URL("../..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "zt-start-"));
/** Every service this file starts: a test that fails half-way must not leave one running. */
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, "SIGKILL"); // its whole process group: npm, the service, its Meilisearch
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** exit code, or the signal's name when npm itself ended by the signal it forwarded */
  exited: Promise<number | string | null>;
}

function npmStart(env: Record<string, string>): Running {
  const cleanEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|MEILI_|ADMIN_TOKEN|PII_|PORT|DATA_DIR|TEST_DATABASE_URL)/.test(name)),
  );
  const child = spawn("npm", ["start", "--silent"], { cwd: root, env: { ...cleanEnv, LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  started.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk) => (out += chunk));
  child.stderr!.on("data", (chunk) => (err += chunk));
  const exited = new Promise<number | string | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitForHealth(port: number, running: Running, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`exited early: ${running.stderr()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200) return (await response.json()) as unknown;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no healthy answer within ${timeoutMs} ms; stderr: ${running.stderr()}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every file and folder under a folder (the folder itself apart). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? [path, ...filesUnder(path)] : entry.isFile() ? [path] : [];
  });
}

const onlyOurLines = (text: string) => text.split("\n").filter((line) => line && !line.startsWith("npm warn"));

describe("npm start", () => {
  it("comes up on embedded defaults, stops cleanly, and keeps its data across restarts", async () => {
    const port = await freePort();
    chmodSync(dataDir, 0o755); // as an earlier version (or a careless mkdir) left it
    const first = npmStart({ DATA_DIR: dataDir, PORT: String(port) });
    expect(await waitForHealth(port, first, 90_000)).toEqual({ status: "ok", db: "ok", search: "ok" });
    // The database, the search data and the keys are this user's alone: every folder 0700, every
    // file the service or the search engine writes 0600. PGlite's WASM file system sets its own
    // files' modes; the folders around them keep everyone else out.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const entries = filesUnder(dataDir);
    const reachable = entries.filter((path) => statSync(path).isDirectory() && (statSync(path).mode & 0o077) !== 0);
    const readable = entries.filter((path) => !path.startsWith(join(dataDir, "pglite")) && statSync(path).isFile() && (statSync(path).mode & 0o077) !== 0);
    expect([...reachable, ...readable]).toEqual([]);
    expect(entries.filter((path) => path.includes("meilisearch")).length).toBeGreaterThan(5);
    expect(statSync(join(dataDir, "secrets.json")).mode & 0o777).toBe(0o600);
    const token = /Administrator API token[^\n]*\n\s*(zt_\S+)/.exec(first.stdout())?.[1];
    expect(token).toBeDefined();

    const meiliPid = Number(readFileSync(join(dataDir, "meilisearch", "pid"), "utf8"));
    expect(alive(meiliPid)).toBe(true);
    const created = await fetch(`http://127.0.0.1:${port}/api/operators`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "云霄协理员", role: "coordinator", regionCodes: ["350622"] }),
    });
    expect(created.status).toBe(201);
    // Every division of the country, villages too, is there from the first start (copied from the
    // image `npm install` prepared): here the communities of a township in Urumqi, far from the one
    // province the tests' own databases hold.
    const villages = await fetch(`http://127.0.0.1:${port}/api/regions?parent=650102002`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await villages.json()) as { regions: { level: number }[] }).regions.filter((region) => region.level === 5).length).toBeGreaterThan(3);

    // npm forwards the signal to the service and may itself end by it; the service shuts down in
    // order: the Meilisearch child stopped (its pid file removed) and the database closed.
    first.child.kill("SIGTERM");
    expect([0, "SIGTERM"]).toContain(await first.exited);
    await expect.poll(() => alive(meiliPid), { timeout: 10_000 }).toBe(false);
    await expect.poll(() => existsSync(join(dataDir, "meilisearch", "pid")), { timeout: 10_000 }).toBe(false);

    const second = npmStart({ DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealth(port, second, 60_000);
    expect(second.stdout()).not.toContain("Administrator API token");
    const operators = await fetch(`http://127.0.0.1:${port}/api/operators`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await operators.json()) as { operators: { name: string }[] }).operators.map((o) => o.name)).toContain("云霄协理员");
    const secondMeili = Number(readFileSync(join(dataDir, "meilisearch", "pid"), "utf8"));
    second.child.kill("SIGINT");
    expect([0, "SIGINT"]).toContain(await second.exited);
    await expect.poll(() => alive(secondMeili), { timeout: 10_000 }).toBe(false);
  }, 180_000);

  // Where the suite runs against a PostgreSQL server (CI), the service runs on it and on the run's
  // Meilisearch instead of its embedded parts.
  it.skipIf(!inject("postgresTemplate"))("uses PostgreSQL and an external Meilisearch when told to", async () => {
    const server = inject("postgresTemplate")!.url;
    const database = `zt_start_${process.pid}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(server);
    url.pathname = `/${database}`;
    const externalDir = mkdtempSync(join(tmpdir(), "zt-external-"));
    try {
      const port = await freePort();
      const meili = inject("meili");
      const running = npmStart({ DATA_DIR: externalDir, PORT: String(port), DATABASE_URL: url.toString(), MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") });
      expect(await waitForHealth(port, running, 90_000)).toEqual({ status: "ok", db: "ok", search: "ok" });
      expect(existsSync(join(externalDir, "meilisearch"))).toBe(false); // no bundled search engine
      expect(existsSync(join(externalDir, "pglite"))).toBe(false); // no embedded database
      const direct = new pg.Client({ connectionString: url.toString() });
      await direct.connect();
      const migrated = await direct.query(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
      await direct.end();
      expect(migrated.rows[0].n).toBeGreaterThan(0);
      running.child.kill("SIGTERM");
      await running.exited;
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
      rmSync(externalDir, { recursive: true, force: true });
    }
  }, 150_000);

  it("stops with one line naming the variable when the configuration is wrong", async () => {
    // Four starts that each stop at once, run side by side: none of them gets as far as listening.
    const badPort = npmStart({ DATA_DIR: dataDir, PORT: "eighty" });
    const badUrl = npmStart({ DATA_DIR: dataDir, DATABASE_URL: "mysql://localhost/zt" });
    const unreachable = npmStart({ DATA_DIR: dataDir, DATABASE_URL: "postgresql://zt:secret@127.0.0.1:1/zt" });
    // The data in DATA_DIR was sealed with the key generated at the first start: another key must
    // not open the database (every record would be unreadable), and says which variable to fix.
    const otherKey = npmStart({ DATA_DIR: dataDir, PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64") });
    expect(await Promise.all([badPort.exited, badUrl.exited, unreachable.exited, otherKey.exited])).toEqual([1, 1, 1, 1]);

    expect(onlyOurLines(badPort.stderr())).toEqual(['configuration: PORT: expected an integer from 1 to 65535 (got "eighty")']);
    expect(onlyOurLines(badUrl.stderr())).toEqual([expect.stringMatching(/^configuration: DATABASE_URL: expected a URL starting with postgres/)]);
    const lines = onlyOurLines(unreachable.stderr());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^start-up failed: cannot connect to postgresql:\/\/zt:\*\*\*@127\.0\.0\.1:1\/zt/);
    expect(onlyOurLines(otherKey.stderr())).toEqual([expect.stringMatching(/^start-up failed: PII_ENCRYPTION_KEY: this database was written with another key/)]);
  }, 60_000);
});
