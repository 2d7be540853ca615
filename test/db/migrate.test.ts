// The offline migration runner against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL).
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, MigrationError } from "../../src/db/migrate.ts";
import { readMigrations } from "../../src/db/migrations-fs.ts";
import type { Database } from "../../src/db/database.ts";
import { testDatabase, withTemplatePglite } from "../support/harness.ts";
// @ts-expect-error a plain script of the repository, without types
import { schemaDiff } from "../../scripts/schema-diff.mjs";

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

describe("migrations", () => {
  it("are already applied to the template, with Prisma's bookkeeping and checksums", async () => {
    db = await testDatabase();
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(createHash("sha256").update(migrations[i]!.sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await applyMigrations(db.sql, migrations)).toEqual({ applied: [], alreadyApplied: migrations.length });
  });

  it("apply a new migration once, and refuse one changed after it was applied", async () => {
    db = await testDatabase();
    const extra = { name: "99990101000000_test_extra", sql: `CREATE TABLE "TestExtra" (id int PRIMARY KEY);` };
    const all = [...readMigrations(), extra];
    expect((await applyMigrations(db.sql, all)).applied).toEqual([extra.name]);
    expect((await applyMigrations(db.sql, all)).applied).toEqual([]);
    await expect(applyMigrations(db.sql, [...readMigrations(), { ...extra, sql: `${extra.sql}\n-- edited` }])).rejects.toThrow(
      /was changed after it was applied/,
    );
    // Left as the template was, so the next file may have this database.
    await db.sql.exec(`DROP TABLE "TestExtra"; DELETE FROM "_prisma_migrations" WHERE migration_name = '${extra.name}'`);
  });

  it("leave nothing behind when a migration fails", async () => {
    db = await testDatabase();
    const broken = { name: "99990101000000_broken", sql: `CREATE TABLE "HalfDone" (id int); SELECT * FROM "NoSuchTable";` };
    const error = await applyMigrations(db.sql, [...readMigrations(), broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/99990101000000_broken failed/);
    const tables = await db.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'HalfDone'`);
    expect(tables).toHaveLength(0);
    const rows = await db.sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1`, [broken.name]);
    expect(rows).toHaveLength(0);
  });

  it("match the Prisma schema: the client reads and writes every model", async () => {
    db = await testDatabase();
    const operator = await db.prisma.operator.create({ data: { name: "t", role: "coordinator", regionCodes: ["350622"] } });
    const worker = await db.prisma.worker.create({ data: { name: "王五", categories: ["disability"], homeRegionCode: "350622103201" } });
    const plan = await db.prisma.assistancePlan.create({ data: { workerId: worker.id, coordinatorId: operator.id, goals: [{ kind: "work" }] } });
    await db.prisma.planEvent.create({ data: { workerId: worker.id, kind: "registered", data: { via: "test" } } });
    await db.prisma.planTask.create({ data: { planId: plan.id, kind: "follow_up", dueAt: new Date() } });
    const employer = await db.prisma.employer.create({ data: { name: "云霄扶贫车间", kind: "workshop", regionCode: "350622103" } });
    const vacancy = await db.prisma.vacancy.create({ data: { title: "手工编织", employerId: employer.id, wageUnit: "piece", sex: "female" } });
    await db.prisma.application.create({ data: { vacancyId: vacancy.id, workerId: worker.id, source: "push" } });
    await db.prisma.outboxMessage.create({ data: { idempotencyKey: "k1", channel: "sms", address: "+8613800000000", purpose: "push", body: { text: "hi" } } });
    await db.prisma.job.create({ data: { kind: "index.vacancy", key: `index:${vacancy.id}`, payload: { id: vacancy.id } } });
    const loaded = await db.prisma.worker.findUniqueOrThrow({ where: { id: worker.id }, include: { plan: { include: { tasks: true } }, applications: true, events: true } });
    expect(loaded.plan?.tasks).toHaveLength(1);
    expect(loaded.applications).toHaveLength(1);
    expect(loaded.events[0]?.data).toEqual({ via: "test" });
  });
});

describe("the Prisma schema", () => {
  it("undo the links a simulator chat made by a phone-like sender id, and keep the others", async () => {
    db = await testDatabase();
    const worker = await db.prisma.worker.create({ data: { name: "被冒认" } });
    for (const address of ["13800000001", "+8613800000002", "sim-7f3a", "138000000031"]) {
      await db.prisma.channelIdentity.create({ data: { channel: "web", address, workerId: worker.id } });
    }
    await db.prisma.channelIdentity.create({ data: { channel: "wechat", address: "13800000004", workerId: worker.id } });
    const migration = readMigrations().find((m) => m.name.endsWith("_worker_erasure"))!;
    await db.sql.exec(migration.sql.slice(migration.sql.indexOf("-- The web simulator")));
    const linked = await db.prisma.channelIdentity.findMany({ where: { workerId: worker.id }, orderBy: { address: "asc" } });
    expect(linked.map((identity) => `${identity.channel}:${identity.address}`).sort()).toEqual(["web:138000000031", "web:sim-7f3a", "wechat:13800000004"]);
  });

  it("has no change that a migration does not hold", async () => {
    // On the embedded database: Prisma's schema engine diffs the migrated template against the
    // schema in this process. On PostgreSQL: the check a developer runs, from the migrations.
    const embedded = await withTemplatePglite(async (pglite) => ({ sql: await schemaDiff(pglite) }));
    if (embedded) {
      expect(embedded.sql).toBeNull();
      return;
    }
    const { execFileSync } = await import("node:child_process");
    const output = execFileSync(process.execPath, ["scripts/migration-new.mjs", "--check"], { cwd: new URL("../..", import.meta.url).pathname, encoding: "utf8" });
    expect(output).toContain("matches the migrations");
  }, 60_000);

  it("finds a change the migrations do not hold", async () => {
    const found = await withTemplatePglite(async (pglite) => {
      await pglite.exec(`ALTER TABLE "Vacancy" DROP COLUMN "address"`);
      return schemaDiff(pglite);
      // (left without the column: the pool must see that and never lend this database again)
    });
    if (found !== null) expect(found).toMatch(/ALTER TABLE "Vacancy" ADD COLUMN\s+"address"/);
    // The database it changed is never lent to another file: the next one has the column.
    await withTemplatePglite(async (pglite) => pglite.query(`SELECT address FROM "Vacancy" LIMIT 0`));
  }, 60_000);
});
