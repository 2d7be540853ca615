// Files that ship beside the code (the divisions, the migrations), found from the project's
// folder: the same path whether the code runs from src/ (tests, tsx) or from the bundle that
// `npm start` runs (dist/), where a path relative to the module would point elsewhere.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findProjectRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

let root: string | undefined;

/** The path of a file inside the project, e.g. projectFile("prisma", "migrations"). */
export function projectFile(...segments: string[]): string {
  root ??= findProjectRoot();
  return join(root, ...segments);
}
