// The assistance plan's timeline: every message in and out and every domain event about a person.
// Text is masked before it is stored: a worker typing their ID number must not leave it readable in
// the timeline. Written with one raw INSERT: this runs several times in every conversation turn.
import type { Prisma, Tx } from "../db/client.ts";
import { maskPersonalText } from "../shared/masking.ts";
import { uuidv7 } from "../shared/ids.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";


export interface TimelineSubject {
  /** the channel identity it happened on; null for what an operator records about a worker */
  identityId: string | null;
  workerId: string | null;
}

/**
 * Every kind of row on the timeline: a closed list, so that the console names each one (its
 * labels are a record over these) and a new kind cannot reach a coordinator's screen unnamed.
 */
export const TIMELINE_KINDS = [
  // the conversation
  "message_in", "message_out", "consent_given", "human_requested", "opted_out", "opted_in", "channel_linked", "phone_code_sent",
  // what the person asked for or was shown
  "jobs_requested", "jobs_shown", "job_declined", "profile_shown", "benefits_shown", "employer_flow_requested",
  // their records
  "registered", "re_registered", "roster_code_confirmed", "profile_changed", "benefit_facts_told", "corrected", "registry_update", "employment_changed",
  // jobs
  "push", "application", "phone_shared", "hired", "follow_up_answered", "job_loss_warning",
  // what an employer did
  "employer_registered", "vacancy_posted", "vacancy_closed", "applicant_hired",
  // messages sent to them
  "notice", "campaign", "invitation", "follow_up", "training_offer",
  // training
  "training_enrolled", "training_completed",
  // a coordinator's own records
  "visit", "call", "note",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineEntry {
  kind: TimelineKind;
  channel?: string;
  text?: string;
  data?: Prisma.InputJsonValue;
  actorId?: string;
  at?: Date;
}

/** Timeline rows about one subject, from parallel arrays: the nine parameters of timelineParams. */
const RECORD_TIMELINE = prepared(
  "record_timeline",
  `INSERT INTO "PlanEvent" (id, at, "identityId", "workerId", kind, channel, text, data, "actorId")
   SELECT id, at, $3, $4, kind, channel, text, data::jsonb, actor
   FROM unnest($1::text[], $2::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
     AS t(id, at, kind, channel, text, data, actor)`,
);

function timelineParams(subject: TimelineSubject, entries: TimelineEntry[], now: Date): unknown[] {
  return [
    entries.map(() => uuidv7()),
    entries.map((entry) => entry.at ?? now),
    subject.identityId,
    subject.workerId,
    entries.map((entry) => entry.kind),
    entries.map((entry) => entry.channel ?? null),
    entries.map((entry) => (entry.text === undefined ? null : maskPersonalText(entry.text))),
    entries.map((entry) => (entry.data === undefined ? null : JSON.stringify(entry.data))),
    entries.map((entry) => entry.actorId ?? null),
  ];
}

/** `now`: the verb's clock, for entries without their own `at`. In a Prisma transaction or a SQL one. */
export async function recordTimeline(db: Tx | SqlRunner, subject: TimelineSubject, entries: TimelineEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  await sqlOn(db).query(RECORD_TIMELINE, timelineParams(subject, entries, now));
}

/** Timeline rows about several people at once (a push to thousands), in one statement. */
export async function recordTimelines(
  tx: Tx,
  rows: readonly (TimelineSubject & { kind: TimelineKind; channel?: string | null; text?: string | null; data?: Prisma.InputJsonValue | null })[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "PlanEvent" (id, at, "identityId", "workerId", kind, channel, text, data)
     SELECT id, $8::timestamptz, identity_id, worker_id, kind, channel, text, data::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, identity_id, worker_id, kind, channel, text, data)`,
    rows.map(() => uuidv7()),
    rows.map((row) => row.identityId),
    rows.map((row) => row.workerId),
    rows.map((row) => row.kind),
    rows.map((row) => row.channel ?? null),
    rows.map((row) => (row.text == null ? null : maskPersonalText(row.text))),
    rows.map((row) => (row.data == null ? null : JSON.stringify(row.data))),
    now,
  );
}
