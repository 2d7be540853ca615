// What a chat turn writes, for any number of turns in one statement: the replay guard, the receipt,
// the session (over the version read), when the person last wrote, the timeline and the replies in
// the outbox. Each turn is all or nothing by itself, whatever the others in the statement do: a
// repeat, or a turn that lost the session to another process's turn of the same person, writes
// nothing at all (no receipt either, so that its retry is not taken for a repeat of itself); a
// request that fails its replay guard records nothing but the guard.
import { prepared, type SqlRunner } from "../db/sql.ts";
import { parameters } from "../db/parameters.ts";
import { maskPersonalText } from "../shared/masking.ts";
import { uuidv7 } from "../shared/ids.ts";
import type { TimelineEntry } from "../services/timeline.ts";

export interface TurnRecord {
  channel: string;
  messageId: string;
  identityId: string;
  workerId: string | null;
  /** the sealed session to save */
  session: string;
  /** the session's version as read (null: none yet) */
  version: number | null;
  /** when the person wrote, if it is to be written (WeChat's 48-hour window) */
  wroteAt: Date | null;
  now: Date;
  /** a replay guard: its key and its request body's hash, recorded on first sight (see InboundMessage) */
  guard: { channel: string; key: string; bodyHash: string } | null;
  /** the message in first, then what the turn noted, then the replies, in that order */
  timeline: TimelineEntry[];
  /** the replies' outbox rows (none for those a passive channel answered in its own response) */
  outbox: ReplyRow[];
}

export interface ReplyRow {
  key: string;
  address: string;
  /** { text }, sealed when it carries someone's number */
  body: unknown;
  status: "pending" | "delivered";
  nextAttemptAt: Date;
}

export interface TurnRecorded {
  /** the replay guard's key was new, or seen with this very body (the provider's own retry) */
  guardPassed: boolean;
  /** the message had not been received before */
  fresh: boolean;
  /** the turn was written (the session was still at the version read) */
  saved: boolean;
}

/** A turn's own values; its timeline's and outbox's rows name it by its place (`turn`). */
const TURN = parameters(1, ["channel", "messageId", "identityId", "session", "version", "wroteAt", "now", "guardChannel", "guardKey", "guardBody"]);

/** The rows of turns from `start`: timeline entries and outbox replies, each naming its turn. */
const rowParameters = (start: number) => {
  const event = parameters(start, ["turn", "id", "at", "identityId", "workerId", "kind", "channel", "text", "data"]);
  const reply = parameters(event.next, ["turn", "id", "key", "channel", "address", "status", "nextAttemptAt", "workerId", "body", "now"]);
  return { event, reply };
};
type RowParameters = ReturnType<typeof rowParameters>;

/** The named parameters as unnest's arrays, each cast to its type (text unless given), and their names as its columns. */
const columns = (names: Record<string, string>, types: Record<string, string>) =>
  Object.entries(names).map(([name, at]) => `${at}::${types[name] ?? "text"}[]`).join(", ");
const aliases = (names: Record<string, string>) => Object.keys(names).map((name) => `"${name}"`).join(", ");

/** The rows of the turns `written` (an SQL condition on `turn`), each in the order given. */
const rowsInsert = ({ event, reply }: RowParameters, written: string) => `timeline AS (
    INSERT INTO "PlanEvent" (id, at, "identityId", "workerId", kind, channel, text, data)
    SELECT id, at, "identityId", "workerId", kind, channel, text, data::jsonb
    FROM unnest(${columns(event.at, { turn: "int", at: "timestamptz" })}) AS e(${aliases(event.at)})
    WHERE ${written}),
  outbox AS (
    INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, status, "nextAttemptAt", "workerId", "sentAt", "statusAt", "createdAt")
    SELECT id, key, channel, address, 'reply', body::jsonb, status::"OutboxStatus", "nextAttemptAt", "workerId",
      CASE WHEN status = 'delivered' THEN now END, CASE WHEN status = 'delivered' THEN now END, now
    FROM unnest(${columns(reply.at, { turn: "int", nextAttemptAt: "timestamptz", now: "timestamptz" })}) AS o(${aliases(reply.at)})
    WHERE ${written})`;

