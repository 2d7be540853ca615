// Workers, regions and a day for the policy tests.
import { evaluateEligibility, loadPolicyLibrary, policiesFor, type BenefitEvaluation, type WorkerProfile } from "../../src/policies/index.ts";

export const TODAY = "2026-06-15";

/** Villages (12-digit codes) in the regions that have documents, and one region without its own. */
export const VILLAGES = {
  yunxiao: "350622103201", // 漳州市云霄县
  zhangpu: "350623100201", // 漳州市漳浦县
  fuzhou: "350121100201", // 福州市闽侯县: Fujian without Zhangzhou's document
  nanchang: "360121100201", // 江西省南昌县
  chongqing: "500101100201", // 重庆市万州区
  guangdong: "440111100201", // 广东省: national rules only
} as const;

/** A registered-poor man of 30 at home in Yunxiao, seeking work, with everything else known and unremarkable. */
export function worker(overrides: Partial<WorkerProfile> = {}): WorkerProfile {
  return {
    birthDate: "1996-03-01",
    sex: "male",
    povertyStatus: "registered",
    categories: [],
    homeRegionCode: VILLAGES.yunxiao,
    employmentStatus: "seeking",
    employedRegionCode: null,
    graduationYear: 2014,
    education: "juniorHigh",
    pensionEnrolled: true,
    wantsTraining: false,
    trainingEnrolled: false,
    trainingCompleted: 0,
    startingBusiness: false,
    organisedLabourExport: false,
    householdTechnicalSchoolStudent: false,
    ...overrides,
  };
}

export const library = loadPolicyLibrary();

export function evaluate(profile: WorkerProfile, today: string = TODAY, lib = library): BenefitEvaluation[] {
  return evaluateEligibility(policiesFor(lib, profile.homeRegionCode), profile, { today });
}

/** The evaluation of one benefit, or undefined when the worker's region does not grant it. */
export function benefit(profile: WorkerProfile, id: string, today: string = TODAY, lib = library): BenefitEvaluation | undefined {
  return evaluate(profile, today, lib).find((evaluation) => evaluation.id === id);
}

export function answerOf(profile: WorkerProfile, id: string, today: string = TODAY, lib = library) {
  return benefit(profile, id, today, lib)?.answer ?? "not offered";
}
