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
import { backup, isRefusal, restore } from "../../src/entry/backup-cli.ts";
import { assertSealingKey } from "../../src/services/key-check.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";

const root = new URL("../..", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "zt-backup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const KEY = randomBytes(32).toString("base64");
const ID_NUMBERS = ["350622198001010011", "350622198502020022", "350622199003030033"];

/** The command as `npm run backup/restore` runs it, with only the environment given (no DATABASE_URL). */
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

/** The command's own way of saying a mistake: its message, or the sentence on success. */
async function said(run: Promise<string>): Promise<string> {
  try {
    return await run;
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return `refused: ${(error as Error).message}`;
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
  // The divisions are most of the image and no part of what is tested here: a smaller copy is a quicker test.
  await db.sql.exec(`TRUNCATE "Region" CASCADE; CHECKPOINT`);
  await assertSealingKey(db.prisma, pii);
  for (const [i, idNumber] of ID_NUMBERS.entries()) await db.prisma.worker.create({ data: { name: `备份${i}`, idNumberEnc: pii.encrypt(idNumber) } });

  // While another process owns the database (here, this test's): the command refuses, and says what to do instead.
  const file = join(scratch, "backup.tar.gz");
  const busy = await cli(["backup", file], { DATA_DIR: original });
  expect(busy.code).toBe(2);
  expect(busy.out).toContain(`in use by process ${process.pid}`);
  expect(busy.out).toContain("POST /api/backup");
  expect(existsSync(file)).toBe(false);
  await db.close();

  expect(await said(backup({ DATA_DIR: original }, file))).toMatch(/^backed up .+ to .+backup\.tar\.gz/);
  expect(existsSync(file)).toBe(true);
  expect(await said(backup({ DATA_DIR: original }, file))).toContain("exists already");

  // No key: refused before anything is written.
  const keyless = join(scratch, "keyless");
  expect(await said(restore({ DATA_DIR: keyless }, file))).toContain("opens only with the key it was written with");
  expect(existsSync(embeddedDatabaseDir(keyless))).toBe(false);

  // Another key: refused, and nothing half-restored left to start by mistake.
  const wrong = join(scratch, "wrong");
  expect(await said(restore({ DATA_DIR: wrong, PII_ENCRYPTION_KEY: randomBytes(32).toString("base64") }, file))).toContain("written with another key");
  expect(existsSync(embeddedDatabaseDir(wrong))).toBe(false);

  // The key kept as the embedded default keeps it, in DATA_DIR/secrets.json.
  const restoredDir = join(scratch, "restored");
  mkdirSync(restoredDir, { recursive: true });
  writeFileSync(join(restoredDir, "secrets.json"), JSON.stringify({ piiEncryptionKey: KEY, meiliMasterKey: "m".repeat(32) }));
  expect(await said(restore({ DATA_DIR: restoredDir }, file))).toContain("3 workers");
  expect(await said(restore({ DATA_DIR: restoredDir }, file))).toContain("is not empty");

  const back = await openDatabase({ dataDir: restoredDir });
  try {
    const workers = await back.prisma.worker.findMany({ orderBy: { name: "asc" } });
    expect(workers.map((worker) => pii.decrypt(worker.idNumberEnc!))).toEqual(ID_NUMBERS);
    expect(await back.prisma.job.count({ where: { kind: "index.rebuild", status: "pending" } })).toBe(1);
  } finally {
    await back.close();
  }
}, 120_000);
