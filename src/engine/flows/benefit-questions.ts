// 补贴政策, answered: what the worker may get, and the few questions that decide the rest (养老保险,
// 创业, 学历 and the year of leaving school…), asked one at a time — only those whose answer could
// change a benefit of the worker's region, as the policies say — each answer kept on the record.
// A benefit asked about by name (交通补贴怎么领) is answered for that benefit alone.
import { z } from "zod";
import { chinaWallClock } from "../../shared/china-time.ts";
import { readYear } from "../../shared/years.ts";
import { TOLD_FACTS, type BenefitsView, type NamedBenefit, type ToldFact, type ToldFacts } from "../../policies/view.ts";
import { EDUCATIONS, type Education } from "../../policies/profile.ts";
import { noChoice, yesChoice, type Env, type Outcome, type Prompt, type Step } from "../flow.ts";
import { compact, hasNegation, NO_WORDS, YES_WORDS, type Choice } from "../input.ts";
import type { Outbound } from "../types.ts";

/** The steps this flow owns. */
export const BENEFIT_STEP_IDS = ["benefitQuestion"] as const;
export type BenefitStep = (typeof BENEFIT_STEP_IDS)[number];

/** The question asked: a fact, or which vocational school (after 中专、职高或技校), or which class of a 技校. */
type Asked = ToldFact | "vocationalSchool" | "technicalClass";
const ASKED = ["pensionEnrolled", "startingBusiness", "education", "graduationYear", "householdTechnicalSchoolStudent", "organisedLabourExport", "vocationalSchool", "technicalClass"] as const satisfies readonly Asked[];

export interface BenefitScratch {
  benefitAsking?: Asked;
  /** what was said so far in these questions (recorded by then too: the lookups see it at once) */
  benefitTold?: ToldFacts;
  /** the facts answered 不清楚 or not at all: not asked again this time */
  benefitSkipped?: ToldFact[];
  /** a benefit asked about by name: only its questions, and its answer at the end */
  benefitNamed?: string;
  /** 重答: the answers on the record are asked again, as if not known */
  benefitAgain?: boolean;
}
export const benefitScratchSchema = z
  .object({
    benefitAsking: z.enum(ASKED),
    benefitTold: z
      .object({
        pensionEnrolled: z.boolean(),
        startingBusiness: z.boolean(),
        education: z.enum(EDUCATIONS),
        graduationYear: z.number().int(),
        householdTechnicalSchoolStudent: z.boolean(),
        organisedLabourExport: z.boolean(),
      })
      .partial(),
    benefitSkipped: z.array(z.string()),
    benefitNamed: z.string().max(40),
    benefitAgain: z.boolean(),
  })
  .partial();

const DONT_KNOW: Choice = { key: "unknown", label: "不清楚" };
/** 不知道, 不懂: no answer (read before the menu, whose 不 would be a no). */
const DONT_KNOW_SAID = /不清楚|不知道|不晓得|不记得|记不清|忘了|说不清|不懂|不明白|不太懂|搞不清|没印象/u;
/** 啥是农保, 什么意思: the question said plainly, then asked again. */
const WHAT_IS_IT = /什么意思|啥意思|是什么|是啥|啥是|什么是|看不懂|听不懂/u;

/** A yes-or-no question, with the words people answer it in besides 是 and 不是. */
const yesNo = (text: string, yes: [string, ...string[]], no: [string, ...string[]], dontKnow = false): Prompt => ({
  text,
  choices: [yesChoice(yes[0], [...YES_WORDS, ...yes.slice(1)]), noChoice(no[0], [...NO_WORDS, ...no.slice(1)]), ...(dontKnow ? [DONT_KNOW] : [])],
});

