// What the bot process (`npm run bot:wechaty`) needs from the parsed configuration, checked with
// errors that name the variable. The service itself needs only WECHATY_BRIDGE_TOKEN and
// WECHATY_BOT_URL (src/config.ts); everything else here is the bot's.
import { resolve } from "node:path";
import { ConfigError, type Config } from "../../src/config.ts";

/**
 * Puppets that drive a personal WeChat account. WeChat bans automated personal accounts, which is
 * why wechaty is never the main WeChat path here: the bot warns when one of these is chosen.
 */
export const PERSONAL_ACCOUNT_PUPPETS = new Set(["wechaty-puppet-wechat", "wechaty-puppet-wechat4u", "wechaty-puppet-padlocal", "wechaty-puppet-xp"]);

export interface WechatyBotSettings {
  /** the puppet package to load, e.g. wechaty-puppet-service */
  puppet: string;
  /** passed to the puppet; puppets also read their own further variables (TLS, authority…) */
  puppetOptions: { token?: string; endpoint?: string };
  /** the service, as the bot reaches it */
  serviceUrl: string;
  token: string;
  /** the send endpoint: the host and port of WECHATY_BOT_URL */
  listen: { hostname: string; port: number };
  /** wechaty keeps its login session in <name>.memory-card.json: in the data directory */
  memoryName: string;
}

export function wechatyBotSettings(config: Config): WechatyBotSettings {
  if (!config.WECHATY_BRIDGE_TOKEN) {
    throw new ConfigError("WECHATY_BRIDGE_TOKEN: expected the secret the service has too (at least 24 characters): the bot cannot reach the service without it");
  }
  if (!config.WECHATY_PUPPET) {
    // Never left to wechaty's default, which drives a personal account (wechaty-puppet-wechat4u).
    throw new ConfigError("WECHATY_PUPPET: expected the puppet to run, e.g. wechaty-puppet-service (WeCom through a puppet service)");
  }
  if (config.WECHATY_PUPPET === "wechaty-puppet-service" && !config.WECHATY_PUPPET_SERVICE_TOKEN) {
    throw new ConfigError("WECHATY_PUPPET_SERVICE_TOKEN: expected the puppet service's token (wechaty-puppet-service needs one)");
  }
  const botUrl = new URL(config.WECHATY_BOT_URL);
  if (botUrl.protocol !== "http:") {
    throw new ConfigError(`WECHATY_BOT_URL: expected an http:// URL for the bot process, which listens on its host and port (got "${config.WECHATY_BOT_URL}"); a TLS proxy's address belongs in the service's setting only`);
  }
  return {
    puppet: config.WECHATY_PUPPET,
    puppetOptions: {
      ...(config.WECHATY_PUPPET_SERVICE_TOKEN ? { token: config.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
      ...(config.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: config.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
    },
    serviceUrl: (config.WECHATY_SERVICE_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/$/, ""),
    token: config.WECHATY_BRIDGE_TOKEN,
    // URL keeps IPv6 hosts in brackets; a server binds to the bare address.
    listen: { hostname: botUrl.hostname.replace(/^\[(.*)\]$/, "$1"), port: Number(botUrl.port || 80) },
    memoryName: resolve(config.DATA_DIR, "wechaty"),
  };
}
