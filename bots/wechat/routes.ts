// The Official Account webhook. GET: WeChat checks the server (signature → echostr). POST: a user's
// message or event, plain or in safe mode (encrypt_type=aes). Nothing is recorded from a request
// whose signature does not verify. A quick turn is answered passively in the response; a slow one
// gets "success" (WeChat then shows nothing and does not retry) and its replies go through the
// customer-service API from the outbox.
import { withinDeadline } from "../../src/http/after-response.ts";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AppError } from "../../src/http/errors.ts";
import type { Router } from "../../src/http/context.ts";
import { ReplayRefused, type ChannelContext, type InboundMessage } from "../types.ts";
import { PASSIVE_REPLY_MS, wechatChannel } from "./index.ts";
import {
  createWeChatCipher,
  dedupeKey,
  encryptedEnvelope,
  encryptedReplyXml,
  messageSignature,
  parseWeChatXml,
  readInbound,
  signaturesMatch,
  textReplyXml,
  urlSignature,
  WeChatCryptoError,
  WeChatXmlError,
  type WeChatInbound,
} from "./protocol/index.ts";

const MAX_BODY_BYTES = 64 * 1024;
/** A callback signed longer ago (or further ahead) than this is refused: a captured URL goes stale. */
export const TIMESTAMP_WINDOW_S = 300;
const VOICE_NOT_UNDERSTOOD = "没听清您的语音，请打字回复，谢谢。";
/** A photo (of an ID card, say), a video, a location or a link: nothing the chat can read, and silence would look like a dead line. */
const ONLY_TEXT = "这里只能看文字，看不了图片、视频和位置。请打字回复，谢谢。";


function toInbound(inbound: WeChatInbound): InboundMessage | null {
  const base = { channel: wechatChannel.name, address: inbound.from, messageId: dedupeKey(inbound) };
  switch (inbound.kind) {
    case "text":
      return { ...base, text: inbound.content };
    case "voice":
      return inbound.recognition ? { ...base, text: inbound.recognition } : null;
    case "event":
      if (inbound.event === "subscribe") return { ...base, text: "", event: "subscribe" };
      if (inbound.event === "unsubscribe") return { ...base, text: "", event: "unsubscribe", opensWindow: false };
      // A menu click is read as the command its key names; it does not open the 48-hour window.
      if (inbound.event === "CLICK") return { ...base, text: inbound.eventKey ?? "", event: "menu", ...(inbound.eventKey ? { eventKey: inbound.eventKey } : {}), opensWindow: false };
      return null;
    case "other":
      return null;
  }
}

function describe(app: Router) {
  const signed = {
    signature: z.string().openapi({ description: "sha1 of the sorted token, timestamp and nonce" }),
    timestamp: z.string(),
    nonce: z.string(),
  };
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/webhooks/wechat",
    summary: "WeChat's server check: answers echostr when the signature verifies",
    request: { query: z.object({ ...signed, echostr: z.string() }) },
    responses: { 200: { description: "echostr, unchanged" }, 403: { description: "not signed by WeChat, or WeChat not configured" } },
  });
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/webhooks/wechat",
    summary: "A user's message or event (XML), plain or in safe mode (encrypt_type=aes)",
    request: {
      query: z.object({ ...signed, openid: z.string().optional(), encrypt_type: z.enum(["aes"]).optional(), msg_signature: z.string().optional() }),
      body: { content: { "application/xml": { schema: z.string() } } },
    },
    responses: {
      200: { description: "a passive reply (XML, encrypted in safe mode) or `success`", content: { "application/xml": { schema: z.string() } } },
      403: { description: "the signature does not verify: nothing is recorded" },
      413: { description: "the body is too large" },
    },
  });
}

