// What a step of a flow is, and how a reply to a step's menu is read. A flow is data: a table of
// steps, each a prompt builder, a reader of the reply, and the choice of the next step.
import { z } from "zod";
import type { Command } from "./commands.ts";
import { matchChoiceWord, matchChoiceWords, NO_WORDS, readOptionNumbers, YES_WORDS, type Choice } from "./input.ts";
import { MORE, menuPage } from "./render.ts";
import type {
  Answers,
  ChannelCapabilities,
  DomainEvent,
  EditableField,
  EngineContext,
  Inbound,
  Outbound,
  Position,
  Scratch,
  StepId,
} from "./types.ts";

/** The pieces a flow's stored state is checked with when a session loads (engine/session.ts). */
export const stateSchemas = {
  region: z.object({ code: z.string(), name: z.string(), parentName: z.string().optional() }),
  occupation: z.object({ code: z.string(), name: z.string() }),
  editableField: z.enum(["name", "idNumber", "phone", "homeRegion", "poverty", "occupations", "workRange", "wageFloor", "training"]),
};

export interface Env {
  ctx: EngineContext;
  inbound: Inbound;
  /** the person's own standing choice: an opted-out worker is promised no pushes */
  session: { readonly optedOut: boolean };
}

export interface Prompt {
  text: string;
  /** A menu; the worker answers with a number on the page shown or with an option's word. */
  choices?: Choice[];
  /** Several options may be picked at once, on this prompt only (a step's `multiple` says it for all of its prompts). */
  multiple?: true;
}

/** A reply as the step sees it: the text, and the options it picked (by number or by word). */
export interface Reply {
  text: string;
  chosen: Choice[];
}

export type Outcome =
  | {
      answers?: Partial<Answers>;
      /** Scratch handed to the next step (county matches to choose from, say). */
      carry?: Scratch;
      /** Start re-answering one field (修改). */
      editing?: Position["editing"];
      /** The answer was itself a yes to 对吗: a 修改 it ends is made without asking 改成…对吗 again. */
      confirmed?: true;
      /** Said before the next question. */
      say?: Outbound[];
      events?: DomainEvent[];
      /** The reply was handled without moving on (我要招人); no question follows unless askAgain. */
      stay?: true;
      /** With stay: ask the step's question again after what was said (the search is down). */
      askAgain?: true;
      /** A menu option that is a global word (我的信息, 人工): run it as if it had been typed. */
      run?: Command;
    }
  | { error: string };

type MaybeAsync<T> = T | Promise<T>;

export interface Step {
  id: StepId;
  /** The profile field the step fills, for 修改. */
  field?: EditableField;
  prompt(position: Position, env: Env): MaybeAsync<Prompt>;
  /** Several options may be picked at once ("1 3"). */
  multiple?: true;
  /** No "0 返回" hint: going back from here helps nobody (the welcome, the consent). */
  noBackHint?: true;
  /**
   * Answers the channel already gives, which make the question unnecessary (the SMS sender's phone);
   * `{}` skips a question that has nothing to ask (a county without townships in the data).
   */
  given?(position: Position, env: Env): MaybeAsync<Partial<Answers> | undefined>;
  read(reply: Reply, position: Position, env: Env): MaybeAsync<Outcome>;
  /**
   * What to record when a coordinator has been asked to call because the step's answers kept being
   * missed: an answer that promises nothing wrong (不清楚, any work, near home), so the person goes on.
   */
  fallback?: Partial<Answers>;
  /** The step after this one, from the position once the reply is applied. */
  next(position: Position): StepId;
}

export type ReadResult = { reply: Reply } | { turnPage: true } | { error: string };

export const NOT_A_CHOICE = "没看懂，请回复数字";

/** The menu's chosen option, or the standard "not understood" when the reply named none. */
export function chooseOne(reply: Reply, outcome: (key: string) => Outcome): Outcome {
  const [choice] = reply.chosen;
  return choice ? outcome(choice.key) : { error: NOT_A_CHOICE };
}

/** The two options of a yes/no question, with the words that also answer it. */
export const yesChoice = (label: string, words: readonly string[] = YES_WORDS): Choice => ({ key: "yes", label, words });
export const noChoice = (label: string, words: readonly string[] = NO_WORDS): Choice => ({ key: "no", label, words });

/**
 * Reads a reply against the prompt's menu: "9" turns the page when there are several, numbers pick
 * options on the page shown, words pick options on any page. A reply naming no option goes to the
 * step as free text (with nothing chosen); numbers that are not on the page are an error.
 */
export function readReply(
  text: string,
  prompt: Prompt,
  options: { page: number; multiple: boolean; capabilities: ChannelCapabilities },
): ReadResult {
  const choices = prompt.choices ?? [];
  if (choices.length === 0) return { reply: { text, chosen: [] } };

  const { shown, paged } = menuPage(choices, options.page, options.capabilities);
  const numbers = readOptionNumbers(text);
  if (numbers) {
    if (paged && numbers.length === 1 && numbers[0] === MORE) return { turnPage: true };
    const picked = [...new Set(numbers)].map((n) => shown[n - 1]);
    if (picked.length === 0 || picked.some((choice) => !choice) || (picked.length > 1 && !options.multiple)) {
      const range = shown.length === 1 ? "1" : `1到${shown.length}的数字`;
      return { error: options.multiple && shown.length > 1 ? `请回复${range}，可多选，如：1 3` : `请回复${range}` };
    }
    return { reply: { text, chosen: picked as Choice[] } };
  }

  // "低保 残疾", "特困还有残疾": several options named at once.
  const several = options.multiple ? matchChoiceWords(text, choices) : [];
  if (several.length > 0) return { reply: { text, chosen: several } };
  const whole = matchChoiceWord(text, choices);
  return { reply: { text, chosen: whole ? [whole] : [] } };
}
