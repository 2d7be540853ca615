// A region's codes as a range (so a plain index serves it in any collation): exactly the codes a
// prefix match takes, no more and no fewer.
import { describe, expect, it } from "vitest";
import { regionRange } from "../../src/services/context.ts";

const inRange = (code: string, range: ReturnType<typeof regionRange>) =>
  "startsWith" in range ? code.startsWith(range.startsWith) : code >= range.gte && code < range.lt;

describe("regionRange", () => {
  it("is the prefix's codes up to the next prefix of the same length", () => {
    expect(regionRange("350622")).toEqual({ gte: "350622", lt: "350623" });
    expect(regionRange("350629")).toEqual({ gte: "350629", lt: "35063" });
    expect(regionRange("3599")).toEqual({ gte: "3599", lt: "36" });
    expect(regionRange("99")).toEqual({ startsWith: "99" }); // nothing follows it: the prefix match
  });

  it("takes exactly the codes a prefix match takes", () => {
    const codes = ["35", "3506", "35062", "350622", "3506221", "350622103", "350622103201", "350622999999", "350623", "350623000001", "35063", "3507", "36", "350621999999"];
    for (const prefix of ["35", "3506", "350622", "350622103", "350629", "3599", "350622999", "99"]) {
      expect(codes.filter((code) => inRange(code, regionRange(prefix))), prefix).toEqual(codes.filter((code) => code.startsWith(prefix)));
    }
  });
});
