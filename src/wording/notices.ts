// What workers, employers and coordinators read in the messages the service sends on its own: each a
// body (the text, and the template and its parameters where a provider sends approved templates),
// built from facts, and each within one SMS (test/unit/wording.test.ts tries the longest facts).
import { fitSms } from "../policies/index.ts";
import { SMS_TEXT_CHARS } from "../shared/sms-text.ts";

/** A template's variable, as the SMS providers allow it. */
const PARAM_MAX = 20;
const param = (text: string) => text.slice(0, PARAM_MAX);

export type MessageBody = {
  text: string;
  template: string;
  params: Record<string, string>;
};

/** How near a job is to a worker's home, in the words of a push. */
export function nearnessText(home: string | null, job: string | null): string | null {
  if (!home || !job) return null;
  if (home.length >= 12 && job.startsWith(home.slice(0, 12))) return "就在本村";
  if (home.length >= 9 && job.startsWith(home.slice(0, 9))) return "就在本乡镇";
  if (job.startsWith(home.slice(0, 6))) return "就在本县";
  return null;
}

export interface PushFacts {
  job: string;
  place: string;
  pay: string;
  /** 包吃住, 包住, 包吃, or null */
  board: string | null;
  /** why it fits this worker: the wished work, nearness */
  reason: string;
}

/** The push as one SMS: job, place, pay, reason, "回复1报名"; the least telling parts go first when it is long. */
export function pushText(facts: PushFacts): string {
  const tail = "回复1报名";
  const parts = [facts.job, facts.place, facts.pay + (facts.board ? `，${facts.board}` : ""), facts.reason].filter(Boolean);
  for (let keep = parts.length; keep >= 1; keep--) {
    const text = `${parts.slice(0, keep).join("，")}。${tail}`;
    if (text.length <= SMS_TEXT_CHARS) return text;
  }
  return `${facts.job.slice(0, SMS_TEXT_CHARS - tail.length - 1)}。${tail}`;
}

export const jobPushBody = (facts: PushFacts): MessageBody => ({
  text: pushText(facts),
  template: "job_push",
  params: { job: param(facts.job), place: param(facts.place), pay: param(facts.pay), reason: param(facts.reason) },
});

/**
 * A place named by its parts (云霄县, 云陵镇, 望安社区), longest first: whole, without its county, its
 * village alone, nothing. A text that must be short takes the first that fits, never a name cut in
 * the middle (陵镇望安社区).
 */
export function shorterPlaces(parts: readonly string[]): string[] {
  return [...new Set([...parts.map((_, start) => parts.slice(start).join("")), ""])];
}

/** To the employer: someone applied, and where they live (its parts), as much of it as the SMS holds. */
export function newApplicantBody(facts: { name: string; age: number | null; place: readonly string[]; job: string }): MessageBody {
  const text = (place: string) =>
    `新报名：${facts.name}，${facts.age !== null ? `${facts.age}岁，` : ""}${place ? `${place}，` : ""}报"${facts.job.slice(0, 10)}"。回复"查看报名"看详情`;
  const fitting = shorterPlaces(facts.place).map(text).find((candidate) => candidate.length <= SMS_TEXT_CHARS) ?? text("");
  return { text: fitting, template: "application", params: { name: facts.name, job: param(facts.job) } };
}

/** To the employer: the applicant agreed to share their phone (the body is stored sealed). */
export const applicantPhoneBody = (facts: { name: string; phone: string; job: string }): MessageBody => ({
  text: `${facts.name}同意给您电话：${facts.phone}（报"${facts.job.slice(0, 10)}"）`,
  template: "applicant_phone",
  params: { name: facts.name, phone: facts.phone },
});

/** To the worker: hired. */
export const hiredBody = (facts: { employer: string; job: string }): MessageBody => ({
  text: `恭喜！${(facts.employer || "用工单位").slice(0, 16)}录用了您（${facts.job.slice(0, 10)}）。协理员一个月后回访您。`,
  template: "hired",
  params: { employer: param(facts.employer), job: param(facts.job) },
});

/** To the worker, a month after a hire: still there? */
export const followUpBody = (facts: { name: string; employer: string; job: string }): MessageBody => {
  const employer = facts.employer.slice(0, 16);
  return {
    text: `${facts.name}您好！您还在${employer}做${facts.job.slice(0, 10)}吗？回复1是，2否`,
    template: "follow_up",
    params: { name: facts.name, employer, job: param(facts.job) },
  };
};

/** To an employer's chat, once a coordinator confirmed the employer (its waiting vacancies open) or the chat as its contact. */
export const employerConfirmedBody = (facts: { employer: string; contact: boolean }): MessageBody => {
  const employer = facts.employer.slice(0, 20);
  return {
    text: facts.contact
      ? `协理员已核实：您是"${employer}"的联系人了。回复任意字发布岗位、查看报名。`
      : `协理员已核实"${employer}"，您的岗位已发布，有人报名会通知您。`,
    template: "employer_confirmed",
    params: { employer: param(facts.employer) },
  };
};

/** To someone a coordinator confirmed as the roster's person: registered. */
export const identityConfirmedBody = (): MessageBody => ({
  text: '协理员已核实，您登记好了！有合适的岗位会发给您。回复"找工作"看岗位。',
  template: "registered",
  params: {},
});

/** The code that proves a phone is the person's. */
export const verificationCodeBody = (code: string): MessageBody => ({
  text: `验证码${code}，10分钟内有效。如非本人操作请忽略。`,
  template: "verification_code",
  params: { code },
});

/** To a coordinator, at once: someone asked for a person, or lost their job. */
export function coordinatorAlertBody(facts: { label: string; who: string; phone: string | null; note: string }): MessageBody {
  // A note may open with the same words as the label (就业转失业预警：…): said once.
  const note = facts.note.replace(new RegExp(`^${facts.label}[：:]`), "");
  return {
    text: fitSms(`${facts.label}：${facts.who}${facts.phone ? `，电话${facts.phone}` : ""}。${note}`),
    template: "coordinator_alert",
    params: { kind: facts.label, who: param(facts.who), phone: facts.phone ?? "" },
  };
}

/** To a coordinator, in the morning: the day's work, counted by kind. */
export const coordinatorDigestBody = (facts: { coordinator: string; total: number; parts: string }): MessageBody => ({
  text: fitSms(`${facts.coordinator}，今天待办${facts.total}件：${facts.parts}。请到工作台查看。`),
  template: "coordinator_digest",
  params: { total: String(facts.total) },
});
