// Maps free-text job titles ("日结轻松保安+包吃住", "招保姆接送孩子") to an occupation of China's
// occupation classification, 2022 edition (code such as "4-10-01-06" 家政服务员).
//
// How a title is scored, in short:
// 1. The title is normalised (全角→半角, Latin lower-cased) and cleaned of recruiting noise: pay,
//    benefits, shifts, hiring verbs, bracketed cities and company names. What remains is split into
//    segments at punctuation and hiring verbs ("鑫盾辐射招聘木工" → "鑫盾辐射", "木工").
// 2. Every occupation name and everyday alias found inside a segment is a direct hit. A hit scores higher
//    the more of its segment it covers and when it ends the segment (Chinese job titles put the head
//    noun last: "汽车销售" is a salesperson, not a car mechanic). Trailing rank words (专员, 经理, 助理)
//    are discounted: in "淘宝运营专员" the job is 淘宝运营.
// 3. Character-bigram TF-IDF similarity against each occupation's names and aliases, and more weakly
//    against its definition and tasks, catches titles that contain no alias ("苗木栽培管理技术员").
// 4. A small prior favours occupations with many everyday aliases: those are the jobs people post.
//
// Pure module: the catalogue is imported as JSON (works on Node and Cloudflare Workers) and the index
// is built lazily on first use. Rebuild the catalogue with `node scripts/build-occupations.mjs`.
import catalogue from "./data/occupations.json" with { type: "json" };

export interface OccupationMatch {
  code: string;
  name: string;
  /** 0..1; normalizeTitle returns null below MIN_CONFIDENCE. */
  confidence: number;
}

export interface Occupation {
  code: string;
  name: string;
  aliases: string[];
}

interface CatalogueOccupation extends Occupation {
  midName: string;
  minorName: string;
  description: string;
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

/** Below this, normalizeTitle answers null: the title names no occupation we can recognise. */
const MIN_CONFIDENCE = 0.1;

/**
 * Everyday titles common in rural and blue-collar postings that the alias file lacks or only maps to a
 * whole 大类 (it maps 普工 to 6-00-00-00 生产制造及有关人员). Keep this short and generic: specific jobs
 * belong in the vendored alias file.
 */
const EXTRA_ALIASES: Record<string, readonly string[]> = {
  // 其他生产辅助人员: the alias file maps 普工/操作工 to the whole 大类 6, which has no residual occupation.
  "6-31-99-00": ["普工", "操作工", "流水线"],
  "4-10-08-01": ["骑手", "外卖", "外卖员", "跑腿", "送外卖"], // 网约配送员
  "4-10-01-06": ["育儿嫂", "住家阿姨", "家政阿姨"], // 家政服务员
  "4-02-06-01": ["仓管", "库管"], // 仓储管理员
  "4-02-06-02": ["打包员", "拣货员"], // 理货员
  "4-03-02-01": ["帮厨", "厨工", "切配", "配菜", "厨房"], // 中式烹调师
  "4-02-02-02": ["货车司机", "大车司机"], // 道路货运汽车驾驶员
  "4-01-02-03": ["店员"], // 商品营业员
  "4-01-06-01": ["电商"], // 电子商务师
};

// ---------------------------------------------------------------------------------------------------
// Text normalisation and cleaning

/** 全角→半角 (NFKC also folds ①, ｋ and the like), Latin lower-cased, whitespace collapsed. */
function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

const HAN = /\p{Script=Han}/u;

/** Bracketed asides in titles are cities, companies, headcounts or perks: "销售代表（衢州地区）". */
const BRACKETED = /[(\[【{<《「『][^)\]】}>》」』]*[)\]】}>》」』]/g;

/**
 * Recruiting noise, removed before matching. Each pattern is replaced by a segment break, so that
 * "日结轻松保安+包吃住" keeps "保安" as a segment of its own.
 */
const NOISE_PATTERNS: readonly RegExp[] = [
  // Reference numbers of job boards, before their digits go as pay: "id112474", "j10016".
  /\b[a-z]{1,3}\d{3,}\b/g,
  // Pay and headcount: 月入1w+, 8000元/月, 5-7k, 保底3500, 10名. A number glued to Latin letters
  // other than a pay unit is part of a name ("3d建模") and stays.
  /(?:月入|月薪|底薪|年薪|日薪|时薪|薪资|工资|收入|保底|综合|税前|税后)?\d+(?:\.\d+)?(?:\s*[-~到至]\s*\d+(?:\.\d+)?)?\s*(?:k|w|万|千|元|块)?\+?(?:以上|起|左右)?(?:\/?(?:月|天|日|小时|时|年|单))?(?![a-z\d])/g,
  /过万|上万|破万|万元|高薪|高提成|高底薪|底薪|提成|年终奖|奖金|补贴|福利好?|待遇好?|薪资|工资/g,
  /包吃包住|包吃住|包住宿|包食宿|管吃住|包车住|管住|包住|包吃|包三餐|提供住宿|食宿|吃住/g,
  /周末双休|双休|单休|大小周|五险一金|五险|一金|社保|带薪年假|年假|朝九晚[五六]|早九晚[五六]/g,
  /日结|周结|月结|长白班|白班|夜班|两班倒|倒班|长期|短期|临时工?|兼职|全职/g,
  /轻松|不累|无经验|无需经验|零基础|经验不限|男女不限|不限|包教包会|带薪培训|入职培训|数名|若干|多名/g,
  /(?:有|相关)?(?:工作)?经验(?:者?优先)?|以上|优先|环境好|气氛好|氛围好|稳定|正编|上市公司|地铁口近?/g,
  // 急 alone is urgency, but 急诊/急救 are specialities.
  /可实习|实习生|实习|急(?![诊救])/g,
];

