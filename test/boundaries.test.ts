// Architecture rules that a refactor could silently break: the engine stays pure, channels stay
// adapters, routes stay thin over the verbs, the domain stays below its doors, matching never
// touches the database, only entries read the environment.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated" || name === "generated-workerd" || name === "data" || name === "node_modules") return [];
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const resolved = (file: string, specifier: string) => (specifier.startsWith(".") ? relative(root, resolve(dirname(join(root, file)), specifier)) : specifier);

/** Every module a file imports (static imports, re-exports, dynamic imports), resolved to repo paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specifiers.map((s) => resolved(file, s));
}

/** The modules a file imports for their values (not `import type`): what runs when it runs. */
function valueImportsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  return [...text.matchAll(/(?:^|\n)(?:import|export)\s+(?!type\s)[^;]*?from\s+["']([^"']+)["']/g)].map((m) => resolved(file, m[1]!));
}

function violations(dir: string, forbidden: (target: string, file: string) => boolean): string[] {
  return sourceFiles(dir).flatMap((file) => importsOf(file).filter((target) => forbidden(target, file)).map((target) => `${file} → ${target}`));
}

describe("module boundaries", () => {
  it("the engine does no I/O: no node modules, database, HTTP, channels or search", () => {
    expect(
      violations("src/engine", (target) =>
        /^node:|^(src\/(db|http|services|conversation|entry)|bots)\/|^(@prisma|pg|@electric-sql|hono|@hono|meilisearch|pino)/.test(target) ||
        target === "matching/search-client.ts",
      ),
    ).toEqual([]);
  });

  it("channels import neither the database nor one another", () => {
    expect(
      violations("bots", (target, file) => {
        if (/^src\/(db|services)\/|^(@prisma|pg|@electric-sql)/.test(target)) return true;
        const own = file.split("/")[1]!;
        const other = /^bots\/([^/]+)\//.exec(target)?.[1];
        return other !== undefined && other !== own && file !== "bots/index.ts";
      }),
    ).toEqual([]);
  });

  it("routes never touch the database: a handler parses, calls a verb and shapes the answer", () => {
    const files = sourceFiles("src/http");
    const imported = files.flatMap((file) => valueImportsOf(file).filter((target) => /^src\/(db|queue)\/|^(@prisma|pg|@electric-sql)/.test(target)).map((target) => `${file} → ${target}`));
    const queried = files.filter((file) => /\bprisma\b|\$transaction|\$queryRaw|\$executeRaw/.test(readFileSync(join(root, file), "utf8")));
    expect([...imported, ...queried]).toEqual([]);
  });

  it("the domain sits below its doors: services import neither routes, jobs, the engine nor the conversation", () => {
    expect(violations("src/services", (target) => /^src\/(http|jobs|engine|conversation|entry)\/|^src\/app\.ts$|^bots\//.test(target))).toEqual([]);
  });

  it("what people read is worded from facts alone: the wording touches no database, service or channel", () => {
    expect(violations("src/wording", (target) => !/^src\/(shared|policies|engine\/types)/.test(target) && target !== "zod")).toEqual([]);
  });

  it("time is one module, outside delivery", () => {
    const timeModules = [...sourceFiles("src"), ...sourceFiles("bots")].filter((file) => /china|clock|^time[.-]|-time\.ts$/.test(file.split("/").at(-1)!));
    expect(timeModules.sort()).toEqual(["src/shared/china-time.ts", "src/shared/clock.ts"]);
  });

  it("matching never touches the database", () => {
    expect(violations("matching", (target) => /^src\/(db|services)\/|^(@prisma|pg|@electric-sql)/.test(target))).toEqual([]);
  });

  it("only the entries (the service's, the wechaty bot's and the command-line tools') read the environment", () => {
    const entry = (file: string) => file.startsWith("src/entry/") || file === "bots/wechaty/main.ts" || file.endsWith("-cli.ts");
    const readers = [...sourceFiles("src"), ...sourceFiles("bots"), ...sourceFiles("matching")].filter(
      (file) => /process\.env/.test(readFileSync(join(root, file), "utf8")) && !entry(file),
    );
    expect(readers).toEqual([]);
  });
});
