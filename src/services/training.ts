// Vocational training (职业培训): the course catalogue operators keep, offers to the workers who want
// training near a course ("回复1报名"), enrolment, a reminder before the course starts, completion.
// The policy promise checked here is that every worker who wants training is offered at least one
// free course a year (sources 000, 003): each course's offers go first to workers not yet offered a
// free course this year, and a daily job offers the nearest free course to anyone still without one.
//
// Every message to a worker goes through noticeWorkers, keyed training_offer:<course>:<worker> and
// training_reminder:<course>:<worker>:<start>, so a job killed half-way and run again tells nobody twice.
import { noticeKeys } from "../shared/keys.ts";
import { firstThatFits } from "../policies/index.ts";
import { normalizeTitle, occupationByCode, midCategory } from "../../matching/occupations.ts";
import type { AppDeps } from "../deps.ts";
import type { Prisma, PrismaClient, TrainingCourse, TrainingEnrolment } from "../db/client.ts";
import { chinaDayStart, chinaWallClock, chinaYearStart, nextChinaHour } from "../delivery/china-time.ts";
import { queueJob } from "../queue/queue.ts";
import { AppError } from "../shared/errors.ts";
import { noticeWorkers, type WorkerNotice } from "./outreach.ts";
import { placeName } from "./region-lookup.ts";
import type { Tx } from "./timeline.ts";

export const TRAINING_LIMITS = {
  /** offers sent per seat: enough that the seats fill, few enough not to flood a county with SMS */
  offersPerSeat: 5,
  /** workers per transaction while queueing offers */
  batchSize: 500,
  /** the reminder goes this many China-time days before the course day */
  reminderDaysBefore: 2,
  /** …at this hour, China time, after quiet hours */
  reminderHour: 9,
  /** the daily promise run, China time: after the morning job digest (9:00) */
  promiseHour: 10,
} as const;


const PARAM_MAX = 20;
const DAY_MS = 24 * 3600 * 1000;
/** Employment that leaves a worker near home, able to attend a course there. */
const WITHIN_REACH_EMPLOYMENT = ["seeking", "employedLocal"] as const;
/** Enrolments that hold a seat. */
const HOLDS_SEAT = ["enrolled", "completed"] as const;

type Deps = Pick<AppDeps, "prisma" | "log" | "clock" | "outboxQueued">;

// ---------------------------------------------------------------------------------------------------
// Time and place

/** 6月10日, or 6月10日8:30 with the time, China time. */
export function chinaDateText(at: Date, withTime = false): string {
  const china = chinaWallClock(at);
  const date = `${china.getUTCMonth() + 1}月${china.getUTCDate()}日`;
  if (!withTime || (china.getUTCHours() === 0 && china.getUTCMinutes() === 0)) return date;
  return `${date}${china.getUTCHours()}:${String(china.getUTCMinutes()).padStart(2, "0")}`;
}

/** When the reminder goes: two China-time days before the course day, in the morning; never in the past. */
export function reminderAt(startsAt: Date, now: Date): Date {
  const at = new Date(chinaDayStart(startsAt).getTime() - TRAINING_LIMITS.reminderDaysBefore * DAY_MS + TRAINING_LIMITS.reminderHour * 3600 * 1000);
  return at > now ? at : now;
}

/**
 * The region prefix of the workers a course is within reach of: its county (a county or township
 * course), or its whole city (a course the city runs, with a 4-digit code).
 */
export function reachOf(courseRegionCode: string): string {
  return courseRegionCode.length >= 6 ? courseRegionCode.slice(0, 6) : courseRegionCode.slice(0, 4);
}

// ---------------------------------------------------------------------------------------------------
// Texts

export interface OfferFacts {
  title: string;
  place: string;
  startsAt: Date;
  free: boolean;
  subsidyYuan: number | null;
  livingAllowance: number | null;
}

const costText = (facts: Pick<OfferFacts, "free" | "subsidyYuan">) =>
  facts.free ? "免费" : facts.subsidyYuan ? `政府补贴${facts.subsidyYuan}元` : "有政府补贴";
const allowanceText = (yuan: number | null) => (yuan ? `每天生活补贴${yuan}元` : null);

