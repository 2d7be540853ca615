// The conversation host: the only place where the pure engine meets the world. For each inbound
// message it takes the user's lock, drops a provider's retry, loads the session, runs the engine,
// and then records the whole turn in one transaction: the receipt (dedupe), the session, the
// timeline (message in, events, messages out), the domain effects and the replies in the outbox.
// A crash before the commit leaves nothing, so the provider's retry runs the turn again; after it,
// the retry is recognised and dropped.
import { prepared, prismaRunner, type SqlRunner } from "../db/sql.ts";
import { ALONE, grouped } from "../db/grouped.ts";
import { DomainError } from "../shared/errors.ts";
import { createHash } from "node:crypto";
import { ReplayRefused, type ChannelDefinition, type ConversationHost, type InboundMessage, type SentMessage, type TurnOutcome } from "../../bots/types.ts";
import type { TurnEnd } from "../shared/metrics.ts";
import type { AppDeps } from "../deps.ts";
import { readCommand, recordFactReply, renderReplies, resume, start, type DomainEvent, type EngineContext, type Outbound, type RecordFact, type Session } from "../engine/index.ts";
import { openBody, sealBody, storedAddress } from "../delivery/personal-data.ts";
import { carriesPersonalData } from "../shared/masking.ts";
import { recordDeliveryStatus } from "../delivery/status.ts";
import { applyChatEvent, applySqlEvent, timelineOnlyEntry, writtenInSql, type ChatEffects } from "./chat-events.ts";
import { personLookups } from "./chat-lookups.ts";
import { replyKey } from "../shared/keys.ts";
import { readTurnContext, turnContextReader } from "./turn-context.ts";
import type { RegionLookups } from "./region-lookups.ts";
import type { TimelineEntry } from "../services/timeline.ts";
import { recordReplies, recordTurns, replayGuardPassed, turnRecordKeys, type TurnRecord, type TurnRecorded } from "./turn-record.ts";
import { FloodGate } from "./flood-gate.ts";
import { KeyedLock } from "./keyed-lock.ts";

class DuplicateMessage extends Error {}


/** Where a channel's replay guards are kept, beside its message receipts. */
const guardChannel = (channel: string) => `${channel}:nonce`;

/** How a request's body is remembered beside its replay guard's key. */
const bodyHash = (body: string) => createHash("sha256").update(body).digest("base64url");

/** The chat's words for a verb's refusal: one short SMS, and a way on (人工). */
export function refusalSentence(error: DomainError): string {
  switch (error.code) {
    case "validation_failed":
      return `您填的信息不对，请再发一次。需要帮助请回复"人工"`;
    case "unavailable":
      return "系统正忙，请过几分钟再发一次。";
    default:
      return `这件事现在办不了，请回复"人工"，工作人员会联系您。`;
  }
}

/** Replies of one turn looked up again for a repeat (a turn has far fewer). */
const MAX_REPEATED_REPLIES = 20;

/** How far inside a passive channel's deadline a turn must finish to answer in its own response. */
const PASSIVE_MARGIN_MS = 1_000;

class SessionConflict extends Error {}


/**
 * Groups of turns written at once, and the most turns in a group (see grouped.ts). One at a
 * time: bench:webhooks at 16 in flight then writes about four turns a statement (two at a time:
 * about two), and PostgreSQL's CPU a turn fell by a quarter or more.
 */
const TURN_WRITES_IN_FLIGHT = 1;
const TURN_GROUP_SIZE = 32;

const SLOW_DOWN = "您发得太快了，请稍后再发。";

/**
 * Turns of one person taken by different processes at once are ordered by the session's version:
 * the one that loses runs again. Within a process a lock orders them already, so a turn meets at
 * most the other processes' turns of the same person; a burst of messages may make it lose a few times.
 */
const SESSION_ATTEMPTS = 10;

/**
 * The replies a passive channel answered in its own response, as the timeline has them (they have
 * no outbox row): those recorded after the message and before the person's next one. A person's
 * turns are recorded one after another (the lock, the session's version), so none interleave.
 */
const REPLIES_ON_TIMELINE = prepared(
  "chat_replies_on_timeline",
  `WITH message_in AS (
     SELECT e."identityId", e.seq FROM "ChannelIdentity" i JOIN "PlanEvent" e ON e."identityId" = i.id
     WHERE i.channel = $1 AND i.address = $2 AND e.kind = 'message_in' AND e.data->>'messageId' = $3
     ORDER BY e.seq DESC LIMIT 1),
   next_in AS (
     SELECT min(e.seq) AS seq FROM message_in m JOIN "PlanEvent" e ON e."identityId" = m."identityId" AND e.seq > m.seq
     WHERE e.kind = 'message_in')
   SELECT e.text FROM message_in m JOIN "PlanEvent" e ON e."identityId" = m."identityId" AND e.seq > m.seq, next_in n
   WHERE e.kind = 'message_out' AND (n.seq IS NULL OR e.seq < n.seq) ORDER BY e.seq LIMIT $4`,
);

