// Spreadsheets officials open in Excel: UTF-8 with a byte-order mark (without it Excel reads the
// Chinese as mojibake), CRLF lines, fields quoted where they must be. A text that begins like a
// formula (=, +, -, @) is written with a leading apostrophe: a name a stranger typed into the chat
// must not run as a formula on an official's PC.
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(lines: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${lines.map((fields) => fields.map(csvField).join(",")).join("\r\n")}\r\n`;
}
