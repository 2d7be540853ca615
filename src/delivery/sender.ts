// What a channel gives the outbox dispatcher: a sender for its provider, and the provider's limits.
// Kept apart from the dispatcher so that channels depend on this contract only.
import type { OutboxMessage } from "../db/client.ts";

export interface SendResult {
  providerMessageId?: string;
  /** the channel confirms delivery itself (the web simulator): no status callback will come */
  delivered?: boolean;
}

export class SendFailure extends Error {
  override name = "SendFailure";
  constructor(
    message: string,
    readonly retryable: boolean,
    /** the provider says this address opted out (Twilio 21610): stop pushing to it */
    readonly optedOut = false,
    /** the channel cannot reach the person now (WeChat's 48-hour window): try this channel instead */
    readonly fallbackChannel?: string,
  ) {
    super(message);
  }
}

export interface Sender {
  send(message: OutboxMessage): Promise<SendResult>;
}

export interface ChannelDelivery {
  sender: Sender;
  /** provider rate limit, messages per second */
  ratePerSecond: number;
  /** pushes and notices per address per China day; replies do not count */
  dailyCap?: number;
}

/** What a provider can report about a message it took. */
export type DeliveryStatus = "sent" | "delivered" | "undelivered" | "failed";

export interface DeliveryUpdate {
  channel: string;
  providerMessageId: string;
  status: DeliveryStatus;
  error?: string;
  at: Date;
}
