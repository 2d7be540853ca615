// A registered worker's job search: "找工作" → the best three, one line each → a number for the
// details → 报名 (and whether the employer may have their phone) / 不合适 (why) / 换一批. The jobs
// come from the host (lookups.findJobs), which ranks them; the engine only walks the worker through.
import { z } from "zod";
import { noChoice, yesChoice, type Env, type Outcome, type Step } from "../flow.ts";
import { compact, readOptionNumbers, YES_WORDS, type Choice } from "../input.ts";
import type { DeclineReason, DomainEvent, JobFeedback, JobLine, MyApplication, Outbound, PendingNotice, Scratch, VacancyView } from "../types.ts";
import { ageLimitText, boardText } from "../../shared/postings.ts";

/** The steps this flow owns. */
export const JOB_SEARCH_STEP_IDS = ["jobList", "jobDetail", "sharePhone", "declineReason"] as const;
export type JobSearchStep = (typeof JOB_SEARCH_STEP_IDS)[number];

/** A search: the jobs on the list shown, those shown before (for 换一批), the one looked at, what was chosen, the 不合适 given. */
export interface JobSearchScratch {
  jobs?: JobLine[];
  shownJobs?: string[];
  vacancy?: VacancyView;
  jobAction?: "apply" | "decline";
  declined?: JobFeedback[];
}
export const jobSearchScratchSchema = z
  .object({
    jobs: z.array(z.object({ vacancyId: z.string(), line: z.string() })),
    shownJobs: z.array(z.string()),
    vacancy: z.looseObject({ id: z.string(), title: z.string() }),
    jobAction: z.enum(["apply", "decline"]),
    declined: z.array(z.object({ occupationCode: z.string().optional(), employerKind: z.string().optional(), reason: z.string() })),
  })
  .partial();

/** Jobs on one list: three lines fit a phone's screen and, with their numbers, about one SMS. */
export const JOBS_PER_LIST = 3;

const SEARCH_DOWN = '找岗位的服务暂时忙，请过几分钟再回复"找工作"。';
const NONE_FOUND = "暂时没有合适您的岗位，有了会马上发给您。";
/** Said instead of a promise of pushes to someone who has opted out of them. */
const NONE_FOUND_OPTED_OUT = '暂时没有合适您的岗位。您退订了推送，想收到新岗位请回复"订阅"，或过几天再回复"找工作"。';

// Their words, and those of the menus below: job-search.words.json.
const MORE_CHOICE: Choice = { key: "more", label: "换一批" };
const APPLY_CHOICE: Choice = { key: "apply", label: "报名", words: YES_WORDS };
const DECLINE_CHOICE: Choice = { key: "decline", label: "不合适" };

const DECLINE_REASONS: (Choice & { key: DeclineReason })[] = [
  { key: "far", label: "离家太远" },
  { key: "pay", label: "工资太低" },
  { key: "work", label: "不想做这种活" },
  { key: "other", label: "其他原因" },
];

/**
 * What a "不合适" teaches the ranking: distance lowers far jobs, the kind of work lowers that
 * occupation; low pay is already weighed against the worker's floor, so it only takes the job away.
 */
function feedbackFor(vacancy: VacancyView, reason: DeclineReason): JobFeedback {
  const label = DECLINE_REASONS.find((choice) => choice.key === reason)!.label;
  switch (reason) {
    case "far":
    case "pay":
      return { reason: label };
    case "work":
      return { reason: label, ...(vacancy.occupationCode ? { occupationCode: vacancy.occupationCode } : {}) };
    case "other":
      return { reason: label, ...(vacancy.employerKind ? { employerKind: vacancy.employerKind } : {}) };
  }
}

/** The search's memory, carried from step to step: what was shown and what was turned down. */
const searchState = ({ shownJobs = [], declined = [] }: Scratch): Scratch => ({ shownJobs, declined });

/**
 * The next list for the worker, leaving out what they have seen. The outcome moves to the list, or
 * stays where the worker is with a kind word when the search is down or has nothing (more).
 */
