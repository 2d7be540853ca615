// What every part of training shares: the limits, where a course reaches, when its reminder goes,
// whether it takes enrolments, its seats (counted under the course row's lock), and the jobs that
// offer it and remind its trainees.
import type { Db, TrainingCourse } from "../../db/client.ts";
import { queueJob } from "../../queue/queue.ts";
import { chinaDayStart, nextChinaHour } from "../../shared/china-time.ts";

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


export const DAY_MS = 24 * 3600 * 1000;
/** Employment that leaves a worker near home, able to attend a course there. */
export const WITHIN_REACH_EMPLOYMENT = ["seeking", "employedLocal"] as const;
/** Enrolments that hold a seat. */
export const HOLDS_SEAT = ["enrolled", "completed"] as const;

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

/** The promise job's next run: tomorrow (or today) at promiseHour China time. */
export const nextPromiseAt = (now: Date) => nextChinaHour(now, TRAINING_LIMITS.promiseHour);

/** Is a course taking enrolments now: open, not started. */
export const takesEnrolments = (course: TrainingCourse, now: Date) => course.status === "open" && course.startsAt > now;

/** Seats taken (enrolled or completed) per course. */
export async function seatsTaken(db: Db, courseIds: string[]): Promise<Map<string, number>> {
  if (courseIds.length === 0) return new Map();
  const rows = await db.trainingEnrolment.groupBy({
    by: ["courseId"],
    where: { courseId: { in: courseIds }, status: { in: [...HOLDS_SEAT] } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.courseId, row._count._all]));
}

/** Holds the course row until the transaction ends: seat counts and changes to it are taken one at a time. */
export async function lockCourse(tx: Db, courseId: string): Promise<void> {
  await tx.$queryRawUnsafe(`SELECT id FROM "TrainingCourse" WHERE id = $1 FOR UPDATE`, courseId);
}

export const queueOffers = (db: Db, courseId: string) => queueJob(db, "training.offer", { courseId });

export async function queueReminder(db: Db, course: Pick<TrainingCourse, "id" | "startsAt">, workerId: string, now: Date): Promise<void> {
  await queueJob(db, "training.reminder", { courseId: course.id, workerId }, reminderAt(course.startsAt, now));
}