/** The offer as one SMS ending "回复1报名": course, place, start, free or subsidised, living allowance. */
export function offerText(facts: OfferFacts): string {
  const tail = "。回复1报名";
  const date = `${chinaDateText(facts.startsAt)}开课`;
  const cost = costText(facts);
  const allowance = allowanceText(facts.livingAllowance);
  const compose = (title: string, place: string, withAllowance: boolean) =>
    [title, place, date, cost, withAllowance ? allowance : null].filter(Boolean).join("，") + tail;
  // What gives first when it is long: the title's tail, the place's township, then the allowance.
  return firstThatFits([
    compose(facts.title, facts.place, true),
    compose(facts.title.slice(0, 14), facts.place, true),
    compose(facts.title.slice(0, 14), facts.place.slice(0, 6), true),
    compose(facts.title.slice(0, 14), facts.place.slice(0, 6), false),
    compose(facts.title.slice(0, 10), "", false),
  ]);
}

export function offerParams(facts: OfferFacts): Record<string, string> {
  return {
    course: facts.title.slice(0, PARAM_MAX),
    place: facts.place.slice(0, PARAM_MAX),
    start: chinaDateText(facts.startsAt).slice(0, PARAM_MAX),
    cost: costText(facts).slice(0, PARAM_MAX),
    allowance: (allowanceText(facts.livingAllowance) ?? "无").slice(0, PARAM_MAX),
  };
}

export function reminderText(facts: { title: string; startsAt: Date; where: string }): string {
  const when = chinaDateText(facts.startsAt, true);
  const tail = `。去不了请回复"人工"`;
  return firstThatFits([
    `提醒：您报名的${facts.title}${when}开课，地点：${facts.where}${tail}`,
    `提醒：您报名的${facts.title.slice(0, 12)}${when}开课，地点：${facts.where.slice(0, 20)}${tail}`,
    `提醒：您报名的${facts.title.slice(0, 12)}${when}开课${tail}`,
  ]);
}

// ---------------------------------------------------------------------------------------------------
// The catalogue

export interface CourseInput {
  title: string;
  occupationCode?: string;
  regionCode: string;
  address?: string;
  startsAt: Date;
  endsAt?: Date;
  seats: number;
  free: boolean;
  subsidyYuan?: number;
  livingAllowance?: number;
  status: "open" | "closed";
}

export interface CoursePatch {
  status?: "open" | "closed" | "cancelled";
  seats?: number;
  startsAt?: Date;
  endsAt?: Date | null;
  address?: string | null;
}

/** Seats taken (enrolled or completed) per course. */
export async function seatsTaken(db: Tx | PrismaClient, courseIds: string[]): Promise<Map<string, number>> {
  if (courseIds.length === 0) return new Map();
  const rows = await db.trainingEnrolment.groupBy({
    by: ["courseId"],
    where: { courseId: { in: courseIds }, status: { in: [...HOLDS_SEAT] } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.courseId, row._count._all]));
}

/**
 * Records a course; an open one queues its offers in the same transaction, so a course is never
 * open without its workers hearing of it.
 */
export async function createCourse(prisma: PrismaClient, input: CourseInput, now: Date): Promise<TrainingCourse> {
  if (input.status === "open" && input.startsAt <= now) {
    throw new AppError("validation_failed", "an open course must start in the future; record a past course with status closed");
  }
  const region = await prisma.region.findUnique({ where: { code: input.regionCode }, select: { code: true } });
  if (!region) throw new AppError("validation_failed", `region ${input.regionCode} is not a known region code`);
  return prisma.$transaction(async (tx) => {
    const course = await tx.trainingCourse.create({
      data: {
        title: input.title,
        occupationCode: input.occupationCode ?? normalizeTitle(input.title)?.code ?? null,
        regionCode: input.regionCode,
        address: input.address ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt ?? null,
        seats: input.seats,
        free: input.free,
        subsidyYuan: input.subsidyYuan ?? null,
        livingAllowance: input.livingAllowance ?? null,
        status: input.status,
      },
    });
    if (course.status === "open") await queueOffers(tx, course.id);
    return course;
  });
}

/** Holds the course row until the transaction ends: seat counts and changes to it are taken one at a time. */
async function lockCourse(tx: Tx, courseId: string): Promise<void> {
  await tx.$queryRawUnsafe(`SELECT id FROM "TrainingCourse" WHERE id = $1 FOR UPDATE`, courseId);
}

const queueOffers = (tx: Tx, courseId: string) => queueJob(tx, "training.offer", { courseId });

/**
 * Closes, cancels, reopens a course or changes its seats, dates or address. A cancelled course is
 * final; seats cannot drop below those taken. Reopening or adding seats offers the course again (to
 * workers not yet told of it); new dates move the enrolled workers' reminders.
 */
