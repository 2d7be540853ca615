import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { maskDeep, maskIdNumber, maskPersonalText, maskPhone } from "../../src/shared/masking.ts";
import { createPiiProtector } from "../../src/shared/pii.ts";

describe("personal data at rest", () => {
  const key = randomBytes(32);
  const pii = createPiiProtector(key);

  it("encrypts so that the ciphertext differs every time and decrypts back", () => {
    const a = pii.encrypt("11010519491231002X");
    const b = pii.encrypt("11010519491231002X");
    expect(a).not.toBe(b);
    expect(a).not.toContain("11010519491231002X");
    expect(pii.decrypt(a)).toBe("11010519491231002X");
  });

  it("refuses a tampered ciphertext or another key's", () => {
    const sealed = pii.encrypt("13812345678");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0]! ^= 1;
    parts[3] = body.toString("base64url");
    expect(() => pii.decrypt(parts.join("."))).toThrow();
    expect(() => createPiiProtector(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it("seals an address alike every time (a key to find it by), opens it back, and refuses it tampered or under another key", () => {
    const a = pii.sealAddress("+8613812345678");
    expect(pii.sealAddress("+8613812345678")).toBe(a);
    expect(pii.sealAddress("+8613812345679")).not.toBe(a);
    expect(a).not.toContain("13812345678");
    expect(pii.openAddress(a)).toBe("+8613812345678");
    const bytes = Buffer.from(a.slice(3), "base64url");
    bytes[bytes.length - 1]! ^= 1;
    expect(() => pii.openAddress(`a1.${bytes.toString("base64url")}`)).toThrow();
    expect(() => createPiiProtector(randomBytes(32)).openAddress(a)).toThrow();
    expect(() => pii.openAddress("+8613812345678")).toThrow("not a sealed address");
  });

  it("hashes with a key: stable for look-ups, different under another key and per kind", () => {
    expect(pii.hash("id", "110101199003074477")).toBe(createPiiProtector(key).hash("id", "110101199003074477"));
    expect(pii.hash("id", "110101199003074477")).not.toBe(createPiiProtector(randomBytes(32)).hash("id", "110101199003074477"));
    expect(pii.hash("id", "13812345678")).not.toBe(pii.hash("phone", "13812345678"));
  });

  it("needs a 32-byte key", () => {
    expect(() => createPiiProtector(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("masking", () => {
  it("masks ID numbers and phones as the brief shows", () => {
    expect(maskIdNumber("35062219900101123X")).toBe("350622********123X");
    expect(maskPhone("+8613812345678")).toBe("138****5678");
  });

  it("finds them when typed in groups or in full-width digits, as the chat accepts them", () => {
    expect(maskPersonalText("110105 19491231 002X")).toBe("110105********002X");
    expect(maskPersonalText("１１０１０５１９４９１２３１００２Ｘ")).toBe("110105********002X");
    expect(maskPersonalText("电话：１３８－１２３４－５６７８。")).toBe("电话：138****5678。");
    expect(maskPersonalText("月薪３０００元，包吃住")).toBe("月薪３０００元，包吃住"); // the rest stays as written
  });

  it("finds ID numbers and phones inside free text, and leaves other numbers alone", () => {
    expect(maskPersonalText("身份证11010519491231002x，电话 +86 138 1234 5678")).toBe("身份证110105********002x，电话 138****5678");
    expect(maskPersonalText("旧证号 350622900101123 订单 20261124133132 村 350622103201")).toBe(
      "旧证号 350622*****1123 订单 20261124133132 村 350622103201",
    );
    expect(maskDeep({ a: ["13912345678"], b: { c: "110101199003074477" }, n: 3 })).toEqual({
      a: ["139****5678"],
      b: { c: "110101********4477" },
      n: 3,
    });
  });
});
