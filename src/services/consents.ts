// Consent as the law asks it to be kept (PIPL): what was agreed to or withdrawn, in the words the
// person saw, on which chat and when. One statement, in Prisma's transaction or a chat turn's SQL one.
import type { Tx } from "../db/client.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";
import { uuidv7 } from "../shared/ids.ts";

export interface ConsentGiven {
  identityId: string | null;
  workerId: string | null;
  /** data_processing, share_phone_with_employer */
  kind: string;
  granted: boolean;
  wording: string;
  channel: string | null;
}

const RECORD_CONSENT = prepared(
  "record_consent",
  `INSERT INTO "Consent" (id, "identityId", "workerId", kind, granted, wording, channel, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
);

export async function recordConsent(db: Tx | SqlRunner, consent: ConsentGiven, at: Date): Promise<void> {
  await sqlOn(db).query(RECORD_CONSENT, [uuidv7(), consent.identityId, consent.workerId, consent.kind, consent.granted, consent.wording, consent.channel, at]);
}
