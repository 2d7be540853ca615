// The shape of a region's policy document, one JSON file per region: the benefits it grants, who
// qualifies (a small rule language over the worker's profile), the amounts, how to apply and the
// sentences of the policy text each comes from. The API validates an uploaded document with the
// same schema, so a county can change an amount without a code change.
import { z } from "zod";
import { CATEGORIES, EDUCATIONS, EMPLOYMENT_STATUSES, FACTS, POVERTY_STATUSES, WORKPLACES } from "./profile.ts";

/** Lengths that keep every rendered SMS line within 35 characters and every notice within 70. */
export const TEXT_LIMITS = {
  shortName: 6,
  /** The summary once {amount}/{yuan} are filled in. */
  renderedSummary: 16,
  amountShort: 12,
  applyShort: 10,
  amountText: 40,
  applyText: 40,
} as const;

// ------------------------------------------------------------------------------------------ rules

/** Plain-Chinese wording that replaces the generated one, for rules whose generated text reads badly. */
const explainSchema = z
  .strictObject({
    yes: z.string().min(1).optional(),
    no: z.string().min(1).optional(),
    /** What we need to know, without the leading 需要知道: "您是哪年毕业". */
    ask: z.string().min(1).optional(),
  })
  .optional();

const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1);
const wholeYears = z.number().int().min(0).max(120);

const booleanFact = <F extends string>(fact: F) => z.strictObject({ fact: z.literal(fact), equals: z.boolean(), explain: explainSchema });

const factConditionSchema = z.discriminatedUnion("fact", [
  z.strictObject({ fact: z.literal("povertyStatus"), in: nonEmpty(z.enum(POVERTY_STATUSES)), explain: explainSchema }),
  z.strictObject({ fact: z.literal("categories"), includesAny: nonEmpty(z.enum(CATEGORIES)), explain: explainSchema }),
  z
    .strictObject({
      fact: z.literal("age"),
      /** Inclusive whole years (周岁): min 60 is "年满60周岁", max 60 is "60周岁及以下". */
      min: wholeYears.optional(),
      max: wholeYears.optional(),
      /** A different upper limit for one sex, where the text gives one (women's training age). */
      maxBySex: z.strictObject({ female: wholeYears.optional(), male: wholeYears.optional() }).optional(),
      explain: explainSchema,
    })
    .refine((age) => age.min !== undefined || age.max !== undefined || age.maxBySex !== undefined, {
      message: "an age condition needs min, max or maxBySex",
    }),
  z.strictObject({ fact: z.literal("sex"), in: nonEmpty(z.enum(["female", "male"])), explain: explainSchema }),
  z.strictObject({
    fact: z.literal("homeRegion"),
    /** Region codes (2, 4, 6, 9 or 12 digits): the home is one of them or inside one. */
    under: nonEmpty(z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, "a region code has 2, 4, 6, 9 or 12 digits")),
    explain: explainSchema,
  }),
  z.strictObject({ fact: z.literal("employmentStatus"), in: nonEmpty(z.enum(EMPLOYMENT_STATUSES)), explain: explainSchema }),
  z.strictObject({ fact: z.literal("workplace"), in: nonEmpty(z.enum(WORKPLACES)), explain: explainSchema }),
  z
    .strictObject({
      fact: z.literal("graduationYear"),
      /** Years from the graduation year to this year: {min 0, max 0} is "毕业当年", {min 0} "已毕业". */
      yearsSince: z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() }),
      explain: explainSchema,
    })
    .refine((condition) => condition.yearsSince.min !== undefined || condition.yearsSince.max !== undefined, {
      message: "yearsSince needs min or max",
      path: ["yearsSince"],
    }),
  z.strictObject({ fact: z.literal("education"), in: nonEmpty(z.enum(EDUCATIONS)), explain: explainSchema }),
  z.strictObject({ fact: z.literal("trainingCompleted"), min: z.number().int().min(1), explain: explainSchema }),
  booleanFact("pensionEnrolled"),
  booleanFact("wantsTraining"),
  booleanFact("trainingEnrolled"),
  booleanFact("startingBusiness"),
  booleanFact("organisedLabourExport"),
  booleanFact("householdTechnicalSchoolStudent"),
]);

