// Documents per region: narrower ones override broader ones benefit by benefit; a document
// supplied at run time (a county's, from the database) changes amounts without a code change;
// a malformed document is refused with a message naming the document and the field.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BUILT_IN_DOCUMENTS,
  benefitLines,
  entitlementNotice,
  loadPolicyLibrary,
  parsePolicyDocument,
  policiesFor,
  policyDocumentSchema,
  PolicyDocumentError,
} from "../../src/policies/index.ts";
import { benefit, evaluate, VILLAGES, worker } from "./support.ts";

const library = loadPolicyLibrary();
const graduate = (homeRegionCode: string) => worker({ homeRegionCode, education: "college", graduationYear: 2026, birthDate: "2004-02-01" });

/** A county's document that raises the graduate subsidy: what a county official would upload. */
const zhangpuRaise = (yuan: unknown = 3000) => ({
  regionCode: "350623",
  name: "漳浦县",
  benefits: [
    {
      id: "job_seeking_subsidy_graduate",
      amount: { yuan, text: "每人{yuan}元，一次性", short: "{yuan}元" },
      sources: [{ file: "漳浦县人社局2026年第3号通知", quotes: ["一次性求职创业补贴提高到每人3000元。"] }],
    },
  ],
});

function refusal(documents: unknown[]): PolicyDocumentError {
  try {
    loadPolicyLibrary(documents);
  } catch (error) {
    if (error instanceof PolicyDocumentError) return error;
    throw error;
  }
  throw new Error("the documents were accepted");
}

describe("precedence: Zhangzhou over Fujian over national", () => {
  it("applies the documents of the worker's lineage, broadest first", () => {
    expect(policiesFor(library, VILLAGES.yunxiao).layers.map((layer) => layer.regionCode)).toEqual(["national", "35", "3506"]);
    expect(policiesFor(library, VILLAGES.fuzhou).layers.map((layer) => layer.regionCode)).toEqual(["national", "35"]);
    expect(policiesFor(library, VILLAGES.guangdong).layers.map((layer) => layer.regionCode)).toEqual(["national"]);
    expect(policiesFor(library, null).layers.map((layer) => layer.regionCode)).toEqual(["national"]);
  });

  it("a narrower document's amount replaces the broader one's, and its sources add to them", () => {
    const training = (region: string) => policiesFor(library, region).benefits.find((item) => item.id === "vocational_training")!;
    expect(training(VILLAGES.yunxiao).amount.text).toContain("每人350元");
    expect(training(VILLAGES.yunxiao).definedBy).toEqual(["national", "35", "3506"]);
    expect(training(VILLAGES.fuzhou).amount.text).not.toContain("350");
    expect(training(VILLAGES.fuzhou).amount.text).toBe(training(VILLAGES.guangdong).amount.text);
    const files = training(VILLAGES.yunxiao).sources.map((source) => `${source.regionCode}:${source.file}`);
    expect(files).toEqual(["national:004_974dd0f1b3a718a1.txt", "35:001_088f5ed1ac161683.txt", "3506:000_66e3b0943fdf97b4.txt"]);
  });

  it("a narrower document's rule replaces the broader one's", () => {
    const lifted = worker({ povertyStatus: "lifted", categories: ["minimumLivingAllowance"] });
    // Zhangzhou adds registered (not lifted) workers to the national groups; a lifted worker on 低保 qualifies in both.
    expect(benefit(lifted, "pension_contribution_paid")!.amountText).toContain("50%");
    expect(benefit({ ...lifted, homeRegionCode: VILLAGES.guangdong }, "pension_contribution_paid")!.amountText).toContain("部分或全部");
  });
});

describe("documents supplied at run time", () => {
  it("a county document changing an amount changes the evaluation, the SMS line and the notice", () => {
    const before = benefit(graduate(VILLAGES.zhangpu), "job_seeking_subsidy_graduate")!;
    expect(before.amountText).toContain("2000元");

    const withCounty = loadPolicyLibrary([zhangpuRaise()]);
    const after = benefit(graduate(VILLAGES.zhangpu), "job_seeking_subsidy_graduate", undefined, withCounty)!;
    expect(after.answer).toBe("yes");
    expect(after.amountText).toBe("每人3000元，一次性");
    expect(benefitLines([after])[0]).toContain("3000元");
    expect(entitlementNotice(after)).toContain("3000元");
    expect(after.sources.at(-1)).toMatchObject({ regionCode: "350623", file: "漳浦县人社局2026年第3号通知" });
    // The neighbouring county keeps the city's amount.
    expect(benefit(graduate(VILLAGES.yunxiao), "job_seeking_subsidy_graduate", undefined, withCounty)!.amountText).toContain("2000元");
  });

  it("a county document may disable a benefit", () => {
    const withCounty = loadPolicyLibrary([
      { regionCode: "350623", name: "漳浦县", benefits: [{ id: "transport_subsidy", disabled: true, sources: [{ file: "漳浦县通知", quotes: ["交通补贴并入务工奖补。"] }] }] },
    ]);
    const policies = policiesFor(withCounty, VILLAGES.zhangpu);
    expect(policies.benefits.map((item) => item.id)).not.toContain("transport_subsidy");
    expect(policies.disabled).toEqual([{ id: "transport_subsidy", by: "350623" }]);
    expect(evaluate(worker({ homeRegionCode: VILLAGES.zhangpu, employmentStatus: "employedOutOfProvince" }), undefined, withCounty).map((item) => item.id)).not.toContain(
      "transport_subsidy",
    );
    expect(policiesFor(withCounty, VILLAGES.yunxiao).benefits.map((item) => item.id)).toContain("transport_subsidy");
  });

  it("a stored document for a region replaces the built-in one of that region", () => {
    const replacement = { regionCode: "3506", name: "漳州市", benefits: [] };
    const ids = policiesFor(loadPolicyLibrary([replacement]), VILLAGES.yunxiao).benefits.map((item) => item.id);
    expect(ids).not.toContain("internship_allowance");
    expect(ids).toContain("job_seeking_subsidy_graduate"); // Fujian's still applies
  });

  it("the exported schema accepts every built-in document (the API validates uploads with it)", () => {
    for (const { data } of BUILT_IN_DOCUMENTS) expect(policyDocumentSchema.safeParse(data).success).toBe(true);
  });
});

