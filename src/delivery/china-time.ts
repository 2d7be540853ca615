// Quiet hours and daily caps are about people's days in China (UTC+8, no daylight saving).
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
