// Measures the job-title normaliser against the labelled benchmark in ../shared/data (real posting
// titles with noisy labels), next to a longest-alias baseline.
// Usage: npx tsx bench/normalize.ts [--misses N]   (--misses prints N misses from the even half)
//
// Figures are reported on the whole file and on its even and odd rows separately: tuning looks only at
// the even half, so the odd half shows whether the gains carry over to titles nobody looked at.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import catalogue from "../matching/data/occupations.json" with { type: "json" };
import { midCategory, normalizeTitle } from "../matching/occupations.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const labelledFile = resolve(repoRoot, "../shared/data/job-titles-labelled.csv");

interface LabelledTitle {
  title: string;
  expectedCode: string;
}

/** RFC 4180 CSV with a header row; quoted fields may hold commas, quotes and newlines. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += ch;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  const [header = [], ...records] = rows.filter((r) => r.some((f) => f.trim() !== ""));
  return records.map((r) => Object.fromEntries(header.map((key, i) => [key.trim(), (r[i] ?? "").trim()])));
}

function loadLabelledTitles(): LabelledTitle[] {
  if (!existsSync(labelledFile)) {
    console.error(`bench:normalize: labelled titles not found at ${labelledFile}`);
    process.exit(1);
  }
  return parseCsv(readFileSync(labelledFile, "utf8").replace(/^\uFEFF/, "")).map((row) => ({
    title: row.job_name ?? "",
    expectedCode: row.expected_code ?? "",
  }));
}

/**
 * Baseline: the longest occupation or group name or alias contained in the title wins. It may answer
 * with a group code (e.g. 4-01-02-00 销售人员), which the normaliser never does.
 */
function longestAliasBaseline(): (title: string) => string | null {
  const codeByPhrase = new Map<string, string>();
  for (const entry of [...catalogue.occupations, ...catalogue.groups]) {
    for (const phrase of [entry.name, ...entry.aliases]) {
      const key = phrase.normalize("NFKC").toLowerCase();
      if (!codeByPhrase.has(key)) codeByPhrase.set(key, entry.code);
    }
  }
  const phrasesLongestFirst = [...codeByPhrase.keys()].sort((a, b) => b.length - a.length);
  return (title) => {
    const text = title.normalize("NFKC").toLowerCase();
    const phrase = phrasesLongestFirst.find((candidate) => text.includes(candidate));
    return phrase === undefined ? null : codeByPhrase.get(phrase)!;
  };
}

interface Figures {
  exact: number;
  mid: number;
  coverage: number;
  titlesPerSecond: number;
}

function measure(rows: LabelledTitle[], classify: (title: string) => string | null): Figures {
  const started = performance.now();
  const answers = rows.map((row) => classify(row.title));
  const seconds = (performance.now() - started) / 1000;
  let exact = 0;
  let mid = 0;
  let covered = 0;
  rows.forEach((row, i) => {
    const answer = answers[i];
    if (answer == null) return;
    covered++;
    if (answer === row.expectedCode) exact++;
    if (row.expectedCode && midCategory(answer) === midCategory(row.expectedCode)) mid++;
  });
  return {
    exact: exact / rows.length,
    mid: mid / rows.length,
    coverage: covered / rows.length,
    titlesPerSecond: rows.length / seconds,
  };
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`.padStart(6);

function report(label: string, figures: Figures): void {
  console.log(
    `  ${label.padEnd(22)} exact ${percent(figures.exact)}   中类 ${percent(figures.mid)}   ` +
      `coverage ${percent(figures.coverage)}   ${Math.round(figures.titlesPerSecond).toLocaleString("en")} titles/s`,
  );
}

const rows = loadLabelledTitles();
const halves = {
  all: rows,
  even: rows.filter((_, i) => i % 2 === 0),
  odd: rows.filter((_, i) => i % 2 === 1),
};
const baseline = longestAliasBaseline();
const normaliser = (title: string) => normalizeTitle(title)?.code ?? null;
normaliser("warm up the lazily built index");

for (const [name, subset] of Object.entries(halves)) {
  console.log(`${name} rows (${subset.length}):`);
  report("longest-alias baseline", measure(subset, baseline));
  report("normalizeTitle", measure(subset, normaliser));
}

const missesFlag = process.argv.indexOf("--misses");
if (missesFlag !== -1) {
  const count = Number(process.argv[missesFlag + 1] ?? 50);
  const misses = halves.even.filter((row) => normaliser(row.title) !== row.expectedCode).slice(0, count);
  console.log(`\nfirst ${misses.length} misses on the even half:`);
  for (const row of misses) {
    const answer = normalizeTitle(row.title);
    console.log(`  ${row.title}  →  ${answer ? `${answer.code} ${answer.name} ${answer.confidence}` : "null"}  (expected ${row.expectedCode})`);
  }
}
