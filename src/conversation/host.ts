// The conversation host: the only place where the pure engine meets the world. For each inbound
// message it takes the user's lock, drops a provider's retry, loads the session, runs the engine,
// and then records the whole turn in one transaction: the receipt (dedupe), the session, the
// timeline (message in, events, messages out), the domain effects and the replies in the outbox.
// A crash before the commit leaves nothing, so the provider's retry runs the turn again; after it,
// the retry is recognised and dropped.
import type { ChannelDefinition, ChannelPorts, InboundMessage, SentMessage, TurnOutcome } from "../../bots/types.ts";
import type { AppDeps } from "../deps.ts";
import { renderText, resume, start, type EngineContext, type Lookups, type Session } from "../engine/index.ts";
import { Prisma } from "../db/client.ts";
import { recordDeliveryStatus } from "../delivery/status.ts";
import { applyChatEvent, registeredProfile } from "../services/chat.ts";
import { recordTimeline } from "../services/timeline.ts";
import { KeyedLock } from "./keyed-lock.ts";

class DuplicateMessage extends Error {}

const replyKeyPrefix = (channel: string, messageId: string) => `reply:${channel}:${messageId}:`;
const replyKey = (channel: string, messageId: string, index: number) => `${replyKeyPrefix(channel, messageId)}${String(index).padStart(3, "0")}`;
class SessionConflict extends Error {}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export function createConversationHost(deps: AppDeps, lookups: Lookups): ChannelPorts {
  const { prisma, pii } = deps;
  const locks = new KeyedLock();
  // Sessions hold answers in progress, the ID number among them: they are stored sealed.
  const sealSession = (session: Session) => pii.encrypt(JSON.stringify(session));
  const openSession = (stored: unknown) => JSON.parse(pii.decrypt(stored as string)) as Session;

  async function runTurn(message: InboundMessage, channel: ChannelDefinition): Promise<TurnOutcome> {
    const seen = await prisma.inboundReceipt.findUnique({ where: { channel_messageId: { channel: message.channel, messageId: message.messageId } } });
    if (seen) return { duplicate: true, replies: [] };

    const opensWindow = message.opensWindow !== false;
    const identity = await prisma.channelIdentity.upsert({
      where: { channel_address: { channel: message.channel, address: message.address } },
      create: { channel: message.channel, address: message.address, lastInboundAt: opensWindow ? message.at : null },
      update: opensWindow ? { lastInboundAt: message.at } : {},
      include: { session: true, worker: true },
    });
    const context: EngineContext = {
      capabilities: channel.capabilities,
      lookups,
      ...(identity.worker ? { registered: await registeredProfile(prisma, identity.worker) } : {}),
    };
    const inbound = {
      text: message.text,
      at: message.at.toISOString(),
      ...(message.phone ? { phone: message.phone } : {}),
      ...(message.event ? { event: message.event } : {}),
      ...(message.eventKey ? { eventKey: message.eventKey } : {}),
    };
    const turn = identity.session ? await resume(context, openSession(identity.session.state), inbound) : await start(context, inbound);

    return prisma.$transaction(async (tx) => {
      try {
        await tx.inboundReceipt.create({ data: { channel: message.channel, messageId: message.messageId } });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateMessage();
        throw error;
      }
      const state = sealSession(turn.session);
      if (identity.session) {
        const saved = await tx.conversationSession.updateMany({
          where: { identityId: identity.id, version: identity.session.version },
          data: { state, version: { increment: 1 } },
        });
        if (saved.count !== 1) throw new SessionConflict();
      } else {
        await tx.conversationSession.create({ data: { identityId: identity.id, state } });
      }

      let workerId = identity.workerId;
      await recordTimeline(tx, { identityId: identity.id, workerId }, [
        { kind: "message_in", channel: message.channel, text: message.text, at: message.at, data: { messageId: message.messageId, ...(message.event ? { event: message.event } : {}) } },
      ]);
      const notices: string[] = [];
      let engineReplies = turn.replies;
      for (const event of turn.events) {
        const effects = await applyChatEvent({ tx, pii, identity, channel: message.channel, now: message.at }, workerId, event);
        workerId = effects.workerId;
        notices.push(...effects.notices);
        if (effects.replacesReplies) engineReplies = [];
      }
      const replies = [...engineReplies.flatMap((reply) => renderText(reply, channel.capabilities)), ...notices];
      await recordTimeline(
        tx,
        { identityId: identity.id, workerId },
        replies.map((text) => ({ kind: "message_out", channel: message.channel, text })),
      );
      // A channel that may answer passively gets that long before the dispatcher sends the replies.
      const holdUntil = channel.passiveReplyMs ? new Date(Date.now() + channel.passiveReplyMs + 2_000) : undefined;
      await tx.outboxMessage.createMany({
        data: replies.map((text, index) => ({
          idempotencyKey: replyKey(message.channel, message.messageId, index),
          ...(holdUntil ? { nextAttemptAt: holdUntil } : {}),
          channel: message.channel,
          address: message.address,
          purpose: "reply",
          body: { text },
          workerId,
          ...(channel.repliesInline ? { status: "delivered" as const, sentAt: message.at, statusAt: message.at } : {}),
        })),
      });
      return { duplicate: false, replies };
    });
  }

  return {
    handle(message, channel) {
      return locks.run(`${message.channel}:${message.address}`, async () => {
        // Another process may have moved the same session on (several service instances): run the
        // turn again on the fresh session, a few times at most.
        for (let attempt = 1; ; attempt++) {
          try {
            const outcome = await runTurn(message, channel);
            if (!channel.repliesInline && outcome.replies.length > 0) deps.outboxQueued?.();
            return outcome;
          } catch (error) {
            if (error instanceof DuplicateMessage) return { duplicate: true, replies: [] };
            if (error instanceof SessionConflict && attempt < 3) continue;
            throw error;
          }
        }
      });
    },

    async repliedInline(channel, messageId) {
      const now = new Date();
      const { count } = await prisma.outboxMessage.updateMany({
        where: { idempotencyKey: { startsWith: replyKeyPrefix(channel, messageId) }, status: "pending" },
        data: { status: "delivered", sentAt: now, statusAt: now },
      });
      return count;
    },

    async deliveryStatus(update) {
      await recordDeliveryStatus(prisma, update);
    },

    async sentTo(channel, address): Promise<SentMessage[]> {
      const rows = await prisma.outboxMessage.findMany({
        where: { channel, address },
        orderBy: { seq: "asc" },
        select: { body: true, createdAt: true, purpose: true },
      });
      return rows.map((row) => ({ text: (row.body as { text?: string }).text ?? "", at: row.createdAt.toISOString(), purpose: row.purpose }));
    },
  };
}