export type FactCondition = z.infer<typeof factConditionSchema>;
export type Explain = NonNullable<z.infer<typeof explainSchema>>;
export type Condition = FactCondition | { all: Condition[]; explain?: Explain } | { any: Condition[]; explain?: Explain };

/**
 * A condition is a fact test, or `all` / `any` of conditions. The options are tried in this order;
 * `describeIssues` relies on it to report the one the author meant.
 */
export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: nonEmpty(conditionSchema), explain: explainSchema }),
    z.strictObject({ any: nonEmpty(conditionSchema), explain: explainSchema }),
    factConditionSchema,
  ]),
);
const CONDITION_KEYS = ["all", "any", "fact"] as const;

// -------------------------------------------------------------------------------------- benefits

const PLACEHOLDER_YUAN = "{yuan}";
const PLACEHOLDER_AMOUNT = "{amount}";

const amountSchema = z
  .strictObject({
    /**
     * The money the worker gets, when the text gives a number; shown through {yuan} in both texts so
     * a changed number reaches the notice and the SMS line. (Money paid to others, such as a training
     * provider's fee, stays in the text.)
     */
    yuan: z.number().positive().optional(),
    text: z.string().min(1).max(TEXT_LIMITS.amountText),
    /** For SMS lines; defaults to text. */
    short: z.string().min(1).max(TEXT_LIMITS.amountShort).optional(),
  })
  .superRefine((amount, ctx) => {
    if (amount.yuan === undefined && [amount.text, amount.short ?? ""].some((text) => text.includes(PLACEHOLDER_YUAN))) {
      ctx.addIssue({ code: "custom", message: `${PLACEHOLDER_YUAN} is used but yuan is not given`, path: ["yuan"] });
    }
    if (amount.yuan !== undefined) {
      for (const field of ["text", "short"] as const) {
        const text = amount[field];
        if (text !== undefined && !text.includes(PLACEHOLDER_YUAN)) {
          ctx.addIssue({
            code: "custom",
            message: `yuan is given, so ${field} must show it with ${PLACEHOLDER_YUAN} (else a changed amount would not reach every text)`,
            path: [field],
          });
        }
      }
    }
  });

const sourceSchema = z.strictObject({
  /** The policy text: a file of the policy sources (e.g. 000_66e3b0943fdf97b4.txt), or a county document's title. */
  file: z.string().min(1),
  /** Sentences copied exactly from it. */
  quotes: nonEmpty(z.string().min(4)),
});

/**
 * One benefit in a document. In the broadest document that has it every field is needed; a narrower
 * document may give only what it changes (an amount, a rule, its own sources) or disable it.
 */
export const benefitEntrySchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "ids are lower_snake_case, e.g. transport_subsidy"),
  /** This region does not grant it (a narrower document may grant it again with a full definition). */
  disabled: z.literal(true).optional(),
  name: z.string().min(2).max(30).optional(),
  shortName: z.string().min(2).max(TEXT_LIMITS.shortName).optional(),
  /** Who and what in a few words for SMS, showing the amount: "外出务工{amount}". */
  summary: z
    .string()
    .min(1)
    .max(30)
    .refine((summary) => summary.includes(PLACEHOLDER_AMOUNT) || summary.includes(PLACEHOLDER_YUAN), {
      message: `a summary shows the amount with ${PLACEHOLDER_AMOUNT} or ${PLACEHOLDER_YUAN}`,
    })
    .optional(),
  eligibility: conditionSchema.optional(),
  amount: amountSchema.optional(),
  howToApply: z
    .strictObject({ text: z.string().min(2).max(TEXT_LIMITS.applyText), short: z.string().min(2).max(TEXT_LIMITS.applyShort) })
    .optional(),
  documents: z.array(z.string().min(1)).optional(),
  /** Where this entry comes from: every entry, a change or a disabling too, names its text. */
  sources: nonEmpty(sourceSchema),
  /** What the text leaves open and how the rule reads it. */
  notes: z.string().optional(),
});

