// Outbound messages as the texts a plain-text channel sends: numbered options, menus paged with
// "9 更多", and every text cut to the channel's budget at line or clause boundaries.
import type { ChannelCapabilities, Outbound } from "./types.ts";

/** Reserved replies in every menu. */
export const MORE = 9;
export const BACK = 0;

/** Options per page: 9 and 0 are reserved, so numbers 1–8 at most. */
export function optionsPerPage(capabilities: ChannelCapabilities): number {
  return Math.max(1, Math.min(capabilities.maxMenuOptions, 8));
}

export interface MenuPage<T> {
  /** The options on the page, numbered from 1 on every page. */
  shown: T[];
  /** There are several pages: "9" turns to the next one (after the last, back to the first). */
  paged: boolean;
  lastPage: boolean;
  /** The page "9" turns to. */
  nextPage: number;
}

/** The page of a menu the worker sees; `page` wraps around, so 9 on the last page starts again. */
export function menuPage<T>(options: readonly T[], page: number, capabilities: ChannelCapabilities): MenuPage<T> {
  const perPage = optionsPerPage(capabilities);
  const pages = Math.max(1, Math.ceil(options.length / perPage));
  const current = ((page % pages) + pages) % pages;
  return {
    shown: options.slice(current * perPage, (current + 1) * perPage),
    paged: pages > 1,
    lastPage: current === pages - 1,
    nextPage: (current + 1) % pages,
  };
}

/** A question's text, and its choices (the numbered options, 9 and 0) as lines of their own. */
function questionLines(message: Extract<Outbound, { kind: "question" }>, capabilities: ChannelCapabilities) {
  const choices: string[] = [];
  if (message.options && message.options.length > 0) {
    const { shown, paged, lastPage } = menuPage(message.options, message.page ?? 0, capabilities);
    shown.forEach((option, i) => choices.push(`${i + 1} ${option.label}`));
    if (paged) choices.push(`${MORE} ${lastPage ? "从头看" : "更多"}`);
  }
  if (message.canGoBack) choices.push(`${BACK} 返回`);
  return { text: message.text.split("\n"), choices };
}

const CLAUSE_END = /[，。；！？、,;!?：:）)]/;

/** Cuts one over-long line, preferably after a punctuation mark in the second half of the budget. */
function cutLine(line: string, budget: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > budget) {
    let cut = budget;
    for (let i = budget - 1; i >= budget / 2; i--) {
      if (CLAUSE_END.test(rest[i]!)) {
        cut = i + 1;
        break;
      }
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  return rest ? [...pieces, rest] : pieces;
}

/**
 * Packs lines into as few texts as the budget allows, never breaking a line that fits. The lines
 * `together` (a question's choices) go in one text when they fit one: a text that cannot hold them
 * all ends before them, rather than sending "0 返回" alone as a last SMS. That costs no extra text.
 */
function pack(lines: string[], budget: number, together: string[] = []): string[] {
  const texts: string[] = [];
  for (const line of lines.flatMap((line) => cutLine(line, budget))) addLine(texts, line, budget);
  const block = together.join("\n");
  const last = texts.at(-1);
  const startsText = last !== undefined && block.length <= budget && last.length + 1 + block.length > budget;
  for (const [i, line] of together.flatMap((line) => cutLine(line, budget)).entries()) {
    if (i === 0 && startsText) texts.push(line);
    else addLine(texts, line, budget);
  }
  return texts;
}

/** Adds a line to the last text when it fits there, else starts a text with it. */
function addLine(texts: string[], line: string, budget: number) {
  const last = texts.length - 1;
  if (last >= 0 && texts[last]!.length + 1 + line.length <= budget) texts[last] += `\n${line}`;
  else texts.push(line);
}

/** The texts to send for a message, each within capabilities.textBudget (UTF-16 units). */
export function renderText(message: Outbound, capabilities: ChannelCapabilities): string[] {
  if (message.kind !== "question") return pack(message.text.split("\n"), capabilities.textBudget);
  const { text, choices } = questionLines(message, capabilities);
  return pack(text, capabilities.textBudget, choices);
}

/**
 * A turn's replies as the texts to send. Where the channel joins them, a text runs on into the next
 * when both fit one (SMS: 登记成功 and the coordinator's name in one message, not two); a rendered
 * text is never split, so a question's choices stay with it.
 */
export function renderReplies(replies: readonly Outbound[], capabilities: ChannelCapabilities): string[] {
  const rendered = replies.flatMap((reply) => renderText(reply, capabilities));
  if (!capabilities.joinsReplies) return rendered;
  const texts: string[] = [];
  for (const text of rendered) addLine(texts, text, capabilities.textBudget);
  return texts;
}
