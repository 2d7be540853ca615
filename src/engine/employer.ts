// The employer's flow: register once (name, kind, credit code or a coordinator's confirmation,
// contact, place), then post a vacancy in a minute of short questions, confirm it, and manage it
// from the employer's home: 我的岗位, 查看报名 N, 已录用, 关闭 N. Every prompt fits one SMS.
import { payText } from "../shared/postings.ts";
import { normalizeTitle, occupationByCode, suggestOccupations } from "../../matching/occupations.ts";
import { isValidCreditCode, normalizeMobile } from "../shared/identifiers.ts";
import { chooseOne, noChoice as no, NOT_A_CHOICE, yesChoice as yes, type Env, type Outcome, type Step } from "./flow.ts";
import {
  compact,
  fold,
  matchChoiceWord,
  NO_WORDS,
  readAgeRange,
  readDeadline,
  readNumber,
  readPay,
  readPersonName,
  YES_WORDS,
  type Choice,
} from "./input.ts";
import { placeOf, regionSteps } from "./regions.ts";
import type {
  Answers,
  EmployerAnswers,
  EmployerKind,
  EmployerRegistration,
  EmployerVacancy,
  Position,
  Scratch,
  SexRequirement,
  StepId,
  VacancyAnswers,
  VacancyDraft,
} from "./types.ts";


const employerOf = (answers: Answers): EmployerAnswers => answers.employer ?? {};
const vacancyOf = (answers: Answers): VacancyAnswers => answers.vacancy ?? {};
const withEmployer = (answers: Answers, fields: Partial<EmployerAnswers>): Partial<Answers> => ({
  employer: { ...employerOf(answers), ...fields },
});
const withVacancy = (answers: Answers, fields: Partial<VacancyAnswers>): Partial<Answers> => ({
  vacancy: { ...vacancyOf(answers), ...fields },
});

const KIND_CHOICES: (Choice & { key: EmployerKind })[] = [
  { key: "company", label: "企业", words: ["公司", "工厂", "厂"] },
  { key: "workshop", label: "帮扶车间", words: ["车间", "扶贫车间", "就业帮扶车间"] },
  { key: "base", label: "帮扶基地", words: ["基地", "就业帮扶基地"] },
  { key: "cooperative", label: "合作社", words: ["专业合作社"] },
  { key: "broker", label: "劳务经纪人", words: ["经纪人", "劳务公司", "中介"] },
];
export const EMPLOYER_KIND_TEXT = Object.fromEntries(KIND_CHOICES.map((choice) => [choice.key, choice.label])) as Record<
  EmployerKind,
  string
> & { publicWelfare?: string };

const NO_CODE_WORDS = ["没有", "无", "没", "没有代码", "不知道", ...NO_WORDS];

/** Free text kept short for an SMS summary; null when empty or too long. */
function shortText(text: string, max: number): string | null {
  const cleaned = text.normalize("NFKC").trim().replace(/\s+/g, " ");
  return cleaned.length >= 2 && cleaned.length <= max ? cleaned : null;
}

// ---------------------------------------------------------------------------------------------------
// Lines shown in summaries

const ageText = (min: number | null | undefined, max: number | null | undefined) =>
  min != null && max != null ? `${min}-${max}岁` : min != null ? `${min}岁以上` : max != null ? `${max}岁以下` : "年龄不限";
const SEX_TEXT: Record<SexRequirement, string> = { any: "男女不限", male: "只要男", female: "只要女" };

function housingText({ housing, meals }: VacancyAnswers): string {
  return housing && meals ? "包吃住" : housing ? "包住" : meals ? "包吃" : "不包吃住";
}

