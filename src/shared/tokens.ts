// Operator API tokens: shown once to their owner, stored only as a hash.
import { createHash, randomBytes } from "node:crypto";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const newApiToken = () => `zt_${randomBytes(24).toString("base64url")}`;
