// The console says every audited action in words: an action added in a verb without its words here
// would show the administrator a code.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { T } from "../../src/http/console/text.ts";

const source = new URL("../../src", import.meta.url).pathname;
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated") return [];
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });

describe("the console's words", () => {
  it("name every action the service audits", () => {
    const actions = new Set<string>();
    for (const file of files(source)) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/audit\(ctx, (?:[^"]*\? )?"([a-z_.]+)"(?: : "([a-z_.]+)")?|action: "([a-z_.]+)"/g)) {
        for (const action of match.slice(1)) if (action) actions.add(action);
      }
    }
    expect(actions.size).toBeGreaterThan(10);
    expect([...actions].filter((action) => !(action in T.audit.actions))).toEqual([]);
  });
});
