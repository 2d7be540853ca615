// Enrolment (an operator for a worker, or the worker's own "1" to an offer), the reminder before
// the course, the trainees an operator may see, and completion.
import type { Db, Prisma, TrainingCourse, TrainingEnrolment } from "../../db/client.ts";
import { conflict, DomainError, forbidden } from "../../shared/errors.ts";
import { noticeKeys } from "../../shared/keys.ts";
import { actorId, ANY_OPERATOR, canSeeRegion, inScope, inTransaction, regionScope, verb, type VerbContext } from "../context.ts";
import { noticeWorkers } from "../outreach.ts";
import { placeName } from "../region-lookup.ts";
import { visibleWorker } from "../workers.ts";
import { HOLDS_SEAT, lockCourse, queueReminder, seatsTaken, takesEnrolments } from "./course-rules.ts";
import { visibleCourse } from "./catalogue.ts";
import { reminderParams, reminderText } from "../../wording/training.ts";
import type { TimelineKind } from "../timeline.ts";


export type EnrolResult =
  | { enrolled: TrainingEnrolment; course: TrainingCourse }
  | { already: TrainingEnrolment; course: TrainingCourse }
  | { full: true; course: TrainingCourse }
  | { closed: true; course: TrainingCourse | null };

/** The identity a timeline row about a worker hangs on: the one they last wrote from, if any. */
async function timelineIdentities(tx: Db, workerIds: string[]): Promise<Map<string, string>> {
  const identities = await tx.channelIdentity.findMany({
    where: { workerId: { in: workerIds } },
    orderBy: { lastInboundAt: { sort: "desc", nulls: "last" } },
    select: { id: true, workerId: true },
  });
  const byWorker = new Map<string, string>();
  for (const identity of identities) if (!byWorker.has(identity.workerId!)) byWorker.set(identity.workerId!, identity.id);
  return byWorker;
}

/**
 * Enrols a worker (an operator for them, or the worker's own "1" to an offer). The course row is
 * locked for the count, so two last-seat enrolments cannot both win. A course that is not open or
 * has started takes no one; a dropped enrolment can be taken up again while seats remain.
 * Records "training_enrolled" on the worker's timeline and queues the reminder.
 */
export async function enrolInCourse(
  tx: Db,
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
      kind: "training_enrolled" satisfies TimelineKind,
      channel: input.channel ?? null,
      actorId: input.actorId ?? null,
      data: { courseId: course.id, enrolmentId: enrolment.id, title: course.title, source: input.source, startsAt: course.startsAt.toISOString() },
    },
  });
  await queueReminder(tx, course, input.workerId, input.now);
  return { enrolled: enrolment, course };
}

/** An operator enrols a worker of their regions; enrolling twice is not an error (`already`). */
export const enrolWorker = verb({ roles: ANY_OPERATOR, writes: true }, async (ctx: VerbContext, input: { courseId: string; workerId: string }) => {
  const course = await visibleCourse(ctx, input.courseId);
  const worker = await visibleWorker(ctx, input.workerId);
  const result = await enrolInCourse(ctx.db, { workerId: worker.id, courseId: course.id, source: "operator", now: ctx.clock(), ...(actorId(ctx.actor) ? { actorId: actorId(ctx.actor)! } : {}) });
  if ("full" in result) throw conflict(`the course is full (${result.course.seats} seats)`);
  if ("closed" in result) throw conflict("the course takes no enrolments: it is closed, cancelled or has started");
  return "already" in result ? { enrolment: result.already, already: true } : { enrolment: result.enrolled, already: false };
});

/** A course's trainees: of those, only the workers in the actor's regions. */
export const courseEnrolments = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { courseId: string }) => {
  const course = await visibleCourse(ctx, input.courseId);
  const scope = regionScope(ctx.actor);
  return ctx.db.trainingEnrolment.findMany({
    where: { courseId: course.id, ...(scope ? { worker: inScope(scope, "homeRegionCode") } : {}) },
    include: { worker: { select: { name: true } } },
    orderBy: [{ enrolledAt: "asc" }, { id: "asc" }],
  });
});

/**
 * The reminder, when its time comes: only while the worker is still enrolled and the course still
 * ahead. Purpose "notice": it is about the worker's own enrolment, not marketing, so it goes even
 * to a worker who turned pushes off (quiet hours still hold).
 */
