// The key that seals personal data must be the one the database was written with: a changed
// PII_ENCRYPTION_KEY (or a lost DATA_DIR/secrets.json) would make every ID, phone and conversation
// unreadable — every turn a 500. The database keeps the key's fingerprint (a keyed hash of a fixed
// text, which reveals nothing of the key) and a service with another key refuses to start.
import type { PrismaClient } from "../db/client.ts";
import type { PiiProtector } from "../shared/pii.ts";

const SETTING = "pii_key_fingerprint";

export class KeyMismatchError extends Error {
  override name = "KeyMismatchError";
}

export async function assertSealingKey(prisma: PrismaClient, pii: PiiProtector): Promise<void> {
  const fingerprint = pii.hash("key_check", "zhitongche");
  const stored = await prisma.serviceSetting.upsert({ where: { key: SETTING }, create: { key: SETTING, value: fingerprint }, update: {} });
  if (stored.value !== fingerprint) {
    throw new KeyMismatchError(
      "PII_ENCRYPTION_KEY: this database was written with another key (set the original PII_ENCRYPTION_KEY, or keep DATA_DIR/secrets.json); nothing was changed",
    );
  }
}
