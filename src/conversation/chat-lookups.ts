// What the conversation engine may ask the records about the person it talks to: the jobs that fit
// a worker (ranked by matching over Meilisearch), one job's details, an employer's vacancies and
// their applicants. Read-only; each answer is already shaped for a chat line and masked as the
// reader's role needs (an applicant's phone only in full once the worker agreed to share it).
import type { Db } from "../db/client.ts";
import { jobName, matchJobsForWorker, occupationLabel, type Feedback } from "../../matching/match.ts";
import type { WorkerProfile } from "../../matching/documents.ts";
import { prepared, type SqlRunner } from "../db/sql.ts";
import type { AppDeps } from "../deps.ts";
import { payText, textGist } from "../shared/postings.ts";
import type { ApplicantView, EmployerVacancy, JobFeedback, JobLine, Lookups, MyApplication, VacancyView } from "../engine/index.ts";
import { ageOn } from "../shared/identifiers.ts";
import { phoneCodeCheck } from "../services/phone-link.ts";
import { rosterCodeCheck, rosterPersonNamed } from "../services/roster/reach.ts";
import { benefitsViewFor } from "../services/policies.ts";
import { NO_BENEFITS } from "../policies/index.ts";
import { placeName, placeNames } from "../services/region-lookup.ts";


/** Longest list line: the job and its reason, one SMS line with its number. */
const LINE_MAX = 30;

/** A job as one list line: what it is (jobName) and why it fits. */
export function jobLine(vacancy: { title: string; occupationCode: string | null }, reason: string): string {
  const what = jobName(vacancy);
  // The reason opens with the occupation's name for a wished job: the line names the job once.
  const label = vacancy.occupationCode ? occupationLabel(vacancy.occupationCode) : null;
  const rest = label && reason.startsWith(label) ? reason.slice(label.length).replace(/^·/u, "") : reason;
  const line = rest ? `${what}·${rest}` : what;
  return line.length <= LINE_MAX ? line : line.slice(0, LINE_MAX);
}

/**
 * An open vacancy and its employer as a worker reads them (the job they picked from a list), in one
 * prepared statement beside the place's name: a turn of someone looking through jobs, which through
 * Prisma cost several times what the statement does. $1 the vacancy, $2 now (one past its deadline
 * is no longer shown).
 */
const VACANCY_VIEW = prepared(
  "chat_vacancy_view",
  `SELECT v.id, v.title, v."occupationCode", coalesce(e.name, v."employerName") AS "employerName", e.kind::text AS "employerKind",
     left(v."regionCode", 9) AS "placeCode", v."wageMin", v."wageMax", v."wageUnit"::text AS "wageUnit", v."ageMin", v."ageMax",
     v.sex::text AS sex, v.housing, v.meals, v.insurance, v.headcount, v.hours, v.physical AS requirements, v.description
   FROM "Vacancy" v LEFT JOIN "Employer" e ON e.id = v."employerId"
   WHERE v.id = $1 AND v.status = 'open' AND (v.deadline IS NULL OR v.deadline > $2)`,
);
type VacancyRow = Omit<VacancyView, "placeName" | "payText" | "gist"> & { placeCode: string | null; description: string | null } & Parameters<typeof payText>[0];

/** An open vacancy as a worker reads it; null when it is closed, filled or past its deadline. */
export async function vacancyView(sql: SqlRunner, id: string, now: Date): Promise<VacancyView | null> {
  const [vacancy] = await sql.query<VacancyRow>(VACANCY_VIEW, [id, now]);
  if (!vacancy) return null;
  const { placeCode, wageMin, wageMax, wageUnit, description, ...shown } = vacancy;
  const place = await placeName(sql, placeCode);
  return {
    ...shown,
    placeName: place || null,
    // The chat's own vacancies say their requirements; another's text is shown by its start.
    gist: !shown.requirements && description ? textGist(description) : null,
    payText: wageMin === null && wageUnit !== "piece" ? null : payText({ wageMin, wageMax, wageUnit }),
  };
}

/** 我的报名: the worker's latest applications and whether each vacancy still takes people. $1 the worker, $2 now. */
const MY_APPLICATIONS = prepared(
  "chat_my_applications",
  `SELECT v.title, coalesce(e.name, v."employerName") AS "employerName", a.status::text AS status,
     (v.status = 'open' AND (v.deadline IS NULL OR v.deadline > $2)) AS "vacancyOpen"
   FROM "Application" a JOIN "Vacancy" v ON v.id = a."vacancyId" LEFT JOIN "Employer" e ON e.id = v."employerId"
   WHERE a."workerId" = $1 ORDER BY a."createdAt" DESC LIMIT 5`,
);

/** How many of a worker's "不合适" keep lowering similar jobs: the latest. */
const FEEDBACK_KEPT = 20;

/**
 * What a job search needs to know about the worker, in one prepared statement (a search is most
 * turns of someone looking through jobs): the profile matching reads, the vacancies they applied
 * for (not shown again), and the "不合适" they gave before, latest first. $1 the worker, $2 how many
 * of those.
 */
const JOB_SEARCH_CONTEXT = prepared(
  "chat_job_search_context",
  `SELECT w.id, w."birthDate"::text AS "birthDate", w.sex, w."homeRegionCode", w.categories, w."wishedOccupations", w."workRange", w."wageFloor",
     ARRAY(SELECT a."vacancyId" FROM "Application" a WHERE a."workerId" = w.id) AS applied,
     (SELECT coalesce(jsonb_agg(d.data ORDER BY d.seq DESC), '[]')
      FROM (SELECT e.data, e.seq FROM "PlanEvent" e WHERE e."workerId" = w.id AND e.kind = 'job_declined' ORDER BY e.seq DESC LIMIT $2) d) AS feedback
   FROM "Worker" w WHERE w.id = $1`,
);
type JobSearchContext = WorkerProfile & { applied: string[]; feedback: unknown[] };

