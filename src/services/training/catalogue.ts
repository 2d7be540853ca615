// The training catalogue operators keep (职业培训). Any operator keeps courses in their own regions
// (administrators anywhere); an operator sees the courses inside their regions and those run for a
// wider region that covers them (a city's course, for a township coordinator). An open course is
// offered to workers at once; a cancelled one is final, and its trainees are told.
import { z } from "zod";
import { normalizeTitle } from "../../../matching/occupations.ts";
import { chinaInstant } from "../../shared/china-time.ts";
import type { Db, Prisma, TrainingCourse } from "../../db/client.ts";
import { noticeKeys } from "../../shared/keys.ts";
import { conflict, forbidden, invalid, notFound } from "../../shared/errors.ts";
import { type Actor, ANY_OPERATOR, canSeeRegion, regionRange, regionScope, requireRegion, verb, type VerbContext } from "../context.ts";
import { noticeWorkers } from "../outreach.ts";
import { lockCourse, queueOffers, queueReminder, reachOf, seatsTaken } from "./course-rules.ts";
import { cancellationBody } from "../../wording/training.ts";


const courseRegion = z.string().regex(/^(\d{4}|\d{6}|\d{9})$/, "a city (4 digits), county (6) or township (9) code: where the course takes place");

/** A new course as any door takes it (the API's body, the console's form). */
export const courseInputSchema = z
  .object({
    title: z.string().trim().min(2).max(40),
    occupationCode: z
      .string()
      .regex(/^\d-\d{2}-\d{2}-\d{2}$/, "an occupation code such as 4-10-01-06")
      .optional()
      .describe("read from the title when absent"),
    regionCode: courseRegion,
    address: z.string().trim().min(1).max(100).optional(),
    startsAt: chinaInstant,
    endsAt: chinaInstant.optional(),
    seats: z.number().int().min(1).max(10_000),
    free: z.boolean().default(true).describe("free to trainees; false when subsidised"),
    subsidyYuan: z.number().int().min(1).max(100_000).optional().describe("yuan per trainee paid by the state"),
    livingAllowance: z.number().int().min(1).max(1_000).optional().describe("yuan per day to trainees from poor households"),
    status: z.enum(["open", "closed"]).default("open").describe("an open course is offered to workers at once"),
  })
  .refine((course) => !course.endsAt || course.endsAt >= course.startsAt, { message: "endsAt is before startsAt", path: ["endsAt"] })
  .refine((course) => course.free || course.subsidyYuan !== undefined, { message: "a course that is not free names its subsidy (subsidyYuan)", path: ["subsidyYuan"] });

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

/** The wider regions a code lies in (350622103 → 35, 3506, 350622): their courses reach it. */
const enclosingRegions = (code: string) => [2, 4, 6, 9].filter((length) => length < code.length).map((length) => code.slice(0, length));

/** Courses a scope sees: inside it, or run for a region that holds part of it. */
function visibleCourses(scope: string[] | null): Prisma.TrainingCourseWhereInput {
  if (scope === null) return {};
  return { OR: [...scope.map((prefix) => ({ regionCode: regionRange(prefix) })), { regionCode: { in: scope.flatMap(enclosingRegions) } }] };
}

const canSeeCourse = (actor: Actor, course: TrainingCourse) =>
  canSeeRegion(actor, course.regionCode) ||
  (actor.kind === "operator" && course.regionCode !== null && actor.regionCodes.some((scope) => enclosingRegions(scope).includes(course.regionCode!)));

/** A course by id that the actor may see: not found, or forbidden outside their regions. */
export async function visibleCourse(ctx: VerbContext, courseId: string): Promise<TrainingCourse> {
  const course = await ctx.db.trainingCourse.findUnique({ where: { id: courseId } });
  if (!course) throw notFound("course");
  if (!canSeeCourse(ctx.actor, course)) throw forbidden(`region ${course.regionCode ?? "(none)"} is outside your regions`);
  return course;
}

export type CourseWithSeats = TrainingCourse & { seatsTaken: number };

async function withSeats(db: Db, courses: TrainingCourse[]): Promise<CourseWithSeats[]> {
  const taken = await seatsTaken(db, courses.map((course) => course.id));
  return courses.map((course) => ({ ...course, seatsTaken: taken.get(course.id) ?? 0 }));
}

