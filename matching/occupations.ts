// Maps free-text job titles ("日结轻松保安+包吃住", "招保姆接送孩子") to an occupation of China's
// occupation classification, 2022 edition (code such as "4-10-01-06" 家政服务员).
//
// Titles are cleaned of recruiting noise first (title-text.ts), then two scorers are combined:
// 1. A dictionary scorer over the classification itself. Every occupation name and everyday alias found
//    inside a cleaned segment is a direct hit, scoring higher the more of its segment it covers and when
//    it ends the segment (Chinese job titles put the head noun last: "汽车销售" is a salesperson, not a
//    car mechanic); character-bigram TF-IDF against names, aliases and 小类 names catches titles with no
//    alias. It knows every occupation, including the many that no labelled posting names.
// 2. A naive Bayes model over character n-grams (title-model.ts), learned from real posting titles
//    labelled with codes (data/title-examples.json) and from the names and aliases. It knows how postings
//    are actually coded, which the dictionary alone misses more often than not on the labelled titles.
// The model's length-scaled log-probability plus a multiple of the dictionary score goes through a
// softmax over the model's classes. Labelled titles are sometimes coded to a group ("销售人员"
// 4-01-02-00) rather than an occupation; the model learns those groups as classes and hands their share
// to one member, since only occupations are answers. A calibrated map of each occupation's share is its
// confidence. Definitions and task texts were tried as a third source and left out: they did not change
// the held-out accuracy and cost a third of the start-up time.
//
// Pure module: the catalogue and the labelled titles are imported as JSON (works on Node and Cloudflare
// Workers) and both scorers are built lazily on first use, in about 0.2 s. Rebuild the catalogue with
// `node scripts/build-occupations.mjs`, the labelled titles with `node scripts/build-title-examples.mjs`.
import catalogue from "./data/occupations.json" with { type: "json" };
import titleExamples from "./data/title-examples.json" with { type: "json" };
import { trainTitleModel, type TitleModel } from "./title-model.ts";
import { normalizeText, titleSegments } from "./title-text.ts";

export interface OccupationMatch {
  code: string;
  name: string;
  /** 0..1, the estimated probability that the code is right; normalizeTitle returns null below MIN_CONFIDENCE. */
  confidence: number;
}

export interface Occupation {
  code: string;
  name: string;
  aliases: string[];
}

/** A job title and the code a person gave it (an occupation or a group above occupations). */
export interface LabelledTitle {
  title: string;
  code: string;
}

export interface OccupationNormalizer {
  /** The most likely occupation for a free-text job title, or null when the title names none we know. */
  normalizeTitle(title: string): OccupationMatch | null;
  /** Ranked candidate occupations (distinct codes, best first) for "did you mean" menus. */
  suggestOccupations(title: string, limit?: number): OccupationMatch[];
}

interface CatalogueOccupation extends Occupation {
  /** The 小类 the occupation is in, when it is not a 小类 itself. */
  minorName: string;
}

interface CatalogueGroup {
  code: string;
  name: string;
  aliases: string[];
}

interface Catalogue {
  occupations: CatalogueOccupation[];
  groups: CatalogueGroup[];
}

/** Below this, normalizeTitle answers null: no occupation is likely enough to be worth proposing. */
const MIN_CONFIDENCE = 0.1;

/**
 * Everyday titles common in rural and blue-collar postings that the alias file lacks or only maps to a
 * whole 大类 (it maps 普工 to 6-00-00-00 生产制造及有关人员). The labelled postings are mostly office
 * jobs, so these words get no help from them. Keep this short and generic: specific jobs belong in the
 * vendored alias file.
 */
