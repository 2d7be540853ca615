// The policies the service applies: the built-in region documents (src/policies/data) with the
// documents counties store through the API on top, so that a county changes an amount without a
// code change. The library is cached and reloaded when a stored document changes (any process:
// the cache checks the table's latest change, one cheap query).
import { noticeKeys } from "../shared/keys.ts";
import { chinaWallClock } from "../shared/china-time.ts";
import {
  benefitsView,
  entitlementNotice,
  NO_BENEFITS,
  evaluateEligibility,
  loadPolicyLibrary,
  newEntitlements,
  policiesFor,
  TOLD_FACTS,
  type BenefitEvaluation,
  type BenefitsView,
  type PolicyLibrary,
  type ToldFact,
  type ToldFacts,
  type ViewOptions,
  type WorkerProfile as PolicyProfile,
} from "../policies/index.ts";
import { amountText, parsePolicyDocument, PolicyDocumentError } from "../policies/index.ts";
import type { Db, Prisma, PrismaClient, Tx, Worker } from "../db/client.ts";
import { invalid } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import { prepared, type SqlRunner } from "../db/sql.ts";
import { actorId, ANY_OPERATOR, audit, inTransaction, OFFICIALS, requireRegion, verb, type VerbContext } from "./context.ts";
import { noticeWorkers, type WorkerNotice } from "./outreach.ts";
import { visibleWorker } from "./workers.ts";
import { recordTimeline } from "./timeline.ts";

export interface PolicyStore {
  /**
   * Pass the transaction in progress, if any: the embedded database has one connection. `stamp`:
   * the stored documents' stamp (POLICY_STAMP) where the caller read it already.
   */
  library(db?: Db, stamp?: string): Promise<PolicyLibrary>;
}

/** What the stored documents are now: every row's region and time, not only the latest time (an update stamped earlier than the latest, by another server's clock, still changes it). */
const POLICY_STAMP = `SELECT md5(coalesce(string_agg("regionCode" || '@' || "updatedAt"::text, ',' ORDER BY "regionCode"), '')) AS stamp FROM "PolicyDocument"`;

/**
 * The stored documents that still fit, broadest first (a county's sits on its city's): one that no
 * longer merges — a release changed what it builds on — is left out and logged, and everyone else's
 * policies go on working.
 */
export function usableLibrary(stored: readonly { regionCode: string; document: unknown }[], log?: Logger): PolicyLibrary {
  const accepted: unknown[] = [];
  for (const row of [...stored].sort((a, b) => a.regionCode.length - b.regionCode.length || a.regionCode.localeCompare(b.regionCode))) {
    try {
      loadPolicyLibrary([...accepted, row.document]);
      accepted.push(row.document);
    } catch (error) {
      log?.error({ regionCode: row.regionCode, problem: (error as Error).message }, "a stored policy document no longer fits and is left out");
    }
  }
  return loadPolicyLibrary(accepted);
}

export function createPolicyStore(prisma: PrismaClient, log?: Logger): PolicyStore {
  let cached: { stamp: string; library: PolicyLibrary } | null = null;
  return {
    async library(db = prisma, stamp?: string) {
      const current = stamp ?? (await db.$queryRawUnsafe<{ stamp: string | null }[]>(POLICY_STAMP))[0]?.stamp ?? "";
      if (cached?.stamp !== current) {
        const stored = await db.policyDocument.findMany({ orderBy: { regionCode: "asc" } });
        cached = { stamp: current, library: usableLibrary(stored, log) };
      }
      return cached.library;
    },
  };
}

/** What the policies read of a worker: the record, and the training they have done. */
export async function policyProfile(db: Db, worker: Worker): Promise<PolicyProfile> {
  const enrolments = await db.trainingEnrolment.findMany({ where: { workerId: worker.id }, select: { status: true } });
  return {
    birthDate: worker.birthDate,
    sex: worker.sex,
    povertyStatus: worker.povertyStatus,
    categories: worker.categories,
    homeRegionCode: worker.homeRegionCode,
    employmentStatus: worker.employmentStatus,
    employedRegionCode: worker.employedRegionCode,
    graduationYear: worker.graduationYear,
    education: (worker.education as PolicyProfile["education"]) ?? null,
    pensionEnrolled: worker.pensionEnrolled,
    startingBusiness: worker.startingBusiness,
    organisedLabourExport: worker.organisedLabourExport,
    householdTechnicalSchoolStudent: worker.householdTechnicalSchoolStudent,
    wantsTraining: worker.wantsTraining,
    trainingEnrolled: enrolments.some((enrolment) => enrolment.status === "enrolled"),
    trainingCompleted: enrolments.filter((enrolment) => enrolment.status === "completed").length,
  };
}

