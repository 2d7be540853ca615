import { describe, expect, it } from "vitest";
import { chinaQuarter, readChinaInstant } from "../../src/shared/china-time.ts";

describe("instants as operators type them", () => {
  it.each([
    ["2026-06-10T19:00", "2026-06-10T11:00:00.000Z"], // China time, whatever the server's zone
    ["2026-06-10T19:00:30.5", "2026-06-10T11:00:30.500Z"],
    ["2026-06-10", "2026-06-09T16:00:00.000Z"], // the start of that day in China
    ["2026-06-10T11:00:00Z", "2026-06-10T11:00:00.000Z"],
    ["2026-06-10T19:00:00+08:00", "2026-06-10T11:00:00.000Z"],
  ])("%s", (text, iso) => {
    expect(readChinaInstant(text)?.toISOString()).toBe(iso);
  });

  it.each(["next monday", "2026-13-01", "10/06/2026", ""])("refuses %j", (text) => {
    expect(readChinaInstant(text)).toBeNull();
  });
});

describe("the quarter of an instant", () => {
  it("is China's: New Year's first half hour there is already the first quarter", () => {
    expect(chinaQuarter(new Date("2026-12-31T16:30:00Z")).label).toBe("2027Q1");
    expect(chinaQuarter(new Date("2026-12-31T15:59:59Z")).label).toBe("2026Q4");
    expect(chinaQuarter(new Date("2026-06-30T16:00:00Z"))).toMatchObject({ label: "2026Q3", start: new Date("2026-06-30T16:00:00Z") });
  });
});
