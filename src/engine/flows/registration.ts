// The worker's registration (求职登记): welcome, consent, the questions, and the summary. Each step is
// a prompt, a reader and the choice of the next step; every prompt, rendered for SMS, fits in one
// message beside the signature (the summary is split on purpose).
import { z } from "zod";
import { normalizeTitle, suggestOccupations } from "../../../matching/occupations.ts";
import { JOBS, wishName } from "../wished-work.ts";
import { ageOn, countyWithoutSuffix, normalizeMobile, parseResidentId, type ResidentIdProblem } from "../../shared/identifiers.ts";
import { chooseOne, NOT_A_CHOICE, noChoice as no, stateSchemas, yesChoice as yes, type Env, type Outcome, type Step } from "../flow.ts";
import { ABOUT_SUBSIDIES } from "./benefit-questions.ts";
import { compact, fold, hasNegation, matchChoiceWord, namesPlainly, NO_WORDS, onlyManners, onlyQuestions, readAmount, readOptionNumbers, readPay, readPersonName, readMobile, withoutQualifier, wordsNamedPlainly, type Choice } from "../input.ts";
import DESTINATIONS from "./destinations.json" with { type: "json" };
import registrationWords from "./registration.words.json" with { type: "json" };
import { profileLines, profileOf, viewOfAnswers } from "../profile.ts";
import { CODE_REPLIES, LINK_CHOICE } from "./phone-link.ts";
import { chosenRegion, regionChoices, regionSteps, villageNamedIn } from "../regions.ts";
import type { EditableField, Occupation, Outbound, Position, PovertyStatus, RegionChoice, RosterWishes, Sex, StepId, WelfareCategory, WorkRange } from "../types.ts";

/** Someone who did not understand what they are asked to agree to. */
const NOT_UNDERSTOOD = /什么意思|啥意思|看不懂|看不明白|不懂|不明白|听不懂|没看懂|没看明白|不太懂|什么东西/u;
const CONSENT_PLAINLY = "就是说：您的名字、身份证和电话只给村里协理员和人社局看，用来帮您找活、办补贴，不给别人。";

/** The steps this flow owns. */
export const REGISTRATION_STEP_IDS = ["rosterConfirm", "purpose", "consent", "name", "idNumber", "rosterCode", "phone", "county", "countyChoice", "township", "village", "povertyStatus", "categories", "occupations", "occupationConfirm", "workRange", "wageFloor", "training", "summary"] as const;
export type RegistrationStep = (typeof REGISTRATION_STEP_IDS)[number];

/** The worker's answers, as registration collects them (修改 re-asks them one at a time). */
export interface RegistrationAnswers {
  /** the roster person the sender said they are (a key of the context's rosterMatches): who and where is known */
  rosterKey?: string;
  /** the sender said they are none of the roster's people with their number */
  rosterDeclined?: boolean;
  consent?: boolean;
  name?: string;
  idNumber?: string;
  birthDate?: string;
  sex?: Sex;
  phone?: string;
  county?: RegionChoice;
  township?: RegionChoice;
  village?: RegionChoice;
  povertyStatus?: PovertyStatus;
  categories?: WelfareCategory[];
  wishedOccupations?: Occupation[];
  workRange?: WorkRange;
  wageFloor?: number;
  wantsTraining?: boolean;
  trainingWish?: string | null;
}
export const registrationAnswersSchema = z
  .object({
    rosterKey: z.string(),
    rosterDeclined: z.boolean(),
    consent: z.boolean(),
    name: z.string(),
    idNumber: z.string(),
    birthDate: z.string(),
    sex: z.enum(["female", "male"]),
    phone: z.string(),
    county: stateSchemas.region,
    township: stateSchemas.region,
    village: stateSchemas.region,
    povertyStatus: z.enum(["registered", "lifted", "monitored", "none", "unknown"]),
    categories: z.array(z.enum(["minimumLivingAllowance", "extremeHardship", "disability"])),
    wishedOccupations: z.array(stateSchemas.occupation),
    workRange: z.enum(["homeCounty", "province", "anywhere"]),
    wageFloor: z.number(),
    wantsTraining: z.boolean(),
    trainingWish: z.string().nullable(),
  })
  .partial();

