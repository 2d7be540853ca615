// The order test files start in. Two cores and three workers finish soonest when the longest file
// starts first (it would otherwise start late and run on alone at the end). Vitest orders by the
// durations of the last run, which a fresh clone does not have: the files known to take longest
// are named here and go first; the rest keep vitest's order.
import { BaseSequencer, type TestSpecification } from "vitest/node";

const LONGEST = ["test/process/start-stop.test.ts", "test/http/console.test.ts", "test/conversation/console-page.test.ts"];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const at = LONGEST.findIndex((path) => file.moduleId.endsWith(path));
      return at === -1 ? LONGEST.length : at;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