const EXTRA_ALIASES: Record<string, readonly string[]> = {
  // 其他生产辅助人员: the alias file maps 普工/操作工 to the whole 大类 6, which has no residual occupation.
  "6-31-99-00": ["普工", "操作工", "流水线", "流水线工人", "车间普工", "工厂普工"],
  "4-10-08-01": ["骑手", "外卖", "外卖员", "跑腿", "送外卖"], // 网约配送员
  "4-10-01-06": ["育儿嫂", "住家阿姨", "家政阿姨", "住家保姆", "做饭阿姨", "带孩子", "看孩子"], // 家政服务员
  "4-10-01-05": ["照顾老人", "护理老人", "看护老人", "陪护老人"], // 养老护理员
  "4-02-06-01": ["仓管", "库管"], // 仓储管理员
  "4-02-06-02": ["打包员", "拣货员"], // 理货员
  "4-02-07-09": ["快递分拣", "快件分拣", "包裹分拣", "物流分拣"], // 快件处理员
  "4-03-02-01": ["帮厨", "厨工", "切配", "配菜", "厨房"], // 中式烹调师
  "4-02-02-02": ["货车司机", "大车司机"], // 道路货运汽车驾驶员
  "4-01-02-03": ["店员"], // 商品营业员
  "4-01-06-01": ["电商"], // 电子商务师
  "6-18-02-04": ["电焊", "电焊工", "气焊", "气焊工", "氩弧焊", "二保焊", "焊接工"], // 焊工
  "6-05-01-06": ["编织", "编织工", "手工编织", "毛衣编织", "钩织"], // 绒线编织拼布工
  "5-05-06-05": ["竹编", "藤编", "草编"], // 竹藤师: bamboo, rattan and straw (its definition)
  // A 小工 or 杂工 on a building site does whatever the trades need: the classification's residual.
  "6-29-99-00": ["建筑小工", "工地小工", "建筑杂工", "工地杂工", "工地力工", "建筑工人", "工地工人", "小工", "杂工", "力工"],
  "4-09-08-01": ["环卫工", "环卫", "扫地", "清扫工"], // 保洁员: its definition covers street sweeping
  "5-03-02-01": ["养猪", "喂猪", "养牛", "养羊", "猪场饲养员", "养殖工", "养殖场"], // 家畜饲养员: a village's 养殖 is mostly livestock
  "5-03-02-02": ["养鸡", "养鸭", "鸡场饲养员"], // 家禽饲养员
  "5-01-02-02": ["果园", "采摘", "摘果", "种菜", "大棚种植", "采茶", "采茶工", "摘茶", "摘茶叶", "摘杨梅", "摘水果", "摘荔枝", "摘龙眼", "摘橘子"], // 园艺工: tea and fruit picked in season
  // What village workshops and the coast's processing plants call their work (扶贫车间, 来料加工).
  "6-09-03-17": ["串珠", "串珠子", "穿珠子", "手工串珠", "串手链"], // 民间工艺品制作工
  "6-01-05-01": ["剥虾", "剥虾仁", "虾仁", "剥蟹", "杀鱼", "水产加工", "海鲜加工", "海产加工"], // 水产品加工工
  "6-01-06-00": ["水果分拣", "分拣水果", "果蔬分拣", "蔬菜分拣", "挑果", "选果"], // 果蔬坚果加工工
  "5-04-02-01": ["养鱼", "养虾", "鱼塘"], // 水生动物饲养工
};

// ---------------------------------------------------------------------------------------------------
// Dictionary scorer

const HAN = /\p{Script=Han}/u;

/** Han text as character bigrams (a lone character stands for itself), Latin and digits as words. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const run of normalizeText(text).match(/\p{Script=Han}+|[a-z0-9]+/gu) ?? []) {
    if (!HAN.test(run) || run.length === 1) {
      tokens.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------------
// Index

/** A TF-IDF field: sparse unit vectors per occupation, and an inverted index to score only overlaps. */
interface TfIdfField {
  idf: Map<string, number>;
  postings: Map<string, { occupation: number; weight: number }[]>;
}