export async function nextJobs(env: Env, scratch: Scratch, say: { none: string; noneOptedOut?: string } = { none: NONE_FOUND, noneOptedOut: NONE_FOUND_OPTED_OUT }): Promise<Outcome> {
  const { shownJobs = [], declined = [] } = scratch;
  const jobs = await env.ctx.lookups.findJobs({ exclude: shownJobs, feedback: declined, limit: JOBS_PER_LIST });
  if (jobs === null) return { stay: true, askAgain: true, say: [{ kind: "notice", text: SEARCH_DOWN }] };
  if (jobs.length === 0) return { stay: true, askAgain: true, say: [{ kind: "text", text: (env.session.optedOut && say.noneOptedOut) || say.none }] };
  return {
    carry: { jobs, shownJobs: [...shownJobs, ...jobs.map((job) => job.vacancyId)], declined },
    events: [{ type: "jobs_shown", vacancyIds: jobs.map((job) => job.vacancyId) }],
  };
}

/** The few lines that let a worker decide: what, where, pay and board, who may apply and what is asked, who hires. */
export function vacancyLines(vacancy: VacancyView): string[] {
  const place = vacancy.placeName ? `｜${vacancy.placeName}` : "";
  const terms = [
    vacancy.payText,
    boardText(vacancy.housing, vacancy.meals),
    vacancy.insurance ? "有社保" : null,
  ].filter(Boolean);
  const age = ageLimitText(vacancy.ageMin, vacancy.ageMax);
  const who = [
    age,
    vacancy.sex === "female" ? "限女" : vacancy.sex === "male" ? "限男" : null,
    vacancy.headcount ? `招${vacancy.headcount}人` : null,
    vacancy.hours,
  ].filter(Boolean);
  return [
    `${vacancy.title}${place}`,
    ...(terms.length > 0 ? [terms.join("，")] : []),
    ...(who.length > 0 ? [who.join("，")] : []),
    ...(vacancy.requirements ? [`要求：${vacancy.requirements}`] : vacancy.gist ? [`说明：${vacancy.gist}`] : []),
    ...(vacancy.employerName ? [vacancy.employerName] : []),
  ];
}

/** Looks up one job before showing it: it may have been filled or closed since the list. */
async function openJob(env: Env, vacancyId: string, scratch: Scratch): Promise<Outcome> {
  const vacancy = await env.ctx.lookups.vacancy(vacancyId);
  if (!vacancy) return { error: "这个岗位刚招满了，请选别的" };
  const reason = scratch.jobs?.find((job) => job.vacancyId === vacancyId)?.line;
  return { carry: { ...searchState(scratch), jobs: scratch.jobs, vacancy: { ...vacancy, ...(reason ? { reason } : {}) } } };
}

/** From the home menu: the first list. */
export async function startJobSearch(env: Env): Promise<Outcome> {
  const outcome = await nextJobs(env, {});
  return { ...outcome, events: [{ type: "jobs_requested" }, ...("events" in outcome ? (outcome.events ?? []) : [])] };
}

const jobChoices = (jobs: JobLine[]): Choice[] => jobs.map((job) => ({ key: job.vacancyId, label: job.line }));

