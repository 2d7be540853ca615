// Keys the embedded default generates once and keeps under DATA_DIR (mode 0600), so that a laptop
// needs no configuration and a restart still reads yesterday's encrypted data. Production sets
// PII_ENCRYPTION_KEY and MEILI_MASTER_KEY instead.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface LocalSecrets {
  piiEncryptionKey: string; // base64, 32 bytes
  meiliMasterKey: string;
}

/**
 * DATA_DIR holds the database, the search data, these keys and the bot's login: readable by this
 * user alone. The process's umask is narrowed too, so that every file the service and its children
 * create there is 0600 (a folder 0700); a folder made by an earlier version is narrowed at start.
 */
export function privateDataDir(dataDir: string): void {
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dataDir, 0o700);
  } catch (error) {
    // A volume owned by another user (a container's fsGroup): the platform decides its mode.
    process.stderr.write(`DATA_DIR ${dataDir}: could not make it private (${(error as Error).message})\n`);
  }
}

/** The keys a start has already generated under DATA_DIR, if any (a restore must not make new ones). */
export function existingSecrets(dataDir: string): LocalSecrets | null {
  const file = join(dataDir, "secrets.json");
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as LocalSecrets) : null;
}

export function localSecrets(dataDir: string): LocalSecrets {
  const existing = existingSecrets(dataDir);
  if (existing) return existing;
  const file = join(dataDir, "secrets.json");
  mkdirSync(dataDir, { recursive: true });
  const secrets: LocalSecrets = {
    piiEncryptionKey: randomBytes(32).toString("base64"),
    meiliMasterKey: randomBytes(24).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  return secrets;
}
