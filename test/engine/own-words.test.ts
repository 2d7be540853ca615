// People answer menus in their own words. The answers in own-words.tsv (written as people type them,
// apart from the vocabulary) are read by the registration's and the home menu's steps exactly as the
// engine reads them; the share understood must stay high and nothing may be misunderstood, since a
// wrong reading (不出省 stored as 外省也行) is worse than asking again.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { readCommand, type Command } from "../../src/engine/commands.ts";
import { readReply, type Outcome } from "../../src/engine/flow.ts";
import { STEPS } from "../../src/engine/flows/index.ts";
import { countyWithoutSuffix } from "../../src/shared/identifiers.ts";
import type { Lookups, Position, RegionChoice, StepId } from "../../src/engine/types.ts";
import { context, SMS, T0 } from "./support.ts";

interface Case {
  step: StepId;
  meaning: string;
  text: string;
  /** the worker's home county: a place named at the where-to-work menu is read against it */
  home: RegionChoice;
}

/** Lines "#home<TAB>code<TAB>name" set the home county of the answers below them (云霄县 until then). */
function readCases(file: string): Case[] {
  let home: RegionChoice = { code: "350622", name: "云霄县" };
  const cases: Case[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [step, meaning, text] = line.split("\t");
    if (step === "#home") home = { code: meaning!, name: text! };
    else if (line.trim() && !line.startsWith("#")) cases.push({ step: step as StepId, meaning: meaning!, text: text!, home });
  }
  return cases;
}

const CASES = readCases(process.env.OWN_WORDS || join(import.meta.dirname, "own-words.tsv"));

/** What a step's outcome records, in the file's terms; null when the step asks again. */
function meaningOf(step: StepId, outcome: Outcome, chosen: string[]): string | null {
  if ("error" in outcome) return null;
  const { answers = {}, carry = {} } = outcome;
  switch (step) {
    case "occupations":
      if (carry.occupationCandidates) return carry.occupationCandidates[0]!.code;
      return answers.wishedOccupations!.length === 0 ? "any" : answers.wishedOccupations!.map((job) => job.code).sort().join("+");
    case "categories":
      return answers.categories!.length === 0 ? "none" : [...answers.categories!].sort().join("+");
    case "workRange":
      return answers.workRange!;
    case "training":
      return answers.wantsTraining ? (answers.trainingWish ? `wish:${answers.trainingWish}` : "yes") : "no";
    default:
      return chosen.length > 0 ? chosen.join("+") : null;
  }
}

/** What the home menu's options mean as global words. */
const HOME_COMMANDS: Partial<Record<Command, string>> = { human: "human", profile: "profile", edit: "edit", jobs: "jobs" };

/**
 * Counties by name as the service finds them (any county whose name, less 县/市/区, the text holds),
 * over the vendored divisions: a place named at the where-to-work menu may be any county of the
 * country (蒙自, 个旧), more than the engine tests' few regions.
 */
const COUNTIES = gunzipSync(readFileSync(join(import.meta.dirname, "../../src/reference/data/regions.tsv.gz")))
  .toString("utf8")
  .split("\n")
  .map((line) => line.split("\t"))
  .filter(([code, name]) => code?.length === 6 && name)
  .map(([code, name]) => ({ code: code!, name: name!, core: countyWithoutSuffix(name!) }));
const lookups: Lookups = {
  ...context(SMS).lookups,
  async findRegions(text, options) {
    if (options.level !== 3) return context(SMS).lookups.findRegions(text, options);
    return COUNTIES.filter((county) => county.core.length >= 2 && text.includes(county.core)).slice(0, options.limit);
  },
};

/** The reading of one answer, through the step's own menu (with its vocabulary) and reader. */
async function reading({ step, text, home }: Case): Promise<string | null> {
  const position: Position = { step, answers: { county: home }, scratch: {} };
  const env = { ctx: { ...context(SMS), lookups }, inbound: { text, at: T0, phone: "+8613800000001" }, session: { optedOut: false } };
  // A global word (人工, 我的信息) is read before any menu, as the engine does for a registered worker.
  const command = readCommand(text);
  if (step === "home" && command) return HOME_COMMANDS[command] ?? null;
  const prompt = await STEPS[step].prompt(position, env);
  const read = readReply(text, prompt, { page: 0, multiple: Boolean(STEPS[step].multiple), capabilities: SMS });
  if (!("reply" in read)) return null;
  const chosen = read.reply.chosen.map((choice) => choice.key);
  // The home menu and the summary only route (to a search, to the edit menu): the choice is the meaning.
  if (step === "home" || step === "summary") return chosen[0] ?? null;
  return meaningOf(step, await STEPS[step].read(read.reply, position, env), chosen);
}

it("reads answers in people's own words: most understood, none misunderstood", async () => {
  if (!process.env.OWN_WORDS) expect(CASES.length).toBeGreaterThanOrEqual(300);
  const understood: Case[] = [];
  const missed: Case[] = [];
  const misread: (Case & { read: string })[] = [];
  for (const answer of CASES) {
    const read = await reading(answer);
    if (answer.meaning === "-" ? read === null : read === answer.meaning) understood.push(answer);
    else if (read === null) missed.push(answer);
    else misread.push({ ...answer, read });
  }
  const share = understood.length / CASES.length;
  console.log(`own words: ${understood.length} of ${CASES.length} understood (${(share * 100).toFixed(1)}%), ${missed.length} asked again, ${misread.length} misread`);
  if (missed.length > 0) console.log(`asked again: ${missed.map((answer) => `${answer.step} "${answer.text}"`).join("; ")}`);
  expect(misread).toEqual([]);
  expect(share).toBeGreaterThanOrEqual(0.95);
});
