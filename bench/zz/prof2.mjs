// inclusive time of functions under the service's code, excluding writev; by name with url
import { readFileSync } from "node:fs";
const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map(); const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const skip = new Set(["(idle)", "writev", "(program)"]);
let busy = 0; for (const [id, t] of self) if (!skip.has(byId.get(id).callFrame.functionName)) busy += t;
const incl = new Map();
function walk(id, stack) { const n = byId.get(id); const cf = n.callFrame; if (skip.has(cf.functionName)) return; const key = `${cf.functionName||"(anon)"} ${cf.url.includes("dist/node.mjs") ? "app:" + cf.lineNumber : cf.url.replace(/.*node_modules\//, "").slice(0, 40)}`; const t = self.get(id) ?? 0; const st = stack.includes(key) ? stack : [...stack, key]; for (const s of st) incl.set(s, (incl.get(s) ?? 0) + t); for (const c of n.children ?? []) walk(c, st); }
walk(p.nodes[0].id, []);
console.log(`busy without idle/writev/program: ${(busy/1000).toFixed(0)} ms`);
const filt = process.argv[3] ? new RegExp(process.argv[3]) : /./;
[...incl].filter(([k]) => filt.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[4] ?? 70)).forEach(([k, t]) => console.log(`${(100 * t / busy).toFixed(1).padStart(5)}%  ${k}`));
