// The outbox dispatcher: sends what the outbox holds through each channel's sender, durably.
//
// - Claiming is a single UPDATE … WHERE id = ANY (ARRAY(SELECT … FOR UPDATE SKIP LOCKED)): several processes
//   can dispatch at once and each message is taken by one. A claim is a lease: a process that dies
//   mid-send leaves the message 'sending' until the lease ends, then it is taken again.
// - Failures: retryable ones (network, timeouts, 429, 5xx) wait with exponential backoff and go
//   again; others fail for good with the reason kept. A provider outage therefore loses nothing.
// - Pushes and notices respect quiet hours (China time) and a per-address daily cap; replies to a
//   person's own message go at once, at any hour; alerts to the service's staff wait out quiet
//   hours but are never capped.
// - The provider's rate limit is a token bucket shared by the sends in flight.
//
// Delivery is at-least-once in one narrow case: a crash after the provider accepted a message and
// before it was marked sent. Everything before that is exactly-once (idempotency keys on the outbox).
import type { Metrics, SendEnd } from "../shared/metrics.ts";
import { fallbackKey, noticeKeyOf } from "../shared/keys.ts";
import type { OutboxMessage, PrismaClient } from "../db/client.ts";
import { prepared, type SqlRunner } from "../db/sql.ts";
import type { Clock } from "../shared/clock.ts";
import type { Logger } from "../shared/logger.ts";
import { maskPersonalText } from "../shared/masking.ts";
import type { PiiProtector } from "../shared/pii.ts";
import { pollingLoop } from "../shared/polling-loop.ts";
import { openBody, sendingAddress } from "./personal-data.ts";
import { chinaDayStart, isQuiet, quietEndsAt, type QuietHours } from "../shared/china-time.ts";
import { messageBodySchema, SendFailure, type ChannelDelivery, type Envelope } from "./sender.ts";


export interface DispatcherOptions {
  prisma: PrismaClient;
  /** the hot statements go straight to the database, past Prisma's request pipeline */
  sql: SqlRunner;
  channels: Record<string, ChannelDelivery>;
  /** opens the sealed SMS numbers for the provider (delivery/personal-data.ts) */
  pii: PiiProtector;
  quietHours: QuietHours | null;
  log: Logger;
  clock: Clock;
  /** sends in flight at once; a claim takes no more than this, so no lease runs out while waiting */
  concurrency?: number;
  /** a retryable failure is retried until the message is this old (a long provider outage loses nothing) */
  maxAgeMs?: number;
  leaseMs?: number;
  /** counts each send by channel, provider and outcome (GET /metrics) */
  metrics?: Metrics;
}

const REPLY = "reply";
const PUSH = "push";
/** To the service's own people (a coordinator's alert): held in quiet hours like a notice, never capped. */
const STAFF = "staff";


/** 5 s, 10 s, 20 s … capped at an hour, with jitter so that a recovered provider is not stampeded. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(3600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

class TokenBucket {
  private tokens: number;
  private last = performance.now();
  constructor(private readonly ratePerSecond: number) {
    this.tokens = Math.max(1, ratePerSecond);
  }
  async take(): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.tokens = Math.min(Math.max(1, this.ratePerSecond), this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000)));
    }
  }
}

/**
 * What a push's address has had today (pushes and notices sent since China's midnight, this message
 * apart) and whether it opted out: $1 channel, $2 address, $3 the purposes not counted, $4 the day's
 * start, $5 the message. One statement: a push fan-out asks it of every message it sends.
 */
const RECIPIENT = prepared(
  "outbox_recipient",
  `SELECT (SELECT count(*)::int FROM "OutboxMessage" m
           WHERE m.channel = $1 AND m.address = $2 AND m.purpose <> ALL ($3::text[]) AND m."sentAt" >= $4 AND m.id <> $5) AS "sentToday",
          EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i.channel = $1 AND i.address = $2 AND i."optedOutAt" IS NOT NULL) AS "optedOut"`,
);

