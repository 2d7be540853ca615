// Plain words for SMS: every line fits its budget (35 characters, two to a message), every notice
// one message (70) with the amount and the next step, and the words come from the documents.
import { describe, expect, it } from "vitest";
import {
  benefitLine,
  benefitLines,
  CATEGORIES,
  entitlementNotice,
  evaluateEligibility,
  LINE_BUDGET,
  loadPolicyLibrary,
  policiesFor,
  type BenefitEvaluation,
  type WorkerProfile,
} from "../../src/policies/index.ts";
import { amountText } from "../../src/policies/library.ts";
import { SMS_TEXT_CHARS } from "../../src/shared/sms-text.ts";
import { benefit, library, TODAY, VILLAGES, worker } from "./support.ts";

/** Profiles that between them make every benefit of every region yes, no and needsInfo. */
function variedProfiles(): WorkerProfile[] {
  const profiles: WorkerProfile[] = [];
  const everything: Partial<WorkerProfile> = {
    wantsTraining: true,
    trainingEnrolled: true,
    trainingCompleted: 2,
    startingBusiness: true,
    organisedLabourExport: true,
    householdTechnicalSchoolStudent: true,
    pensionEnrolled: false,
    education: "college",
    graduationYear: 2026,
    categories: [...CATEGORIES],
  };
  const unknowns: Partial<WorkerProfile> = Object.fromEntries(Object.keys(worker()).map((key) => [key, null]));
  for (const homeRegionCode of Object.values(VILLAGES)) {
    for (const birthDate of ["2004-02-01", "1971-01-01", "1960-01-01"]) {
      for (const employmentStatus of ["seeking", "employedOutOfProvince", "selfEmployed"] as const) {
        profiles.push(worker({ homeRegionCode, birthDate, employmentStatus }));
        profiles.push(worker({ ...everything, homeRegionCode, birthDate, employmentStatus, sex: "female" }));
        profiles.push(worker({ ...unknowns, homeRegionCode, birthDate, employmentStatus }));
      }
    }
  }
  return profiles;
}

function allEvaluations(lib = library): BenefitEvaluation[] {
  return variedProfiles().flatMap((profile) => evaluateEligibility(policiesFor(lib, profile.homeRegionCode), profile, { today: TODAY }));
}

