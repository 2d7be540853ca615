// A vacancy posted in a minute of short questions: title (read as an occupation), headcount, place,
// pay, hours, age, sex, requirements, housing, insurance, deadline; then confirmed.
import { z } from "zod";
import { ageLimitText, boardSaid, boardText, payText, SEX_TEXT } from "../../shared/postings.ts";
import { normalizeTitle, occupationByCode, suggestOccupations } from "../../../matching/occupations.ts";
import { chooseOne, type Env, noChoice as no, NOT_A_CHOICE, type Outcome, stateSchemas, type Step, yesChoice as yes } from "../flow.ts";
import { compact, matchChoiceWord, NO_WORDS, readAgeRange, readDeadline, readNumber, readPay, YES_WORDS } from "../input.ts";
import { placeOf, regionSteps } from "../regions.ts";
import type { Answers, Position, RegionChoice, SexRequirement, VacancyDraft } from "../types.ts";
import { employerOf, shortText, vacancyOf, withVacancy } from "./employer-answers.ts";
import { wishName } from "../wished-work.ts";
import { MONTHLY_PAY, readHeadcount, vacancyAtOnce, type TermsSaid } from "./vacancy-at-once.ts";

/** The steps this flow owns. */
export const VACANCY_POSTING_STEP_IDS = ["vacancyTitle", "vacancyOccupationConfirm", "vacancyHeadcount", "vacancyPlace", "vacancyCounty", "vacancyCountyChoice", "vacancyTownship", "vacancySameTerms", "vacancyPay", "vacancyHours", "vacancyAge", "vacancySex", "vacancyRequirements", "vacancyHousing", "vacancyInsurance", "vacancyDeadline", "vacancySummary"] as const;
export type VacancyPostingStep = (typeof VACANCY_POSTING_STEP_IDS)[number];

/** A vacancy's answers while it is posted, under answers.vacancy. */
export interface VacancyAnswers extends Partial<Omit<VacancyDraft, "regionCode">> {
  occupationName?: string;
  county?: RegionChoice;
  township?: RegionChoice;
  /** a city named instead of a county ("合肥市里都行") */
  city?: RegionChoice;
  anywhereInCity?: boolean;
  /** the employer's own place, when the job is there */
  atEmployer?: boolean;
  /** the pay and the rest taken from the vacancy posted last (vacancySameTerms) */
  sameTerms?: boolean;
}

/** What a vacancy offers and asks beyond its title, headcount and place: offered again for the next one. */
export type VacancyTerms = Pick<VacancyDraft, keyof typeof TERMS>;
const nullableNumber = z.number().nullable();
export const vacancyAnswersSchema = z
  .object({
    title: z.string(),
    occupationCode: z.string().nullable(),
    occupationName: z.string(),
    headcount: z.number(),
    county: stateSchemas.region,
    township: stateSchemas.region,
    city: stateSchemas.region,
    anywhereInCity: z.boolean(),
    atEmployer: z.boolean(),
    sameTerms: z.boolean(),
    wageMin: nullableNumber,
    wageMax: nullableNumber,
    wageUnit: z.enum(["month", "day", "hour", "piece"]),
    hours: z.string().nullable(),
    ageMin: nullableNumber,
    ageMax: nullableNumber,
    sex: z.enum(["any", "female", "male"]),
    requirements: z.string().nullable(),
    housing: z.boolean(),
    meals: z.boolean(),
    insurance: z.boolean(),
    deadline: z.string().nullable(),
  })
  .partial();

/** What a vacancy offers and asks beyond its title, headcount and place (VacancyTerms). */
const TERMS = { title: true, wageMin: true, wageMax: true, wageUnit: true, hours: true, ageMin: true, ageMax: true, sex: true, requirements: true, housing: true, meals: true, insurance: true } as const;
export const vacancyTermsSchema = vacancyAnswersSchema.required().pick(TERMS);
const termsOf = (vacancy: VacancyDraft): VacancyTerms => Object.fromEntries(Object.keys(TERMS).map((key) => [key, vacancy[key as keyof VacancyTerms]])) as VacancyTerms;

