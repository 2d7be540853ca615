// Ids and nonces from the pooled random source: never handed out twice, across the pool's refills.
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../../src/shared/ids.ts";
import { randomBuffer } from "../../src/shared/random.ts";

describe("pooled random bytes", () => {
  it("never repeat a nonce, however many pools they span, and a caller's copy is its own", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(randomBuffer(12).toString("hex")); // 60 KB: fifteen refills
    expect(seen.size).toBe(5000);
    const kept = randomBuffer(16);
    const copy = Buffer.from(kept);
    for (let i = 0; i < 600; i++) randomBuffer(12);
    expect(kept.equals(copy)).toBe(true);
    expect(randomBuffer(10_000)).toHaveLength(10_000);
  });

  it("makes version-7 ids in time order", () => {
    const ids = Array.from({ length: 2000 }, (_, at) => uuidv7(1_796_000_000_000 + at));
    expect(new Set(ids).size).toBe(2000);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});
