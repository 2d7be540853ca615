// Personal data protection: resident ID numbers and phone numbers are encrypted at rest
// (AES-256-GCM), found again through a keyed hash (HMAC-SHA256, so a leaked table cannot be
// reversed by hashing every possible ID), and shown masked everywhere else.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

export interface PiiProtector {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  /** Stable keyed hash of a normalised value, for unique lookups. */
  hash(kind: "id" | "phone", plain: string): string;
}

export function createPiiProtector(masterKey: Uint8Array): PiiProtector {
  if (masterKey.length !== 32) throw new Error("the personal-data key must be 32 bytes");
  const derive = (label: string) =>
    Buffer.from(hkdfSync("sha256", masterKey, new Uint8Array(0), `zhitongche/${label}`, 32));
  const encryptionKey = derive("encrypt/v1");
  const hashKey = derive("hash/v1");

  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${body.toString("base64url")}`;
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed value");
      const decipher = createDecipheriv("aes-256-gcm", encryptionKey, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    },
    hash(kind, plain) {
      return createHmac("sha256", hashKey).update(`${kind}:${plain}`).digest("base64url");
    },
  };
}

/** 350622199001011234 → 350622********1234: region and the last four stay, birth date goes. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return "*".repeat(id.length);
  return `${id.slice(0, 6)}${"*".repeat(id.length - 10)}${id.slice(-4)}`;
}

/** +8613812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+86/, "");
  if (digits.length < 7) return "*".repeat(digits.length);
  return `${digits.slice(0, 3)}${"*".repeat(digits.length - 7)}${digits.slice(-4)}`;
}

// Anything that looks like a resident ID (18 or 15 characters) or a Chinese mobile number, wherever
// it appears in free text: logs and echoed messages must never carry them whole.
const idNumberPattern = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])|(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])/g;
const mobilePattern = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)/g;

export function maskPersonalText(text: string): string {
  return text
    .replace(idNumberPattern, maskIdNumber)
    .replace(mobilePattern, (_match, head: string, tail: string) => `${head}****${tail}`);
}

/** Deep copy of a log or API value with every string masked. */
export function maskDeep<T>(value: T): T {
  if (typeof value === "string") return maskPersonalText(value) as T;
  if (Array.isArray(value)) return value.map(maskDeep) as T;
  if (value instanceof Error) {
    // Errors keep their message and stack in non-enumerable fields: copy them out before masking.
    const { name, message, stack } = value;
    return maskDeep({ ...value, type: name, message, stack }) as T;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = maskDeep(inner);
    return out as T;
  }
  return value;
}
