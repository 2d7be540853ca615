// What an employer registers and what a vacancy posted by chat holds: the domain's terms, shared by
// the conversation engine (which collects them) and the services (which record them).

export type EmployerKind = "company" | "workshop" | "base" | "cooperative" | "broker" | "publicWelfare";
export type SexRequirement = "any" | "female" | "male";
export type WageUnit = "month" | "day" | "hour" | "piece";

/** What employer_registered carries. The phone is in clear: the host encrypts it. */
export interface EmployerRegistration {
  name: string;
  kind: EmployerKind;
  /** null: no code (a workshop or an individual business); a coordinator confirms the employer instead */
  creditCode: string | null;
  contactName: string;
  contactPhone: string; // E.164
  regionCode: string;
  address: string;
}

/** A registered employer as the host knows them. */
export interface EmployerProfile {
  id: string;
  name: string;
  kind: EmployerKind;
  regionCode: string | null;
  /** e.g. 云霄县莆美镇 */
  regionName: string;
  /** a code was given, or a coordinator confirmed the employer: vacancies open at once */
  trusted: boolean;
}

/** What vacancy_posted carries. */
export interface VacancyDraft {
  title: string;
  occupationCode: string | null;
  headcount: number;
  regionCode: string;
  /** placed at a city: the job may be anywhere in it ("合肥市里都行") */
  anywhereInRegion?: boolean;
  wageMin: number | null;
  wageMax: number | null;
  wageUnit: WageUnit;
  hours: string | null;
  ageMin: number | null;
  ageMax: number | null;
  sex: SexRequirement;
  requirements: string | null;
  housing: boolean;
  meals: boolean;
  insurance: boolean;
  /** YYYY-MM-DD, or null for 长期 */
  deadline: string | null;
}

const UNIT_TEXT = { month: "月", day: "天", hour: "小时" } as const;

/** Pay as one line says it: 3000-4000元/月, 200元/天, 计件, 面议. */
export function payText({ wageMin, wageMax, wageUnit }: Pick<VacancyDraft, "wageMin" | "wageMax" | "wageUnit">): string {
  if (wageUnit === "piece") return wageMin === null ? "计件" : `计件${wageMin}${wageMax !== wageMin ? `-${wageMax}` : ""}元`;
  if (wageMin === null) return "面议";
  const amount = wageMax !== null && wageMax !== wageMin ? `${wageMin}-${wageMax}` : `${wageMin}`;
  return `${amount}元/${UNIT_TEXT[wageUnit]}`;
}

/** Board as one line says it: 包吃住, 包住, 包吃; null when neither is offered (or not said). */
export function boardText(housing: boolean | null | undefined, meals: boolean | null | undefined): string | null {
  return housing && meals ? "包吃住" : housing ? "包住" : meals ? "包吃" : null;
}

// Board as employers write it, in a job ad or a chat: 包吃住, 管饭, 提供住宿. A 不 just before a
// phrase denies it (不包吃住, 不管饭); 包吃不包住 is meals alone.
const FULL_BOARD = "包吃住|管吃住|吃住全包|包食宿|提供食宿|食宿全包|免费食宿";
const HOUSING_WORDS = new RegExp(`(?<!不)(?:${FULL_BOARD}|包住|管住|提供住宿|免费住宿|住宿免费)`, "u");
const MEALS_WORDS = new RegExp(`(?<!不)(?:${FULL_BOARD}|包吃|管吃|包三餐|包饭|管饭|包工作餐|提供工作餐|免费工作餐|[包管][午中]饭|包午餐|提供午餐|[包管](?:中午)?一[顿餐])`, "u");

/** The text without its words for board (3500包吃住 → 3500): what else the clause says. */
export const withoutBoard = (text: string): string => text.replace(new RegExp(HOUSING_WORDS.source, "gu"), "").replace(new RegExp(MEALS_WORDS.source, "gu"), "");

/** The board a text offers: housing and meals each where it says so, nothing where it says neither. */
export function boardSaid(text: string): { housing?: true; meals?: true } {
  const said = text.replace(/\s+/gu, "");
  return { ...(HOUSING_WORDS.test(said) ? { housing: true } : {}), ...(MEALS_WORDS.test(said) ? { meals: true } : {}) };
}

/**
 * The start of a vacancy's text as one SMS line holds it: whole clauses up to `max` characters, else
 * the first `max` with an ellipsis; line breaks read as commas.
 */
export function textGist(text: string, max = 30): string | null {
  const flat = text
    .trim()
    .replace(/([，。；！？、,;:：])?\s*\n+\s*/gu, (_line, mark: string | undefined) => mark ?? "，")
    .replace(/\s+/gu, " ");
  if (flat.length <= max) return flat || null;
  const clauseEnd = Math.max(...[..."，。；！？,;"].map((mark) => flat.lastIndexOf(mark, max - 1)));
  return clauseEnd >= max / 2 ? flat.slice(0, clauseEnd) : `${flat.slice(0, max - 1)}…`;
}

/** A vacancy's sex requirement as one line says it. */
export const SEX_TEXT: Record<SexRequirement, string> = { any: "男女不限", male: "只要男", female: "只要女" };

/** A vacancy's age limits as one line says them: 30-40岁, 18岁以上, 50岁以下; null for none. */
export function ageLimitText(ageMin: number | null | undefined, ageMax: number | null | undefined): string | null {
  if (ageMin != null && ageMax != null) return `${ageMin}-${ageMax}岁`;
  if (ageMin != null) return `${ageMin}岁以上`;
  return ageMax != null ? `${ageMax}岁以下` : null;
}
