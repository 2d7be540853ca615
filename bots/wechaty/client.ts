// The service's side of sending: the outbox dispatcher hands a message to the bot process's send
// endpoint, which says it to the contact through the puppet. Retries and backoff are the
// dispatcher's; this only says which failures are worth retrying.
import { SendFailure, type Sender } from "../../src/delivery/sender.ts";
import { BOT_SEND_PATH, bearer, type BotSend } from "./protocol.ts";

export interface BotClientOptions {
  /** WECHATY_BOT_URL */
  botUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createBotSender(options: BotClientOptions): Sender {
  const request = options.fetch ?? fetch;
  const url = `${options.botUrl.replace(/\/$/, "")}${BOT_SEND_PATH}`;
  return {
    async send({ id, to, body: { text } }) {
      if (!text) throw new SendFailure("wechaty messages need a text body", false);
      const body: BotSend = { id, to, text };
      let response: Response;
      try {
        response = await request(url, {
          method: "POST",
          headers: { "content-type": "application/json", ...bearer(options.token) },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        // The bot is down or restarting: the message waits for it.
        throw new SendFailure(`the wechaty bot is unreachable at ${options.botUrl}: ${(error as Error).message}`, true);
      }
      const answer = (await response.json().catch(() => ({}))) as { messageId?: string; error?: { message?: string } };
      if (response.ok) return { delivered: true, ...(answer.messageId ? { providerMessageId: answer.messageId } : {}) };
      const reason = `wechaty bot HTTP ${response.status}${answer.error?.message ? `: ${answer.error.message}` : ""}`;
      // 401/403 mean the two processes disagree on WECHATY_BRIDGE_TOKEN, and 503 that the bot is not
      // logged in: an operator fixes either, and the message should still go out then. An unknown
      // contact (404) or a refused body (400) will not get better.
      const retryable = response.status >= 500 || response.status === 429 || response.status === 401 || response.status === 403;
      throw new SendFailure(reason, retryable);
    },
  };
}
