// `npm run bot:wechaty`: the wechaty bot, a process of its own beside the service (`npm start`). The
// embedded database admits one process, so the bot never opens it: it forwards messages to the
// service's bridge route and serves the endpoint the service's outbox sends through (bot.ts). This
// file reads the environment and builds the Wechaty; nothing else does. It lives beside the bot's own
// packages (package.json here, installed by `npm run bot:wechaty`), which resolve only from here.
import { dirname } from "node:path";
import { WechatyBuilder, type PuppetModuleName } from "wechaty";
import { startWechatyBot } from "./bot.ts";
import { PERSONAL_ACCOUNT_PUPPETS, wechatyBotSettings } from "./config.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { privateDataDir } from "../../src/entry/local-secrets.ts";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config;
let settings;
try {
  config = loadConfig(process.env);
  settings = wechatyBotSettings(config);
} catch (error) {
  if (error instanceof ConfigError) fail(`configuration: ${error.message}`);
  throw error;
}
const log = createLogger({ level: config.LOG_LEVEL });

// A puppet that is not installed would fail deep inside wechaty's start-up: say so plainly first.
try {
  await import(settings.puppet);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
    fail(`configuration: WECHATY_PUPPET: the package ${settings.puppet} is not installed (npm install --prefix bots/wechaty ${settings.puppet})`);
  }
  throw error;
}
if (PERSONAL_ACCOUNT_PUPPETS.has(settings.puppet)) {
  log.warn(
    { puppet: settings.puppet },
    "this puppet drives a personal WeChat account, which WeChat bans when automated: prefer WeCom through a puppet service, and the Official Account channel for WeChat",
  );
}

// The login session is a credential: DATA_DIR and the card are this user's alone.
privateDataDir(dirname(settings.memoryName));
const wechaty = WechatyBuilder.build({
  name: settings.memoryName,
  puppet: settings.puppet as PuppetModuleName,
  puppetOptions: settings.puppetOptions,
});

const bot = await startWechatyBot({ wechaty, serviceUrl: settings.serviceUrl, token: settings.token, listen: settings.listen, log }).catch((error: Error) =>
  fail(
    (error as NodeJS.ErrnoException).code === "EADDRINUSE"
      ? `WECHATY_BOT_URL: ${settings.listen.hostname}:${settings.listen.port} is already in use`
      : `wechaty bot start-up failed: ${error.message}`,
  ),
);
log.info({ url: bot.url, puppet: settings.puppet }, "wechaty bot is listening for the service's sends");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "stopping");
  await bot.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
