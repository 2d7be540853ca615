// Architecture rules that a refactor could silently break: the engine stays pure, channels stay
// adapters, matching never touches the database, only entries read the environment.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated" || name === "data") return [];
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every module a file imports (static imports, re-exports, dynamic imports), resolved to repo paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specifiers = [...text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
  return specifiers.map((s) => (s.startsWith(".") ? relative(root, resolve(dirname(join(root, file)), s)) : s));
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

  it("matching never touches the database", () => {
    expect(violations("matching", (target) => /^src\/(db|services)\/|^(@prisma|pg|@electric-sql)/.test(target))).toEqual([]);
  });

  it("only the entries (the service's and the command-line tools') read the environment", () => {
    const readers = [...sourceFiles("src"), ...sourceFiles("bots"), ...sourceFiles("matching")].filter(
      (file) => /process\.env/.test(readFileSync(join(root, file), "utf8")) && !file.startsWith("src/entry/") && !file.endsWith("-cli.ts"),
    );
    expect(readers).toEqual([]);
  });
});
