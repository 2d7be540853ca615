// Forgiving reading of what people type on a phone: 全角 digits, Chinese numerals, "1." "1、" "①"
// "（1）", stray spaces and punctuation, a choice typed as its word or with a one-character slip.
import YES_NO from "./data/yes-no.json" with { type: "json" };
import { soundOccurrences, standardSpeech } from "./speech.ts";
import { normalizeMobile } from "../shared/identifiers.ts";

/** NFKC folds 全角 to 半角 and ① to 1; Latin is lower-cased and whitespace collapsed. */
export function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * A mobile number typed in any way people type one: 139 0600 3003, 139-0600-3003, 我的电话是13906003003,
 * 一三九零六零零三零零三 (as it is said, where most of it is so written), or with the full stop voice
 * input adds. Its digits alone are read, so two numbers are none.
 */
export const readMobile = (text: string): string | null => {
  const folded = fold(text);
  const spoken = (folded.match(SPOKEN_DIGIT) ?? []).length >= 7 ? folded.replace(SPOKEN_DIGIT, (digit) => String(SPOKEN_DIGITS[digit])) : folded;
  return normalizeMobile(spoken.replace(/[^\d+]/g, ""));
};

/** Only letters and digits remain: punctuation, symbols and spaces go. */
export function compact(text: string): string {
  return fold(text).replace(/[^\p{L}\p{N}]/gu, "");
}

const CHINESE_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 幺: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  // as amounts are written on receipts and wage slips (叁仟伍佰), beside their units 拾佰仟 below
  壹: 1, 贰: 2, 貳: 2, 叁: 3, 參: 3, 肆: 4, 伍: 5, 陆: 6, 陸: 6, 柒: 7, 捌: 8, 玖: 9,
};
/** The numerals' digits, and those said over a radio or a phone line (洞 for 0, 拐 for 7, 勾 for 9). */
const SPOKEN_DIGITS: Record<string, number> = { ...CHINESE_DIGITS, 洞: 0, 拐: 7, 勾: 9 };
const SPOKEN_DIGIT = new RegExp(`[${Object.keys(SPOKEN_DIGITS).join("")}]`, "gu");
const CHINESE_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000, k: 1000 };
const MYRIAD = new Set(["万", "w"]);

/**
 * A number written with Arabic digits, Chinese numerals or both: "3000", "三千", "3千", "3.5k",
 * "三千五" (= 3500, the shorthand that drops the last unit), "两万", "1w5". Null for anything else.
 */
export function readNumber(text: string): number | null {
  const tokens = fold(text).replace(/[\s,，]/g, "").match(/\d+(?:\.\d+)?|./gu);
  if (!tokens) return null;
  let total = 0; // whole 万s
  let section = 0; // below 万
  let current: number | null = null;
  let lastUnit = 1;
  let afterUnit = false;
  for (const token of tokens) {
    const digit = CHINESE_DIGITS[token];
    const unit = CHINESE_UNITS[token];
    if (/^\d/.test(token) || digit !== undefined) {
      const value = digit ?? Number(token);
      // Consecutive Chinese digits read positionally: 三零零零 = 3000.
      current = current !== null && digit !== undefined && !afterUnit ? current * 10 + value : value;
      afterUnit = false;
    } else if (unit !== undefined) {
      section += (current ?? 1) * unit;
      current = null;
      lastUnit = unit;
      afterUnit = true;
    } else if (MYRIAD.has(token)) {
      total += (section + (current ?? (section ? 0 : 1))) * 10_000;
      section = 0;
      current = null;
      lastUnit = 10_000;
      afterUnit = true;
    } else {
      return null;
    }
  }
  if (current !== null) {
    // "三千五", "1w5": a single trailing digit counts in the unit below the last one.
    const shorthand = lastUnit >= 100 && current < 10 && tokens.at(-2) !== undefined && !/\d/.test(tokens.at(-2)!);
    section += shorthand ? (current * lastUnit) / 10 : current;
  }
  return Math.round(total + section);
}

