// The Cloudflare Worker, built and run locally on workerd (the runtime Cloudflare runs):
//   node scripts/worker.mjs build   dist/worker: the bundle and the query compiler beside it, the one
//                                   artifact that the workerd test runs and `wrangler deploy` uploads
//   npm run worker:local            the Worker on workerd at PORT (8787), its Cron Trigger fired every
//                                   minute as Cloudflare would, configured from the environment
// workerd comes from npm (the `workerd` package, a devDependency); wrangler is not needed to build
// or to run, only to deploy (README, "Cloudflare Workers"): the wrangler that still runs on Node 20
// (4.86) carries a workerd too old for the compatibility date, the current one needs Node 22.
// Bundling:
// - The Prisma client is the one generated for workerd (src/db/generated-workerd): every import of
//   the Node client (src/db/generated) is sent there, so that one runtime's error classes are seen.
// - Node's built-ins stay imports of node:… (and requires, for the CommonJS packages), which workerd
//   gives under nodejs_compat.
// - The query compiler is a WebAssembly module import: workerd compiles no WebAssembly at run time.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const out = join(root, "dist/worker");

export async function buildWorker() {
  const { build } = await import("esbuild");
  const nodeClient = join(root, "src/db/generated");
  const workerdClient = join(root, "src/db/generated-workerd");
  const builtins = new Set(builtinModules);
  const workerd = {
    name: "workerd",
    setup(b) {
      b.onResolve({ filter: /generated\// }, (args) => {
        const path = resolve(args.resolveDir, args.path);
        return path.startsWith(nodeClient + "/") ? { path: workerdClient + path.slice(nodeClient.length) } : undefined;
      });
      b.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
        copyFileSync(resolve(args.resolveDir, args.path.replace(/\?module$/, "")), join(out, "query_compiler.wasm"));
        return { path: "./query_compiler.wasm", external: true };
      });
      b.onResolve({ filter: /^(node|cloudflare):/ }, (args) => ({ path: args.path, external: true }));
      b.onResolve({ filter: /^[a-z_]+(\/[a-z_]+)?$/ }, (args) => (builtins.has(args.path) ? { path: `node:${args.path}`, external: true } : undefined));
    },
  };
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: { worker: join(root, "src/entry/worker.ts") },
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    minify: true,
    metafile: true,
    logLevel: "warning",
    plugins: [workerd],
    // The CommonJS packages (pg) require Node's built-ins; workerd's node:module gives require.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire("/");' },
  });
  return Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
}

/** wrangler.toml's compatibility date, so that the Worker runs here as it will on Cloudflare. */
export function compatibilityDate() {
  return /^compatibility_date\s*=\s*"([\d-]+)"/m.exec(readFileSync(join(root, "wrangler.toml"), "utf8"))[1];
}

const text = (value) => JSON.stringify(String(value));

/**
 * A workerd configuration for the bundle: the Worker on `port` with these variables (text bindings)
 * and, for the database, a Hyperdrive binding to `database` (a postgresql:// URL), as Cloudflare
 * gives it; a second socket, `cronPort`, fires the Worker's scheduled handler on each request.
 */
export function workerdConfig({ port, cronPort, database, variables }) {
  const date = text(compatibilityDate());
  const url = new URL(database);
  const hyperdrive = `(designator = "postgres", database = ${text(decodeURIComponent(url.pathname.slice(1)))}, user = ${text(decodeURIComponent(url.username))}, password = ${text(decodeURIComponent(url.password))}, scheme = "postgresql")`;
  const bindings = [`(name = "HYPERDRIVE", hyperdrive = ${hyperdrive})`, ...Object.entries(variables).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)];
  const cron = `export default { async fetch(request, env) { const result = await env.WORKER.scheduled({ cron: "* * * * *", scheduledTime: new Date() }); return Response.json(result, { status: result.outcome === "ok" ? 200 : 500 }); } };`;
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "zhitongche", worker = .zhitongche),
    (name = "cron", worker = .cron),
    (name = "internet", network = (allow = ["public", "private", "local"])),
    (name = "postgres", external = (address = ${text(`${url.hostname}:${url.port || 5432}`)}, tcp = ())),
  ],
  sockets = [
    (name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "zhitongche"),
    (name = "cron", address = ${text(`127.0.0.1:${cronPort}`)}, http = (), service = "cron"),
  ],
);

const zhitongche :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "query_compiler.wasm", wasm = embed "query_compiler.wasm"),
  ],
  compatibilityDate = ${date},
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
    ${bindings.join(",\n    ")}
  ],
  globalOutbound = "internet",
);

const cron :Workerd.Worker = (
  modules = [(name = "cron.mjs", esModule = ${text(cron)})],
  compatibilityDate = ${date},
  compatibilityFlags = ["service_binding_extra_handlers"],
  bindings = [(name = "WORKER", service = "zhitongche")],
);
`;
}

/** Writes the configuration beside the bundle (private: it holds the database password) and starts workerd on it. */
export function serveWorker({ port, cronPort, database, variables, stdio = "inherit", env = process.env }) {
  const file = join(out, "workerd.capnp");
  writeFileSync(file, workerdConfig({ port, cronPort, database, variables }), { mode: 0o600 });
  const binary = createRequire(import.meta.url).resolve("workerd/bin/workerd");
  return spawn(binary, ["serve", "--experimental", "--verbose", file], { stdio, env });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  if (command !== "build" && command !== "serve") {
    console.error("usage: node scripts/worker.mjs build|serve");
    process.exit(2);
  }
  const bytes = await buildWorker();
  console.log(`worker bundle: ${(bytes / 1048576).toFixed(1)} MB in dist/worker`);
  if (command === "serve") {
    const database = process.env.DATABASE_URL;
    if (!database) {
      console.error("DATABASE_URL: required (a PostgreSQL the Worker reaches through its local Hyperdrive binding); run `npm run db:migrate` against it first");
      process.exit(2);
    }
    const port = Number(process.env.PORT ?? 8787);
    const cronPort = port + 1;
    // The service's own variables only, as `wrangler secret put` and [vars] would give them (run
    // through tsx, which reads the schema's names from src/config.ts).
    const { configSchema } = await import("../src/config.ts");
    const names = Object.keys(configSchema.shape).filter((name) => name !== "DATABASE_URL" && name !== "PORT");
    const variables = Object.fromEntries(names.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
    const workerd = serveWorker({ port, cronPort, database, variables });
    console.log(`the Worker on workerd: http://127.0.0.1:${port} (its Cron Trigger every minute)`);
    const timer = setInterval(() => fetch(`http://127.0.0.1:${cronPort}/`).catch(() => {}), 60_000);
    workerd.on("exit", (code) => {
      clearInterval(timer);
      process.exit(code ?? 1);
    });
    for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => workerd.kill(signal));
  }
}
