// One vacancy as the operator who follows it sees it: its best candidates with the reason each
// fits, who was told of it, who applied and who was hired. Only the workers of the operator's own
// regions are named; the others (a vacancy reaches workers of other counties) are counted.
import { matchCandidatesForVacancy, occupationLabel } from "../../matching/match.ts";
import { ANY_OPERATOR, canSeeRegion, verb, type VerbContext } from "./context.ts";
import { vacancyForIndex } from "./search-sync.ts";
import { visibleVacancy } from "./vacancies.ts";

const SHOWN = 50;

export const vacancyRecord = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, input: { vacancyId: string }) => {
  const visible = await visibleVacancy(ctx, input.vacancyId);
  const vacancy = await ctx.db.vacancy.findUniqueOrThrow({ where: { id: visible.id }, include: { employer: { select: { name: true, kind: true } } } });
  const [notices, applications] = await Promise.all([
    ctx.db.notice.findMany({
      where: { vacancyId: vacancy.id, kind: "job_push" },
      orderBy: { createdAt: "desc" },
      take: 500,
      select: { workerId: true, createdAt: true, sentAt: true, delivery: true, worker: { select: { name: true, homeRegionCode: true } } },
    }),
    ctx.db.application.findMany({
      where: { vacancyId: vacancy.id },
      orderBy: { createdAt: "desc" },
      take: 500,
      select: { workerId: true, status: true, createdAt: true, hiredAt: true, worker: { select: { name: true, homeRegionCode: true } } },
    }),
  ]);
  // Candidates only while the vacancy is open; the search engine away leaves them out, not the page.
  let candidates: { workerId: string; name: string; reason: string }[] | null = [];
  let candidatesElsewhere = 0;
  if (vacancy.status === "open") {
    const matches = await matchCandidatesForVacancy(ctx.indexes, vacancyForIndex(vacancy), { limit: SHOWN, now: ctx.clock() }).catch(() => null);
    if (matches === null) candidates = null;
    else {
      const workers = await ctx.db.worker.findMany({ where: { id: { in: matches.map((match) => match.workerId) } }, select: { id: true, name: true, homeRegionCode: true } });
      const byId = new Map(workers.map((worker) => [worker.id, worker]));
      const known = matches.flatMap((match) => {
        const worker = byId.get(match.workerId);
        return worker ? [{ ...match, worker }] : [];
      });
      candidates = known.filter((match) => canSeeRegion(ctx.actor, match.worker.homeRegionCode)).map((match) => ({ workerId: match.workerId, name: match.worker.name, reason: match.reason }));
      candidatesElsewhere = known.length - candidates.length;
    }
  }
  const mine = <T extends { worker: { homeRegionCode: string | null } }>(rows: T[]) => rows.filter((row) => canSeeRegion(ctx.actor, row.worker.homeRegionCode));
  const pushed = mine(notices);
  const applied = mine(applications);
  return {
    vacancy,
    occupation: vacancy.occupationCode ? occupationLabel(vacancy.occupationCode) : null,
    candidates,
    candidatesElsewhere,
    pushed,
    pushedElsewhere: notices.length - pushed.length,
    applications: applied,
    applicationsElsewhere: applications.length - applied.length,
    hired: applications.filter((application) => application.status === "hired").length,
  };
});