/** Words around an amount of money that say nothing about it. */
const MONEY_NOISE = /(人民币|rmb|元|块钱|块|钱|每个?月|一个月|月薪|工资|\/月|月|左右|以上|起|至少|最少|最低|要|能有|大概|大约|差不多|就行|就可以|就好|也行|吧|啊|呀)/gu;

/** A monthly amount in yuan: "3000", "三千", "3千", "3k", "4000元", "三千五左右" → integer or null. */
export function readAmount(text: string): number | null {
  const cleaned = fold(text).replace(/(\d),(\d{3})/g, "$1$2").replace(MONEY_NOISE, "");
  return readNumber(cleaned);
}

/**
 * The option numbers in a reply: "1", "①", "1.", "1、", "（1）", "第一个", "三" → [n]; for several
 * choices "1 3", "1、3", "1,3" or "13" (menus number at most 9 options, so each digit is one).
 * Null when the reply is not made of option numbers.
 */
export function readOptionNumbers(text: string): number[] | null {
  const parts = fold(text)
    .split(/[\s,，、;；/和与及]+/u)
    .map((part) => compact(part).replace(/^第/, "").replace(/(个|项|号|种)$/, ""))
    .filter((part) => part.length > 0);
  if (parts.length === 0) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    if (part === "十") return null; // never an option number
    for (const char of part) {
      const value = /\d/.test(char) ? Number(char) : CHINESE_DIGITS[char];
      if (value === undefined) return null;
      numbers.push(value);
    }
  }
  return numbers;
}

/** The words that answer any yes/no question (data/yes-no.json; a menu adds its own). */
export const YES_WORDS: readonly string[] = YES_NO.yes;
export const NO_WORDS: readonly string[] = YES_NO.no;

export interface Choice {
  key: string;
  label: string;
  /** Other words that pick this choice ("对" for "1 对", "贫困户" for "建档立卡"). */
  words?: readonly string[];
}

/** Whether one word is the other with one character changed, added or dropped: a slip of the thumb. */
function oneSlipApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  // After the first difference: one character changed, or one added to either side.
  if (a.length === b.length) return a.slice(same + 1) === b.slice(same + 1);
  return a.length > b.length ? a.slice(same + 1) === b.slice(same) : a.slice(same) === b.slice(same + 1);
}

/** The one choice scoring highest (each choice by its best word), or null when none or several tie. */
function best<C>(scored: { choice: C; score: number }[]): C | null {
  const byChoice = new Map<C, number>();
  for (const { choice, score } of scored) byChoice.set(choice, Math.max(score, byChoice.get(choice) ?? score));
  const ranked = [...byChoice].sort(([, a], [, b]) => b - a);
  const [first, second] = ranked;
  return first && (!second || second[1] !== first[1]) ? first[0] : null;
}

/**
 * A negation a few characters before a word turns it round: "不出省" does not pick 出省, "不想去外省"
 * does not pick 外省, "除了工地" does not pick 工地. 不管/无论/不限/不错/无所谓 say "any" or "fine",
 * and 没事/没钱/没活 say how things are: none of them is a "no".
 */
const NEGATION = /(?:除了|除开|除去|不|没|别|莫|勿|未|非|无)(?![管论限错所事钱活])/u;
const NEGATION_REACH = 4;
/** A question asked as "A not A" (有没有, 要不要, 可不可以) negates nothing. */
const A_NOT_A = /(\p{L})[不没]\1/gu;
const negates = (text: string) => NEGATION.test(text.replace(A_NOT_A, "$1"));

/** Whether a reply says "not" somewhere ("不想进厂"): free text that does is never read as a wish. */
export const hasNegation = (text: string): boolean => negates(said(text));

