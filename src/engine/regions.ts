// Asking where something is: a county typed by name (with a choice when several match or none
// does), then its township from a menu. The worker's home, an employer's place and a vacancy's place
// all walk the same steps; each keeps its answers in its own part of the session.
import { NOT_A_CHOICE, noChoice, stateSchemas, yesChoice } from "./flow.ts";
import { z } from "zod";
import type { Env, Outcome, Reply, Step } from "./flow.ts";
import { compact, matchChoiceWord, readOptionNumbers, YES_WORDS, type Choice } from "./input.ts";
import { optionsPerPage } from "./render.ts";
import type { Answers, EditableField, Position, RegionChoice, StepId } from "./types.ts";
import { nameWithoutSuffix } from "../shared/place-names.ts";

/** What a county question keeps while it is asked: what the person typed, and the counties it may name. */
export interface RegionScratch {
  countyQuery?: string;
  countyCandidates?: RegionChoice[];
  /** a township typed that lies in another county of the city: asked "南诏镇在诏安县，是吗？" */
  townshipElsewhere?: { county: RegionChoice; township: RegionChoice };
  /** that was not it: the township menu again */
  townshipAgain?: boolean;
  /** the county offered (RegionWalk.countyOffer) is not it: the county question as such */
  countyOfferDeclined?: boolean;
  /** the words a township was named in, which may name the village too (陈岱镇岱东村) */
  placeSaid?: string;
}
export const regionScratchSchema = z
  .object({
    countyQuery: z.string(),
    countyCandidates: z.array(stateSchemas.region),
    townshipElsewhere: z.object({ county: stateSchemas.region, township: stateSchemas.region }),
    townshipAgain: z.boolean(),
    countyOfferDeclined: z.boolean(),
    placeSaid: z.string().max(200),
  })
  .partial();

/**
 * The one village of a township that words name (陈岱镇岱东村 names 岱东村; 岱东 too), or null when
 * none or several do.
 */
export async function villageNamedIn(text: string, township: RegionChoice, env: Env): Promise<RegionChoice | null> {
  // Without the township's own name: 莆美镇 names no 莆美村.
  const said = compact(text).replace(compact(township.name), "").replace(nameWithoutSuffix(township.name), "");
  if (said.length < 2) return null;
  const named = (await regionChoices(township, env)).filter((village) => [village.label, ...(village.words ?? [])].some((name) => said.includes(compact(name))));
  return named.length === 1 ? { code: named[0]!.key, name: named[0]!.label } : null;
}

/** "莆东村委会" → "莆东村", "云陵镇望安社区居民委员会" under 云陵镇 → "望安社区": short enough for SMS menus. */
export function shortRegionName(name: string, parentName = ""): string {
  const short = name.replace(/(村民委员会|村委会)$/, "村").replace(/(居民委员会|居委会)$/, "");
  return parentName && short.startsWith(parentName) && short.length > parentName.length
    ? short.slice(parentName.length)
    : short;
}

/**
 * A place's children as choices, each also named as people say it, without its suffix: "云陵" is
 * then 云陵镇 itself, not a part of both 云陵镇 and 云陵工业开发区.
 */
export async function regionChoices(parent: RegionChoice, env: Env): Promise<Choice[]> {
  const children = await env.ctx.lookups.childrenOf(parent.code);
  return children.map((child) => {
    const label = shortRegionName(child.name, parent.name);
    const said = nameWithoutSuffix(label);
    return { key: child.code, label, ...(said.length >= 2 && said !== label ? { words: [said] } : {}) };
  });
}

/** "福建省福州市" → "福州市": the city tells same-named counties apart in a menu that fits one SMS. */
const cityOf = (parentName: string) => parentName.replace(/^.+?(省|自治区)/, "") || parentName;

export const chosenRegion = (reply: Reply): RegionChoice | undefined => {
  const [choice] = reply.chosen;
  return choice && { code: choice.key, name: choice.label };
};

