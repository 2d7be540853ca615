// Workers with different profiles get the benefits their region's texts give them, and not the others.
import { describe, expect, it } from "vitest";
import { newEntitlements, policiesFor } from "../../src/policies/index.ts";
import { answerOf, benefit, library, TODAY, VILLAGES, worker } from "./support.ts";

const graduate = (overrides = {}) =>
  worker({ birthDate: "2004-02-01", education: "college", graduationYear: 2026, employmentStatus: "seeking", ...overrides });

describe("one-off job-seeking subsidy for poor-family graduates", () => {
  it("gives a Zhangzhou registered-poor graduate in the graduation year 2000 yuan, from Zhangzhou's text", () => {
    const result = benefit(graduate(), "job_seeking_subsidy_graduate")!;
    expect(result.answer).toBe("yes");
    expect(result.amountText).toContain("2000元");
    expect(result.reason).toContain("今年毕业");
    expect(result.nextStep).toContain("申请");
    expect(result.sources.map((source) => source.file)).toContain("000_66e3b0943fdf97b4.txt");
  });

  it("refuses a graduate whose family is not poor, and says why", () => {
    const result = benefit(graduate({ povertyStatus: "none" }), "job_seeking_subsidy_graduate")!;
    expect(result.answer).toBe("no");
    expect(result.reason).toContain("建档立卡");
    expect(result.nextStep).toBeNull();
  });

  it("asks for the graduation year when it is unknown", () => {
    const result = benefit(graduate({ graduationYear: null }), "job_seeking_subsidy_graduate")!;
    expect(result.answer).toBe("needsInfo");
    expect(result.reason).toBe("需要知道您是哪年毕业");
    expect(result.missing).toEqual(["graduationYear"]);
  });

  it("refuses a graduate of an earlier year, and one of an ordinary senior high school", () => {
    expect(benefit(graduate({ graduationYear: 2025 }), "job_seeking_subsidy_graduate")!.reason).toContain("2025");
    expect(answerOf(graduate({ graduationYear: 2025 }), "job_seeking_subsidy_graduate")).toBe("no");
    expect(answerOf(graduate({ education: "seniorHigh" }), "job_seeking_subsidy_graduate")).toBe("no");
    expect(answerOf(graduate({ education: "technicianPrep" }), "job_seeking_subsidy_graduate")).toBe("yes");
  });

  it("asks only for facts that could change the answer", () => {
    // A definite failure (the school kind) decides, however much else is unknown.
    expect(answerOf(graduate({ education: "seniorHigh", graduationYear: null, povertyStatus: "unknown" }), "job_seeking_subsidy_graduate")).toBe("no");
    const both = benefit(graduate({ graduationYear: null, povertyStatus: "unknown" }), "job_seeking_subsidy_graduate")!;
    expect(both.answer).toBe("needsInfo");
    expect(both.missing.sort()).toEqual(["graduationYear", "povertyStatus"]);
  });

  it("is this year's: the same graduate is no longer eligible the next year", () => {
    expect(answerOf(graduate(), "job_seeking_subsidy_graduate", "2027-01-02")).toBe("no");
  });
});

describe("transport subsidy for migration work", () => {
  it("goes to a worker hired out of province, not to one working in the home county", () => {
    expect(answerOf(worker({ employmentStatus: "employedOutOfProvince" }), "transport_subsidy")).toBe("yes");
    expect(answerOf(worker({ employmentStatus: "employedLocal" }), "transport_subsidy")).toBe("no");
    expect(benefit(worker({ employmentStatus: "employedLocal" }), "transport_subsidy")!.reason).toContain("本县");
    expect(answerOf(worker({ employmentStatus: "seeking" }), "transport_subsidy")).toBe("no");
  });

  it("reads the job's region code over the status when both are known", () => {
    const at = (employedRegionCode: string) => answerOf(worker({ employmentStatus: "employedInProvince", employedRegionCode }), "transport_subsidy");
    expect(at("440300")).toBe("yes"); // Shenzhen: out of province
    expect(at("350206")).toBe("yes"); // Xiamen: another county in the province
    expect(at("350622100000")).toBe("no"); // the home county itself
  });

  it("asks where the worker works when the employment status is unknown, and refuses the non-poor", () => {
    expect(benefit(worker({ employmentStatus: null }), "transport_subsidy")!.answer).toBe("needsInfo");
    expect(answerOf(worker({ employmentStatus: "employedOutOfProvince", povertyStatus: "none" }), "transport_subsidy")).toBe("no");
  });
});

