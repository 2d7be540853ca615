// Subsidy eligibility as data: policy documents per region (national, province, city, county),
// a rule evaluator over the worker's profile, and plain words for SMS. Pure: no database, no
// network; the only reading is the built-in documents, imported with the module.
export {
  loadPolicyLibrary,
  policiesFor,
  amountText,
  summaryText,
  BUILT_IN_DOCUMENTS,
  type Benefit,
  type BenefitSource,
  type LoadedDocument,
  type PolicyLibrary,
  type RegionPolicies,
} from "./library.ts";
export {
  evaluateEligibility,
  newEntitlements,
  type Answer,
  type BenefitEvaluation,
  type EvaluationOptions,
  type NewEntitlementOptions,
} from "./evaluate.ts";
export { benefitsView, NO_BENEFITS, TOLD_FACTS, type BenefitsView, type NamedBenefit, type ToldFact, type ToldFacts, type ViewOptions } from "./view.ts";
export { benefitLine, benefitLineGroups, benefitLines, entitlementNotice, firstThatFits, fitSms, LINE_BUDGET, type BenefitLines, type BenefitLinesOptions } from "./render.ts";
export {
  policyDocumentSchema,
  benefitEntrySchema,
  conditionSchema,
  parsePolicyDocument,
  PolicyDocumentError,
  NATIONAL,
  TEXT_LIMITS,
  type PolicyDocument,
  type BenefitEntry,
  type Condition,
  type FactCondition,
  type Amount,
  type Source,
} from "./schema.ts";
export {
  ageOn,
  workplaceOf,
  CATEGORIES,
  EDUCATION_WORDS,
  EDUCATIONS,
  EMPLOYMENT_STATUSES,
  FACTS,
  POVERTY_STATUSES,
  WORKPLACES,
  type Category,
  type DateLike,
  type Education,
  type EmploymentStatus,
  type Fact,
  type PovertyStatus,
  type Sex,
  type WorkerProfile,
  type Workplace,
} from "./profile.ts";
