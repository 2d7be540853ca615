// The policy documents the service knows, and the benefits that apply in a region: the national
// document, then the province's, the city's, the county's…, each overriding the broader ones
// benefit by benefit. Built-in documents ship as JSON beside this file; a region's document stored
// in the database (PolicyDocument) is passed in and replaces the built-in one for that region.
import national from "./data/national.json" with { type: "json" };
import fujian from "./data/35.json" with { type: "json" };
import zhangzhou from "./data/3506.json" with { type: "json" };
import jiangxi from "./data/36.json" with { type: "json" };
import chongqing from "./data/50.json" with { type: "json" };
import {
  amountShortText,
  fillAmount,
  fillSummary,
  NATIONAL,
  parsePolicyDocument,
  PolicyDocumentError,
  TEXT_LIMITS,
  type Amount,
  type BenefitEntry,
  type Condition,
  type PolicyDocument,
  type Source,
} from "./schema.ts";

/** The documents shipped with the code, by file name (imported, so the module also runs on Workers). */
export const BUILT_IN_DOCUMENTS: readonly { file: string; data: unknown }[] = [
  { file: "national.json", data: national },
  { file: "35.json", data: fujian },
  { file: "3506.json", data: zhangzhou },
  { file: "36.json", data: jiangxi },
  { file: "50.json", data: chongqing },
];

export interface LoadedDocument {
  document: PolicyDocument;
  /** Where it came from, for errors and for the coordinator console: "src/policies/data/35.json", "extra document 1". */
  origin: string;
}

export interface PolicyLibrary {
  /** By region code ("national", "35", "3506", …). */
  readonly documents: ReadonlyMap<string, LoadedDocument>;
}

export interface BenefitSource extends Source {
  /** The document that cites it. */
  regionCode: string;
}

/** A benefit as it applies in one region, every field filled from the documents of its lineage. */
export interface Benefit {
  id: string;
  name: string;
  shortName: string;
  summary: string;
  eligibility: Condition;
  amount: Amount;
  howToApply: { text: string; short: string };
  documents: string[];
  sources: BenefitSource[];
  notes: string[];
  /** The documents that shaped it, broadest first. */
  definedBy: string[];
}

/** The benefits that apply to workers of one region. */
export interface RegionPolicies {
  regionCode: string | null;
  /** The documents applied, broadest first. */
  layers: { regionCode: string; name: string }[];
  benefits: Benefit[];
  /** Benefits a broader document grants that a narrower one switched off. */
  disabled: { id: string; by: string }[];
}

const REQUIRED_FIELDS = ["name", "shortName", "summary", "eligibility", "amount", "howToApply", "documents"] as const;

/**
 * The built-in documents plus those supplied at run time (the database's PolicyDocument rows, as
 * stored). A run-time document replaces the built-in one of its region. Every document is checked
 * against the broader ones: a partial entry needs a broader document that defines the benefit.
 * Throws PolicyDocumentError naming the document and the field.
 */
export function loadPolicyLibrary(extraDocuments: readonly unknown[] = []): PolicyLibrary {
  const documents = new Map<string, LoadedDocument>();
  for (const { file, data } of BUILT_IN_DOCUMENTS) {
    const origin = `src/policies/data/${file}`;
    const document = parsePolicyDocument(data, origin);
    const expected = file.replace(/\.json$/, "");
    if (document.regionCode !== expected) throw new PolicyDocumentError(origin, [`regionCode: is ${document.regionCode}, the file name says ${expected}`]);
    documents.set(document.regionCode, { document, origin });
  }
  const suppliedRegions = new Set<string>();
  extraDocuments.forEach((data, index) => {
    const regionCode = (data as { regionCode?: unknown } | null)?.regionCode;
    const origin = `extra document ${index + 1}${typeof regionCode === "string" ? ` (region ${regionCode})` : ""}`;
    const document = parsePolicyDocument(data, origin);
    if (suppliedRegions.has(document.regionCode)) throw new PolicyDocumentError(origin, [`regionCode: a second document for ${document.regionCode}`]);
    suppliedRegions.add(document.regionCode);
    documents.set(document.regionCode, { document, origin });
  });
  const library: PolicyLibrary = { documents };
  for (const { document, origin } of documents.values()) {
    const problems = completenessProblems(library, document);
    if (problems.length) throw new PolicyDocumentError(origin, problems);
  }
  return library;
}

