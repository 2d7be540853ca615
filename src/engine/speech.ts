// How people's words differ from the menus' without meaning anything else: dialect (莫得 for 没有,
// 么子 for 什么, 晓得 for 知道) and the slips of pinyin input, which put a character of the same
// sound in place of the one meant (同衣 for 同意, 低宝 for 低保, 特捆 for 特困).
import READINGS_BY_SYLLABLE from "./data/pinyin.json" with { type: "json" };
import SPEECH from "./data/speech.json" with { type: "json" };

const FORMS = Object.entries(SPEECH as Record<string, string[]>)
  .flatMap(([standard, forms]) => forms.map((form) => [form, standard] as const))
  .sort(([a], [b]) => b.length - a.length);
const STANDARD = new Map(FORMS);
const FORM = new RegExp(FORMS.map(([form]) => form).join("|"), "gu");

/** The standard words for dialect ones, longest first: "都莫得" → "都没有". Text already compacted. */
export const standardSpeech = (text: string): string => text.replace(FORM, (form) => STANDARD.get(form)!);

const SYLLABLES = new Map<string, string[]>();
for (const [syllable, chars] of Object.entries(READINGS_BY_SYLLABLE as Record<string, string>)) {
  for (const char of chars) SYLLABLES.set(char, [...(SYLLABLES.get(char) ?? []), syllable]);
}

/** Whether two characters can be read alike, tones aside (保 and 宝; 厂 and 长 not). */
function soundAlike(a: string, b: string): boolean {
  if (a === b) return true;
  const readings = SYLLABLES.get(a);
  return readings !== undefined && (SYLLABLES.get(b) ?? []).some((syllable) => readings.includes(syllable));
}

/** Every index where the word occurs in the text by sound, character for character. */
export function* soundOccurrences(text: string, word: string): Generator<number> {
  for (let at = 0; at + word.length <= text.length; at++) {
    let alike = true;
    for (let i = 0; i < word.length && alike; i++) alike = soundAlike(text[at + i]!, word[i]!);
    if (alike) yield at;
  }
}
