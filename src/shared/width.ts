// A Chinese keyboard types letters and digits full width (８, Ｘ): read as the ASCII they stand
// for. Chinese punctuation (，（）：) is left as written, for texts that are shown back.

/** Full-width letters and digits as ASCII; everything else as it is. */
export const halfWidthAlphanumerics = (text: string): string =>
  text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