function vacancySummaryLines(vacancy: VacancyAnswers, placeName: string): string[] {
  return [
    `${vacancy.title}，招${vacancy.headcount}人，${placeName}`,
    `${payText({ wageMin: vacancy.wageMin ?? null, wageMax: vacancy.wageMax ?? null, wageUnit: vacancy.wageUnit ?? "month" })}，${housingText(vacancy)}，${vacancy.insurance ? "交社保" : "不交社保"}`,
    [ageText(vacancy.ageMin, vacancy.ageMax), SEX_TEXT[vacancy.sex ?? "any"], vacancy.hours].filter(Boolean).join("，"),
    ...(vacancy.requirements ? [`要求：${vacancy.requirements}`] : []),
    `招到：${vacancy.deadline ?? "长期"}`,
  ];
}

/** Where the vacancy is: its own place when given, else the employer's. */
function vacancyPlace(answers: Answers, env: Env): { code: string; name: string } | null {
  const vacancy = vacancyOf(answers);
  if (!vacancy.atEmployer) return placeOf(vacancy);
  const employer = env.ctx.employer;
  return employer?.regionCode ? { code: employer.regionCode, name: employer.regionName } : placeOf(employerOf(answers));
}

export function vacancyDraftOf(answers: Answers, env: Env): VacancyDraft {
  const vacancy = vacancyOf(answers);
  const place = vacancyPlace(answers, env);
  if (!vacancy.title || !vacancy.headcount || !place) throw new Error("the vacancy is missing its title, headcount or place");
  return {
    title: vacancy.title,
    occupationCode: vacancy.occupationCode ?? null,
    headcount: vacancy.headcount,
    regionCode: place.code,
    wageMin: vacancy.wageMin ?? null,
    wageMax: vacancy.wageMax ?? null,
    wageUnit: vacancy.wageUnit ?? "month",
    hours: vacancy.hours ?? null,
    ageMin: vacancy.ageMin ?? null,
    ageMax: vacancy.ageMax ?? null,
    sex: vacancy.sex ?? "any",
    requirements: vacancy.requirements ?? null,
    housing: vacancy.housing ?? false,
    meals: vacancy.meals ?? false,
    insurance: vacancy.insurance ?? false,
    deadline: vacancy.deadline ?? null,
  };
}

function employerRegistrationOf(answers: Answers): EmployerRegistration {
  const employer = employerOf(answers);
  const place = placeOf(employer);
  if (!employer.name || !employer.kind || !employer.contactName || !employer.contactPhone || !place || !employer.address) {
    throw new Error("the employer registration is incomplete");
  }
  return {
    name: employer.name,
    kind: employer.kind,
    creditCode: employer.creditCode ?? null,
    contactName: employer.contactName,
    contactPhone: employer.contactPhone,
    regionCode: place.code,
    address: employer.address,
  };
}

// ---------------------------------------------------------------------------------------------------
// The employer's home: commands with an optional number ("关闭 2", "查看报名2")

type EmployerAction = Exclude<NonNullable<Scratch["employerAction"]>, "post">;