interface Index {
  occupations: CatalogueOccupation[];
  byCode: Map<string, CatalogueOccupation>;
  /** Code → index into occupations. */
  positionOf: Map<string, number>;
  /** Codes of the groups above occupations (大类, 中类, 小类 with occupations under them). */
  groupCodes: Set<string>;
  /** Normalised alias or name → what it names. */
  phrases: Map<string, PhraseTarget>;
  longestPhrase: number;
  labels: TfIdfField;
  /** 0..1, from the number of everyday aliases: how commonly the occupation is posted. */
  popularity: number[];
}

interface PhraseTarget {
  /** Indexes into Index.occupations. */
  occupations: number[];
  /** 1 for a phrase naming occupations; less for a group's, which leaves the occupation open. */
  weight: number;
}

let cachedIndex: Index | undefined;

function index(): Index {
  cachedIndex ??= buildIndex(catalogue as Catalogue);
  return cachedIndex;
}

/**
 * An alias like "普工/操作工" also stands for each of its parts. A part much shorter than the longest
 * one is usually a fragment to be completed from it ("客服专员/助理" means 客服助理, not 助理), so it
 * is not taken on its own.
 */
function phraseVariants(alias: string): string[] {
  const whole = normalizeText(alias);
  const parts = whole.split(/[/、]/).map((part) => part.trim());
  if (parts.length === 1) return [whole];
  const longest = Math.max(...parts.map((part) => part.length));
  return [whole, ...parts.filter((part) => part.length >= 2 && part.length >= 0.6 * longest)];
}

function buildTfIdf(documents: string[][]): TfIdfField {
  const documentFrequency = new Map<string, number>();
  for (const tokens of documents) {
    for (const token of new Set(tokens)) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
  }
  const idf = new Map<string, number>();
  for (const [token, count] of documentFrequency) idf.set(token, Math.log(1 + documents.length / count));

  const postings: TfIdfField["postings"] = new Map();
  documents.forEach((tokens, occupation) => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    // Sublinear tf: a token repeated across many aliases should not swamp the others.
    const weights = [...counts].map(([token, count]) => [token, (1 + Math.log(count)) * idf.get(token)!] as const);
    const norm = Math.hypot(...weights.map(([, weight]) => weight)) || 1;
    for (const [token, weight] of weights) {
      if (!postings.has(token)) postings.set(token, []);
      postings.get(token)!.push({ occupation, weight: weight / norm });
    }
  });
  return { idf, postings };
}

