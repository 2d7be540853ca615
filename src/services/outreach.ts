// Messages the service sends on its own, not as a reply: job pushes, notices, follow-ups, alerts to
// employers. Each goes to the person's best channel (the one they last wrote from, if it still
// accepts pushes), is recorded in the outbox with an idempotency key in the caller's transaction,
// and — for workers — as a Notice, which keeps a subject from reaching a worker twice and is what the
// coverage figures count. Channels that cannot reach the person at send time (WeChat's 48-hour
// window) fall back to SMS in the dispatcher.
import type { Db, Tx } from "../db/client.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";
import { CHANNEL } from "../shared/channel-names.ts";
import type { SealedBody } from "../delivery/personal-data.ts";
import type { ChannelIdentity, Prisma } from "../db/client.ts";
import { uuidv7 } from "../shared/ids.ts";
import { recordTimelines, type TimelineKind } from "./timeline.ts";

/** A message body: the text, and the approved-template form SMS providers in China need. */
export interface MessageBody {
  text: string;
  /** the logical template (job_push, notice…), mapped to the provider's code by the channel */
  template?: string;
  params?: Record<string, string>;
}

export type Reachable = Pick<ChannelIdentity, "id" | "channel" | "address" | "lastInboundAt" | "optedOutAt" | "createdAt">;

/**
 * The identity a message goes to: the one the person last wrote from among those that accept
 * pushes; one that never wrote (registered by a coordinator) only by SMS, where the number is their
 * own. A notice about the person's own case may also go where pushes were turned off, but only when
 * no other channel is left (an unfollowed WeChat account cannot be written to at all).
 */
export function bestIdentity(identities: readonly Reachable[], purpose: "push" | "notice"): Reachable | null {
  const pick = (candidates: readonly Reachable[]) => {
    const wrote = candidates.filter((identity) => identity.lastInboundAt !== null).sort((a, b) => b.lastInboundAt!.getTime() - a.lastInboundAt!.getTime());
    return wrote[0] ?? candidates.find((identity) => identity.channel === CHANNEL.sms) ?? null;
  };
  const open = pick(identities.filter((identity) => identity.optedOutAt === null));
  return open ?? (purpose === "notice" ? pick(identities) : null);
}

export interface WorkerNotice {
  kind: "job_push" | "training_offer" | "training_reminder" | "training_cancelled" | "subsidy" | "campaign" | "invitation" | "registered" | "follow_up" | "hired";
  /** one per worker and subject: job_push:<vacancy>:<worker>, … */
  key: string;
  workerId: string;
  regionCode: string | null;
  body: MessageBody;
  vacancyId?: string;
  courseId?: string;
  /** job pushes, offers and campaigns respect opt-out; notices about the worker's own case do not */
  purpose: "push" | "notice";
  /** the timeline entry's kind (push, notice, follow_up…) and data */
  timeline: { kind: TimelineKind; data?: Prisma.InputJsonValue };
  /** where to send it, for a person none of whose own identities can be (the roster's number of someone not yet reached) */
  to?: Reachable;
}

/**
 * Records notices to workers and queues them, a few statements for the whole batch. A notice whose
 * key is taken (sent before) or whose worker no channel can reach is skipped. Returns the keys of
 * the notices queued.
 */