const HOME_CHOICES: Choice[] = [
  { key: "post", label: "发布新岗位", words: ["发布岗位", "发岗位", "招人", "我要招人", "发布"] },
  { key: "list", label: "我的岗位", words: ["岗位", "我的招聘"] },
  { key: "applicants", label: "查看报名", words: ["报名", "看报名", "谁报名了"] },
  { key: "hire", label: "已录用", words: ["录用", "招到了"] },
  { key: "close", label: "关闭岗位", words: ["关闭", "不招了", "招满了"] },
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
  return applicants
    .slice(0, 8)
    .map((applicant, i) => {
      const about = [applicant.age !== null ? `${applicant.age}岁` : null, applicant.placeName, applicant.phone].filter(Boolean);
      return `${i + 1} ${applicant.name} ${about.join(" ")}${applicant.status === "hired" ? " 已录用" : ""}`;
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
      return { carry: {}, say: [{ kind: "text", text: await applicantsText(env, vacancy.id) }] };
    case "hire": {
      const applicants = (await env.ctx.lookups.applicants(vacancy.id)).filter((applicant) => applicant.status !== "hired");
      if (applicants.length === 0) return { carry: {}, say: [{ kind: "text", text: "这个岗位还没有可录用的报名者。" }] };
      return { carry: { employerAction: action, chosenVacancyId: vacancy.id, applicants } };
    }
  }
}

/** 关闭 / 查看报名 / 已录用 with or without a number: the one vacancy, the numbered one, or a menu. */
async function startAction(env: Env, action: EmployerAction, number: number | null): Promise<Outcome> {
  const vacancies = await env.ctx.lookups.employerVacancies();
  if (vacancies.length === 0) return { stay: true, askAgain: true, say: [{ kind: "text", text: vacancyListText(vacancies) }] };
  if (number !== null) {
    const vacancy = vacancies[number - 1];
    return vacancy ? actOn(env, action, vacancy) : { error: `没有第${number}个岗位，回复"我的岗位"看编号` };
  }
  if (vacancies.length === 1) return actOn(env, action, vacancies[0]!);
  return { carry: { employerAction: action, vacancies } };
}

/** The step after the employer's home or a vacancy choice: whatever the action still needs. */
const afterAction = ({ scratch }: Position): StepId =>
  scratch.applicants ? "applicantChoice" : scratch.vacancies ? "employerVacancyChoice" : scratch.employerAction === "post" ? "vacancyTitle" : "employerHome";

// ---------------------------------------------------------------------------------------------------
// The steps

const [employerCounty, employerCountyChoice, employerTownship] = regionSteps({
  ids: { county: "employerCounty", countyChoice: "employerCountyChoice", township: "employerTownship" },
  countyPrompt: "单位在哪个县（区）？请回复县名，如：云霄县",
  townshipPrompt: "在哪个乡镇？",
  read: employerOf,
  write: (answers, place) => withEmployer(answers, place),
  afterTownship: "employerAddress",
});

const [vacancyCounty, vacancyCountyChoice, vacancyTownship] = regionSteps({
  ids: { county: "vacancyCounty", countyChoice: "vacancyCountyChoice", township: "vacancyTownship" },
  countyPrompt: "在哪个县（区）上班？请回复县名，如：平和县",
  townshipPrompt: "在哪个乡镇上班？",
  read: vacancyOf,
  write: (answers, place) => withVacancy(answers, { ...place, atEmployer: false }),
  afterTownship: "vacancyPay",
});

/** A job title: normalised to an occupation, confirmed on the next step when one is found. */
function readVacancyTitle(text: string, answers: Answers): Outcome {
  const title = shortText(text.replace(/^(招聘?|急招|诚聘|招工)/u, ""), 20);
  if (!title) return { error: "请写岗位名称（20字以内），如：竹编工" };
  const candidates = normalizeTitle(title) ? suggestOccupations(title, 5).map(({ code, name }) => ({ code, name })) : [];
  return {
    answers: withVacancy(answers, { title, occupationCode: null, occupationName: undefined }),
    ...(candidates.length > 0 ? { carry: { occupationCandidates: candidates } } : {}),
  };
}

export const EMPLOYER_STEPS: Step[] = [
  {
    id: "employerName",
    prompt: () => ({ text: "请回复单位名称，如：莆美镇竹编帮扶车间" }),
    read: ({ text }, { answers }) => {
      const name = shortText(text, 40);
      return name ? { answers: withEmployer(answers, { name }) } : { error: "请回复单位名称（40字以内）" };
    },
    next: () => "employerKind",
  },
  {
    id: "employerKind",
    prompt: () => ({ text: "单位是哪一类？", choices: KIND_CHOICES }),
    read: (reply, { answers }) => chooseOne(reply, (key) => ({ answers: withEmployer(answers, { kind: key as EmployerKind }) })),
    next: () => "creditCode",
  },
  {
    id: "creditCode",
    prompt: () => ({ text: '请回复18位统一社会信用代码；车间或个体户没有的回复"没有"' }),
    read({ text }, { answers }) {
      if (matchChoiceWord(text, [{ key: "none", label: "没有", words: NO_CODE_WORDS }])) {
        return {
          answers: withEmployer(answers, { creditCode: null }),
          say: [{ kind: "text", text: "好的，协理员会核实您的单位，核实后岗位就会发布。" }],
        };
      }
      const code = compact(text).toUpperCase();
      if (code.length !== 18) return { error: '代码是18位，请再发一次；没有请回复"没有"' };
      if (!isValidCreditCode(code)) return { error: '代码对不上，可能有一位输错了，请核对；没有请回复"没有"' };
      return { answers: withEmployer(answers, { creditCode: code }) };
    },
    next: () => "contactName",
  },
  {
    id: "contactName",
    prompt: () => ({ text: "联系人叫什么名字？" }),
    read({ text }, { answers }) {
      const contactName = readPersonName(text);
      return contactName ? { answers: withEmployer(answers, { contactName }) } : { error: "请回复联系人姓名，如：李四" };
    },
    next: () => "contactPhone",
  },
  {
    id: "contactPhone",
    prompt: () => ({ text: "联系人的手机号码（11位）？" }),
    given({ answers }, { ctx, inbound }) {
      const phone = ctx.capabilities.knowsPhone && inbound.phone ? normalizeMobile(inbound.phone) : null;
      return phone ? withEmployer(answers, { contactPhone: phone }) : undefined;
    },
    read({ text }, { answers }) {
      const contactPhone = normalizeMobile(fold(text));
      return contactPhone ? { answers: withEmployer(answers, { contactPhone }) } : { error: "手机号码是1开头的11位数字，请再发一次" };
    },
    next: () => "employerCounty",
  },
  employerCounty,
  employerCountyChoice,
  employerTownship,
  {
    id: "employerAddress",
    prompt: () => ({ text: "详细地址？如：莆东村12号" }),
    read({ text }, { answers }) {
      const address = shortText(text, 40);
      return address ? { answers: withEmployer(answers, { address }) } : { error: "请回复详细地址（40字以内）" };
    },
    next: () => "employerSummary",
  },
  {
    id: "employerSummary",
    prompt: ({ answers }) => {
      const employer = employerOf(answers);
      return {
        text: [
          "请核对：",
          `${employer.name}（${EMPLOYER_KIND_TEXT[employer.kind!]}）`,
          `${placeOf(employer)?.name ?? ""}${employer.address ?? ""}`,
          `联系人：${employer.contactName}`,
        ].join("\n"),
        choices: [yes("确认"), no("重填", ["修改", "改", "有错", ...NO_WORDS])],
      };
    },
    read: (reply, { answers }) =>
      chooseOne(reply, (key) =>
        key === "yes"
          ? {
              events: [{ type: "employer_registered", profile: employerRegistrationOf(answers) }],
              say: [{ kind: "text", text: "单位登记好了！现在发布第一个岗位。" }],
              answers: { vacancy: {} },
            }
          : { answers: { employer: {} } },
      ),
    next: ({ answers }) => (answers.vacancy ? "vacancyTitle" : "employerName"),
  },
  {
    id: "vacancyTitle",
    prompt: () => ({ text: "招什么工？请写岗位名称，如：竹编工" }),
    read: ({ text }, { answers }) => readVacancyTitle(text, answers),
    next: ({ scratch }) => (scratch.occupationCandidates ? "vacancyOccupationConfirm" : "vacancyHeadcount"),
  },
  {
    id: "vacancyOccupationConfirm",
    prompt({ scratch }) {
      const candidates = scratch.occupationCandidates ?? [];
      if (scratch.occupationChoosing) {
        return {
          text: "属于下面哪一种？",
          choices: [
            ...candidates.slice(0, 4).map((occupation) => ({ key: occupation.code, label: occupation.name })),
            { key: "none", label: "都不是", words: ["都不对", "没有", "不知道"] },
          ],
        };
      }
      return { text: `这个工种是：${candidates[0]?.name}，对吗？`, choices: [yes("对"), no("不对")] };
    },
    read(reply, { answers, scratch }) {
      const candidates = scratch.occupationCandidates ?? [];
      const [choice] = reply.chosen;
      if (!choice) return { error: NOT_A_CHOICE };
      if (choice.key === "none") return { answers: withVacancy(answers, { occupationCode: null }) };
      if (choice.key === "no") return { carry: { occupationCandidates: candidates, occupationChoosing: true } };
      const code = choice.key === "yes" ? candidates[0]!.code : choice.key;
      return { answers: withVacancy(answers, { occupationCode: code, occupationName: occupationByCode(code)?.name }) };
    },
    next: ({ scratch }) => (scratch.occupationChoosing ? "vacancyOccupationConfirm" : "vacancyHeadcount"),
  },
  {
    id: "vacancyHeadcount",
    prompt: () => ({ text: "招几个人？请回复数字，如：5" }),
    read({ text }, { answers }) {
      const headcount = readNumber(compact(text).replace(/(个人|人|名|个|位)$/u, ""));
      if (headcount === null || headcount < 1 || headcount > 9999) return { error: "请回复要招的人数，如：5" };
      return { answers: withVacancy(answers, { headcount }) };
    },
    next: () => "vacancyPlace",
  },
  {
    id: "vacancyPlace",
    prompt: ({ answers }, env) => ({
      text: "在哪里上班？",
      choices: [
        { key: "here", label: `就在本单位(${env.ctx.employer?.regionName ?? placeOf(employerOf(answers))?.name ?? "单位地址"})`, words: ["本单位", "单位", "这里", ...YES_WORDS] },
        { key: "elsewhere", label: "别的地方", words: ["别处", "外地", "其他地方"] },
      ],
    }),
    // A registration that has just given the place, or an employer the records place, is asked; one
    // without a known place can only say where the job is.
    given: ({ answers }, env) => (env.ctx.employer?.regionCode || placeOf(employerOf(answers)) ? undefined : withVacancy(answers, { atEmployer: false })),
    read: (reply, { answers }) =>
      chooseOne(reply, (key) => ({ answers: withVacancy(answers, { atEmployer: key === "here", county: undefined, township: undefined }) })),
    next: ({ answers }) => (vacancyOf(answers).atEmployer ? "vacancyPay" : "vacancyCounty"),
  },
  vacancyCounty,
  vacancyCountyChoice,
  vacancyTownship,
  {
    id: "vacancyPay",
    prompt: () => ({ text: "工资多少？如：3000-4500元/月、150元/天、计件" }),
    read({ text }, { answers }) {
      const pay = readPay(text);
      if (!pay) return { error: "没看懂工资，请这样回复：3000-4500元/月" };
      const monthly = pay.unit === "month" ? pay.max : null;
      if (monthly !== null && (monthly < 500 || monthly > 100_000)) return { error: `${monthly}元一个月不太对，请再回复` };
      return { answers: withVacancy(answers, { wageMin: pay.min, wageMax: pay.max, wageUnit: pay.unit }) };
    },
    next: () => "vacancyHours",
  },
  {
    id: "vacancyHours",
    prompt: () => ({ text: '每天干几小时？如：8；不固定回复"不固定"' }),
    read({ text }, { answers }) {
      const hours = readNumber(compact(text).replace(/(个)?(小时|钟头|钟)$/u, "").replace(/^每天/u, ""));
      if (hours !== null) {
        return hours >= 1 && hours <= 16 ? { answers: withVacancy(answers, { hours: `每天${hours}小时` }) } : { error: "请回复每天几小时，如：8" };
      }
      const written = shortText(text, 12);
      return written ? { answers: withVacancy(answers, { hours: written }) } : { error: "请回复每天几小时，如：8" };
    },
    next: () => "vacancyAge",
  },
  {
    id: "vacancyAge",
    prompt: () => ({ text: '年龄要求？如：18-50；不限回复"不限"' }),
    read({ text }, { answers }) {
      const range = readAgeRange(text);
      return range ? { answers: withVacancy(answers, { ageMin: range.min, ageMax: range.max }) } : { error: '请这样回复：18-50，不限回复"不限"' };
    },
    next: () => "vacancySex",
  },
  {
    id: "vacancySex",
    prompt: () => ({
      text: "男女要求？",
      choices: [
        { key: "any", label: "男女不限", words: ["不限", "都行", "都可以"] },
        { key: "male", label: "只要男", words: ["男", "男的", "男工"] },
        { key: "female", label: "只要女", words: ["女", "女的", "女工"] },
      ],
    }),
    read: (reply, { answers }) => chooseOne(reply, (key) => ({ answers: withVacancy(answers, { sex: key as SexRequirement }) })),
    next: () => "vacancyRequirements",
  },
  {
    id: "vacancyRequirements",
    prompt: () => ({ text: '其他要求？如：识字、能干重活；没有回复"无"' }),
    read({ text }, { answers }) {
      if (matchChoiceWord(text, [{ key: "none", label: "无", words: ["没有", "没", "不要求", ...NO_WORDS] }]) && compact(text).length <= 3) {
        return { answers: withVacancy(answers, { requirements: null }) };
      }
      const requirements = shortText(text, 40);
      return requirements ? { answers: withVacancy(answers, { requirements }) } : { error: '请简单写要求（40字以内），没有回复"无"' };
    },
    next: () => "vacancyHousing",
  },
  {
    id: "vacancyHousing",
    prompt: () => ({
      text: "包吃住吗？",
      choices: [
        { key: "both", label: "包吃住", words: ["包吃包住", "都包"] },
        { key: "housing", label: "只包住", words: ["包住"] },
        { key: "meals", label: "只包吃", words: ["包吃", "包餐"] },
        { key: "none", label: "都不包", words: ["不包", ...NO_WORDS] },
      ],
    }),
    read: (reply, { answers }) =>
      chooseOne(reply, (key) => ({
        answers: withVacancy(answers, { housing: key === "both" || key === "housing", meals: key === "both" || key === "meals" }),
      })),
    next: () => "vacancyInsurance",
  },
  {
    id: "vacancyInsurance",
    prompt: () => ({ text: "给交社保吗？", choices: [yes("交社保", ["交", "有社保", "有", ...YES_WORDS]), no("不交", ["没有社保", ...NO_WORDS])] }),
    read: (reply, { answers }) => chooseOne(reply, (key) => ({ answers: withVacancy(answers, { insurance: key === "yes" }) })),
    next: () => "vacancyDeadline",
  },
  {
    id: "vacancyDeadline",
    prompt: () => ({ text: '招到哪天？如：12月31日；长期招回复"长期"' }),
    read({ text }, { answers }, env) {
      const deadline = readDeadline(text, new Date(env.inbound.at));
      if (deadline === "past") return { error: "这个日子已经过了，请回复以后的日子" };
      if (deadline === "unreadable") return { error: '请这样回复：12月31日，或"长期"' };
      return { answers: withVacancy(answers, { deadline }) };
    },
    next: () => "vacancySummary",
  },
  {
    id: "vacancySummary",
    prompt: ({ answers }, env) => ({
      text: ["请核对岗位：", ...vacancySummaryLines(vacancyOf(answers), vacancyPlace(answers, env)?.name ?? "")].join("\n"),
      choices: [yes("发布", ["确认", "发", ...YES_WORDS]), no("重填", ["修改", "改", "有错", ...NO_WORDS])],
    }),
    read: (reply, { answers }, env) =>
      chooseOne(reply, (key) => {
        if (key === "no") return { answers: { vacancy: {} }, carry: { employerAction: "post" } };
        const trusted = env.ctx.employer?.trusted ?? employerOf(answers).creditCode != null;
        return {
          events: [{ type: "vacancy_posted", vacancy: vacancyDraftOf(answers, env) }],
          say: [
            {
              kind: "text",
              text: trusted ? "已发布！正在推给合适的求职者，有人报名会通知您。" : "已收到！协理员核实单位后就发布，有人报名会通知您。",
            },
          ],
        };
      }),
    next: ({ scratch }) => (scratch.employerAction === "post" ? "vacancyTitle" : "employerHome"),
  },
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
          return startAction(env, choice.key as EmployerAction, null);
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