/** A message sent, and the notice it carries (a push, a follow-up…) with it: from then on a reply can answer it, and the figures count it. */
const MARK_SENT = prepared(
  "outbox_sent",
  `WITH sent AS (
     UPDATE "OutboxMessage" SET status = $2::"OutboxStatus", "sentAt" = $3, "statusAt" = $3, "providerMessageId" = $4, "lastError" = NULL
     WHERE id = $1 AND status = 'sending' AND attempts = $5
     RETURNING "idempotencyKey", purpose)
   UPDATE "Notice" n SET "sentAt" = coalesce(n."sentAt", $3), delivery = $2
   FROM sent WHERE sent.purpose <> 'reply' AND n.key = $6`,
);

/** What the dispatcher reads of a message it claims. */
type ClaimedMessage = Pick<OutboxMessage, "id" | "seq" | "idempotencyKey" | "channel" | "address" | "purpose" | "body" | "attempts" | "workerId" | "createdAt">;
/** The same columns from SQL: the time with its zone (a driver reads a time without one as the machine's local time), the queue position as text (the drivers read int8 each their own way). */
const CLAIMED = `id, seq::text AS seq, "idempotencyKey", channel, address, purpose, body, attempts, "workerId", "createdAt" AT TIME ZONE 'UTC' AS "createdAt"`;

/**
 * A batch of what is due, taken in queue order: $1 the lease's end, $2 now, $3 the channels served,
 * $4 the reply purpose, $5 whether pushes may go now, $6 the batch's size. The batch's ids are an
 * array, so the update finds its rows by key: joined with the batch as a set, a plan made for any
 * batch size (a generic one guesses a tenth of the table) read the whole outbox at every claim
 * (bench:webhooks: 5–10 ms a claim at 7,000 rows, against 0.5).
 */
export const CLAIM = `UPDATE "OutboxMessage" SET status = 'sending', attempts = attempts + 1, "nextAttemptAt" = $1
  WHERE id = ANY (ARRAY(
    SELECT id FROM "OutboxMessage"
    WHERE status IN ('pending', 'sending') AND "nextAttemptAt" <= $2 AND channel = ANY($3::text[])
      AND (purpose = $4 OR $5::boolean)
    ORDER BY seq
    LIMIT $6
    FOR UPDATE SKIP LOCKED))
  RETURNING ${CLAIMED}`;

/**
 * The claim walks the unsent messages in queue order (OutboxMessage_unsent_seq_idx) and stops at a
 * batch. On statistics that see few unsent messages (a table never analysed, or analysed before a
 * backlog) the planner would rather gather every unsent message and sort them: the whole backlog at
 * every claim (57 ms for 18,000 messages against 0.1 ms), just when the dispatcher has the most to
 * catch up on. And a new deployment's first claim, made on an empty outbox, planned the update's
 * key lookup as a scan of the table, a plan its connection kept while the outbox grew (2.6 ms a
 * claim at 20,000 messages, against 0.1). Within the claim's transaction those plans are set aside.
 */
export const IN_QUEUE_ORDER = `SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true), set_config('enable_seqscan', 'off', true)`;

/**
 * Both prepared: with the traffic low, every reply is claimed alone, and through Prisma its
 * transaction cost more than the turn that wrote the reply (bench:push, replies one at a time on
 * PostgreSQL: 1.8–2 ms of the dispatcher's CPU and 1.5–1.6 of the database's a reply, against
 * 0.5–0.7 and 0.65 prepared).
 */
const CLAIM_BATCH = prepared("outbox_claim", CLAIM);
const QUEUE_ORDER = prepared("outbox_queue_order", IN_QUEUE_ORDER);

