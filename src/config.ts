// Every environment variable the service reads, in one zod schema (see README "Configuration" and
// ../shared/contract.md): the core's here, each channel's in its own folder (bots/<channel>/settings.ts).
// Entries parse it once and pass the result down; nothing else reads the environment.
import { z } from "zod";
import { smsSettings } from "../bots/sms/settings.ts";
import { wechatSettings } from "../bots/wechat/settings.ts";
import { wechatySettings } from "../bots/wechaty/settings.ts";
import { base64Key, flag, optionalText, quietHours, url } from "./shared/config-fields.ts";

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
  METRICS_TOKEN: z.string().trim().min(24, "at least 24 characters").optional(),
  PII_ENCRYPTION_KEY: base64Key.optional(),
  PUBLIC_BASE_URL: url(["http", "https"]).optional(),
  SIMULATOR_ENABLED: flag.optional(),
  WEB_CONCURRENCY: z.coerce.number({ error: "a whole number of processes, 1 to 64" }).int("a whole number of processes, 1 to 64").min(1, "a whole number of processes, 1 to 64").max(64, "a whole number of processes, 1 to 64").default(1),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "a pino level (info, debug, …)" }).default("info"),
  ...smsSettings,
  ...wechatSettings,
  ...wechatySettings,
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