describe("pension", () => {
  const sixtyOne = (overrides = {}) => worker({ birthDate: "1965-01-20", pensionEnrolled: false, ...overrides });

  it("enrols a registered-poor worker of 61 who is not enrolled (Fujian), and pays no contributions for them", () => {
    expect(answerOf(sixtyOne(), "pension_enrolment_60")).toBe("yes");
    expect(benefit(sixtyOne(), "pension_enrolment_60")!.reason).toContain("61岁");
    expect(answerOf(sixtyOne(), "pension_enrolment")).toBe("no");
    expect(answerOf(sixtyOne({ categories: ["minimumLivingAllowance"] }), "pension_contribution_paid")).toBe("no");
  });

  it("does not enrol one already enrolled, asks when unknown, and waits for the 60th birthday", () => {
    expect(answerOf(sixtyOne({ pensionEnrolled: true }), "pension_enrolment_60")).toBe("no");
    expect(benefit(sixtyOne({ pensionEnrolled: null }), "pension_enrolment_60")!.reason).toBe("需要知道您有没有参加养老保险");
    expect(answerOf(sixtyOne({ birthDate: "1966-06-16" }), "pension_enrolment_60")).toBe("no");
    expect(answerOf(sixtyOne({ birthDate: "1966-06-15" }), "pension_enrolment_60")).toBe("yes");
  });

  it("pays contributions for a registered (not lifted) worker in Zhangzhou, at least 50%, but not in Fuzhou", () => {
    const young = worker({ pensionEnrolled: true });
    const zhangzhou = benefit(young, "pension_contribution_paid")!;
    expect(zhangzhou.answer).toBe("yes");
    expect(zhangzhou.amountText).toContain("50%");
    expect(answerOf({ ...young, homeRegionCode: VILLAGES.fuzhou }, "pension_contribution_paid")).toBe("no");
    expect(answerOf({ ...young, homeRegionCode: VILLAGES.fuzhou, categories: ["extremeHardship"] }, "pension_contribution_paid")).toBe("yes");
    expect(answerOf({ ...young, povertyStatus: "lifted" }, "pension_contribution_paid")).toBe("no");
  });
});

describe("training subsidy age limits", () => {
  const trained = (overrides = {}) => worker({ sex: "female", birthDate: "1971-01-01", trainingCompleted: 1, ...overrides }); // 55

  it("extends to 60 for registered-poor women in Zhangzhou, not elsewhere in Fujian", () => {
    expect(answerOf(trained(), "training_subsidy")).toBe("yes");
    const fuzhou = benefit(trained({ homeRegionCode: VILLAGES.fuzhou }), "training_subsidy")!;
    expect(fuzhou.answer).toBe("no");
    expect(fuzhou.reason).toContain("女性50周岁");
  });

  it("does not extend for women who are not registered poor, nor beyond 60", () => {
    expect(answerOf(trained({ povertyStatus: "none" }), "training_subsidy")).toBe("no");
    expect(answerOf(trained({ birthDate: "1965-01-01" }), "training_subsidy")).toBe("no");
    expect(answerOf(trained({ sex: "male" }), "training_subsidy")).toBe("yes");
  });

  it("asks for the poverty status or the sex only when it decides", () => {
    expect(benefit(trained({ povertyStatus: "unknown" }), "training_subsidy")!.missing).toEqual(["povertyStatus"]);
    const fuzhou = trained({ homeRegionCode: VILLAGES.fuzhou, sex: null });
    expect(benefit(fuzhou, "training_subsidy")!.missing).toEqual(["sex"]);
    expect(answerOf({ ...fuzhou, birthDate: "1986-01-01" }, "training_subsidy")).toBe("yes");
    expect(answerOf({ ...fuzhou, birthDate: "1964-01-01" }, "training_subsidy")).toBe("no");
  });

  it("needs a finished training with a certificate", () => {
    expect(answerOf(trained({ trainingCompleted: 0 }), "training_subsidy")).toBe("no");
    expect(answerOf(trained({ trainingCompleted: true }), "training_subsidy")).toBe("yes");
    expect(benefit(trained({ trainingCompleted: null }), "training_subsidy")!.answer).toBe("needsInfo");
  });
});

