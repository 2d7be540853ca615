// Benefits in plain words for SMS: one short line per benefit, and a notice for one new
// entitlement with the next step. A Chinese SMS holds 70 characters (UTF-16 units, as the
// channels count them), the provider's signature among them; the texts come from the documents, so a
// county's amount shows up here.
import { SMS_TEXT_CHARS } from "../shared/sms-text.ts";
import type { BenefitEvaluation } from "./evaluate.ts";
import { amountShort, summaryText } from "./library.ts";

/** One benefit's line in a list, which the chat packs into as few SMS as the lines fit. */
export const LINE_BUDGET = 35;

/** The first `units` UTF-16 units, one fewer when the cut would split a character in two (an emoji). */
function cut(text: string, units: number): string {
  const code = text.charCodeAt(units - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? units - 1 : units);
}

/** The first text that fits, else the last one cut with an ellipsis: a text never exceeds its budget. */
export function firstThatFits(candidates: string[], budget: number = SMS_TEXT_CHARS): string {
  const fitting = candidates.find((text) => text.length <= budget);
  if (fitting !== undefined) return fitting;
  const last = candidates[candidates.length - 1] ?? "";
  return budget <= 1 ? cut(last, budget) : `${cut(last, budget - 1)}…`;
}

/** The text within the budget: as it is when it fits, else cut with an ellipsis. */
export const fitSms = (text: string, budget: number = SMS_TEXT_CHARS) => firstThatFits([text], budget);

/**
 * One line for a benefit: "交通补贴：外出务工可领交通补助，找协理员办" for a yes,
 * "求职补贴：需要知道您是哪年毕业" for a needsInfo. A no has no line (null).
 */
export function benefitLine(evaluation: BenefitEvaluation, budget: number = LINE_BUDGET): string | null {
  const { benefit } = evaluation;
  if (evaluation.answer === "yes") {
    const summary = summaryText(benefit);
    return firstThatFits([`${benefit.shortName}：${summary}，${benefit.howToApply.short}`, `${benefit.shortName}：${summary}`], budget);
  }
  if (evaluation.answer === "needsInfo") {
    const [question] = evaluation.questions;
    return firstThatFits([`${benefit.shortName}：需要知道${question}`, `${benefit.shortName}：请补充信息`], budget);
  }
  return null;
}

export interface BenefitLinesOptions {
  /** Characters per line. */
  budget?: number;
  /** Leave out the needsInfo lines (a notice about what the worker has, not what we need). */
  yesOnly?: boolean;
}

/** A worker's benefits in one short line each: those they have, and those that wait on a question. */
export interface BenefitLines {
  have: string[];
  toAsk: string[];
}

/**
 * The lines for the benefits that are yes (`have`), and those that need information (`toAsk`);
 * benefits waiting on the same question share its line (创业补贴、创业贷款：需要知道您是否在创业或开店)
 * where it fits, so the list takes fewer SMS.
 */
export function benefitLineGroups(evaluations: readonly BenefitEvaluation[], budget: number = LINE_BUDGET): BenefitLines {
  const have = evaluations.filter((evaluation) => evaluation.answer === "yes").map((evaluation) => benefitLine(evaluation, budget)!);
  const byQuestion = new Map<string, BenefitEvaluation[]>();
  for (const evaluation of evaluations.filter((item) => item.answer === "needsInfo")) {
    const question = evaluation.questions[0] ?? "";
    byQuestion.set(question, [...(byQuestion.get(question) ?? []), evaluation]);
  }
  const toAsk = [...byQuestion].flatMap(([question, waiting]) => {
    const shared = `${waiting.map(({ benefit }) => benefit.shortName).join("、")}：需要知道${question}`;
    return waiting.length > 1 && question && shared.length <= budget ? [shared] : waiting.map((evaluation) => benefitLine(evaluation, budget)!);
  });
  return { have, toAsk };
}

/** The lines for the benefits that are yes, then (unless `yesOnly`) those that need information. */
export function benefitLines(evaluations: readonly BenefitEvaluation[], options: BenefitLinesOptions = {}): string[] {
  const { have, toAsk } = benefitLineGroups(evaluations, options.budget);
  return options.yesOnly ? have : [...have, ...toAsk];
}

/**
 * The notice for one new entitlement, with the amount and the next step:
 * "您可申请一次性求职创业补贴：每人2000元，一次性。毕业当年通过学校就业部门向人社部门申请。"
 * Longer wordings give way to the short ones until it fits.
 */
export function entitlementNotice(evaluation: BenefitEvaluation, budget: number = SMS_TEXT_CHARS): string {
  const { benefit } = evaluation;
  const short = amountShort(benefit);
  return firstThatFits(
    [
      `您可申请${benefit.name}：${evaluation.amountText}。${benefit.howToApply.text}。`,
      `您可申请${benefit.name}：${short}。${benefit.howToApply.text}。`,
      `您可申请${benefit.shortName}：${short}。${benefit.howToApply.text}。`,
      `您可申请${benefit.shortName}：${short}。${benefit.howToApply.short}。`,
    ],
    budget,
  );
}
