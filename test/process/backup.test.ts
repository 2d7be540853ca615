// `npm run backup` and `npm run restore` as an operator runs them: refused while the database has
// another owner, a copy taken when the service is stopped, brought back into an empty DATA_DIR only
// with the key that opens its personal data, and every worker found again, their ID numbers readable.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { embeddedDatabaseDir, openDatabase } from "../../src/db/database.ts";
import { seedFromImage } from "../../src/db/embedded-image.ts";
import { applyMigrations } from "../../src/db/migrate.ts";
import { readMigrations } from "../../src/db/migrations-fs.ts";
import { assertSealingKey } from "../../src/services/key-check.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";

const root = new URL("../..", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "zt-backup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const KEY = randomBytes(32).toString("base64");
const ID_NUMBERS = ["350622198001010011", "350622198502020022", "350622199003030033"];

/** The CLI as `npm run backup/restore` runs it, with only the environment given (no DATABASE_URL). */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const { PATH, HOME } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/entry/backup-cli.ts", ...args], { cwd: root, env: { PATH, HOME, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

it("copies the stopped database and brings it back, with its key only, holding every worker", async () => {
  const original = join(scratch, "original");
  if (!seedFromImage(embeddedDatabaseDir(original))) {
    const fresh = await openDatabase({ dataDir: original });
    await applyMigrations(fresh.sql, readMigrations());
    await fresh.close();
  }
  const pii = createPiiProtector(Buffer.from(KEY, "base64"));
  const db = await openDatabase({ dataDir: original });
  await assertSealingKey(db.prisma, pii);
  for (const [i, idNumber] of ID_NUMBERS.entries()) await db.prisma.worker.create({ data: { name: `备份${i}`, idNumberEnc: pii.encrypt(idNumber) } });

  // While another process owns the database (here, this one): refused, with what to do instead.
  const file = join(scratch, "backup.tar.gz");
  const busy = await cli(["backup", file], { DATA_DIR: original });
  expect(busy.code).toBe(2);
  expect(busy.out).toContain(`in use by process ${process.pid}`);
  expect(busy.out).toContain("POST /api/backup");
  expect(existsSync(file)).toBe(false);
  await db.close();

  const taken = await cli(["backup", file], { DATA_DIR: original });
  expect(taken.code, taken.out).toBe(0);
  expect(existsSync(file)).toBe(true);
  expect((await cli(["backup", file], { DATA_DIR: original })).out).toContain("exists already");

  // No key: refused before anything is written.
  const keyless = join(scratch, "keyless");
  const refused = await cli(["restore", file], { DATA_DIR: keyless });
  expect(refused.code).toBe(2);
  expect(refused.out).toContain("opens only with the key it was written with");
  expect(existsSync(embeddedDatabaseDir(keyless))).toBe(false);

  // Another key: refused, and nothing half-restored left to start by mistake.
  const wrong = join(scratch, "wrong");
  const mismatch = await cli(["restore", file], { DATA_DIR: wrong, PII_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
  expect(mismatch.code).toBe(2);
  expect(mismatch.out).toContain("written with another key");
  expect(existsSync(embeddedDatabaseDir(wrong))).toBe(false);

  // The key kept as the embedded default keeps it, in DATA_DIR/secrets.json.
  const restoredDir = join(scratch, "restored");
  mkdirSync(restoredDir, { recursive: true });
  writeFileSync(join(restoredDir, "secrets.json"), JSON.stringify({ piiEncryptionKey: KEY, meiliMasterKey: "m".repeat(32) }));
  const restored = await cli(["restore", file], { DATA_DIR: restoredDir });
  expect(restored.code, restored.out).toBe(0);
  expect(restored.out).toContain("3 workers");
  expect((await cli(["restore", file], { DATA_DIR: restoredDir })).out).toContain("is not empty");

  const back = await openDatabase({ dataDir: restoredDir });
  try {
    const workers = await back.prisma.worker.findMany({ orderBy: { name: "asc" } });
    expect(workers.map((worker) => pii.decrypt(worker.idNumberEnc!))).toEqual(ID_NUMBERS);
    expect(await back.prisma.job.count({ where: { kind: "index.rebuild", status: "pending" } })).toBe(1);
  } finally {
    await back.close();
  }
}, 120_000);
