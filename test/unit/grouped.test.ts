// Group commit: writes that arrive while others are written go together; writes that share a key
// never do; a group that fails is tried write by write, so only the bad write fails.
import { describe, expect, it } from "vitest";
import { ALONE, grouped } from "../../src/db/grouped.ts";

/** A store whose writes finish when the test says so: groups are seen as they are written. */
function heldStore(fail: (item: string) => boolean = () => false) {
  const groups: string[][] = [];
  const release: (() => void)[] = [];
  const writeAll = async (items: string[]) => {
    groups.push(items);
    await new Promise<void>((resolve) => release.push(resolve));
    if (items.some(fail)) throw new Error(`refused ${items.join(",")}`);
    return items.map((item) => `written ${item}`);
  };
  const releaseAll = async () => {
    while (release.length > 0) {
      release.shift()!();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  };
  return { groups, writeAll, releaseAll };
}

const byPerson = (item: string) => [item.split(":")[0]!];

describe("grouped writes", () => {
  it("write at once when alone, and together when they arrive during a write", async () => {
    const store = heldStore();
    const writes = grouped(store.writeAll, { inFlight: 1, groupSize: 10, keys: byPerson });
    const first = writes.run("a:1");
    const rest = ["b:1", "c:1", "d:1"].map((item) => writes.run(item));
    expect(store.groups).toEqual([["a:1"]]);
    await store.releaseAll();
    expect(await Promise.all([first, ...rest])).toEqual(["written a:1", "written b:1", "written c:1", "written d:1"]);
    expect(store.groups).toEqual([["a:1"], ["b:1", "c:1", "d:1"]]);
  });

  it("keep writes that share a key in different groups, in the order they came", async () => {
    const store = heldStore();
    const writes = grouped(store.writeAll, { inFlight: 1, groupSize: 10, keys: byPerson });
    const all = ["a:1", "a:2", "b:1", "a:3", "c:1"].map((item) => writes.run(item));
    await store.releaseAll();
    await Promise.all(all);
    expect(store.groups).toEqual([["a:1"], ["a:2", "b:1", "c:1"], ["a:3"]]);
  });

  it("hold no more than the group's size, and no more groups at once than allowed", async () => {
    const store = heldStore();
    const writes = grouped(store.writeAll, { inFlight: 2, groupSize: 2, keys: byPerson });
    const all = ["a", "b", "c", "d", "e", "f"].map((item) => writes.run(item));
    expect(store.groups).toEqual([["a"], ["b"]]);
    await store.releaseAll();
    await Promise.all(all);
    expect(store.groups).toEqual([["a"], ["b"], ["c", "d"], ["e", "f"]]);
  });

  it("alone, run each call at once by itself, whatever else is running", async () => {
    const store = heldStore();
    const writes = grouped(store.writeAll, ALONE);
    const all = ["a", "b", "c"].map((item) => writes.run(item));
    expect(store.groups).toEqual([["a"], ["b"], ["c"]]);
    await store.releaseAll();
    expect(await Promise.all(all)).toEqual(["written a", "written b", "written c"]);
  });

  it("try a failed group's writes one by one: only the bad one fails", async () => {
    const store = heldStore((item) => item === "bad");
    const writes = grouped(store.writeAll, { inFlight: 1, groupSize: 10, keys: byPerson });
    const first = writes.run("a");
    const rest = ["b", "bad", "c"].map((item) => writes.run(item).catch((error: Error) => error.message));
    await store.releaseAll();
    expect(await first).toBe("written a");
    expect(await Promise.all(rest)).toEqual(["written b", "refused bad", "written c"]);
    expect(store.groups).toEqual([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
  });
});
