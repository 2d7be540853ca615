// Job push: when a vacancy opens (and each morning for vacancies that still need people), its best
// candidates hear of it on their channel, one SMS each: the job, the place, the pay, why it fits,
// and "回复1报名". Candidates come from matching (hard constraints as filters; workers never pushed a
// job before first, as the policy promises everyone who wants work away from home at least one
// matched push). Opted-out workers, workers at their weekly cap and workers already pushed this
// vacancy are left out. The fan-out is a durable job and restart-safe: each notice's key is
// job_push:<vacancy>:<worker>, so a run killed half-way and run again sends each chosen worker
// exactly one push.
import { inTransaction, type VerbContext } from "./context.ts";
import { jobPushBody, nearnessText } from "../wording/notices.ts";
import type { Tx } from "../db/client.ts";
import { noticeKeys } from "../shared/keys.ts";
import { jobName, matchCandidatesForVacancy } from "../../matching/match.ts";
import { boardText, payText } from "../shared/postings.ts";
import { chinaDayStart, nextChinaHour } from "../shared/china-time.ts";
import { placeName } from "./region-lookup.ts";
import { noticeWorkers, type WorkerNotice } from "./outreach.ts";
import { vacancyForIndex } from "./search-sync.ts";
import { queueJobs } from "../queue/queue.ts";

export const PUSH_LIMITS = {
  /** matched pushes one worker gets in seven days, whatever the vacancies */
  weeklyPerWorker: 3,
  /** candidates chosen per opening (headcount): enough that the places fill, few enough to respect people's attention */
  candidatesPerOpening: 20,
  /** candidates for a vacancy that names no headcount */
  withoutHeadcount: 60,
  /** workers per transaction while queueing */
  batchSize: 500,
} as const;

const WEEK_MS = 7 * 24 * 3600 * 1000;


export interface PushRun {
  /** candidates matching offered */
  candidates: number;
  /** notices queued by this run */
  queued: number;
  /** left out: already pushed this vacancy, at their weekly cap, or unreachable */
  skipped: number;
}