/** A negation just after a word refuses it too: "工地不去", "厂里不去", "低保没有" (but not 没问题). */
const REFUSED_AFTER = /^.?(?:不|没|别)(?![管论限错问关])/u;

function* exactOccurrences(text: string, word: string): Generator<number> {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) yield at;
}

/**
 * Where the word occurs in the clause (as written, or by sound: a pinyin slip) with no negation just
 * before it or after it; -1 if nowhere.
 */
function plainOccurrence(clause: string, word: string, bySound = false): number {
  for (const at of bySound ? soundOccurrences(clause, word) : exactOccurrences(clause, word)) {
    const before = clause.slice(Math.max(0, at - NEGATION_REACH), at);
    const after = clause.slice(at + word.length);
    if (!negates(before) && !(REFUSED_AFTER.test(after) && !negates(word))) return at;
  }
  return -1;
}
const occursPlainly = (clause: string, word: string) => plainOccurrence(clause, word) >= 0;

/**
 * A clause asking what something is ("么子是建档立卡") names it without choosing it; so does one that
 * hesitates ("想去广东又怕走太远"), one asking who we are (你是谁: its 是 is no yes), and a yes put as
 * a question (可以吗, 同意吗): asked again, never read.
 */
const ASKING = /什么是|是什么|什么叫|叫什么|什么意思|不懂什么|又怕|就怕|但怕|怕是|不一定|说不准|拿不准|是谁|你谁|谁啊|谁呀|(好|可以|行|是|对|同意|确认|确定|中)吗/u;

/**
 * A clause that asks rather than answers: at a yes-or-no question it is no answer. The same words
 * followed by 都 or 也 say "any" (哪里都行, 什么活都干), and 没什么 "not much": those are answers.
 */
const QUESTION = /(吗|呢)$|为什么|为啥|(?<!没)(什么|哪|怎么|多少|谁)(?!\p{Script=Han}?[都也])/u;

/** Whether a reply names the word as it is written (no slip, no sound-alike), and not to refuse it. */
export const namesPlainly = (text: string, word: string): boolean => wordsNamedPlainly(text, [word]).length > 0;

/** Which of these words (names of places, say) a reply names as written: its clauses read once. */
export function wordsNamedPlainly(text: string, words: readonly string[]): string[] {
  const clauses = clausesOf(text);
  return words.filter((word) => clauses.some((clause) => occursPlainly(clause, said(word))));
}

/**
 * Greetings say nothing: 你好 typed mid-conversation is hello, not the 好 of yes, which at
 * 方便他们联系您吗？ would give the worker's phone to an employer.
 */
const GREETINGS = /你们好|你好|您好|大家好|哈喽|哈啰/gu;

/** A reply that is nothing but a greeting (你好！): hello, never a name, a title or an address. */
export function onlyGreeting(text: string): boolean {
  const typed = compact(text);
  return typed !== "" && typed.replace(GREETINGS, "") === "";
}

/** Thanks, an OK and a goodbye: the words of manners, and what each gets said back. */
const THANKS = "谢谢|谢啦|谢了|多谢|感谢|感恩|辛苦了|辛苦|麻烦了|麻烦";
const OK = "好的|好滴|好嘞|好吧|好|收到|知道了|知道|晓得了|晓得|明白了|明白|了解|嗯|哦|噢|喔|ok|okay|行";
const BYE = "再见|拜拜|886|88";
const COURTESY = new RegExp(`^(?:${THANKS}|${OK}|${BYE}|你们|你|您|了|啦|呀|啊)+$`, "u");
const SAYS_THANKS = new RegExp(THANKS, "u");
const SAYS_BYE = new RegExp(BYE, "u");
const SAYS_OK = new RegExp(OK, "u");

/**
 * A reply that is nothing but manners (你好, 谢谢！, 好的, 收到, 嗯嗯, 好的谢谢, 拜拜): what to say back
 * before a person's menu (不客气！需要什么请回复数字), or null for anything else. People send these
 * after a notice; at their menu it is no misread answer.
 */
