// Does a worker qualify? Each rule is read in three values: met, not met, or unknown because a fact
// is missing. "all" fails as soon as one part fails, "any" passes as soon as one part passes, so a
// missing fact asks a question only when its answer could change the result.
import { amountText, type Benefit, type BenefitSource, type RegionPolicies } from "./library.ts";
import {
  ageOn,
  CATEGORY_WORDS,
  chinaDate,
  completedTrainings,
  EDUCATION_WORDS,
  EMPLOYMENT_WORDS,
  POVERTY_WORDS,
  PROFILE_FIELD_OF_FACT,
  SEX_WORDS,
  workplaceOf,
  WORKPLACE_WORDS,
  type Category,
  type DateLike,
  type Fact,
  type Sex,
  type WorkerProfile,
  type Workplace,
} from "./profile.ts";
import type { Condition, Explain, FactCondition } from "./schema.ts";

export type Answer = "yes" | "no" | "needsInfo";

export interface BenefitEvaluation {
  id: string;
  name: string;
  shortName: string;
  answer: Answer;
  /** Why yes, why not, or what we need to know, in plain Chinese. */
  reason: string;
  /** For needsInfo: the questions, without 需要知道 ("您是哪年毕业"). */
  questions: string[];
  /** For needsInfo: the profile fields that would decide. */
  missing: (keyof WorkerProfile)[];
  amountText: string;
  /** What to do: how to apply (yes), what to tell us (needsInfo); null for no. */
  nextStep: string | null;
  documents: string[];
  sources: BenefitSource[];
  benefit: Benefit;
}

export interface EvaluationOptions {
  /** The day of the evaluation: ages and "this year's graduate" depend on it. */
  today: DateLike;
}

interface Context {
  profile: WorkerProfile;
  today: DateLike;
  thisYear: number;
}

/** A rule's result with the words that explain it. */
interface Outcome {
  value: boolean | undefined;
  yes: string[];
  no: string[];
  ask: string[];
  missing: Fact[];
}

const met = (text: string): Outcome => ({ value: true, yes: [text], no: [], ask: [], missing: [] });
const unmet = (text: string): Outcome => ({ value: false, yes: [], no: [text], ask: [], missing: [] });
const unknown = (question: string, ...facts: Fact[]): Outcome => ({ value: undefined, yes: [], no: [], ask: [question], missing: facts });

const either = (words: string[]) => words.join("或");
const list = (words: string[]) => words.join("、");

/** An author's wording, where the document gives one, replaces the generated one. */
function explained(outcome: Outcome, explain: Explain | undefined): Outcome {
  if (!explain) return outcome;
  if (outcome.value === true && explain.yes) return { ...outcome, yes: [explain.yes] };
  if (outcome.value === false && explain.no) return { ...outcome, no: [explain.no] };
  if (outcome.value === undefined && explain.ask) return { ...outcome, ask: [explain.ask] };
  return outcome;
}

const isKnown = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

function evaluateCondition(condition: Condition, context: Context): Outcome {
  if ("all" in condition) return explained(combineAll(condition.all.map((part) => evaluateCondition(part, context))), condition.explain);
  if ("any" in condition) return explained(combineAny(condition.any.map((part) => evaluateCondition(part, context))), condition.explain);
  return explained(evaluateFact(condition, context), condition.explain);
}

function combineAll(parts: Outcome[]): Outcome {
  const failed = parts.filter((part) => part.value === false);
  if (failed.length) return { value: false, yes: [], no: failed.flatMap((part) => part.no), ask: [], missing: [] };
  const open = parts.filter((part) => part.value === undefined);
  if (open.length) return { value: undefined, yes: [], no: [], ask: open.flatMap((part) => part.ask), missing: open.flatMap((part) => part.missing) };
  return { value: true, yes: parts.flatMap((part) => part.yes), no: [], ask: [], missing: [] };
}

function combineAny(parts: Outcome[]): Outcome {
  const passed = parts.find((part) => part.value === true);
  if (passed) return passed;
  const open = parts.filter((part) => part.value === undefined);
  if (open.length) return { value: undefined, yes: [], no: [], ask: open.flatMap((part) => part.ask), missing: open.flatMap((part) => part.missing) };
  return { value: false, yes: [], no: [parts.flatMap((part) => part.no).join("；")], ask: [], missing: [] };
}