describe("Jiangxi and Chongqing differ where their texts differ", () => {
  const jiangxi = (overrides = {}) => worker({ homeRegionCode: VILLAGES.nanchang, ...overrides });
  const chongqing = (overrides = {}) => worker({ homeRegionCode: VILLAGES.chongqing, ...overrides });

  it("Chongqing refunds the ticket for migration work; Jiangxi follows the national rule", () => {
    const migrant = { employmentStatus: "employedInProvince" as const };
    const cq = benefit(chongqing(migrant), "transport_subsidy")!;
    const jx = benefit(jiangxi(migrant), "transport_subsidy")!;
    expect([cq.answer, jx.answer]).toEqual(["yes", "yes"]);
    expect(cq.amountText).toContain("票价");
    expect(jx.amountText).not.toContain("票价");
    expect(cq.sources.map((source) => source.file)).toContain("003_0bf69d8d283b493c.txt");
  });

  it("Jiangxi adds a job-seeking subsidy for organised labour export; Chongqing has none", () => {
    const exported = (organisedLabourExport: boolean | null) => jiangxi({ employmentStatus: "employedOutOfProvince", organisedLabourExport });
    expect(answerOf(exported(true), "job_seeking_subsidy_labour_export")).toBe("yes");
    expect(answerOf(exported(false), "job_seeking_subsidy_labour_export")).toBe("no");
    expect(benefit(exported(null), "job_seeking_subsidy_labour_export")!.missing).toEqual(["organisedLabourExport"]);
    expect(answerOf(chongqing({ employmentStatus: "employedOutOfProvince", organisedLabourExport: true }), "job_seeking_subsidy_labour_export")).toBe("not offered");
  });

  it("Chongqing has the Yulu plan's 3000 yuan; Jiangxi does not", () => {
    const student = { householdTechnicalSchoolStudent: true };
    const yulu = benefit(chongqing(student), "yulu_plan")!;
    expect(yulu.answer).toBe("yes");
    expect(yulu.amountText).toContain("3000元");
    expect(answerOf(chongqing({ ...student, povertyStatus: "none" }), "yulu_plan")).toBe("no");
    expect(answerOf(jiangxi(student), "yulu_plan")).toBe("not offered");
  });

  it("Jiangxi pays a living allowance during training; Chongqing does not", () => {
    expect(answerOf(jiangxi({ wantsTraining: true }), "training_living_allowance")).toBe("yes");
    expect(answerOf(jiangxi({ wantsTraining: false, trainingEnrolled: false }), "training_living_allowance")).toBe("no");
    expect(answerOf(chongqing({ wantsTraining: true }), "training_living_allowance")).toBe("not offered");
  });

  it("public-welfare posts: Jiangxi places any poor job seeker, Chongqing those the market cannot place, including non-poor disabled", () => {
    expect(answerOf(jiangxi(), "public_welfare_post")).toBe("yes");
    expect(answerOf(chongqing(), "public_welfare_post")).toBe("no");
    const disabledNonPoor = { povertyStatus: "none" as const, categories: ["minimumLivingAllowance", "disability"] };
    expect(answerOf(chongqing(disabledNonPoor), "public_welfare_post")).toBe("yes");
    expect(answerOf(worker({ ...disabledNonPoor, homeRegionCode: VILLAGES.guangdong }), "public_welfare_post")).toBe("no");
  });

  it("Jiangxi lends to any self-employed farmer; Chongqing only to the poor", () => {
    const selfEmployed = { povertyStatus: "none" as const, employmentStatus: "selfEmployed" as const };
    expect(answerOf(jiangxi(selfEmployed), "startup_guarantee_loan")).toBe("yes");
    expect(answerOf(chongqing(selfEmployed), "startup_guarantee_loan")).toBe("no");
  });

  it("Chongqing names a job-seeking subsidy for vocational-school graduates without an amount; Jiangxi names none", () => {
    const vocational = { education: "secondaryVocational" as const, graduationYear: 2026 };
    const cq = benefit(chongqing(vocational), "job_seeking_subsidy_graduate")!;
    expect(cq.answer).toBe("yes");
    expect(cq.amountText).not.toMatch(/\d/);
    expect(answerOf(jiangxi(vocational), "job_seeking_subsidy_graduate")).toBe("not offered");
    expect(answerOf(worker(vocational), "job_seeking_subsidy_graduate")).toBe("no"); // Fujian names other schools
  });

  it("Fujian's pension enrolment at 60 is not in Jiangxi's or Chongqing's texts", () => {
    const old = { birthDate: "1960-01-01", pensionEnrolled: false };
    expect(answerOf(worker(old), "pension_enrolment_60")).toBe("yes");
    expect(answerOf(jiangxi(old), "pension_enrolment_60")).toBe("not offered");
    expect(answerOf(chongqing(old), "pension_enrolment_60")).toBe("not offered");
  });
});