/** The school kinds the policies tell apart, asked in two steps so that each menu fits one SMS. */
const EDUCATION_CHOICES: Choice[] = [
  { key: "primaryOrBelow", label: "小学及以下", words: ["小学", "小学毕业", "小学没毕业", "没读书", "没读过书", "没念过书", "没念书", "没上学", "没上过学", "不识字", "文盲"] },
  { key: "juniorHigh", label: "初中", words: ["初中毕业", "初中没毕业", "初中没读完", "初一", "初二", "初三"] },
  { key: "seniorHigh", label: "高中", words: ["普高", "高中毕业"] },
  { key: "vocational", label: "中专、职高或技校", words: ["中专", "职高", "职校", "技校", "技工学校", "中职"] },
  { key: "college", label: "大专及以上", words: ["大专", "专科", "本科", "大学", "研究生"] },
];
const VOCATIONAL_CHOICES: Choice[] = [
  { key: "secondaryVocational", label: "中专或职高", words: ["中专", "职高", "职校", "中职"] },
  { key: "technicalSchool", label: "技校（中级工班）", words: ["技校", "技工学校", "中级工"] },
  { key: "technicalSeniorWorker", label: "技校高级工班", words: ["高级工", "高级工班"] },
  { key: "technicianPrep", label: "技校预备技师班", words: ["预备技师", "技师班"] },
];
/** A 技校 said: only its classes differ for the subsidies. */
const TECHNICAL_CLASSES: Choice[] = [
  { key: "technicalSchool", label: "中级工班", words: ["中级工", "普通班"] },
  { key: "technicalSeniorWorker", label: "高级工班", words: ["高级工"] },
  { key: "technicianPrep", label: "预备技师班", words: ["预备技师", "技师班"] },
];
/** The school named outright at the school question: no second question. */
const SCHOOL_SAID: [RegExp, Education | "technicalClass"][] = [
  [/中专|职高|职校|中职/u, "secondaryVocational"],
  [/高级工/u, "technicalSeniorWorker"],
  [/预备技师/u, "technicianPrep"],
  [/特殊教育/u, "specialEducationVocational"],
  [/技校|技工/u, "technicalClass"],
];

/** 想开个小卖部, 在家养鸡: a business of one's own, said in a sentence. */
const OWN_BUSINESS = /开(个|了|一个|家)?(小)?(店|卖部|超市|饭店|餐馆|作坊|厂)|做(点)?(小)?生意|摆摊|创业|当老板|自己干|养殖|(养|种)了?(鸡|鸭|猪|牛|羊|鱼|蜂|兔|果|茶|菜)/u;

const QUESTIONS: Record<Asked, Prompt> = {
  pensionEnrolled: yesNo("您参加城乡居民养老保险（农保）了吗？", ["参加了", "交了", "交过", "有", "有交", "买了", "参加"], ["没参加", "没交", "没买", "没有交", "没参加过"], true),
  startingBusiness: yesNo("您在自己做生意、开店，或准备创业吗？", ["是", "在做", "准备", "想创业", "开店"], ["不是", "没", "没做", "没有做", "打工", "打工的", "上班"]),
  education: { text: "您读书读到哪一级？", choices: EDUCATION_CHOICES },
  vocationalSchool: { text: "是哪一种学校？", choices: VOCATIONAL_CHOICES },
  technicalClass: { text: "技校读的是哪个班？", choices: TECHNICAL_CLASSES },
  graduationYear: { text: "哪一年毕业（或将要毕业）？请回复年份，如：2025" },
  householdTechnicalSchoolStudent: yesNo("家里有孩子在读技校（技工院校）吗？", ["有", "在读"], ["没有孩子", "没读"], true),
  organisedLabourExport: yesNo("您在县外的工作，是政府或劳务经纪人组织去的吗？", ["是", "组织的"], ["不是", "自己找的", "自己去的"]),
};

/** Each question said plainly, for 什么意思 or 啥是农保. */
const PLAINLY: Partial<Record<Asked, string>> = {
  pensionEnrolled: "城乡居民养老保险就是农村的养老保险（农保、新农保）：每年交一次钱，满60岁后每月领养老金。",
  startingBusiness: "就是问您是不是自己当老板挣钱：开店、做小生意、搞养殖种植，或者正准备这样做。",
  education: "就是问您上学上到哪一级，毕业没毕业都行。",
  graduationYear: "就是问您哪一年从学校出来（毕业）。",
  organisedLabourExport: "就是问这份工作是不是政府、村里或劳务经纪人统一组织您去的。",
};

const askable = (fact: string): fact is ToldFact => fact in QUESTIONS && fact !== "vocationalSchool" && fact !== "technicalClass";

const thisYearOf = (env: Env) => chinaWallClock(new Date(env.inbound.at)).getUTCFullYear();

/**
 * The facts still to ask, in the order the benefits wait on them; none while the household's
 * poverty status is unknown, which nearly every benefit turns on and only the roster can settle.
 */
