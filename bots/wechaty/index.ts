// wechaty: chat through a puppet the deployment chooses (WeCom through a puppet service; the mock
// puppet in tests). Automating a personal WeChat account breaks WeChat's rules and gets it banned,
// so this is never the main WeChat path: that is the Official Account (bots/wechat).
//
// Wechaty needs a long-running Node process, and the embedded database admits one process, so the
// bot runs apart (`npm run bot:wechaty`, bots/wechaty/bot.ts) and reaches the service over HTTP:
// this channel is the service's end of that bridge. Nothing here loads wechaty itself.
import { CHANNEL } from "../../src/shared/channel-names.ts";
import type { Config } from "../../src/config.ts";
import type { ChannelDelivery } from "../../src/delivery/sender.ts";
import type { Logger } from "../../src/shared/logger.ts";
import type { ChannelDefinition } from "../types.ts";
import { createBotSender } from "./client.ts";
import { BRIDGE_ANSWER_MS } from "./protocol.ts";
import { mountWechatyBridge } from "./routes.ts";

export const wechatyChannel: ChannelDefinition = {
  name: CHANNEL.wechaty,
  // WeChat-like: long messages are fine, numbered menus; the contact's phone is not known.
  capabilities: { textBudget: 600, maxMenuOptions: 8, knowsPhone: false, joinsReplies: false },
  repliesInline: false,
  // Replies wait this long in the outbox for the bridge to answer them inline, as WeChat's passive
  // replies do; a slow turn's replies are sent by the dispatcher afterwards.
  passiveReplyMs: BRIDGE_ANSWER_MS,
  enabled: (config) => Boolean(config.WECHATY_BRIDGE_TOKEN),
  mount: mountWechatyBridge,
  delivery: wechatyDelivery,
};

function wechatyDelivery(config: Config, log: Logger): ChannelDelivery {
  if (!config.WECHATY_BRIDGE_TOKEN) throw new Error("the wechaty channel needs WECHATY_BRIDGE_TOKEN");
  log.info({ botUrl: config.WECHATY_BOT_URL }, "wechaty messages are sent through the bot process");
  return {
    sender: createBotSender({ botUrl: config.WECHATY_BOT_URL, token: config.WECHATY_BRIDGE_TOKEN }),
    // Puppet services and WeCom flag accounts that send in bursts: a slow, steady pace.
    ratePerSecond: 2,
  };
}
