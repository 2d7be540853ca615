// The training catalogue, enrolments and completions (operator API). Any operator may keep courses
// in their own regions (administrators anywhere); an operator sees the courses inside their regions
// and those run for a wider region that covers them (a city's course, for a township coordinator),
// and of a course's trainees only the workers of their own regions.
import { createRoute, z } from "@hono/zod-openapi";
import type { Prisma, PrismaClient, TrainingCourse, TrainingEnrolment } from "../db/client.ts";
import { createCourse, enrolInCourse, reachOf, recordCompletions, seatsTaken, updateCourse } from "../services/training.ts";
import { AppError, notFound } from "../shared/errors.ts";
import { assertRegionAccess, canSeeRegion, regionScope, requireOperator } from "./auth.ts";
import type { CallingOperator, Router } from "./context.ts";
import { bearer, errorSchema, notFoundError, operatorErrors } from "./schemas.ts";
import { chinaInstant } from "../shared/china-instant.ts";

const courseRegion = z
  .string()
  .regex(/^(\d{4}|\d{6}|\d{9})$/, "a city (4 digits), county (6) or township (9) code: where the course takes place")
  .openapi({ example: "350622" });

const courseInputSchema = z
  .object({
    title: z.string().trim().min(2).max(40).openapi({ example: "家政服务员培训班" }),
    occupationCode: z
      .string()
      .regex(/^\d-\d{2}-\d{2}-\d{2}$/, "an occupation code such as 4-10-01-06")
      .optional()
      .openapi({ description: "read from the title when absent" }),
    regionCode: courseRegion,
    address: z.string().trim().min(1).max(100).optional(),
    startsAt: chinaInstant,
    endsAt: chinaInstant.optional(),
    seats: z.number().int().min(1).max(10_000),
    free: z.boolean().default(true).openapi({ description: "free to trainees; false when subsidised" }),
    subsidyYuan: z.number().int().min(1).max(100_000).optional().openapi({ description: "yuan per trainee paid by the state" }),
    livingAllowance: z.number().int().min(1).max(1_000).optional().openapi({ description: "yuan per day to trainees from poor households" }),
    status: z.enum(["open", "closed"]).default("open").openapi({ description: "an open course is offered to workers at once" }),
  })
  .refine((course) => !course.endsAt || course.endsAt >= course.startsAt, { message: "endsAt is before startsAt", path: ["endsAt"] })
  .refine((course) => course.free || course.subsidyYuan !== undefined, { message: "a course that is not free names its subsidy (subsidyYuan)", path: ["subsidyYuan"] });

const coursePatchSchema = z
  .object({
    status: z.enum(["open", "closed", "cancelled"]),
    seats: z.number().int().min(1).max(10_000),
    startsAt: chinaInstant,
    endsAt: chinaInstant.nullable(),
    address: z.string().trim().min(1).max(100).nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "nothing to change");

const courseSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    occupationCode: z.string().nullable(),
    regionCode: z.string().nullable(),
    address: z.string().nullable(),
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    seats: z.number().int(),
    seatsTaken: z.number().int(),
    free: z.boolean(),
    subsidyYuan: z.number().int().nullable(),
    livingAllowance: z.number().int().nullable(),
    status: z.enum(["open", "closed", "cancelled"]),
    createdAt: z.string(),
  })
  .openapi("TrainingCourse");

const enrolmentSchema = z
  .object({
    id: z.string(),
    courseId: z.string(),
    workerId: z.string(),
    workerName: z.string().optional(),
    status: z.enum(["enrolled", "completed", "dropped"]),
    enrolledAt: z.string(),
    completedAt: z.string().nullable(),
    certificate: z.string().nullable(),
  })
  .openapi("TrainingEnrolment");

const courseView = (course: TrainingCourse, taken: number) => ({
  id: course.id,
  title: course.title,
  occupationCode: course.occupationCode,
  regionCode: course.regionCode,
  address: course.address,
  startsAt: course.startsAt.toISOString(),
  endsAt: course.endsAt?.toISOString() ?? null,
  seats: course.seats,
  seatsTaken: taken,
  free: course.free,
  subsidyYuan: course.subsidyYuan,
  livingAllowance: course.livingAllowance,
  status: course.status as "open" | "closed" | "cancelled",
  createdAt: course.createdAt.toISOString(),
});

const enrolmentView = (enrolment: TrainingEnrolment, workerName?: string) => ({
  id: enrolment.id,
  courseId: enrolment.courseId,
  workerId: enrolment.workerId,
  ...(workerName === undefined ? {} : { workerName }),
  status: enrolment.status,
  enrolledAt: enrolment.enrolledAt.toISOString(),
  completedAt: enrolment.completedAt?.toISOString() ?? null,
  certificate: enrolment.certificate,
});

/** The wider regions a code lies in (350622103 → 35, 3506, 350622): their courses reach it. */
const enclosingRegions = (code: string) => [2, 4, 6, 9].filter((length) => length < code.length).map((length) => code.slice(0, length));

