// Positional parameters by name: the numbers follow from the list, and the values come out in it.
import { describe, expect, it } from "vitest";
import { parameters } from "../../src/db/parameters.ts";

describe("parameters", () => {
  it("numbers names in order, a wide one taking its places, and starts where asked", () => {
    const p = parameters(4, ["a", "rows", "b"], { rows: 3 });
    expect(p.at).toEqual({ a: "$4", rows: "$5", b: "$8" });
    expect(p.next).toBe(9);
    expect(p.values({ b: "B", rows: [1, 2, 3], a: "A" })).toEqual(["A", 1, 2, 3, "B"]);
  });

  it("refuses a wide name given the wrong number of values", () => {
    expect(() => parameters(1, ["rows"], { rows: 2 }).values({ rows: [1] })).toThrow("rows takes 2 values");
  });
});