export async function noticeWorkers(tx: Tx, notices: readonly WorkerNotice[], now: Date): Promise<Set<string>> {
  if (notices.length === 0) return new Set();
  const workerIds = [...new Set(notices.map((notice) => notice.workerId))];
  const identities = await tx.channelIdentity.findMany({ where: { workerId: { in: workerIds } } });
  const byWorker = new Map<string, Reachable[]>();
  for (const identity of identities) byWorker.set(identity.workerId!, [...(byWorker.get(identity.workerId!) ?? []), identity]);
  const rows = notices.flatMap((notice) => {
    const to = notice.to ?? bestIdentity(byWorker.get(notice.workerId) ?? [], notice.purpose);
    return to ? [{ notice, to, outboxId: uuidv7() }] : [];
  });
  if (rows.length === 0) return new Set();
  // The outbox row and the notice share the key: a key already taken inserts neither.
  const queued = await tx.$queryRawUnsafe<{ key: string }[]>(
    `WITH fresh AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS r(outbox_id, key, channel, address, purpose, body, worker_id, kind, region_code, vacancy_id, course_id)
       WHERE NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.key = r.key)),
     outbox AS (
       INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, "workerId", status, "nextAttemptAt", "createdAt")
       SELECT outbox_id, key, channel, address, purpose, body, worker_id, 'pending', $12::timestamptz, $12::timestamptz FROM fresh
       ON CONFLICT ("idempotencyKey") DO NOTHING
       RETURNING id, "idempotencyKey")
     INSERT INTO "Notice" (id, kind, "workerId", "vacancyId", "courseId", key, "outboxId", channel, "regionCode", "createdAt")
     SELECT outbox_id, kind, worker_id, vacancy_id, course_id, key, outbox_id, channel, region_code, $12::timestamptz
     FROM fresh JOIN outbox ON outbox.id = fresh.outbox_id
     RETURNING key`,
    rows.map((row) => row.outboxId),
    rows.map((row) => row.notice.key),
    rows.map((row) => row.to.channel),
    rows.map((row) => row.to.address),
    rows.map((row) => row.notice.purpose),
    rows.map((row) => JSON.stringify(row.notice.body)),
    rows.map((row) => row.notice.workerId),
    rows.map((row) => row.notice.kind),
    rows.map((row) => row.notice.regionCode),
    rows.map((row) => row.notice.vacancyId ?? null),
    rows.map((row) => row.notice.courseId ?? null),
    now,
  );
  const keys = new Set(queued.map((row) => row.key));
  const sent = rows.filter((row) => keys.has(row.notice.key));
  await recordTimelines(
    tx,
    sent.map(({ notice, to }) => ({
      identityId: to.id,
      workerId: notice.workerId,
      kind: notice.timeline.kind,
      channel: to.channel,
      text: notice.body.text,
      data: notice.timeline.data ?? null,
    })),
    now,
  );
  return keys;
}

export async function noticeWorker(tx: Tx, notice: WorkerNotice, now: Date): Promise<boolean> {
  return (await noticeWorkers(tx, [notice], now)).has(notice.key);
}

/**
 * One message queued once per key (to an employer, to a coordinator's own phone); whether it was new.
 * Through Prisma's transaction or a chat turn's SQL one (sqlOn).
 */
export async function queueMessage(
  db: Tx | Db | SqlRunner,
  message: { key: string; channel: string; address: string; purpose: "notice" | "staff"; body: MessageBody | SealedBody },
  now: Date,
): Promise<boolean> {
  const queued = await sqlOn(db).query(QUEUE_MESSAGE, [uuidv7(), message.key, message.channel, message.address, message.purpose, JSON.stringify(message.body), now]);
  return queued.length > 0;
}
const QUEUE_MESSAGE = prepared(
  "queue_message",
  `INSERT INTO "OutboxMessage" (id, "idempotencyKey", channel, address, purpose, body, "nextAttemptAt", "createdAt") VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7)
   ON CONFLICT DO NOTHING RETURNING 1`,
);

/** An employer's chats, for bestIdentity (the times only ordered against each other). */
const EMPLOYER_IDENTITIES = prepared(
  "employer_identities",
  `SELECT id, channel, address, "lastInboundAt", "optedOutAt", "createdAt" FROM "ChannelIdentity" WHERE "employerId" = $1`,
);

/** Tells an employer something (a new applicant): every identity of theirs, the newest first. */
export async function alertEmployer(db: Tx | SqlRunner, employerId: string, key: string, body: MessageBody | SealedBody, now: Date): Promise<boolean> {
  const to = bestIdentity(await sqlOn(db).query<Reachable>(EMPLOYER_IDENTITIES, [employerId]), "notice");
  return to ? queueMessage(db, { key, channel: to.channel, address: to.address, purpose: "notice", body }, now) : false;
}
