// Offers of a course to the workers who want training near it ("回复1报名"): those it fits and those
// not yet offered a free course this year first, up to offersPerSeat × seats. Every offer is a
// notice keyed training_offer:<course>:<worker>, so a job killed half-way and run again tells
// nobody twice.
import { type VerbContext, inTransaction } from "../context.ts";
import { midCategory, occupationByCode } from "../../../matching/occupations.ts";
import type { AppDeps } from "../../deps.ts";
import type { Db, TrainingCourse } from "../../db/client.ts";
import { chinaYearStart } from "../../shared/china-time.ts";
import { noticeKeys } from "../../shared/keys.ts";
import { noticeWorkers, type WorkerNotice } from "../outreach.ts";
import { placeName } from "../region-lookup.ts";
import { reachOf, seatsTaken, takesEnrolments, TRAINING_LIMITS, WITHIN_REACH_EMPLOYMENT } from "./course-rules.ts";
import { offerParams, offerText, type OfferFacts } from "../../wording/training.ts";

export type TrainingDeps = Pick<AppDeps, "prisma" | "log" | "clock" | "outboxQueued">;

export interface OfferRun {
  /** workers chosen for this run */
  chosen: number;
  /** notices queued by this run */
  queued: number;
}

/** What "fits" a course in a worker's words: its occupation's everyday names and the title without 培训/班. */
export function courseWords(course: Pick<TrainingCourse, "title" | "occupationCode">): string[] {
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
export const WANTS_TRAINING_NEARBY = `w."wantsTraining" = true
  AND w."employmentStatus"::text IN (${WITHIN_REACH_EMPLOYMENT.map((status) => `'${status}'`).join(", ")})
  AND EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."workerId" = w.id AND i."optedOutAt" IS NULL
              AND (i."lastInboundAt" IS NOT NULL OR i.channel = 'sms'))`;

/** Has the worker had an offer of a free course since `$y` (the year's start)? */
export const OFFERED_FREE_SINCE = (y: number) => `EXISTS (SELECT 1 FROM "Notice" n JOIN "TrainingCourse" c ON c.id = n."courseId"
  WHERE n."workerId" = w.id AND n.kind = 'training_offer' AND c.free AND n."createdAt" >= $${y})`;

export function offerNotice(course: TrainingCourse, facts: OfferFacts, worker: { id: string; homeRegionCode: string | null }, via: "course" | "promise" | "job_loss"): WorkerNotice {
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

export async function offerFacts(db: Db, course: TrainingCourse): Promise<OfferFacts> {
  return { title: course.title, place: await placeName(db, course.regionCode?.slice(0, 9) ?? null), startsAt: course.startsAt, free: course.free, subsidyYuan: course.subsidyYuan, livingAllowance: course.livingAllowance };
}

/**
 * Offers a course to the workers within reach who want training, those it fits and those not yet
 * offered a free course this year first, up to `offersPerSeat` × seats offers in all. Idempotent:
 * those already offered are not chosen again, and the notice key guards a race.
 */
export async function offerCourse(ctx: VerbContext, courseId: string, options: { batchSize?: number } = {}): Promise<OfferRun> {
  const prisma = ctx.db;
  const now = ctx.clock();
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
    queued += (await inTransaction(ctx, ({ db: tx }) => noticeWorkers(tx, batch.map((worker) => offerNotice(course, facts, worker, "course")), now))).size;
  }
  ctx.log.info({ courseId, chosen: chosen.length, queued }, "course offered");
  return { chosen: chosen.length, queued };
}

