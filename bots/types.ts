// The one shape every channel has. A channel turns its provider's requests into plain inbound
// messages, hands them to the conversation port, and renders what comes back for its medium. It
// never touches the database or another channel (test/boundaries.test.ts enforces it).
import type { Config } from "../src/config.ts";
import type { ChannelDelivery, DeliveryUpdate } from "../src/delivery/sender.ts";
import type { Clock } from "../src/shared/clock.ts";
import type { RateLimits } from "../src/shared/rate-limits.ts";
import type { ChannelCapabilities } from "../src/engine/index.ts";
import type { Router } from "../src/http/context.ts";
import type { Logger } from "../src/shared/logger.ts";

export interface InboundMessage {
  channel: string;
  /** who wrote: the phone (E.164) on SMS, the openid on WeChat, any id on the web simulator */
  address: string;
  /** the provider's message id: webhooks are retried, a turn runs once */
  messageId: string;
  text: string;
  /** the sender's phone, when the channel knows it */
  phone?: string;
  event?: "subscribe" | "unsubscribe" | "menu";
  eventKey?: string;
  /** false for what does not open WeChat's 48-hour customer-service window (a menu click) */
  opensWindow?: boolean;
  /**
   * A key the request must be the first to use, unless with this very body (the provider's own
   * retry): WeChat signs its timestamp and nonce, not the body. Checked in the turn's own statement;
   * a request that fails it records nothing and the turn throws `ReplayRefused`.
   */
  replayGuard?: { key: string; body: string };
}

/** The request reused a replay guard's key with another body: refused, nothing recorded. */
export class ReplayRefused extends Error {
  constructor() {
    super("the nonce was used before");
  }
}

export interface TurnOutcome {
  /** the message was handled before (a provider's retry): nothing was done again */
  duplicate: boolean;
  /** the reply texts, each within the channel's text budget, in order */
  replies: string[];
  /**
   * The replies are recorded as delivered in the turn itself: the channel answers them in its own
   * response (WeChat's passive reply), with nothing more to mark. False when the turn came too
   * close to the channel's deadline: then the queued replies are the dispatcher's unless
   * repliedInline takes them over.
   */
  answeredInline?: boolean;
}

export interface SentMessage {
  text: string;
  at: string;
  purpose: string;
}

/** What a channel may ask of the service. */
export interface ChannelPorts {
  handle(message: InboundMessage, channel: ChannelDefinition): Promise<TurnOutcome>;
  /**
   * A signed request's nonce, seen for the first time (true), or again with the same body (true: a
   * provider's retry), or again with another body (false: a replay). Kept in the inbound receipts,
   * so it holds across processes.
   */
  nonceFresh(channel: string, nonce: string, body: string): Promise<boolean>;
  /** everything recorded as sent to an address on a channel, oldest first */
  sentTo(channel: string, address: string): Promise<SentMessage[]>;
  /** a provider's delivery report (status only moves forward) */
  /** stamped with the service's clock when it arrives */
  deliveryStatus(update: Omit<DeliveryUpdate, "at">): Promise<void>;
  /**
   * The channel answered a message's replies in its own response (WeChat's passive reply): mark
   * them delivered so the dispatcher does not send them again. Returns how many it took over; fewer
   * than were queued means the dispatcher got there first.
   */
  repliedInline(channel: string, messageId: string, replies: number): Promise<number>;
}

/** The conversation host: the channels' ports, and a way to let turns in flight finish. */
export interface ConversationHost extends ChannelPorts {
  /** resolves when every turn started so far has been recorded */
  drain(): Promise<void>;
}

export interface ChannelContext {
  ports: ChannelPorts;
  config: Config;
  log: Logger;
  /** the service's clock (a webhook's timestamp is checked against it) */
  clock: Clock;
  rateLimits: RateLimits;
}

export interface ChannelDefinition {
  name: string;
  capabilities: ChannelCapabilities;
  /** replies travel in the answer to the inbound request itself (web) rather than through the outbox */
  repliesInline: boolean;
  /**
   * The channel may answer in its own response if the turn is quick enough (WeChat: within 5 s);
   * until then the queued replies wait, and go through the outbox only if that did not happen.
   */
  passiveReplyMs?: number;
  enabled(config: Config): boolean;
  mount(app: Router, context: ChannelContext): void;
  /** how the outbox dispatcher sends this channel's queued messages */
  delivery(config: Config, log: Logger): ChannelDelivery;
}
