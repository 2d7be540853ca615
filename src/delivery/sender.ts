// What a channel gives the outbox dispatcher: a sender for its provider, and the provider's limits.
// Kept apart from the dispatcher so that channels depend on this contract only.
import { z } from "zod";

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

/** What is stored as an outbox message's body (opened, when it was stored sealed). */
export const messageBodySchema = z.object({
  text: z.string(),
  /** the service's own name for the message (job_push, training_offer, …): a provider's approved template */
  template: z.string().optional(),
  /** the template's variables, each short enough for the providers' limits */
  params: z.record(z.string(), z.string()).optional(),
});

/** One message as a sender gets it: the address opened for the provider, the body checked. */
export interface Envelope {
  /** the outbox row's id: a provider's own id for the send (Aliyun's OutId) */
  id: string;
  channel: string;
  /** the address as the provider needs it (an SMS number opened from its sealed form) */
  to: string;
  purpose: string;
  body: z.infer<typeof messageBodySchema>;
}

export interface Sender {
  send(envelope: Envelope): Promise<SendResult>;
}

export interface ChannelDelivery {
  sender: Sender;
  /** provider rate limit, messages per second */
  ratePerSecond: number;
  /** pushes and notices per address per China day; replies do not count */
  dailyCap?: number;
  /** which provider takes this message, for the metrics (SMS: Aliyun for +86, else Twilio); the channel's name if not given */
  provider?(to: string): string;
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
