// Signatures of the WeChat Official Account callback (shared/channels.md, "WeChat").
// Both are sha1 over the parts sorted and joined with nothing between them. JavaScript's default
// sort compares UTF-16 units, the official samples compare bytes: the same order for what WeChat
// sends (an ASCII token, decimal timestamp and nonce, base64 ciphertext).
import { createHash, timingSafeEqual } from "node:crypto";

function sha1OfSortedParts(parts: string[]): string {
  return createHash("sha1").update([...parts].sort().join(""), "utf8").digest("hex");
}

/** The `signature` query parameter: the GET check of the server URL, and every plain-mode POST. */
export function urlSignature(token: string, timestamp: string, nonce: string): string {
  return sha1OfSortedParts([token, timestamp, nonce]);
}

/** The `msg_signature` of safe mode (`encrypt_type=aes`): it also covers the ciphertext. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return sha1OfSortedParts([token, timestamp, nonce, encrypt]);
}

/**
 * Compares a signature we computed with the one a request carries, in constant time. Both are
 * hashed first so that timingSafeEqual always sees equal lengths: a missing or over-long query
 * parameter answers false instead of throwing, and the time taken says nothing about the
 * expected value.
 */
export function signaturesMatch(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== "string") return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(expected), digest(given));
}