export function courtesyReply(text: string): string | null {
  const typed = compact(text);
  if (typed === "") return null;
  if (onlyGreeting(typed)) return "您好！需要什么请回复数字";
  if (!COURTESY.test(typed)) return null;
  if (SAYS_THANKS.test(typed)) return "不客气！需要什么请回复数字";
  if (SAYS_BYE.test(typed)) return "再见！有事随时回复数字";
  return SAYS_OK.test(typed) ? "好的。需要什么请回复数字" : null;
}

/** Nothing but a greeting, thanks, an OK or a goodbye: never a name, a title or an address. */
export const onlyManners = (text: string): boolean => courtesyReply(text) !== null;

const saidCache = new Map<string, string>();
/**
 * What a reply or a word says, for comparing them: compacted, dialect made standard (莫得 → 没有),
 * greetings left out. Remembered: the same menu words are compared with every reply.
 */
function said(text: string): string {
  let spoken = saidCache.get(text);
  if (spoken === undefined) {
    spoken = standardSpeech(compact(text)).replace(GREETINGS, "");
    if (saidCache.size < 50_000) saidCache.set(text, spoken);
  }
  return spoken;
}

/** The clauses of a reply, each as said, questions too. */
const allClausesOf = (text: string) =>
  fold(text)
    .split(/[\s,，。.;；!！?？、…~～]+/u)
    .map(said)
    .filter(Boolean);

/** The clauses of a reply, each as said: "不想在本县，外省也行" → 不想在本县 | 外省也行. Questions left out. */
const clausesOf = (text: string) => allClausesOf(text).filter((clause) => !ASKING.test(clause));

/** A reply that only asks (要钱吗, 去哪里学, 什么意思): no answer in it, and no text to keep as one. */
export function onlyQuestions(text: string): boolean {
  const clauses = allClausesOf(text);
  return clauses.length > 0 && clauses.every((clause) => ASKING.test(clause) || QUESTION.test(clause));
}

/**
 * What closes a clause without choosing anything: "省内都可以" names 省内, and its 都可以 only says
 * it is fine. Read without it first, so that a named option outweighs the longer "any" word.
 */
const QUALIFIER = /(都可以|都行|也行|也可以|就行|就可以|都成|也成|都中|也中|都好|吧|啊|呀|哈|呢|嘛|哦|噻|撒|的)+$/u;

/** A reply without the words that close it without meaning anything ("学养殖嘛" → 学养殖). */
export const withoutQualifier = (text: string): string => compact(text).replace(QUALIFIER, "") || compact(text);

/**
 * The choice a reply names by word: exactly ("女"), inside a longer reply ("我想做家政服务"), as
 * part of a longer label ("家政" for 家政服务), or with one character wrong in a word of three or
 * more ("以脱贫" for 已脱贫). A word after a negation does not count ("不出省" is not 出省), and
 * clauses naming different choices ("不是贫困户，是已脱贫") are too unsure to read: null, as when
 * no choice or several fit.
 */