export async function updateCourse(prisma: PrismaClient, id: string, patch: CoursePatch, now: Date): Promise<TrainingCourse> {
  return prisma.$transaction(async (tx) => {
    await lockCourse(tx, id);
    const before = await tx.trainingCourse.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "course not found");
    if (before.status === "cancelled") throw new AppError("conflict", "the course is cancelled; create a new one instead");
    const startsAt = patch.startsAt ?? before.startsAt;
    const endsAt = patch.endsAt === undefined ? before.endsAt : patch.endsAt;
    if (endsAt && endsAt < startsAt) throw new AppError("validation_failed", "endsAt is before startsAt");
    const status = patch.status ?? before.status;
    // Only a course being opened or moved must start ahead: a running course may still get a seat.
    if (status === "open" && (patch.status === "open" || patch.startsAt) && startsAt <= now) {
      throw new AppError("conflict", "an open course must start in the future");
    }
    const taken = (await seatsTaken(tx, [id])).get(id) ?? 0;
    if (patch.seats !== undefined && patch.seats < taken) {
      throw new AppError("conflict", `${taken} workers are already enrolled: seats cannot be fewer`);
    }
    const course = await tx.trainingCourse.update({
      where: { id },
      data: {
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.seats !== undefined ? { seats: patch.seats } : {}),
        ...(patch.startsAt ? { startsAt: patch.startsAt } : {}),
        ...(patch.endsAt !== undefined ? { endsAt: patch.endsAt } : {}),
        ...(patch.address !== undefined ? { address: patch.address } : {}),
      },
    });
    const reopened = before.status !== "open" && course.status === "open";
    const moreSeats = course.status === "open" && course.seats > before.seats;
    if (reopened || moreSeats) await queueOffers(tx, id);
    if (patch.startsAt && patch.startsAt.getTime() !== before.startsAt.getTime()) {
      const enrolled = await tx.trainingEnrolment.findMany({ where: { courseId: id, status: "enrolled" }, select: { workerId: true } });
      for (const { workerId } of enrolled) await queueReminder(tx, course, workerId, now);
    }
    // The enrolled hear of a cancellation: it concerns their own enrolment.
    if (before.status !== "cancelled" && course.status === "cancelled") await noticeCancellation(tx, course, now);
    return course;
  });
}

// ---------------------------------------------------------------------------------------------------
// Offers

export interface OfferRun {
  /** workers chosen for this run */
  chosen: number;
  /** notices queued by this run */
  queued: number;
}

/** What "fits" a course in a worker's words: its occupation's everyday names and the title without 培训/班. */
function courseWords(course: Pick<TrainingCourse, "title" | "occupationCode">): string[] {
  const words = new Set<string>();
  const bare = course.title.replace(/(技能|职业)?(培训|训练)(班|课程?)?|班$/g, "").trim();
  if (bare.length >= 2) words.add(bare);
  const occupation = course.occupationCode ? occupationByCode(course.occupationCode) : undefined;
  for (const name of occupation ? [occupation.name, ...occupation.aliases] : []) {
    if (/^\p{Script=Han}{2,8}$/u.test(name)) words.add(name);
  }
  return [...words];
}

/**
 * The SQL rank of how well a course fits a worker: 2 when their training wish or a wished job names
 * the course's occupation, 1 when a wished job is in the same middle category, else 0.
 * Parameters: `$o` occupation code, `$m` its middle-category LIKE pattern, `$t` title, `$k` words.
 */
function fitRank(o: number, m: number, t: number, k: number): string {
  return `(CASE
      WHEN $${o}::text = ANY(w."wishedOccupations")
        OR (char_length(coalesce(w."trainingWish", '')) >= 2
            AND (position(w."trainingWish" in $${t}::text) > 0
                 OR EXISTS (SELECT 1 FROM unnest($${k}::text[]) AS word WHERE position(word in w."trainingWish") > 0))) THEN 2
      WHEN EXISTS (SELECT 1 FROM unnest(w."wishedOccupations") AS wished WHERE wished LIKE $${m}::text) THEN 1
      ELSE 0 END)`;
}

/** Workers who want training, can attend near home, and can be reached by a push (not opted out). */
const WANTS_TRAINING_NEARBY = `w."wantsTraining" = true
  AND w."employmentStatus"::text IN (${WITHIN_REACH_EMPLOYMENT.map((status) => `'${status}'`).join(", ")})
  AND EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."workerId" = w.id AND i."optedOutAt" IS NULL
              AND (i."lastInboundAt" IS NOT NULL OR i.channel = 'sms'))`;

