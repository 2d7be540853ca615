// Instants as operators type them. A time with an offset ("…Z", "…+08:00") is that instant; one
// without is China time, where the people who type it are ("2026-06-10T19:00" is 19:00 in Fujian,
// whatever the server's zone); a bare date is the start of that day in China.
import { z } from "zod";

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