export function matchChoiceWord<C extends Choice>(text: string, choices: readonly C[]): C | null {
  const reply = said(text);
  if (!reply) return null;
  const named = wordsOf(choices);
  const exact = named.filter(({ word }) => word === reply);
  if (exact.length > 0) return best(exact.map(({ choice }) => ({ choice, score: 0 })));

  // In each clause, the longest word it contains plainly ("我不想" contains 不想 and 想: 不想 wins).
  const picks = new Set<C>();
  let clauseTied = false;
  const containedIn = (clause: string) => named.filter(({ word }) => (!SAID_ALONE.has(word) || [...clause].every((char) => char === word)) && occursPlainly(clause, word));
  // A yes-or-no question answered with a question (要钱吗, 去哪里学) has no answer in it yet.
  const yesOrNo = choices.some((choice) => choice.key === "yes") && choices.some((choice) => choice.key === "no");
  const clauses = clausesOf(text).filter((clause) => !(yesOrNo && QUESTION.test(clause)));
  // Nothing but questions (可以吗 is one slip from 可以的): asked again, not read by the near words below.
  if (clauses.length === 0) return null;
  for (const clause of clauses) {
    const core = clause.replace(QUALIFIER, "");
    const fromCore = core && core !== clause ? containedIn(core) : [];
    const contained = fromCore.length > 0 ? fromCore : containedIn(clause);
    const pick = best(contained.map(({ choice, word }) => ({ choice, score: word.length })));
    if (pick) picks.add(pick);
    else if (contained.length > 0) clauseTied = true;
  }
  if (picks.size === 1 && !clauseTied) return [...picks][0]!;
  if (picks.size > 0 || clauseTied) return null;

  // A reply that is part of a longer word ("家政" for 家政服务), then a slip of one character (never
  // one that would drop or add a negation).
  const containing = reply.length >= 2 ? named.filter(({ word }) => word.includes(reply)) : [];
  const negated = negates(reply);
  const near =
    reply.length >= 3 ? named.filter(({ word }) => word.length >= 3 && negates(word) === negated && oneSlipApart(word, reply)) : [];
  return (
    best(containing.map(({ choice }) => ({ choice, score: 0 }))) ??
    best(near.map(({ choice }) => ({ choice, score: 0 }))) ??
    bySound(reply, clauses, named)
  );
}

/** Words that answer only said alone (中, 中中): Henan's yes is also the 中 of 中午, 中间 and 中专 (管中午饭 is no yes). */
const SAID_ALONE = new Set(["中"]);

/** How much longer than the word a reply matched by sound may be ("是低宝" for 低保). */
const SOUND_SLACK = 2;

/** Each choice's words as said, its label first. */
function wordsOf<C extends Choice>(choices: readonly C[]): { choice: C; word: string }[] {
  return choices
    .flatMap((choice) => [choice.label, ...(choice.words ?? [])].map((word) => ({ choice, word: said(word) })))
    .filter(({ word }) => word.length > 0);
}

/**
 * The choice a word of two or more characters names by sound ("同衣" for 同意), the longest word
 * winning. Only in a short reply: in a sentence, a word of the same sound is more often another
 * word ("有没有招人的" is not 找人).
 */
function bySound<C extends Choice>(reply: string, clauses: readonly string[], named: readonly { choice: C; word: string }[]): C | null {
  const heard = named.filter(
    ({ word }) => word.length >= 2 && reply.length <= word.length + SOUND_SLACK && clauses.some((clause) => plainOccurrence(clause, word, true) >= 0),
  );
  return best(heard.map(({ choice, word }) => ({ choice, score: word.length })));
}

/**
 * Every choice a reply names, for a menu where several may be picked: "特困还有残疾" names 特困 and
 * 残疾 (its 残疾 inside 有残疾 counts once). A word that only says "no" (没有, 不是) is the answer
 * only when nothing else is named: in "没有低保，有残疾证" it refuses 低保, it does not pick 都不是.
 */
export function matchChoiceWords<C extends Choice>(text: string, choices: readonly C[]): C[] {
  const named = wordsOf(choices).sort((a, b) => b.word.length - a.word.length);
  const picked: { choice: C; refusal: boolean }[] = [];
  for (const clause of clausesOf(text)) {
    const taken = new Array<boolean>(clause.length).fill(false);
    for (const { choice, word } of named) {
      const at = plainOccurrence(clause, word);
      if (at < 0 || taken.slice(at, at + word.length).some(Boolean)) continue;
      taken.fill(true, at, at + word.length);
      picked.push({ choice, refusal: negates(word) });
    }
  }
  const chosen = picked.some(({ refusal }) => !refusal) ? picked.filter(({ refusal }) => !refusal) : picked;
  return [...new Set(chosen.map(({ choice }) => choice))];
}

