// WeChat Official Account (公众号/服务号): the production WeChat channel. Automating personal WeChat
// accounts gets them banned; the Official Account webhook is the sanctioned path.
import { CHANNEL } from "../../src/shared/channel-names.ts";
import type { Config } from "../../src/config.ts";
import { SendFailure, type ChannelDelivery } from "../../src/delivery/sender.ts";
import type { Logger } from "../../src/shared/logger.ts";
import type { ChannelDefinition } from "../types.ts";
import { createWeChatClient, NOT_SUBSCRIBED, OUTSIDE_WINDOW, WeChatApiError } from "./client.ts";
import { mountWeChat } from "./routes.ts";

/** WeChat waits 5 s for an answer, then retries: answer passively within this, else later. */
export const PASSIVE_REPLY_MS = 4_000;

export const wechatChannel: ChannelDefinition = {
  name: CHANNEL.wechat,
  capabilities: { textBudget: 600, maxMenuOptions: 8, knowsPhone: false, joinsReplies: false },
  repliesInline: false,
  passiveReplyMs: PASSIVE_REPLY_MS,
  enabled: () => true,
  mount: mountWeChat,
  delivery: wechatDelivery,
};

function wechatDelivery(config: Config, log: Logger): ChannelDelivery {
  if (!config.WECHAT_APP_ID || !config.WECHAT_APP_SECRET) {
    log.info("WeChat sending is not configured (WECHAT_APP_ID, WECHAT_APP_SECRET): WeChat messages stay in the outbox");
    return { sender: { send: async () => ({ providerMessageId: "outbox-only" }) }, ratePerSecond: 1000 };
  }
  const client = createWeChatClient({ appId: config.WECHAT_APP_ID, appSecret: config.WECHAT_APP_SECRET, apiUrl: config.WECHAT_API_URL });
  return {
    // Customer-service messages go out about as fast as WeChat's per-account quota allows.
    ratePerSecond: 20,
    sender: {
      async send({ to, body }) {
        if (!body.text) throw new SendFailure("WeChat messages need a text body", false);
        try {
          await client.sendText(to, body.text);
        } catch (error) {
          // Unfollowed: only SMS is left, and the WeChat address stops getting pushes.
          if (error instanceof WeChatApiError && error.errcode === NOT_SUBSCRIBED) throw new SendFailure(error.message, false, true, CHANNEL.sms);
          if (!(error instanceof WeChatApiError && error.errcode === OUTSIDE_WINDOW)) throw error;
          // Outside the 48-hour window: a template message when one is approved for this notice,
          // else the dispatcher falls back to the worker's SMS number.
          const templateId = body.template ? config.WECHAT_TEMPLATES[body.template] : undefined;
          if (!templateId || !body.params) throw new SendFailure(error.message, false, false, CHANNEL.sms);
          try {
            return { providerMessageId: await client.sendTemplate(to, templateId, body.params) };
          } catch (templateError) {
            // A timeout or a 5xx may still have delivered it: tried again on WeChat later (the
            // dispatcher's retry), never doubled by SMS. A refusal is final: SMS carries it instead.
            if (templateError instanceof SendFailure && templateError.retryable) throw templateError;
            throw new SendFailure(`${error.message}; template: ${(templateError as Error).message}`, false, false, CHANNEL.sms);
          }
        }
        return { delivered: true };
      },
    },
  };
}