export function createDispatcher(options: DispatcherOptions) {
  const { prisma, log } = options;
  const now = options.clock;
  const concurrency = options.concurrency ?? 16;
  const batchSize = concurrency;
  const maxAgeMs = options.maxAgeMs ?? 24 * 3600 * 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const channelNames = Object.keys(options.channels);
  const buckets = new Map(channelNames.map((name) => [name, new TokenBucket(options.channels[name]!.ratePerSecond)]));

  async function claim(): Promise<ClaimedMessage[]> {
    const at = now();
    const pushesAllowed = !isQuiet(at, options.quietHours);
    const claimed = await options.sql.transaction(async (tx) => {
      await tx.query(QUEUE_ORDER);
      return tx.query<Omit<ClaimedMessage, "seq"> & { seq: string }>(CLAIM_BATCH, [new Date(at.getTime() + leaseMs), at, channelNames, REPLY, pushesAllowed, batchSize]);
    });
    return claimed.map((row) => ({ ...row, seq: BigInt(row.seq) })).sort((a, b) => (a.seq < b.seq ? -1 : 1));
  }

  /**
   * What a push or a notice waits on, read once: whether its address has had its day's share (then
   * it waits for the next morning) and, for a push, whether the address said 退订 after it was queued.
   */
  async function heldBack(message: ClaimedMessage, at: Date): Promise<{ until: Date } | { optedOut: true } | null> {
    const cap = options.channels[message.channel]?.dailyCap;
    if (message.purpose === REPLY || message.purpose === STAFF || (!cap && message.purpose !== PUSH)) return null;
    const dayStart = chinaDayStart(at);
    const [recipient] = await options.sql.query<{ sentToday: number; optedOut: boolean }>(RECIPIENT, [message.channel, message.address, [REPLY, STAFF], dayStart, message.id]);
    if (cap && recipient!.sentToday >= cap) {
      const tomorrow = new Date(dayStart.getTime() + 24 * 3600 * 1000);
      return { until: options.quietHours ? quietEndsAt(tomorrow, options.quietHours) : tomorrow };
    }
    return message.purpose === PUSH && recipient!.optedOut ? { optedOut: true } : null;
  }

  async function deliver(message: ClaimedMessage): Promise<void> {
    const held = await heldBack(message, now());
    if (held && "until" in held) {
      // Not an attempt: give it back.
      await prisma.outboxMessage.update({ where: { id: message.id }, data: { status: "pending", attempts: { decrement: 1 }, nextAttemptAt: held.until } });
      return;
    }
    // A push queued before the person said 退订 (held overnight, say) does not go after it.
    if (held) {
      await giveUp(message, "the address opted out of pushes after this was queued");
      return;
    }
    let envelope: Envelope;
    try {
      const body = messageBodySchema.parse(openBody(options.pii, message.body));
      envelope = { id: message.id, channel: message.channel, to: sendingAddress(options.pii, message.channel, message.address), purpose: message.purpose, body };
    } catch (error) {
      await giveUp(message, `its address or text cannot be opened with this key, or its body is not a message: ${(error as Error).message}`);
      return;
    }
    const channel = options.channels[message.channel]!;
    const counted = (end: SendEnd) => options.metrics?.send(message.channel, channel.provider?.(envelope.to) ?? message.channel, end);
    await buckets.get(message.channel)!.take();
    let result;
    try {
      result = await channel.sender.send(envelope);
      counted("sent");
    } catch (error) {
      const failure = error instanceof SendFailure ? error : new SendFailure((error as Error).message, true);
      if (failure.optedOut) {
        await prisma.channelIdentity.updateMany({ where: { channel: message.channel, address: message.address, optedOutAt: null }, data: { optedOutAt: now() } });
      }
      if (failure.fallbackChannel && (await sendInstead(message, failure.fallbackChannel, failure.message))) return;
      const final = !failure.retryable || now().getTime() - message.createdAt.getTime() > maxAgeMs;
      counted(final ? "failed" : "retry");
      // Fenced on this claim (status and attempts): if the lease ran out and another process took
      // the message, its outcome stands.
      const { count } = await prisma.outboxMessage.updateMany({
        where: { id: message.id, status: "sending", attempts: message.attempts },
        data: final
          ? { status: "failed", lastError: maskPersonalText(failure.message), statusAt: now() }
          : { status: "pending", lastError: maskPersonalText(failure.message), nextAttemptAt: new Date(now().getTime() + backoffMs(message.attempts)) },
      });
      if (final && count > 0) await noticeFailed(message);
      log.warn({ outboxId: message.id, channel: message.channel, attempts: message.attempts, giveUp: final, error: failure.message }, "send failed");
      return;
    }
    await options.sql.query(MARK_SENT, [
      message.id, result.delivered ? "delivered" : "sent", now(), result.providerMessageId ?? null, message.attempts, noticeKeyOf(message.idempotencyKey),
    ]);
  }

  /** The notice a message carried will not arrive (unless a fallback already sent it). */
  async function noticeFailed(message: ClaimedMessage): Promise<void> {
    if (message.purpose === REPLY) return;
    await prisma.notice.updateMany({ where: { key: noticeKeyOf(message.idempotencyKey), sentAt: null }, data: { delivery: "failed" } });
  }

  async function giveUp(message: ClaimedMessage, reason: string): Promise<void> {
    const { count } = await prisma.outboxMessage.updateMany({
      where: { id: message.id, status: "sending", attempts: message.attempts },
      data: { status: "failed", lastError: maskPersonalText(reason), statusAt: now() },
    });
    if (count > 0) await noticeFailed(message);
  }

  /**
   * The person cannot be reached on this channel now (WeChat's window closed): queue the same
   * message on their identity on another channel (their SMS number), if they have one.
   */
  async function sendInstead(message: ClaimedMessage, channel: string, reason: string): Promise<boolean> {
    const from = await prisma.channelIdentity.findUnique({ where: { channel_address: { channel: message.channel, address: message.address } } });
    // The worker's newest address on that channel; an address that opted out gets no pushes (its
    // notices about the person's own case still go, as everywhere).
    const to = from?.workerId ? await prisma.channelIdentity.findFirst({ where: { workerId: from.workerId, channel }, orderBy: { createdAt: "desc" } }) : null;
    if (!to || !options.channels[channel] || (to.optedOutAt && message.purpose === PUSH)) return false;
    await prisma.$transaction([
      prisma.outboxMessage.upsert({
        where: { idempotencyKey: fallbackKey(message.idempotencyKey, channel) },
        create: {
          idempotencyKey: fallbackKey(message.idempotencyKey, channel),
          channel,
          address: to.address,
          purpose: message.purpose,
          body: message.body as object,
          workerId: message.workerId,
          nextAttemptAt: now(),
          createdAt: message.createdAt,
        },
        update: {},
      }),
      prisma.outboxMessage.updateMany({
        where: { id: message.id, status: "sending", attempts: message.attempts },
        data: { status: "failed", lastError: maskPersonalText(`${reason}; sent by ${channel} instead`), statusAt: now() },
      }),
    ]);
    log.info({ outboxId: message.id, from: message.channel, to: channel }, "message rerouted");
    return true;
  }

  /**
   * Sends one batch; returns how many messages were taken. Messages to one address go one after
   * another in queue order, addresses side by side: sent all at once, a push's checks (a query)
   * could let its successor reach the provider first.
   */
  async function runOnce(): Promise<number> {
    const batch = await claim();
    const byAddress = new Map<string, ClaimedMessage[]>();
    for (const message of batch) {
      const key = `${message.channel}\n${message.address}`;
      const queue = byAddress.get(key);
      if (queue) queue.push(message);
      else byAddress.set(key, [message]);
    }
    const queues = [...byAddress.values()];
    let next = 0;
    const workers = Array.from({ length: Math.min(concurrency, queues.length) }, async () => {
      while (next < queues.length) for (const message of queues[next++]!) await deliver(message);
    });
    await Promise.all(workers);
    return batch.length;
  }

  return { runOnce, ...pollingLoop(runOnce, log, "outbox dispatch") };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