export async function remindEnrolledWorker(ctx: VerbContext, courseId: string, workerId: string): Promise<boolean> {
  const prisma = ctx.db;
  const now = ctx.clock();
  const enrolment = await prisma.trainingEnrolment.findUnique({
    where: { courseId_workerId: { courseId, workerId } },
    include: { course: true, worker: { select: { homeRegionCode: true } } },
  });
  if (!enrolment || enrolment.status !== "enrolled") return false;
  const { course } = enrolment;
  if (course.status === "cancelled" || course.startsAt <= now) return false;
  const place = await placeName(prisma, course.regionCode?.slice(0, 9) ?? null);
  const where = course.address ? `${place}${course.address}` : place;
  const facts = { title: course.title, startsAt: course.startsAt, where };
  const queued = await inTransaction(ctx, ({ db: tx }) =>
    noticeWorkers(tx, [
      {
        kind: "training_reminder",
        key: noticeKeys.trainingReminder(courseId, workerId, course.startsAt),
        workerId,
        regionCode: enrolment.worker.homeRegionCode,
        courseId,
        purpose: "notice",
        body: { text: reminderText(facts), template: "training_reminder", params: reminderParams(facts) },
        timeline: { kind: "notice", data: { about: "training_reminder", courseId } },
      },
    ], now),
  );
  return queued.size > 0;
}

/**
 * The operator records who finished a course (and the certificate, if one was given): all of the
 * named workers or none. Writes "training_completed" on each worker's timeline.
 */
export const recordCompletions = verb(
  { roles: ANY_OPERATOR, writes: true },
  async (ctx: VerbContext, input: { courseId: string; workerIds: string[]; certificate?: string | undefined }): Promise<TrainingEnrolment[]> => {
    await visibleCourse(ctx, input.courseId);
    const workers = await ctx.db.worker.findMany({ where: { id: { in: input.workerIds } }, select: { id: true, homeRegionCode: true } });
    const unknown = input.workerIds.filter((id) => !workers.some((worker) => worker.id === id));
    if (unknown.length > 0) throw new DomainError("not_found", `${unknown.length} of the workers were not found`, { workerIds: unknown });
    const outside = workers.filter((worker) => !canSeeRegion(ctx.actor, worker.homeRegionCode)).map((worker) => worker.id);
    if (outside.length > 0) throw forbidden(`${outside.length} of the workers are outside your regions`, { workerIds: outside });
    const tx = ctx.db;
    const now = ctx.clock();
    await lockCourse(tx, input.courseId);
    const course = await tx.trainingCourse.findUniqueOrThrow({ where: { id: input.courseId } });
    if (course.status === "cancelled") throw conflict("the course was cancelled: nobody can have completed it");
    if (course.startsAt > now) throw conflict("the course has not started yet");
    const enrolments = await tx.trainingEnrolment.findMany({ where: { courseId: input.courseId, workerId: { in: input.workerIds }, status: { in: [...HOLDS_SEAT] } } });
    const found = new Set(enrolments.map((enrolment) => enrolment.workerId));
    const notEnrolled = input.workerIds.filter((id) => !found.has(id));
    if (notEnrolled.length > 0) throw conflict(`${notEnrolled.length} of the workers are not enrolled in this course: nothing was recorded`, { workerIds: notEnrolled });
    // Already completed stays as first recorded: the date a certificate was earned does not move.
    const fresh = enrolments.filter((enrolment) => enrolment.status === "enrolled");
    await tx.trainingEnrolment.updateMany({
      where: { id: { in: fresh.map((enrolment) => enrolment.id) } },
      data: { status: "completed", completedAt: now, certificate: input.certificate ?? null },
    });
    const identities = await timelineIdentities(tx, fresh.map((enrolment) => enrolment.workerId));
    await tx.planEvent.createMany({
      data: fresh.map((enrolment) => ({
        at: now,
        workerId: enrolment.workerId,
        identityId: identities.get(enrolment.workerId) ?? null,
        kind: "training_completed" satisfies TimelineKind,
        actorId: actorId(ctx.actor),
        data: { courseId: course.id, enrolmentId: enrolment.id, title: course.title, occupationCode: course.occupationCode, certificate: input.certificate ?? null } as Prisma.InputJsonValue,
      })),
    });
    return tx.trainingEnrolment.findMany({ where: { id: { in: enrolments.map((enrolment) => enrolment.id) } }, orderBy: { workerId: "asc" } });
  },
);

