import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";

const errorFor = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
};

describe("configuration", () => {
  it("runs on embedded defaults with nothing set", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 8787, DATA_DIR: "./data", publicBaseUrl: "http://localhost:8787", simulatorEnabled: true });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.MEILI_URL).toBeUndefined();
    expect(config.SMS_QUIET_HOURS).toEqual({ start: 21, end: 8 });
  });

  it("names the variable and what it expects, in one line", () => {
    for (const [env, name] of [
      [{ PORT: "eighty" }, "PORT"],
      [{ PORT: "70000" }, "PORT"],
      [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
      [{ MEILI_URL: "localhost:7700" }, "MEILI_URL"],
      [{ SMS_QUIET_HOURS: "9pm-8am" }, "SMS_QUIET_HOURS"],
      [{ SIMULATOR_ENABLED: "maybe" }, "SIMULATOR_ENABLED"],
      [{ WECHAT_ENCODING_AES_KEY: "short" }, "WECHAT_ENCODING_AES_KEY"],
      [{ PII_ENCRYPTION_KEY: "c2hvcnQ=" }, "PII_ENCRYPTION_KEY"],
    ] as const) {
      const message = errorFor(env);
      expect(message.startsWith(`${name}: expected `), message).toBe(true);
      expect(message).not.toContain("\n");
    }
    expect(errorFor({ PORT: "eighty" })).toContain('"eighty"');
  });

  it("never repeats a secret or a database password in its error", () => {
    expect(errorFor({ ADMIN_TOKEN: "tooshort" })).not.toContain("tooshort");
    expect(errorFor({ DATABASE_URL: "mysql://app:hunter2@db/zt" })).not.toContain("hunter2");
  });

  it("treats blank values as unset and derives the public URL and simulator switch", () => {
    expect(loadConfig({ PORT: "  ", DATABASE_URL: "" }).PORT).toBe(8787);
    expect(loadConfig({ PORT: "9000" }).publicBaseUrl).toBe("http://localhost:9000");
    expect(loadConfig({ PUBLIC_BASE_URL: "https://zt.example.cn/" }).publicBaseUrl).toBe("https://zt.example.cn");
    expect(loadConfig({ NODE_ENV: "production" }).simulatorEnabled).toBe(false);
    expect(loadConfig({ NODE_ENV: "production", SIMULATOR_ENABLED: "on" }).simulatorEnabled).toBe(true);
    expect(loadConfig({ SMS_QUIET_HOURS: "off" }).SMS_QUIET_HOURS).toBeNull();
  });
});