/** Courses an operator sees: inside their regions, or run for a region that holds one of theirs. */
function visibleCourses(scope: string[] | null): Prisma.TrainingCourseWhereInput {
  if (scope === null) return {};
  return { OR: [...scope.map((prefix) => ({ regionCode: { startsWith: prefix } })), { regionCode: { in: scope.flatMap(enclosingRegions) } }] };
}

const canSeeCourse = (operator: CallingOperator, course: TrainingCourse) =>
  canSeeRegion(operator, course.regionCode) || (course.regionCode !== null && operator.regionCodes.some((scope) => enclosingRegions(scope).includes(course.regionCode!)));

/** A course by id that the caller may see; 404 for one that does not exist, 403 outside their regions. */
async function visibleCourse(prisma: PrismaClient, operator: CallingOperator, id: string) {
  const course = await prisma.trainingCourse.findUnique({ where: { id } });
  if (!course) throw notFound("course");
  if (!canSeeCourse(operator, course)) throw new AppError("forbidden", `region ${course.regionCode ?? "(none)"} is outside your regions`);
  return course;
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const conflict = { 409: json(errorSchema, "the course's state does not allow it (full, closed, cancelled, not started)") };
const courseId = z.object({ id: z.string().uuid() });
const anyOperator = requireOperator();

const createDef = createRoute({
  method: "post",
  path: "/api/training/courses",
  summary: "Add a course to the catalogue; an open course is offered at once to the workers nearby who want training",
  security: bearer,
  middleware: [anyOperator],
  request: { body: { required: true, content: { "application/json": { schema: courseInputSchema } } } },
  responses: { 201: json(z.object({ course: courseSchema }), "the course, its offers queued when open"), ...operatorErrors },
});

const listDef = createRoute({
  method: "get",
  path: "/api/training/courses",
  summary: "Courses in (or reaching) the caller's regions, soonest first",
  security: bearer,
  middleware: [anyOperator],
  request: {
    query: z.object({
      region: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, "a region code of 2, 4, 6, 9 or 12 digits").optional(),
      status: z.enum(["open", "closed", "cancelled"]).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: { 200: json(z.object({ courses: z.array(courseSchema) }), "courses"), ...operatorErrors },
});

const getDef = createRoute({
  method: "get",
  path: "/api/training/courses/{id}",
  summary: "One course",
  security: bearer,
  middleware: [anyOperator],
  request: { params: courseId },
  responses: { 200: json(z.object({ course: courseSchema }), "the course"), ...notFoundError, ...operatorErrors },
});

const patchDef = createRoute({
  method: "patch",
  path: "/api/training/courses/{id}",
  summary: "Close, cancel or reopen a course, or change its seats, dates or address",
  security: bearer,
  middleware: [anyOperator],
  request: { params: courseId, body: { required: true, content: { "application/json": { schema: coursePatchSchema } } } },
  responses: { 200: json(z.object({ course: courseSchema }), "the course"), ...notFoundError, ...operatorErrors, ...conflict },
});

const enrolDef = createRoute({
  method: "post",
  path: "/api/training/courses/{id}/enrolments",
  summary: "Enrol a worker of the caller's regions; the worker is reminded two days before the start",
  security: bearer,
  middleware: [anyOperator],
  request: { params: courseId, body: { required: true, content: { "application/json": { schema: z.object({ workerId: z.string().uuid() }) } } } },
  responses: {
    201: json(z.object({ enrolment: enrolmentSchema, already: z.literal(false) }), "enrolled"),
    200: json(z.object({ enrolment: enrolmentSchema, already: z.literal(true) }), "the worker was already enrolled: nothing changed"),
    ...notFoundError,
    ...operatorErrors,
    ...conflict,
  },
});

const enrolmentsDef = createRoute({
  method: "get",
  path: "/api/training/courses/{id}/enrolments",
  summary: "The course's trainees from the caller's regions",
  security: bearer,
  middleware: [anyOperator],
  request: { params: courseId },
  responses: { 200: json(z.object({ enrolments: z.array(enrolmentSchema) }), "enrolments, oldest first"), ...notFoundError, ...operatorErrors },
});

const completionsDef = createRoute({
  method: "post",
  path: "/api/training/courses/{id}/completions",
  summary: "Record who finished the course (all the named workers or none): enrolments completed, the plan's timeline told",
  security: bearer,
  middleware: [anyOperator],
  request: {
    params: courseId,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            workerIds: z
              .array(z.string().uuid())
              .min(1)
              .max(1_000)
              .refine((ids) => new Set(ids).size === ids.length, "a worker is named twice"),
            certificate: z.string().trim().min(1).max(100).optional().openapi({ description: "the certificate earned, e.g. 家政服务员五级" }),
          }),
        },
      },
    },
  },
  responses: {
    200: json(z.object({ enrolments: z.array(enrolmentSchema) }), "the enrolments, completed"),
    ...notFoundError,
    ...operatorErrors,
    ...conflict,
  },
});

