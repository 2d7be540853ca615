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
import { parseCsv } from "./csv.mjs";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = join(repoRoot, "matching", "data");
const source = resolve(process.argv[2] ?? join(repoRoot, "..", "shared", "data", "job-titles-labelled.csv"));


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
