// A worker's record beyond the profile, for the coordinator who follows them: the household, what
// they applied for, what the service sent them, their courses — and the two changes a coordinator
// makes after a call or a visit: where the person works now, and a field the county had wrong. Each
// change lands on the timeline, signed, and in the audit log.
import type { EmploymentStatus, PovertyStatus, Prisma } from "../db/client.ts";
import { invalid } from "../shared/errors.ts";
import { employmentPlace } from "./applications.ts";
import { actorId, ANY_OPERATOR, audit, CARERS, requireRegion, verb, type VerbContext } from "./context.ts";
import { queueIndexing } from "./search-sync.ts";
import { offerTrainingSoon } from "./training/promise.ts";
import { recordTimeline } from "./timeline.ts";
import { movePlan } from "./plans.ts";
import { sealIdNumber, sealPhone, visibleWorker } from "./workers.ts";
import { PLACE_CODE } from "../shared/identifiers.ts";
import { chinaWallClock } from "../shared/china-time.ts";
import { EDUCATIONS } from "../policies/index.ts";

const SHOWN = 50;

/** Household, applications, notices sent and courses, newest first (the last 50 of each), and the roster's row. */
export const workerHistory = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { workerId: string }) => {
  const worker = await visibleWorker(ctx, input.workerId);
  const [household, applications, notices, enrolments, roster] = await Promise.all([
    worker.householdId
      ? ctx.db.household.findUnique({
          where: { id: worker.householdId },
          include: { workers: { where: { id: { not: worker.id } }, select: { id: true, name: true, idNumberMasked: true, birthDate: true, employmentStatus: true }, orderBy: { id: "asc" } } },
        })
      : null,
    ctx.db.application.findMany({
      where: { workerId: worker.id },
      orderBy: { createdAt: "desc" },
      take: SHOWN,
      include: { vacancy: { select: { id: true, title: true, regionCode: true, employer: { select: { name: true } } } } },
    }),
    ctx.db.notice.findMany({
      where: { workerId: worker.id },
      orderBy: { createdAt: "desc" },
      take: SHOWN,
      include: { vacancy: { select: { title: true } }, course: { select: { title: true } } },
    }),
    ctx.db.trainingEnrolment.findMany({ where: { workerId: worker.id }, orderBy: { enrolledAt: "desc" }, take: SHOWN, include: { course: { select: { title: true } } } }),
    // What the county's roster says of the person (its numbers masked, as the worker's are).
    ctx.db.rosterEntry.findUnique({
      where: { workerId: worker.id },
      select: { personNo: true, householdNo: true, householdType: true, monitoringType: true, riskCleared: true, relation: true, health: true, labourSkill: true, leftAt: true, updatedAt: true },
    }),
  ]);
  return { household, applications, notices, enrolments, roster };
});

export const EMPLOYMENT_STATUSES = ["seeking", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "notSeeking"] as const;
const EMPLOYED: readonly EmploymentStatus[] = ["employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed"];

export interface EmploymentChange {
  workerId: string;
  /** what the call found; an employed status is made exact by `workRegionCode` when given */
  status: EmploymentStatus;
  /** where the job is: in the home county, the province or beyond follows from it */
  workRegionCode?: string | undefined;
  note?: string | undefined;
}

/** Where the person works now, as a call or visit found it: on the record, the timeline (signed) and the audit log. */
export const changeEmployment = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: EmploymentChange) => {
  const worker = await visibleWorker(ctx, input.workerId);
  if (input.workRegionCode && !(await ctx.db.region.findUnique({ where: { code: input.workRegionCode }, select: { code: true } }))) {
    throw invalid("workRegionCode is not a known region");
  }
  const employedSomewhere = input.status !== "selfEmployed" && EMPLOYED.includes(input.status);
  const status: EmploymentStatus = employedSomewhere && input.workRegionCode ? employmentPlace(worker.homeRegionCode, input.workRegionCode) : input.status;
  const employed = EMPLOYED.includes(status);
  const now = ctx.clock();
  await ctx.db.worker.update({
    where: { id: worker.id },
    data: {
      employmentStatus: status,
      employedSince: employed ? (EMPLOYED.includes(worker.employmentStatus) ? worker.employedSince : now) : null,
      employedRegionCode: employed ? (input.workRegionCode ?? null) : null,
      ...(employed ? {} : { employerId: null, employedVacancyId: null }),
    },
  });
  const data: Prisma.InputJsonValue = { from: worker.employmentStatus, to: status, ...(input.workRegionCode ? { workRegionCode: input.workRegionCode } : {}) };
  await recordTimeline(ctx.db, { identityId: null, workerId: worker.id }, [{ kind: "employment_changed", text: input.note, data, actorId: actorId(ctx.actor) ?? undefined }], now);
  await audit(ctx, "worker.employment_changed", worker.id, data);
  await queueIndexing(ctx.db, "worker", worker.id);
  return { status };
});

