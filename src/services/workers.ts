// Domain verbs about workers. Personal data enters here in clear and leaves encrypted (database)
// or masked (views); nothing else handles the sealed columns.
import { z } from "zod";
import { normalizeTitle } from "../../matching/occupations.ts";
import { placeName, placeNames } from "./region-lookup.ts";
import type { AppDeps } from "../deps.ts";
import type { PovertyStatus, Prisma, Worker, WorkRange } from "../db/client.ts";
import { matchJobsForWorker } from "../../matching/match.ts";
import { shownAddress } from "../delivery/personal-data.ts";
import { DomainError, invalid, notFound } from "../shared/errors.ts";
import { ANY_OPERATOR, audit, CARERS, inScope, regionScope, requireRegion, verb, type VerbContext } from "./context.ts";
import { eraseWorkerData } from "./erasure.ts";
import { responsibleCoordinator } from "./coordinators.ts";
import { ageOn, normalizeMobile, parseResidentId, REGION_CODE } from "../shared/identifiers.ts";
import { maskIdNumber, maskPhone } from "../shared/masking.ts";
import { queueIndexing } from "./search-sync.ts";

type Deps = Pick<AppDeps, "prisma" | "pii" | "clock">;

export interface NewWorker {
  name: string;
  idNumber?: string;
  phone?: string;
  homeRegionCode?: string;
  povertyStatus?: PovertyStatus;
  categories?: string[];
  wishedOccupations?: string[];
  workRange?: WorkRange;
  wageFloor?: number;
  wantsTraining?: boolean;
  registeredVia?: string;
}

/** The chat's wage floor as the record keeps it: 0 (不限) is no floor at all, as for someone never asked. */
export const wageFloorColumn = (floor: number | null | undefined): number | null => (floor && floor > 0 ? floor : null);

/** The columns that hold one resident ID number: sealed, hashed for look-up, masked for display. */
export function sealIdNumber(pii: Deps["pii"], raw: string) {
  const parsed = parseResidentId(raw);
  if ("problem" in parsed) throw invalid(`the resident ID number is not valid (${parsed.problem})`);
  return {
    idNumberEnc: pii.encrypt(parsed.number),
    idNumberHash: pii.hash("id", parsed.number),
    idNumberMasked: maskIdNumber(parsed.number),
    birthDate: new Date(`${parsed.birthDate}T00:00:00Z`),
    sex: parsed.sex,
  };
}

export function sealPhone(pii: Deps["pii"], raw: string) {
  const phone = normalizeMobile(raw);
  if (!phone) throw invalid("the phone number is not a Chinese mobile number");
  return { phoneEnc: pii.encrypt(phone), phoneHash: pii.hash("phone", phone), phoneMasked: maskPhone(phone) };
}

export async function createWorker(deps: Deps, input: NewWorker): Promise<Worker> {
  const data: Prisma.WorkerCreateInput = {
    name: input.name,
    homeRegionCode: input.homeRegionCode ?? null,
    povertyStatus: input.povertyStatus ?? "unknown",
    categories: input.categories ?? [],
    wishedOccupations: input.wishedOccupations ?? [],
    workRange: input.workRange ?? null,
    wageFloor: input.wageFloor ?? null,
    wantsTraining: input.wantsTraining ?? null,
    registeredVia: input.registeredVia ?? null,
    createdAt: deps.clock(),
    ...(input.idNumber ? sealIdNumber(deps.pii, input.idNumber) : {}),
    ...(input.phone ? sealPhone(deps.pii, input.phone) : {}),
  };
  return deps.prisma.$transaction(async (tx) => {
    const worker = await tx.worker.create({ data });
    await queueIndexing(tx, "worker", worker.id);
    return worker;
  });
}

/** Family members often share one phone: a number can lead to several workers. */
async function findWorkersByPhone(ctx: VerbContext, raw: string): Promise<Worker[]> {
  const phone = normalizeMobile(raw);
  if (!phone) return [];
  return ctx.db.worker.findMany({ where: { phoneHash: ctx.pii.hash("phone", phone) }, orderBy: { id: "asc" } });
}

/** What the operator API shows of a worker: ID number always masked; the phone in clear only for
 * roles that call workers (coordinators), masked for everyone else. */
export function workerView(worker: Worker, options: { revealPhone?: string | null; now: Date }) {
  const birthDate = worker.birthDate?.toISOString().slice(0, 10) ?? null;
  return {
    id: worker.id,
    name: worker.name,
    idNumber: worker.idNumberMasked,
    birthDate,
    age: birthDate ? ageOn(birthDate, options.now) : null,
    sex: worker.sex,
    phone: options.revealPhone ?? worker.phoneMasked,
    homeRegionCode: worker.homeRegionCode,
    povertyStatus: worker.povertyStatus,
    /** whether the county's roster confirmed the status (else it is as the worker said it) */
    povertyConfirmed: worker.povertyConfirmedAt !== null,
    /** what the worker said in the chat, where the roster's status replaced it */
    declaredPovertyStatus: worker.declaredPovertyStatus,
    categories: worker.categories,
    wishedOccupations: worker.wishedOccupations,
    workRange: worker.workRange,
    wageFloor: worker.wageFloor,
    wantsTraining: worker.wantsTraining,
    /** what the subsidies wait on, as the worker told it (补贴政策) or a coordinator recorded it; null: not known */
    pensionEnrolled: worker.pensionEnrolled,
    startingBusiness: worker.startingBusiness,
    education: worker.education,
    graduationYear: worker.graduationYear,
    employmentStatus: worker.employmentStatus,
    registeredVia: worker.registeredVia,
    createdAt: worker.createdAt.toISOString(),
  };
}

