// Region look-ups for people: names repeat across the country (88 townships are called 城关镇), so a
// name is always resolved inside its parent.
import { ANY_OPERATOR, canSeeRegion, inScope, regionScope, verb, type VerbContext } from "./context.ts";
import { placeNames, spokenRegionName, TOWNSHIP_SUFFIXES, upperRegions, VILLAGE_SUFFIXES } from "./region-lookup.ts";
import { nameWithoutSuffix } from "../shared/place-names.ts";


export interface RegionView {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

/** The provinces; a region's children (`parent`); or regions by name (`q`), inside `parent` when given. Public facts: any operator. */
export const listRegions = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: { parent?: string | undefined; q?: string | undefined; limit: number }): Promise<RegionView[]> => {
  const where = query.q
    ? { name: { contains: query.q }, ...(query.parent ? { code: { startsWith: query.parent } } : {}) }
    : query.parent
      ? { parentCode: query.parent }
      : { level: 1 };
  return ctx.db.region.findMany({
    where,
    orderBy: [{ level: "asc" }, { code: "asc" }],
    take: query.limit,
    select: { code: true, name: true, level: true, parentCode: true },
  });
});

/** Places' display names by code (云霄县莆美镇中柱村), for lists that show where people live. */
export const namesOfPlaces = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, codes: readonly (string | null)[]): Promise<Map<string, string>> =>
  placeNames(ctx.db, codes),
);

/**
 * The townships and villages of the actor's regions, in code order (each township before its
 * villages), for a list to pick one from; null where there are more than `limit` (a province's
 * official, an administrator): there a code is typed instead.
 */
export const placesToPick = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: { limit: number }): Promise<RegionView[] | null> => {
  const scope = regionScope(ctx.actor);
  if (!scope) return null;
  const places = await ctx.db.region.findMany({
    where: { level: { in: [4, 5] }, ...inScope(scope, "code") },
    orderBy: { code: "asc" },
    take: query.limit + 1,
    select: { code: true, name: true, level: true, parentCode: true },
  });
  return places.length > query.limit ? null : places;
});

/** What a place typed in a form comes to: its code, nothing, or several places of that name. */
export type TypedPlace =
  | { code: string }
  | { unknown: true }
  | { several: { code: string; name: string }[] }
  /** the place exists, but only outside the actor's regions (and it may not be anywhere): its full name */
  | { elsewhere: string };

/** The names of a city's place in the tree that are no place (市辖区, 省直辖县级行政区划), left out of full names. */
const NO_PLACE = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
/** What a township's or village's name may end with beyond the name people use for it (莆美 → 莆美镇, 中柱 → 中柱村委会). */
const LOWER_ENDINGS = [...TOWNSHIP_SUFFIXES, ...VILLAGE_SUFFIXES];
/** 屏边苗族自治县 → 屏边(县), 广西壮族自治区 → 广西: an autonomous place is said without its peoples. */
const PEOPLES =
  /(?:(?:蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺)族)+自治(州|县|旗|区)$/;

/** A name without its peoples and its administrative ending, when two characters are left: 云霄县 → 云霄, 屏边苗族自治县 → 屏边. */
function bareName(name: string): string {
  const withoutPeoples = name.replace(PEOPLES, "");
  return nameWithoutSuffix(withoutPeoples.length >= 2 ? withoutPeoples : name);
}

/** The ways a place's name is typed: as stored, as said (中柱村), bare (云霄, 屏边), an autonomous one's short name (黔东南州). */
function namesTyped(name: string): string[] {
  const spoken = spokenRegionName(name);
  const autonomous = PEOPLES.exec(name);
  return [...new Set([name, spoken, bareName(name), bareName(spoken), ...(autonomous ? [name.slice(0, autonomous.index) + autonomous[1]] : [])])];
}

/** The longest ending of `text` that names the place `name` (as typed, or the start of its name): "" when none does. */
function endingNaming(text: string, name: string, abbreviated: boolean): string {
  const forms = namesTyped(name);
  for (let start = 0; start <= text.length - 2; start++) {
    const ending = text.slice(start);
    if (forms.includes(ending) || (abbreviated && name.startsWith(ending))) return ending;
  }
  return "";
}