/** Has the worker had an offer of a free course since `$y` (the year's start)? */
const OFFERED_FREE_SINCE = (y: number) => `EXISTS (SELECT 1 FROM "Notice" n JOIN "TrainingCourse" c ON c.id = n."courseId"
  WHERE n."workerId" = w.id AND n.kind = 'training_offer' AND c.free AND n."createdAt" >= $${y})`;

function offerNotice(course: TrainingCourse, facts: OfferFacts, worker: { id: string; homeRegionCode: string | null }, via: "course" | "promise" | "job_loss"): WorkerNotice {
  return {
    kind: "training_offer",
    key: noticeKeys.trainingOffer(course.id, worker.id),
    workerId: worker.id,
    regionCode: worker.homeRegionCode,
    courseId: course.id,
    purpose: "push",
    body: { text: offerText(facts), template: "training_offer", params: offerParams(facts) },
    timeline: { kind: "training_offer", data: { courseId: course.id, title: course.title, free: course.free, via } },
  };
}

async function offerFacts(db: Tx | PrismaClient, course: TrainingCourse): Promise<OfferFacts> {
  return { title: course.title, place: await placeName(db, course.regionCode?.slice(0, 9) ?? null), startsAt: course.startsAt, free: course.free, subsidyYuan: course.subsidyYuan, livingAllowance: course.livingAllowance };
}

/** Is a course taking enrolments now: open, not started, with a place. */
const takesEnrolments = (course: TrainingCourse, now: Date) => course.status === "open" && course.startsAt > now;

/**
 * Offers a course to the workers within reach who want training, those it fits and those not yet
 * offered a free course this year first, up to `offersPerSeat` × seats offers in all. Idempotent:
 * those already offered are not chosen again, and the notice key guards a race.
 */
export async function offerCourse(deps: Deps, courseId: string, options: { batchSize?: number } = {}): Promise<OfferRun> {
  const { prisma } = deps;
  const now = deps.clock();
  const course = await prisma.trainingCourse.findUnique({ where: { id: courseId } });
  if (!course || !course.regionCode || !takesEnrolments(course, now)) return { chosen: 0, queued: 0 };
  const [taken, offered] = await Promise.all([
    seatsTaken(prisma, [courseId]).then((map) => map.get(courseId) ?? 0),
    prisma.notice.count({ where: { courseId, kind: "training_offer" } }),
  ]);
  if (taken >= course.seats) return { chosen: 0, queued: 0 };
  const room = Math.max(0, course.seats * TRAINING_LIMITS.offersPerSeat - offered);
  if (room === 0) return { chosen: 0, queued: 0 };

  const occupation = course.occupationCode;
  const chosen = await prisma.$queryRawUnsafe<{ id: string; homeRegionCode: string | null }[]>(
    `SELECT w.id, w."homeRegionCode" FROM "Worker" w
     WHERE ${WANTS_TRAINING_NEARBY}
       AND w."homeRegionCode" LIKE $1
       AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n."courseId" = $2 AND n.kind = 'training_offer' AND n."workerId" = w.id)
       AND NOT EXISTS (SELECT 1 FROM "TrainingEnrolment" e WHERE e."courseId" = $2 AND e."workerId" = w.id)
     ORDER BY ${fitRank(3, 4, 5, 6)} DESC, ${OFFERED_FREE_SINCE(7)} ASC, w.id
     LIMIT $8`,
    `${reachOf(course.regionCode)}%`,
    courseId,
    occupation,
    occupation ? `${midCategory(occupation)}-%` : null,
    course.title,
    courseWords(course),
    chinaYearStart(now),
    room,
  );

  const facts = await offerFacts(prisma, course);
  let queued = 0;
  const batchSize = options.batchSize ?? TRAINING_LIMITS.batchSize;
  for (let start = 0; start < chosen.length; start += batchSize) {
    const batch = chosen.slice(start, start + batchSize);
    queued += (await prisma.$transaction((tx) => noticeWorkers(tx, batch.map((worker) => offerNotice(course, facts, worker, "course")), now))).size;
    deps.outboxQueued?.();
  }
  deps.log.info({ courseId, chosen: chosen.length, queued }, "course offered");
  return { chosen: chosen.length, queued };
}

