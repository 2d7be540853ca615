// Rebuilds matching/data/title-examples.json, the labelled job titles the occupation normaliser learns
// from, out of the cscoder project's test data (job-titles-labelled.csv: job_name,expected_code,expected_name;
// anthonyliantao/cscoder, MIT).
// Usage: node scripts/build-title-examples.mjs [path/to/job-titles-labelled.csv]
//        (default: ../shared/data/job-titles-labelled.csv beside the repository)
//
// Titles are kept as written: the normaliser cleans them when it loads, so a change to the cleaning needs
// no rebuild. Rows without a code, or with a code the classification does not have, are dropped. The
// labels are noisy (about one in nine is wrong, see bench/normalize.ts); they are kept as they are,
// since the model's smoothing and the dictionary scorer outvote isolated mistakes.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = join(repoRoot, "matching", "data");
const source = resolve(process.argv[2] ?? join(repoRoot, "..", "shared", "data", "job-titles-labelled.csv"));

/** RFC 4180 CSV: quoted fields may contain commas, doubled quotes and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field); rows.push(row); row = []; field = "";
    } else field += ch;
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  const [header, ...records] = rows.filter((r) => r.some((f) => f.trim() !== ""));
  return records.map((r) => Object.fromEntries(header.map((key, i) => [key.trim(), (r[i] ?? "").trim()])));
}

const knownCodes = new Set(
  parseCsv(readFileSync(join(dataDir, "csco22.csv"), "utf8").replace(/^\uFEFF/, "")).map((row) => row.code),
);
const rows = parseCsv(readFileSync(source, "utf8").replace(/^\uFEFF/, ""));
const examples = [];
let dropped = 0;
for (const { job_name: title, expected_code: code } of rows) {
  if (title && knownCodes.has(code)) examples.push([title, code]);
  else dropped++;
}

const outFile = join(dataDir, "title-examples.json");
const json = JSON.stringify({
  source: "job-titles-labelled.csv, test data of the cscoder project (anthonyliantao/cscoder), licence MIT",
  columns: ["title", "code"],
  examples,
});
writeFileSync(outFile, json.replace(/\],\[/g, "],\n[") + "\n");
console.log(`${examples.length} labelled titles (${dropped} without a known code dropped) → ${outFile}`);
