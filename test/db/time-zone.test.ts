// Timestamps written by the database itself (now() in a statement, a trigger) are UTC like those
// Prisma writes, even on a server whose default time zone is China's. PostgreSQL only: PGlite has
// no server default to differ.
import pg from "pg";
import { randomBytes } from "node:crypto";
import { expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";

const postgres = inject("postgresTemplate");

it.skipIf(!postgres)("keeps every session on UTC when the server's default is Asia/Shanghai", async () => {
  const name = `zt_tz_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgres!.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${postgres!.database}`);
    await admin.query(`ALTER DATABASE ${name} SET timezone = 'Asia/Shanghai'`);
    const url = new URL(postgres!.url);
    url.pathname = `/${name}`;
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
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