describe("malformed documents are refused with the document and the field named", () => {
  it("a wrong type", () => {
    const error = refusal([zhangpuRaise("两千")]);
    expect(error.message).toContain("extra document 1 (region 350623)");
    expect(error.message).toContain("benefits[0] (job_seeking_subsidy_graduate).amount.yuan");
    expect(error.message).toContain("expected number");
  });

  it("an unknown fact inside a rule", () => {
    const document = zhangpuRaise();
    Object.assign(document.benefits[0]!, { eligibility: { all: [{ fact: "agee", min: 60 }] } });
    const error = refusal([document]);
    expect(error.problems).toEqual([expect.stringContaining("benefits[0] (job_seeking_subsidy_graduate).eligibility.all[0].fact: unknown fact \"agee\"")]);
  });

  it("a wrong value deep in a rule, and a condition that is none of the kinds", () => {
    const document = zhangpuRaise();
    Object.assign(document.benefits[0]!, { eligibility: { any: [{ fact: "povertyStatus", in: ["poor"] }, { allOf: [] }] } });
    const { problems } = refusal([document]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^benefits\[0\] \(job_seeking_subsidy_graduate\)\.eligibility\.any\[0\]\.in\[0\]: /);
    expect(problems[1]).toContain("eligibility.any[1]: a condition is");
    expect(problems[1]).toContain("allOf");
  });

  it("a change to a benefit no broader document defines", () => {
    const document = zhangpuRaise();
    document.benefits[0]!.id = "job_seeking_subsidy_graduates";
    const error = refusal([document]);
    expect(error.message).toContain("benefits[0] (job_seeking_subsidy_graduates): no broader document (national, 35, 3506) defines this benefit");
    expect(error.message).toContain("name, shortName, summary, eligibility, howToApply, documents");
  });

  it("an amount number the texts would not show, and a placeholder without a number", () => {
    const document = zhangpuRaise();
    document.benefits[0]!.amount = { yuan: 3000, text: "每人三千元", short: "三千元" };
    expect(refusal([document]).message).toContain("amount.text: yuan is given");
    document.benefits[0]!.amount = { text: "每人{yuan}元" } as never;
    expect(refusal([document]).message).toContain("amount.yuan: {yuan} is used but yuan is not given");
  });

  it("a summary that would not fit an SMS line once the amount is filled in", () => {
    const document = zhangpuRaise();
    Object.assign(document.benefits[0]!, { summary: "应届毕业生在毕业当年就可以一次性领取{amount}" });
    expect(refusal([document]).message).toMatch(/summary: ".*3000元" is \d+ characters/);
  });

  it("a missing region code, an unknown key, two documents for one region, a disabling of nothing", () => {
    const { regionCode: _regionCode, ...noRegion } = zhangpuRaise();
    expect(refusal([noRegion]).message).toContain("extra document 1: regionCode:");
    expect(refusal([{ ...zhangpuRaise(), benefit: [] }]).message).toContain('Unrecognized key: "benefit"');
    expect(refusal([zhangpuRaise(), zhangpuRaise()]).message).toContain("extra document 2 (region 350623): regionCode: a second document for 350623");
    const disabling = { regionCode: "350623", name: "漳浦县", benefits: [{ id: "transport_subsidies", disabled: true, sources: [{ file: "x", quotes: ["停止发放交通补贴"] }] }] };
    expect(refusal([disabling]).message).toContain("disables a benefit no broader document grants");
  });

  it("names a built-in file the same way", () => {
    const jiangxi = structuredClone(BUILT_IN_DOCUMENTS.find((entry) => entry.file === "36.json")!.data) as { benefits: { amount?: unknown }[] };
    jiangxi.benefits[0]!.amount = { text: "" };
    expect(() => parsePolicyDocument(jiangxi, "src/policies/data/36.json")).toThrow(
      /^policy document src\/policies\/data\/36\.json: benefits\[0\] \(job_seeking_subsidy_labour_export\)\.amount\.text: /,
    );
  });
});

describe("the module stays pure", () => {
  const folder = resolve(import.meta.dirname, "../../src/policies");

  it("imports nothing but zod, its own files and what one SMS holds: no database, no network, no file reading", () => {
    const files = readdirSync(folder).filter((name) => name.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(3);
    const imports = files.flatMap((name) =>
      [...readFileSync(join(folder, name), "utf8").matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map(
        (match) => `${name} → ${match[1] ?? match[2]}`,
      ),
    );
    expect(imports.filter((line) => !/→ (zod|\.\/[\w-]+\.ts|\.\/data\/[\w]+\.json|\.\.\/shared\/sms-text\.ts)$/.test(line))).toEqual([]);
  });

  it("ships one document per built-in region, named by its region code", () => {
    const files = readdirSync(join(folder, "data")).sort();
    expect(files).toEqual(BUILT_IN_DOCUMENTS.map((entry) => entry.file).sort());
  });
});