export type WorkerView = ReturnType<typeof workerView>;


/** A worker by id, in the actor's regions. */
export async function visibleWorker(ctx: VerbContext, workerId: string): Promise<Worker> {
  const worker = await ctx.db.worker.findUnique({ where: { id: workerId } });
  if (!worker) throw notFound("worker");
  requireRegion(ctx.actor, worker.homeRegionCode);
  return worker;
}

/** Workers as an operator sees them: coordinators phone their workers, so they see the number; every reveal is audited. */
async function present(ctx: VerbContext, workers: Worker[]): Promise<WorkerView[]> {
  const reveal = ctx.actor.kind === "operator" && ctx.actor.role === "coordinator";
  const revealed = reveal ? workers.filter((worker) => worker.phoneEnc) : [];
  if (revealed.length > 0) await audit(ctx, "worker.phone.revealed", null, { workerIds: revealed.map((worker) => worker.id) });
  const now = ctx.clock();
  return workers.map((worker) => workerView(worker, { now, revealPhone: reveal && worker.phoneEnc ? ctx.pii.decrypt(worker.phoneEnc) : null }));
}

/** What a list of workers may be narrowed by, for every door (the API's query, the console's form). */
export const workerFiltersSchema = z.object({
  /** part of the name */
  q: z.string().trim().min(1).max(40).optional(),
  /** the last four characters of the ID number or of the phone */
  digits: z
    .string()
    .trim()
    .regex(/^\d{3}[\dXx]$/, "the last four digits of the ID number or of the phone")
    .transform((digits) => digits.toUpperCase())
    .optional(),
  region: z.string().regex(REGION_CODE, "a region code of 2, 4, 6, 9 or 12 digits").optional(),
  poverty: z.enum(["registered", "lifted", "monitored", "none", "unknown"]).optional(),
  employment: z.enum(["seeking", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "notSeeking"]).optional(),
  training: z.enum(["yes", "no"]).optional(),
  /** whether a chat of theirs has written (the figures' 已联系): the roster's people not yet reached are whom to call */
  reached: z.enum(["yes", "no"]).optional(),
  /** a kind of work wished for, by name (保安, 电子厂): the occupation it names */
  wish: z.string().trim().min(1).max(40).optional(),
});
export type WorkerFilters = z.infer<typeof workerFiltersSchema>;

export interface WorkerQuery extends WorkerFilters {
  phone?: string | undefined;
  limit: number;
  /** the last id of the previous page */
  cursor?: string | undefined;
}

/** A channel of the worker's that has written to the service: the worker is reached (as the figures count it). */
const WROTE: Prisma.ChannelIdentityWhereInput = { lastInboundAt: { not: null } };

/** The workers a filter picks out, inside a region scope. A wish that names no known work picks nobody. */
function workersWhere(scope: string[] | null, filters: WorkerFilters): Prisma.WorkerWhereInput {
  const wished = filters.wish ? (normalizeTitle(filters.wish)?.code ?? "-") : undefined;
  return {
    AND: [
      inScope(scope, "homeRegionCode"),
      filters.q ? { name: { contains: filters.q } } : {},
      filters.digits ? { OR: [{ idNumberMasked: { endsWith: filters.digits } }, { phoneMasked: { endsWith: filters.digits } }] } : {},
      filters.poverty ? { povertyStatus: filters.poverty } : {},
      filters.employment ? { employmentStatus: filters.employment } : {},
      filters.training ? { wantsTraining: filters.training === "yes" } : {},
      filters.reached === "yes" ? { identities: { some: WROTE } } : filters.reached === "no" ? { identities: { none: WROTE } } : {},
      wished ? { wishedOccupations: { has: wished } } : {},
    ],
  };
}

/** How many workers of the actor's regions the service has not reached yet (劳动力's 还没联系上): whom to call. */
export const countUnreached = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext) =>
  ctx.db.worker.count({ where: workersWhere(regionScope(ctx.actor), { reached: "no" }) }),
);