/** The documents that apply to a region code (any length, e.g. a 12-digit village), broadest first. */
function lineage(library: PolicyLibrary, regionCode: string | null | undefined): LoadedDocument[] {
  const codes = [NATIONAL, ...[2, 4, 6, 9].filter((length) => regionCode && regionCode.length >= length).map((length) => regionCode!.slice(0, length))];
  return codes.flatMap((code) => library.documents.get(code) ?? []);
}

type Draft = Partial<Benefit> & { id: string; sources: BenefitSource[]; notes: string[]; definedBy: string[] };

function mergeLayers(layers: readonly LoadedDocument[]): { drafts: Map<string, Draft>; disabled: { id: string; by: string }[] } {
  const drafts = new Map<string, Draft>();
  const disabled: { id: string; by: string }[] = [];
  for (const { document } of layers) {
    for (const entry of document.benefits) {
      if (entry.disabled) {
        if (drafts.delete(entry.id)) disabled.push({ id: entry.id, by: document.regionCode });
        continue;
      }
      drafts.set(entry.id, overlay(drafts.get(entry.id), entry, document.regionCode));
    }
  }
  return { drafts, disabled };
}

/** A narrower entry over the broader definition: the fields it gives replace, its sources and notes add. */
function overlay(broader: Draft | undefined, entry: BenefitEntry, regionCode: string): Draft {
  const { disabled: _disabled, sources, notes, ...fields } = entry;
  const given = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  return {
    ...broader,
    ...given,
    id: entry.id,
    sources: [...(broader?.sources ?? []), ...sources.map((source) => ({ ...source, regionCode }))],
    notes: [...(broader?.notes ?? []), ...(notes ? [notes] : [])],
    definedBy: [...(broader?.definedBy ?? []), regionCode],
  };
}

function missingFields(draft: Draft): string[] {
  return REQUIRED_FIELDS.filter((field) => draft[field] === undefined);
}

/** What is wrong with a document once laid over the broader ones: gaps, and texts too long for SMS. */
function completenessProblems(library: PolicyLibrary, document: PolicyDocument): string[] {
  const layers = lineage(library, document.regionCode === NATIONAL ? null : document.regionCode);
  const { drafts } = mergeLayers(layers);
  const broaderDrafts = mergeLayers(layers.slice(0, -1)).drafts;
  return document.benefits.flatMap((entry, index) => {
    const where = `benefits[${index}] (${entry.id})`;
    if (entry.disabled) {
      // A disabling that matches nothing is most likely a mistyped id.
      return broaderDrafts.has(entry.id) ? [] : [`${where}: disables a benefit no broader document grants`];
    }
    const draft = drafts.get(entry.id)!;
    const missing = missingFields(draft);
    if (missing.length) {
      const broader = layers.filter((layer) => layer.document !== document).map((layer) => layer.document.regionCode);
      return [`${where}: no broader document (${broader.join(", ") || "none"}) defines this benefit, so it needs ${missing.join(", ")}`];
    }
    const summary = fillSummary(draft.summary!, draft.amount!);
    return summary.length > TEXT_LIMITS.renderedSummary
      ? [`${where}.summary: "${summary}" is ${summary.length} characters with the amount filled in; at most ${TEXT_LIMITS.renderedSummary} fit an SMS line`]
      : [];
  });
}

/**
 * The benefits for a worker whose home is `regionCode` (a village, township, county… code; null
 * when unknown gives the national rules only). The home region decides: the home county pays
 * the subsidies of its migrants.
 */
export function policiesFor(library: PolicyLibrary, regionCode: string | null | undefined): RegionPolicies {
  const layers = lineage(library, regionCode);
  const { drafts, disabled } = mergeLayers(layers);
  const benefits = [...drafts.values()].map((draft) => {
    const missing = missingFields(draft);
    // loadPolicyLibrary checked every document's lineage, so this is a library built by hand.
    if (missing.length) throw new Error(`benefit ${draft.id} in region ${regionCode ?? NATIONAL} lacks ${missing.join(", ")}`);
    return draft as Benefit;
  });
  return {
    regionCode: regionCode ?? null,
    layers: layers.map(({ document }) => ({ regionCode: document.regionCode, name: document.name })),
    benefits,
    disabled,
  };
}

/** The amount as a worker reads it: "每人2000元，一次性". */
export const amountText = (benefit: Benefit) => fillAmount(benefit.amount.text, benefit.amount);
export const amountShort = (benefit: Benefit) => amountShortText(benefit.amount);
export const summaryText = (benefit: Benefit) => fillSummary(benefit.summary, benefit.amount);
