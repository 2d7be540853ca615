// UUID version 7 (RFC 9562): time-ordered, so rows written together sit together in an index. The
// same kind of id Prisma's @default(uuid(7)) makes, for rows written with raw SQL.
import { randomBuffer } from "./random.ts";

export function uuidv7(now = Date.now()): string {
  const bytes = randomBuffer(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
