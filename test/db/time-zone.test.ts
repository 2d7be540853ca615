// Timestamps written by the database itself (now() in a statement, a trigger) are UTC like those
// Prisma writes, even on a server whose default time zone is China's. PostgreSQL only: PGlite has
// no server default to differ.
import pg from "pg";
import { randomBytes } from "node:crypto";
import { expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { applyMigrations, defaultsToUtc } from "../../src/db/migrate.ts";
import { readMigrations } from "../../src/db/migrations-fs.ts";
import { postgresRunner } from "../../src/db/sql.ts";

const postgres = inject("postgresTemplate");

/**
 * A new database on the test server whose default time zone is China's (a copy of `template`, else
 * empty), dropped after `use`.
 */
async function chinaZoned(use: (url: URL, admin: pg.Client, name: string) => Promise<void>, template?: string) {
  const name = `zt_tz_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgres!.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
    await admin.query(`ALTER DATABASE ${name} SET timezone = 'Asia/Shanghai'`);
    const url = new URL(postgres!.url);
    url.pathname = `/${name}`;
    await use(url, admin, name);
  } finally {
    // Not WITH (FORCE): every test closes its connections, but a closed pool's server process may
    // still be exiting, and FORCE would kill it mid-goodbye, an error its pool throws with no one to
    // catch it. Without FORCE the server waits (up to 5 s) for such processes to go.
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
}

it.skipIf(!postgres)("keeps every session on UTC when the server's default is Asia/Shanghai", async () => {
  await chinaZoned(async (url) => {
    // A plain connection sees the server's default...
    const plain = new pg.Client({ connectionString: url.toString() });
    await plain.connect();
    expect((await plain.query("SHOW TimeZone")).rows[0].TimeZone).toBe("Asia/Shanghai");
    await plain.end();
    // ...the service's sessions do not.
    const db = await openDatabase({ url: url.toString() });
    try {
      const [row] = await db.sql.query<{ zone: string; at: string }>("SELECT current_setting('TimeZone') AS zone, now()::timestamp::text AS at");
      expect(row!.zone).toBe("UTC");
      // A timestamp the database writes by itself reads as UTC wall-clock time.
      expect(Math.abs(Date.parse(`${row!.at.replace(" ", "T")}Z`) - Date.now())).toBeLessThan(60_000);
      const through = await db.prisma.$queryRawUnsafe<{ zone: string }[]>("SELECT current_setting('TimeZone') AS zone");
      expect(through[0]!.zone).toBe("UTC"); // Prisma's connections too
      const worker = await db.prisma.worker.create({ data: { name: "时区" } });
      await db.prisma.worker.update({ where: { id: worker.id }, data: { employmentStatus: "employedLocal" } });
      const change = await db.prisma.workerFiguresChange.findFirstOrThrow({ where: { workerId: worker.id } });
      expect(Math.abs(change.changedAt.getTime() - Date.now())).toBeLessThan(60_000);
      // A time the service passes in (a turn's clock) is stored as that instant, whatever zone the
      // Node process runs in.
      const zone = process.env.TZ;
      process.env.TZ = "Asia/Shanghai";
      try {
        const at = new Date("2026-12-03T02:00:00.000Z");
        await db.sql.query(`UPDATE "Worker" SET "createdAt" = $1 WHERE id = $2`, [at, worker.id]);
        expect((await db.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).createdAt.toISOString()).toBe(at.toISOString());
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    } finally {
      await db.close();
    }
  }, postgres!.database);
});

/** Runs `fn` on a plain pool of `url`: sessions as the Worker's are behind Hyperdrive, set up by nobody. */
async function onPlainPool<T>(url: URL, fn: (sql: ReturnType<typeof postgresRunner>) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    return await fn(postgresRunner(pool));
  } finally {
    await pool.end();
  }
}

it.skipIf(!postgres)("makes UTC the database's own default, so sessions nobody sets up (the Worker's, behind Hyperdrive) write UTC too", async () => {
  await chinaZoned(async (url) => {
    await onPlainPool(url, async (sql) => {
      expect(await defaultsToUtc(sql)).toBe(false);
      await applyMigrations(sql, readMigrations());
    });
    // A new session, set up by nobody: the database's default now.
    await onPlainPool(url, async (sql) => {
      expect(await defaultsToUtc(sql)).toBe(true);
      const [row] = await sql.query<{ zone: string; at: string }>("SELECT current_setting('TimeZone') AS zone, now()::timestamp::text AS at");
      expect(row!.zone).toBe("UTC");
      expect(Math.abs(Date.parse(`${row!.at.replace(" ", "T")}Z`) - Date.now())).toBeLessThan(60_000);
    });
  });
}, 60_000);

it.skipIf(!postgres)("migrates as a role that does not own the database, leaving its time zone as it was and saying so", async () => {
  await chinaZoned(async (url, admin, name) => {
    const role = `${name}_app`;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'app'`);
    try {
      await admin.query(`GRANT CREATE ON DATABASE ${name} TO ${role}`);
      const owner = new pg.Client({ connectionString: url.toString() });
      await owner.connect();
      await owner.query(`GRANT CREATE, USAGE ON SCHEMA public TO ${role}`);
      await owner.end();
      const asApp = new URL(url);
      asApp.username = role;
      asApp.password = "app";
      await onPlainPool(asApp, async (sql) => {
        const { applied } = await applyMigrations(sql, readMigrations());
        expect(applied.length).toBe(readMigrations().length);
        expect(await defaultsToUtc(sql)).toBe(false); // what db:migrate checks, and then tells the operator
        expect((await sql.query<{ TimeZone: string }>("SHOW TimeZone"))[0]!.TimeZone).toBe("Asia/Shanghai");
      });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
    }
  });
}, 60_000);
