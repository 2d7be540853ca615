// An employer's first message often says the whole vacancy at once: 招10个竹编工，计件，熟手一个月
// 三千多，管午饭，只要女的，55岁以下. Each clause is read by the question it answers, so that question
// is not asked again; the clauses no question reads are the title.
import { boardSaid, withoutBoard, type SexRequirement } from "../../shared/postings.ts";
import { compact, readAgeRange, readNumber, readPay } from "../input.ts";
import type { VacancyAnswers } from "../types.ts";

/** What a message said beyond the title: the answers of the questions it answers. */
export type TermsSaid = Pick<VacancyAnswers, "headcount" | "wageMin" | "wageMax" | "wageUnit" | "hours" | "ageMin" | "ageMax" | "sex" | "housing" | "meals">;

const CLAUSES = /[，,；;。！!、\n]+|\s+/u;
const COUNT = "(\\d+|[一二两三四五六七八九十百]+)";
const COUNTED = "(?:个人|个|名|位|人)";
/** 招10个 / 十个人 said alone, 招10个竹编工 before the title, 竹编工10名 after it. */
const HEADCOUNT = new RegExp(`^(?:招聘?|急招|需要|要)?${COUNT}${COUNTED}$`, "u");
const HEADCOUNT_BEFORE = new RegExp(`^(?:招聘?|急招|诚聘|需要|要)?${COUNT}${COUNTED}(.+)$`, "u");
const HEADCOUNT_AFTER = new RegExp(`^(.+?)${COUNT}${COUNTED}$`, "u");
/** Only a clause that says nothing else is a sex requirement: 女装缝纫工 is a title. */
const SEX = /^(?:只要|只招|仅限|限|要|招)?(女|男)(?:的|性|工|士)?(?:优先)?$/u;
const ANY_SEX = /^(?:男女不限|不限男女|男女都(?:可以|行|要))$/u;

/**
 * One clause read by the question it answers: its terms, or the pay it states (read with the other
 * pay clauses); null when it answers none (it is the title, or more of it).
 */
function termOf(clause: string): { terms?: TermsSaid; pay?: string } | null {
  const said = compact(clause);
  const count = HEADCOUNT.exec(said);
  if (count) return termsIn(headcountOf(count[1]!));
  if (/小时|钟头/u.test(said)) {
    const hours = readNumber(said.replace(/^(每天|一天|每日)/u, "").replace(/(个)?(小时|钟头)(左右)?$/u, ""));
    return hours !== null && hours >= 1 && hours <= 16 ? { terms: { hours: `每天${hours}小时` } } : null;
  }
  if (/岁|年纪|年龄/u.test(said)) {
    const range = readAgeRange(clause.replace(/年纪|年龄|要求?|在/gu, ""));
    return range ? { terms: { ageMin: range.min, ageMax: range.max } } : null;
  }
  if (ANY_SEX.test(said)) return { terms: { sex: "any" } };
  const sex = SEX.exec(said);
  if (sex) return { terms: { sex: (sex[1] === "女" ? "female" : "male") satisfies SexRequirement } };
  const board = boardSaid(said);
  // 3500包吃住: the board, and the pay said with it.
  const rest = withoutBoard(said);
  if (board.housing || board.meals) return { terms: board, ...(rest && readPay(rest)?.min ? { pay: rest } : {}) };
  return readPay(clause) ? { pay: clause } : null;
}

const termsIn = (terms: TermsSaid | null) => (terms ? { terms } : null);

function headcountOf(count: string): TermsSaid | null {
  const headcount = readHeadcount(count);
  return headcount === null ? null : { headcount };
}

/** A number of people to hire as written (10, 十), when it is one a vacancy can have. */
export function readHeadcount(count: string): number | null {
  const headcount = readNumber(count);
  return headcount !== null && headcount >= 1 && headcount <= 9999 ? headcount : null;
}

/** What a month's pay can be: an amount outside it is a slip (300, 3000000), asked again rather than kept. */
export const MONTHLY_PAY = { min: 500, max: 100_000 } as const;

/** The title and what else a message of several clauses says; null when it says one thing (a title as before). */
export function vacancyAtOnce(text: string): { title: string; terms: TermsSaid } | null {
  const clauses = text.split(CLAUSES).filter((clause) => compact(clause).length > 0);
  let terms: TermsSaid = {};
  const pay: string[] = [];
  const title: string[] = [];
  let titleEnded = false;
  for (const clause of clauses) {
    const term = termOf(clause);
    if (term === null && !titleEnded) title.push(clause);
    // The title is the first run of clauses no question reads ("竹编 草编"); a later one (手巧) is not it.
    titleEnded ||= title.length > 0 && term !== null;
    if (term?.pay) pay.push(term.pay);
    if (term?.terms) terms = { ...terms, ...term.terms };
  }
  if (pay.length > 0) {
    const read = readPay(pay.join("，"));
    const monthly = read?.unit === "month" ? read.max : null;
    if (read && (monthly === null || (monthly >= MONTHLY_PAY.min && monthly <= MONTHLY_PAY.max))) terms = { ...terms, wageMin: read.min, wageMax: read.max, wageUnit: read.unit };
  }
  let named = title.join(" ");
  // 招10个竹编工, 竹编工10名: the headcount said with the title.
  const before = HEADCOUNT_BEFORE.exec(compact(named));
  const after = before ? null : HEADCOUNT_AFTER.exec(compact(named));
  const counted = before ? { count: before[1]!, rest: before[2]! } : after ? { count: after[2]!, rest: after[1]! } : null;
  if (counted && terms.headcount === undefined) {
    const headcount = headcountOf(counted.count);
    if (headcount) {
      terms = { ...terms, ...headcount };
      named = counted.rest;
    }
  }
  return Object.keys(terms).length > 0 && named ? { title: named, terms } : null;
}