// ---------------------------------------------------------------------------------------------------
// Enrolment, reminder, completion

export type EnrolResult =
  | { enrolled: TrainingEnrolment; course: TrainingCourse }
  | { already: TrainingEnrolment; course: TrainingCourse }
  | { full: true; course: TrainingCourse }
  | { closed: true; course: TrainingCourse | null };

/** The identity a timeline row about a worker hangs on: the one they last wrote from, if any. */
async function timelineIdentities(tx: Tx, workerIds: string[]): Promise<Map<string, string>> {
  const identities = await tx.channelIdentity.findMany({
    where: { workerId: { in: workerIds } },
    orderBy: { lastInboundAt: { sort: "desc", nulls: "last" } },
    select: { id: true, workerId: true },
  });
  const byWorker = new Map<string, string>();
  for (const identity of identities) if (!byWorker.has(identity.workerId!)) byWorker.set(identity.workerId!, identity.id);
  return byWorker;
}

async function queueReminder(tx: Tx, course: Pick<TrainingCourse, "id" | "startsAt">, workerId: string, now: Date): Promise<void> {
  await queueJob(tx, "training.reminder", { courseId: course.id, workerId }, reminderAt(course.startsAt, now));
}

/**
 * Enrols a worker (an operator for them, or the worker's own "1" to an offer). The course row is
 * locked for the count, so two last-seat enrolments cannot both win. A course that is not open or
 * has started takes no one; a dropped enrolment can be taken up again while seats remain.
 * Records "training_enrolled" on the worker's timeline and queues the reminder.
 */
export async function enrolInCourse(
  tx: Tx,
  input: { workerId: string; courseId: string; source: "operator" | "offer" | "chat"; now: Date; actorId?: string; channel?: string },
): Promise<EnrolResult> {
  await lockCourse(tx, input.courseId);
  const course = await tx.trainingCourse.findUnique({ where: { id: input.courseId } });
  if (!course) return { closed: true, course: null };
  const before = await tx.trainingEnrolment.findUnique({ where: { courseId_workerId: { courseId: course.id, workerId: input.workerId } } });
  if (before && before.status !== "dropped") return { already: before, course };
  if (!takesEnrolments(course, input.now)) return { closed: true, course };
  const taken = (await seatsTaken(tx, [course.id])).get(course.id) ?? 0;
  if (taken >= course.seats) return { full: true, course };

  const enrolment = before
    ? await tx.trainingEnrolment.update({ where: { id: before.id }, data: { status: "enrolled", enrolledAt: input.now, completedAt: null } })
    : await tx.trainingEnrolment.create({ data: { courseId: course.id, workerId: input.workerId, enrolledAt: input.now } });
  const identity = (await timelineIdentities(tx, [input.workerId])).get(input.workerId) ?? null;
  await tx.planEvent.create({
    data: {
      workerId: input.workerId,
      identityId: identity,
      kind: "training_enrolled",
      channel: input.channel ?? null,
      actorId: input.actorId ?? null,
      data: { courseId: course.id, enrolmentId: enrolment.id, title: course.title, source: input.source, startsAt: course.startsAt.toISOString() },
    },
  });
  await queueReminder(tx, course, input.workerId, input.now);
  return { enrolled: enrolment, course };
}

/**
 * The reminder, when its time comes: only while the worker is still enrolled and the course still
 * ahead. Purpose "notice": it is about the worker's own enrolment, not marketing, so it goes even
 * to a worker who turned pushes off (quiet hours still hold).
 */
export async function remindEnrolledWorker(deps: Deps, courseId: string, workerId: string): Promise<boolean> {
  const { prisma } = deps;
  const now = deps.clock();
  const enrolment = await prisma.trainingEnrolment.findUnique({
    where: { courseId_workerId: { courseId, workerId } },
    include: { course: true, worker: { select: { homeRegionCode: true } } },
  });
  if (!enrolment || enrolment.status !== "enrolled") return false;
  const { course } = enrolment;
  if (course.status === "cancelled" || course.startsAt <= now) return false;
  const place = await placeName(prisma, course.regionCode?.slice(0, 9) ?? null);
  const where = course.address ? `${place}${course.address}` : place;
  const queued = await prisma.$transaction((tx) =>
    noticeWorkers(tx, [
      {
        kind: "training_reminder",
        key: noticeKeys.trainingReminder(courseId, workerId, course.startsAt),
        workerId,
        regionCode: enrolment.worker.homeRegionCode,
        courseId,
        purpose: "notice",
        body: {
          text: reminderText({ title: course.title, startsAt: course.startsAt, where }),
          template: "training_reminder",
          params: { course: course.title.slice(0, PARAM_MAX), start: chinaDateText(course.startsAt, true).slice(0, PARAM_MAX), place: where.slice(0, PARAM_MAX) },
        },
        timeline: { kind: "notice", data: { about: "training_reminder", courseId } },
      },
    ], now),
  );
  deps.outboxQueued?.();
  return queued.size > 0;
}

