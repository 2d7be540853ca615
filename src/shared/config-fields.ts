// The kinds of value the configuration is made of, for the core's schema (src/config.ts) and each
// channel's own (bots/<channel>/settings.ts), so that every variable reads and fails the same way.
import { z } from "zod";

export const optionalText = z.string().trim().min(1).optional();

export const url = (schemes: string[]) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol.replace(/:$/, ""));
      } catch {
        return false;
      }
    }, `a URL starting with ${schemes.map((s) => `${s}://`).join(" or ")}`);

/** "21-8" → quiet from 21:00 to 08:00 China time; "off" → never quiet. */
export const quietHours = z
  .string()
  .trim()
  .regex(/^(off|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/, 'hours as "start-end" (0-23), e.g. "21-8", or "off"')
  .transform((value) => {
    if (value === "off") return null;
    const [start, end] = value.split("-").map(Number) as [number, number];
    return { start, end };
  });

export const flag = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no"], { error: "on/off (1/0, true/false)" })
  .transform((value) => ["1", "true", "on", "yes"].includes(value));

/**
 * Approved templates by the service's own names for its messages (job_push, training_offer,
 * follow_up, subsidy, campaign, hired, verification_code, …), as a JSON object:
 * {"job_push":"SMS_123456789"}. A message whose template is not listed goes as plain text where the
 * provider allows it (the generic template on Aliyun, a customer-service message on WeChat).
 */
export const templateMap = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Object.values(parsed).every((id) => typeof id === "string" && id.length > 0)) {
        return parsed as Record<string, string>;
      }
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: 'a JSON object of template names to template ids, e.g. {"job_push":"SMS_123456789"}' });
    return z.NEVER;
  });

export const base64Key = z
  .string()
  .trim()
  .refine((value) => Buffer.from(value, "base64").length === 32, "32 bytes, base64-encoded (openssl rand -base64 32)");
