// The bridge between the service and the wechaty bot process, both ways: the bot forwards each
// message (POST /webhooks/wechaty/messages on the service) and says the replies that come back; the
// service's outbox sends pushes and late replies to the bot (POST /messages on the bot). Both sides
// present the same bearer token. One module, so that the two sides cannot drift apart.
import { z } from "zod";
import { createHash, timingSafeEqual } from "node:crypto";

export const BRIDGE_PATH = "/webhooks/wechaty/messages";
export const BOT_SEND_PATH = "/messages";

/**
 * How long the bridge waits for a turn before answering without replies (they then go through the
 * outbox). The bot waits longer for the answer, so a reply the service hands over is never lost to
 * the bot's timeout.
 */
export const BRIDGE_ANSWER_MS = 8_000;

/** The longest text the bridge takes (a message is a few words; this is the limit of sense). */
export const MAX_TEXT = 4000;

/** A message a contact wrote to the bot. The id is wechaty's: the service deduplicates on it. */
export const bridgeInboundSchema = z.object({
  messageId: z.string().trim().min(1).max(200),
  /** the contact's wechaty id: the address pushes go back to */
  from: z.string().trim().min(1).max(200),
  text: z.string().max(MAX_TEXT),
  at: z.iso.datetime({ offset: true }),
});
export type BridgeInbound = z.infer<typeof bridgeInboundSchema>;

export const bridgeAnswerSchema = z.object({
  /** the turn's replies, in order, for the bot to say now; empty when they go through the outbox */
  replies: z.array(z.string()),
  /**
   * The message was handled before: nothing was done again. Its replies come again if they were
   * answered in the bridge's own response (the bot may never have had them).
   */
  duplicate: z.boolean(),
});
export type BridgeAnswer = z.infer<typeof bridgeAnswerSchema>;

/** What the outbox asks the bot to say. `id` is the outbox message's: a resend is said once. */
export const botSendSchema = z.object({
  id: z.string().trim().min(1).max(200),
  to: z.string().trim().min(1).max(200),
  text: z.string().min(1).max(MAX_TEXT),
});
export type BotSend = z.infer<typeof botSendSchema>;

export type BearerCheck = "ok" | "missing" | "wrong";

/**
 * Checks `Authorization: Bearer <token>`. Both sides are hashed first so that the comparison takes
 * the same time whatever the length of what was sent.
 */
export function checkBearer(header: string | undefined, token: string): BearerCheck {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return "missing";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]!), digest(token)) ? "ok" : "wrong";
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