function buildIndex({ occupations, groups }: Catalogue): Index {
  const positionOf = new Map(occupations.map((occupation, i) => [occupation.code, i]));
  const phrases = new Map<string, PhraseTarget>();
  const addPhrase = (phrase: string, occupation: number) => {
    const target = phrases.get(phrase);
    if (!target) phrases.set(phrase, { occupations: [occupation], weight: 1 });
    else if (!target.occupations.includes(occupation)) target.occupations.push(occupation);
  };

  occupations.forEach((occupation, i) => {
    for (const alias of [occupation.name, ...occupation.aliases]) {
      for (const phrase of phraseVariants(alias)) addPhrase(phrase, i);
    }
  });
  for (const [code, aliases] of Object.entries(EXTRA_ALIASES)) {
    const occupation = positionOf.get(code);
    if (occupation === undefined) throw new Error(`EXTRA_ALIASES names ${code}, which is not an occupation of the catalogue`);
    for (const alias of aliases) addPhrase(alias, occupation);
  }
  // Titles often drop the agent suffix: "配送" for 配送员, "收银" for 收银员.
  const stems = new Map<string, PhraseTarget>();
  occupations.forEach((occupation, i) => {
    for (const alias of [occupation.name, ...occupation.aliases]) {
      for (const phrase of phraseVariants(alias)) {
        const stem = phrase.replace(AGENT_SUFFIX, "");
        if (stem === phrase || stem.length < 2 || phrases.has(stem)) continue;
        const target = stems.get(stem) ?? { occupations: [], weight: STEM_PHRASE_WEIGHT };
        if (!target.occupations.includes(i)) target.occupations.push(i);
        stems.set(stem, target);
      }
    }
  });
  for (const [stem, target] of stems) phrases.set(stem, target);
  // A group's name or alias ("销售人员" → 4-01-02-00) names every occupation under it, but only where
  // no occupation claims the phrase itself. The bigger the group, the less the phrase says. Where the
  // group has a residual "其他……" occupation (教学人员 2-08 → 2-08-99-00 其他教学人员), the phrase names
  // that one: the classification files a title under the group exactly when no listed occupation fits.
  const membersOf = new Map<string, number[]>();
  occupations.forEach((occupation, i) => {
    for (const ancestor of ancestorCodes(occupation.code)) {
      if (!membersOf.has(ancestor)) membersOf.set(ancestor, []);
      membersOf.get(ancestor)!.push(i);
    }
  });
  for (const group of groups) {
    const prefix = group.code.replace(/(?:-00)+$/, "") + "-";
    const residual = positionOf.get(prefix + "99" + group.code.slice(prefix.length + 2));
    const members = residual !== undefined ? [residual] : (membersOf.get(group.code) ?? []);
    const weight = GROUP_PHRASE_WEIGHT / (1 + 0.15 * Math.log(members.length));
    for (const alias of [group.name, ...group.aliases]) {
      for (const phrase of phraseVariants(alias)) {
        if (!phrases.has(phrase)) phrases.set(phrase, { occupations: members, weight });
      }
    }
  }

  const labelDocuments = occupations.map((occupation) =>
    [occupation.name, ...occupation.aliases, ...(EXTRA_ALIASES[occupation.code] ?? []), occupation.minorName].flatMap(
      tokenize,
    ),
  );

  const mostAliases = Math.max(...occupations.map((occupation) => occupation.aliases.length));
  return {
    occupations,
    byCode: new Map(occupations.map((occupation) => [occupation.code, occupation])),
    positionOf,
    groupCodes: new Set(groups.map((group) => group.code)),
    phrases,
    longestPhrase: Math.max(...[...phrases.keys()].map((phrase) => phrase.length)),
    labels: buildTfIdf(labelDocuments),
    popularity: occupations.map((occupation) => Math.log1p(occupation.aliases.length) / Math.log1p(mostAliases)),
  };
}

// ---------------------------------------------------------------------------------------------------
// Scoring

/** An occupation's alias without its agent suffix ("配送" for 配送员) says a little less than the alias. */
const AGENT_SUFFIX = /(?:人员|员|工|师)$/;
const STEM_PHRASE_WEIGHT = 0.9;

/** A group phrase of a tiny group; see buildIndex. */
const GROUP_PHRASE_WEIGHT = 0.85;

const WEIGHTS = {
  phrase: 0.6,
  labels: 0.25,
  popularity: 0.05,
};

/**
 * Rank words that follow the job proper ("淘宝运营专员", "销售经理助理"). A phrase that covers only
 * them says less about the job than one covering the words before them.
 */
const RANK_SUFFIX = /(?:专员|助理|经理|主管|总监|主任|组长|领班|实习生|学徒|管培生|岗位|岗)$/;

/** Length of the segment without trailing rank words, the part that names the job. */
function coreLength(segment: string): number {
  let core = segment;
  for (let stripped = core.replace(RANK_SUFFIX, ""); stripped !== core && stripped.length >= 2; ) {
    core = stripped;
    stripped = core.replace(RANK_SUFFIX, "");
  }
  return core.length;
}

/**
 * How strongly a phrase found at [start, end) of a segment names the segment's job: all of it, or
 * else by how much of the job part it covers, more when it ends that part (Chinese titles put the
 * head noun last), a little more when it also takes in the rank words.
 */
function phraseStrength(segment: string, start: number, end: number): number {
  if (end - start === segment.length) return 1;
  const core = coreLength(segment);
  const coverage = Math.max(0, Math.min(end, core) - start) / core;
  const endsCore = end >= core;
  const takesRank = end > core ? 0.05 : 0;
  return (0.3 + 0.55 * coverage + takesRank) * (endsCore ? 1 : 0.75);
}

