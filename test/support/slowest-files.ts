// A reporter that prints, after the run, the test files that took longest (import and tests): the
// first place to look when the suite gets slow.
import type { Reporter, TestModule } from "vitest/node";

const SHOWN = 8;

export default class SlowestFiles implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const timed = modules
      .map((module) => {
        const { collectDuration, duration } = module.diagnostic();
        return { file: module.moduleId.replace(`${process.cwd()}/`, ""), ms: collectDuration + duration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, SHOWN);
    if (timed.length === 0) return;
    process.stdout.write(`\nslowest test files:\n${timed.map(({ file, ms }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`).join("\n")}\n`);
  }
}