/** The worker's benefits evaluated by their home region's policies. */
export async function evaluateWorker(db: Db, store: PolicyStore, worker: Worker, today: Date): Promise<BenefitEvaluation[]> {
  const policies = policiesFor(await store.library(db), worker.homeRegionCode);
  return evaluateEligibility(policies, await policyProfile(db, worker), { today });
}

/**
 * What the policies read of a worker (as policyProfile) and the stored documents' stamp, in one
 * prepared statement: the chat's 补贴 is a registered worker's turn, which through Prisma took three
 * queries. $1 the worker.
 */
const BENEFIT_PROFILE = prepared(
  "chat_benefit_profile",
  `SELECT w."birthDate"::text AS "birthDate", w.sex::text AS sex, w."povertyStatus"::text AS "povertyStatus", w.categories, w."homeRegionCode",
     w."employmentStatus"::text AS "employmentStatus", w."employedRegionCode", w."graduationYear", w.education, w."pensionEnrolled", w."wantsTraining",
     w."startingBusiness", w."organisedLabourExport", w."householdTechnicalSchoolStudent", w."workRange"::text AS "workRange",
     EXISTS (SELECT 1 FROM "TrainingEnrolment" t WHERE t."workerId" = w.id AND t.status = 'enrolled') AS "trainingEnrolled",
     (SELECT count(*)::int FROM "TrainingEnrolment" t WHERE t."workerId" = w.id AND t.status = 'completed') AS "trainingCompleted",
     (${POLICY_STAMP}) AS "policyStamp"
   FROM "Worker" w WHERE w.id = $1`,
);

/**
 * The chat's 补贴 answer: a line per benefit the worker has, and per question others wait on, with
 * what the worker has just told (`told`, not recorded yet) taken as said; nothing for an unknown worker.
 */
export async function benefitsViewFor(sql: SqlRunner, prisma: Db, store: PolicyStore, workerId: string, today: Date, told: ToldFacts = {}, forget: readonly ToldFact[] = []): Promise<BenefitsView> {
  const [row] = await sql.query<PolicyProfile & { homeRegionCode: string | null; workRange: ViewOptions["workRange"]; policyStamp: string }>(BENEFIT_PROFILE, [workerId]);
  if (!row) return NO_BENEFITS;
  const { policyStamp, workRange, ...profile } = row;
  const policies = policiesFor(await store.library(prisma, policyStamp), profile.homeRegionCode);
  return benefitsView(policies, profile, { today, workRange, told, forget });
}

/** What the worker told the chat for the benefits' sake, on their record and their timeline. */
export async function recordToldFacts(tx: Tx, workerId: string, facts: ToldFacts, channel: string, now: Date): Promise<void> {
  const known = Object.fromEntries(TOLD_FACTS.filter((fact) => facts[fact] !== undefined && facts[fact] !== null).map((fact) => [fact, facts[fact]]));
  if (Object.keys(known).length === 0) return;
  await tx.worker.update({ where: { id: workerId }, data: known });
  await recordTimeline(tx, { identityId: null, workerId }, [{ kind: "benefit_facts_told", channel, data: known }], now);
}

/**
 * Sends a notice for each benefit a change newly gives the worker (hired out of province → the
 * transport subsidy; a poor-family graduate in their graduation year → the job-seeking subsidy;
 * turned 60 → pension enrolment). Once per benefit and worker. Returns the benefits noticed.
 */
export async function noticeNewEntitlements(
  tx: Tx,
  store: PolicyStore,
  change: { before: PolicyProfile; after: PolicyProfile; workerId: string; regionCode: string | null; today: Date; beforeToday?: Date },
): Promise<string[]> {
  const policies = policiesFor(await store.library(tx), change.regionCode);
  const gained = newEntitlements(policies, change.before, change.after, { today: change.today, ...(change.beforeToday ? { beforeToday: change.beforeToday } : {}) });
  const notices: WorkerNotice[] = gained.map((evaluation) => ({
    kind: "subsidy",
    key: noticeKeys.subsidy(evaluation.id, change.workerId),
    workerId: change.workerId,
    regionCode: change.regionCode,
    purpose: "notice",
    body: { text: entitlementNotice(evaluation), template: "subsidy", params: { benefit: evaluation.shortName.slice(0, 20), amount: evaluation.amountText.slice(0, 20) } },
    timeline: { kind: "notice", data: { about: "subsidy", benefit: evaluation.id } },
  }));
  const sent = await noticeWorkers(tx, notices, change.today);
  return gained.filter((evaluation) => sent.has(`subsidy:${evaluation.id}:${change.workerId}`)).map((evaluation) => evaluation.id);
}

