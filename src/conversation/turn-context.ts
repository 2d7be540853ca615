// What a turn needs to know about who wrote, read in one prepared statement: the channel identity
// and its session, and for a registered worker their profile and the notices a bare "1" may answer,
// for an employer its profile, for a stranger whose phone the channel proves the roster's people
// with that number, with the names of the places all of them live in. One round trip and no ORM on
// the chat's hot path: this runs on every message anyone sends.
import { prepared } from "../db/sql.ts";
import { ALONE, grouped } from "../db/grouped.ts";
import type { SqlRunner } from "../db/sql.ts";
import type { EmployerProfile } from "../shared/postings.ts";
import type { PendingNotice, RegisteredProfile } from "../engine/index.ts";
import { applicationOfFollowUp } from "../shared/keys.ts";
import { displayName } from "../services/region-lookup.ts";
import { rosterMatchesFrom, rosterMatchesSql, type RosterPersonMatch } from "../services/roster/reach.ts";
import { uuidv7 } from "../shared/ids.ts";

/** Notices that ask for a reply ("回复1报名"): the latest one is what a bare "1" may answer. */
const ANSWERABLE_NOTICES = ["job_push", "training_offer", "follow_up"];

/**
 * The contexts of several senders at once (see grouped.ts): $1 channels, $2 addresses, $3 the keyed
 * hashes of the phones the channels prove (else null), $4 the turns' times (for `wroteRecently`),
 * $5 the notice kinds a reply may answer. A row for each sender who has an identity, by their place
 * in the arrays (`i`, from 1). Each sender's records are looked up by key in a subquery of its own
 * (LIMIT 1 keeps it one): the plan, generic, guesses ten senders, and joined as sets it would rather
 * read a small ChannelIdentity whole at every turn than look ten keys up (bench:webhooks' early
 * tables: 0.05 ms a turn by key, 0.2 ms by hash join).
 */
const TURN_CONTEXTS = prepared(
  "chat_turn_contexts",
  `WITH asked AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[]) WITH ORDINALITY AS a(channel, address, "phoneHash", now, i))
  SELECT a.i, c.id, c."workerId", c."employerId", c."lastInboundAt" >= a.now - interval '1 minute' AS "wroteRecently", c.state, c.version,
    CASE WHEN w.id IS NOT NULL THEN to_jsonb(w) - 'id' END AS worker,
    CASE WHEN e.id IS NOT NULL THEN to_jsonb(e) END AS employer,
    (SELECT jsonb_agg(n) FROM (
       SELECT n.kind, n."vacancyId", n."courseId", n.key, to_char(n."sentAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sentAt"
       FROM "Notice" n WHERE n."workerId" = c."workerId" AND n.kind = ANY($5::text[]) AND n."sentAt" IS NOT NULL
       ORDER BY n."sentAt" DESC LIMIT 2) n) AS notices,
    r.roster,
    (SELECT jsonb_agg(g) FROM (
       SELECT g.code, g.name FROM "Region" g
       WHERE g.code IN (
         SELECT left(code, n) FROM unnest(ARRAY[w."homeRegionCode", e."regionCode"] || r.codes) AS code, unnest(ARRAY[4, 6, 9, 12]) AS n
         WHERE code IS NOT NULL)) g) AS places
  FROM asked a
    JOIN LATERAL (
      SELECT c.*, s.state, s.version FROM "ChannelIdentity" c LEFT JOIN "ConversationSession" s ON s."identityId" = c.id
      WHERE c.channel = a.channel AND c.address = a.address LIMIT 1) c ON true
    LEFT JOIN LATERAL (
      SELECT w.id, w.name, w."idNumberMasked", w."phoneMasked", w."birthDate"::text AS "birthDate", w.sex, w."homeRegionCode", w."povertyStatus",
        coalesce(w.categories, '{}') AS categories, coalesce(w."wishedOccupations", '{}') AS "wishedOccupations", w."workRange", w."wageFloor", w."wantsTraining", w."trainingWish"
      FROM "Worker" w WHERE w.id = c."workerId" LIMIT 1) w ON true
    LEFT JOIN LATERAL (
      SELECT e.id, e.name, e.kind, e."regionCode", (e."creditCode" IS NOT NULL OR e."vouchedBy" IS NOT NULL) AS trusted
      FROM "Employer" e WHERE e.id = c."employerId" LIMIT 1) e ON true
    -- only for a stranger: someone already known is not offered the roster's people
    LEFT JOIN LATERAL (
      SELECT jsonb_agg(m) AS roster, array_agg(m."regionCode") AS codes FROM (${rosterMatchesSql('a."phoneHash"')}) m
      WHERE c."workerId" IS NULL AND c."employerId" IS NULL) r ON true`,
);

/** The identity written on first contact (another process's at the same moment wins, and is read). */
const CREATE_IDENTITY = prepared(
  "chat_create_identity",
  `INSERT INTO "ChannelIdentity" (id, channel, address, "lastInboundAt", "createdAt") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, address) DO NOTHING`,
);

