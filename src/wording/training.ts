// What workers read about training, each one SMS: the offer ("回复1报名"), the reminder before the
// course, its cancellation; and the template parameters where a channel sends templates (each at
// most PARAM_MAX characters, as the SMS providers' variables allow).
import { firstThatFits } from "../policies/index.ts";
import { chinaDateText } from "../shared/china-time.ts";

const PARAM_MAX = 20;

export interface OfferFacts {
  title: string;
  place: string;
  startsAt: Date;
  free: boolean;
  subsidyYuan: number | null;
  livingAllowance: number | null;
}

const costText = (facts: Pick<OfferFacts, "free" | "subsidyYuan">) =>
  facts.free ? "免费" : facts.subsidyYuan ? `政府补贴${facts.subsidyYuan}元` : "有政府补贴";
const allowanceText = (yuan: number | null) => (yuan ? `每天生活补贴${yuan}元` : null);

/** The offer as one SMS ending "回复1报名": course, place, start, free or subsidised, living allowance. */
export function offerText(facts: OfferFacts): string {
  const tail = "。回复1报名";
  const date = `${chinaDateText(facts.startsAt)}开课`;
  const cost = costText(facts);
  const allowance = allowanceText(facts.livingAllowance);
  const compose = (title: string, place: string, withAllowance: boolean) =>
    [title, place, date, cost, withAllowance ? allowance : null].filter(Boolean).join("，") + tail;
  // What gives first when it is long: the title's tail, the place's township, then the allowance.
  return firstThatFits([
    compose(facts.title, facts.place, true),
    compose(facts.title.slice(0, 14), facts.place, true),
    compose(facts.title.slice(0, 14), facts.place.slice(0, 6), true),
    compose(facts.title.slice(0, 14), facts.place.slice(0, 6), false),
    compose(facts.title.slice(0, 10), "", false),
  ]);
}

export function offerParams(facts: OfferFacts): Record<string, string> {
  return {
    course: facts.title.slice(0, PARAM_MAX),
    place: facts.place.slice(0, PARAM_MAX),
    start: chinaDateText(facts.startsAt).slice(0, PARAM_MAX),
    cost: costText(facts).slice(0, PARAM_MAX),
    allowance: (allowanceText(facts.livingAllowance) ?? "无").slice(0, PARAM_MAX),
  };
}

export function reminderText(facts: { title: string; startsAt: Date; where: string }): string {
  const when = chinaDateText(facts.startsAt, true);
  const tail = `。去不了请回复"人工"`;
  return firstThatFits([
    `提醒：您报名的${facts.title}${when}开课，地点：${facts.where}${tail}`,
    `提醒：您报名的${facts.title.slice(0, 12)}${when}开课，地点：${facts.where.slice(0, 20)}${tail}`,
    `提醒：您报名的${facts.title.slice(0, 12)}${when}开课${tail}`,
  ]);
}

export function reminderParams(facts: { title: string; startsAt: Date; where: string }): Record<string, string> {
  return { course: facts.title.slice(0, PARAM_MAX), start: chinaDateText(facts.startsAt, true).slice(0, PARAM_MAX), place: facts.where.slice(0, PARAM_MAX) };
}

/** The course will not take place: to those enrolled. */
export function cancellationBody(course: { title: string; startsAt: Date }) {
  const title = course.title.slice(0, 16);
  return {
    text: `抱歉，您报名的${title}（${chinaDateText(course.startsAt)}开课）取消了。有新的班会再通知您。`,
    template: "training_cancelled",
    params: { course: title, start: chinaDateText(course.startsAt) },
  };
}