/** Characters that only colour a sentence (了, 的, 吗): no sign of which option was meant. */
const PARTICLES = new Set("了的吗呢吧啊呀哦嘛么");

/**
 * The choice a reply most likely meant, for a question asked back ("您是说"外省也行"吗？") after it
 * was not understood: the one sharing the largest part of its characters with the reply. Null when
 * nothing is shared or two choices tie.
 */
export function guessChoice<C extends Choice>(text: string, choices: readonly C[]): C | null {
  // Particles mean nothing shared: 太远了 is no 错了 (修改信息).
  const meaningful = (chars: string) => new Set([...chars].filter((char) => !PARTICLES.has(char)));
  const reply = meaningful(said(text));
  if (reply.size === 0) return null;
  const scored = wordsOf(choices).map(({ choice, word }) => {
    const chars = meaningful(word);
    const shared = [...chars].filter((char) => reply.has(char)).length;
    return { choice, score: shared / Math.max(chars.size, reply.size) };
  });
  return best(scored.filter(({ score }) => score >= 0.3));
}

/** What people say around their name: 我叫…, 我的名字是…, 姓名：…, and the full stop voice input ends a sentence with. */
const AROUND_NAME = /^(?:[你您]好[\s,，!！。]*)?(?:我的?(?:名字|姓名)?(?:叫做?|是)|(?:名字|姓名)(?:叫做?|是)?:?|本人)\s*|[\s。.!！~～,，]+$/gu;

/** A bare yes or no (同意, 好的, 不是): an answer to the question before, never a name. */
export const onlyYesOrNo = (text: string): boolean => {
  const word = compact(text);
  const bare = word.replace(/[了啦吧啊呀哦嘛]+$/u, ""); // 同意了, 可以啊
  return [word, bare].some((said) => YES_WORDS.includes(said) || NO_WORDS.includes(said));
};

/**
 * A person's name as typed: 2–10 Chinese characters (spaces dropped, the dots of minority names
 * made ·), or a Latin name. Null when it is not a name (a greeting or a thank-you is not).
 */