/** Best direct-hit strength per occupation, over every name or alias contained in a segment. */
function phraseScores(segments: string[], { phrases, longestPhrase }: Index): Map<number, number> {
  const scores = new Map<number, number>();
  for (const segment of segments) {
    for (let start = 0; start < segment.length; start++) {
      const maxEnd = Math.min(segment.length, start + longestPhrase);
      for (let end = start + 2; end <= maxEnd; end++) {
        const target = phrases.get(segment.slice(start, end));
        if (!target) continue;
        const strength = target.weight * phraseStrength(segment, start, end);
        for (const occupation of target.occupations) {
          scores.set(occupation, Math.max(scores.get(occupation) ?? 0, strength));
        }
      }
    }
  }
  return scores;
}

/** Cosine similarity of the query tokens with every occupation sharing at least one token. */
function similarityScores(tokens: string[], field: TfIdfField): Map<number, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) if (field.idf.has(token)) counts.set(token, (counts.get(token) ?? 0) + 1);
  const weights = [...counts].map(([token, count]) => [token, (1 + Math.log(count)) * field.idf.get(token)!] as const);
  const norm = Math.hypot(...weights.map(([, weight]) => weight));
  const scores = new Map<number, number>();
  if (norm === 0) return scores;
  for (const [token, weight] of weights) {
    for (const posting of field.postings.get(token)!) {
      scores.set(posting.occupation, (scores.get(posting.occupation) ?? 0) + (weight / norm) * posting.weight);
    }
  }
  return scores;
}

/** Dictionary score (0..1) per occupation, as indexes into Index.occupations, for a cleaned title. */
function dictionaryScores(segments: string[], idx: Index): Map<number, number> {
  const tokens = segments.flatMap(tokenize);
  const phrase = phraseScores(segments, idx);
  const labels = similarityScores(tokens, idx.labels);
  const scores = new Map<number, number>();
  for (const i of new Set([...phrase.keys(), ...labels.keys()])) {
    scores.set(
      i,
      WEIGHTS.phrase * (phrase.get(i) ?? 0) +
        WEIGHTS.labels * (labels.get(i) ?? 0) +
        // Popularity only separates candidates the title supports; it must not make one up.
        WEIGHTS.popularity * idx.popularity[i]! * Math.min(1, (phrase.get(i) ?? 0) + (labels.get(i) ?? 0)),
    );
  }
  return scores;
}

// ---------------------------------------------------------------------------------------------------
// Combined ranking
//
// The settings were tuned by splitting the even rows of the labelled file in two (train on one quarter
// of the file, measure on another), never looking at the odd rows, which the benchmark holds out.

const MODEL_SETTINGS = { smoothing: 0.03, backoff: 100, priorWeight: 0.5 } as const;
/** A name or alias is one short document; a labelled posting counts twice as much. */
const ALIAS_WEIGHT = 0.5;
/**
 * Naive Bayes counts every overlapping n-gram as independent evidence, so its log-odds grow with the
 * length of the title. Scaled by 1/√(feature count), a long title no longer swamps the dictionary and a
 * short one ("护工") still has a say.
 */
const MODEL_SCALE = 3;
/** Dictionary score (0..1) to log-odds: a whole-title alias hit (0.6 and more) is worth a factor of e^3.6. */
const DICTIONARY_WEIGHT = 6;
/** Softmax temperature over the model's classes; it decides how much a group hands on to its member. */
const TEMPERATURE = 2;
/**
 * Platt scaling of an occupation's log-odds into a confidence, fitted on the tuning split: the softmax
 * is far too sure of itself (it reads 0.99 where a third of the answers are wrong, mostly because the
 * labels are). Log-odds are capped, so no answer is ever quite certain.
 */
const CALIBRATION = { slope: 0.2, intercept: -0.82, maxLogOdds: 30 } as const;

