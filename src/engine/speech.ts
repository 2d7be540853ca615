// How people's words differ from the menus' without meaning anything else: dialect (莫得 for 没有,
// 么子 for 什么, 晓得 for 知道) and the slips of pinyin input, which put a character of the same
// sound in place of the one meant (同衣 for 同意, 低宝 for 低保, 特捆 for 特困).
import { pinyin } from "pinyin-pro";
import SPEECH from "./data/speech.json" with { type: "json" };

const FORMS = Object.entries(SPEECH as Record<string, string[]>)
  .flatMap(([standard, forms]) => forms.map((form) => [form, standard] as const))
  .sort(([a], [b]) => b.length - a.length);
const STANDARD = new Map(FORMS);
const FORM = new RegExp(FORMS.map(([form]) => form).join("|"), "gu");

/** The standard words for dialect ones, longest first: "都莫得" → "都没有". Text already compacted. */
export const standardSpeech = (text: string): string => text.replace(FORM, (form) => STANDARD.get(form)!);

const readings = new Map<string, string>();
/** A character's usual reading, tones aside; a rare one (县 as xuán) would make 县城 sound like 宣城. */
function reading(char: string): string {
  let read = readings.get(char);
  if (read === undefined) {
    read = /\p{Script=Han}/u.test(char) ? pinyin(char, { toneType: "none" }) : char;
    if (readings.size < 20_000) readings.set(char, read);
  }
  return read;
}

/** Whether two characters are read alike, tones aside (保 and 宝; 厂 and 长 not). */
const soundAlike = (a: string, b: string): boolean => a === b || reading(a) === reading(b);

/** Every index where the word occurs in the text by sound, character for character. */
export function* soundOccurrences(text: string, word: string): Generator<number> {
  for (let at = 0; at + word.length <= text.length; at++) {
    let alike = true;
    for (let i = 0; i < word.length && alike; i++) alike = soundAlike(text[at + i]!, word[i]!);
    if (alike) yield at;
  }
}
