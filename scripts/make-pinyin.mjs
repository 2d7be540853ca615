// Writes src/engine/data/pinyin.json: each toneless syllable with the GB2312 characters read so, from
// which the chat tells a pinyin-input slip (同衣 for 同意, 低宝 for 低保) from a new word. Run by hand
// when the table should change: npm exec --yes --package=pinyin-pro@3.29.4 -- node scripts/make-pinyin.mjs
import { writeFileSync } from "node:fs";
import { pinyin } from "pinyin-pro";
// The 6,763 characters of GB2312 (levels 1 and 2): what pinyin input methods offer first.
const decoder = new TextDecoder("gbk");
const chars = [];
for (let hi = 0xb0; hi <= 0xf7; hi++) for (let lo = 0xa1; lo <= 0xfe; lo++) {
  const char = decoder.decode(new Uint8Array([hi, lo]));
  if (/^\p{Script=Han}$/u.test(char)) chars.push(char);
}
const bySyllable = new Map();
for (const char of chars) {
  // Each character's usual reading only: a rare one (县 as xuán) would make 县城 sound like 宣城.
  const readings = pinyin(char, { toneType: "none", type: "array", v: true });
  for (const s of new Set(readings)) if (/^[a-z]+$/.test(s)) bySyllable.set(s, (bySyllable.get(s) ?? "") + char);
}
const sorted = Object.fromEntries([...bySyllable].sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(new URL("../src/engine/data/pinyin.json", import.meta.url), JSON.stringify(sorted).replace(/","/g, '",\n"') + "\n");
console.log(chars.length, "characters,", bySyllable.size, "syllables");