interface ContextRow {
  /** the sender's place in the statement's arrays, from 1 */
  i: number | string;
  id: string;
  workerId: string | null;
  employerId: string | null;
  wroteRecently: boolean | null;
  /** the sealed session, or null before the first turn */
  state: string | null;
  version: number | null;
  worker: (Omit<RegisteredProfile, "homeRegionName" | "idNumberMasked" | "birthDate" | "sex" | "workRange" | "wageFloor" | "wantsTraining"> & {
    idNumberMasked: string | null;
    birthDate: string | null;
    sex: RegisteredProfile["sex"] | null;
    workRange: RegisteredProfile["workRange"] | null;
    wageFloor: number | null;
    wantsTraining: boolean | null;
  }) | null;
  employer: Omit<EmployerProfile, "regionName"> | null;
  notices: { kind: PendingNotice["kind"]; vacancyId: string | null; courseId: string | null; key: string; sentAt: string }[] | null;
  roster: { key: string; name: string; regionCode: string; own: boolean }[] | null;
  places: { code: string; name: string }[] | null;
}

export interface TurnContext {
  identityId: string;
  workerId: string | null;
  employerId: string | null;
  /** the person wrote within the last minute: when they last wrote need not be written again */
  wroteRecently: boolean;
  state: string | null;
  version: number | null;
  registered?: RegisteredProfile;
  employer?: EmployerProfile;
  /** the two latest notices that asked for a reply and have reached the person (sent, not just queued) */
  pendingNotices: PendingNotice[];
  rosterMatches: RosterPersonMatch[];
}

function turnContextOf(row: ContextRow): TurnContext {
  const names = new Map((row.places ?? []).map((place) => [place.code, place.name]));
  const worker = row.worker;
  const home = worker?.homeRegionCode ?? "";
  return {
    identityId: row.id,
    workerId: row.workerId,
    employerId: row.employerId,
    wroteRecently: row.wroteRecently === true,
    state: row.state,
    version: row.version,
    ...(worker
      ? {
          registered: {
            ...worker,
            idNumberMasked: worker.idNumberMasked ?? "",
            birthDate: worker.birthDate ?? "",
            sex: worker.sex ?? "male",
            homeRegionCode: home,
            // Named from the county down; a home above county level (never set by the chat) has no name here.
            homeRegionName: home.length >= 6 ? displayName(home, names) : "",
            workRange: worker.workRange ?? "homeCounty",
            wageFloor: worker.wageFloor ?? 0,
            wantsTraining: worker.wantsTraining ?? false,
          },
        }
      : {}),
    ...(row.employer ? { employer: { ...row.employer, regionName: row.employer.regionCode ? displayName(row.employer.regionCode, names) : "" } } : {}),
    pendingNotices: (row.notices ?? []).map((notice) => ({
      kind: notice.kind,
      subjectId: notice.kind === "follow_up" ? (applicationOfFollowUp(notice.key) ?? notice.key) : (notice.vacancyId ?? notice.courseId ?? notice.key),
      at: notice.sentAt,
    })),
    rosterMatches: rosterMatchesFrom(row.roster ?? [], names),
  };
}

export interface TurnContextAsked {
  channel: string;
  address: string;
  /** the keyed hash of the phone the channel proves, else null */
  provenPhoneHash: string | null;
  now: Date;
}

/** The contexts of the senders in one statement, by their order: null for someone with no identity yet. */
async function readContexts(sql: SqlRunner, asked: readonly TurnContextAsked[]): Promise<(ContextRow | null)[]> {
  const rows = await sql.query<ContextRow>(TURN_CONTEXTS, [
    asked.map((one) => one.channel),
    asked.map((one) => one.address),
    asked.map((one) => one.provenPhoneHash),
    asked.map((one) => one.now),
    ANSWERABLE_NOTICES,
  ]);
  const byPlace = new Map(rows.map((row) => [Number(row.i), row]));
  return asked.map((_, index) => byPlace.get(index + 1) ?? null);
}

/** Reads turn contexts; the reads asked for while one runs go together, in one statement. */
export type TurnContextReader = (asked: TurnContextAsked) => Promise<ContextRow | null>;

/** Reads in flight at once, and the most in a group (see grouped.ts). */
const READS_IN_FLIGHT = 1;
const READ_GROUP_SIZE = 32;

/** `together`: reads of the same moment share a statement (not where each request has connections of its own). */
export function turnContextReader(sql: SqlRunner, together: boolean): TurnContextReader {
  const reads = grouped((asked: TurnContextAsked[]) => readContexts(sql, asked), together ? { inFlight: READS_IN_FLIGHT, groupSize: READ_GROUP_SIZE } : ALONE);
  return (asked) => reads.run(asked);
}

/**
 * The turn's context. The identity is created on first contact (then read again, the one time a
 * turn takes three statements); `wroteAt` is when the person wrote, for a new identity.
 */
export async function readTurnContext(sql: SqlRunner, read: TurnContextReader, asked: TurnContextAsked, wroteAt: Date | null): Promise<TurnContext> {
  let row = await read(asked);
  if (!row) {
    await sql.query(CREATE_IDENTITY, [uuidv7(), asked.channel, asked.address, wroteAt, asked.now]);
    row = await read(asked);
    if (!row) throw new Error("the channel identity was not written");
  }
  return turnContextOf(row);
}
