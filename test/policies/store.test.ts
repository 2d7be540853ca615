// The service's policy library: a stored document that no longer fits what it builds on is left
// out (and logged), and everyone else's policies go on working; documents nested absurdly deep are
// refused with a clear problem rather than a stack overflow.
import { describe, expect, it } from "vitest";
import { evaluateEligibility, parsePolicyDocument, PolicyDocumentError, policiesFor } from "../../src/policies/index.ts";
import { usableLibrary } from "../../src/services/policies.ts";

const county = (regionCode: string, yuan: number) => ({
  regionCode,
  name: `${regionCode} 的政策`,
  benefits: [{ id: "transport_subsidy", amount: { yuan, text: "一次性交通补助{yuan}元", short: "{yuan}元" }, sources: [{ file: "县人社局通知", quotes: ["外出务工一次性交通补助若干元"] }] }],
});
// A partial entry for a benefit no broader document defines: it cannot be completed, so it cannot load.
const broken = {
  regionCode: "350624",
  name: "诏安县的政策",
  benefits: [{ id: "no_such_benefit", amount: { yuan: 100, text: "{yuan}元" }, sources: [{ file: "诏安县通知", quotes: ["这项补贴不存在于上级文件"] }] }],
};

describe("the library the service uses", () => {
  it("leaves out a stored document that no longer fits, logs it, and keeps the others", () => {
    const logged: { problem: string; regionCode: string }[] = [];
    const log = { error: (entry: { problem: string; regionCode: string }) => logged.push(entry) } as never;
    const library = usableLibrary([{ regionCode: "350623", document: county("350623", 500) }, { regionCode: "350624", document: broken }], log);
    expect(logged.map((entry) => entry.regionCode)).toEqual(["350624"]);
    const zhangpu = policiesFor(library, "350623100201").benefits.find((benefit) => benefit.id === "transport_subsidy");
    expect(zhangpu?.amount.yuan).toBe(500);
    // The county whose document was left out still gets its city's and the nation's policies.
    const zhaoan = evaluateEligibility(policiesFor(library, "350624100201"), { povertyStatus: "registered", homeRegionCode: "350624100201", employmentStatus: "employedOutOfProvince" }, { today: "2026-12-02" });
    expect(zhaoan.find((evaluation) => evaluation.id === "transport_subsidy")?.answer).toBe("yes");
  });

  it("refuses a document nested deeper than any policy needs, naming the problem", () => {
    let condition: unknown = { fact: "povertyStatus", in: ["registered"] };
    for (let i = 0; i < 2_000; i++) condition = { not: condition };
    const deep = { ...county("350625", 300), benefits: [{ ...county("350625", 300).benefits[0], eligibility: condition }] };
    expect(() => parsePolicyDocument(deep, "region 350625")).toThrow(PolicyDocumentError);
    expect(() => parsePolicyDocument(deep, "region 350625")).toThrow(/nests deeper than/);
  });
});