export function readPersonName(text: string): string | null {
  if (onlyYesOrNo(text)) return null;
  const typed = text.normalize("NFKC").trim().replace(AROUND_NAME, "").replace(/\s+/g, " ");
  const name = /\p{Script=Han}/u.test(typed) ? typed.replace(/\s/g, "").replace(/[.•・]/g, "·") : typed;
  if (onlyManners(name)) return null;
  return /^[\p{Script=Han}·]{2,10}$/u.test(name) || /^[A-Za-z][A-Za-z .'-]{1,9}$/.test(name) ? name : null;
}

// ---------------------------------------------------------------------------------------------------
// What employers type about a vacancy

export type PayUnit = "month" | "day" | "hour" | "piece";
export interface Pay {
  min: number | null;
  max: number | null;
  unit: PayUnit;
}

const PAY_UNITS: [RegExp, PayUnit][] = [
  // 5元一个, 编一个篮子5块: so much a thing made (一个月, 一个人 are no pieces)
  [/计件|按件|一件|每件|件|(一|每)(个|只|双|条|斤|箱|把|串)(?!月|人|工|小时|钟|星期)/u, "piece"],
  [/小时|钟头|时薪/u, "hour"],
  [/日结|日薪|一天|每天|天|日/u, "day"],
];

/** The separators of a range: "3000-4500", "3000到4500", "3000~4500", "3000至4500". */
const RANGE = /\s*(?:-|—|–|~|～|到|至)\s*/u;

/** Who earns an amount, by skill (新手2500, 熟手4000). */
const SKILL_WORDS = "熟手|熟练工?|新手|学徒|生手|老手|师傅";

/** The words around an amount of pay, which say its unit, who earns it or how near it is, not how much. */
const PAY_WORDS = new RegExp(
  `(计件|按件|日结|日薪|时薪|月薪|工资|底薪|保底|综合|${SKILL_WORDS}|一般|平均|收入|到手|能|可以|可|拿到?|挣|赚|达到?|的|每个?|一个?|\\/|元|块钱|块|左右|上下|差不多|大概|大约|约|以上|起|多|余|来|小时|钟头|件|天|日|月|薪|:|：)`,
  "gu",
);

/** A clause about what one level of skill earns. */
const SKILL_LEVEL = new RegExp(`^(${SKILL_WORDS})`, "u");

/** What closes a clause of a reply about pay ("5000到8000，包吃住"). */
const PAY_CLAUSE_END = /[，,；;。、！!]+/u;

/** The amount, or the range of amounts, a clause names ("月薪三千到四千五" → 3000, 4500); null when it names none. */
function amountsIn(clause: string, piece = false): { low: number; high: number } | null {
  const bare = clause.replace(PAY_WORDS, " ").trim();
  // 编篮子5: a piece rate's one number among the words for the thing made is the amount.
  const numbers = piece ? (bare.match(/\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+/gu) ?? []) : [];
  const parts = (numbers.length === 1 && !RANGE.test(bare) ? numbers : bare.split(RANGE)).map((part) => part.trim());
  // A range needs both ends: "-5" or "3000-" says too little.
  if (parts.length > 2 || parts.some((part) => !part)) return null;
  const [low, high] = parts.map((part) => readNumber(part.replace(/\s/g, "")));
  if (low === null || low === undefined || high === null || low <= 0) return null;
  const max = high ?? low;
  return max < low ? { low: max, high: low } : { low, high: max };
}

/**
 * Pay as employers write it: "3000-4500元/月", "月薪三千到四千五", "150元/天", "日结200",
 * "20元一小时", "计件" (a piece rate may name no amount), "5000到8000，包吃住" (the first clause
 * with an amount is the pay; board is asked on its own). Null when no amount can be read.
 */
export function readPay(text: string): Pay | null {
  const folded = fold(text).replace(/(\d),(\d{3})/g, "$1$2");
  const named = PAY_UNITS.find(([pattern]) => pattern.test(folded))?.[1] ?? "month";
  // "计件，一个月两千多": piece work, and what it brings a month; the amount is the month's.
  const unit = named === "piece" && /月/u.test(folded) ? "month" : named;
  // 计件 said, and no amount that reads ("计件，多劳多得", "5毛一件"): a piece rate all the same.
  const pieceAlone = named === "piece" ? { min: null, max: null, unit: named } : null;
  const clauses = folded.split(PAY_CLAUSE_END);
  // "新手2500，熟手4000": what a beginner and a skilled hand earn, one range; else the first amount named.
  const bySkill = clauses.filter((clause) => SKILL_LEVEL.test(clause)).map((clause) => amountsIn(clause)).filter((found) => found !== null);
  const amounts =
    bySkill.length >= 2
      ? { low: Math.min(...bySkill.map((found) => found.low)), high: Math.max(...bySkill.map((found) => found.high)) }
      : clauses.map((clause) => amountsIn(clause, named === "piece")).find((found) => found !== null);
  if (!amounts) return pieceAlone;
  // A piece rate is often a fraction of a yuan (0.5, 5毛), which whole-yuan amounts cannot hold: 计件 says it.
  if (unit === "piece" && /\d\.\d|[\d零〇一二两三四五六七八九十]\s*(毛|角)/u.test(folded)) return pieceAlone;
  // "计件，熟手四千": a piece pays yuan, or tens of them; an amount in the thousands is what it brings a month.
  const monthsPay = unit === "piece" && amounts.high >= 1000;
  return { min: amounts.low, max: amounts.high, unit: monthsPay ? "month" : unit };
}

/** "18-50", "18到50岁", "50岁以下", "18岁以上", "不限" → the limits (null: none). Null when unreadable. */
export function readAgeRange(text: string): { min: number | null; max: number | null } | null {
  const folded = compact(text.replace(RANGE, "-"));
  if (/^(不限|没有|无|都行|都可以|随便)$/u.test(folded)) return { min: null, max: null };
  const numbers = text
    .replace(/周岁|岁/gu, "")
    .split(RANGE)
    .map((part) => readNumber(part.replace(/(以下|以内|以上|之间|内|下|上|[\s:：])/gu, "")));
  if (numbers.some((n) => n === null)) return null;
  const valid = (n: number) => n >= 16 && n <= 75;
  if (numbers.length === 2) {
    const [a, b] = numbers as [number, number];
    return valid(a) && valid(b) && a <= b ? { min: a, max: b } : null;
  }
  const [n] = numbers as [number];
  if (!valid(n)) return null;
  if (/(以下|以内|之内|下)/u.test(text)) return { min: null, max: n };
  if (/(以上|上)/u.test(text)) return { min: n, max: null };
  return null;
}

/**
 * A deadline: "12月31日", "12.31", "2026-12-31", "月底", "一个月" (from today); "长期" is none.
 * A date without a year is the next one to come. Returns YYYY-MM-DD, null for 长期, or "past"/"unreadable".
 */
/** The first day of the Spring Festival (正月初一), the years a vacancy posted now may run to. */
const SPRING_FESTIVALS = ["2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26", "2029-02-13", "2030-02-03", "2031-01-23", "2032-02-11", "2033-01-31", "2034-02-19", "2035-02-08", "2036-01-28"];

export function readDeadline(text: string, today: Date): string | null | "past" | "unreadable" {
  const folded = compact(text.replace(/[-./]/g, "-")).replace(/号$/, "日");
  if (/^(长期|长期招|一直招|不限|没有|无)$/u.test(folded)) return null;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const todayStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (folded === "月底" || folded === "这个月底") {
    return day(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0)));
  }
  if (/^(年底|今年底|年末)(前)?$/u.test(folded)) return day(new Date(Date.UTC(today.getUTCFullYear(), 11, 31)));
  // 过年前: the eve of the next Spring Festival (a lunar date, so looked up).
  if (/^(过年|春节|年)前$|^过年$/u.test(folded)) {
    const festival = SPRING_FESTIVALS.map((date) => Date.parse(`${date}T00:00:00Z`)).find((at) => at - 86_400_000 >= todayStart);
    return festival === undefined ? "unreadable" : day(new Date(festival - 86_400_000));
  }
  const span = /^(.+?)(个月|周|星期|天)$/u.exec(folded);
  if (span) {
    const n = readNumber(span[1]!);
    if (n === null || n <= 0) return "unreadable";
    const days = span[2] === "个月" ? n * 30 : span[2] === "天" ? n : n * 7;
    return day(new Date(todayStart + days * 86_400_000));
  }
  const written = fold(text).replace(/[./／]/g, "-").replace(/\s/g, "").replace(/号$/, "日");
  const full = /^(\d{4})(?:年|-)(\d{1,2})(?:月|-)(\d{1,2})日?$/u.exec(written);
  const short = /^([^月日-]{1,3})(?:月|-)([^月日-]{1,3})日?$/u.exec(written);
  let year: number;
  let month: number | null;
  let date: number | null;
  if (full) [year, month, date] = [Number(full[1]), Number(full[2]), Number(full[3])];
  else if (short) [year, month, date] = [today.getUTCFullYear(), readNumber(short[1]!), readNumber(short[2]!)];
  else return "unreadable";
  if (month === null || date === null || month < 1 || month > 12 || date < 1 || date > 31) return "unreadable";
  let at = Date.UTC(year, month - 1, date);
  if (new Date(at).getUTCDate() !== date) return "unreadable";
  if (!full && at < todayStart) at = Date.UTC(year + 1, month - 1, date);
  if (at < todayStart) return "past";
  return day(new Date(at));
}
