import { describe, expect, it } from "vitest";
import { KeyedLock } from "../../src/conversation/keyed-lock.ts";

describe("the per-user lock", () => {
  it("runs one user's turns in order, others alongside, and reports when all are done", async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const later = (ms: number, label: string) => () => new Promise<void>((resolve) => setTimeout(() => (order.push(label), resolve()), ms));
    void lock.run("a", later(30, "a1"));
    void lock.run("a", later(1, "a2"));
    void lock.run("b", later(5, "b1"));
    const failing = lock.run("a", async () => {
      throw new Error("boom");
    });
    void lock.run("a", later(1, "a3")); // a failed turn does not stop the next
    await expect(failing).rejects.toThrow("boom");
    await lock.idle();
    expect(order).toEqual(["b1", "a1", "a2", "a3"]);
    await lock.idle(); // idle when nothing runs
  });
});
