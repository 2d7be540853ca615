// Rebuilds matching/data/occupations.json from the vendored occupation classification
// (matching/data/csco22.csv and csco22_aliases.csv; see matching/data/README.md for source and licence).
// Usage: node scripts/build-occupations.mjs
//
// The catalogue holds:
// - occupations: the leaves of the classification tree, i.e. the codes a job title can be mapped to.
//   These are the level-4 细类 plus the residual "其他……人员" 小类/中类, which have no 细类 under them
//   and are the code the classification itself prescribes for work it does not list.
// - groups: the 大类/中类/小类 that have occupations under them. Some everyday titles in the alias
//   file point at a group ("销售人员" → 4-01-02-00) rather than at one occupation; the matcher uses
//   those to favour the group's occupations.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseCsv } from "./csv.mjs";

const dataDir = join(dirname(fileURLToPath(import.meta.url)), "..", "matching", "data");

const readCsv = (file) => parseCsv(readFileSync(join(dataDir, file), "utf8").replace(/^\uFEFF/, ""));

// The 2022 edition marks green occupations "L", digital ones "S", both "L/S"; some sources write "（L）".
// Only strip a flag that follows a Chinese character, so Latin titles such as "CTO" or "UI" survive.
const stripFlag = (name) =>
  name.replace(/(?<=\p{Script=Han})\s*[（(]?\s*(?:L\s*\/\s*S|S\s*\/\s*L|L|S)\s*[)）]?$/iu, "").trim();

/** Task text reads "1.准备… 2.装配…": the numbering carries no meaning for matching. */
const stripNumbering = (text) => text.replace(/(?:^|\s)\d+[.、．]\s*/g, " ").replace(/\s+/g, " ").trim();

const codeAt = (code, depth) => {
  const parts = code.split("-");
  return parts.map((part, i) => (i < depth ? part : "00")).join("-");
};

const rows = readCsv("csco22.csv");
const aliasRows = readCsv("csco22_aliases.csv");

const byCode = new Map(rows.map((row) => [row.code, row]));
const parents = new Set();
for (const { code } of rows) {
  for (const depth of [1, 2, 3]) {
    const ancestor = codeAt(code, depth);
    if (ancestor !== code) parents.add(ancestor);
  }
}

const aliasesByCode = new Map();
const addAlias = (code, alias) => {
  const cleaned = stripFlag(alias);
  if (!cleaned) return;
  if (!aliasesByCode.has(code)) aliasesByCode.set(code, new Set());
  aliasesByCode.get(code).add(cleaned);
};
for (const row of rows) for (const alias of row.alias.split(",")) addAlias(row.code, alias);
for (const { alias, csco_code: code } of aliasRows) {
  if (byCode.has(code)) addAlias(code, alias);
  else console.warn(`alias "${alias}" points at unknown code ${code}: skipped`);
}

const aliasesOf = (code, name) => [...(aliasesByCode.get(code) ?? [])].filter((alias) => alias !== name);
const groupName = (code) => (byCode.has(code) ? stripFlag(byCode.get(code).name) : "");

const occupations = [];
const groups = [];
for (const row of rows) {
  const name = stripFlag(row.name);
  if (parents.has(row.code)) {
    groups.push({ code: row.code, name, aliases: aliasesOf(row.code, name) });
    continue;
  }
  const mid = codeAt(row.code, 2);
  const minor = codeAt(row.code, 3);
  occupations.push({
    code: row.code,
    name,
    aliases: aliasesOf(row.code, name),
    midName: mid === row.code ? "" : groupName(mid),
    minorName: minor === row.code || minor === mid ? "" : groupName(minor),
    description: stripNumbering([row.definition, row.tasks].filter(Boolean).join(" ")),
  });
}

const outFile = join(dataDir, "occupations.json");
const json = JSON.stringify({ occupations, groups });
writeFileSync(outFile, json + "\n");
const kib = (Buffer.byteLength(json) / 1024).toFixed(0);
console.log(`${occupations.length} occupations, ${groups.length} groups, ${kib} KiB → ${outFile}`);