/** Hiring verbs split a title: what follows is the job, what precedes is usually the company. */
const HIRING_WORDS =
  /(?:招聘|诚聘|急聘|热招|直招|诚招|招募|聘请)(?!专员|主管|经理|助理|顾问|总监|负责人|hr)|聘(?!专员|主管|经理|助理|顾问|总监|负责人|hr)|招(?![商标生待投聘])/g;

/** A segment naming the employer rather than the job. */
const EMPLOYER_SUFFIX = /(?:有限公司|公司|集团|经营部|工作室)$/;

/** The cleaned title as segments, in title order; [] when nothing but noise remains. */
function titleSegments(title: string): string[] {
  const normalized = normalizeText(title);
  const unbracketed = normalized.replace(BRACKETED, " ");
  // A title entirely in brackets ("【保洁】") still names a job.
  const text = /[\p{Script=Han}a-z]/u.test(unbracketed) ? unbracketed : normalized;
  let cleaned = text;
  for (const pattern of NOISE_PATTERNS) cleaned = cleaned.replace(pattern, " ");
  cleaned = cleaned.replace(HIRING_WORDS, " ");
  const segments = cleaned
    .split(/[^\p{Script=Han}a-z0-9]+/u)
    .filter((segment) => segment.length > 0 && /[\p{Script=Han}a-z]/u.test(segment));
  const jobSegments = segments.filter((segment) => !EMPLOYER_SUFFIX.test(segment));
  return jobSegments.length > 0 ? jobSegments : segments;
}

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
  /** Normalised alias or name → what it names. */
  phrases: Map<string, PhraseTarget>;
  longestPhrase: number;
  labels: TfIdfField;
  descriptions: TfIdfField;
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
    for (const alias of aliases) addPhrase(alias, positionOf.get(code)!);
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
  for (const group of groups) {
    const prefix = group.code.replace(/(?:-00)+$/, "") + "-";
    const residual = positionOf.get(prefix + "99" + group.code.slice(prefix.length + 2));
    const members =
      residual !== undefined
        ? [residual]
        : occupations.flatMap((occupation, i) => (occupation.code.startsWith(prefix) ? [i] : []));
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
  const descriptionDocuments = occupations.map((occupation) =>
    [occupation.description, occupation.midName].flatMap(tokenize),
  );

  const mostAliases = Math.max(...occupations.map((occupation) => occupation.aliases.length));
  return {
    occupations,
    byCode: new Map(occupations.map((occupation) => [occupation.code, occupation])),
    phrases,
    longestPhrase: Math.max(...[...phrases.keys()].map((phrase) => phrase.length)),
    labels: buildTfIdf(labelDocuments),
    descriptions: buildTfIdf(descriptionDocuments),
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
  descriptions: 0.1,
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

function rank(title: string): { occupation: CatalogueOccupation; score: number }[] {
  const idx = index();
  const segments = titleSegments(title);
  if (segments.length === 0) return [];
  const tokens = segments.flatMap(tokenize);
  const phrase = phraseScores(segments, idx);
  const labels = similarityScores(tokens, idx.labels);
  const descriptions = similarityScores(tokens, idx.descriptions);

  const candidates = new Set([...phrase.keys(), ...labels.keys(), ...descriptions.keys()]);
  return [...candidates]
    .map((i) => ({
      occupation: idx.occupations[i]!,
      score:
        WEIGHTS.phrase * (phrase.get(i) ?? 0) +
        WEIGHTS.labels * (labels.get(i) ?? 0) +
        WEIGHTS.descriptions * (descriptions.get(i) ?? 0) +
        // Popularity only separates candidates the title supports; it must not make one up.
        WEIGHTS.popularity * idx.popularity[i]! * Math.min(1, (phrase.get(i) ?? 0) + (labels.get(i) ?? 0)),
    }))
    .sort((a, b) => b.score - a.score || a.occupation.code.localeCompare(b.occupation.code));
}

const toMatch = ({ occupation, score }: { occupation: CatalogueOccupation; score: number }): OccupationMatch => ({
  code: occupation.code,
  name: occupation.name,
  confidence: Math.round(Math.min(1, score) * 1000) / 1000,
});

// ---------------------------------------------------------------------------------------------------
// Public API

/** The most likely occupation for a free-text job title, or null when the title names none we know. */
export function normalizeTitle(title: string): OccupationMatch | null {
  const [best] = rank(title);
  return best && best.score >= MIN_CONFIDENCE ? toMatch(best) : null;
}

/** Ranked candidate occupations (distinct codes, best first) for "did you mean" menus. */
export function suggestOccupations(title: string, limit = 5): OccupationMatch[] {
  return rank(title).slice(0, Math.max(0, limit)).map(toMatch);
}

export function occupationByCode(code: string): Occupation | undefined {
  const occupation = index().byCode.get(normalizeText(code));
  return occupation && { code: occupation.code, name: occupation.name, aliases: [...occupation.aliases] };
}

/** The 中类 of a code, e.g. "4-10-01-06" → "4-10": coarse enough to match workers to related jobs. */
export function midCategory(code: string): string {
  return code.split("-").slice(0, 2).join("-");
}