describe("SMS lines", () => {
  const evaluations = allEvaluations();

  it("covers every benefit of every region as yes and as needsInfo", () => {
    const ids = new Set(evaluations.map((evaluation) => evaluation.id));
    for (const answer of ["yes", "needsInfo", "no"] as const) {
      expect(new Set(evaluations.filter((evaluation) => evaluation.answer === answer).map((evaluation) => evaluation.id)), answer).toEqual(ids);
    }
  });

  it("fit 35 characters each, name the benefit and show the data's amount", () => {
    const tooLong = evaluations.map((evaluation) => benefitLine(evaluation)).filter((line): line is string => line !== null && line.length > LINE_BUDGET);
    expect(tooLong).toEqual([]);
    for (const evaluation of evaluations.filter((item) => item.answer === "yes")) {
      const line = benefitLine(evaluation)!;
      expect(line.startsWith(`${evaluation.shortName}：`)).toBe(true);
      expect(line, evaluation.id).toContain(evaluation.benefit.howToApply.short);
      if (evaluation.benefit.amount.yuan !== undefined) expect(line).toContain(String(evaluation.benefit.amount.yuan));
    }
  });

  it("fit a smaller budget too, dropping the next step first and marking a cut with …", () => {
    for (const evaluation of evaluations.filter((item) => item.answer !== "no")) {
      const line = benefitLine(evaluation, 16)!;
      const full = benefitLine(evaluation, 1000)!;
      expect(line.length).toBeLessThanOrEqual(16);
      expect(full.startsWith(line) || line.endsWith("…") || line.endsWith("请补充信息"), line).toBe(true);
    }
  });

  it("read as the example: short name, who and what, where to go", () => {
    const migrant = benefit(worker({ homeRegionCode: VILLAGES.chongqing, employmentStatus: "employedOutOfProvince" }), "transport_subsidy")!;
    expect(benefitLine(migrant)).toBe("交通补贴：跨区县务工可报车票，找协理员办");
    const unknownYear = benefit(worker({ education: "college", graduationYear: null }), "job_seeking_subsidy_graduate")!;
    expect(benefitLine(unknownYear)).toBe("求职补贴：需要知道您是哪年毕业");
  });

  it("list the yes benefits first, then the needsInfo ones, and leave out the no ones", () => {
    const profile = worker({ employmentStatus: "employedOutOfProvince", wantsTraining: true, startingBusiness: null });
    const evaluated = evaluateEligibility(policiesFor(library, profile.homeRegionCode), profile, { today: TODAY });
    const lines = benefitLines(evaluated);
    const yes = evaluated.filter((item) => item.answer === "yes");
    const needsInfo = evaluated.filter((item) => item.answer === "needsInfo");
    expect(yes.length).toBeGreaterThan(0);
    expect(needsInfo.length).toBeGreaterThan(0);
    expect(lines.slice(0, yes.length)).toEqual(yes.map((item) => benefitLine(item)));
    for (const { benefit: waiting } of needsInfo) expect(lines.slice(yes.length).filter((line) => line.includes(waiting.shortName))).toHaveLength(1);
    expect(benefitLines(evaluated, { yesOnly: true })).toHaveLength(yes.length);
  });

  it("give benefits waiting on the same question one line, where it fits", () => {
    const profile = worker({ startingBusiness: null, education: null, graduationYear: null });
    const evaluated = evaluateEligibility(policiesFor(library, profile.homeRegionCode), profile, { today: TODAY });
    const waiting = evaluated.filter((item) => item.answer === "needsInfo" && item.questions[0] === "您是否在创业或开店");
    expect(waiting.length).toBeGreaterThan(1);
    const lines = benefitLines(evaluated);
    const names = waiting.map((item) => item.benefit.shortName);
    expect(lines).toContain(`${names.join("、")}：需要知道您是否在创业或开店`);
    for (const name of names) expect(lines.filter((line) => line.includes(name))).toHaveLength(1);
    // where the shared line would not fit, each benefit keeps its own
    const narrow = benefitLines(evaluated, { budget: 20 });
    for (const name of names) expect(narrow.filter((line) => line.startsWith(`${name}：`))).toHaveLength(1);
  });
});

describe("new-entitlement notices", () => {
  it("fit one SMS and carry the amount and the next step", () => {
    for (const evaluation of allEvaluations().filter((item) => item.answer === "yes")) {
      const notice = entitlementNotice(evaluation);
      expect(notice.length, notice).toBeLessThanOrEqual(SMS_TEXT_CHARS);
      const { benefit: definition } = evaluation;
      expect([definition.howToApply.text, definition.howToApply.short].some((step) => notice.includes(step)), notice).toBe(true);
      expect(notice.includes(evaluation.amountText) || notice.includes(definition.amount.short ?? "\u0000"), notice).toBe(true);
    }
  });

  it("gives way to the short wording when the long one does not fit", () => {
    const evaluation = benefit(worker({ homeRegionCode: VILLAGES.chongqing, employmentStatus: "employedOutOfProvince" }), "transport_subsidy")!;
    const full = entitlementNotice(evaluation, 200);
    expect(full).toContain(evaluation.amountText);
    const tight = entitlementNotice(evaluation, 25);
    expect(tight).toBe("您可申请交通补贴：可报车票。找协理员办。");
  });

  it("shows a county's changed amount with no code change", () => {
    const raised = loadPolicyLibrary([
      {
        regionCode: "350622",
        name: "云霄县",
        benefits: [{ id: "transport_subsidy", amount: { yuan: 500, text: "每人一次性{yuan}元", short: "一次{yuan}元" }, sources: [{ file: "云霄县通知", quotes: ["交通补贴每人500元。"] }] }],
      },
    ]);
    const evaluation = benefit(worker({ employmentStatus: "employedOutOfProvince" }), "transport_subsidy", TODAY, raised)!;
    expect(amountText(evaluation.benefit)).toBe("每人一次性500元");
    expect(entitlementNotice(evaluation)).toContain("每人一次性500元");
    expect(benefitLine(evaluation)).toBe("交通补贴：外出务工一次500元，找协理员办");
  });
});
