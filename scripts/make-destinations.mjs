// Writes src/engine/flows/destinations.json from the vendored divisions: each province with the short
// names of itself and its cities (兰州 for 兰州市, 广西 for 广西壮族自治区; a full name contains its short one), which the where-to-work
// question reads when someone names a place instead of a range. Run when the divisions change:
// node scripts/make-destinations.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** County-level cities that draw workers from far away, named as often as any prefecture. */
const TOWNS_PEOPLE_GO_TO = ["昆山市", "张家港市", "常熟市", "江阴市", "义乌市", "慈溪市", "余姚市", "诸暨市", "晋江市", "石狮市"];

const rows = gunzipSync(readFileSync(new URL("../src/reference/data/regions.tsv.gz", import.meta.url)))
  .toString("utf8")
  .split("\n")
  .map((line) => line.split("\t"))
  .filter(([code, name]) => name && (code.length <= 4 || (code.length === 6 && TOWNS_PEOPLE_GO_TO.includes(name))));

const PEOPLES = "回|藏|蒙古|朝鲜|苗|侗|彝|白|傣|景颇|傈僳|土家|布依|哈尼|壮|羌|哈萨克|柯尔克孜|维吾尔";
const SUFFIX = new RegExp(`(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市|地区|盟|(?:(?:${PEOPLES})族)*自治州)$`, "u");
const short = (name) => name.replace(SUFFIX, "");
const byProvince = {};
for (const [code, name] of rows) {
  if (/市辖区|县$|直辖/.test(name)) continue;
  const names = (byProvince[code.slice(0, 2)] ??= []);
  const form = short(name);
  if (form.length >= 2 && !names.includes(form)) names.push(form);
}
const lines = Object.entries(byProvince).map(([code, names]) => `  "${code}": ${JSON.stringify(names)}`);
writeFileSync(new URL("../src/engine/flows/destinations.json", import.meta.url), `{\n${lines.join(",\n")}\n}\n`);
console.log(`${lines.length} provinces, ${Object.values(byProvince).flat().length} names`);