export type CompletionResult = { completed: TrainingEnrolment[] } | { notEnrolled: string[] };

/**
 * The operator records who finished a course (and the certificate, if one was given): all of the
 * named workers or none. Writes "training_completed" on each worker's timeline.
 */
export async function recordCompletions(
  prisma: PrismaClient,
  input: { courseId: string; workerIds: string[]; certificate?: string; actorId: string; now: Date },
): Promise<CompletionResult> {
  return prisma.$transaction(async (tx) => {
    await lockCourse(tx, input.courseId);
    const course = await tx.trainingCourse.findUnique({ where: { id: input.courseId } });
    if (!course) throw new AppError("not_found", "course not found");
    if (course.status === "cancelled") throw new AppError("conflict", "the course was cancelled: nobody can have completed it");
    if (course.startsAt > input.now) throw new AppError("conflict", "the course has not started yet");
    const enrolments = await tx.trainingEnrolment.findMany({ where: { courseId: input.courseId, workerId: { in: input.workerIds }, status: { in: [...HOLDS_SEAT] } } });
    const found = new Set(enrolments.map((enrolment) => enrolment.workerId));
    const notEnrolled = input.workerIds.filter((id) => !found.has(id));
    if (notEnrolled.length > 0) return { notEnrolled };
    // Already completed stays as first recorded: the date a certificate was earned does not move.
    const fresh = enrolments.filter((enrolment) => enrolment.status === "enrolled");
    await tx.trainingEnrolment.updateMany({
      where: { id: { in: fresh.map((enrolment) => enrolment.id) } },
      data: { status: "completed", completedAt: input.now, certificate: input.certificate ?? null },
    });
    const identities = await timelineIdentities(tx, fresh.map((enrolment) => enrolment.workerId));
    await tx.planEvent.createMany({
      data: fresh.map((enrolment) => ({
        at: input.now,
        workerId: enrolment.workerId,
        identityId: identities.get(enrolment.workerId) ?? null,
        kind: "training_completed",
        actorId: input.actorId,
        data: { courseId: course.id, enrolmentId: enrolment.id, title: course.title, occupationCode: course.occupationCode, certificate: input.certificate ?? null } as Prisma.InputJsonValue,
      })),
    });
    const completed = await tx.trainingEnrolment.findMany({ where: { id: { in: enrolments.map((enrolment) => enrolment.id) } }, orderBy: { workerId: "asc" } });
    return { completed };
  });
}

// ---------------------------------------------------------------------------------------------------
// The annual promise

export interface PromiseRun {
  /** workers without a free offer this year that a course could reach */
  considered: number;
  /** offers queued by this run */
  offered: number;
}

type OpenCourse = TrainingCourse & { regionCode: string; room: number; facts: OfferFacts; words: string[] };

/**
 * Every worker who wants training and has had no offer of a free course this calendar year (China
 * time) is offered the nearest open free course: one in their county, else one in their city,
 * the one that fits their wish first, then the soonest. A course's offers stay within its cap
 * (offersPerSeat × seats): beyond it, offers would only promise seats that are not there, and the
 * shortfall shows in the coverage figure instead. Idempotent and restart-safe by the offer key.
 */