function factsToAsk(view: BenefitsView, scratch: BenefitScratch): ToldFact[] {
  const named = scratch.benefitNamed ? namedIn(view, scratch.benefitNamed) : null;
  if ((named ? named.unknown : view.unknown).includes("povertyStatus")) return [];
  const skipped = new Set(scratch.benefitSkipped ?? []);
  return (named ? named.unknown : view.unknown).filter((fact): fact is ToldFact => askable(fact) && !skipped.has(fact) && scratch.benefitTold?.[fact] === undefined);
}

/** The one benefit of the region a reply names (交通补贴怎么领), by its longest name. */
export function namedIn(view: BenefitsView, text: string): NamedBenefit | null {
  const said = compact(text);
  const hits = view.named
    .map((benefit) => ({ benefit, length: Math.max(0, ...benefit.words.filter((word) => said.includes(compact(word))).map((word) => word.length)) }))
    .filter((hit) => hit.length > 0)
    .sort((a, b) => b.length - a.length);
  return hits.length > 0 && (hits.length === 1 || hits[0]!.length > hits[1]!.length) ? hits[0]!.benefit : null;
}

const POVERTY_UNKNOWN = '多数补贴要看您家是不是建档立卡户或已脱贫户，协理员会帮您核实。您知道的话，回复"修改"改"家庭情况"。';

const APPLY_NOTICE: Outbound = { kind: "notice", text: '要办理或有疑问，回复"人工"找协理员。' };
/** …and, where the worker's answers decide something, how to give them again. */
const applyNotice = (view: BenefitsView): Outbound =>
  view.answered.length > 0 ? { kind: "notice", text: '要办理或有疑问，回复"人工"；答错了，回复"重答"。' } : APPLY_NOTICE;

/** Words about subsidies, not a menu's choice (公益岗位 is no job search for its 岗位): what 补贴政策 answers. */
export const ABOUT_SUBSIDIES = /补贴|补助|政策|领钱|有钱领|贷款|养老|公益岗|雨露|见习|代缴|参保/u;

/** 重答, 答错了: the questions again, what the record holds taken as not known. */
export const REANSWER = /^(重答|重新回答|重新答|(我|刚才|前面|上一个)?(答|回答|说|选)错了)$/u;

/** The worker's benefits as a list: what they may get, what still waits on a question, what a job away would bring. */
function benefitList(view: BenefitsView, thanks: string): Outbound[] {
  // Each group a text of its own: a heading is not left at the end of one SMS, its lines in the next.
  const groups = [
    view.have.length > 0 ? ["您可能享受：", ...view.have] : [],
    view.toAsk.length > 0 ? [view.have.length > 0 ? "还要问清您的情况：" : "这些补贴要问清您的情况才知道能不能领：", ...view.toAsk] : [],
    view.ifWorkingAway.length > 0 ? ["到县外上班，还可领：", ...view.ifWorkingAway] : [],
  ].filter((group) => group.length > 0);
  if (groups.length === 0) return [{ kind: "text", text: `${thanks}暂时没有查到您能申请的补贴，协理员会帮您核实。` }, applyNotice(view)];
  return [...groups.map((group, index): Outbound => ({ kind: "text", text: (index === 0 ? thanks : "") + group.join("\n") })), applyNotice(view)];
}

/**
 * 补贴政策 at the worker's menu: a benefit named is answered alone; otherwise what they may get, and
 * the first question that decides more. The menu is asked again when nothing is to be asked.
 */
export async function showBenefits(env: Env, text: string, again = false): Promise<Outcome> {
  const view = await env.ctx.lookups.benefits({}, again ? TOLD_FACTS : []);
  const named = namedIn(view, text);
  const scratch: BenefitScratch = { ...(named ? { benefitNamed: compact(named.words[0]!) } : {}), ...(again ? { benefitAgain: true } : {}) };
  const [first] = factsToAsk(view, scratch);
  const events = [{ type: "benefits_shown" as const }];
  // Most benefits turn on the household's status, which only the roster settles: said plainly, not as a list of what is unknown.
  if (!named && view.unknown.includes("povertyStatus")) {
    const have = view.have.length > 0 ? [{ kind: "text" as const, text: ["您可能享受：", ...view.have].join("\n") }] : [];
    return { stay: true, askAgain: true, events, say: [...have, { kind: "text", text: POVERTY_UNKNOWN }, APPLY_NOTICE] };
  }
  if (named && !first) return { stay: true, askAgain: true, events, say: [{ kind: "text", text: named.text }, applyNotice(view)] };
  if (!first) return { stay: true, askAgain: true, events, say: benefitList(view, "") };
  // The questions follow what the worker already has (the lines that wait on them are the questions themselves).
  const have = !named && !again && view.have.length > 0 ? [{ kind: "text" as const, text: ["您可能享受：", ...view.have].join("\n") }] : [];
  return { events, say: have, carry: { ...scratch, benefitAsking: first } };
}

