// SMS for feature phones. Two providers behind one channel: Aliyun for Chinese (+86) numbers
// (Twilio cannot do two-way SMS with them), Twilio for other numbers; with no credentials the
// messages stay recorded in the outbox (visible on the plan timeline), so nothing is lost.
import { CHANNEL } from "../../src/shared/channel-names.ts";
import { SIGNATURE_ROOM, SMS_TEXT_CHARS } from "../../src/shared/sms-text.ts";
import type { Config } from "../../src/config.ts";
import { SendFailure, type ChannelDelivery, type Sender } from "../../src/delivery/sender.ts";
import type { Logger } from "../../src/shared/logger.ts";
import type { ChannelDefinition } from "../types.ts";
import { createAliyunSender, createTwilioSender, SmsSendError } from "./protocol/index.ts";
import { mountSms } from "./routes.ts";

export const smsChannel: ChannelDefinition = {
  name: CHANNEL.sms,
  capabilities: { textBudget: SMS_TEXT_CHARS, joinsReplies: true, maxMenuOptions: 5, knowsPhone: true },
  repliesInline: false,
  enabled: () => true,
  mount: mountSms,
  delivery: smsDelivery,
};

const asSendFailure = (error: unknown) =>
  error instanceof SmsSendError ? new SendFailure(error.message, error.retryable, error.optedOut) : error;

function smsDelivery(config: Config, log: Logger): ChannelDelivery {
  const twilio =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM
      ? createTwilioSender({ accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, from: config.TWILIO_FROM, apiUrl: config.TWILIO_API_URL })
      : undefined;
  const aliyun =
    config.ALIYUN_SMS_ACCESS_KEY_ID && config.ALIYUN_SMS_ACCESS_KEY_SECRET && config.ALIYUN_SMS_SIGN_NAME
      ? createAliyunSender({
          accessKeyId: config.ALIYUN_SMS_ACCESS_KEY_ID,
          accessKeySecret: config.ALIYUN_SMS_ACCESS_KEY_SECRET,
          signName: config.ALIYUN_SMS_SIGN_NAME,
          endpoint: config.ALIYUN_SMS_ENDPOINT,
        })
      : undefined;
  if (!twilio && !aliyun) log.info("no SMS provider configured: SMS messages are recorded in the outbox only");
  const signature = config.ALIYUN_SMS_SIGN_NAME?.replace(/^【|】$/gu, "");
  if (aliyun && signature && signature.length + 2 > SIGNATURE_ROOM) {
    log.warn({ ALIYUN_SMS_SIGN_NAME: signature }, `the SMS signature is longer than ${SIGNATURE_ROOM - 2} characters: the fullest texts will go as two messages, billed twice`);
  }

  const sender: Sender = {
    async send({ id, to, body }) {
      try {
        if (aliyun && to.startsWith("+86")) {
          // Aliyun sends approved templates only: a notice goes on its own template when one is
          // approved for it (ALIYUN_SMS_TEMPLATES), anything else on the generic ${content} one.
          const own = body.template ? config.ALIYUN_SMS_TEMPLATES[body.template] : undefined;
          const templateCode = own ?? config.ALIYUN_SMS_TEMPLATE_CODE;
          if (!templateCode) throw new SendFailure("no Aliyun template for this message (set ALIYUN_SMS_TEMPLATE_CODE or ALIYUN_SMS_TEMPLATES)", false);
          const templateParam = own && body.params ? body.params : { content: body.text };
          return await aliyun.send({ to, templateCode, templateParam, outId: id });
        }
        if (twilio) {
          return await twilio.send({ to, body: body.text, statusCallback: `${config.publicBaseUrl}/webhooks/sms/twilio/status` });
        }
      } catch (error) {
        throw asSendFailure(error);
      }
      return { providerMessageId: "outbox-only" };
    },
  };
  // Twilio long codes take about 1 message per second per number; Aliyun far more. The dispatcher's
  // rate is the slower provider's when both are set, so neither is overrun.
  const provider = (to: string) => (aliyun && to.startsWith("+86") ? "aliyun" : twilio ? "twilio" : "outbox-only");
  return { sender, ratePerSecond: twilio ? 10 : 100, dailyCap: 5, provider };
}
