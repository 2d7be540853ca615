// What a turn needs to know about who wrote, read in one prepared statement: the channel identity
// and its session, and for a registered worker their profile and the notices a bare "1" may answer,
// for an employer its profile, for a stranger whose phone the channel proves the roster's people
// with that number, with the names of the places all of them live in. One round trip and no ORM on
// the chat's hot path: this runs on every message anyone sends.
import { prepared } from "../db/sql.ts";
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
 * $1 channel, $2 address, $3 the keyed hash of the phone the channel proves (else null), $4 the
 * notice kinds a reply may answer, $5 the turn's time (for `wroteRecently`).
 */
const TURN_CONTEXT = prepared(
  "chat_turn_context",
  `WITH identity AS (
    SELECT i.id, i."workerId", i."employerId", i."lastInboundAt" >= $5::timestamp - interval '1 minute' AS "wroteRecently", s.state, s.version
    FROM "ChannelIdentity" i LEFT JOIN "ConversationSession" s ON s."identityId" = i.id
    WHERE i.channel = $1 AND i.address = $2),
  worker AS (
    SELECT w.name, w."idNumberMasked", w."phoneMasked", w."birthDate"::text AS "birthDate", w.sex, w."homeRegionCode", w."povertyStatus",
           coalesce(w.categories, '{}') AS categories, coalesce(w."wishedOccupations", '{}') AS "wishedOccupations", w."workRange", w."wageFloor", w."wantsTraining", w."trainingWish"
    FROM "Worker" w JOIN identity i ON w.id = i."workerId"),
  employer AS (
    SELECT e.id, e.name, e.kind, e."regionCode", (e."creditCode" IS NOT NULL OR e."vouchedBy" IS NOT NULL) AS trusted
    FROM "Employer" e JOIN identity i ON e.id = i."employerId"),
  notices AS (
    SELECT n.kind, n."vacancyId", n."courseId", n.key, to_char(n."sentAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sentAt"
    FROM "Notice" n JOIN identity i ON n."workerId" = i."workerId"
    WHERE n.kind = ANY($4::text[]) AND n."sentAt" IS NOT NULL
    ORDER BY n."sentAt" DESC LIMIT 2),
  roster AS (${rosterMatchesSql("$3")}),
  places AS (
    SELECT g.code, g.name FROM "Region" g
    WHERE g.code IN (
      SELECT left(c.code, n) FROM (SELECT "homeRegionCode" FROM worker UNION ALL SELECT "regionCode" FROM employer UNION ALL SELECT "regionCode" FROM roster) AS c(code),
        unnest(ARRAY[4, 6, 9, 12]) AS n
      WHERE c.code IS NOT NULL))
  SELECT i.*,
    (SELECT to_jsonb(w) FROM worker w) AS worker,
    (SELECT to_jsonb(e) FROM employer e) AS employer,
    (SELECT jsonb_agg(n) FROM notices n) AS notices,
    -- only for a stranger: someone already known is not offered the roster's people
    (SELECT jsonb_agg(r) FROM roster r WHERE i."workerId" IS NULL AND i."employerId" IS NULL) AS roster,
    (SELECT jsonb_agg(p) FROM places p) AS places
  FROM identity i`,
);

/** The identity written on first contact (another process's at the same moment wins, and is read). */
const CREATE_IDENTITY = prepared(
  "chat_create_identity",
  `INSERT INTO "ChannelIdentity" (id, channel, address, "lastInboundAt", "createdAt") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, address) DO NOTHING`,
);

interface ContextRow {
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

/**
 * The turn's context. The identity is created on first contact (then read again, the one time a
 * turn takes three statements); `wroteAt` is when the person wrote, for a new identity.
 */
export async function readTurnContext(
  sql: SqlRunner,
  message: { channel: string; address: string },
  provenPhoneHash: string | null,
  wroteAt: Date | null,
  now: Date,
): Promise<TurnContext> {
  const read = () => sql.query<ContextRow>(TURN_CONTEXT, [message.channel, message.address, provenPhoneHash, ANSWERABLE_NOTICES, now]);
  let [row] = await read();
  if (!row) {
    await sql.query(CREATE_IDENTITY, [uuidv7(), message.channel, message.address, wroteAt, now]);
    [row] = await read();
    if (!row) throw new Error("the channel identity was not written");
  }
  return turnContextOf(row);
}
