// A year as people say it, in the chat or a coordinator's form: 2019, 19年, 二零一九, 今年, 去年.

/** 〇 and 零 are 0, 一 to 九 are 1 to 9. */
const SPOKEN = "〇零一二三四五六七八九";

/** The year said (for a year of leaving school: 70 years back to 6 ahead of `thisYear`), or null. */
export function readYear(text: string, thisYear: number): number | null {
  const said = text
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}]/gu, "")
    .replace(/毕业|的|了|吧/gu, "")
    .replace(/[〇零一二三四五六七八九]{4}/gu, (digits) => [...digits].map((digit) => (digit === "〇" || digit === "零" ? 0 : SPOKEN.indexOf(digit) - 1)).join(""));
  const relative = Object.entries({ 今年: 0, 去年: -1, 前年: -2, 明年: 1 }).find(([word]) => said.startsWith(word))?.[1];
  if (relative !== undefined) return thisYear + relative;
  const full = /(?:^|\D)((?:19|20)\d{2})(?!\d)/u.exec(said);
  const short = /^(\d{2})年?$/u.exec(said);
  const year = full ? Number(full[1]) : short ? 2000 + Number(short[1]) : null;
  return year !== null && year >= thisYear - 70 && year <= thisYear + 6 ? year : null;
}