/** A typed name names a region when it is the region's name, or its start ("云霄" for 云霄县). */
const namesRegion = (typed: string, region: RegionChoice) => compact(region.name).startsWith(compact(typed));

export interface PlaceAnswers {
  county?: RegionChoice;
  township?: RegionChoice;
  /** a city instead of a county (a vacancy's place only, see RegionWalk.acceptsCity) */
  city?: RegionChoice;
  /** with a city: the job may be anywhere in it ("合肥市里都行") */
  anywhereInCity?: boolean;
}

export interface RegionWalk {
  ids: { county: StepId; countyChoice: StepId; township: StepId };
  /** The 修改 field the steps fill (the worker's home only). */
  field?: EditableField;
  countyPrompt: string;
  read(answers: Answers): PlaceAnswers;
  /** The answers to merge when the place changes; a new county clears what lay below it. */
  write(answers: Answers, place: PlaceAnswers): Partial<Answers>;
  afterTownship: StepId;
  /** A county the data has no townships for ends the walk at the county. */
  townshipPrompt: string;
  /** A city named instead of a county is taken as the place (a vacancy can be "合肥市里都行"). */
  acceptsCity?: true;
  /**
   * A county the answers already point at, offered first as a yes or no (`question`, asked with its
   * name): the worker's ID number begins with the county that issued it, which for most rural
   * workers is still home; an employer's credit code holds the division of the office that
   * registered it.
   */
  countyOffer?: { code(answers: Answers): string | undefined; question(county: string): string };
}

/** Words that say a job may be anywhere in the city named. */
const ANYWHERE_IN_CITY = /都行|都可以|均可|哪里|随便|全市|市里|市内|市区|不限/u;

/** "合肥市里都行", "合肥": the one city whose name the reply holds, when it names no county. */
async function cityNamed(text: string, env: Env): Promise<RegionChoice | null> {
  const typed = compact(text);
  const cities = (await env.ctx.lookups.findRegions(text.trim(), { level: 2, limit: 5 })).filter((city) => {
    const core = compact(city.name).replace(/市$/, "");
    return core.length >= 2 && typed.includes(core);
  });
  return cities.length === 1 ? { code: cities[0]!.code, name: cities[0]!.name } : null;
}

/** A township offered at the county question (see townshipsNamed), not a county. */
const isTownship = (region: RegionChoice) => region.code.length > 6;

