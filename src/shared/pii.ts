// Personal data protection: resident ID numbers and phone numbers are encrypted at rest
// (AES-256-GCM), found again through a keyed hash (HMAC-SHA256, so a leaked table cannot be
// reversed by hashing every possible ID), and shown masked everywhere else (masking.ts).
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from "node:crypto";
import { randomBuffer } from "./random.ts";

export interface PiiProtector {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Stable keyed hash of a normalised value, for unique lookups. */
  hash(kind: "id" | "phone" | "phone_code" | "console_code" | "key_check", plain: string): string;
  /**
   * A phone number used as a channel address, sealed so that the same number always seals alike:
   * it stays a key to look up and to group by (the SMS identity, the outbox's per-number order and
   * caps), and only the sender opens it. Equal numbers show as equal, no more (as the hash does).
   */
  sealAddress(plain: string): string;
  openAddress(sealed: string): string;
}

/** The prefix of a sealed address: what sets it apart from a plain one. */
export const SEALED_ADDRESS_PREFIX = "a1.";

export function createPiiProtector(masterKey: Uint8Array): PiiProtector {
  if (masterKey.length !== 32) throw new Error("the personal-data key must be 32 bytes");
  const derive = (label: string) =>
    Buffer.from(hkdfSync("sha256", masterKey, new Uint8Array(0), `zhitongche/${label}`, 32));
  const encryptionKey = derive("encrypt/v1");
  const hashKey = derive("hash/v1");
  const addressKey = derive("address/v1");
  const addressIvKey = derive("address-iv/v1");

  // AES-256-GCM both ways; the formats around it differ (a random IV for values, a synthetic one for addresses).
  const seal = (key: Buffer, iv: Buffer, plain: string) => {
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return { tag: cipher.getAuthTag(), body };
  };
  const open = (key: Buffer, iv: Buffer, tag: Buffer, body: Buffer) => {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  };

  return {
    encrypt(plain) {
      const iv = randomBuffer(12);
      const { tag, body } = seal(encryptionKey, iv, plain);
      return `v1.${iv.toString("base64url")}.${tag.toString("base64url")}.${body.toString("base64url")}`;
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed value");
      return open(encryptionKey, Buffer.from(iv, "base64url"), Buffer.from(tag, "base64url"), Buffer.from(body, "base64url"));
    },
    hash(kind, plain) {
      return createHmac("sha256", hashKey).update(`${kind}:${plain}`).digest("base64url");
    },
    sealAddress(plain) {
      // Deterministic by a synthetic IV (a keyed hash of the number, as SIV does): GCM's nonce
      // repeats only for the same number, and then it is the same ciphertext anyway.
      const iv = createHmac("sha256", addressIvKey).update(plain).digest().subarray(0, 12);
      const { tag, body } = seal(addressKey, iv, plain);
      return `${SEALED_ADDRESS_PREFIX}${Buffer.concat([iv, tag, body]).toString("base64url")}`;
    },
    openAddress(sealed) {
      if (!sealed.startsWith(SEALED_ADDRESS_PREFIX)) throw new Error("not a sealed address");
      const bytes = Buffer.from(sealed.slice(SEALED_ADDRESS_PREFIX.length), "base64url");
      if (bytes.length < 28) throw new Error("not a sealed address");
      return open(addressKey, bytes.subarray(0, 12), bytes.subarray(12, 28), bytes.subarray(28));
    },
  };
}
