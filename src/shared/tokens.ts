// Operator API tokens: shown once to their owner, stored only as a hash.
import { createHash, randomBytes, randomInt } from "node:crypto";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const newApiToken = () => `zt_${randomBytes(24).toString("base64url")}`;

/** A code texted to a phone to prove it is the person's: six digits, leading zeros kept. */
export const newSmsCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");
