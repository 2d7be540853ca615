// A worker's benefits as the chat tells them: the lines (have / to ask), what the answers the chat
// may still ask would decide, what a job away from home would bring, and each benefit by name for a
// question about one (外出打工的交通补贴怎么领). Pure: the service feeds it the record, the engine's
// tests a profile of their own.
import { evaluateEligibility, type Answer, type BenefitEvaluation } from "./evaluate.ts";
import { amountShort, type RegionPolicies } from "./library.ts";
import { ageOn, type DateLike, type EmploymentStatus, type WorkerProfile } from "./profile.ts";
import { benefitLine, benefitLineGroups, firstThatFits, fitSms, entitlementNotice, type BenefitLines } from "./render.ts";

/** What a worker may tell the chat about themselves for the benefits' sake (补贴政策's questions). */
export const TOLD_FACTS = ["pensionEnrolled", "startingBusiness", "education", "graduationYear", "householdTechnicalSchoolStudent", "organisedLabourExport"] as const;
export type ToldFact = (typeof TOLD_FACTS)[number];
export type ToldFacts = Partial<Pick<WorkerProfile, ToldFact>>;

/** One benefit, for a question that names it. */
export interface NamedBenefit {
  /** the words that name it (交通补贴, 一次性交通补助, 交通补助) */
  words: string[];
  answer: Answer;
  /** what it means for this worker, in one SMS: how to apply, why not, or what must be known */
  text: string;
  /** for a needsInfo: the facts that would decide */
  unknown: (keyof WorkerProfile)[];
}

export interface BenefitsView extends BenefitLines {
  /** The facts whose answers could change a benefit, in the order the benefits wait on them. */
  unknown: (keyof WorkerProfile)[];
  /** The lines of benefits a job away from the home county would bring (交通补贴), for a job seeker willing to go. */
  ifWorkingAway: string[];
  /** The facts the worker could tell that are known already and decide a benefit: what 重答 asks again. */
  answered: ToldFact[];
  named: NamedBenefit[];
}

/** Nothing known: someone not registered, or not found. */
export const NO_BENEFITS: BenefitsView = Object.freeze({ have: [], toAsk: [], unknown: [], ifWorkingAway: [], answered: [], named: [] });

export interface ViewOptions {
  today: DateLike;
  /** where the worker is willing to work: someone ready to leave the county hears of the benefits that brings */
  workRange?: "homeCounty" | "province" | "anywhere" | null;
  /** what the worker has just said, not recorded yet */
  told?: ToldFacts;
  /** facts taken as not known, whatever the record says (重答: asked again) */
  forget?: readonly ToldFact[];
}

/**
 * From this age the school questions are not asked, nor the benefits that wait on them listed: the
 * graduate subsidies are for those leaving school, and asking a 58-year-old which year she
 * graduated is no help to her (the coordinator still sees them, and a benefit asked about by name
 * still asks).
 */
export const SCHOOL_QUESTIONS_BELOW_AGE = 35;
const SCHOOL_FACTS: readonly (keyof WorkerProfile)[] = ["education", "graduationYear"];

/** A job in the province or beyond, as the rules would see it once found. */
const AWAY: Record<"province" | "anywhere", EmploymentStatus> = { province: "employedInProvince", anywhere: "employedOutOfProvince" };

/** The names a benefit is asked about by: its names, without 一次性, and with 补助 said as 补贴 (and back). */
function wordsFor(evaluation: BenefitEvaluation): string[] {
  const names = [evaluation.shortName, evaluation.name, evaluation.name.replace(/^一次性/, "")];
  const swapped = names.map((name) => (name.endsWith("补助") ? name.replace(/补助$/, "补贴") : name.endsWith("补贴") ? name.replace(/补贴$/, "补助") : name));
  return [...new Set([...names, ...swapped])].filter((name) => name.length >= 2);
}

/** 到县外上班后可申请一次性交通补助（500元）…: the amount only where it says one (the built-in 按当地规定 repeats the name). */
function awayText({ benefit, amountText }: BenefitEvaluation): string {
  const amount = /\d/.test(amountText) ? `（${amountShort(benefit)}）` : "";
  return firstThatFits([`到县外上班后可申请${benefit.name}${amount}。${benefit.howToApply.text}。`, `到县外上班后可申请${benefit.shortName}${amount}。${benefit.howToApply.short}。`]);
}

/** The profile with these facts not known (what 重答 asks again, and how the facts that decide something are found). */
const cleared = (profile: WorkerProfile, facts: readonly ToldFact[]): WorkerProfile => ({ ...profile, ...Object.fromEntries(facts.map((fact) => [fact, null])) });

export function benefitsView(policies: RegionPolicies, profile: WorkerProfile, options: ViewOptions): BenefitsView {
  const told = Object.fromEntries(Object.entries(options.told ?? {}).filter(([, value]) => value !== undefined && value !== null));
  const now = { ...cleared(profile, options.forget ?? []), ...told };
  const evaluations = evaluateEligibility(policies, now, { today: options.today });
  const range = options.workRange;
  // What a job away would bring: listed for one willing to go, and said as the reason to one who is not.
  const willing = range === "province" || range === "anywhere";
  const away =
    now.employmentStatus === "seeking"
      ? evaluateEligibility(policies, { ...now, employmentStatus: AWAY[willing ? range : "province"], employedRegionCode: null }, { today: options.today }).filter(
          (evaluation, index) => evaluation.answer === "yes" && evaluations[index]!.answer !== "yes",
        )
      : [];
  const awayIds = new Set(away.map((evaluation) => evaluation.id));
  const pastSchool = now.birthDate ? ageOn(now.birthDate, options.today) >= SCHOOL_QUESTIONS_BELOW_AGE : false;
  // From that age a benefit that would still ask about school is not listed (nor its other questions asked).
  const askedOf = (evaluated: BenefitEvaluation[]) =>
    evaluated.filter((evaluation) => !(pastSchool && evaluation.answer === "needsInfo" && evaluation.missing.some((fact) => SCHOOL_FACTS.includes(fact))));
  const listed = askedOf(evaluations);
  const unknown = [...new Set(listed.flatMap((evaluation) => evaluation.missing))];
  const deciding = askedOf(evaluateEligibility(policies, cleared(now, TOLD_FACTS), { today: options.today })).flatMap((evaluation) => evaluation.missing);
  const answered = TOLD_FACTS.filter((fact) => deciding.includes(fact) && !unknown.includes(fact));
  const named = evaluations.map((evaluation): NamedBenefit => {
    const { benefit } = evaluation;
    const text =
      evaluation.answer === "yes"
        ? entitlementNotice(evaluation)
        : awayIds.has(evaluation.id)
          ? willing
            ? awayText(evaluation)
            : fitSms(`${benefit.shortName}：到县外上班才能领，您登记的是只在本县找工作。`)
          : fitSms(`${benefit.shortName}：${evaluation.reason}。`);
    return { words: wordsFor(evaluation), answer: evaluation.answer, text, unknown: evaluation.missing };
  });
  return {
    ...benefitLineGroups(listed),
    unknown,
    ifWorkingAway: willing ? away.map((evaluation) => benefitLine(evaluation)!) : [],
    answered,
    named,
  };
}