/** The county, county-choice and township steps of one walk. */
export function regionSteps(walk: RegionWalk): [Step, Step, Step] {
  const { ids } = walk;
  // A township offered for the county question (see townshipsNamed) answers both at once.
  const pickCounty = (region: RegionChoice, position: Position): Outcome => ({
    answers: walk.write(
      position.answers,
      isTownship(region)
        ? { county: { code: region.code.slice(0, 6), name: region.parentName ?? "" }, township: { code: region.code, name: region.name } }
        : { county: region, township: undefined },
    ),
  });
  /** 云霄县莆美镇山美村: the county, and its township when the rest names one (the village step looks at the words again). */
  const pickPlace = async ({ county, rest }: { county: RegionChoice; rest: string }, said: string, position: Position, env: Env): Promise<Outcome> => {
    const townships = (await regionChoices(county, env)).filter((township) => [township.label, ...(township.words ?? [])].some((name) => rest.startsWith(compact(name))));
    if (townships.length !== 1) return pickCounty(county, position);
    const township = { code: townships[0]!.key, name: townships[0]!.label };
    return { answers: walk.write(position.answers, { county, township }), carry: { placeSaid: said.slice(0, 200) } };
  };
  const pickCity = (city: RegionChoice, typed: string, position: Position): Outcome => ({
    answers: walk.write(position.answers, { city, anywhereInCity: ANYWHERE_IN_CITY.test(typed.replace(compact(city.name), "")) }),
  });

  /**
   * The county offered, if it is one (an office of a city registers under the city's code) that still
   * exists (codes of merged counties are gone), and was not declined.
   */
  const offered = async ({ answers, scratch }: Position, env: Env): Promise<RegionChoice | null> => {
    const code = scratch.countyOfferDeclined ? undefined : walk.countyOffer?.code(answers);
    if (!code || !/^\d{6}$/.test(code)) return null;
    const county = (await env.ctx.lookups.childrenOf(code.slice(0, 4))).find((region) => region.code === code);
    return county ? { code: county.code, name: county.name } : null;
  };

  const offerQuestion = (offer: RegionChoice) => walk.countyOffer!.question(offer.name);

  const county: Step = {
    id: ids.county,
    ...(walk.field ? { field: walk.field } : {}),
    async prompt(position, env) {
      const offer = await offered(position, env);
      return offer ? { text: offerQuestion(offer), choices: [yesChoice("是"), noChoice("不是")] } : { text: walk.countyPrompt };
    },
    async read({ text: said, chosen }, position, env) {
      // Read for the county choice too (a name typed there): the offer is this question's alone.
      const offer = position.step === ids.county ? await offered(position, env) : null;
      // A name not found is asked again as the question stands: with an offer, its 是 / 不是 follow.
      const askAgain = offer ? offerQuestion(offer) : "请说县名，如：云霄县";
      // 我家在莆美镇山美村, 是的，在陈岱, 不是，我在漳浦县: the place without the words around it.
      const text = placeSpoken(said) || said;
      const typed = compact(text);
      if (!typed) return { error: offer ? askAgain : "请回复县名，如：云霄县" };
      const limit = optionsPerPage(env.ctx.capabilities);
      const found = await env.ctx.lookups.findRegions(text.trim(), { level: 3, limit });
      const shown = typed.slice(0, 8);
      const named = found.filter((region) => namesRegion(typed, region));
      // A county named is the answer, before any yes read into it: 中江 and 行唐 hold words for yes.
      if (named.length === 1) return pickCounty(named[0]!, position);
      const before = await countyBeforePlace(text, env);
      if (before) return pickPlace(before, text, position, env);
      // 莆美镇, 莆美镇山美村 or 山美村 said to "您家在云霄县吗？": a place of the county offered is a yes, and more.
      const inOffer = offer ? ((await townshipStarting(text, offer, env)) ?? (await townshipOfVillage(text, offer, env))) : null;
      if (inOffer) return pickPlace({ county: offer!, rest: typed.startsWith(compact(inOffer.name)) ? typed : compact(inOffer.name) }, text, position, env);
      if (offer && chosen[0]?.key === "yes") return pickCounty(offer, position);
      if (offer && chosen[0]?.key === "no") return { carry: { countyOfferDeclined: true } };
      const city = walk.acceptsCity ? await cityNamed(text, env) : null;
      if (city) return pickCity(city, typed, position);
      const townships = named.length === 0 ? await townshipsNamed(text, limit, env) : [];
      if (townships.length > 0) return { carry: { countyQuery: shown, countyCandidates: townships } };
      if (found.length === 0) return { error: `没找到"${shown}"。${askAgain}` };
      return { carry: { countyQuery: shown, countyCandidates: found } };
    },
    next: ({ answers, scratch }) => {
      if (scratch.countyCandidates) return ids.countyChoice;
      if (scratch.countyOfferDeclined) return ids.county;
      const place = walk.read(answers);
      return place.city || place.township ? walk.afterTownship : ids.township;
    },
  };

  const countyChoice: Step = {
    id: ids.countyChoice,
    ...(walk.field ? { field: walk.field } : {}),
    // Typing another county name is the way back, and the prompt says so.
    noBackHint: true,
    prompt: ({ scratch }) => {
      const candidates = scratch.countyCandidates ?? [];
      const query = scratch.countyQuery ?? "";
      const several = candidates.filter((region) => namesRegion(query, region)).length > 1;
      const townships = candidates.some(isTownship);
      return {
        text: townships ? (candidates.length > 1 ? `是哪一个？不是请回复县名` : `是这里吗？不是请回复县名`) : several ? `哪个"${query}"？也可重说县名` : `没找到"${query}"，是不是：`,
        choices: candidates.map((region) => ({
          key: region.code,
          label: townships ? `${region.parentName ?? ""}${region.name}` : region.parentName ? `${region.name}(${cityOf(region.parentName)})` : region.name,
          // 是, 对 to "是这里吗？" with one place offered
          ...(candidates.length === 1 ? { words: YES_WORDS } : {}),
        })),
      };
    },
    async read(reply, position, env) {
      const candidates = position.scratch.countyCandidates ?? [];
      const chosen = candidates.find((region) => region.code === reply.chosen[0]?.key);
      if (chosen) return pickCounty(chosen, position);
      // 山美村 to "是这里吗？ 1 云霄县莆美镇": the village answers which township (the village step takes it).
      const holding = await townshipsHoldingVillage(reply.text, candidates.filter(isTownship), env);
      if (holding.length === 1) return { ...pickCounty(holding[0]!, position), carry: { placeSaid: reply.text.slice(0, 200) } };
      // 不是 to the places offered: the county question, as such (不是 names no county).
      if (matchChoiceWord(reply.text, [noChoice("不是")])) return { carry: { countyOfferDeclined: true } };
      // Anything else is the county's name typed again.
      return county.read(reply, position, env);
    },
    next: county.next,
  };

  const township: Step = {
    id: ids.township,
    ...(walk.field ? { field: walk.field } : {}),
    prompt: async ({ answers, scratch }, env) => {
      const elsewhere = scratch.townshipElsewhere;
      if (elsewhere) return { text: `${elsewhere.township.name}在${elsewhere.county.name}，是吗？`, choices: [yesChoice("是"), noChoice("不是")] };
      return { text: walk.townshipPrompt, choices: await regionChoices(walk.read(answers).county!, env) };
    },
    given: async ({ answers }, env) =>
      (await env.ctx.lookups.childrenOf(walk.read(answers).county!.code)).length === 0 ? {} : undefined,
    async read(reply, { answers, scratch }, env) {
      const elsewhere = scratch.townshipElsewhere;
      if (elsewhere) {
        const [said] = reply.chosen;
        if (!said) return { error: NOT_A_CHOICE };
        return said.key === "yes" ? { answers: walk.write(answers, elsewhere) } : { carry: { townshipAgain: true } };
      }
      const chosen = chosenRegion(reply);
      // Named in words, the reply may name the village as well: the next step looks (villageNamedIn).
      const named = readOptionNumbers(reply.text) === null ? { carry: { placeSaid: reply.text.slice(0, 200) } } : {};
      if (chosen) return { answers: walk.write(answers, { ...walk.read(answers), township: chosen }), ...named };
      const found = await townshipInAnotherCounty(reply.text, walk.read(answers).county!, env);
      return found ? { carry: { townshipElsewhere: found } } : { error: "没找到这个乡镇，请回复数字" };
    },
    next: ({ scratch }) => (scratch.townshipElsewhere || scratch.townshipAgain ? ids.township : walk.afterTownship),
  };

  return [county, countyChoice, township];
}

