// Places by name, as people say them: a region's name without its administrative suffix where that
// is how it is spoken, and the names of places for what is sent (云霄县莆美镇).
import type { Db } from "../db/client.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";

/** 中柱村委会 → 中柱村, 城南社区居民委员会 → 城南社区: how people name their village. */
export function spokenRegionName(name: string): string {
  return name.replace(/(村民委员会|村委会)$/, "村").replace(/(社区)?(居民委员会|居委会)$/, "社区");
}

/** What a township's or a village's name may end with after the name people say (莆美 → 莆美镇). */
export const TOWNSHIP_SUFFIXES = ["镇", "乡", "街道", "苏木"];
export const VILLAGE_SUFFIXES = ["村", "村委会", "村民委员会", "社区", "社区居民委员会", "居委会"];

export interface UpperRegion {
  code: string;
  name: string;
  level: number;
}

const upperRegionsOf = new WeakMap<Db, Promise<UpperRegion[]>>();

/**
 * Provinces, cities and counties (3,351 rows), looked through whole by the chat's county question
 * and the console's places: read once for each database client; a failed read is tried again.
 */
export function upperRegions(db: Db): Promise<UpperRegion[]> {
  let rows = upperRegionsOf.get(db);
  if (!rows) {
    rows = db.region.findMany({ where: { level: { lte: 3 } }, select: { code: true, name: true, level: true } }).catch((error: unknown) => {
      upperRegionsOf.delete(db);
      throw error;
    });
    upperRegionsOf.set(db, rows);
  }
  return rows;
}

/** The codes whose names make up a place's display name: a county and what lies inside it, else the city's or province's own. */
const displayedPrefixes = (code: string) => (code.length < 6 ? [code.slice(0, 4)] : [6, 9, 12].filter((length) => code.length >= length).map((length) => code.slice(0, length)));

/**
 * A place's display name from the names of the regions around it (by code, as stored: a
 * superset does no harm): 云霄县莆美镇 (county and township; a village adds its own; 漳州市 for a city).
 */
export const displayName = (code: string, names: ReadonlyMap<string, string>) => displayParts(code, names).join("");

/**
 * The names a place's display name is made of, county first (["云霄县", "云陵镇", "望安社区"]). Some
 * 2,500 villages and 300 townships repeat the place above in their own name (云陵镇望安社区 in
 * 云陵镇, 高阳县锦华街道 in 高阳县): said once, not 云陵镇云陵镇望安社区.
 */
function displayParts(code: string, names: ReadonlyMap<string, string>): string[] {
  const parts = displayedPrefixes(code).map((prefix) => spokenRegionName(names.get(prefix) ?? "")).filter(Boolean);
  return parts.map((part, index) => {
    const above = parts[index - 1];
    return above && part.startsWith(above) && part.length - above.length >= 2 ? part.slice(above.length) : part;
  });
}

/** Asked in a coordinator's alert and in many a chat's reply: one prepared statement, through Prisma or not (sqlOn). */
const REGION_NAMES = prepared("region_names", `SELECT code, name FROM "Region" WHERE code = ANY($1::text[])`);

/** Names of places for display, by code. */
export async function placeNames(db: Db | SqlRunner, codes: readonly (string | null)[]): Promise<Map<string, string>> {
  const names = await namesAround(db, codes);
  const result = new Map<string, string>();
  for (const code of codes) if (code) result.set(code, displayName(code, names));
  return result;
}

/** The names of the regions that make up the places' display names, by code. */
async function namesAround(db: Db | SqlRunner, codes: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = new Set(codes.flatMap((code) => (code ? displayedPrefixes(code) : [])));
  const regions = wanted.size > 0 ? await sqlOn(db).query<{ code: string; name: string }>(REGION_NAMES, [[...wanted]]) : [];
  return new Map(regions.map((region) => [region.code, region.name]));
}

/** One place's display name, "" when there is none. */
export async function placeName(db: Db | SqlRunner, code: string | null): Promise<string> {
  return (await placeParts(db, code)).join("");
}

/** One place's display name in its parts, county first: for a text that must shorten it by whole names. */
export async function placeParts(db: Db | SqlRunner, code: string | null): Promise<string[]> {
  return code ? displayParts(code, await namesAround(db, [code])) : [];
}

