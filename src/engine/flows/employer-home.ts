// The employer's home: 我的岗位, 发布新岗位, and commands with an optional number ("关闭 2",
// "查看报名2", 已录用).
import { z } from "zod";
import { chooseOne, noChoice as no, yesChoice as yes, type Env, type Outcome, type Step } from "../flow.ts";
import { compact, NO_WORDS, readNumber, type Choice } from "../input.ts";
import type { ApplicantView, EmployerVacancy, Position, Scratch, StepId } from "../types.ts";
import { readVacancyTitle } from "./vacancy-posting.ts";

/** A new vacancy said at the menu instead of a number. */
const HIRING = /^(再|还|又)?(要|想)?(招聘?|急招|诚聘|需要|缺)/u;

/** The steps this flow owns. */
export const EMPLOYER_HOME_STEP_IDS = ["employerHome", "employerVacancyChoice", "applicantChoice", "closeConfirm"] as const;
export type EmployerHomeStep = (typeof EMPLOYER_HOME_STEP_IDS)[number];

/** What 发布 / 关闭 / 查看报名 / 已录用 act on: the action, the vacancies to choose from, the one chosen, its applicants. */
export interface EmployerHomeScratch {
  employerAction?: "post" | "close" | "applicants" | "hire";
  vacancies?: EmployerVacancy[];
  chosenVacancyId?: string;
  applicants?: ApplicantView[];
  /** the one vacancy the menu's 关闭岗位 would close, asked first */
  closing?: { id: string; title: string };
  /** a new vacancy said at the menu (再招10个保安…): its title is answered */
  vacancyStarted?: boolean;
  /** what someone wrote who chose 我要招人 (我是阳下村扶贫车间的，想招几个人): the unit's name may be in it */
  employerSaid?: string;
}
export const employerHomeScratchSchema = z
  .object({
    employerAction: z.enum(["post", "close", "applicants", "hire"]),
    vacancies: z.array(z.looseObject({ id: z.string(), title: z.string() })),
    chosenVacancyId: z.string(),
    applicants: z.array(z.looseObject({ applicationId: z.string(), name: z.string() })),
    closing: z.object({ id: z.string(), title: z.string() }),
    vacancyStarted: z.boolean(),
    employerSaid: z.string().max(200),
  })
  .partial();

type EmployerAction = Exclude<NonNullable<Scratch["employerAction"]>, "post">;

const HOME_CHOICES: Choice[] = [
  { key: "post", label: "发布新岗位" },
  { key: "list", label: "我的岗位" },
  { key: "applicants", label: "查看报名" },
  { key: "hire", label: "已录用" },
  { key: "close", label: "关闭岗位" },
];

const ACTION_WORDS: [RegExp, EmployerAction][] = [
  [/^(关闭|关掉|停招)(岗位)?/u, "close"],
  [/^(查看报名|看报名|报名)/u, "applicants"],
  [/^(已录用|录用)/u, "hire"],
];

const STATUS_TEXT: Record<EmployerVacancy["status"], string> = { draft: "待核实", open: "招聘中", closed: "已关闭", filled: "已招满" };

function vacancyListText(vacancies: EmployerVacancy[]): string {
  if (vacancies.length === 0) return '您还没有发布岗位，回复"1"发布。';
  return vacancies
    .slice(0, 8)
    .map((vacancy, i) => `${i + 1} ${vacancy.title.slice(0, 10)} ${STATUS_TEXT[vacancy.status]} 报名${vacancy.applicants}人`)
    .join("\n");
}

async function applicantsText(env: Env, vacancyId: string): Promise<string> {
  const applicants = await env.ctx.lookups.applicants(vacancyId);
  if (applicants.length === 0) return "还没有人报名，有人报名会马上告诉您。";
  // Not numbered: the menu that follows is, and a "1" meant for the first applicant would post a vacancy.
  return applicants
    .slice(0, 8)
    .map((applicant) => {
      const about = [applicant.age !== null ? `${applicant.age}岁` : null, applicant.placeName, applicant.phone].filter(Boolean);
      return `${applicant.name} ${about.join(" ")}${applicant.status === "hired" ? " 已录用" : ""}`;
    })
    .join("\n");
}

/** Performs an action on the chosen vacancy, or asks which applicant for 已录用. */
async function actOn(env: Env, action: EmployerAction, vacancy: EmployerVacancy): Promise<Outcome> {
  switch (action) {
    case "close":
      if (vacancy.status === "closed" || vacancy.status === "filled") {
        return { carry: {}, say: [{ kind: "text", text: `"${vacancy.title}"已经关闭了。` }] };
      }
      return {
        carry: {},
        events: [{ type: "vacancy_closed", vacancyId: vacancy.id }],
        say: [{ kind: "text", text: `已关闭"${vacancy.title}"，不再推给求职者。` }],
      };
    case "applicants":
      // Not yet out: nobody could apply, and waiting for applicants would wait for nothing.
      if (vacancy.status === "draft") return { carry: {}, say: [{ kind: "text", text: `"${vacancy.title}"还在等协理员核实单位，核实后才发布，发布后有人报名会告诉您。` }] };
      return { carry: {}, say: [{ kind: "text", text: await applicantsText(env, vacancy.id) }] };
    case "hire": {
      const applicants = (await env.ctx.lookups.applicants(vacancy.id)).filter((applicant) => applicant.status !== "hired");
      if (applicants.length === 0) return { carry: {}, say: [{ kind: "text", text: "这个岗位还没有可录用的报名者。" }] };
      return { carry: { employerAction: action, chosenVacancyId: vacancy.id, applicants } };
    }
  }
}

