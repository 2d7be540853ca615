// Where a vacancy is, as job boards give it: often only a city (合肥市) or a province, sometimes
// nothing, with the county written in the text (肥西县桃花工业园). The text narrows a coarse or
// missing place to the one county (or city) it names, so that those who stay home can be matched.
import type { Db } from "../db/client.ts";
import { countyWithoutSuffix } from "../shared/identifiers.ts";

interface NamedRegion {
  code: string;
  name: string;
  /** the name without 县/区/市 (肥西 for 肥西县): read only inside a city or province given */
  short?: true;
}

/** Counties and cities by the first character of their name, to find names in a text in one pass. */
interface PlaceIndex {
  byFirstChar: Map<string, NamedRegion[]>;
}

const indexes = new WeakMap<object, Promise<PlaceIndex>>();

/** The names a region is written by: its full name, and (for inside a known place) its name without 县/区/市. */
function indexOf(rows: readonly NamedRegion[]): PlaceIndex {
  const byFirstChar = new Map<string, NamedRegion[]>();
  const add = (region: NamedRegion) => byFirstChar.set(region.name[0]!, [...(byFirstChar.get(region.name[0]!) ?? []), region]);
  for (const region of rows) {
    add(region);
    const short = countyWithoutSuffix(region.name);
    if (short.length >= 2 && short !== region.name) add({ code: region.code, name: short, short: true });
  }
  return { byFirstChar };
}

function placeIndex(db: Db): Promise<PlaceIndex> {
  let index = indexes.get(db);
  if (!index) {
    // Provinces, cities and counties: a few thousand rows, read once per database handle.
    index = db.region.findMany({ where: { level: { lte: 3 } }, select: { code: true, name: true } }).then((rows) => indexOf(rows.filter((row) => row.name.length >= 2 && !/市辖区|直辖/.test(row.name))));
    indexes.set(db, index);
  }
  return index;
}

/** The regions whose full names the text contains, within a region (by code prefix) when given. */
function regionsNamed(index: PlaceIndex, text: string, within: string | null): NamedRegion[] {
  const found = new Map<string, NamedRegion>();
  for (let at = 0; at < text.length; at++) {
    for (const region of index.byFirstChar.get(text[at]!) ?? []) {
      const inScope = within ? region.code.startsWith(within) : !region.short;
      if (inScope && text.startsWith(region.name, at)) found.set(region.code, region);
    }
  }
  return [...found.values()];
}

/**
 * The code of a place given by its name instead (合肥市, 合肥, 安徽省, 肥西县): the one province, city
 * or county of that name; null when none or several are.
 */
export async function regionNamed(db: Db, name: string): Promise<string | null> {
  const typed = name.replace(/\s/g, "");
  const index = await placeIndex(db);
  const named = new Set((index.byFirstChar.get(typed[0] ?? "") ?? []).filter((region) => region.name === typed).map((region) => region.code));
  return named.size === 1 ? [...named][0]! : null;
}

/**
 * The vacancy's place: the code given when it is a county or deeper; else the one county the text
 * names inside the given city or province (or anywhere, when none is given); else, with none given,
 * the one city the text names; else what was given.
 */
export async function narrowedPlace(db: Db, regionCode: string | null, text: string): Promise<string | null> {
  if (regionCode && regionCode.length >= 6) return regionCode;
  if (!text) return regionCode;
  const named = regionsNamed(await placeIndex(db), text, regionCode).filter((region) => region.code.length >= 4);
  const counties = named.filter((region) => region.code.length === 6);
  if (counties.length === 1) return counties[0]!.code;
  // Several counties named (a list of branches, say): the city or province given stands.
  if (counties.length > 1 || regionCode) return regionCode;
  const cities = named.filter((region) => region.code.length === 4);
  return cities.length === 1 ? cities[0]!.code : null;
}
