// Vectors from ../shared/channels.md ("Identifiers").
import { describe, expect, it } from "vitest";
import { ageOn, isValidCreditCode, normalizeMobile, parseResidentId } from "../../src/shared/identifiers.ts";

describe("resident ID numbers (GB 11643)", () => {
  it("accepts the valid vectors and derives birth date and sex", () => {
    expect(parseResidentId("11010519491231002X")).toEqual({ number: "11010519491231002X", birthDate: "1949-12-31", sex: "female", areaCode: "110105" });
    expect(parseResidentId("110101199003074477")).toMatchObject({ birthDate: "1990-03-07", sex: "male" });
    expect(parseResidentId("11010519491231002x")).toMatchObject({ number: "11010519491231002X" });
  });

  it("names the problem with the invalid vectors", () => {
    expect(parseResidentId("110105194912310021")).toEqual({ problem: "check_digit" });
    expect(parseResidentId("11010519490231002X")).toEqual({ problem: "birth_date" });
    expect(parseResidentId("1101051949123100")).toEqual({ problem: "format" });
    expect(parseResidentId("110105209912310021", new Date("2026-11-24"))).toEqual({ problem: "birth_date" });
  });

  it("converts a 15-digit ID by inserting 19 and a check digit", () => {
    const converted = parseResidentId("110105491231002");
    expect(converted).toMatchObject({ birthDate: "1949-12-31", sex: "female" });
    expect("number" in converted && converted.number.slice(0, 17)).toBe("11010519491231002");
    expect("number" in converted && parseResidentId(converted.number)).toMatchObject({ birthDate: "1949-12-31" });
  });

  it("computes age in whole years", () => {
    expect(ageOn("1990-03-07", new Date("2026-03-06T00:00:00Z"))).toBe(35);
    expect(ageOn("1990-03-07", new Date("2026-03-07T00:00:00Z"))).toBe(36);
  });
});

describe("mobile numbers", () => {
  it("strips +86 / 0086 and separators, and stores E.164", () => {
    expect(normalizeMobile("+86 138-1234-5678")).toBe("+8613812345678");
    expect(normalizeMobile("008613812345678")).toBe("+8613812345678");
    expect(normalizeMobile("１３８１２３４５６７８")).toBe("+8613812345678"); // 全角, as a phone keyboard may type it
    expect(normalizeMobile("13812345678")).toBe("+8613812345678");
    expect(normalizeMobile("12812345678")).toBeNull();
    expect(normalizeMobile("1381234567")).toBeNull();
  });
});

describe("unified social credit codes (GB 32100)", () => {
  it("accepts real codes and refuses a changed check character", () => {
    for (const code of ["91350100M000100Y43", "91110108551385082Q"]) expect(isValidCreditCode(code), code).toBe(true);
    expect(isValidCreditCode("91110108551385082R")).toBe(false);
    expect(isValidCreditCode("91110108551385082")).toBe(false);
    expect(isValidCreditCode("9111010855138508IQ")).toBe(false); // I is not in the alphabet
  });
});
