import { createRoute, z } from "@hono/zod-openapi";
import { eraseWorker, listWorkers, workerFiltersSchema, showWorker, workerMatches, workerPlan } from "../services/workers.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, errorSchema, notFoundError, operatorErrors } from "./schemas.ts";

const workerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    idNumber: z.string().nullable().openapi({ description: "always masked", example: "350622********123X" }),
    birthDate: z.string().nullable(),
    age: z.number().int().nullable(),
    sex: z.enum(["female", "male"]).nullable(),
    phone: z.string().nullable().openapi({ description: "in clear for coordinators, masked for other roles" }),
    homeRegionCode: z.string().nullable(),
    povertyStatus: z.string(),
    povertyConfirmed: z.boolean().openapi({ description: "the county's poverty roster confirmed povertyStatus; false: as the worker said it" }),
    declaredPovertyStatus: z.string().nullable().openapi({ description: "what the worker said in the chat, kept where the roster's status replaced it" }),
    categories: z.array(z.string()),
    wishedOccupations: z.array(z.string()),
    workRange: z.string().nullable(),
    wageFloor: z.number().int().nullable(),
    wantsTraining: z.boolean().nullable(),
    pensionEnrolled: z.boolean().nullable(),
    startingBusiness: z.boolean().nullable(),
    education: z.string().nullable(),
    graduationYear: z.number().int().nullable(),
    employmentStatus: z.string(),
    registeredVia: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Worker");

const listRoute = createRoute({
  method: "get",
  path: "/api/workers",
  summary: "Workers in the caller's regions: by phone, or by part of the name, the last four digits of the ID number or phone, region, poverty status, employment, training wish, wished work, and whether the service has reached them (a chat of theirs has written)",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: workerFiltersSchema.extend({
      phone: z.string().trim().min(5).max(20).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().uuid().optional().openapi({ description: "the `next` of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "a page of workers, oldest first",
      content: { "application/json": { schema: z.object({ workers: z.array(workerSchema), next: z.string().nullable() }) } },
    },
    ...operatorErrors,
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/workers/{id}",
  summary: "One worker",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { description: "the worker", content: { "application/json": { schema: z.object({ worker: workerSchema }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

const timelineEntrySchema = z
  .object({
    at: z.string(),
    kind: z.string().openapi({ example: "message_in" }),
    channel: z.string().nullable(),
    text: z.string().nullable().openapi({ description: "masked" }),
    data: z.unknown().nullable(),
    actorId: z.string().nullable(),
  })
  .openapi("TimelineEntry");

const planRoute = createRoute({
  method: "get",
  path: "/api/workers/{id}/plan",
  summary: "The worker's assistance plan (帮扶计划书): coordinator, goals, open tasks and the timeline, newest first",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: z.object({ id: z.string().uuid() }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  },
  responses: {
    200: {
      description: "the plan and its timeline",
      content: {
        "application/json": {
          schema: z.object({
            plan: z
              .object({
                id: z.string(),
                status: z.string(),
                regionCode: z.string().nullable(),
                goals: z.unknown(),
                openedAt: z.string(),
                coordinator: z.object({ id: z.string(), name: z.string() }).nullable(),
                tasks: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string(), dueAt: z.string(), note: z.string().nullable() })),
                channels: z.array(z.object({ channel: z.string(), address: z.string().openapi({ description: "masked" }), lastInboundAt: z.string().nullable(), optedOut: z.boolean() })),
              })
              .nullable(),
            timeline: z.array(timelineEntrySchema),
          }),
        },
      },
    },
    ...notFoundError,
    ...operatorErrors,
  },
});

const matchesRoute = createRoute({
  method: "get",
  path: "/api/workers/{id}/matches",
  summary: "The worker's best open vacancies, each with a reason short enough for one SMS line",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: z.object({ id: z.string().uuid() }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) }),
  },
  responses: {
    200: {
      description: "matches, best first; none breaks a hard constraint (open, age, sex, where the worker will work)",
      content: {
        "application/json": {
          schema: z.object({
            matches: z.array(
              z.object({
                vacancyId: z.string(),
                title: z.string(),
                employerName: z.string().nullable(),
                regionCode: z.string().nullable(),
                score: z.number(),
                reason: z.string().openapi({ example: "家政服务员·县内·月薪5500" }),
              }),
            ),
          }),
        },
      },
    },
    ...notFoundError,
    ...operatorErrors,
    503: { description: "the search engine does not answer", content: { "application/json": { schema: errorSchema } } },
  },
});

const eraseRoute = createRoute({
  method: "post",
  path: "/api/workers/{id}/erase",
  summary: "Erase a worker's personal data at their request (删除我的信息), at once; the figures keep counting them without a name (audited)",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { description: "erased", content: { "application/json": { schema: z.object({ erased: z.literal(true), erasedAt: z.string() }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

export function mountWorkers(app: Router) {
  app.openapi(eraseRoute, async (c) => {
    const { erasedAt } = await eraseWorker(operatorContext(c), { workerId: c.req.valid("param").id });
    return c.json({ erased: true as const, erasedAt: erasedAt.toISOString() }, 200);
  });

  app.openapi(listRoute, async (c) => c.json(await listWorkers(operatorContext(c), c.req.valid("query")), 200));

  app.openapi(planRoute, async (c) => {
    const { plan, timeline } = await workerPlan(operatorContext(c), { workerId: c.req.valid("param").id, limit: c.req.valid("query").limit });
    return c.json(
      {
        plan: plan && {
          id: plan.id,
          status: plan.status,
          regionCode: plan.regionCode,
          goals: plan.goals,
          openedAt: plan.openedAt.toISOString(),
          coordinator: plan.coordinator && { id: plan.coordinator.id, name: plan.coordinator.name },
          tasks: plan.tasks.map((task) => ({ id: task.id, kind: task.kind, status: task.status, dueAt: task.dueAt.toISOString(), note: task.note })),
          channels: plan.channels.map((channel) => ({ ...channel, lastInboundAt: channel.lastInboundAt?.toISOString() ?? null })),
        },
        timeline: timeline.map((event) => ({
          at: event.at.toISOString(),
          kind: event.kind,
          channel: event.channel,
          text: event.text,
          data: event.data,
          actorId: event.actorId,
        })),
      },
      200,
    );
  });

  app.openapi(matchesRoute, async (c) => {
    const matches = await workerMatches(operatorContext(c), { workerId: c.req.valid("param").id, limit: c.req.valid("query").limit });
    return c.json({ matches }, 200);
  });

  app.openapi(getRoute, async (c) => c.json({ worker: await showWorker(operatorContext(c), { workerId: c.req.valid("param").id }) }, 200));
}