export async function keepTrainingPromise(deps: Deps, options: { batchSize?: number } = {}): Promise<PromiseRun> {
  const { prisma } = deps;
  const now = deps.clock();
  const yearStart = chinaYearStart(now);
  const courses = await openFreeCourses(prisma, now);
  if (courses.length === 0) return { considered: 0, offered: 0 };
  const ids = courses.map((course) => course.id);
  const reaches = [...new Set(courses.map((course) => `${reachOf(course.regionCode).slice(0, 4)}%`))];

  let considered = 0;
  let offered = 0;
  let after = "";
  const batchSize = options.batchSize ?? TRAINING_LIMITS.batchSize;
  for (;;) {
    const workers = await prisma.$queryRawUnsafe<{ id: string; homeRegionCode: string; wishedOccupations: string[]; trainingWish: string | null }[]>(
      `SELECT w.id, w."homeRegionCode", w."wishedOccupations", w."trainingWish" FROM "Worker" w
       WHERE ${WANTS_TRAINING_NEARBY}
         AND w."homeRegionCode" LIKE ANY($1::text[])
         AND w.id > $2
         AND NOT ${OFFERED_FREE_SINCE(3)}
       ORDER BY w.id LIMIT $4`,
      reaches,
      after,
      yearStart,
      batchSize,
    );
    if (workers.length === 0) break;
    after = workers.at(-1)!.id;
    considered += workers.length;
    // Courses the worker is in, or was offered already (last year, say: the key is taken), are not
    // theirs to be offered again; the next nearest one is.
    const [enrolled, offeredBefore] = await Promise.all([
      prisma.trainingEnrolment.findMany({ where: { workerId: { in: workers.map((w) => w.id) }, courseId: { in: ids } }, select: { workerId: true, courseId: true } }),
      prisma.notice.findMany({ where: { kind: "training_offer", workerId: { in: workers.map((w) => w.id) }, courseId: { in: ids } }, select: { workerId: true, courseId: true } }),
    ]);
    const enrolledIn = new Set([...enrolled, ...offeredBefore].map((row) => `${row.courseId}:${row.workerId}`));
    const notices: WorkerNotice[] = [];
    const chosenCourse = new Map<string, OpenCourse>();
    for (const worker of workers) {
      const course = nearestCourse(courses, worker, (c) => c.room > 0 && !enrolledIn.has(`${c.id}:${worker.id}`));
      if (!course) continue;
      course.room -= 1;
      chosenCourse.set(worker.id, course);
      notices.push(offerNotice(course, course.facts, worker, "promise"));
    }
    const keys = await prisma.$transaction((tx) => noticeWorkers(tx, notices, now));
    // A notice that did not go (its key taken in a race) gives its place back.
    for (const notice of notices) if (!keys.has(notice.key)) chosenCourse.get(notice.workerId)!.room += 1;
    offered += keys.size;
    deps.outboxQueued?.();
  }
  deps.log.info({ considered, offered }, "training promise kept");
  return { considered, offered };
}

