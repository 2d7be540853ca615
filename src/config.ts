// Every environment variable the service reads, in one zod schema (see README "Configuration" and
// ../shared/contract.md). Entries parse it once and pass the result down; nothing else reads the
// environment.
import { z } from "zod";

const optionalText = z.string().trim().min(1).optional();

const url = (schemes: string[]) =>
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
const quietHours = z
  .string()
  .trim()
  .regex(/^(off|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/, 'hours as "start-end" (0-23), e.g. "21-8", or "off"')
  .transform((value) => {
    if (value === "off") return null;
    const [start, end] = value.split("-").map(Number) as [number, number];
    return { start, end };
  });

const flag = z
  .enum(["1", "0", "true", "false", "on", "off", "yes", "no"], { error: "on/off (1/0, true/false)" })
  .transform((value) => ["1", "true", "on", "yes"].includes(value));

/**
 * Approved templates by the service's own names for its messages (job_push, training_offer,
 * follow_up, subsidy, campaign, hired, verification_code, …), as a JSON object:
 * {"job_push":"SMS_123456789"}. A message whose template is not listed goes as plain text where the
 * provider allows it (the generic template on Aliyun, a customer-service message on WeChat).
 */
const templateMap = z
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

const base64Key = z
  .string()
  .trim()
  .refine((value) => Buffer.from(value, "base64").length === 32, "32 bytes, base64-encoded (openssl rand -base64 32)");

export const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"], { error: "development, production or test" }).default("development"),
  PORT: z.coerce
    .number({ error: "an integer from 1 to 65535" })
    .int("an integer from 1 to 65535")
    .min(1, "an integer from 1 to 65535")
    .max(65535, "an integer from 1 to 65535")
    .default(8787),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  DATABASE_URL: url(["postgres", "postgresql"]).optional(),
  MEILI_URL: url(["http", "https"]).optional(),
  MEILI_MASTER_KEY: optionalText,
  ADMIN_TOKEN: z.string().trim().min(24, "at least 24 characters").optional(),
  PII_ENCRYPTION_KEY: base64Key.optional(),
  PUBLIC_BASE_URL: url(["http", "https"]).optional(),
  SIMULATOR_ENABLED: flag.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "a pino level (info, debug, …)" }).default("info"),
  TWILIO_ACCOUNT_SID: optionalText,
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_FROM: optionalText,
  TWILIO_API_URL: url(["http", "https"]).default("https://api.twilio.com"),
  ALIYUN_SMS_ACCESS_KEY_ID: optionalText,
  ALIYUN_SMS_ACCESS_KEY_SECRET: optionalText,
  ALIYUN_SMS_SIGN_NAME: optionalText,
  ALIYUN_SMS_CALLBACK_SECRET: z.string().trim().min(16, "at least 16 characters (it is the callback path's only protection)").optional(),
  /** an approved template "${content}" for conversational replies over Aliyun */
  ALIYUN_SMS_TEMPLATE_CODE: optionalText,
  ALIYUN_SMS_TEMPLATES: templateMap.default({}),
  ALIYUN_SMS_ENDPOINT: url(["http", "https"]).default("https://dysmsapi.aliyuncs.com"),
  WECHAT_APP_ID: optionalText,
  WECHAT_APP_SECRET: optionalText,
  WECHAT_TOKEN: optionalText,
  WECHAT_ENCODING_AES_KEY: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, "43 letters and digits").optional(),
  WECHAT_API_URL: url(["http", "https"]).default("https://api.weixin.qq.com"),
  /** template messages for outside the 48-hour window (verified 服务号 only) */
  WECHAT_TEMPLATES: templateMap.default({}),
  /** shared by the service and `npm run bot:wechaty`; the wechaty channel is on only when it is set */
  WECHATY_BRIDGE_TOKEN: z.string().trim().min(24, "at least 24 characters (openssl rand -hex 24), the same in the service and the bot").optional(),
  /** the bot process's send endpoint, as the service reaches it; the bot listens on its port */
  WECHATY_BOT_URL: url(["http", "https"]).default("http://127.0.0.1:8788"),
  /** the service, as the bot process reaches it (default http://127.0.0.1:PORT) */
  WECHATY_SERVICE_URL: url(["http", "https"]).optional(),
  WECHATY_PUPPET: z.string().trim().regex(/^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/, "a puppet package name, e.g. wechaty-puppet-service").optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  WECHATY_PUPPET_SERVICE_ENDPOINT: optionalText,
  SMS_QUIET_HOURS: z.string().default("21-8").pipe(quietHours),
});

export type Config = z.output<typeof configSchema> & {
  /** PUBLIC_BASE_URL, or http://localhost:PORT */
  publicBaseUrl: string;
  simulatorEnabled: boolean;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses the environment. Empty strings count as unset (a blank line in a .env file should not
 * fail the start). Throws ConfigError whose message is one line naming the variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((name) => [name, env[name]] as const)
      .filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const result = configSchema.safeParse(present);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    const got = present[name];
    const shown = /KEY|SECRET|TOKEN|PASSWORD/.test(name) ? "" : ` (got ${JSON.stringify(redactUrl(got ?? ""))})`;
    throw new ConfigError(`${name}: expected ${issue.message}${shown}`);
  }
  const config = result.data;
  return {
    ...config,
    publicBaseUrl: (config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, ""),
    simulatorEnabled: config.SIMULATOR_ENABLED ?? config.NODE_ENV !== "production",
  };
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, for error messages and logs. */
export function redactUrl(value: string): string {
  return value.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");
}
