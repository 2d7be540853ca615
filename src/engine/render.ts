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

function questionLines(message: Extract<Outbound, { kind: "question" }>, capabilities: ChannelCapabilities) {
  const lines = [message.text];
  if (message.options && message.options.length > 0) {
    const { shown, paged, lastPage } = menuPage(message.options, message.page ?? 0, capabilities);
    shown.forEach((option, i) => lines.push(`${i + 1} ${option.label}`));
    if (paged) lines.push(`${MORE} ${lastPage ? "从头看" : "更多"}`);
  }
  if (message.canGoBack) lines.push(`${BACK} 返回`);
  return lines;
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

/** Packs lines into as few texts as the budget allows, never breaking a line that fits. */
function pack(lines: string[], budget: number): string[] {
  const texts: string[] = [];
  let current: string | null = null;
  for (const line of lines.flatMap((line) => cutLine(line, budget))) {
    if (current !== null && current.length + 1 + line.length <= budget) current += `\n${line}`;
    else {
      if (current !== null) texts.push(current);
      current = line;
    }
  }
  if (current !== null) texts.push(current);
  return texts;
}

/** The texts to send for a message, each within capabilities.textBudget (UTF-16 units). */
export function renderText(message: Outbound, capabilities: ChannelCapabilities): string[] {
  const text = message.kind === "question" ? questionLines(message, capabilities).join("\n") : message.text;
  return pack(text.split("\n"), capabilities.textBudget);
}