export const JOB_SEARCH_STEPS: Step[] = [
  {
    id: "jobList",
    prompt: ({ scratch }) => ({ text: "回复数字看详情：", choices: [...jobChoices(scratch.jobs ?? []), MORE_CHOICE] }),
    async read(reply, { scratch }, env) {
      const [choice] = reply.chosen;
      if (!choice) return { error: "请回复岗位前的数字" };
      if (choice.key === "more") return nextJobs(env, scratch, { none: "暂时没有更多岗位了。" });
      return openJob(env, choice.key, scratch);
    },
    next: ({ scratch }) => (scratch.vacancy ? "jobDetail" : "jobList"),
  },
  {
    id: "jobDetail",
    prompt: ({ scratch }) => ({ text: vacancyLines(scratch.vacancy!).join("\n"), choices: [APPLY_CHOICE, DECLINE_CHOICE, MORE_CHOICE] }),
    async read(reply, { scratch }, env) {
      const [choice] = reply.chosen;
      if (!choice) return { error: "请回复：1报名，2不合适，3换一批" };
      const vacancy = scratch.vacancy!;
      if (choice.key === "apply") {
        return {
          carry: { ...searchState(scratch), vacancy, jobAction: "apply" },
          events: [{ type: "job_applied", vacancyId: vacancy.id, source: "search" }],
        };
      }
      if (choice.key === "decline") return { carry: { ...searchState(scratch), vacancy, jobAction: "decline" } };
      return nextJobs(env, scratch, { none: "暂时没有更多岗位了。" });
    },
    next: ({ scratch }) => (scratch.jobAction === "apply" ? "sharePhone" : scratch.jobAction === "decline" ? "declineReason" : "jobList"),
  },
  {
    id: "sharePhone",
    prompt: () => ({
      text: "已报名！把您的电话给招聘方，方便他们联系您吗？",
      choices: [
        yesChoice("同意"),
        noChoice("不同意"),
      ],
    }),
    read(reply, { scratch }) {
      const [choice] = reply.chosen;
      if (!choice) return { error: "请回复：1同意，2不同意" };
      const share = choice.key === "yes";
      return {
        events: [{ type: "phone_share_answered", vacancyId: scratch.vacancy!.id, share }],
        say: [
          {
            kind: "text",
            text: share ? "好的，招聘方会打电话给您，协理员也会跟进。" : "好的，不给电话。协理员会帮您和招聘方联系。",
          },
        ],
      };
    },
    next: () => "home",
  },
  {
    id: "declineReason",
    prompt: () => ({ text: "哪里不合适？以后少给您推这类岗位", choices: DECLINE_REASONS }),
    async read(reply, { scratch }, env) {
      const [choice] = reply.chosen;
      if (!choice) return { error: "请回复1到4的数字" };
      const vacancy = scratch.vacancy!;
      const reason = choice.key as DeclineReason;
      const feedback = feedbackFor(vacancy, reason);
      const declined = [...(scratch.declined ?? []), feedback];
      const event = { type: "job_declined", vacancyId: vacancy.id, reason, feedback } as const;
      const outcome = await nextJobs(env, { ...scratch, declined }, { none: "好的，记下了。暂时没有别的合适岗位，有了会发给您。", noneOptedOut: "好的，记下了。暂时没有别的合适岗位。" });
      if ("error" in outcome) return outcome;
      // Nothing more to show: back home with the kind word, rather than asking why again.
      if (outcome.stay) return { events: [event], say: outcome.say ?? [] };
      return { ...outcome, events: [event, ...(outcome.events ?? [])] };
    },
    next: ({ scratch }) => (scratch.jobs ? "jobList" : "home"),
  },
];

/** What answering a notice does: where the conversation goes next, and what it says and records. */
export interface NoticeAnswer {
  step: "sharePhone" | "home" | "jobList" | "jobDetail";
  /** The host's word on the outcome is the whole answer: no menu after it. */
  quiet?: true;
  scratch?: Scratch;
  say?: Outbound[];
  events?: DomainEvent[];
}

/**
 * The words that apply for a pushed job. Matched whole: a greeting ("你好") or "不报名" must not
 * apply for anything.
 */
const APPLY_WORDS = new Set(["报名", "我要报名", "要报名", "我报名", "报名1", "1报名"]);
const STILL_WORKING: Choice[] = [
  { key: "yes", label: "是", words: ["还在", "在", "还在做", "在做", "是的", "对"] },
  { key: "no", label: "否", words: ["不在", "不在了", "没在", "没做了", "不做了", "走了", "辞了", "不是"] },
];

/** The one number a reply is, or null. */
function soleNumber(text: string): number | null {
  const numbers = readOptionNumbers(text);
  return numbers && numbers.length === 1 ? numbers[0]! : null;
}

/**
 * "1" or 报名 after a job push applies for that job, after a training offer enrols (the host says
 * how that went, seats being its to count); 1/2 answers a follow-up; other replies are not about
 * the notice.
 */
export async function readNoticeReply(env: Env, notice: PendingNotice, text: string): Promise<NoticeAnswer | null> {
  if (notice.kind === "follow_up") return readFollowUpReply(env, notice, text);
  const number = soleNumber(text);
  const applies = number !== null ? number === 1 : APPLY_WORDS.has(compact(text));
  if (!applies) return notice.kind === "job_push" && number === null ? readPushReply(env, notice, text) : null;
  if (notice.kind === "training_offer") {
    return { step: "home", quiet: true, events: [{ type: "training_enrol_requested", courseId: notice.subjectId }] };
  }
  const vacancy = await env.ctx.lookups.vacancy(notice.subjectId);
  if (!vacancy) return { step: "home", say: [{ kind: "text", text: '这个岗位已经招满了。回复"找工作"看别的岗位。' }] };
  return {
    step: "sharePhone",
    scratch: { vacancy },
    events: [{ type: "job_applied", vacancyId: vacancy.id, source: "push" }],
  };
}