const MAX_PLACE_TEXT = 60;

/**
 * A place as an official types it in the console's forms: a code (taken as it is, for the verb
 * that uses it to check), or a name, with as much of the places above it as it takes to tell
 * same-named ones apart (云霄县, 云霄, 漳州市云霄县, 福建漳州云霄, 云霄县莆美镇, 鼓楼区 in a city's
 * scope). Only places at `levels` (1 province … 5 village) in the actor's regions are found: a
 * county official's 鼓楼区 is their own; with `anywhere` (where someone works, a vacancy), places
 * elsewhere too when none of the actor's has the name.
 */
export const placeTyped = verb(
  { roles: ANY_OPERATOR, writes: false },
  async (ctx: VerbContext, query: { text: string; levels: readonly number[]; anywhere?: boolean }): Promise<TypedPlace> => {
    const typed = query.text.replace(/[\s\p{P}]/gu, "");
    if (/^\d+$/.test(typed)) return { code: typed };
    // The longest full name (province to village) is about forty characters; longer text names no
    // place, and its endings would grow with its square.
    if (typed.length < 2 || typed.length > MAX_PLACE_TEXT) return { unknown: true };
    const endings = Array.from({ length: typed.length - 1 }, (_, start) => typed.slice(start));
    const found: { code: string; name: string }[] = [];
    if (query.levels.some((level) => level <= 3)) {
      found.push(...(await upperRegions(ctx.db)).filter((region) => query.levels.includes(region.level)));
    }
    const lower = query.levels.filter((level) => level >= 4);
    if (lower.length > 0) {
      // Townships and villages are too many to look through: their names as typed, with each ending.
      const names = endings.flatMap((ending) => [ending, ...LOWER_ENDINGS.flatMap((end) => [ending + end, bareName(ending) + end])]);
      found.push(...(await ctx.db.region.findMany({ where: { level: { in: lower }, name: { in: [...new Set(names)] } }, select: { code: true, name: true } })));
    }
    // Each place named by an ending of what was typed; what is left before it must name places above it.
    const named = found.flatMap((region) => {
      const ending = endingNaming(typed, region.name, region.code.length <= 6);
      return ending ? [{ region, above: typed.slice(0, typed.length - ending.length) }] : [];
    });
    if (named.length === 0) return { unknown: true };
    const aboveCodes = (code: string) => [2, 4, 6, 9].filter((length) => length < code.length).map((length) => code.slice(0, length));
    const aboveNames = new Map(
      (await ctx.db.region.findMany({ where: { code: { in: [...new Set(named.flatMap(({ region }) => aboveCodes(region.code)))] } }, select: { code: true, name: true } })).map((row) => [row.code, row.name]),
    );
    const everywhere = named.filter(({ region, above }) => {
      let left = above;
      for (const code of aboveCodes(region.code).reverse()) left = left.slice(0, left.length - endingNaming(left, aboveNames.get(code) ?? "", true).length);
      return left === "";
    });
    // The operator's own places first: a county official's 城关镇 is theirs; elsewhere only where the place may be anywhere.
    const own = everywhere.filter(({ region }) => canSeeRegion(ctx.actor, region.code));
    const places = own.length > 0 || !query.anywhere ? own : everywhere;
    const full = new Map<string, string>(aboveNames);
    for (const { region } of everywhere) full.set(region.code, region.name);
    const fullName = (code: string) =>
      [...aboveCodes(code), code]
        .map((prefix) => full.get(prefix) ?? "")
        .filter((name) => name && !NO_PLACE.test(name))
        .map(spokenRegionName)
        .join("");
    const codes = [...new Set(places.map(({ region }) => region.code))].sort();
    // Not "no such place" when there is one: the official is told it is not theirs.
    if (codes.length === 0) return everywhere.length > 0 ? { elsewhere: fullName(everywhere[0]!.region.code) } : { unknown: true };
    if (codes.length === 1) return { code: codes[0]! };
    return { several: codes.map((code) => ({ code, name: fullName(code) })) };
  },
);