function rowsValues({ event, reply }: RowParameters, records: readonly Pick<TurnRecord, "identityId" | "workerId" | "channel" | "now" | "timeline" | "outbox">[]): unknown[] {
  const events = records.flatMap((record, turn) => record.timeline.map((entry) => ({ turn, record, entry })));
  const replies = records.flatMap((record, turn) => record.outbox.map((row) => ({ turn, record, row })));
  return [
    // Turns are counted from 1 in the statement (WITH ORDINALITY).
    ...event.values({
      turn: events.map(({ turn }) => turn + 1),
      id: events.map(() => uuidv7()),
      at: events.map(({ record, entry }) => entry.at ?? record.now),
      identityId: events.map(({ record }) => record.identityId),
      workerId: events.map(({ record }) => record.workerId),
      kind: events.map(({ entry }) => entry.kind),
      channel: events.map(({ entry }) => entry.channel ?? null),
      text: events.map(({ entry }) => (entry.text === undefined ? null : maskPersonalText(entry.text))),
      data: events.map(({ entry }) => (entry.data === undefined ? null : JSON.stringify(entry.data))),
    }),
    ...reply.values({
      turn: replies.map(({ turn }) => turn + 1),
      id: replies.map(() => uuidv7()),
      key: replies.map(({ row }) => row.key),
      channel: replies.map(({ record }) => record.channel),
      address: replies.map(({ row }) => row.address),
      status: replies.map(({ row }) => row.status),
      nextAttemptAt: replies.map(({ row }) => row.nextAttemptAt),
      workerId: replies.map(({ record }) => record.workerId),
      body: replies.map(({ row }) => JSON.stringify(row.body)),
      now: replies.map(({ record }) => record.now),
    }),
  ];
}

const TURN_ROWS = rowParameters(TURN.next);

/**
 * Replay guards: each key (see InboundMessage) and the key with its body's hash are recorded on
 * first sight, from the rows of `turn` ("guardChannel", "guardKey", "guardBody", now). A key passes
 * when it is new, or was seen before with this very body (the provider's own retry); a request
 * with no key passes.
 */
const guards = `guard_key AS (
    INSERT INTO "InboundReceipt" (channel, "messageId", "receivedAt")
    SELECT "guardChannel", "guardKey", now FROM turn WHERE "guardKey" IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING channel, "messageId"),
  guard_body AS (
    INSERT INTO "InboundReceipt" (channel, "messageId", "receivedAt")
    SELECT "guardChannel", "guardKey" || ':' || "guardBody", now FROM turn WHERE "guardKey" IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING channel, "messageId")`;
const guardPassed = (t: string) => `(${t}."guardKey" IS NULL OR (${t}."guardChannel", ${t}."guardKey") IN (SELECT * FROM guard_key)
      OR (${t}."guardChannel", ${t}."guardKey" || ':' || ${t}."guardBody") NOT IN (SELECT * FROM guard_body))`;

/** A replay guard on its own, for a request that runs no turn. */
const NONCE_SEEN = prepared(
  "chat_nonce_seen",
  `WITH turn AS (SELECT $1::text AS "guardChannel", $2::text AS "guardKey", $3::text AS "guardBody", $4::timestamptz AS now), ${guards}
  SELECT ${guardPassed("t")} AS passed FROM turn t`,
);

/**
 * One statement for a group of turns (see grouped.ts). Its reads see the tables as they were
 * before it, its inserts only through RETURNING: two turns with one guard key or one message would
 * both pass as new, and one person's two sessions would fail the statement, so a group never holds
 * two such turns (`turnRecordKeys`). A new session is written at version 0, a saved one at the version
 * read plus one, and only over that version (`- 1`). Each turn's rows are found by key (a subquery
 * of its own, LIMIT 1, or an array of keys): the plan, generic, guesses ten turns, and joined as
 * sets it would rather read a table whole while it is small, and go on doing so as it grows.
 */
