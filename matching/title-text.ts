// Cleaning of free-text job titles as employers and workers write them ("日结轻松保安+包吃住",
// "鑫盾辐射招聘木工"): what is left names the job, split into segments. Shared by the dictionary
// scorer and the learned title model in occupations.ts, so both see the same text.

/** 全角→半角 (NFKC also folds ①, ｋ and the like), Latin lower-cased, whitespace collapsed. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/** Bracketed asides in titles are cities, companies, headcounts or perks: "销售代表（衢州地区）". */
const BRACKETED = /[(\[【{<《「『][^)\]】}>》」』]*[)\]】}>》」』]/g;

/**
 * Recruiting noise, removed before matching. Each pattern is replaced by a segment break, so that
 * "日结轻松保安+包吃住" keeps "保安" as a segment of its own.
 */
const NOISE_PATTERNS: readonly RegExp[] = [
  // Reference numbers of job boards, before their digits go as pay: "id112474", "j10016".
  /\b[a-z]{1,3}\d{3,}\b/g,
  // Pay and headcount: 月入1w+, 8000元/月, 5-7k, 保底3500, 10名, 13薪. A number glued to Latin
  // letters other than a pay unit is part of a name ("3d建模") and stays.
  /(?:月入|月薪|底薪|年薪|日薪|时薪|薪资|工资|收入|保底|综合|税前|税后)?\d+(?:\.\d+)?(?:\s*[-~到至]\s*\d+(?:\.\d+)?)?\s*(?:k|w|万|千|元|块)?\+?(?:以上|起|左右)?(?:\/?(?:月|天|日|小时|时|年|单|薪|名|人))?(?![a-z\d])/g,
  /过万|上万|破万|万元|高薪|高提成|高底薪|底薪|提成|年终奖|奖金|全勤奖|加班费|补贴|福利好?|待遇好?|薪资|工资/g,
  /包吃包住|包吃住|包住宿|包食宿|管吃住|包车住|管住|包住|包吃|包三餐|提供住宿|食宿|吃住/g,
  /周末双休|双休|单休|大小周|五险一金|五险|一金|社保|带薪年假|年假|朝九晚[五六]|早九晚[五六]|不加班/g,
  /日结|周结|月结|长白班|白班|夜班|两班倒|倒班|长期|短期|临时工?|兼职|全职|暑假工|寒假工/g,
  /轻松|不累|无经验|无需经验|零基础|经验不限|男女不限|不限|包教包会|带薪培训|入职培训|数名|若干|多名|大量|多劳多得|时间自由|可当天面|应届生?/g,
  /(?:有|相关)?(?:工作)?经验(?:者?优先)?|以上|优先|环境好|气氛好|氛围好|稳定|正编|上市公司|地铁口近?/g,
  // 急 alone is urgency, but 急诊/急救 are specialities.
  /可实习|实习生|实习|急(?![诊救])/g,
];

/** Hiring verbs split a title: what follows is the job, what precedes it is the employer. */
const HIRING_WORDS =
  /(?:招聘|诚聘|急聘|热招|直招|诚招|招募|聘请|直聘)(?!专员|主管|经理|助理|顾问|总监|负责人|hr)|聘(?!专员|主管|经理|助理|顾问|总监|负责人|hr)|招(?![商标生待投聘])/g;

/** Text with a Han character or a Latin letter in it can name a job; digits and punctuation cannot. */
const NAMES_SOMETHING = /[\p{Script=Han}a-z]/u;

/** A segment naming the employer rather than the job. */
const EMPLOYER_SUFFIX = /(?:有限公司|公司|集团|经营部|工作室)$/;

/** The cleaned title as segments, in title order; [] when nothing but noise remains. */
/** A job title is a few words; what lies beyond this is not one, and would only cost time to read. */
export const MAX_TITLE_LENGTH = 100;

export function titleSegments(title: string): string[] {
  const normalized = normalizeText(title.slice(0, MAX_TITLE_LENGTH * 2)).slice(0, MAX_TITLE_LENGTH);
  const unbracketed = normalized.replace(BRACKETED, " ");
  // A title entirely in brackets ("【保洁】") still names a job.
  const text = NAMES_SOMETHING.test(unbracketed) ? unbracketed : normalized;
  let cleaned = text;
  for (const pattern of NOISE_PATTERNS) cleaned = cleaned.replace(pattern, " ");
  const [beforeHiring = "", ...afterHiring] = cleaned.split(HIRING_WORDS);
  const job = afterHiring.join(" ");
  // "鑫盾辐射招聘钢筋工": the employer goes, or its name would teach the model that it means 木工.
  const segments = (NAMES_SOMETHING.test(job) ? job : beforeHiring)
    .split(/[^\p{Script=Han}a-z0-9]+/u)
    .filter((segment) => segment.length > 0 && NAMES_SOMETHING.test(segment));
  const jobSegments = segments.filter((segment) => !EMPLOYER_SUFFIX.test(segment));
  return jobSegments.length > 0 ? jobSegments : segments;
}
