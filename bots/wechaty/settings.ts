// The wechaty bridge's variables: the service's side (the token, where the bot listens) and the bot
// process's (the puppet); the bot's are checked further in config.ts when `npm run bot:wechaty` starts.
import { z } from "zod";
import { optionalText, url } from "../../src/shared/config-fields.ts";

export const wechatySettings = {
  /** shared by the service and `npm run bot:wechaty`; the wechaty channel is on only when it is set */
  WECHATY_BRIDGE_TOKEN: z.string().trim().min(24, "at least 24 characters (openssl rand -hex 24), the same in the service and the bot").optional(),
  /** the bot process's send endpoint, as the service reaches it; the bot listens on its port */
  WECHATY_BOT_URL: url(["http", "https"]).default("http://127.0.0.1:8788"),
  /** the service, as the bot process reaches it (default http://127.0.0.1:PORT) */
  WECHATY_SERVICE_URL: url(["http", "https"]).optional(),
  WECHATY_PUPPET: z.string().trim().regex(/^(@[a-z0-9-]+\/)?wechaty-puppet-[a-z0-9-]+$/, "a puppet package name, e.g. wechaty-puppet-service").optional(),
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  WECHATY_PUPPET_SERVICE_ENDPOINT: optionalText,
};