export function createConversationHost(deps: AppDeps, regionLookups: RegionLookups): ConversationHost {
  const { prisma, pii, sql } = deps;
  const locks = new KeyedLock();
  const floodGate = new FloodGate(deps.rateLimits.inbound);
  // Turns that start while others' contexts are read are read together; likewise written: one
  // statement, one commit. Not where each request has connections of its own (Workers).
  const together = deps.connectionsPerRequest !== true;
  const readContext = turnContextReader(sql, together);
  const turnWrites = grouped(
    (records: TurnRecord[]) => recordTurns(sql, records),
    together ? { inFlight: TURN_WRITES_IN_FLIGHT, groupSize: TURN_GROUP_SIZE, keys: turnRecordKeys } : ALONE,
  );
  // Sessions hold answers in progress, the ID number among them: they are stored sealed.
  const sealSession = (session: Session) => pii.encrypt(JSON.stringify(session));
  const openSession = (stored: unknown): unknown => JSON.parse(pii.decrypt(stored as string));

  async function runTurn(message: InboundMessage, channel: ChannelDefinition, started: number): Promise<TurnOutcome> {
    // The turn happens at the service's clock, whatever the provider stamped on the message.
    const now = deps.clock();
    const wroteAt = message.opensWindow !== false ? now : null;
    // Only a sender the channel proves the number of is compared with the roster (when nobody yet).
    const provenPhoneHash = channel.capabilities.knowsPhone && message.phone ? pii.hash("phone", message.phone) : null;
    const sender = await readTurnContext(sql, readContext, { channel: message.channel, address: message.address, provenPhoneHash, now }, wroteAt);
    const context: EngineContext = {
      capabilities: channel.capabilities,
      lookups: personLookups(deps, regionLookups, { identityId: sender.identityId, workerId: sender.workerId, employerId: sender.employerId }),
      ...(sender.registered ? { registered: sender.registered } : {}),
      ...(sender.employer ? { employer: sender.employer } : {}),
      ...(sender.pendingNotices.length > 0 ? { pendingNotices: sender.pendingNotices } : {}),
      ...(sender.rosterMatches.length > 0 ? { rosterMatches: sender.rosterMatches } : {}),
    };
    const inbound = {
      text: message.text,
      at: now.toISOString(),
      ...(message.phone ? { phone: message.phone } : {}),
      ...(message.event ? { event: message.event } : {}),
      ...(message.eventKey ? { eventKey: message.eventKey } : {}),
    };
    const turn = sender.state === null ? await start(context, inbound) : await resume(context, openSession(sender.state), inbound);

    const checkRecorded = (recorded: TurnRecorded | undefined) => {
      if (recorded && !recorded.guardPassed) throw new ReplayRefused();
      if (!recorded?.fresh) throw new DuplicateMessage();
      if (!recorded.saved) throw new SessionConflict();
    };
    const render = (replies: Outbound[]) => renderReplies(replies, channel.capabilities);
    // An inline channel answers in its own response; so does a passive one (WeChat) when the turn
    // is well inside its deadline: the replies are delivered with the turn, no second write. A
    // turn near the deadline leaves them pending, held for that long, for the dispatcher.
    const inlineNow = () => channel.repliesInline || (channel.passiveReplyMs !== undefined && Date.now() - started < channel.passiveReplyMs - PASSIVE_MARGIN_MS);
    /** The replies on the timeline and, unless a passive channel answered them already, in the outbox. */
    const repliesOut = (replies: string[], answeredInline: boolean): Pick<TurnRecord, "timeline" | "outbox"> => {
      const personal = replies.map(carriesPersonalData);
      // Replies that went in a passive channel's own answer need no outbox row: the timeline keeps
      // their text, which is all a retry of the message asks for (repeatOf). A reply that carries
      // someone's number (an applicant's phone for the employer) keeps its row, sealed: the
      // timeline's copy is masked.
      const queued = answeredInline && channel.passiveReplyMs !== undefined && !personal.includes(true) ? [] : replies;
      const nextAttemptAt = channel.passiveReplyMs ? new Date(now.getTime() + channel.passiveReplyMs + 2_000) : now;
      return {
        timeline: replies.map((text) => ({ kind: "message_out", channel: message.channel, text })),
        outbox: queued.map((text, index) => ({
          key: replyKey(message.channel, message.messageId, index),
          address: message.address,
          body: personal[index] ? sealBody(pii, { text }) : { text },
          status: answeredInline ? "delivered" : "pending",
          nextAttemptAt,
        })),
      };
    };
    /** The turn's record: the message in, then the rows of events that only note something (timelineOnlyEntry), then the replies. */
    const turnRecord = (session: string, noted: TimelineEntry[], out: Pick<TurnRecord, "timeline" | "outbox"> = { timeline: [], outbox: [] }): TurnRecord => ({
      channel: message.channel,
      messageId: message.messageId,
      identityId: sender.identityId,
      workerId: sender.workerId,
      session,
      version: sender.version,
      // When the person last wrote is kept to the minute: within it, the turn writes nothing there.
      wroteAt: sender.wroteRecently ? null : wroteAt,
      now,
      guard: message.replayGuard ? { channel: guardChannel(message.channel), key: message.replayGuard.key, bodyHash: bodyHash(message.replayGuard.body) } : null,
      timeline: [
        { kind: "message_in", channel: message.channel, text: message.text, data: { messageId: message.messageId, ...(message.event ? { event: message.event } : {}) } },
        ...noted,
        ...out.timeline,
      ],
      outbox: out.outbox,
    });

    // Most turns change no records (no event, or events that only note what was asked or shown):
    // the whole turn is one statement, shared with the turns written at the same moment.
    const noted = turn.events.map((event) => timelineOnlyEntry(event, message.channel));
    if (noted.every((entry): entry is TimelineEntry => entry !== null)) {
      const replies = render(turn.replies);
      const answeredInline = inlineNow();
      checkRecorded(await turnWrites.run(turnRecord(sealSession(turn.session), noted, repliesOut(replies, answeredInline))));
      return { duplicate: false, replies, answeredInline };
    }

    // A turn with events (registration, 人工, opt-out…) runs in one transaction with the verbs;
    // what they queued (a new vacancy's push, an index update) starts at once, not at the next poll.
    const recordEvents = async <E extends DomainEvent>(sql: SqlRunner, events: E[], apply: (workerId: string | null, event: E) => Promise<ChatEffects>): Promise<TurnOutcome> => {
      checkRecorded((await recordTurns(sql, [turnRecord(sealSession(turn.session), [])]))[0]);
      let workerId = sender.workerId;
      const notices: RecordFact[] = [];
      let replacesReplies = false;
      for (const event of events) {
        const effects = await apply(workerId, event);
        workerId = effects.workerId;
        notices.push(...effects.notices);
        if (effects.replacesReplies) replacesReplies = true;
      }
      // A notice the records answered better (who will call) gives way to their fact; the facts go
      // before the turn's closing question, so that the last thing read is what to reply.
      const answered = new Set(notices.map((fact) => fact.kind));
      const said = (replacesReplies ? [] : turn.replies).filter((reply) => !(reply.kind === "notice" && reply.standsFor && answered.has(reply.standsFor)));
      const asked = said.at(-1)?.kind === "question" ? said.slice(-1) : [];
      const replies = render([...said.slice(0, said.length - asked.length), ...notices.map(recordFactReply), ...asked]);
      if (replies.length === 0) return { duplicate: false, replies };
      const answeredInline = inlineNow();
      await recordReplies(sql, { identityId: sender.identityId, workerId, channel: message.channel, now, ...repliesOut(replies, answeredInline) });
      return { duplicate: false, replies, answeredInline };
    };
    // When every event's verb is written in SQL (a newcomer's consent, a request for a person), the
    // transaction is a plain one, its statements prepared; otherwise it is Prisma's, for the
    // services written with it, and the SQL verbs run in it too.
    const eventContext = { pii, identityId: sender.identityId, channel: message.channel, now };
    const sqlEvents = turn.events.every(writtenInSql) ? turn.events : null;
    const recordWithEvents = () =>
      sqlEvents
        ? sql.transaction((tx) => recordEvents(tx, sqlEvents, (workerId, event) => applySqlEvent({ ...eventContext, sql: tx }, workerId, event)))
        : prisma.$transaction((tx) => {
            const context = { ...eventContext, tx, sql: prismaRunner(tx), policies: deps.policies, ...(message.phone ? { provenPhone: message.phone } : {}) };
            return recordEvents(context.sql, turn.events, (workerId, event) => applyChatEvent(context, workerId, event));
          });
    try {
      const outcome = await recordWithEvents();
      deps.jobsQueued?.();
      return outcome;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The records refused what the engine decided (a rule the chat's own checks missed): the
      // person hears why in a sentence, nothing of the turn is done, and the session stays where
      // it was, so their next message answers the same question again.
      deps.log.warn({ code: error.code, reason: error.message }, "a chat turn's event was refused");
      const replies = [refusalSentence(error)];
      const answeredInline = inlineNow();
      checkRecorded(await turnWrites.run(turnRecord(sender.state ?? sealSession(turn.session), [], repliesOut(replies, answeredInline))));
      return { duplicate: false, replies, answeredInline };
    }
  }

  /**
   * A provider's retry of a message already handled. If its replies went in our own response
   * (passive, inline) and that response was lost — the reason for the retry — they are answered
   * again; replies the dispatcher sent, or will, are not repeated.
   */
  async function repeatOf(message: InboundMessage): Promise<TurnOutcome> {
    const keys = Array.from({ length: MAX_REPEATED_REPLIES }, (_, index) => replyKey(message.channel, message.messageId, index));
    const rows = await prisma.outboxMessage.findMany({
      where: { idempotencyKey: { in: keys } },
      orderBy: { idempotencyKey: "asc" },
      select: { body: true, status: true, attempts: true },
    });
    const replies =
      rows.length > 0
        ? rows.filter((row) => row.status === "delivered" && row.attempts === 0).map((row) => (openBody(pii, row.body) as { text?: string }).text ?? "")
        : (await sql.query<{ text: string }>(REPLIES_ON_TIMELINE, [message.channel, message.address, message.messageId, MAX_REPEATED_REPLIES])).map((row) => row.text);
    return replies.length > 0 ? { duplicate: true, replies, answeredInline: true } : { duplicate: true, replies: [] };
  }

  return {
    drain: () => locks.idle(),

    async handle(received, channel) {
      // The channel's deadline runs from the request, waiting for the person's lock included.
      const started = Date.now();
      // A flood from one sender costs no transaction: told once to slow down (where the channel can
      // answer in its own response), then dropped until they do.
      // An opt-out always goes through: the one message a flooded phone's owner must be heard on.
      const optingOut = received.event === "unsubscribe" || readCommand(received.text) === "optOut";
      const verdict = optingOut ? "pass" : floodGate.admit(`${received.channel}:${received.address}`);
      const counted = (end: TurnEnd) => deps.metrics?.turn(received.channel, (Date.now() - started) / 1000, end);
      if (verdict !== "pass") {
        counted("flooded");
        return { duplicate: false, replies: verdict === "tell" ? [SLOW_DOWN] : [], answeredInline: true };
      }
      // From here on the address is as stored: an SMS number sealed (see delivery/personal-data.ts).
      const message = { ...received, address: storedAddress(pii, received.channel, received.address) };
      const turn = locks.run(`${message.channel}:${message.address}`, async () => {
        // Another process may have moved the same session on (WEB_CONCURRENCY): run the turn again on
        // the fresh session, after a short random wait so that the two processes do not meet again.
        for (let attempt = 1; ; attempt++) {
          try {
            const outcome = await runTurn(message, channel, started);
            if (!outcome.answeredInline && outcome.replies.length > 0) deps.outboxQueued?.();
            counted("ok");
            return outcome;
          } catch (error) {
            if (error instanceof DuplicateMessage) {
              counted("duplicate");
              return repeatOf(message);
            }
            if (error instanceof ReplayRefused) {
              counted("refused");
              throw error;
            }
            if (error instanceof SessionConflict && attempt < SESSION_ATTEMPTS) {
              await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
              continue;
            }
            counted("error");
            throw error;
          }
        }
      });
      deps.turnStarted?.(turn);
      return turn;
    },

    async repliedInline(channel, messageId, replies) {
      const now = deps.clock();
      const keys = Array.from({ length: replies }, (_, index) => replyKey(channel, messageId, index));
      const { count } = await prisma.outboxMessage.updateMany({
        where: { idempotencyKey: { in: keys }, status: "pending" },
        data: { status: "delivered", sentAt: now, statusAt: now },
      });
      return count;
    },

    async nonceFresh(channel, nonce, body) {
      return replayGuardPassed(sql, { channel: guardChannel(channel), key: nonce, bodyHash: bodyHash(body) }, deps.clock());
    },

    async deliveryStatus(update) {
      await recordDeliveryStatus(sql, { ...update, at: deps.clock() });
    },

    // What the address has received, in the order it arrived: a push held for quiet hours is not
    // there until it goes (its "回复1报名" answers nothing before).
    async sentTo(channel, address): Promise<SentMessage[]> {
      const rows = await prisma.outboxMessage.findMany({
        where: { channel, address: storedAddress(pii, channel, address), sentAt: { not: null } },
        orderBy: [{ sentAt: "asc" }, { seq: "asc" }],
        select: { body: true, sentAt: true, purpose: true },
      });
      return rows.map((row) => ({ text: (openBody(pii, row.body) as { text?: string }).text ?? "", at: row.sentAt!.toISOString(), purpose: row.purpose }));
    },
  };
}