export function mountTraining(app: Router) {
  app.openapi(createDef, async (c) => {
    const { prisma, clock, jobsQueued } = c.get("deps");
    const input = c.req.valid("json");
    // Its offers reach the course's whole county (or city): that is the region the caller needs.
    assertRegionAccess(c.get("operator"), reachOf(input.regionCode));
    const course = await createCourse(prisma, input, clock());
    jobsQueued?.();
    return c.json({ course: courseView(course, 0) }, 201);
  });

  app.openapi(listDef, async (c) => {
    const { prisma } = c.get("deps");
    const query = c.req.valid("query");
    const scope = regionScope(c.get("operator"), query.region);
    const courses = await prisma.trainingCourse.findMany({
      where: { ...visibleCourses(scope), ...(query.status ? { status: query.status } : {}) },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: query.limit,
    });
    const taken = await seatsTaken(prisma, courses.map((course) => course.id));
    return c.json({ courses: courses.map((course) => courseView(course, taken.get(course.id) ?? 0)) }, 200);
  });

  app.openapi(getDef, async (c) => {
    const course = await visibleCourse(c.get("deps").prisma, c.get("operator"), c.req.valid("param").id);
    const taken = await seatsTaken(c.get("deps").prisma, [course.id]);
    return c.json({ course: courseView(course, taken.get(course.id) ?? 0) }, 200);
  });

  app.openapi(patchDef, async (c) => {
    const { prisma, clock, jobsQueued } = c.get("deps");
    const existing = await prisma.trainingCourse.findUnique({ where: { id: c.req.valid("param").id } });
    if (!existing) throw notFound("course");
    // Changing a course is for the operators of all it reaches: reopening or adding seats offers it again.
    assertRegionAccess(c.get("operator"), existing.regionCode ? reachOf(existing.regionCode) : null);
    const course = await updateCourse(prisma, existing.id, c.req.valid("json"), clock());
    jobsQueued?.();
    const taken = await seatsTaken(prisma, [course.id]);
    return c.json({ course: courseView(course, taken.get(course.id) ?? 0) }, 200);
  });

  app.openapi(enrolDef, async (c) => {
    const { prisma, clock, jobsQueued } = c.get("deps");
    const operator = c.get("operator");
    const course = await visibleCourse(prisma, operator, c.req.valid("param").id);
    const worker = await prisma.worker.findUnique({ where: { id: c.req.valid("json").workerId }, select: { id: true, homeRegionCode: true } });
    if (!worker) throw notFound("worker");
    assertRegionAccess(operator, worker.homeRegionCode);
    const result = await prisma.$transaction((tx) => enrolInCourse(tx, { workerId: worker.id, courseId: course.id, source: "operator", now: clock(), actorId: operator.id }));
    if ("full" in result) throw new AppError("conflict", `the course is full (${result.course.seats} seats)`);
    if ("closed" in result) throw new AppError("conflict", "the course takes no enrolments: it is closed, cancelled or has started");
    jobsQueued?.();
    if ("already" in result) return c.json({ enrolment: enrolmentView(result.already), already: true as const }, 200);
    return c.json({ enrolment: enrolmentView(result.enrolled), already: false as const }, 201);
  });

  app.openapi(enrolmentsDef, async (c) => {
    const { prisma } = c.get("deps");
    const operator = c.get("operator");
    const course = await visibleCourse(prisma, operator, c.req.valid("param").id);
    const scope = regionScope(operator);
    const enrolments = await prisma.trainingEnrolment.findMany({
      where: { courseId: course.id, ...(scope ? { worker: { OR: scope.map((prefix) => ({ homeRegionCode: { startsWith: prefix } })) } } : {}) },
      include: { worker: { select: { name: true } } },
      orderBy: [{ enrolledAt: "asc" }, { id: "asc" }],
    });
    return c.json({ enrolments: enrolments.map((enrolment) => enrolmentView(enrolment, enrolment.worker.name)) }, 200);
  });

  app.openapi(completionsDef, async (c) => {
    const { prisma, clock } = c.get("deps");
    const operator = c.get("operator");
    const course = await visibleCourse(prisma, operator, c.req.valid("param").id);
    const { workerIds, certificate } = c.req.valid("json");
    const workers = await prisma.worker.findMany({ where: { id: { in: workerIds } }, select: { id: true, homeRegionCode: true } });
    const unknown = workerIds.filter((id) => !workers.some((worker) => worker.id === id));
    if (unknown.length > 0) throw new AppError("not_found", `${unknown.length} of the workers were not found`, { workerIds: unknown });
    const outside = workers.filter((worker) => !canSeeRegion(operator, worker.homeRegionCode)).map((worker) => worker.id);
    if (outside.length > 0) throw new AppError("forbidden", `${outside.length} of the workers are outside your regions`, { workerIds: outside });
    const result = await recordCompletions(prisma, { courseId: course.id, workerIds, ...(certificate ? { certificate } : {}), actorId: operator.id, now: clock() });
    if ("notEnrolled" in result) {
      throw new AppError("conflict", `${result.notEnrolled.length} of the workers are not enrolled in this course: nothing was recorded`, { workerIds: result.notEnrolled });
    }
    return c.json({ enrolments: result.completed.map((enrolment) => enrolmentView(enrolment)) }, 200);
  });
}
