// Quiet hours and daily caps are about people's days in China (UTC+8, no daylight saving).
const CHINA_OFFSET_MS = 8 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export interface QuietHours {
  start: number; // hour, 0-23, China time
  end: number;
}

export const chinaHour = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).getUTCHours();

/** Is `at` inside the quiet window? A window may wrap midnight (21-8). */
export function isQuiet(at: Date, quiet: QuietHours | null): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  const hour = chinaHour(at);
  return quiet.start < quiet.end ? hour >= quiet.start && hour < quiet.end : hour >= quiet.start || hour < quiet.end;
}

/** The first instant at or after `at` when the quiet window is over. */
export function quietEndsAt(at: Date, quiet: QuietHours): Date {
  const china = new Date(at.getTime() + CHINA_OFFSET_MS);
  const end = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate(), quiet.end) - CHINA_OFFSET_MS);
  return end.getTime() > at.getTime() ? end : new Date(end.getTime() + 24 * HOUR_MS);
}

/** Midnight China time that starts the day `at` falls in. */
export function chinaDayStart(at: Date): Date {
  const china = new Date(at.getTime() + CHINA_OFFSET_MS);
  return new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()) - CHINA_OFFSET_MS);
}
