// The training catalogue, enrolments and completions (operator API). Any operator may keep courses
// in their own regions (administrators anywhere); an operator sees the courses inside their regions
// and those run for a wider region that covers them (a city's course, for a township coordinator),
// and of a course's trainees only the workers of their own regions.
import { createRoute, z } from "@hono/zod-openapi";
import type { TrainingEnrolment } from "../db/client.ts";
import { changeCourse, courseInputSchema, createCourse, listCourses, showCourse, type CourseWithSeats } from "../services/training/catalogue.ts";
import { courseEnrolments, enrolWorker, recordCompletions } from "../services/training/enrolment.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, errorSchema, jsonBody, notFoundError, operatorErrors } from "./schemas.ts";
import { chinaInstant } from "../shared/china-time.ts";
import { REGION_CODE } from "../shared/identifiers.ts";

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

const courseView = (course: CourseWithSeats) => ({
  id: course.id,
  title: course.title,
  occupationCode: course.occupationCode,
  regionCode: course.regionCode,
  address: course.address,
  startsAt: course.startsAt.toISOString(),
  endsAt: course.endsAt?.toISOString() ?? null,
  seats: course.seats,
  seatsTaken: course.seatsTaken,
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

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const conflict = { 409: json(errorSchema, "the course's state does not allow it (full, closed, cancelled, not started)") };
const courseId = z.object({ id: z.string().uuid() });

const createDef = createRoute({
  method: "post",
  path: "/api/training/courses",
  summary: "Add a course to the catalogue; an open course is offered at once to the workers nearby who want training",
  security: bearer,
  middleware: [authenticate],
  request: { body: jsonBody(courseInputSchema) },
  responses: { 201: json(z.object({ course: courseSchema }), "the course, its offers queued when open"), ...operatorErrors },
});

const listDef = createRoute({
  method: "get",
  path: "/api/training/courses",
  summary: "Courses in (or reaching) the caller's regions, soonest first",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: z.object({
      region: z.string().regex(REGION_CODE, "a region code of 2, 4, 6, 9 or 12 digits").optional(),
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
  middleware: [authenticate],
  request: { params: courseId },
  responses: { 200: json(z.object({ course: courseSchema }), "the course"), ...notFoundError, ...operatorErrors },
});

const patchDef = createRoute({
  method: "patch",
  path: "/api/training/courses/{id}",
  summary: "Close, cancel or reopen a course, or change its seats, dates or address",
  security: bearer,
  middleware: [authenticate],
  request: { params: courseId, body: jsonBody(coursePatchSchema) },
  responses: { 200: json(z.object({ course: courseSchema }), "the course"), ...notFoundError, ...operatorErrors, ...conflict },
});

const enrolDef = createRoute({
  method: "post",
  path: "/api/training/courses/{id}/enrolments",
  summary: "Enrol a worker of the caller's regions; the worker is reminded two days before the start",
  security: bearer,
  middleware: [authenticate],
  request: { params: courseId, body: jsonBody(z.object({ workerId: z.string().uuid() })) },
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
  middleware: [authenticate],
  request: { params: courseId },
  responses: { 200: json(z.object({ enrolments: z.array(enrolmentSchema) }), "enrolments, oldest first"), ...notFoundError, ...operatorErrors },
});

const completionsDef = createRoute({
  method: "post",
  path: "/api/training/courses/{id}/completions",
  summary: "Record who finished the course (all the named workers or none): enrolments completed, the plan's timeline told",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: courseId,
    body: jsonBody(z.object({
      workerIds: z
        .array(z.string().uuid())
        .min(1)
        .max(1_000)
        .refine((ids) => new Set(ids).size === ids.length, "a worker is named twice"),
      certificate: z.string().trim().min(1).max(100).optional().openapi({ description: "the certificate earned, e.g. 家政服务员五级" }),
    })),
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
    const course = await createCourse(operatorContext(c), c.req.valid("json"));
    return c.json({ course: courseView({ ...course, seatsTaken: 0 }) }, 201);
  });

  app.openapi(listDef, async (c) => c.json({ courses: (await listCourses(operatorContext(c), c.req.valid("query"))).map(courseView) }, 200));

  app.openapi(getDef, async (c) => c.json({ course: courseView(await showCourse(operatorContext(c), { courseId: c.req.valid("param").id })) }, 200));

  app.openapi(patchDef, async (c) => {
    const ctx = operatorContext(c);
    const course = await changeCourse(ctx, { courseId: c.req.valid("param").id, patch: c.req.valid("json") });
    return c.json({ course: courseView(await showCourse(ctx, { courseId: course.id })) }, 200);
  });

  app.openapi(enrolDef, async (c) => {
    const { enrolment, already } = await enrolWorker(operatorContext(c), { courseId: c.req.valid("param").id, workerId: c.req.valid("json").workerId });
    return already ? c.json({ enrolment: enrolmentView(enrolment), already: true as const }, 200) : c.json({ enrolment: enrolmentView(enrolment), already: false as const }, 201);
  });

  app.openapi(enrolmentsDef, async (c) => {
    const enrolments = await courseEnrolments(operatorContext(c), { courseId: c.req.valid("param").id });
    return c.json({ enrolments: enrolments.map((enrolment) => enrolmentView(enrolment, enrolment.worker.name)) }, 200);
  });

  app.openapi(completionsDef, async (c) => {
    const completed = await recordCompletions(operatorContext(c), { courseId: c.req.valid("param").id, ...c.req.valid("json") });
    return c.json({ enrolments: completed.map((enrolment) => enrolmentView(enrolment)) }, 200);
  });
}