const BOOLEAN_WORDS = {
  pensionEnrolled: { true: "您已参加城乡居民养老保险", false: "您还没参加养老保险", ask: "您有没有参加养老保险" },
  wantsTraining: { true: "您想参加培训", false: "您暂时不想参加培训", ask: "您想不想参加培训" },
  trainingEnrolled: { true: "您正在参加培训", false: "您现在没有在培训", ask: "您现在是否在参加培训" },
  startingBusiness: { true: "您在创业", false: "您没有在创业", ask: "您是否在创业或开店" },
  organisedLabourExport: {
    true: "您是有组织外出务工",
    false: "您不是通过有组织劳务输出外出务工",
    ask: "您是不是通过政府或劳务经纪人组织外出务工",
  },
  householdTechnicalSchoolStudent: { true: "家里有人在读技工院校", false: "家里没有人在读技工院校", ask: "家里有没有孩子在读技工院校" },
} as const;

const workedWords = (workplace: Workplace) => (workplace === "none" ? "您还没有工作" : `您${WORKPLACE_WORDS[workplace]}务工`);

function evaluateFact(condition: FactCondition, context: Context): Outcome {
  const { profile } = context;
  switch (condition.fact) {
    case "povertyStatus": {
      const status = profile.povertyStatus;
      const wanted = condition.in.map((value) => POVERTY_WORDS[value]);
      if (!isKnown(status) || (status === "unknown" && !condition.in.includes("unknown"))) return unknown(`您家是不是${either(wanted)}`, "povertyStatus");
      return condition.in.includes(status) ? met(`您家是${POVERTY_WORDS[status]}`) : unmet(`这项只给${list(wanted)}，您家登记为${POVERTY_WORDS[status]}`);
    }
    case "categories": {
      const wanted = condition.includesAny.map((value) => CATEGORY_WORDS[value]);
      if (!isKnown(profile.categories)) return unknown(`您是不是${either(wanted)}`, "categories");
      const found = condition.includesAny.find((category) => profile.categories!.includes(category));
      return found ? met(`您是${CATEGORY_WORDS[found as Category]}`) : unmet(`这项只给${list(wanted)}`);
    }
    case "age":
      return evaluateAge(condition, context);
    case "sex": {
      const wanted = condition.in.map((value) => SEX_WORDS[value]);
      if (!isKnown(profile.sex)) return unknown("您的性别", "sex");
      return condition.in.includes(profile.sex) ? met(`您是${SEX_WORDS[profile.sex]}`) : unmet(`这项只给${list(wanted)}`);
    }
    case "homeRegion": {
      const home = profile.homeRegionCode;
      if (!home) return unknown("您家住在哪个县", "homeRegion");
      if (condition.under.some((code) => home.startsWith(code))) return met("您家在实施地区");
      // A home known only to the city cannot tell which of its counties.
      if (condition.under.some((code) => code.startsWith(home))) return unknown("您家住在哪个县、哪个乡镇", "homeRegion");
      return unmet("这项只在部分地区实施，您家不在其中");
    }
    case "employmentStatus": {
      const status = profile.employmentStatus;
      if (!isKnown(status)) return unknown("您现在有没有工作、在哪里工作", "employmentStatus");
      const wanted = condition.in.map((value) => EMPLOYMENT_WORDS[value]);
      return condition.in.includes(status) ? met(`您${EMPLOYMENT_WORDS[status]}`) : unmet(`这项给${either(wanted)}的人，您${EMPLOYMENT_WORDS[status]}`);
    }
    case "workplace": {
      const workplace = workplaceOf(profile);
      if (!workplace) return unknown("您在哪里务工（本县、省内还是外省）", "workplace");
      const wanted = condition.in.map((value) => WORKPLACE_WORDS[value]);
      return condition.in.includes(workplace) ? met(workedWords(workplace)) : unmet(`这项给${either(wanted)}务工的人，${workedWords(workplace)}`);
    }
    case "graduationYear": {
      const year = profile.graduationYear;
      const { min, max } = condition.yearsSince;
      const when = min === 0 && max === 0 ? "毕业当年" : min === 0 && max === undefined ? "已毕业" : `毕业${min ?? 0}到${max ?? "多"}年内`;
      if (!isKnown(year)) return unknown("您是哪年毕业", "graduationYear");
      const since = context.thisYear - year;
      if ((min === undefined || since >= min) && (max === undefined || since <= max)) return met(since === 0 ? "您今年毕业" : `您${year}年毕业`);
      return unmet(since < 0 ? `这项要${when}申请，您${year}年才毕业` : `这项要${when}申请，您是${year}年毕业`);
    }
    case "education": {
      const education = profile.education;
      if (!isKnown(education)) return unknown("您是哪类学校毕业", "education");
      const wanted = condition.in.map((value) => EDUCATION_WORDS[value]);
      return condition.in.includes(education) ? met(`您是${EDUCATION_WORDS[education]}毕业`) : unmet(`这项给${list(wanted)}毕业生`);
    }
    case "trainingCompleted": {
      const count = completedTrainings(profile);
      if (count === undefined) return unknown("您有没有培训结业并拿到证书", "trainingCompleted");
      return count >= condition.min ? met("您已培训结业并拿到证书") : unmet("要培训结业、拿到证书后才能申请");
    }
    default: {
      const value = profile[condition.fact];
      const words = BOOLEAN_WORDS[condition.fact];
      if (!isKnown(value)) return unknown(words.ask, condition.fact);
      const text = value ? words.true : words.false;
      return value === condition.equals ? met(text) : unmet(text);
    }
  }
}