/**
 * A job title typed (here, and when an employer posts a vacancy): the occupations it may name, best
 * first; the first is confirmed with 对/不对 unless the person said 不对 and chooses among them all.
 */
export interface OccupationScratch {
  occupationCandidates?: Occupation[];
  occupationChoosing?: boolean;
  /** how many of the candidates, from the first, are the jobs the reply named ("电工 焊工": two); one when unsaid */
  occupationsTyped?: number;
  /** the roster's person the name and ID number typed are, while the code sent to the roster's phone is awaited */
  rosterCandidate?: { key: string; phoneMasked: string };
}
export const occupationScratchSchema = z
  .object({ occupationCandidates: z.array(stateSchemas.occupation), occupationChoosing: z.boolean(), occupationsTyped: z.number().int().min(1), rosterCandidate: z.object({ key: z.string(), phoneMasked: z.string() }) })
  .partial();

/** Shown to the worker and recorded word for word with consent_given (PIPL: what, why, who, deletion). */
export const CONSENT_WORDING =
  "我们保存您的姓名、身份证、电话、住址、求职意愿，只用于找工作办补贴，只给协理员和人社局看，可随时删除。";

const TODAY = (env: Env) => new Date(env.inbound.at);

/** The last option of the jobs menu: no wish, any work. */
const ANY_JOB: Choice = { key: "any", label: "都可以" };
/**
 * A township's villages before its urban 社区: the codes put the 社区 first, and on a feature phone
 * the villages, where most of the people this service is for live, began on a menu's third page.
 */
const villagesFirst = (places: Choice[]): Choice[] => [...places.filter((place) => place.label.endsWith("村")), ...places.filter((place) => !place.label.endsWith("村"))];

/** What comes before 都可以 when it means any work at all (什么都可以). */
const ANY_WORK_SAID = /^(什么|啥|干啥|干什么|哪样|哪种|各种|啥活|什么活|什么工作|啥工作)$/u;

const occupationNamed = (code: string): Occupation => ({ code, name: wishName(code) });

/** A reply that says the number is not at hand: forgotten, not known, the card not with them or lost. */
const ID_NOT_AT_HAND = /不记得|记不[得清住]|忘[了记]|不知道|不晓得|不清楚|没带|不在身[边上]|丢了|找不到|没有身份证|没身份证|没办/u;
const ID_NOT_AT_HAND_HELP = '没关系：身份证或户口本上有这个号码，找到了再发；或回复"人工"，协理员打电话帮您';

const ID_PROBLEMS: Record<ResidentIdProblem, string> = {
  format: "身份证号码是18位（最后一位可能是X），请再发一次",
  birth_date: "号码里的出生日期（第7到14位）不对，请核对后再发一次",
  check_digit: "号码对不上，可能有一位输错了，请核对后再发一次",
};

/** "想学电工" says both that they want training and what; "好的" only says yes. */
function readTraining(text: string, chosen: readonly Choice[]): { wantsTraining: boolean; trainingWish: string | null } | { error: string } {
  if (chosen[0]?.key === "no") return { wantsTraining: false, trainingWish: null };
  if (chosen.length === 0 && (hasNegation(text) || onlyQuestions(text))) return { error: "想参加培训回1，不想回2，或写想学什么" };
  // "我想参加培训", "想学点技术" want training and name nothing: what remains once the asking words go is the wish.
  const typed = withoutQualifier(text).replace(/好$/, "");
  const named = typed
    .replace(/^我?(也|很|还)?(愿意|想|要)?(参加|学)?(一?点|些)?/, "")
    .replace(/(的)?(技能|技术|手艺|本事)?(培训|学习|课程?)?$/, "");
  // One character names no skill ("要得" less its 要, "中"): a yes when the reply said yes, else asked again.
  const saidYes = chosen[0]?.key === "yes";
  const wish = saidYes && (named === typed || named.length <= 1) ? "" : named;
  if (wish.length > 20) return { error: "请简单写想学什么，如：电工" };
  if (wish.length === 1) return { error: NOT_A_CHOICE };
  return { wantsTraining: true, trainingWish: wish || null };
}