/** The lines of the matched vacancies the database still has ($1 their ids). */
const JOB_LINES = prepared("chat_job_lines", `SELECT id, title, "occupationCode" FROM "Vacancy" WHERE id = ANY($1::text[])`);

async function findJobs(deps: AppDeps, workerId: string, options: { exclude: readonly string[]; feedback: readonly JobFeedback[]; limit: number }): Promise<JobLine[] | null> {
  const [worker] = await deps.sql.query<JobSearchContext>(JOB_SEARCH_CONTEXT, [workerId, FEEDBACK_KEPT]);
  if (!worker) return [];
  const feedback = worker.feedback.filter((item): item is Feedback => typeof (item as Feedback | null)?.reason === "string");
  let matches;
  try {
    matches = await matchJobsForWorker(deps.indexes, worker, {
      limit: options.limit,
      now: deps.clock(),
      exclude: [...options.exclude, ...worker.applied],
      feedback: [...feedback, ...options.feedback],
    });
  } catch (error) {
    deps.log.warn({ err: error }, "job search failed: the search engine does not answer");
    return null;
  }
  const vacancies = matches.length > 0 ? await deps.sql.query<{ id: string; title: string; occupationCode: string | null }>(JOB_LINES, [matches.map((match) => match.vacancyId)]) : [];
  const byId = new Map(vacancies.map((vacancy) => [vacancy.id, vacancy]));
  // The index may still hold a vacancy the database has dropped: the database decides.
  return matches.flatMap((match) => {
    const vacancy = byId.get(match.vacancyId);
    return vacancy ? [{ vacancyId: vacancy.id, line: jobLine(vacancy, match.reason) }] : [];
  });
}

/** An employer's vacancies, newest first: the numbers of 我的岗位 and 关闭 N. */
export async function employerVacancies(db: Db, employerId: string): Promise<EmployerVacancy[]> {
  const vacancies = await db.vacancy.findMany({
    where: { employerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 8,
    select: { id: true, title: true, status: true, applications: { select: { status: true } } },
  });
  return vacancies.map((vacancy) => ({
    id: vacancy.id,
    title: vacancy.title,
    status: vacancy.status,
    applicants: vacancy.applications.length,
    hired: vacancy.applications.filter((application) => application.status === "hired").length,
  }));
}

async function applicants(deps: AppDeps, employerId: string, vacancyId: string): Promise<ApplicantView[]> {
  const applications = await deps.prisma.application.findMany({
    // Only the employer's own vacancy: the id came from their own list, but the records decide.
    where: { vacancyId, vacancy: { employerId } },
    orderBy: { createdAt: "asc" },
    include: { worker: { select: { name: true, birthDate: true, homeRegionCode: true, phoneEnc: true, phoneMasked: true } } },
  });
  const now = deps.clock();
  const places = await placeNames(deps.prisma, applications.map((application) => application.worker.homeRegionCode));
  return applications.map(({ id, status, sharePhone, worker }) => {
    const place = worker.homeRegionCode ? places.get(worker.homeRegionCode) : undefined;
    return {
      applicationId: id,
      name: worker.name,
      age: worker.birthDate ? ageOn(worker.birthDate.toISOString().slice(0, 10), now) : null,
      // The village's own name is enough for an employer nearby: 莆东村 rather than the whole line.
      placeName: place ? place.replace(/^.+?(县|区|市)/u, "").replace(/^.+?(镇|乡|街道)/u, "") || place : null,
      // As people dial it: 13812345678, not +8613812345678.
      phone: sharePhone && worker.phoneEnc ? deps.pii.decrypt(worker.phoneEnc).replace(/^\+86/, "") : (worker.phoneMasked ?? "未留电话"),
      status,
    };
  });
}

/** The engine's look-ups for one turn: places for everyone, jobs for a worker, vacancies for an employer. */
export function personLookups(
  deps: AppDeps,
  regions: Pick<Lookups, "findRegions" | "childrenOf">,
  person: { identityId: string; workerId: string | null; employerId: string | null },
): Lookups {
  const now = () => deps.clock();
  return {
    ...regions,
    findJobs: (options) => (person.workerId ? findJobs(deps, person.workerId, options) : Promise.resolve([])),
    vacancy: (id) => vacancyView(deps.sql, id, now()),
    employerVacancies: () => (person.employerId ? employerVacancies(deps.prisma, person.employerId) : Promise.resolve([])),
    applicants: (vacancyId) => (person.employerId ? applicants(deps, person.employerId, vacancyId) : Promise.resolve([])),
    myApplications: () => (person.workerId ? deps.sql.query<MyApplication>(MY_APPLICATIONS, [person.workerId, now()]) : Promise.resolve([])),
    checkPhoneCode: (phone, code) => phoneCodeCheck(deps.prisma, deps.pii, person.identityId, phone, code, now()),
    rosterPerson: (name, idNumber) => rosterPersonNamed(deps.prisma, deps.pii, name, idNumber),
    checkRosterCode: (rosterKey, code) => rosterCodeCheck(deps.prisma, deps.pii, person.identityId, rosterKey, code, now()),
    benefits: (told, forget) => (person.workerId ? benefitsViewFor(deps.sql, deps.prisma, deps.policies, person.workerId, now(), told, forget) : Promise.resolve(NO_BENEFITS)),
  };
}