/**
 * A township named where a county was asked (莆美镇, when people say where they live by their
 * township): the ones of that very name anywhere in the country, if they fit one menu; more (城关镇)
 * tell the person nothing, and the county question stands.
 */
async function townshipsNamed(text: string, limit: number, env: Env): Promise<RegionChoice[]> {
  const found = await env.ctx.lookups.findRegions(text.trim(), { level: 4, limit: limit + 1 });
  return found.length <= limit ? found : [];
}

/**
 * 云霄县莆美镇, 云霄莆美: one county named at the start of the words, and the words after it. A
 * county's name within other words (中江 in 中江路) is not one: only at the start, with more after.
 */
async function countyBeforePlace(text: string, env: Env): Promise<{ county: RegionChoice; rest: string } | null> {
  const typed = compact(text);
  const found = await env.ctx.lookups.findRegions(text.trim(), { level: 3, limit: 20 });
  const starts = found.flatMap((county) => {
    const name = [compact(county.name), nameWithoutSuffix(county.name)].find((name) => name.length >= 2 && typed.length > name.length && typed.startsWith(name));
    return name ? [{ county: { code: county.code, name: county.name }, rest: typed.slice(name.length) }] : [];
  });
  return starts.length === 1 ? starts[0]! : null;
}

/** The words people put around a place's name (我家在…, 是的，在…, …的): the place alone, or "" when nothing is left. */
function placeSpoken(text: string): string {
  return compact(text)
    .replace(/^(不是|是的|是|对的|对|嗯)/u, "")
    .replace(/^(我们家|我家|我|家)?(就)?(住在|在|是|住)?/u, "")
    .replace(/(的人|的|人|这边|那边|这里|那里|那块)$/u, "");
}

