// The key that seals personal data must be the one the database was written with: a changed
// PII_ENCRYPTION_KEY (or a lost DATA_DIR/secrets.json) would make every ID, phone and conversation
// unreadable — every turn a 500. The database keeps the key's fingerprint (a keyed hash of a fixed
// text, which reveals nothing of the key) and a service with another key refuses to start. A
// database that holds sealed data but no fingerprint yet (written before the check existed) must
// first open one of its sealed values with the key, or the wrong key would be recorded as right.
import type { PrismaClient } from "../db/client.ts";
import type { PiiProtector } from "../shared/pii.ts";

const SETTING = "pii_key_fingerprint";
const WRONG_KEY =
  "PII_ENCRYPTION_KEY: this database was written with another key (set the original PII_ENCRYPTION_KEY, or keep DATA_DIR/secrets.json)";

export class KeyMismatchError extends Error {
  override name = "KeyMismatchError";
}

/** One sealed value already in the database, if any. */
async function anySealedValue(prisma: PrismaClient): Promise<string | null> {
  const [row] = await prisma.$queryRawUnsafe<{ sealed: string }[]>(
    `(SELECT "idNumberEnc" AS sealed FROM "Worker" WHERE "idNumberEnc" IS NOT NULL LIMIT 1)
     UNION ALL (SELECT "phoneEnc" FROM "Worker" WHERE "phoneEnc" IS NOT NULL LIMIT 1)
     UNION ALL (SELECT state #>> '{}' FROM "ConversationSession" LIMIT 1)
     LIMIT 1`,
  );
  return row?.sealed ?? null;
}

export async function assertSealingKey(prisma: PrismaClient, pii: PiiProtector): Promise<void> {
  const fingerprint = pii.hash("key_check", "zhitongche");
  const stored = await prisma.serviceSetting.findUnique({ where: { key: SETTING } });
  if (stored) {
    if (stored.value !== fingerprint) throw new KeyMismatchError(WRONG_KEY);
    return;
  }
  const sealed = await anySealedValue(prisma);
  if (sealed !== null) {
    try {
      pii.decrypt(sealed);
    } catch {
      throw new KeyMismatchError(WRONG_KEY);
    }
  }
  await prisma.serviceSetting.upsert({ where: { key: SETTING }, create: { key: SETTING, value: fingerprint }, update: {} });
}