export const BENEFIT_STEPS: Step[] = [
  {
    id: "benefitQuestion",
    prompt: ({ scratch }) => {
      const question = QUESTIONS[scratch.benefitAsking ?? "pensionEnrolled"];
      const first = !scratch.benefitTold && !scratch.benefitSkipped && scratch.benefitAsking !== "vocationalSchool" && scratch.benefitAsking !== "technicalClass";
      const why = scratch.benefitNamed ? `问您几个问题，看能不能领${scratch.benefitNamed}。` : "问您几个问题，看能领哪些补贴。";
      return first ? { ...question, text: why + question.text } : question;
    },
    async read(reply, { scratch }, env) {
      const asking = scratch.benefitAsking ?? "pensionEnrolled";
      const said = compact(reply.text);
      // 重答, 刚才答错了: the questions from the first, what was said taken back.
      if (REANSWER.test(said)) return showBenefits(env, "", true);
      const plainly = PLAINLY[asking];
      if (WHAT_IS_IT.test(said) && plainly) return { stay: true, askAgain: true, say: [{ kind: "text", text: plainly }] };
      // (不知道 which class of a 技校 is no answer either: the class decides a graduate's subsidy.)
      const dontKnow = DONT_KNOW_SAID.test(said);
      let [choice] = dontKnow ? [] : reply.chosen;
      if (asking === "education" && !dontKnow) {
        const named = SCHOOL_SAID.find(([words]) => words.test(said))?.[1];
        if (named === "technicalClass" || (!named && choice?.key === "vocational")) return { carry: { ...scratch, benefitAsking: named ?? "vocationalSchool" } };
        if (named) choice = { key: named, label: named };
      }
      if (asking === "startingBusiness" && !dontKnow && !choice && OWN_BUSINESS.test(said)) choice = { key: hasNegation(said) ? "no" : "yes", label: "" };
      const fact: ToldFact = asking === "vocationalSchool" || asking === "technicalClass" ? "education" : asking;
      let value: ToldFacts[ToldFact] | undefined;
      if (dontKnow || choice?.key === "unknown") value = undefined;
      else if (asking === "graduationYear") {
        const year = readYear(reply.text, thisYearOf(env));
        if (year === null) return { error: "请回复毕业的年份，如：2025；不记得请回复：不清楚" };
        value = year;
      } else if (!choice) return { error: "没看懂，请回复数字" };
      else if (fact === "education") value = choice.key as Education;
      else value = choice.key === "yes";
      const told = value === undefined ? (scratch.benefitTold ?? {}) : { ...scratch.benefitTold, [fact]: value };
      const skipped = value === undefined ? [...(scratch.benefitSkipped ?? []), fact] : (scratch.benefitSkipped ?? []);
      const events = value === undefined ? [] : [{ type: "benefit_facts_told" as const, facts: { [fact]: value } }];
      const next = { ...scratch, benefitTold: told, benefitSkipped: skipped };
      const view = await env.ctx.lookups.benefits(told, scratch.benefitAgain ? TOLD_FACTS : []);
      const [following] = factsToAsk(view, next);
      if (following) return { events, carry: { ...next, benefitAsking: following } };
      const named = scratch.benefitNamed ? namedIn(view, scratch.benefitNamed) : null;
      return { events, say: named ? [{ kind: "text", text: `谢谢！${named.text}` }, applyNotice(view)] : benefitList(view, "谢谢！") };
    },
    // Too many misses: the questions end and the menu returns (a coordinator is asked to call).
    fallback: {},
    next: ({ scratch }) => (scratch.benefitAsking ? "benefitQuestion" : "home"),
  },
];