/** A page of the workers in the actor's regions that fit the filters (by phone: everyone sharing it), oldest first. */
export const listWorkers = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: WorkerQuery) => {
  const scope = regionScope(ctx.actor, query.region);
  if (query.phone) {
    const visible = (await findWorkersByPhone(ctx, query.phone)).filter(
      (worker) => scope === null || scope.some((prefix) => worker.homeRegionCode?.startsWith(prefix)),
    );
    return { workers: await present(ctx, visible), next: null };
  }
  const rows = await ctx.db.worker.findMany({
    where: { ...workersWhere(scope, query), ...(query.cursor ? { id: { gt: query.cursor } } : {}) },
    orderBy: { id: "asc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { workers: await present(ctx, page), next: rows.length > query.limit ? page.at(-1)!.id : null };
});

/** The most rows one export holds: a county's roster, not the province's. */
export const EXPORT_LIMIT = 100_000;

/** The filtered list for a spreadsheet: masked numbers only (whoever exports), and the export audited with its filters and size. */
export const exportWorkers = verb({ roles: ANY_OPERATOR, writes: true }, async (ctx: VerbContext, filters: WorkerFilters) => {
  const scope = regionScope(ctx.actor, filters.region);
  const rows = await ctx.db.worker.findMany({
    where: workersWhere(scope, filters),
    orderBy: { id: "asc" },
    take: EXPORT_LIMIT,
    select: {
      id: true,
      name: true,
      idNumberMasked: true,
      phoneMasked: true,
      homeRegionCode: true,
      povertyStatus: true,
      employmentStatus: true,
      wishedOccupations: true,
      wantsTraining: true,
      createdAt: true,
    },
  });
  const places = await placeNames(ctx.db, rows.map((row) => row.homeRegionCode));
  await audit(ctx, "workers.exported", null, { filters, rows: rows.length });
  return rows.map((row) => ({ ...row, place: row.homeRegionCode ? (places.get(row.homeRegionCode) ?? "") : "" }));
});

export const showWorker = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { workerId: string }) => {
  const [view] = await present(ctx, [await visibleWorker(ctx, input.workerId)]);
  return view!;
});

/** The worker's assistance plan (帮扶计划书): coordinator, goals, tasks, channels (masked) and the timeline, newest first. */
export const workerPlan = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { workerId: string; limit: number }) => {
  const worker = await ctx.db.worker.findUnique({
    where: { id: input.workerId },
    include: { plan: { include: { tasks: { orderBy: { dueAt: "asc" } } } }, identities: { orderBy: { createdAt: "asc" } } },
  });
  if (!worker) throw notFound("worker");
  requireRegion(ctx.actor, worker.homeRegionCode);
  const timeline = await ctx.db.planEvent.findMany({ where: { workerId: worker.id }, orderBy: { seq: "desc" }, take: input.limit });
  const place = await placeName(ctx.db, worker.homeRegionCode);
  // Who follows them up, as the chat and the alerts find them: the plan's coordinator while active,
  // else the one whose regions hold their place (a coordinator added after they registered).
  const coordinator = worker.plan && (await responsibleCoordinator(ctx.db, worker.plan, worker.homeRegionCode));
  const plan = worker.plan && {
    ...worker.plan,
    coordinator: coordinator ? { id: coordinator.id, name: coordinator.name } : null,
    // Every way the worker talks to us: one worker, several channels (SMS and WeChat linked).
    channels: worker.identities.map((identity) => ({
      channel: identity.channel,
      address: shownAddress(ctx.pii, identity.channel, identity.address),
      lastInboundAt: identity.lastInboundAt,
      optedOut: identity.optedOutAt !== null,
    })),
  };
  return { plan, timeline, place };
});

/** The worker's best open vacancies, those applied for left out, each with its title and employer. */
export const workerMatches = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { workerId: string; limit: number }) => {
  const worker = await visibleWorker(ctx, input.workerId);
  const applied = await ctx.db.application.findMany({ where: { workerId: worker.id }, select: { vacancyId: true } });
  const matches = await matchJobsForWorker(ctx.indexes, worker, { limit: input.limit, now: ctx.clock(), exclude: applied.map((application) => application.vacancyId) }).catch((error: Error) => {
    throw new DomainError("unavailable", `the search engine does not answer (${error.message}); try again shortly`);
  });
  const vacancies = await ctx.db.vacancy.findMany({
    where: { id: { in: matches.map((match) => match.vacancyId) } },
    select: { id: true, title: true, regionCode: true, employer: { select: { name: true } } },
  });
  const byId = new Map(vacancies.map((vacancy) => [vacancy.id, vacancy]));
  return matches.flatMap((match) => {
    const vacancy = byId.get(match.vacancyId);
    return vacancy ? [{ ...match, title: vacancy.title, employerName: vacancy.employer?.name ?? null, regionCode: vacancy.regionCode }] : [];
  });
});

/** Erases a worker's personal data at their request, at once (audited); the figures keep counting them without a name. */
export const eraseWorker = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { workerId: string }) => {
  const worker = await visibleWorker(ctx, input.workerId);
  const erasedAt = worker.erasedAt ?? ctx.clock();
  await eraseWorkerData(ctx.db, worker.id, { by: ctx.actor.kind === "operator" ? ctx.actor.id : null, via: "operator", now: ctx.clock() });
  return { erasedAt };
});
