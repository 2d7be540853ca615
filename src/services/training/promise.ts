// The policy's promise (sources 000, 003): every worker who wants training is offered at least one
// free course a year. A daily job offers the nearest free course to anyone still without one; a job
// lost brings an offer too, whether or not the worker asked for training.
import { type VerbContext, inTransaction } from "../context.ts";
import type { Db, TrainingCourse } from "../../db/client.ts";
import { chinaYearStart } from "../../shared/china-time.ts";
import { noticeWorkers, type WorkerNotice } from "../outreach.ts";
import { queueJob } from "../../queue/queue.ts";
import type { SqlRunner } from "../../db/sql.ts";
import { reachOf, seatsTaken, TRAINING_LIMITS } from "./course-rules.ts";
import { courseWords, offerFacts, offerNotice, OFFERED_FREE_SINCE, WANTS_TRAINING_NEARBY } from "./offers.ts";
import type { OfferFacts } from "../../wording/training.ts";

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
export async function keepTrainingPromise(ctx: VerbContext, options: { batchSize?: number; workerId?: string } = {}): Promise<PromiseRun> {
  const prisma = ctx.db;
  const now = ctx.clock();
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
         AND ($5::text IS NULL OR w.id = $5)
       ORDER BY w.id LIMIT $4`,
      reaches,
      after,
      yearStart,
      batchSize,
      options.workerId ?? null,
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
    const keys = await inTransaction(ctx, ({ db: tx }) => noticeWorkers(tx, notices, now));
    // A notice that did not go (its key taken in a race) gives its place back.
    for (const notice of notices) if (!keys.has(notice.key)) chosenCourse.get(notice.workerId)!.room += 1;
    offered += keys.size;
  }
  ctx.log.info({ considered, offered }, "training promise kept");
  return { considered, offered };
}

/**
 * A worker who has just said they want training (registering, or changing it later) hears of the
 * nearest course now, not at the next daily run: the promise kept for them alone, once the change is
 * committed. Queued in the transaction that records the wish.
 */
export async function offerTrainingSoon(db: Db | SqlRunner, workerId: string): Promise<void> {
  await queueJob(db, "training.promise_to", { workerId });
}

/** Free courses that take enrolments and have room for more offers, soonest first; only those in `within` (a region code) when given. */
async function openFreeCourses(prisma: Db, now: Date, within?: string): Promise<OpenCourse[]> {
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
export async function offerTrainingAfterJobLoss(ctx: VerbContext, workerId: string): Promise<boolean> {
  const prisma = ctx.db;
  const now = ctx.clock();
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
  const keys = await inTransaction(ctx, ({ db: tx }) => noticeWorkers(tx, [offerNotice(course, course.facts, worker, "job_loss")], now));
  return keys.size > 0;
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

