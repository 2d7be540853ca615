// An employer registers once: name, kind, credit code (or a coordinator's confirmation instead),
// contact, place. Every prompt fits one SMS.
import { z } from "zod";
import { isValidCreditCode, normalizeMobile } from "../../shared/identifiers.ts";
import { chooseOne, noChoice as no, stateSchemas, type Step, yesChoice as yes } from "../flow.ts";
import { compact, matchChoiceWord, NO_WORDS, onlyManners, onlyQuestions, onlyYesOrNo, readPersonName, readMobile, type Choice } from "../input.ts";
import { placeOf, regionSteps } from "../regions.ts";
import type { Answers, EmployerKind, EmployerRegistration, RegionChoice } from "../types.ts";
import { employerOf, shortText, withEmployer } from "./employer-answers.ts";

/** The steps this flow owns. */
export const EMPLOYER_REGISTRATION_STEP_IDS = ["employerName", "employerKind", "creditCode", "contactName", "contactPhone", "employerCounty", "employerCountyChoice", "employerTownship", "employerAddress", "employerSummary"] as const;
export type EmployerRegistrationStep = (typeof EMPLOYER_REGISTRATION_STEP_IDS)[number];

/** An employer's answers while registering, under answers.employer. */
export interface EmployerAnswers {
  name?: string;
  kind?: EmployerKind;
  creditCode?: string | null;
  contactName?: string;
  contactPhone?: string;
  county?: RegionChoice;
  township?: RegionChoice;
  address?: string;
}
export const employerAnswersSchema = z
  .object({
    name: z.string(),
    kind: z.enum(["company", "workshop", "base", "cooperative", "broker", "publicWelfare"]),
    creditCode: z.string().nullable(),
    contactName: z.string(),
    contactPhone: z.string(),
    county: stateSchemas.region,
    township: stateSchemas.region,
    address: z.string(),
  })
  .partial();

const KIND_CHOICES: (Choice & { key: EmployerKind })[] = [
  { key: "company", label: "企业" },
  { key: "workshop", label: "帮扶车间" },
  { key: "base", label: "帮扶基地" },
  { key: "cooperative", label: "合作社" },
  { key: "broker", label: "劳务经纪人" },
];
export const EMPLOYER_KIND_TEXT = Object.fromEntries(KIND_CHOICES.map((choice) => [choice.key, choice.label])) as Record<
  EmployerKind,
  string
> & { publicWelfare?: string };

/** A unit's kind, where its name ends in it. */
const KIND_BY_NAME: [RegExp, EmployerKind][] = [
  [/(扶贫|帮扶|就业)?车间$/u, "workshop"],
  [/(扶贫|帮扶)基地$/u, "base"],
  [/合作社$/u, "cooperative"],
];

/** How a unit's name ends (车间, 厂, 公司…): first words that name no unit (我们厂要招人) are not taken as one. */
const UNIT_ENDING = /(车间|厂|公司|合作社|基地|店|部|中心|社|场|园|坊|所|队)$/u;

/**
 * The unit's name in a sentence that says more (我是阳下村扶贫车间的，想招几个人): the first clause,
 * without 我是 before it and 的 after it. Null when that leaves too little to be a name.
 */
function unitNamed(text: string): string | null {
  const [first = ""] = text.trim().split(/[，,。.！!？?；;\s]+/u);
  const name = first.replace(/^(就是|我们是|我是|这里是|名字是|名称是|叫做|叫|我们|我在)/u, "").replace(/(的人|的老板|老板|负责人|的)$/u, "");
  return name.length >= 2 && name.length <= 40 && name !== text.trim() ? name : null;
}

const NO_CODE_WORDS = ["没有", "无", "没", "没有代码", "不知道", ...NO_WORDS];

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

const [employerCounty, employerCountyChoice, employerTownship] = regionSteps({
  ids: { county: "employerCounty", countyChoice: "employerCountyChoice", township: "employerTownship" },
  countyPrompt: "单位在哪个县（区）？请回复县名，如：云霄县",
  townshipPrompt: "在哪个乡镇？",
  read: employerOf,
  write: (answers, place) => withEmployer(answers, place),
  afterTownship: "employerAddress",
  // A unified social credit code's third to eighth characters are its registering office's division.
  countyOffer: { code: (answers) => employerOf(answers).creditCode?.slice(2, 8), question: (county) => `单位在${county}吗？不是请回复县名` },
});

export const EMPLOYER_REGISTRATION_STEPS: Step[] = [
  {
    id: "employerName",
    // 我是阳下村扶贫车间的，想招几个人 as the first words: the unit is named already.
    given: ({ answers, scratch }) => {
      const name = scratch.employerSaid ? unitNamed(scratch.employerSaid) : null;
      return name && UNIT_ENDING.test(name) ? withEmployer(answers, { name }) : undefined;
    },
    prompt: () => ({ text: "请回复单位名称，如：莆美镇竹编帮扶车间" }),
    read: ({ text }, { answers }) => {
      // 好的 or 同意 answers the welcome before; 你好 or 什么意思 names nothing.
      if (onlyYesOrNo(text) || onlyManners(text) || onlyQuestions(text)) return { error: "请回复单位名称，如：莆美镇竹编帮扶车间" };
      const name = unitNamed(text) ?? shortText(text, 40);
      return name ? { answers: withEmployer(answers, { name }) } : { error: "请回复单位名称（40字以内）" };
    },
    next: () => "employerKind",
  },
  {
    id: "employerKind",
    prompt: () => ({ text: "单位是哪一类？", choices: KIND_CHOICES }),
    // 阳下村扶贫车间, 莆美竹编合作社: the name says what kind of unit it is (a 公司 may still be a broker's).
    given: ({ answers }) => {
      const kind = KIND_BY_NAME.find(([ending]) => ending.test(answers.employer?.name ?? ""))?.[1];
      return kind ? withEmployer(answers, { kind }) : undefined;
    },
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
      const contactPhone = readMobile(text);
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
      // The county and township were answered already: "云陵镇中山路8号" is kept as 中山路8号, not said twice.
      const { county, township } = employerOf(answers);
      const typed = [county?.name, township?.name].reduce<string>((rest, name) => (name && rest.startsWith(name) ? rest.slice(name.length) : rest), text.trim());
      const address = shortText(typed, 40) ?? shortText(text, 40);
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
];
