// Random bytes for ids and nonces, drawn from a pooled buffer: one call to the system's generator
// fills 4 KB, where a call per id (a roster import makes hundreds of thousands) spent a fifth of
// the import's time in the system call. The bytes are the same CSPRNG's; each is handed out once.
import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/** `length` fresh random bytes (a copy: the caller may keep it). */
export function randomBuffer(length: number): Buffer {
  if (length > POOL_BYTES) return randomFillSync(Buffer.alloc(length));
  if (used + length > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + length));
  // Handed out once: the pool's copy is wiped, so no later reader of this buffer could see it.
  pool.fill(0, used, used + length);
  used += length;
  return bytes;
}
