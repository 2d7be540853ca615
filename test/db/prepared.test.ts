// The embedded database runs a prepared statement as PREPARE once and EXECUTE with its parameters
// written as literals (src/db/sql.ts): every value must reach it exactly as a bound parameter does,
// and none may break out of its literal.
import { PGlite } from "@electric-sql/pglite";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { pgliteRunner, prepared, type SqlRunner } from "../../src/db/sql.ts";

let db: PGlite;
let sql: SqlRunner;
beforeAll(async () => {
  db = new PGlite();
  sql = pgliteRunner(db);
  await sql.exec(`CREATE TABLE t (n int, s text, a text[], at timestamp(3), j jsonb, b boolean)`);
});
afterAll(() => db.close());

const ECHO = prepared("test_echo", `SELECT $1::int AS n, $2::text AS s, $3::text[] AS a, $4::timestamp(3) AS at, $5::jsonb AS j, $6::boolean AS b`);

it("reads every kind of value as a bound parameter, however it is quoted", async () => {
  const hostile = [`it's`, `back\\slash`, `'); DROP TABLE t; --`, `"quoted", {braced}`, `换行\n制表\t`, ``];
  for (const s of hostile) {
    const params = [-7, s, [s, null, `x"y`, `a\\b`], new Date("2026-12-06T08:00:00.123Z"), JSON.stringify({ text: s }), false];
    const [executed] = await sql.query(ECHO, params);
    const [bound] = await sql.query(ECHO.text, params);
    expect(executed).toEqual(bound);
    expect(executed).toMatchObject({ n: -7, s, a: [s, null, `x"y`, `a\\b`], j: { text: s }, b: false });
  }
  expect(await sql.query(`SELECT count(*)::int AS n FROM t`)).toEqual([{ n: 0 }]);
  const [nothing] = await sql.query(ECHO, [null, null, null, null, null, null]);
  expect(nothing).toEqual({ n: null, s: null, a: null, at: null, j: null, b: null });
});

it("prepares a statement once, even when many ask for it at the same moment", async () => {
  const COUNT = prepared("test_count", `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = $1`);
  const answers = await Promise.all(Array.from({ length: 5 }, () => sql.query<{ n: number }>(COUNT, ["test_count"])));
  expect(answers.map(([row]) => row!.n)).toEqual([1, 1, 1, 1, 1]);
});

it("runs a prepared statement as it comes inside a transaction", async () => {
  const INSERT = prepared("test_insert", `INSERT INTO t (n, s) VALUES ($1, $2) RETURNING n`);
  await expect(
    sql.transaction(async (tx) => {
      await tx.query(INSERT, [1, "rolled back"]);
      throw new Error("roll back");
    }),
  ).rejects.toThrow("roll back");
  expect(await sql.query(`SELECT count(*)::int AS n FROM t`)).toEqual([{ n: 0 }]);
  expect(await sql.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name = 'test_insert'`)).toEqual([{ n: 0 }]);
});

// PostgreSQL plans a prepared statement's first five runs for their values, and may go on doing so
// for good (GENERIC_PLANS): each of these must be planned once, generically.
const BY_KEY = prepared("test_by_key", `SELECT n FROM t WHERE n = $1`);
const plansOf = `SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'test_by_key'`;

it("plans a prepared statement once, for any parameters", async () => {
  for (let n = 0; n < 7; n++) await sql.query(BY_KEY, [n]);
  expect(await sql.query(plansOf)).toEqual([{ generic: 7, custom: 0 }]);
  // Only those: the session's other queries (Prisma's share it) are planned for their values, after
  // a prepared statement that ran and after one that failed alike.
  expect(await sql.query("SHOW plan_cache_mode")).toEqual([{ plan_cache_mode: "auto" }]);
  await expect(sql.query(BY_KEY, ["not a number"])).rejects.toThrow();
  expect(await sql.query("SHOW plan_cache_mode")).toEqual([{ plan_cache_mode: "auto" }]);
});

const postgres = inject("postgresTemplate");

it.skipIf(!postgres)("plans a prepared statement once on each PostgreSQL session too", async () => {
  const name = `zt_plans_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgres!.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(postgres!.url);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  try {
    await db.sql.exec(`CREATE TABLE t (n int)`);
    // One session: a transaction holds its connection.
    const plans = await db.sql.transaction(async (tx) => {
      for (let n = 0; n < 7; n++) await tx.query(BY_KEY, [n]);
      return tx.query(plansOf);
    });
    expect(plans).toEqual([{ generic: 7, custom: 0 }]);
    // Prisma's queries are planned for their values: a generic plan of an ORM's `LIMIT $n` guesses
    // a tenth of the table, and would sort a whole table to page through it.
    const [prismaSession] = await db.prisma.$queryRawUnsafe<{ plan_cache_mode: string }[]>("SHOW plan_cache_mode");
    expect(prismaSession).toEqual({ plan_cache_mode: "auto" });
    expect(await db.sql.query("SHOW plan_cache_mode")).toEqual([{ plan_cache_mode: "force_generic_plan" }]);
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