const RECORD_TURNS = prepared(
  "chat_record_turns",
  `WITH turn AS (
    SELECT * FROM unnest(${columns(TURN.at, { version: "int", wroteAt: "timestamptz", now: "timestamptz" })})
      WITH ORDINALITY AS t(${aliases(TURN.at)}, i)),
  ${guards},
  verdict AS (
    SELECT t.*, ${guardPassed("t")} AS "guardPassed", r.seen IS NULL AS fresh
    FROM turn t LEFT JOIN LATERAL (
      SELECT true AS seen FROM "InboundReceipt" r WHERE r.channel = t.channel AND r."messageId" = t."messageId" LIMIT 1) r ON true),
  session AS (
    INSERT INTO "ConversationSession" ("identityId", state, version, "updatedAt")
    SELECT "identityId", to_jsonb(session), coalesce(version + 1, 0), now FROM verdict WHERE fresh AND "guardPassed"
    ON CONFLICT ("identityId") DO UPDATE
      SET state = EXCLUDED.state, version = EXCLUDED.version, "updatedAt" = EXCLUDED."updatedAt"
      WHERE "ConversationSession".version = EXCLUDED.version - 1
    RETURNING "identityId"),
  saved AS (
    SELECT v.* FROM verdict v WHERE v."identityId" IN (SELECT "identityId" FROM session)),
  receipt AS (
    INSERT INTO "InboundReceipt" (channel, "messageId", "receivedAt") SELECT channel, "messageId", now FROM saved
    ON CONFLICT DO NOTHING),
  wrote AS (
    UPDATE "ChannelIdentity" c SET "lastInboundAt" = (SELECT s."wroteAt" FROM saved s WHERE s."identityId" = c.id)
    WHERE c.id = ANY (ARRAY(SELECT "identityId" FROM saved WHERE "wroteAt" IS NOT NULL))),
  ${rowsInsert(TURN_ROWS, "turn = ANY (ARRAY(SELECT i FROM saved))")}
  SELECT "guardPassed", fresh, "identityId" IN (SELECT "identityId" FROM session) AS saved FROM verdict ORDER BY i`,
);

/** A turn's replies on their own: a turn with events writes them last, in its transaction. */
const REPLY_ROWS = rowParameters(1);
const RECORD_REPLIES = prepared("chat_record_replies", `WITH ${rowsInsert(REPLY_ROWS, "true")} SELECT 1`);

/** What may not share a group of turns: the person's session, the message, the replay guard's key. */
export function turnRecordKeys(record: TurnRecord): string[] {
  return [`identity:${record.identityId}`, `message:${record.channel}:${record.messageId}`, ...(record.guard ? [`guard:${record.guard.channel}:${record.guard.key}`] : [])];
}

/** Writes the turns in one statement; their verdicts in the same order. */
export function recordTurns(sql: SqlRunner, records: readonly TurnRecord[]): Promise<TurnRecorded[]> {
  const turns = TURN.values({
    channel: records.map((record) => record.channel),
    messageId: records.map((record) => record.messageId),
    identityId: records.map((record) => record.identityId),
    session: records.map((record) => record.session),
    version: records.map((record) => record.version),
    wroteAt: records.map((record) => record.wroteAt),
    now: records.map((record) => record.now),
    guardChannel: records.map((record) => record.guard?.channel ?? null),
    guardKey: records.map((record) => record.guard?.key ?? null),
    guardBody: records.map((record) => record.guard?.bodyHash ?? null),
  });
  return sql.query<TurnRecorded>(RECORD_TURNS, [...turns, ...rowsValues(TURN_ROWS, records)]);
}

/** Whether a request that runs no turn passes its replay guard (recorded if new). */
export async function replayGuardPassed(sql: SqlRunner, guard: NonNullable<TurnRecord["guard"]>, now: Date): Promise<boolean> {
  const [row] = await sql.query<{ passed: boolean }>(NONCE_SEEN, [guard.channel, guard.key, guard.bodyHash, now]);
  return row?.passed === true;
}

/** A turn's replies (timeline rows and outbox rows), after its message in and its events. */
export async function recordReplies(sql: SqlRunner, replies: Pick<TurnRecord, "identityId" | "workerId" | "channel" | "now" | "timeline" | "outbox">): Promise<void> {
  await sql.query(RECORD_REPLIES, rowsValues(REPLY_ROWS, [replies]));
}
