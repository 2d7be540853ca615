// Many rows into one table in one statement: each column's values travel as one array parameter and
// are unnested back into rows. Prisma's createMany binds every value as a parameter of its own,
// which on the embedded database costs about a millisecond a row; a county's roster is 100,000.
import type { Db } from "./client.ts";

/**
 * A column's SQL type. An enum's (a quoted type name, "Sex") travels as text and is cast in place;
 * `sql` is a constant expression for every row (a default Prisma would have written).
 */
export type ColumnType = string | { sql: string };

/** Inserts rows (objects keyed by column) into `table`; columns and types are the caller's code, never input. */
export async function insertRows(db: Db, table: string, columns: Readonly<Record<string, ColumnType>>, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const carried = names.filter((name) => typeof columns[name] === "string");
  const parameter = (name: string) => {
    const type = columns[name] as string;
    return `$${carried.indexOf(name) + 1}::${type.startsWith('"') ? "text" : type}[]`;
  };
  const value = (name: string) => {
    const type = columns[name]!;
    if (typeof type !== "string") return type.sql;
    return type.startsWith('"') ? `t."${name}"::${type}` : `t."${name}"`;
  };
  await db.$executeRawUnsafe(
    `INSERT INTO "${table}" (${names.map((name) => `"${name}"`).join(", ")})
     SELECT ${names.map(value).join(", ")}
     FROM unnest(${carried.map(parameter).join(", ")}) AS t(${carried.map((name) => `"${name}"`).join(", ")})`,
    ...carried.map((name) => rows.map((row) => row[name] ?? null)),
  );
}