interface Ranker {
  idx: Index;
  model: TitleModel;
  /** For each occupation (index into idx.occupations), its own model class. */
  classOfOccupation: Int32Array;
  /** For each occupation, the model classes of the groups above it that the model learned. */
  groupClassesOf: number[][];
  /** Whether each model class is a group rather than an occupation. */
  isGroupClass: boolean[];
}

/** The codes of the 大类, 中类 and 小类 above an occupation code ("4-10-01-06" → 4-00-00-00, 4-10-00-00, 4-10-01-00). */
function ancestorCodes(code: string): string[] {
  const parts = code.split("-");
  return [1, 2, 3]
    .map((depth) => parts.map((part, i) => (i < depth ? part : "00")).join("-"))
    .filter((ancestor) => ancestor !== code);
}

function buildRanker(labelled: readonly LabelledTitle[]): Ranker {
  const idx = index();
  const training = [
    ...labelled.flatMap(({ title, code }) => {
      const segments = titleSegments(title);
      const known = idx.positionOf.has(code) || idx.groupCodes.has(code);
      return known && segments.length > 0 ? [{ segments, code, weight: 1 }] : [];
    }),
    ...idx.occupations.flatMap((occupation) =>
      [occupation.name, ...occupation.aliases, ...(EXTRA_ALIASES[occupation.code] ?? [])].flatMap((alias) => {
        const segments = titleSegments(alias);
        return segments.length > 0 ? [{ segments, code: occupation.code, weight: ALIAS_WEIGHT }] : [];
      }),
    ),
  ];
  const model = trainTitleModel(training, { ...MODEL_SETTINGS, backoffGroupOf: midCategory });
  const classOf = new Map(model.codes.map((code, c) => [code, c]));
  return {
    idx,
    model,
    // Every occupation's name is a training document, so every occupation has a class.
    classOfOccupation: Int32Array.from(idx.occupations, (occupation) => classOf.get(occupation.code)!),
    groupClassesOf: idx.occupations.map((occupation) =>
      ancestorCodes(occupation.code).flatMap((code) => (classOf.has(code) ? [classOf.get(code)!] : [])),
    ),
    isGroupClass: model.codes.map((code) => !idx.positionOf.has(code)),
  };
}

/** Each occupation's share of the probability (indexes into idx.occupations), unnormalised, and their sum. */
interface Shares {
  shares: Float64Array;
  total: number;
}

/** Null when the title names nothing we know. */
function occupationShares(ranker: Ranker, title: string): Shares | null {
  const { idx, model, classOfOccupation, groupClassesOf, isGroupClass } = ranker;
  const segments = titleSegments(title);
  if (segments.length === 0) return null;
  const modelScores = model.logScores(segments);
  if (!modelScores) return null;

  // A group class takes the dictionary score of its best member: "销售人员" supports the group as much as its 营销员.
  const dictionary = new Float64Array(idx.occupations.length);
  const classDictionary = new Float64Array(model.codes.length);
  for (const [occupation, score] of dictionaryScores(segments, idx)) {
    dictionary[occupation] = score;
    const own = classOfOccupation[occupation]!;
    classDictionary[own] = Math.max(classDictionary[own]!, score);
    for (const group of groupClassesOf[occupation]!) classDictionary[group] = Math.max(classDictionary[group]!, score);
  }
  const scale = MODEL_SCALE / Math.sqrt(modelScores.features);
  const combined = modelScores.scores;
  let top = -Infinity;
  for (let c = 0; c < combined.length; c++) {
    combined[c] = (scale * combined[c]! + DICTIONARY_WEIGHT * classDictionary[c]!) / TEMPERATURE;
    top = Math.max(top, combined[c]!);
  }
  const weights = new Float64Array(combined.length);
  for (let c = 0; c < combined.length; c++) weights[c] = Math.exp(combined[c]! - top);

  // An occupation keeps its own class's share. A group hands its share to the member the dictionary
  // finds in the title ("普工", coded 6-00-00-00 in the labels, is 其他生产辅助人员 and no other 大类-6 job),
  // else to the member the combined score prefers.
  const receiverOf = new Int32Array(combined.length).fill(-1);
  const prefers = (occupation: number, other: number) =>
    dictionary[occupation]! - dictionary[other]! ||
    combined[classOfOccupation[occupation]!]! - combined[classOfOccupation[other]!]!;
  const shares = new Float64Array(idx.occupations.length);
  for (let occupation = 0; occupation < shares.length; occupation++) {
    shares[occupation] = weights[classOfOccupation[occupation]!]!;
    for (const group of groupClassesOf[occupation]!) {
      const receiver = receiverOf[group]!;
      if (receiver === -1 || prefers(occupation, receiver) > 0) receiverOf[group] = occupation;
    }
  }
  let total = 0;
  for (let c = 0; c < combined.length; c++) {
    total += weights[c]!;
    if (isGroupClass[c] && receiverOf[c] !== -1) shares[receiverOf[c]!]! += weights[c]!;
  }
  return { shares, total };
}