/** The courses the actor sees, soonest first. */
export const listCourses = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: { region?: string | undefined; status?: TrainingCourse["status"] | undefined; limit: number }) => {
  const scope = regionScope(ctx.actor, query.region);
  const courses = await ctx.db.trainingCourse.findMany({
    where: { ...visibleCourses(scope), ...(query.status ? { status: query.status } : {}) },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: query.limit,
  });
  return withSeats(ctx.db, courses);
});

export const showCourse = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { courseId: string }) => {
  const [course] = await withSeats(ctx.db, [await visibleCourse(ctx, input.courseId)]);
  return course!;
});

/**
 * Records a course; an open one queues its offers in the same transaction, so a course is never
 * open without its workers hearing of it.
 */
export const createCourse = verb({ roles: ANY_OPERATOR, writes: true }, async (ctx: VerbContext, input: CourseInput): Promise<TrainingCourse> => {
  // Its offers reach the course's whole county (or city): that is the region the caller needs.
  requireRegion(ctx.actor, reachOf(input.regionCode));
  const now = ctx.clock();
  if (input.status === "open" && input.startsAt <= now) {
    throw invalid("an open course must start in the future; record a past course with status closed");
  }
  const region = await ctx.db.region.findUnique({ where: { code: input.regionCode }, select: { code: true } });
  if (!region) throw invalid(`region ${input.regionCode} is not a known region code`);
  const course = await ctx.db.trainingCourse.create({
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
  if (course.status === "open") await queueOffers(ctx.db, course.id);
  return course;
});


/**
 * Closes, cancels, reopens a course or changes its seats, dates or address. A cancelled course is
 * final; seats cannot drop below those taken. Reopening or adding seats offers the course again (to
 * workers not yet told of it); new dates move the enrolled workers' reminders.
 */
export const changeCourse = verb({ roles: ANY_OPERATOR, writes: true }, async (ctx: VerbContext, input: { courseId: string; patch: CoursePatch }): Promise<TrainingCourse> => {
  const { patch } = input;
  const id = input.courseId;
  const tx = ctx.db;
  const now = ctx.clock();
  const existing = await tx.trainingCourse.findUnique({ where: { id } });
  if (!existing) throw notFound("course");
  // Changing a course is for the operators of all it reaches: reopening or adding seats offers it again.
  requireRegion(ctx.actor, existing.regionCode ? reachOf(existing.regionCode) : null);
  await lockCourse(tx, id);
  const before = await tx.trainingCourse.findUniqueOrThrow({ where: { id } });
  if (before.status === "cancelled") throw conflict("the course is cancelled; create a new one instead");
  const startsAt = patch.startsAt ?? before.startsAt;
  const endsAt = patch.endsAt === undefined ? before.endsAt : patch.endsAt;
  if (endsAt && endsAt < startsAt) throw invalid("endsAt is before startsAt");
  const status = patch.status ?? before.status;
  // Only a course being opened or moved must start ahead: a running course may still get a seat.
  if (status === "open" && (patch.status === "open" || patch.startsAt) && startsAt <= now) {
    throw conflict("an open course must start in the future");
  }
  const taken = (await seatsTaken(tx, [id])).get(id) ?? 0;
  if (patch.seats !== undefined && patch.seats < taken) {
    throw conflict(`${taken} workers are already enrolled: seats cannot be fewer`);
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


/** Tells everyone enrolled in a course that it will not take place. */
async function noticeCancellation(tx: Db, course: TrainingCourse, now: Date): Promise<void> {
  const enrolled = await tx.trainingEnrolment.findMany({ where: { courseId: course.id, status: "enrolled" }, include: { worker: { select: { homeRegionCode: true } } } });
  await noticeWorkers(
    tx,
    enrolled.map((enrolment) => ({
      kind: "training_cancelled" as const,
      key: noticeKeys.trainingCancelled(course.id, enrolment.workerId),
      workerId: enrolment.workerId,
      regionCode: enrolment.worker.homeRegionCode,
      courseId: course.id,
      purpose: "notice" as const,
      body: cancellationBody(course),
      timeline: { kind: "notice", data: { about: "training_cancelled", courseId: course.id } },
    })),
    now,
  );
}