/**
 * 关闭 / 查看报名 / 已录用 with or without a number: the one vacancy, the numbered one, or a menu.
 * The menu's 关闭岗位 (a digit, easily typed by mistake) asks before it closes the only vacancy.
 */
async function startAction(env: Env, action: EmployerAction, number: number | null, fromMenu = false): Promise<Outcome> {
  const vacancies = await env.ctx.lookups.employerVacancies();
  if (vacancies.length === 0) return { stay: true, askAgain: true, say: [{ kind: "text", text: vacancyListText(vacancies) }] };
  if (number !== null) {
    const vacancy = vacancies[number - 1];
    return vacancy ? actOn(env, action, vacancy) : { error: `没有第${number}个岗位，回复"我的岗位"看编号` };
  }
  const [only] = vacancies;
  if (only && vacancies.length === 1) {
    const open = only.status === "open" || only.status === "draft";
    return action === "close" && fromMenu && open ? { carry: { closing: { id: only.id, title: only.title } } } : actOn(env, action, only);
  }
  return { carry: { employerAction: action, vacancies } };
}

/** The step after the employer's home or a vacancy choice: whatever the action still needs. */
const afterAction = ({ scratch }: Position): StepId =>
  scratch.closing
    ? "closeConfirm"
    : scratch.applicants
      ? "applicantChoice"
      : scratch.vacancies
        ? "employerVacancyChoice"
        : scratch.employerAction === "post"
          ? "vacancyTitle"
          : scratch.vacancyStarted
            ? scratch.occupationCandidates
              ? "vacancyOccupationConfirm"
              : "vacancyHeadcount"
            : "employerHome";

export const EMPLOYER_HOME_STEPS: Step[] = [
  {
    id: "employerHome",
    noBackHint: true,
    prompt: (_position, env) => ({ text: `${env.ctx.employer?.name.slice(0, 20) ?? "招聘"}，请回复数字：`, choices: HOME_CHOICES }),
    async read(reply, _position, env) {
      const typed = compact(reply.text);
      for (const [pattern, action] of ACTION_WORDS) {
        const match = pattern.exec(typed);
        if (!match) continue;
        const rest = typed.slice(match[0].length);
        const number = rest ? readNumber(rest.replace(/^第/u, "").replace(/个$/u, "")) : null;
        if (rest && number === null) break;
        return startAction(env, action, number);
      }
      const [choice] = reply.chosen;
      // 再招10个保安，3500包吃住: a new vacancy, said as the title question would take it.
      const hiring = HIRING.exec(typed);
      if (!choice && hiring && typed.length > hiring[0].length) {
        const title = readVacancyTitle(reply.text.trim().replace(/^(再|还|又)(要|想)?/u, ""));
        if (!("error" in title)) return { ...title, carry: { ...title.carry, vacancyStarted: true } };
      }
      if (!choice) return { error: "没看懂，请回复数字" };
      switch (choice.key) {
        case "post":
          return { answers: { vacancy: {} }, carry: { employerAction: "post" } };
        case "list":
          return {
            stay: true,
            askAgain: true,
            say: [{ kind: "text", text: vacancyListText(await env.ctx.lookups.employerVacancies()) }],
          };
        default:
          return startAction(env, choice.key as EmployerAction, null, true);
      }
    },
    next: afterAction,
  },
  {
    id: "employerVacancyChoice",
    prompt: ({ scratch }) => ({
      text: "哪个岗位？",
      choices: (scratch.vacancies ?? []).map((vacancy) => ({ key: vacancy.id, label: `${vacancy.title.slice(0, 10)} ${STATUS_TEXT[vacancy.status]}` })),
    }),
    async read(reply, { scratch }, env) {
      const vacancy = scratch.vacancies?.find((candidate) => candidate.id === reply.chosen[0]?.key);
      if (!vacancy) return { error: "请回复岗位前的数字" };
      return actOn(env, scratch.employerAction as EmployerAction, vacancy);
    },
    next: afterAction,
  },
  {
    id: "closeConfirm",
    prompt: ({ scratch }) => ({ text: `关闭"${scratch.closing?.title.slice(0, 10) ?? ""}"吗？关闭后不再推给求职者`, choices: [yes("关闭"), no("不关", ["不关闭", "不用", "算了", "不要", ...NO_WORDS])] }),
    read: (reply, { scratch }) =>
      chooseOne(reply, (key) =>
        key === "yes" && scratch.closing
          ? { carry: {}, events: [{ type: "vacancy_closed", vacancyId: scratch.closing.id }], say: [{ kind: "text", text: `已关闭"${scratch.closing.title}"，不再推给求职者。` }] }
          : { carry: {}, say: [{ kind: "text", text: "好的，没有关闭。" }] },
      ),
    next: () => "employerHome",
  },
  {
    id: "applicantChoice",
    prompt: ({ scratch }) => ({
      text: "录用了哪一位？",
      choices: (scratch.applicants ?? []).map((applicant) => ({
        key: applicant.applicationId,
        label: [applicant.name, applicant.age !== null ? `${applicant.age}岁` : null].filter(Boolean).join(" "),
      })),
    }),
    read(reply, { scratch }) {
      const applicant = scratch.applicants?.find((candidate) => candidate.applicationId === reply.chosen[0]?.key);
      if (!applicant) return { error: "请回复报名者前的数字" };
      return {
        carry: {},
        events: [{ type: "applicant_hired", vacancyId: scratch.chosenVacancyId!, applicationId: applicant.applicationId }],
        say: [{ kind: "text", text: `已记下录用${applicant.name}，协理员会跟进。` }],
      };
    },
    next: () => "employerHome",
  },
];
