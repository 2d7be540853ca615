// SMS webhooks. Twilio: inbound messages and delivery statuses, both signed (X-Twilio-Signature
// over the public URL and every field), answered with empty TwiML once the turn is recorded, while
// the reply goes through the outbox. Aliyun: replies (SmsUp) and reports (SmsReport) on a secret path, since
// Aliyun signs nothing.
import { withinDeadline } from "../../src/http/after-response.ts";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { timingSafeEqual } from "node:crypto";
import type { DeliveryStatus } from "../../src/delivery/sender.ts";
import { AppError } from "../../src/http/errors.ts";
import type { Router } from "../../src/http/context.ts";
import { normalizeMobile } from "../../src/shared/identifiers.ts";
import type { ChannelContext } from "../types.ts";
import { smsChannel } from "./index.ts";
import {
  ALIYUN_CALLBACK_ACK,
  emptyTwiml,
  parseAliyunCallback,
  parseTwilioInbound,
  parseTwilioStatus,
  SmsProtocolError,
  verifyTwilioRequest,
  type TwilioParams,
} from "./protocol/index.ts";


/** How long a Twilio message waits for its turn to be recorded before it is answered anyway. */
const TWILIO_ANSWER_MS = 10_000;

/** Twilio's statuses in the outbox's terms. */
const twilioStatus: Record<string, DeliveryStatus> = {
  accepted: "sent",
  scheduled: "sent",
  queued: "sent",
  sending: "sent",
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  undelivered: "undelivered",
  failed: "failed",
  canceled: "failed",
};

/** Form fields as Twilio sent them: repeated keys stay arrays, so the signature covers them all. */
async function formFields(c: Context): Promise<TwilioParams | null> {
  if (!(c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded")) return null;
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(await c.req.text())) {
    const existing = params[key];
    params[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function describe(app: Router) {
  const twilioForm = { content: { "application/x-www-form-urlencoded": { schema: z.record(z.string(), z.string()) } } };
  const signedResponses = {
    200: { description: "empty TwiML: the reply goes through the outbox", content: { "text/xml": { schema: z.string() } } },
    400: { description: "a required field is missing" },
    403: { description: "X-Twilio-Signature does not verify over PUBLIC_BASE_URL and every field: nothing is recorded" },
  };
  app.openAPIRegistry.registerPath({ method: "post", path: "/webhooks/sms/twilio", summary: "Twilio: an inbound SMS", request: { body: twilioForm }, responses: signedResponses });
  app.openAPIRegistry.registerPath({ method: "post", path: "/webhooks/sms/twilio/status", summary: "Twilio: a delivery status callback", request: { body: twilioForm }, responses: signedResponses });
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/webhooks/sms/aliyun/{secret}",
    summary: "Aliyun: pushed SmsUp replies and SmsReport delivery reports (JSON arrays)",
    request: { params: z.object({ secret: z.string() }) },
    responses: { 200: { description: '{"code":0,"msg":"接收成功"}' }, 400: { description: "not an Aliyun callback" }, 403: { description: "wrong path secret" } },
  });
}

export function mountSms(app: Router, { ports, config, log }: ChannelContext) {
  describe(app);

  /** Verifies a Twilio webhook and reads it; throws the refusal (403, 415, 400) otherwise. */
  async function verifiedTwilio<T>(c: Context, read: (params: TwilioParams) => T): Promise<T> {
    if (!config.TWILIO_AUTH_TOKEN) throw new AppError("forbidden", "Twilio is not configured: set TWILIO_AUTH_TOKEN");
    const params = await formFields(c);
    if (!params) throw new AppError("unsupported_media_type", "Twilio posts application/x-www-form-urlencoded");
    const url = new URL(c.req.url);
    const signedUrl = `${config.publicBaseUrl}${url.pathname}${url.search}`;
    if (!verifyTwilioRequest({ authToken: config.TWILIO_AUTH_TOKEN, url: signedUrl, params, signature: c.req.header("x-twilio-signature") ?? "" })) {
      throw new AppError("forbidden", "X-Twilio-Signature does not verify");
    }
    try {
      return read(params);
    } catch (error) {
      if (error instanceof SmsProtocolError) throw new AppError("bad_request", error.message);
      throw error;
    }
  }

  // Answered once the turn is recorded, so that "received" means kept: a process that dies first
  // leaves Twilio without an answer, which it reports (error 11200) and hands to the fallback URL
  // if one is set, rather than a message acknowledged and lost. It also holds a sender back while
  // the service is behind, instead of piling turns up in memory. A turn slower than Twilio's
  // patience (15 s) is answered at TWILIO_ANSWER_MS and finished afterwards. The replies go
  // through the outbox, as every SMS does.
  app.post("/webhooks/sms/twilio", async (c) => {
    const inbound = await verifiedTwilio(c, parseTwilioInbound);
    const phone = normalizeMobile(inbound.from);
    const turn = ports.handle(
      {
        channel: smsChannel.name,
        address: inbound.from,
        messageId: inbound.messageSid,
        // Twilio has already blocked or unblocked the number on its own keywords; our engine
        // records the same decision so that pushes stop here too.
        text: inbound.optOutType === "STOP" ? "STOP" : inbound.optOutType === "START" ? "START" : inbound.body,
        ...(phone ? { phone } : {}),
      },
      smsChannel,
    );
    await withinDeadline(turn, TWILIO_ANSWER_MS, log, "a slow SMS turn");
    return c.body(emptyTwiml(), 200, { "content-type": "text/xml" });
  });

  app.post("/webhooks/sms/twilio/status", async (c) => {
    const report = await verifiedTwilio(c, parseTwilioStatus);
    const status = twilioStatus[report.status];
    if (status) {
      await ports.deliveryStatus({
        channel: smsChannel.name,
        providerMessageId: report.messageSid,
        status,
        ...(report.errorCode ? { error: `Twilio ${report.errorCode}` } : {}),
      });
    }
    return c.body(emptyTwiml(), 200, { "content-type": "text/xml" });
  });

  app.post("/webhooks/sms/aliyun/:secret", async (c) => {
    const secret = config.ALIYUN_SMS_CALLBACK_SECRET;
    if (!secret || !sameSecret(secret, c.req.param("secret"))) throw new AppError("forbidden", "unknown callback path");
    let items;
    try {
      items = parseAliyunCallback(await c.req.json());
    } catch (error) {
      if (error instanceof SmsProtocolError || error instanceof SyntaxError) throw new AppError("bad_request", "not an Aliyun SMS callback");
      throw error;
    }
    for (const item of items) {
      if (item.kind === "SmsUp") {
        if (!item.e164) {
          log.warn("Aliyun reply from a number that is not a mainland mobile: ignored");
          continue;
        }
        await ports.handle(
          { channel: smsChannel.name, address: item.e164, messageId: `aliyun:${item.sequenceId}`, text: item.content, phone: item.e164 },
          smsChannel,
        );
      } else {
        await ports.deliveryStatus({
          channel: smsChannel.name,
          providerMessageId: item.bizId,
          status: item.success ? "delivered" : "undelivered",
          ...(item.success ? {} : { error: `Aliyun ${item.errCode} ${item.errMsg}` }),
        });
      }
    }
    return c.json(ALIYUN_CALLBACK_ACK);
  });
}