/** Age limits in whole years; with a limit per sex, an unknown sex matters only between the two limits. */
function evaluateAge(condition: Extract<FactCondition, { fact: "age" }>, context: Context): Outcome {
  const { birthDate, sex } = context.profile;
  if (!isKnown(birthDate)) return unknown("您的出生日期", "age");
  const age = ageOn(birthDate, context.today);
  if (condition.min !== undefined && age < condition.min) return unmet(`这项要年满${condition.min}周岁，您今年${age}岁`);
  const limitFor = (of: Sex) => condition.maxBySex?.[of] ?? condition.max;
  const limits = (["female", "male"] as const).map((of) => ({ of, limit: limitFor(of) }));
  const bySex = limits[0]!.limit !== limits[1]!.limit;
  const within = (limit: number | undefined) => limit === undefined || age <= limit;
  const tooOld = (of: Sex, limit: number) => unmet(`这项限${bySex ? SEX_WORDS[of] : ""}${limit}周岁及以下，您今年${age}岁`);
  if (isKnown(sex)) {
    const limit = limitFor(sex);
    return within(limit) ? met(`您今年${age}岁`) : tooOld(sex, limit!);
  }
  if (limits.every(({ limit }) => within(limit))) return met(`您今年${age}岁`);
  if (limits.every(({ limit }) => !within(limit))) {
    const highest = limits.reduce((a, b) => ((a.limit ?? Infinity) >= (b.limit ?? Infinity) ? a : b));
    return unmet(`这项限${highest.limit}周岁及以下，您今年${age}岁`);
  }
  return unknown("您的性别", "sex");
}

function evaluateBenefit(benefit: Benefit, context: Context): BenefitEvaluation {
  const outcome = evaluateCondition(benefit.eligibility, context);
  const answer: Answer = outcome.value === true ? "yes" : outcome.value === false ? "no" : "needsInfo";
  const questions = [...new Set(outcome.ask)];
  const reason = answer === "yes" ? outcome.yes.join("，") : answer === "no" ? outcome.no[0]! : `需要知道${questions.join("、")}`;
  return {
    id: benefit.id,
    name: benefit.name,
    shortName: benefit.shortName,
    answer,
    reason,
    questions: answer === "needsInfo" ? questions : [],
    missing: answer === "needsInfo" ? [...new Set(outcome.missing.map((fact) => PROFILE_FIELD_OF_FACT[fact]))] : [],
    amountText: amountText(benefit),
    nextStep: answer === "yes" ? benefit.howToApply.text : answer === "needsInfo" ? `请告诉我们${questions.join("；")}` : null,
    documents: benefit.documents,
    sources: benefit.sources,
    benefit,
  };
}

/** Every benefit of the region, in the documents' order, with the worker's answer. */
export function evaluateEligibility(policies: RegionPolicies, profile: WorkerProfile, options: EvaluationOptions): BenefitEvaluation[] {
  const context: Context = { profile, today: options.today, thisYear: chinaDate(options.today).year };
  return policies.benefits.map((benefit) => evaluateBenefit(benefit, context));
}

export interface NewEntitlementOptions extends EvaluationOptions {
  /** The day `before` was true on, when it differs (a daily check: turning 60 is a change of day). Defaults to today. */
  beforeToday?: DateLike;
}

/**
 * The benefits that are "yes" after a change and were not "yes" before: what the service tells
 * the worker about unasked (hired out of province, graduation year, turning 60).
 */
export function newEntitlements(
  policies: RegionPolicies,
  before: WorkerProfile,
  after: WorkerProfile,
  options: NewEntitlementOptions,
): BenefitEvaluation[] {
  const earlier = evaluateEligibility(policies, before, { today: options.beforeToday ?? options.today });
  const wasYes = new Set(earlier.filter((evaluation) => evaluation.answer === "yes").map((evaluation) => evaluation.id));
  return evaluateEligibility(policies, after, options).filter((evaluation) => evaluation.answer === "yes" && !wasYes.has(evaluation.id));
}