/** Free courses that take enrolments and have room for more offers, soonest first; only those in `within` (a region code) when given. */
async function openFreeCourses(prisma: PrismaClient, now: Date, within?: string): Promise<OpenCourse[]> {
  const candidates = await prisma.trainingCourse.findMany({
    where: { status: "open", free: true, startsAt: { gt: now }, regionCode: within ? { startsWith: within } : { not: null } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  if (candidates.length === 0) return [];
  const ids = candidates.map((course) => course.id);
  const [taken, offers] = await Promise.all([
    seatsTaken(prisma, ids),
    prisma.notice.groupBy({ by: ["courseId"], where: { courseId: { in: ids }, kind: "training_offer" }, _count: { _all: true } }),
  ]);
  const offersByCourse = new Map(offers.map((row) => [row.courseId!, row._count._all]));
  const courses: OpenCourse[] = [];
  for (const course of candidates) {
    if ((taken.get(course.id) ?? 0) >= course.seats) continue;
    const room = course.seats * TRAINING_LIMITS.offersPerSeat - (offersByCourse.get(course.id) ?? 0);
    if (room <= 0) continue;
    courses.push({ ...course, regionCode: course.regionCode!, room, facts: await offerFacts(prisma, course), words: courseWords(course) });
  }
  return courses;
}

/**
 * A job lost (就业转失业) brings a training offer: the nearest open free course the worker has not
 * been offered or joined, whether or not they asked for training when they registered — losing a
 * job is when a course helps most. Nothing when the worker has found work again meanwhile, or no
 * course is near (the coordinator's warning asks them to arrange one). Returns whether it went.
 */
export async function offerTrainingAfterJobLoss(deps: Deps, workerId: string): Promise<boolean> {
  const { prisma } = deps;
  const now = deps.clock();
  const worker = await prisma.worker.findUnique({ where: { id: workerId }, select: { id: true, homeRegionCode: true, wishedOccupations: true, trainingWish: true, employmentStatus: true } });
  if (!worker?.homeRegionCode || worker.employmentStatus !== "seeking") return false;
  // Only courses in the worker's city can be theirs (nearestCourse: same county, else same city).
  const courses = await openFreeCourses(prisma, now, worker.homeRegionCode.slice(0, 4));
  const ids = courses.map((course) => course.id);
  const [enrolled, offeredBefore] = await Promise.all([
    prisma.trainingEnrolment.findMany({ where: { workerId, courseId: { in: ids } }, select: { courseId: true } }),
    prisma.notice.findMany({ where: { kind: "training_offer", workerId, courseId: { in: ids } }, select: { courseId: true } }),
  ]);
  const notTheirs = new Set([...enrolled, ...offeredBefore].map((row) => row.courseId));
  const course = nearestCourse(courses, { ...worker, homeRegionCode: worker.homeRegionCode }, (c) => !notTheirs.has(c.id));
  if (!course) return false;
  const keys = await prisma.$transaction((tx) => noticeWorkers(tx, [offerNotice(course, course.facts, worker, "job_loss")], now));
  deps.outboxQueued?.();
  return keys.size > 0;
}

/** Tells everyone enrolled in a course that it will not take place. */
async function noticeCancellation(tx: Tx, course: TrainingCourse, now: Date): Promise<void> {
  const enrolled = await tx.trainingEnrolment.findMany({ where: { courseId: course.id, status: "enrolled" }, include: { worker: { select: { homeRegionCode: true } } } });
  const title = course.title.slice(0, 16);
  await noticeWorkers(
    tx,
    enrolled.map((enrolment) => ({
      kind: "training_cancelled" as const,
      key: noticeKeys.trainingCancelled(course.id, enrolment.workerId),
      workerId: enrolment.workerId,
      regionCode: enrolment.worker.homeRegionCode,
      courseId: course.id,
      purpose: "notice" as const,
      body: {
        text: `抱歉，您报名的${title}（${chinaDateText(course.startsAt)}开课）取消了。有新的班会再通知您。`,
        template: "training_cancelled",
        params: { course: title, start: chinaDateText(course.startsAt) },
      },
      timeline: { kind: "notice", data: { about: "training_cancelled", courseId: course.id } },
    })),
    now,
  );
}

/** The worker's nearest course: same county before same city; a fitting one first; then the soonest. */
function nearestCourse(
  courses: OpenCourse[],
  worker: { homeRegionCode: string; wishedOccupations: string[]; trainingWish: string | null },
  usable: (course: OpenCourse) => boolean,
): OpenCourse | undefined {
  const fits = (course: OpenCourse) =>
    (course.occupationCode !== null && worker.wishedOccupations.includes(course.occupationCode)) ||
    (worker.trainingWish !== null && worker.trainingWish.length >= 2 && (course.title.includes(worker.trainingWish) || course.words.some((word) => worker.trainingWish!.includes(word))));
  const sameCounty = (course: OpenCourse) => course.regionCode.length >= 6 && worker.homeRegionCode.startsWith(course.regionCode.slice(0, 6));
  const sameCity = (course: OpenCourse) => worker.homeRegionCode.startsWith(course.regionCode.slice(0, 4));
  for (const near of [sameCounty, sameCity]) {
    const reachable = courses.filter((course) => near(course) && usable(course));
    // courses are in start order: the first fitting one, else the first.
    const best = reachable.find(fits) ?? reachable[0];
    if (best) return best;
  }
  return undefined;
}

export interface TrainingCoverage {
  /** workers who want training */
  wanting: number;
  /** of whom offered a free course this calendar year (China time) */
  offeredFree: number;
}

/** The promise as a figure: of the workers who want training (in a region), how many were offered a free course this year. */
export async function trainingCoverage(db: PrismaClient, options: { regionCode?: string; now: Date }): Promise<TrainingCoverage> {
  const [row] = await db.$queryRawUnsafe<{ wanting: number; offeredFree: number }[]>(
    `SELECT count(*)::int AS wanting, count(*) FILTER (WHERE ${OFFERED_FREE_SINCE(2)})::int AS "offeredFree"
     FROM "Worker" w WHERE w."wantsTraining" = true AND coalesce(w."homeRegionCode", '') LIKE $1`,
    `${options.regionCode ?? ""}%`,
    chinaYearStart(options.now),
  );
  return row ?? { wanting: 0, offeredFree: 0 };
}

/** The promise job's next run: tomorrow (or today) at promiseHour China time. */
export const nextPromiseAt = (now: Date) => nextChinaHour(now, TRAINING_LIMITS.promiseHour);