/** Pushes one vacancy to its best candidates not yet told of it. Idempotent; safe to run again. */
export async function pushVacancy(ctx: VerbContext, vacancyId: string, options: { limit?: number; batchSize?: number } = {}): Promise<PushRun> {
  const prisma = ctx.db;
  const now = ctx.clock();
  const vacancy = await prisma.vacancy.findUnique({ where: { id: vacancyId }, include: { employer: { select: { kind: true, name: true } } } });
  if (!vacancy || vacancy.status !== "open" || (vacancy.deadline && vacancy.deadline <= now)) return { candidates: 0, queued: 0, skipped: 0 };

  const hired = await prisma.application.count({ where: { vacancyId, status: "hired" } });
  const openings = vacancy.headcount === null ? null : Math.max(0, vacancy.headcount - hired);
  if (openings === 0) return { candidates: 0, queued: 0, skipped: 0 };
  const wanted = options.limit ?? (openings === null ? PUSH_LIMITS.withoutHeadcount : openings * PUSH_LIMITS.candidatesPerOpening);

  // Those already told or already applied are not candidates again; the notice key guards a race.
  // Each China day (the opening, then each morning's digest) reaches up to `wanted` new workers: a
  // run killed and run again the same day tops up that day's share, never more.
  const [told, applied] = await Promise.all([
    prisma.notice.findMany({ where: { vacancyId, kind: "job_push" }, select: { workerId: true, createdAt: true } }),
    prisma.application.findMany({ where: { vacancyId }, select: { workerId: true } }),
  ]);
  const done = new Set([...told, ...applied].map((row) => row.workerId));
  const toldToday = told.filter((row) => row.createdAt >= chinaDayStart(now)).length;
  const matches = await matchCandidatesForVacancy(ctx.indexes, vacancyForIndex(vacancy), { limit: wanted + done.size, now });
  const fresh = matches.filter((match) => !done.has(match.workerId)).slice(0, Math.max(0, wanted - toldToday));

  const place = await placeName(prisma, vacancy.regionCode?.slice(0, 9) ?? null);
  const job = jobName(vacancy);
  const pay = vacancy.wageMin === null && vacancy.wageUnit !== "piece" ? "工资面议" : payText(vacancy);

  let queued = 0;
  const batchSize = options.batchSize ?? PUSH_LIMITS.batchSize;
  for (let start = 0; start < fresh.length; start += batchSize) {
    const batch = fresh.slice(start, start + batchSize);
    queued += await inTransaction(ctx, async ({ db: tx }) => {
      const workers = await tx.worker.findMany({
        where: { id: { in: batch.map((match) => match.workerId) } },
        select: { id: true, homeRegionCode: true, wishedOccupations: true },
      });
      const atCap = await workersAtWeeklyCap(tx, workers.map((worker) => worker.id), now);
      const notices: WorkerNotice[] = workers
        .filter((worker) => !atCap.has(worker.id))
        .map((worker) => {
          const wished = vacancy.occupationCode !== null && worker.wishedOccupations.includes(vacancy.occupationCode);
          const reason = [wished ? "是您想做的工作" : null, nearnessText(worker.homeRegionCode, vacancy.regionCode)].filter(Boolean).join("，");
          const facts = { job, place, pay, board: boardText(vacancy.housing, vacancy.meals), reason };
          return {
            kind: "job_push",
            key: noticeKeys.jobPush(vacancyId, worker.id),
            workerId: worker.id,
            regionCode: worker.homeRegionCode,
            vacancyId,
            purpose: "push",
            body: jobPushBody(facts),
            timeline: { kind: "push", data: { vacancyId, title: vacancy.title } },
          } satisfies WorkerNotice;
        });
      const keys = await noticeWorkers(tx, notices, now);
      // Ranking puts never-pushed workers first: their index entries learn they have been pushed.
      await queueJobs(tx, "index.worker", notices.filter((notice) => keys.has(notice.key)).map((notice) => ({ id: notice.workerId })));
      return keys.size;
    });
  }
  ctx.log.info({ vacancyId, candidates: matches.length, queued }, "vacancy pushed");
  return { candidates: matches.length, queued, skipped: fresh.length - queued };
}

async function workersAtWeeklyCap(tx: Tx, workerIds: string[], now: Date): Promise<Set<string>> {
  if (workerIds.length === 0) return new Set();
  // Two fan-outs (two vacancies, two processes) counting the same worker at once would both see
  // room under the cap: each takes the workers' locks first, always in the same order, until commit.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('push:' || id)) FROM (SELECT unnest($1::text[]) AS id ORDER BY 1) AS w`, workerIds);
  const rows = await tx.$queryRawUnsafe<{ workerId: string }[]>(
    `SELECT "workerId" FROM "Notice" WHERE kind = 'job_push' AND "workerId" = ANY($1::text[]) AND "createdAt" > $2
     GROUP BY "workerId" HAVING count(*) >= $3`,
    workerIds,
    new Date(now.getTime() - WEEK_MS),
    PUSH_LIMITS.weeklyPerWorker,
  );
  return new Set(rows.map((row) => row.workerId));
}

/** China time: the morning digest goes out at this hour, after quiet hours. */
const DIGEST_HOUR = 9;

/** When the next morning digest runs: today at 9:00 China time if that is still ahead, else tomorrow. */
export const nextDigestAt = (now: Date) => nextChinaHour(now, DIGEST_HOUR);

/**
 * The daily digest: every open vacancy that still needs people is pushed again, to candidates not
 * yet told of it (new workers, workers back under their cap). Queues one push job per vacancy.
 */
export async function queueDailyDigest(ctx: VerbContext): Promise<number> {
  const now = ctx.clock();
  const vacancies = await ctx.db.vacancy.findMany({
    where: { status: "open", OR: [{ deadline: null }, { deadline: { gt: now } }] },
    select: { id: true },
  });
  await queueJobs(ctx.db, "push.vacancy", vacancies.map(({ id }) => ({ vacancyId: id })));
  return vacancies.length;
}