const PROVINCE_OF = new Map(Object.entries(DESTINATIONS as Record<string, string[]>).flatMap(([province, names]) => names.map((name) => [name, province] as const)));
const DESTINATION_NAMES = [...PROVINCE_OF.keys()];

/**
 * "去广东也行", "厦门", "蒙自": a place named instead of a range. Another province than home's means 外省也行;
 * only home's own province (or its cities) means 本省. Null when no place is named, or home is unknown.
 */
async function rangeOfPlacesNamed(text: string, home: RegionChoice | undefined, env: Env): Promise<WorkRange | null> {
  if (!home) return null;
  // Proper names as written only: by sound, 县城 would be 宣城.
  const names = (name: string) => countyWithoutSuffix(name).length >= 2 && namesPlainly(text, countyWithoutSuffix(name));
  if (names(home.name)) return "homeCounty";
  // Provinces and their cities, then counties anywhere (蒙自, 个旧: county-level cities people go to).
  const counties = await env.ctx.lookups.findRegions(text.trim(), { level: 3, limit: 8 });
  const named = [
    ...wordsNamedPlainly(text, DESTINATION_NAMES).map((name) => PROVINCE_OF.get(name)!),
    ...counties.filter((county) => county.code !== home.code && names(county.name)).map((county) => county.code.slice(0, 2)),
  ];
  if (named.length === 0) return null;
  return named.every((province) => home.code.startsWith(province)) ? "province" : "anywhere";
}

const SKIP_WORDS = ["跳过", "不是我的", "不是我的手机", "没有这个手机"];

/** The legal minimum working age. */
const MINIMUM_AGE = 16;
const WAGE_RANGE = { min: 500, max: 50_000 };
/** No least pay: any job is worth hearing of (the floor is 0). */
const ANY_PAY = /^(不限|都行|都可以|无所谓|随便|没要求|没有要求|多少都行|多少都可以|给多少都行|看着给|不挑)(的|吧|啦|了)?$/u;

/** Below this, a typed job title is asked again rather than offered ("都中" is no 初级中学教师). */
const WISH_CONFIDENCE = 0.4;

/**
 * A worker who tells us the job by name: the occupations it may be, confirmed on the next step.
 * `several`: the reply read part by part, where the caller has read it already.
 */
function readJobTitle(text: string, several = severalJobsTyped(text)): Outcome {
  // "不想进厂" names a job only to refuse it: never read as a wish; nor is a title read with little confidence.
  if (hasNegation(text)) return { error: JOB_NOT_UNDERSTOOD };
  if (several) return { carry: { occupationCandidates: several.candidates, occupationsTyped: several.jobs } };
  const title = normalizeTitle(text);
  if (!title || title.confidence < WISH_CONFIDENCE) return { error: JOB_NOT_UNDERSTOOD };
  const candidates = suggestOccupations(text, 5).map(({ code, name }) => ({ code, name }));
  return { carry: { occupationCandidates: candidates } };
}

const JOB_NOT_UNDERSTOOD = "没听懂这个工作。请回复数字，或写工作名称，如：保安";

/** The jobs menu with the words that pick its options (the flow's vocabulary), to read a reply part by part. */
const JOBS_WITH_WORDS: Choice[] = JOBS.map((job) => ({ ...job, words: (registrationWords.occupations as Record<string, string[]>)[job.key] ?? [] }));

/**
 * "电工 焊工", "服务员，厨师", "保洁和电工": several jobs in one reply, read part by part (a menu
 * job by its words, else a title read with confidence), so none is lost to the best-scoring one.
 * The jobs come first among the candidates (in the menu's words where it has them), then each
 * part's other likely occupations in turn.
 * Null unless every part names a job and they are at least two different ones.
 */