function housingText({ housing, meals }: VacancyAnswers): string {
  return boardText(housing, meals) ?? "不包吃住";
}

/** Pay, board and insurance; ages, sex and hours; requirements: as the summary and the offer of the last terms say them. */
function termsLines(vacancy: Partial<VacancyTerms>): string[] {
  return [
    `${payText({ wageMin: vacancy.wageMin ?? null, wageMax: vacancy.wageMax ?? null, wageUnit: vacancy.wageUnit ?? "month" })}，${housingText(vacancy)}，${vacancy.insurance ? "交社保" : "不交社保"}`,
    [ageLimitText(vacancy.ageMin, vacancy.ageMax) ?? "年龄不限", SEX_TEXT[vacancy.sex ?? "any"], vacancy.hours].filter(Boolean).join("，"),
    ...(vacancy.requirements ? [`要求：${vacancy.requirements}`] : []),
  ];
}

function vacancySummaryLines(vacancy: VacancyAnswers, placeName: string): string[] {
  return [
    `${vacancy.title}，招${vacancy.headcount}人，${placeName}${vacancy.city && !vacancy.county && vacancy.anywhereInCity ? "(全市都行)" : ""}`,
    ...termsLines(vacancy),
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
    ...(vacancy.city && !vacancy.county ? { anywhereInRegion: vacancy.anywhereInCity ?? false } : {}),
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

const [vacancyCounty, vacancyCountyChoice, vacancyTownship] = regionSteps({
  ids: { county: "vacancyCounty", countyChoice: "vacancyCountyChoice", township: "vacancyTownship" },
  countyPrompt: "在哪个县（区）上班？请回复县名，如：平和县",
  townshipPrompt: "在哪个乡镇上班？",
  read: vacancyOf,
  // A new place replaces the old one whole: a county clears a city chosen before, and the reverse.
  write: (answers, place) => withVacancy(answers, { county: undefined, township: undefined, city: undefined, anywhereInCity: undefined, ...place, atEmployer: false }),
  afterTownship: "vacancySameTerms",
  acceptsCity: true,
});

/** Words of the other questions (board, age, sex, pay, insurance): a reply with them and no number is not the hours. */
const ANSWERS_ANOTHER_QUESTION = /吃|饭|餐|住|宿|岁|男|女|元|块|工资|社保|保险/u;

/** Full board said beside the pay ("5000到8000，包吃住"); a part of it (包住) or a 不包 is asked, to be sure. */
function fullBoardSaid(text: string): { housing: true; meals: true } | Record<string, never> {
  const { housing, meals } = boardSaid(compact(text));
  return housing && meals ? { housing, meals } : {};
}

/**
 * A job title, normalised to an occupation and confirmed on the next step when one is found; said
 * with the terms (招10个竹编工，计件，管午饭), those are kept and their questions skipped. A vacancy
 * starts here: nothing of an earlier draft stays.
 */
export function readVacancyTitle(text: string): Outcome {
  const atOnce = vacancyAtOnce(text);
  const title = shortText((atOnce?.title ?? text).replace(/^(招聘?|急招|诚聘|招工)/u, ""), 20);
  if (!title) return { error: "请写岗位名称（20字以内），如：竹编工" };
  const candidates = normalizeTitle(title) ? suggestOccupations(title, 5).map(({ code, name }) => ({ code, name })) : [];
  return {
    answers: { vacancy: { ...atOnce?.terms, title, occupationCode: null } },
    ...(candidates.length > 0 ? { carry: { occupationCandidates: candidates } } : {}),
  };
}

/** A step whose answer the first message gave already (vacancyAtOnce) is not asked. */
const saidAlready =
  (...fields: (keyof TermsSaid)[]) =>
  ({ answers }: Position) =>
    fields.every((field) => vacancyOf(answers)[field] !== undefined) ? {} : undefined;

/** Whether the first message gave any of the terms the same-terms question would offer. */
const termsSaid = ({ answers }: Position): boolean =>
  (["wageUnit", "hours", "ageMin", "ageMax", "sex", "housing", "meals"] as const).some((field) => vacancyOf(answers)[field] !== undefined);

export const VACANCY_POSTING_STEPS: Step[] = [
  {
    id: "vacancyTitle",
    prompt: () => ({ text: "招什么工？请写岗位名称，如：竹编工" }),
    read: ({ text }) => readVacancyTitle(text),
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
            ...candidates.slice(0, 4).map((occupation) => ({ key: occupation.code, label: wishName(occupation.code) })),
            { key: "none", label: "都不是" },
          ],
        };
      }
      // In the words workers choose their wishes by (竹编工 is 手工编织 to them, not the classification's 竹藤师).
      return { text: `这个工种是：${wishName(candidates[0]!.code)}，对吗？`, choices: [yes("对"), no("不对")] };
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
    given: saidAlready("headcount"),
    prompt: () => ({ text: "招几个人？请回复数字，如：5" }),
    read({ text }, { answers }) {
      // 十来个, 二十多人: about that many, the number said.
      const headcount = readHeadcount(compact(text).replace(/(个人|人|名|个|位)$/u, "").replace(/(来|多|左右|上下)$/u, ""));
      if (headcount === null) return { error: "请回复要招的人数，如：5" };
      return { answers: withVacancy(answers, { headcount }) };
    },
    next: () => "vacancyPlace",
  },
  {
    id: "vacancyPlace",
    prompt: ({ answers }, env) => ({
      text: "在哪里上班？",
      choices: [
        { key: "here", label: `就在本单位(${env.ctx.employer?.regionName ?? placeOf(employerOf(answers))?.name ?? "单位地址"})`, words: YES_WORDS },
        { key: "elsewhere", label: "别的地方" },
      ],
    }),
    // A registration that has just given the place, or an employer the records place, is asked; one
    // without a known place can only say where the job is.
    given: ({ answers }, env) => (env.ctx.employer?.regionCode || placeOf(employerOf(answers)) ? undefined : withVacancy(answers, { atEmployer: false })),
    read: (reply, { answers }) =>
      chooseOne(reply, (key) => ({ answers: withVacancy(answers, { atEmployer: key === "here", county: undefined, township: undefined }) })),
    next: ({ answers }) => (vacancyOf(answers).atEmployer ? "vacancySameTerms" : "vacancyCounty"),
  },
  vacancyCounty,
  vacancyCountyChoice,
  vacancyTownship,
  {
    // An employer who posted before is offered the same pay, hours, ages and the rest in one answer:
    // a workshop's vacancies mostly differ in the work and the headcount.
    id: "vacancySameTerms",
    given: (position) => (position.answers.lastVacancy && !termsSaid(position) ? undefined : {}),
    prompt: ({ answers }) => ({
      text: [`和上次的${answers.lastVacancy?.title ?? ""}待遇要求一样吗？`, ...termsLines(answers.lastVacancy ?? {})].join("\n"),
      choices: [yes("一样", ["同上", "一样的", "和上次一样", ...YES_WORDS]), no("重新填", ["不一样", "重填", "改", ...NO_WORDS])],
    }),
    read: (reply, { answers }) =>
      chooseOne(reply, (key) => {
        if (key === "no" || !answers.lastVacancy) return { answers: withVacancy(answers, { sameTerms: false }) };
        const { title: _lastTitle, ...terms } = answers.lastVacancy;
        return { answers: withVacancy(answers, { ...terms, sameTerms: true }) };
      }),
    next: ({ answers }) => (vacancyOf(answers).sameTerms ? "vacancyDeadline" : "vacancyPay"),
  },
  {
    id: "vacancyPay",
    given: saidAlready("wageUnit"),
    prompt: () => ({ text: "工资多少？如：3000-4500元/月、150元/天、计件" }),
    read({ text }, { answers }) {
      const pay = readPay(text);
      if (!pay) return { error: "没看懂工资，请这样回复：3000-4500元/月" };
      const monthly = pay.unit === "month" ? pay.max : null;
      if (monthly !== null && (monthly < MONTHLY_PAY.min || monthly > MONTHLY_PAY.max)) return { error: `${monthly}元一个月不太对，请再回复` };
      return { answers: withVacancy(answers, { wageMin: pay.min, wageMax: pay.max, wageUnit: pay.unit, ...fullBoardSaid(text) }) };
    },
    next: () => "vacancyHours",
  },
  {
    id: "vacancyHours",
    given: saidAlready("hours"),
    prompt: () => ({ text: '每天干几小时？如：8；不固定回复"不固定"' }),
    read({ text }, { answers }) {
      const said = compact(text);
      const hours = readNumber(said.replace(/(个)?(小时|钟头|钟)$/u, "").replace(/^每天/u, ""));
      if (hours !== null) {
        if (hours < 1 || hours > 16) return { error: "请回复每天几小时，如：8" };
        // A bare 1, 2 or 3 is more often a menu's number typed by habit than a job's day: asked with its unit.
        if (hours <= 3 && !/(小时|钟头|钟)$/u.test(said)) return { error: `每天只干${hours}小时吗？是的话请回复"${hours}小时"，不是请回复小时数，如：8` };
        return { answers: withVacancy(answers, { hours: `每天${hours}小时` }) };
      }
      // Said ahead of its question (管午饭, 50岁以下, 只要女): not the hours, which are asked again.
      if (!/[\d一二两三四五六七八九十]/u.test(said) && ANSWERS_ANOTHER_QUESTION.test(said)) {
        return { error: '先说每天干几小时，如：8；不固定回复"不固定"。吃住、年龄等后面会问' };
      }
      const written = shortText(text, 12);
      return written ? { answers: withVacancy(answers, { hours: written }) } : { error: "请回复每天几小时，如：8" };
    },
    next: () => "vacancyAge",
  },
  {
    id: "vacancyAge",
    given: saidAlready("ageMin", "ageMax"),
    prompt: () => ({ text: '年龄要求？如：18-50；不限回复"不限"' }),
    read({ text }, { answers }) {
      const range = readAgeRange(text);
      return range ? { answers: withVacancy(answers, { ageMin: range.min, ageMax: range.max }) } : { error: '请这样回复：18-50，不限回复"不限"' };
    },
    next: () => "vacancySex",
  },
  {
    id: "vacancySex",
    given: saidAlready("sex"),
    prompt: () => ({
      text: "男女要求？",
      choices: [
        { key: "any", label: "男女不限" },
        { key: "male", label: "只要男" },
        { key: "female", label: "只要女" },
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
    // Said with the pay ("5000到8000，包吃住") or in the first message: not asked again.
    given: saidAlready("housing", "meals"),
    prompt: () => ({
      text: "包吃住吗？",
      choices: [
        { key: "both", label: "包吃住" },
        { key: "housing", label: "只包住" },
        { key: "meals", label: "只包吃" },
        { key: "none", label: "都不包", words: NO_WORDS },
      ],
    }),
    read(reply, { answers }) {
      // Board in the employer's own words (管吃住, 包食宿, 管饭) is read first: a near match would take 管吃住 for 不管吃住.
      const said = boardSaid(compact(reply.text));
      const key = said.housing && said.meals ? "both" : said.housing ? "housing" : said.meals ? "meals" : reply.chosen[0]?.key;
      if (!key) return { error: NOT_A_CHOICE };
      return { answers: withVacancy(answers, { housing: key === "both" || key === "housing", meals: key === "both" || key === "meals" }) };
    },
    next: () => "vacancyInsurance",
  },
  {
    id: "vacancyInsurance",
    prompt: () => ({
      text: "给交社保吗？",
      choices: [yes("交社保", ["交", "有社保", "有", "买", "买社保", "给买", "缴", ...YES_WORDS]), no("不交", ["没有社保", "不买", "没买", "不缴", ...NO_WORDS])],
    }),
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
        const vacancy = vacancyDraftOf(answers, env);
        return {
          // Its terms are offered for the next vacancy (vacancySameTerms).
          answers: { lastVacancy: termsOf(vacancy) },
          events: [{ type: "vacancy_posted", vacancy }],
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
];
