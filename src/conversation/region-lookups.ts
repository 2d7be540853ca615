// The engine's region look-ups over the Region table. A worker types a county, township or village
// the way they say it ("云霄", "莆美", "中柱村"), sometimes misspelt ("云宵县"): names are compared
// without their administrative suffix, and near names are offered when nothing matches exactly.
// Most misspellings from a pinyin keyboard are homophones (云宵 for 云霄), so names that sound the
// same rank just below exact ones. Names repeat across the country, so townships and villages are
// looked up inside their parent, or anywhere only by their very name (with their county's name);
// counties carry their city and province for the worker to choose between. Between places of one
// name, those in the counties the service already has people in come first: a worker of 平和县
// typing 小溪 most likely means 平和县小溪镇, not the one in Anhui that sorts first by code.
import { pinyin } from "pinyin-pro";
import type { Lookups } from "../engine/index.ts";
import type { PrismaClient } from "../db/client.ts";
import { spokenRegionName, TOWNSHIP_SUFFIXES, upperRegions, VILLAGE_SUFFIXES } from "../services/region-lookup.ts";
import { nameWithoutSuffix } from "../shared/place-names.ts";

/** Dice coefficient over characters: tolerant of one wrong or missing character in short names. */
function similarity(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const char of a) counts.set(char, (counts.get(char) ?? 0) + 1);
  let shared = 0;
  for (const char of b) {
    const left = counts.get(char) ?? 0;
    if (left > 0) {
      shared += 1;
      counts.set(char, left - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

const sounds = new Map<string, string>();
/** Toneless pinyin, remembered: the same few thousand names are compared again and again. */
function sound(text: string): string {
  let spoken = sounds.get(text);
  if (spoken === undefined) {
    spoken = pinyin(text, { toneType: "none", type: "array" }).join(" ");
    if (sounds.size < 100_000) sounds.set(text, spoken);
  }
  return spoken;
}

function score(query: string, name: string): number {
  const q = nameWithoutSuffix(query);
  const n = nameWithoutSuffix(name);
  if (!q) return 0;
  if (q === n || query === name) return 1;
  if (n.startsWith(q)) return 0.9;
  if (n.includes(q)) return 0.8;
  if (q.includes(n) && n.length >= 2) return 0.7;
  if (q.length === n.length && sound(q) === sound(n)) return 0.65;
  const near = similarity(q, n);
  // Between equally near names, the one that starts the same way is the likelier one.
  return near >= 0.5 ? 0.5 * near + (q[0] === n[0] ? 0.1 : 0) : 0;
}

interface CountyEntry {
  code: string;
  name: string;
  parentName: string;
}

export type RegionLookups = Pick<Lookups, "findRegions" | "childrenOf">;

/** How long the counties served are trusted: a county's first people wait that long for its places to come first. */
const SERVED_FOR_MS = 10 * 60_000;

/**
 * The counties with people on the roster or registered, from the figures' places (the folded rows
 * and the changes not folded yet): a few hundred rows a county, read every ten minutes at most.
 */
const SERVED_COUNTIES = `
  SELECT left("regionCode", 6) AS county
    FROM (SELECT "regionCode", registered, "onRoster" FROM "PlaceFigures"
          UNION ALL
          SELECT "regionCode", registered, "onRoster" FROM "PlaceFiguresChange") AS places
   GROUP BY 1
  HAVING sum(registered) > 0 OR sum("onRoster") > 0`;

export function createRegionLookups(prisma: PrismaClient, clock: () => number = Date.now): RegionLookups {
  let served: { counties: Promise<Set<string>>; until: number } | undefined;
  const servedCounties = () => {
    if (!served || clock() >= served.until) {
      const counties = prisma.$queryRawUnsafe<{ county: string }[]>(SERVED_COUNTIES).then(
        (rows) => new Set(rows.map((row) => row.county)),
        // An order is not worth failing the question for; a failed read is not kept, the next one tries again.
        () => {
          served = undefined;
          return new Set<string>();
        },
      );
      served = { counties, until: clock() + SERVED_FOR_MS };
    }
    return served.counties;
  };
  const servedFirst = (counties: Set<string>) => (a: { code: string }, b: { code: string }) =>
    Number(counties.has(b.code.slice(0, 6))) - Number(counties.has(a.code.slice(0, 6)));

  let upper: Promise<{ counties: CountyEntry[]; cities: CountyEntry[]; names: Map<string, string> }> | undefined;
  const loadUpper = () =>
    (upper ??= upperRegions(prisma).then((rows) => {
      const names = new Map(rows.map((row) => [row.code, row.name]));
      const cities = rows
        .filter((row) => row.level === 2 && !/市辖区|直辖/.test(row.name))
        .map((row) => ({ code: row.code, name: row.name, parentName: names.get(row.code.slice(0, 2)) ?? "" }));
      const counties = rows
        .filter((row) => row.level === 3)
        .map((row) => {
          const province = names.get(row.code.slice(0, 2)) ?? "";
          const city = names.get(row.code.slice(0, 4)) ?? "";
          // Municipalities list their districts under a "市辖区" pseudo-city: show the province only.
          return { code: row.code, name: row.name, parentName: /市辖区|县$|省直辖/.test(city) ? province : `${province}${city}` };
        });
      return { counties, cities, names };
    }));

  /**
   * Townships (or villages) anywhere in the country by their very name, 莆美 or 莆美镇, through the
   * name's index: names repeat and there are tens of thousands, too many for near matches. Each
   * carries its county's name (from the counties already held for the county question), which tells
   * same-named ones apart. Those in the counties served come first; when more share the name than
   * `limit` (城关镇: hundreds), only those, if there are any and they fit: the worker who lives
   * elsewhere is asked "不是请回复县名" and says their county instead.
   */
  async function namedAnywhere(text: string, level: 4 | 5, limit: number) {
    const typed = nameWithoutSuffix(text);
    if (typed.length < 2) return [];
    const names = [typed, ...(level === 4 ? TOWNSHIP_SUFFIXES : VILLAGE_SUFFIXES).map((suffix) => typed + suffix)];
    const [rows, counties] = await Promise.all([
      prisma.region.findMany({ where: { level, name: { in: names } }, select: { code: true, name: true }, orderBy: { code: "asc" } }),
      servedCounties(),
    ]);
    const local = rows.filter((row) => counties.has(row.code.slice(0, 6)));
    const shown = rows.length > limit && local.length > 0 && local.length <= limit ? local : rows.sort(servedFirst(counties)).slice(0, limit);
    const { names: upperNames } = await loadUpper();
    return shown.map((row) => ({ code: row.code, name: spokenRegionName(row.name), parentName: upperNames.get(row.code.slice(0, 6)) ?? "" }));
  }

  return {
    async findRegions(text, { parentCode, level, limit }) {
      if ((level === 4 || level === 5) && !parentCode) return namedAnywhere(text, level, limit);
      const candidates =
        level === 2
          ? (await loadUpper()).cities
          : level === 3 && !parentCode
          ? (await loadUpper()).counties
          : (
              await prisma.region.findMany({
                where: { level, ...(parentCode ? { code: { startsWith: parentCode } } : {}) },
                select: { code: true, name: true },
                orderBy: { code: "asc" },
              })
            ).map((row) => ({ ...row, name: spokenRegionName(row.name) }));
      const counties = level === 3 ? await servedCounties() : new Set<string>();
      const served = servedFirst(counties);
      return candidates
        .map((region) => ({ region, score: score(text, region.name) }))
        .filter((entry) => entry.score > 0)
        .sort((a, b) => b.score - a.score || served(a.region, b.region) || a.region.code.localeCompare(b.region.code))
        .slice(0, limit)
        .map(({ region }) => region);
    },
    async childrenOf(parentCode) {
      const rows = await prisma.region.findMany({ where: { parentCode }, select: { code: true, name: true }, orderBy: { code: "asc" } });
      return rows.map((row) => ({ code: row.code, name: spokenRegionName(row.name) }));
    },
  };
}