function severalJobsTyped(text: string): { jobs: number; candidates: Occupation[]; menuOnly: boolean } | null {
  const parts = fold(text)
    .split(/[\s,，、;；/]+|或者|还有|或|和/u)
    .filter((part) => part.length > 0);
  if (parts.length < 2) return null;
  const readings: { menu: boolean; likely: Occupation[] }[] = [];
  for (const part of parts) {
    const menuJob = matchChoiceWord(part, JOBS_WITH_WORDS);
    if (menuJob) {
      readings.push({ menu: true, likely: [occupationNamed(menuJob.key)] });
      continue;
    }
    const title = normalizeTitle(part);
    if (!title || title.confidence < WISH_CONFIDENCE) return null;
    const likely = [title, ...suggestOccupations(part, 3)].map(({ code }) => occupationNamed(code));
    readings.push({ menu: false, likely });
  }
  const jobs = new Set(readings.map(({ likely }) => likely[0]!.code)).size;
  if (jobs < 2) return null;
  const candidates = new Map<string, Occupation>();
  for (let rank = 0; rank < 4; rank++) {
    for (const { likely } of readings) {
      const occupation = likely[rank];
      if (occupation && !candidates.has(occupation.code)) candidates.set(occupation.code, occupation);
    }
  }
  return { jobs, candidates: [...candidates.values()].slice(0, 8), menuOnly: readings.every(({ menu }) => menu) };
}

const afterJobs = ({ scratch }: Position): StepId => (scratch.occupationCandidates ? "occupationConfirm" : "workRange");

const [countyStep, countyChoiceStep, townshipStep] = regionSteps({
  ids: { county: "county", countyChoice: "countyChoice", township: "township" },
  field: "homeRegion",
  countyPrompt: "您家在哪个县（区）？请回复县名，如：云霄县",
  townshipPrompt: "请选乡镇，或回复乡镇名称：",
  read: (answers) => answers,
  write: (_answers, { county, township }) => ({ county, township, village: undefined }),
  afterTownship: "village",
  countyOffer: { code: (answers) => answers.idNumber?.slice(0, 6), question: (county) => `您家在${county}吗？不是请回复县名` },
});

const occupationsStep: Step = {
  id: "occupations",
  field: "occupations",
  multiple: true,
  prompt: () => ({ text: "想做什么工作？多选如1 3或直接写", choices: [...JOBS, ANY_JOB] }),
  read({ text: said, chosen }) {
    // 进厂 做饭都可以: the jobs said before 都可以, of which either will do (什么都可以 is any work).
    const before = said.replace(/(都|也)?(可以|行)[的啊吧呀了。！!]*\s*$/u, "").trim();
    const text = compact(before).length >= 2 && !ANY_WORK_SAID.test(compact(before)) ? before : said;
    if (chosen.length === 0) return readJobTitle(text);
    // The menu's words picked some of the jobs named ("保洁 电工"): the others are read as titles.
    const several = readOptionNumbers(text) ? null : severalJobsTyped(text);
    if (several?.menuOnly === false) return readJobTitle(text, several);
    // "都可以" alone is no wish (any work); beside named jobs it adds nothing.
    const named = chosen.filter((choice) => choice.key !== ANY_JOB.key);
    if (named.length === 0 && text !== said) return readJobTitle(text);
    return { answers: { wishedOccupations: named.map((choice) => occupationNamed(choice.key)) } };
  },
  fallback: { wishedOccupations: [] },
  next: afterJobs,
};

/** Said when the roster's person has answered the last question: registered, nothing more to ask. */
const ROSTER_DONE = '登记好了！有合适的岗位会发给您。要改信息回复"修改"。';