describe("new entitlements", () => {
  const policies = policiesFor(library, VILLAGES.yunxiao);
  const ids = (list: { id: string }[]) => list.map((item) => item.id);

  it("a hire out of province brings the transport subsidy, and nothing that was already yes", () => {
    const before = worker({ wantsTraining: true });
    const after = { ...before, employmentStatus: "employedOutOfProvince" as const };
    expect(ids(newEntitlements(policies, before, after, { today: TODAY }))).toEqual(["transport_subsidy"]);
    expect(newEntitlements(policies, after, after, { today: TODAY })).toEqual([]);
  });

  it("a graduation year told this year brings the 2000-yuan subsidy", () => {
    const before = graduate({ graduationYear: null });
    expect(ids(newEntitlements(policies, before, graduate(), { today: TODAY }))).toContain("job_seeking_subsidy_graduate");
  });

  it("turning 60 is a change of day: the pension enrolment appears on the birthday", () => {
    const profile = worker({ birthDate: "1966-06-15", pensionEnrolled: false });
    expect(ids(newEntitlements(policies, profile, profile, { beforeToday: "2026-06-14", today: "2026-06-15" }))).toEqual(["pension_enrolment_60"]);
    expect(newEntitlements(policies, profile, profile, { beforeToday: "2026-06-15", today: "2026-06-16" })).toEqual([]);
  });

  it("reads a Date as a day in China: 16:30 UTC on the 14th is already the 15th", () => {
    const profile = worker({ birthDate: new Date("1966-06-15T00:00:00Z"), pensionEnrolled: false });
    expect(ids(newEntitlements(policies, profile, profile, { beforeToday: new Date("2026-06-14T15:30:00Z"), today: new Date("2026-06-14T16:30:00Z") }))).toEqual([
      "pension_enrolment_60",
    ]);
    // The engine's clock is an ISO time string: read in China time too.
    expect(ids(newEntitlements(policies, profile, profile, { beforeToday: "2026-06-14T15:30:00Z", today: "2026-06-14T16:30:00Z" }))).toEqual([
      "pension_enrolment_60",
    ]);
  });
});
