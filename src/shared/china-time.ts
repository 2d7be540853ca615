// Time as people in China live it (UTC+8, no daylight saving): quiet hours and daily caps, the
// days and years figures count in, dates as a message writes them, and instants as operators type
// them (a time without an offset is China time, where the people who type it are: "2026-06-10T19:00"
// is 19:00 in Fujian, whatever the server's zone; a bare date is the start of that day in China).
import { z } from "zod";

export const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/** `at` shifted so that its UTC fields read China's wall clock (date, hour) at that instant. */
export const chinaWallClock = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS);

/** The instant midnight starts a calendar date in China (month from 0, as Date.UTC counts). */
export const chinaMidnight = (year: number, monthIndex: number, day = 1) => new Date(Date.UTC(year, monthIndex, day) - CHINA_OFFSET_MS);

export interface QuietHours {
  start: number; // hour, 0-23, China time
  end: number;
}

export const chinaHour = (at: Date) => chinaWallClock(at).getUTCHours();

/** Is `at` inside the quiet window? A window may wrap midnight (21-8). */
export function isQuiet(at: Date, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  const hour = chinaHour(at);
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** The first instant at or after `at` when the quiet window is over. */
export function quietEndsAt(at: Date, quiet: QuietHours): Date {
  const china = chinaWallClock(at);
  const end = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), quiet.end) - CHINA_OFFSET_MS);
  return end.getTime() > at.getTime() ? end : new Date(end.getTime() + 24 * HOUR_MS);
}

/** Midnight China time that starts the day `at` falls in. */
export function chinaDayStart(at: Date): Date {
  const china = chinaWallClock(at);
  return chinaMidnight(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate());
}

/** Midnight China time on 1 January of the year `at` falls in. */
export function chinaYearStart(at: Date): Date {
  return chinaMidnight(chinaWallClock(at).getUTCFullYear(), 0);
}

/** The instant a day given as YYYY-MM-DD (a deadline, a due date) ends in China: 24:00 there. */
export const endOfChinaDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS - CHINA_OFFSET_MS);

/** Today at `hour` China time if that is still ahead, else tomorrow at that hour. */
export function nextChinaHour(now: Date, hour: number): Date {
  const today = new Date(chinaDayStart(now).getTime() + hour * HOUR_MS);
  return today > now ? today : new Date(today.getTime() + 24 * HOUR_MS);
}

/** 2026-06-10 08:30, China time: a moment as a list or a table shows it. */
export const chinaMinuteText = (at: Date) => chinaWallClock(at).toISOString().slice(0, 16).replace("T", " ");

/** 2026-06-10, China time: a day as a spreadsheet or a file name has it. */
export const chinaDay = (at: Date) => chinaWallClock(at).toISOString().slice(0, 10);

/** 6月10日, or 6月10日8:30 with the time, China time. */
export function chinaDateText(at: Date, withTime = false): string {
  const china = chinaWallClock(at);
  const date = `${china.getUTCMonth() + 1}月${china.getUTCDate()}日`;
  if (!withTime || (china.getUTCHours() === 0 && china.getUTCMinutes() === 0)) return date;
  return `${date}${china.getUTCHours()}:${String(china.getUTCMinutes()).padStart(2, "0")}`;
}

const WITH_OFFSET = /(Z|[+-]\d\d:?\d\d)$/i;
const LOCAL = /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,3})?)?)?$/;

export function readChinaInstant(text: string): Date | null {
  const trimmed = text.trim();
  const at = WITH_OFFSET.test(trimmed) ? new Date(trimmed) : LOCAL.test(trimmed) ? new Date(`${trimmed.includes("T") ? trimmed : `${trimmed}T00:00`}+08:00`) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** A zod schema for such an instant (a Date passes as it is). */
export const chinaInstant = z.union([z.date(), z.string()]).transform((value, ctx) => {
  if (value instanceof Date) return value;
  const at = readChinaInstant(value);
  if (at) return at;
  ctx.addIssue({ code: "custom", message: 'a date or time, e.g. "2026-06-10", "2026-06-10T19:00" (China time) or "2026-06-10T11:00:00Z"' });
  return z.NEVER;
});

/** A calendar quarter in China, as reports are due. */
export interface Quarter {
  /** e.g. 2026Q4 */
  label: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** first instant, China time */
  start: Date;
  /** first instant after it */
  end: Date;
}

/** `2026Q4` → the quarter's bounds in China time; null for anything else. */
export function parseQuarter(text: string): Quarter | null {
  const match = /^(\d{4})Q([1-4])$/.exec(text);
  if (!match) return null;
  const year = Number(match[1]);
  const quarter = Number(match[2]) as Quarter["quarter"];
  return { label: text, year, quarter, start: chinaMidnight(year, (quarter - 1) * 3), end: chinaMidnight(year, quarter * 3) };
}

/** The quarter before this one. */
export function previousQuarter(quarter: Quarter): Quarter {
  return parseQuarter(quarter.quarter === 1 ? `${quarter.year - 1}Q4` : `${quarter.year}Q${quarter.quarter - 1}`)!;
}

/** The quarter an instant falls in, China time. */
export function chinaQuarter(at: Date): Quarter {
  const china = chinaWallClock(at);
  return parseQuarter(`${china.getUTCFullYear()}Q${Math.floor(china.getUTCMonth() / 3) + 1}`)!;
}