const DAY_MS = 24 * 3600 * 1000;

/** Month-day of each day after `since` up to `today` (China time): the birthdays in the window. */
function birthdaysBetween(since: Date, today: Date): string[] {
  const days: string[] = [];
  for (let at = chinaWallClock(since).getTime() + DAY_MS; at <= chinaWallClock(today).getTime() && days.length < 366; at += DAY_MS) {
    days.push(new Date(at).toISOString().slice(5, 10));
  }
  return days;
}

/**
 * Entitlements that come with a date rather than a change: an age reached (60 → pension
 * enrolment) on a birthday, a graduation year that began on 1 January. Only the workers whose
 * birthday or new year fell between the last run and today are evaluated.
 */
export async function noticeDateEntitlements(
  ctx: VerbContext,
  since: Date,
  today: Date,
): Promise<number> {
  const birthdays = birthdaysBetween(since, today);
  const newYear = chinaWallClock(today).getUTCFullYear();
  const yearBegan = chinaWallClock(since).getUTCFullYear() < newYear;
  if (birthdays.length === 0 && !yearBegan) return 0;
  const candidates = await ctx.db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM "Worker" WHERE to_char("birthDate", 'MM-DD') = ANY($1::text[]) OR ($2 AND "graduationYear" = $3)`,
    birthdays,
    yearBegan,
    newYear,
  );
  let sent = 0;
  for (const { id } of candidates) {
    const worker = await ctx.db.worker.findUniqueOrThrow({ where: { id } });
    await inTransaction(ctx, async ({ db: tx }) => {
      const profile = await policyProfile(tx, worker);
      const noticed = await noticeNewEntitlements(tx, ctx.policies, {
        before: profile,
        after: profile,
        workerId: worker.id,
        regionCode: worker.homeRegionCode,
        today,
        beforeToday: since,
      });
      sent += noticed.length;
    });
  }
  return sent;
}


/** The benefits that apply in a region: national, province, city and county documents merged, broadest first. */
export const regionPolicies = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { regionCode: string }) => {
  requireRegion(ctx.actor, input.regionCode);
  const policies = policiesFor(await ctx.policies.library(ctx.db), input.regionCode);
  return {
    layers: policies.layers.map(({ regionCode, name }) => ({ regionCode, name })),
    benefits: policies.benefits.map((benefit) => ({ id: benefit.id, name: benefit.name, amount: amountText(benefit), howToApply: benefit.howToApply.text, sources: benefit.sources })),
  };
});

/**
 * A county (or city) stores its own policy document: it replaces the built-in one for that region
 * and evaluations use it from now on. Checked against everything it sits on (the built-in
 * documents and other regions' own) under one lock: two documents stored at once (a city's and its
 * county's) cannot each pass against the old state and break together.
 */
export const storePolicyDocument = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: { regionCode: string; document: Record<string, unknown> }) => {
  const code = input.regionCode;
  requireRegion(ctx.actor, code);
  await ctx.db.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('policy_documents'))`);
  const stored = await ctx.db.policyDocument.findMany({ where: { regionCode: { not: code } } });
  let parsed;
  try {
    parsed = parsePolicyDocument(input.document, `region ${code}`);
    if (parsed.regionCode !== code) throw new PolicyDocumentError(`region ${code}`, [`regionCode: is ${parsed.regionCode}, the path says ${code}`]);
    loadPolicyLibrary([...stored.map((row) => row.document), input.document]);
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw invalid(error.message, error.problems);
    throw error;
  }
  const document = input.document as Prisma.InputJsonValue;
  const by = actorId(ctx.actor);
  await ctx.db.policyDocument.upsert({
    where: { regionCode: code },
    // updatedAt stays the database's own: it stamps the policy cache, which a fixed clock would leave stale.
    create: { regionCode: code, document, updatedBy: by },
    update: { document, updatedBy: by },
  });
  await audit(ctx, "policy.stored", code, { benefits: parsed.benefits.map((benefit) => benefit.id) });
  return { regionCode: code, benefits: parsed.benefits.length };
});

/** What the worker may get by their home region's policies: yes / no / needs information, each with its reason. */
export const workerBenefits = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { workerId: string }) => {
  const worker = await visibleWorker(ctx, input.workerId);
  return evaluateWorker(ctx.db, ctx.policies, worker, ctx.clock());
});