/**
 * The fields a coordinator corrects when the county's record was wrong, or fills in after a call:
 * the facts the subsidies wait on (the chat's 补贴政策 asks them too).
 */
export const CORRECTABLE = ["name", "idNumber", "phone", "homeRegionCode", "povertyStatus", "wantsTraining", "pensionEnrolled", "startingBusiness", "education", "graduationYear"] as const;
export type CorrectableField = (typeof CORRECTABLE)[number];
const POVERTY: readonly PovertyStatus[] = ["registered", "lifted", "monitored", "none", "unknown"];

/** One field set right. The timeline and the audit say which field changed, never the ID or phone itself. */
export const correctWorker = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { workerId: string; field: CorrectableField; value: string }) => {
  const worker = await visibleWorker(ctx, input.workerId);
  const value = input.value.trim();
  let data: Prisma.WorkerUpdateInput;
  switch (input.field) {
    case "name":
      if (value.length < 1 || value.length > 40) throw invalid("name: 1 to 40 characters");
      data = { name: value };
      break;
    case "idNumber": {
      const sealed = sealIdNumber(ctx.pii, value);
      const holder = await ctx.db.worker.findUnique({ where: { idNumberHash: sealed.idNumberHash }, select: { id: true } });
      if (holder && holder.id !== worker.id) throw invalid("idNumber: another worker has this ID number");
      data = sealed;
      break;
    }
    case "phone":
      data = sealPhone(ctx.pii, value);
      break;
    case "homeRegionCode": {
      if (!PLACE_CODE.test(value) || !(await ctx.db.region.findUnique({ where: { code: value }, select: { code: true } }))) {
        throw invalid("homeRegionCode: a known county, township or village code");
      }
      // Moved within the operator's regions only: a coordinator cannot hand a person to a place they do not cover.
      requireRegion(ctx.actor, value);
      data = { homeRegionCode: value };
      break;
    }
    case "povertyStatus":
      if (!POVERTY.includes(value as PovertyStatus)) throw invalid(`povertyStatus: one of ${POVERTY.join(", ")}`);
      data = { povertyStatus: value as PovertyStatus };
      break;
    case "wantsTraining":
      if (value !== "yes" && value !== "no") throw invalid("wantsTraining: yes or no");
      data = { wantsTraining: value === "yes" };
      break;
    // The facts the subsidies wait on may also go back to unknown (a call found the answer was a guess).
    case "pensionEnrolled":
    case "startingBusiness":
      if (value !== "yes" && value !== "no" && value !== "unknown") throw invalid(`${input.field}: yes, no or unknown`);
      data = { [input.field]: value === "unknown" ? null : value === "yes" };
      break;
    case "education":
      if (value !== "unknown" && !(EDUCATIONS as readonly string[]).includes(value)) throw invalid(`education: unknown or one of ${EDUCATIONS.join(", ")}`);
      data = { education: value === "unknown" ? null : value };
      break;
    case "graduationYear": {
      if (value === "unknown") {
        data = { graduationYear: null };
        break;
      }
      // Not before the age of twelve, nor more than a few years ahead.
      const year = Number(value);
      const earliest = worker.birthDate ? worker.birthDate.getUTCFullYear() + 12 : chinaWallClock(ctx.clock()).getUTCFullYear() - 70;
      if (!/^\d{4}$/.test(value) || year < earliest || year > chinaWallClock(ctx.clock()).getUTCFullYear() + 5) throw invalid("graduationYear: a year, four digits, after the age of twelve");
      data = { graduationYear: year };
      break;
    }
  }
  await ctx.db.worker.update({ where: { id: worker.id }, data });
  if (input.field === "homeRegionCode") await movePlan(ctx.db, worker.id, value);
  const personal = input.field === "idNumber" || input.field === "phone";
  await recordTimeline(
    ctx.db,
    { identityId: null, workerId: worker.id },
    [{ kind: "corrected", data: { field: input.field, ...(personal ? {} : { value }) }, actorId: actorId(ctx.actor) ?? undefined }],
    ctx.clock(),
  );
  await audit(ctx, "worker.corrected", worker.id, { field: input.field });
  await queueIndexing(ctx.db, "worker", worker.id);
  if (input.field === "wantsTraining" && value === "yes") await offerTrainingSoon(ctx.db, worker.id);
  return { field: input.field };
});
