// summarize a .cpuprofile: self time by function and by package
import { readFileSync } from "node:fs";
const p = JSON.parse(readFileSync(process.argv[2], "utf8"));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas; let total = 0;
for (let i = 0; i < p.samples.length; i++) { const id = p.samples[i]; self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0)); total += dt[i] ?? 0; }
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const fn = new Map(), pkg = new Map();
const pkgOf = (url) => { if (!url) return "(native)"; const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/); if (m) return m[1]; if (url.startsWith("node:")) return url.split("/")[0]; const s = url.match(/(src|dist|matching)\/[^/]+/); return s ? s[0] : url.slice(-40); };
for (const [id, t] of self) { const n = byId.get(id); const cf = n.callFrame; const k = `${cf.functionName || "(anon)"} ${pkgOf(cf.url)}:${cf.lineNumber}`; fn.set(k, (fn.get(k) ?? 0) + t); const pk = pkgOf(cf.url); pkg.set(pk, (pkg.get(pk) ?? 0) + t); }
const idle = [...self].filter(([id]) => byId.get(id).callFrame.functionName === "(idle)").reduce((s, [, t]) => s + t, 0);
console.log(`total ${(total/1000).toFixed(0)} ms, idle ${(idle/1000).toFixed(0)} ms, busy ${((total-idle)/1000).toFixed(0)} ms`);
const show = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).forEach(([k, t]) => console.log(`${(100 * t / (total - idle)).toFixed(1).padStart(5)}%  ${k}`));
console.log("-- by package"); show(pkg, 25); console.log("-- by function"); show(fn, 50);
// inclusive time of chosen function names
const incl = new Map();
function walk(id, stack) { const n = byId.get(id); const name = n.callFrame.functionName; const t = self.get(id) ?? 0; const seen = new Set(); for (const s of [...stack, name]) if (!seen.has(s)) { seen.add(s); incl.set(s, (incl.get(s) ?? 0) + t); } for (const c of n.children ?? []) walk(c, [...stack, name]); }
// walk can be deep; cap via iteration
walk(p.nodes[0].id, []);
console.log("-- inclusive (top 60)"); show(incl, 60);