export const NATIONAL = "national";

export const policyDocumentSchema = z
  .strictObject({
    /** "national", or the region's code: 2 digits a province, 4 a city, 6 a county, 9 a township. */
    regionCode: z.string().regex(/^(national|\d{2}|\d{4}|\d{6}|\d{9})$/, 'regionCode is "national" or a 2, 4, 6 or 9-digit region code'),
    name: z.string().min(1),
    description: z.string().optional(),
    benefits: z.array(benefitEntrySchema),
  })
  .superRefine((document, ctx) => {
    const seen = new Set<string>();
    document.benefits.forEach((benefit, index) => {
      if (seen.has(benefit.id)) ctx.addIssue({ code: "custom", message: `benefit ${benefit.id} appears twice`, path: ["benefits", index, "id"] });
      seen.add(benefit.id);
    });
  });

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type BenefitEntry = z.infer<typeof benefitEntrySchema>;
export type Amount = z.infer<typeof amountSchema>;
export type Source = z.infer<typeof sourceSchema>;

export const fillAmount = (text: string, amount: Amount) => text.replaceAll(PLACEHOLDER_YUAN, amount.yuan === undefined ? "" : String(amount.yuan));
export const amountShortText = (amount: Amount) => fillAmount(amount.short ?? amount.text, amount);
export const fillSummary = (summary: string, amount: Amount) => fillAmount(summary.replaceAll(PLACEHOLDER_AMOUNT, amountShortText(amount)), amount);

// --------------------------------------------------------------------------------------- errors

/** A document that cannot be used, with every problem as "where: what". */
export class PolicyDocumentError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`policy document ${origin}: ${problems.join("; ")}`);
    this.name = "PolicyDocumentError";
  }
}

type Issue = z.core.$ZodIssue;

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/** benefits[2] (transport_subsidy).eligibility.all[0].fact */
function formatPath(path: readonly PropertyKey[], input: unknown): string {
  let text = "";
  path.forEach((key, index) => {
    if (typeof key === "number") text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
    if (index === 1 && path[0] === "benefits") {
      const id = valueAt(input, [...path.slice(0, 2), "id"]);
      if (typeof id === "string") text += ` (${id})`;
    }
  });
  return text || "(document)";
}

/**
 * Zod reports a failed union with the errors of every option; an author wants the one they meant.
 * Conditions are the only unions here, so the key the condition has (all, any, fact) picks it.
 */
function describeIssues(issues: readonly Issue[], input: unknown, base: readonly PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
      const given = valueAt(input, path);
      return [`${formatPath(path, input)}: unknown fact ${JSON.stringify(given)}; the facts are ${FACTS.join(", ")}`];
    }
    if (issue.code === "invalid_union") {
      const value = valueAt(input, path);
      const keys = value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
      const option = CONDITION_KEYS.findIndex((key) => keys.includes(key));
      const chosen = option >= 0 ? issue.errors[option] : undefined;
      if (!chosen) {
        return [`${formatPath(path, input)}: a condition is {"all": [...]}, {"any": [...]} or {"fact": ..., ...}${keys.length ? `; found keys ${keys.join(", ")}` : ""}`];
      }
      return describeIssues(chosen, input, path);
    }
    return [`${formatPath(path, input)}: ${issue.message}`];
  });
}

/** Parses one document; `origin` names it in errors (a file, or "uploaded document 350623"). */
/** Rules nest (all / any / not); deeper than this no policy text needs, and it keeps parsing off the stack's edge. */
const MAX_NESTING = 24;

function nesting(value: unknown, depth = 0): number {
  if (depth > MAX_NESTING || value === null || typeof value !== "object") return depth;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, nesting(child, depth + 1));
  return deepest;
}

export function parsePolicyDocument(input: unknown, origin: string): PolicyDocument {
  if (nesting(input) > MAX_NESTING) throw new PolicyDocumentError(origin, [`the document nests deeper than ${MAX_NESTING} levels`]);
  const result = policyDocumentSchema.safeParse(input);
  if (!result.success) throw new PolicyDocumentError(origin, describeIssues(result.error.issues, input));
  return result.data;
}
