// Region look-ups for people: names repeat across the country (88 townships are called 城关镇), so a
// name is always resolved inside its parent.
import { ANY_OPERATOR, inScope, regionScope, verb, type VerbContext } from "./context.ts";
import { placeNames } from "./region-lookup.ts";


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