export const REGISTRATION_STEPS: Step[] = [
  {
    // A sender whose SMS number the roster holds: shown what the roster says, they register in a
    // few messages. Only the channel's proof of the number (ctx.rosterMatches) gets them here.
    id: "rosterConfirm",
    noBackHint: true,
    prompt(_position, env) {
      const matches = env.ctx.rosterMatches ?? [];
      if (matches.length === 1) return { text: `您是${matches[0]!.placeName}的${matches[0]!.name}吗？`, choices: [yes("是"), no("不是")] };
      return {
        text: `您家在${matches[0]?.placeName ?? "名单上"}，您是哪位？`,
        choices: [...matches.map((match) => ({ key: match.key, label: match.name })), no("都不是")],
      };
    },
    read({ chosen }, _position, env) {
      const matches = env.ctx.rosterMatches ?? [];
      const [choice] = chosen;
      // The roster no longer names this number (someone registered meanwhile): the welcome.
      if (matches.length === 0) return { answers: { rosterKey: undefined } };
      if (!choice) return { error: NOT_A_CHOICE };
      const key = choice.key === "yes" ? matches[0]!.key : matches.some((match) => match.key === choice.key) ? choice.key : undefined;
      // 不是: not asked again in this registration (the welcome follows, and a later message there would ask).
      return { answers: key ? { rosterKey: key } : { rosterKey: undefined, rosterDeclined: true } };
    },
    next: ({ answers }) => (answers.rosterKey ? "consent" : "purpose"),
  },
  {
    id: "purpose",
    noBackHint: true,
    prompt: (_position, env) => ({
      text: "您好！这里是就业直通车：免费帮您找工作、领补贴。请回复数字：",
      choices: [
        { key: "worker", label: "找工作" },
        { key: "employer", label: "我要招人" },
        // Where the channel does not know the phone: someone registered by SMS links this chat.
        ...(env.ctx.capabilities.knowsPhone ? [] : [{ ...LINK_CHOICE, label: "我登记过(绑定手机)" }]),
      ],
    }),
    read: (reply) =>
      chooseOne(reply, (key) =>
        key === "link"
          ? { carry: { linking: true } }
          : key === "worker"
            ? {
                answers: { employer: undefined },
                // 有什么补贴 before registering: what one may get depends on who one is, which registering tells.
                ...(ABOUT_SUBSIDIES.test(compact(reply.text)) ? { say: [{ kind: "text" as const, text: "登记后就能查您能领哪些补贴。先请看：" }] } : {}),
              }
            : { answers: { employer: {} }, events: [{ type: "employer_flow_requested" }], carry: { employerSaid: reply.text.slice(0, 200) } },
      ),
    next: ({ answers, scratch }) => (scratch.linking ? "linkPhone" : answers.employer ? "employerName" : "consent"),
  },
  {
    id: "consent",
    noBackHint: true,
    prompt: () => ({ text: CONSENT_WORDING, choices: [yes("同意"), no("不同意")] }),
    read: (reply) =>
      // 看不懂 is no 不同意 (its 不), nor 什么意思 a miss: said plainly, then asked again.
      NOT_UNDERSTOOD.test(compact(reply.text))
        ? { stay: true, askAgain: true, say: [{ kind: "text", text: CONSENT_PLAINLY }] }
        : chooseOne(reply, (key) =>
        key === "yes"
          ? {
              answers: { consent: true },
              events: [{ type: "consent_given", purpose: "data_processing", wording: CONSENT_WORDING }],
            }
          : {
              answers: { consent: false },
              say: [{ kind: "text", text: '没关系，您的信息我们都不保存。想登记时，随时回复"1"。' }],
            },
      ),
    // The roster's person is asked only what the roster does not know: their wishes.
    next: ({ answers }) => (!answers.consent ? "purpose" : answers.rosterKey ? "occupations" : "name"),
  },
  {
    id: "name",
    field: "name",
    prompt: () => ({ text: "请回复您的姓名（和身份证上的一样）" }),
    read({ text }) {
      if (/\d/.test(text.normalize("NFKC"))) return { error: "姓名里不能有数字。请回复您的姓名，如：张三" };
      const name = readPersonName(text);
      if (name) return { answers: { name } };
      // 你好 or 谢谢 is two characters: the rule on length would puzzle whoever sent it.
      return { error: onlyManners(text) ? "请回复您本人的姓名（和身份证上的一样），如：张三" : "姓名要2到10个汉字或字母。请回复您的姓名，如：张三" };
    },
    next: () => "idNumber",
  },
  {
    id: "idNumber",
    field: "idNumber",
    prompt: () => ({ text: "请回复您的18位身份证号码" }),
    async read({ text }, position, env) {
      const digits = fold(text).replace(/[^0-9x]/g, "");
      // "不记得", "没带身份证": told where to find it and who can help, not that the number has 18 digits.
      if (digits.length === 0 && ID_NOT_AT_HAND.test(compact(text))) return { error: ID_NOT_AT_HAND_HELP };
      const parsed = parseResidentId(digits, TODAY(env));
      if ("problem" in parsed) return { error: ID_PROBLEMS[parsed.problem] };
      const age = ageOn(parsed.birthDate, TODAY(env));
      if (age < MINIMUM_AGE) return { error: `未满${MINIMUM_AGE}岁不能登记找工作。号码输错了请再发一次` };
      const [year, month, day] = parsed.birthDate.split("-").map(Number);
      const sex = parsed.sex === "male" ? "男" : "女";
      const answers = { idNumber: parsed.number, birthDate: parsed.birthDate, sex: parsed.sex };
      // Its last four and what it says, which the person can check; short enough to go with the next question in one SMS.
      const said: Outbound = { kind: "text", text: `身份证尾号${parsed.number.slice(-4)}，${year}年${month}月${day}日生，${sex}，${age}岁。` };
      // Someone the roster knows by this name and number proves it with a code sent to the roster's
      // phone; until then nothing of the roster is shown (a name and number typed prove nothing).
      const onRoster = position.editing || env.ctx.registered || !position.answers.name ? null : await env.ctx.lookups.rosterPerson(position.answers.name, parsed.number);
      if (!onRoster?.phoneMasked) return { answers, say: [said] };
      return {
        answers,
        carry: { rosterCandidate: { key: onRoster.key, phoneMasked: onRoster.phoneMasked } },
        events: [{ type: "roster_code_requested", rosterKey: onRoster.key }],
        say: [said],
      };
    },
    next: ({ scratch }) => (scratch.rosterCandidate ? "rosterCode" : "phone"),
  },
  {
    id: "rosterCode",
    // No numbered menu: the reply is a code, and "1" must not mean an option.
    prompt: ({ scratch }) => ({ text: `名单上有您。验证码已发到${scratch.rosterCandidate?.phoneMasked ?? ""}，请回复6位验证码；没收到回"重发"，手机不是您的回"跳过"` }),
    async read({ text }, { scratch }, env): Promise<Outcome> {
      const candidate = scratch.rosterCandidate!;
      const again = { stay: true, askAgain: true } as const;
      const typed = compact(text);
      if (CODE_REPLIES.resend.includes(typed)) return { ...again, events: [{ type: "roster_code_requested", rosterKey: candidate.key }], say: [{ kind: "text", text: CODE_REPLIES.resent }] };
      // Not their phone: the registration goes on as anyone's, and a coordinator checks who they are.
      if (SKIP_WORDS.includes(typed)) return { carry: {} };
      if (!/^\d{6}$/.test(typed)) return { error: "请回复短信里的6位数字" };
      const check = await env.ctx.lookups.checkRosterCode(candidate.key, typed);
      switch (check) {
        case "ok":
          return { answers: { rosterKey: candidate.key }, events: [{ type: "roster_code_confirmed", rosterKey: candidate.key, code: typed }], say: [{ kind: "text", text: "核实好了！再问您几个问题。" }] };
        case "wrong":
          return { ...again, events: [{ type: "roster_code_failed", rosterKey: candidate.key }], say: [{ kind: "text", text: CODE_REPLIES.wrong }] };
        case "expired":
        case "none":
          return { ...again, events: [{ type: "roster_code_requested", rosterKey: candidate.key }], say: [{ kind: "text", text: CODE_REPLIES.expired }] };
        case "locked":
          return { carry: {}, say: [{ kind: "text", text: "输错太多次了，协理员会帮您核实。" }] };
      }
    },
    // Proven: only what the roster does not know is asked. Not: the phone, as for anyone.
    next: ({ answers }) => (answers.rosterKey ? "occupations" : "phone"),
  },
  {
    id: "phone",
    field: "phone",
    prompt: () => ({ text: "请回复您的手机号码（11位）" }),
    given({ answers }, { ctx, inbound }) {
      // Given already with a 人工 request (请回复您的手机号码，协理员好打给您): the summary shows it.
      if (answers.phone) return {};
      const phone = ctx.capabilities.knowsPhone && inbound.phone ? normalizeMobile(inbound.phone) : null;
      return phone ? { phone } : undefined;
    },
    read({ text }) {
      const phone = readMobile(text);
      return phone ? { answers: { phone } } : { error: "手机号码是1开头的11位数字，请再发一次" };
    },
    next: () => "county",
  },
  countyStep,
  countyChoiceStep,
  townshipStep,
  {
    id: "village",
    field: "homeRegion",
    prompt: async ({ answers }, env) => ({
      text: "请选村（社区），或回复村名：",
      choices: villagesFirst(await regionChoices(answers.township!, env)),
    }),
    given: async ({ answers, scratch }, env) => {
      if (!answers.township || (await env.ctx.lookups.childrenOf(answers.township.code)).length === 0) return {};
      // 陈岱镇岱东村 at the township question: the village is answered too.
      const village = scratch.placeSaid ? await villageNamedIn(scratch.placeSaid, answers.township, env) : null;
      return village ? { village } : undefined;
    },
    read(reply) {
      const village = chosenRegion(reply);
      return village ? { answers: { village } } : { error: "没找到这个村，请回复数字" };
    },
    next: () => "povertyStatus",
  },
  {
    id: "povertyStatus",
    field: "poverty",
    prompt: () => ({
      text: "您家是建档立卡户吗？",
      choices: [
        { key: "registered", label: "建档立卡(未脱贫)" },
        { key: "lifted", label: "已脱贫" },
        { key: "monitored", label: "监测对象" },
        { key: "none", label: "不是" },
        { key: "unknown", label: "不清楚" },
      ] satisfies (Choice & { key: PovertyStatus })[],
    }),
    // The categories are asked again whenever the status is: a household outside the registry has none.
    read: (reply) =>
      chooseOne(reply, (key) => ({ answers: { povertyStatus: key as PovertyStatus, categories: undefined } })),
    fallback: { povertyStatus: "unknown", categories: undefined },
    next: ({ answers }) => (answers.povertyStatus === "none" ? "occupations" : "categories"),
  },
  {
    id: "categories",
    field: "poverty",
    multiple: true,
    prompt: () => ({
      text: "是否属于（可多选，如：1 3）：",
      choices: [
        { key: "minimumLivingAllowance", label: "低保" },
        { key: "extremeHardship", label: "特困" },
        { key: "disability", label: "残疾" },
        { key: "none", label: "都不是" },
      ],
    }),
    read({ chosen }) {
      if (chosen.length === 0) return { error: "请回复数字，可多选，如：1 3" };
      const categories = chosen.filter((choice) => choice.key !== "none").map((choice) => choice.key as WelfareCategory);
      if (categories.length > 0 && categories.length < chosen.length) return { error: '"都不是"不能和别的一起选，请再回复' };
      return { answers: { categories } };
    },
    fallback: { categories: [] },
    next: () => "occupations",
  },
  occupationsStep,
  {
    id: "occupationConfirm",
    field: "occupations",
    prompt({ scratch }) {
      const candidates = scratch.occupationCandidates ?? [];
      const typed = scratch.occupationsTyped ?? 1;
      if (scratch.occupationChoosing) {
        return {
          text: typed > 1 ? "是哪些？可多选或直接写" : "是下面哪个？都不是请直接写",
          choices: candidates.map((occupation) => ({ key: occupation.code, label: occupation.name })),
          ...(typed > 1 ? { multiple: true as const } : {}),
        };
      }
      const named = candidates.slice(0, typed).map((occupation) => occupation.name);
      return { text: `您想做的是：${named.join("、")}，对吗？`, choices: [yes("对"), no("不对")] };
    },
    read(reply, position) {
      const { occupationCandidates = [], occupationsTyped = 1 } = position.scratch;
      const [choice] = reply.chosen;
      if (!choice) return readJobTitle(reply.text);
      if (choice.key === "no") return { carry: { occupationCandidates, occupationsTyped, occupationChoosing: true } };
      if (choice.key === "yes") return { answers: { wishedOccupations: occupationCandidates.slice(0, occupationsTyped) }, confirmed: true };
      return { answers: { wishedOccupations: reply.chosen.map((picked) => occupationNamed(picked.key)) } };
    },
    fallback: { wishedOccupations: [] },
    next: afterJobs,
  },
  {
    id: "workRange",
    field: "workRange",
    prompt: () => ({
      text: "愿意去哪里工作？",
      choices: [
        { key: "homeCounty", label: "只在本县" },
        { key: "province", label: "本省都行" },
        { key: "anywhere", label: "外省也行" },
      ] satisfies (Choice & { key: WorkRange })[],
    }),
    async read(reply, { answers }, env) {
      const chosen = reply.chosen[0]?.key as WorkRange | undefined;
      // An option's number names no place: only words are looked up among the country's places.
      const placed = readOptionNumbers(reply.text) ? null : await rangeOfPlacesNamed(reply.text, answers.county, env);
      // A place named says how far "哪里都行" reaches ("福建哪里都行" is 本省); otherwise they must agree.
      const range = !placed || chosen === placed ? chosen ?? placed : !chosen || chosen === "anywhere" ? placed : null;
      return range ? { answers: { workRange: range } } : { error: NOT_A_CHOICE };
    },
    // Near home promises least: no job far away is pushed on a guess.
    fallback: { workRange: "homeCounty" },
    next: () => "wageFloor",
  },
  {
    id: "wageFloor",
    field: "wageFloor",
    prompt: () => ({ text: "每月工资最少要多少元？请回复数字，如：3000" }),
    read({ text }) {
      if (text.split(/[，,。.！!\s]+/u).filter(Boolean).every((clause) => ANY_PAY.test(compact(clause)))) return { answers: { wageFloor: 0 } };
      // A range or 三千多 says the least they would take: its low end.
      const pay = readPay(text);
      const wage = readAmount(text) ?? (pay?.unit === "month" ? pay.min : null);
      if (wage === null) return { error: "请回复每月最少要的工资，如：3000" };
      if (wage < WAGE_RANGE.min || wage > WAGE_RANGE.max) {
        return { error: `${wage}元不太对。请回复每月最少要的工资，如：3000` };
      }
      return { answers: { wageFloor: wage } };
    },
    next: () => "training",
  },
  {
    id: "training",
    field: "training",
    prompt: () => ({
      text: "想参加免费技能培训吗？想学什么也可直接写，如：电工",
      choices: [
        yes("想"),
        no("不想"),
      ],
    }),
    read({ text, chosen }, { answers }) {
      const training = readTraining(text, chosen);
      if ("error" in training) return training;
      if (!answers.rosterKey) return { answers: training };
      // The roster's person is done: nothing the roster knows needs checking over.
      const wishes: RosterWishes = {
        wishedOccupations: (answers.wishedOccupations ?? []).map((occupation) => occupation.code),
        workRange: answers.workRange ?? "homeCounty",
        wageFloor: answers.wageFloor ?? 0,
        ...training,
      };
      return { answers: training, events: [{ type: "roster_worker_registered", rosterKey: answers.rosterKey, wishes }], say: [{ kind: "text", text: ROSTER_DONE }] };
    },
    next: ({ answers, editing }) => (answers.rosterKey && !editing ? "home" : "summary"),
  },
  {
    id: "summary",
    prompt: ({ answers }, env) => ({
      text: ["请核对您的信息：", ...profileLines(viewOfAnswers(answers), TODAY(env))].join("\n"),
      choices: [yes("确认"), no("修改", ["改", "有错", ...NO_WORDS])],
    }),
    read: (reply, { answers }) =>
      chooseOne(reply, (key) =>
        key === "yes"
          ? {
              events: [{ type: "worker_registered", profile: profileOf(answers) }],
              say: [{ kind: "text", text: "登记成功！有合适的岗位会发给您。" }],
            }
          : { carry: { editReturn: "summary" } },
      ),
    next: ({ scratch }) => (scratch.editReturn ? "editField" : "home"),
  },
];

/** The registration step that asks a field: where 修改 starts re-answering it. */
export function firstStepOf(field: EditableField): StepId {
  return REGISTRATION_STEPS.find((step) => step.field === field)!.id;
}