export function mountWeChat(app: Router, { ports, config, log, clock }: ChannelContext) {
  describe(app);
  const cipher =
    config.WECHAT_ENCODING_AES_KEY && config.WECHAT_APP_ID
      ? createWeChatCipher({ encodingAesKey: config.WECHAT_ENCODING_AES_KEY, appId: config.WECHAT_APP_ID })
      : undefined;

  /** The token, once the request is shown to come from WeChat; throws 403 otherwise. */
  const verifiedToken = (c: Context): string => {
    const token = config.WECHAT_TOKEN;
    if (!token) throw new AppError("forbidden", "WeChat is not configured: set WECHAT_TOKEN");
    const { signature, timestamp, nonce } = c.req.query();
    if (!timestamp || !nonce || !signaturesMatch(urlSignature(token, timestamp, nonce), signature)) {
      throw new AppError("forbidden", "the signature does not verify");
    }
    return token;
  };

  app.get("/webhooks/wechat", (c) => {
    verifiedToken(c);
    return c.text(c.req.query("echostr") ?? "");
  });

  app.post("/webhooks/wechat", async (c) => {
    const token = verifiedToken(c);
    const body = await c.req.text();
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new AppError("payload_too_large", "the body is too large");
    const { timestamp = "", nonce = "" } = c.req.query();
    const safeMode = c.req.query("encrypt_type") === "aes";
    // Plain mode's signature covers the URL, not the body: with a key configured, only safe mode
    // (whose signature covers the message) is taken, so a seen callback URL lets nobody post.
    if (cipher && !safeMode) throw new AppError("forbidden", "safe mode (encrypt_type=aes) is required: WECHAT_ENCODING_AES_KEY is set");
    if (!(Math.abs(clock().getTime() / 1000 - Number(timestamp)) <= TIMESTAMP_WINDOW_S)) {
      throw new AppError("forbidden", "the timestamp is more than 5 minutes off");
    }

    let inbound: WeChatInbound;
    try {
      if (safeMode) {
        if (!cipher) throw new AppError("forbidden", "safe mode needs WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID");
        const { encrypt } = encryptedEnvelope(body);
        // The message signature is checked before decrypting: CBC lets a forger change a message
        // without breaking its decryption.
        if (!signaturesMatch(messageSignature(token, timestamp, nonce, encrypt), c.req.query("msg_signature"))) {
          throw new AppError("forbidden", "the message signature does not verify");
        }
        inbound = readInbound(parseWeChatXml(cipher.decrypt(encrypt).message));
      } else {
        inbound = readInbound(parseWeChatXml(body));
      }
    } catch (error) {
      if (error instanceof WeChatXmlError || error instanceof WeChatCryptoError) {
        // Signed by WeChat but not a message we read (e.g. an event with nested fields): say
        // "success" so WeChat neither retries nor shows the user an error.
        log.warn({ reason: error.message }, "unreadable WeChat callback");
        return c.text("success");
      }
      throw error;
    }

    // The URL's openid is WeChat's word for who wrote; the body must say the same. And a nonce
    // comes once in the window (again only with the same body: WeChat's own retry): checked in the
    // turn's own statement for a message, on its own for anything else.
    if (c.req.query("openid") !== inbound.from) throw new AppError("forbidden", "the openid does not match the sender");
    const replayGuard = { key: `${timestamp}:${nonce}`, body };
    const nonceRefused = () => new AppError("forbidden", "the nonce was used before");

    const reply = (text: string) => {
      const xml = textReplyXml({ to: inbound.from, from: inbound.to, createTime: Math.floor(clock().getTime() / 1000), content: text });
      if (!safeMode || !cipher) return c.body(xml, 200, { "content-type": "application/xml" });
      const encrypt = cipher.encrypt(xml);
      const at = String(Math.floor(clock().getTime() / 1000));
      return c.body(encryptedReplyXml({ encrypt, msgSignature: messageSignature(token, at, nonce, encrypt), timestamp: at, nonce }), 200, {
        "content-type": "application/xml",
      });
    };

    const read = toInbound(inbound);
    if (!read) {
      if (!(await ports.nonceFresh(wechatChannel.name, replayGuard.key, body))) throw nonceRefused();
      return inbound.kind === "voice" ? reply(VOICE_NOT_UNDERSTOOD) : inbound.kind === "other" ? reply(ONLY_TEXT) : c.text("success");
    }
    const message = { ...read, replayGuard };

    const turn = ports.handle(message, wechatChannel);
    const outcome = await withinDeadline(turn, PASSIVE_REPLY_MS, log, "a slow WeChat turn").catch((error: unknown) => {
      throw error instanceof ReplayRefused ? nonceRefused() : error;
    });
    if (!outcome) return c.text("success");
    // A fresh turn answered in time, or a retry of one whose answer WeChat never got: the same reply.
    if (outcome.answeredInline && outcome.replies.length > 0) return reply(outcome.replies.join("\n\n"));
    if (outcome.duplicate || outcome.replies.length === 0) return c.text("success");
    // Near the deadline: answer passively only if every reply is still ours to send; else the dispatcher has them.
    const taken = await ports.repliedInline(wechatChannel.name, message.messageId, outcome.replies.length);
    return taken === outcome.replies.length ? reply(outcome.replies.join("\n\n")) : c.text("success");
  });
}