/**
 * The township of a county whose name (or its name without 镇/乡) the words begin with, the longest
 * such name (云陵工业开发区 is not 云陵镇): 莆美镇山美村, 陈岱的.
 */
async function townshipStarting(text: string, county: RegionChoice, env: Env): Promise<RegionChoice | null> {
  const typed = compact(text);
  const starts = (await regionChoices(county, env))
    .map((township) => ({ township, length: Math.max(0, ...[township.label, ...(township.words ?? [])].map(compact).filter((name) => typed.startsWith(name)).map((name) => name.length)) }))
    .filter((start) => start.length > 0)
    .sort((a, b) => b.length - a.length);
  const [longest, next] = starts;
  return longest && (!next || next.length < longest.length) ? { code: longest.township.key, name: longest.township.label } : null;
}

/**
 * The township of the one village of a county the words name by its very name (山美村, 山美): the
 * village step reads the words again. Null when none or several do.
 */
async function townshipOfVillage(text: string, county: RegionChoice, env: Env): Promise<RegionChoice | null> {
  const typed = nameWithoutSuffix(text);
  if (typed.length < 2) return null;
  const townships = await env.ctx.lookups.childrenOf(county.code);
  const villages = (await env.ctx.lookups.findRegions(text.trim(), { parentCode: county.code, level: 5, limit: 5 })).filter(
    (village) => nameWithoutSuffix(shortRegionName(village.name)) === typed,
  );
  if (villages.length !== 1) return null;
  return townships.find((place) => villages[0]!.code.startsWith(place.code)) ?? null;
}

/** The townships among these in which the words name exactly one village (only one township may hold it). */
async function townshipsHoldingVillage(text: string, townships: RegionChoice[], env: Env): Promise<RegionChoice[]> {
  const holding = [];
  for (const township of townships) if (await villageNamedIn(text, township, env)) holding.push(township);
  return holding;
}

/**
 * A township named that is not in the county chosen but in exactly one other county of its city (诏安县's
 * 南诏镇 typed after choosing 云霄县): the county was probably the slip.
 */
async function townshipInAnotherCounty(text: string, county: RegionChoice, env: Env): Promise<{ county: RegionChoice; township: RegionChoice } | null> {
  const typed = compact(text);
  if (typed.length < 2) return null;
  const city = county.code.slice(0, 4);
  const found = (await env.ctx.lookups.findRegions(text.trim(), { parentCode: city, level: 4, limit: 5 })).filter(
    (region) => namesRegion(typed, region) && !region.code.startsWith(county.code),
  );
  if (found.length !== 1) return null;
  const township = found[0]!;
  const home = (await env.ctx.lookups.childrenOf(city)).find((region) => township.code.startsWith(region.code));
  return home ? { county: { code: home.code, name: home.name }, township: { code: township.code, name: township.name } } : null;
}

/** The deepest place a walk reached, and its name for display (云霄县莆美镇, or 合肥市 for a city). */
export function placeOf({ county, township, city }: PlaceAnswers): { code: string; name: string } | null {
  if (!county) return city ? { code: city.code, name: city.name } : null;
  return { code: (township ?? county).code, name: county.name + (township?.name ?? "") };
}