/** A pushed job turned down in words, and why where the words say (太远, 工资太低): the reason teaches the ranking as 不合适 does. */
const PUSH_DECLINED: [RegExp, DeclineReason][] = [
  [/太远|远了|离家远|路远/u, "far"],
  [/太少|太低|钱少|工资低|钱太少/u, "pay"],
  [/不想做|不会做|干不了|做不了|不喜欢/u, "work"],
  [/^(不去|不要|不报|不报名|不合适|不想去|不感兴趣|算了|不用了|不考虑)/u, "other"],
];
/** A pushed job asked about (详细, 在哪里, 包吃住吗): its details, to apply or not from there. */
const PUSH_ASKED = /详细|详情|具体|在哪|地址|哪个地方|怎么样|多少钱|工资多少|包吃住|几个小时|什么要求/u;

async function readPushReply(env: Env, notice: PendingNotice, text: string): Promise<NoticeAnswer | null> {
  const said = compact(text);
  const declined = PUSH_DECLINED.find(([words]) => words.test(said))?.[1];
  const asked = !declined && PUSH_ASKED.test(said);
  if (!declined && !asked) return null;
  const vacancy = await env.ctx.lookups.vacancy(notice.subjectId);
  if (!vacancy) return asked ? { step: "home", say: [{ kind: "text", text: '这个岗位已经招满了。回复"找工作"看别的岗位。' }] } : null;
  if (asked) return { step: "jobDetail", scratch: { vacancy } };
  const feedback = feedbackFor(vacancy, declined!);
  return {
    step: "home",
    say: [{ kind: "text", text: "好的，这个不报。有更合适的会再发给您。" }],
    events: [{ type: "job_declined", vacancyId: vacancy.id, reason: declined!, feedback }],
  };
}

/** "还在这里工作吗？1是 2否": a no re-opens the job search at once. */
async function readFollowUpReply(env: Env, notice: PendingNotice, text: string): Promise<NoticeAnswer | null> {
  const number = soleNumber(text);
  const word = compact(text);
  const chosen =
    number === 1 || number === 2
      ? STILL_WORKING[number - 1]!
      : STILL_WORKING.find((choice) => [choice.label, ...(choice.words ?? [])].includes(word));
  if (!chosen) return null;
  const stillWorking = chosen.key === "yes";
  const event: DomainEvent = { type: "follow_up_answered", applicationId: notice.subjectId, stillWorking };
  if (stillWorking) return { step: "home", events: [event], say: [{ kind: "text", text: '好的，祝您工作顺利！有事随时回复"人工"。' }] };
  const said: Outbound = { kind: "text", text: "知道了，我们帮您找新工作，协理员也会联系您，还可参加免费培训。" };
  const jobs = await nextJobs(env, {});
  if ("error" in jobs || jobs.stay) return { step: "home", events: [event], say: [said, ...(("say" in jobs && jobs.say) || [])] };
  return { step: "jobList", scratch: jobs.carry ?? {}, events: [event, ...(jobs.events ?? [])], say: [said] };
}

/** At most `max` characters, the last an ellipsis when cut: a line of a list that must fit. */
const clipped = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What became of an application, in the worker's words. */
function applicationState(application: MyApplication): string {
  switch (application.status) {
    case "hired":
      return "已录用";
    case "rejected":
      return "没被录用";
    case "withdrawn":
      return "已取消";
    default:
      if (!application.vacancyOpen) return "岗位已招满";
      return application.status === "shared" ? "电话已给单位，等单位打来" : "已报名，等单位联系";
  }
}

/** 我的报名: the worker's latest applications, one line each, and whom to ask when nobody calls. */
export async function myApplicationsText(env: Env): Promise<Outbound[]> {
  const applications = await env.ctx.lookups.myApplications();
  if (applications.length === 0) return [{ kind: "text", text: '您还没有报名过岗位。回复"找工作"看岗位。' }];
  const lines = applications.map((application) => {
    const employer = application.employerName ? `（${clipped(application.employerName, 10)}）` : "";
    return `${clipped(application.title, 12)}${employer}：${applicationState(application)}`;
  });
  return [
    { kind: "text", text: ["您报名的岗位：", ...lines].join("\n") },
    { kind: "notice", text: '报名几天没人联系，回复"人工"请协理员帮您问。' },
  ];
}