function confidenceOf(share: number, total: number): number {
  const rest = total - share;
  const logOdds = rest > 0 ? Math.min(CALIBRATION.maxLogOdds, Math.log(share / rest)) : CALIBRATION.maxLogOdds;
  const confidence = 1 / (1 + Math.exp(-(CALIBRATION.slope * logOdds + CALIBRATION.intercept)));
  return Math.round(confidence * 1000) / 1000;
}

function topMatches(ranker: Ranker, title: string, limit: number): OccupationMatch[] {
  const found = occupationShares(ranker, title);
  if (!found || limit <= 0) return [];
  const { shares, total } = found;
  const best: number[] = [];
  for (let i = 0; i < shares.length; i++) {
    if (best.length === limit && shares[i]! <= shares[best[limit - 1]!]!) continue;
    best.push(i);
    // Among equal shares the occupation first in the catalogue stays first, so answers are stable.
    best.sort((a, b) => shares[b]! - shares[a]! || a - b);
    if (best.length > limit) best.pop();
  }
  return best.map((i) => ({
    code: ranker.idx.occupations[i]!.code,
    name: ranker.idx.occupations[i]!.name,
    confidence: confidenceOf(shares[i]!, total),
  }));
}

// ---------------------------------------------------------------------------------------------------
// Public API

/**
 * A normaliser that learns from the given labelled titles (and the classification's names and aliases).
 * The module's own functions use the vendored labelled titles; the benchmark uses this to train on one
 * half of the labelled file and measure on the other.
 */
export function createOccupationNormalizer(labelled: readonly LabelledTitle[]): OccupationNormalizer {
  let ranker: Ranker | undefined;
  const ready = () => (ranker ??= buildRanker(labelled));
  return {
    normalizeTitle(title) {
      const [best] = topMatches(ready(), title, 1);
      return best && best.confidence >= MIN_CONFIDENCE ? best : null;
    },
    suggestOccupations(title, limit = 5) {
      return topMatches(ready(), title, limit);
    },
  };
}

const defaultNormalizer = createOccupationNormalizer(
  titleExamples.examples.map(([title, code]) => ({ title: title!, code: code! })),
);

/** The most likely occupation for a free-text job title, or null when the title names none we know. */
export function normalizeTitle(title: string): OccupationMatch | null {
  return defaultNormalizer.normalizeTitle(title);
}

/** Ranked candidate occupations (distinct codes, best first) for "did you mean" menus. */
export function suggestOccupations(title: string, limit = 5): OccupationMatch[] {
  return defaultNormalizer.suggestOccupations(title, limit);
}

export function occupationByCode(code: string): Occupation | undefined {
  const occupation = index().byCode.get(normalizeText(code));
  return occupation && { code: occupation.code, name: occupation.name, aliases: [...occupation.aliases] };
}

/** The 中类 of a code, e.g. "4-10-01-06" → "4-10": coarse enough to match workers to related jobs. */
export function midCategory(code: string): string {
  return code.split("-").slice(0, 2).join("-");
}
