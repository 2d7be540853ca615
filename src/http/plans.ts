// Assistance plans for coordinators: what is due (follow-ups, job-loss warnings, calls asked for),
// a task marked done, and the coordinator's own notes and visits on a worker's timeline.
import { createRoute, z } from "@hono/zod-openapi";
import { dueTasks, markTaskDone, recordPlanEvent } from "../services/plans.ts";
import { confirmIdentity } from "../services/roster/reach.ts";
import { linkEmployerContact } from "../services/employers.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, errorSchema, jsonBody, notFoundError, operatorErrors, regionCode } from "./schemas.ts";
import { chinaInstant } from "../shared/china-time.ts";

const taskSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ example: "job_loss_warning", description: "follow_up, job_loss_warning, human_request, application_referral, employer_verification" }),
    dueAt: z.string(),
    note: z.string().nullable(),
    regionCode: z.string().nullable(),
  })
  .openapi("PlanTask");

const dueRoute = createRoute({
  method: "get",
  path: "/api/plans",
  summary: "Open tasks due by a day (China time) in the caller's regions, by plan; tasks of people without a plan yet apart",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: z.object({
      due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day, YYYY-MM-DD").openapi({ example: "2026-12-31" }),
      region: regionCode.optional(),
      kind: z.string().max(40).optional(),
    }),
  },
  responses: {
    200: {
      description: "plans with their due tasks, soonest first",
      content: {
        "application/json": {
          schema: z.object({
            plans: z.array(
              z.object({
                planId: z.string(),
                worker: z.object({ id: z.string(), name: z.string(), homeRegionCode: z.string().nullable(), employmentStatus: z.string() }),
                coordinator: z.object({ id: z.string(), name: z.string() }).nullable(),
                tasks: z.array(taskSchema),
              }),
            ),
            unplanned: z.array(taskSchema),
          }),
        },
      },
    },
    ...operatorErrors,
  },
});

const linkEmployerRoute = createRoute({
  method: "post",
  path: "/api/plans/tasks/{id}/link-employer",
  summary: "Confirm an employer_verification task's chat as a new contact of the employer whose credit code it typed (checked by a call); the chat is told",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { description: "linked", content: { "application/json": { schema: z.object({ employerId: z.string() }) } } },
    ...notFoundError,
    ...operatorErrors,
    409: { description: "the task is done, not about a new contact, or the chat is someone's already", content: { "application/json": { schema: errorSchema } } },
  },
});

const confirmIdentityRoute = createRoute({
  method: "post",
  path: "/api/plans/tasks/{id}/confirm-identity",
  summary: "Confirm an identity_check task: the chat is the roster's person (checked by a call or a visit); it joins their record with the wishes they gave, and they are told",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { description: "joined", content: { "application/json": { schema: z.object({ workerId: z.string() }) } } },
    ...notFoundError,
    ...operatorErrors,
    409: { description: "the task is done, or the person was reached meanwhile", content: { "application/json": { schema: errorSchema } } },
  },
});

const doneRoute = createRoute({
  method: "post",
  path: "/api/plans/tasks/{id}/done",
  summary: "Mark a task done (the call was made, the warning handled)",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: z.object({ id: z.string().uuid() }),
    body: jsonBody(z.object({ note: z.string().trim().max(500).optional() }), false),
  },
  responses: {
    200: { description: "done", content: { "application/json": { schema: z.object({ task: taskSchema.extend({ status: z.string() }) }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

const eventRoute = createRoute({
  method: "post",
  path: "/api/workers/{id}/plan/events",
  summary: "A coordinator's note or visit on the worker's timeline",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: z.object({ id: z.string().uuid() }),
    body: jsonBody(z.object({
      kind: z.enum(["note", "visit", "call"]),
      text: z.string().trim().min(1).max(2000),
      at: chinaInstant.optional().openapi({ description: "when the visit or call happened; now by default" }),
    }), false),
  },
  responses: {
    201: { description: "recorded", content: { "application/json": { schema: z.object({ event: z.object({ kind: z.string(), at: z.string(), text: z.string() }) }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

const taskView = (task: { id: string; kind: string; dueAt: Date; note: string | null; regionCode: string | null }) => ({
  id: task.id,
  kind: task.kind,
  dueAt: task.dueAt.toISOString(),
  note: task.note,
  regionCode: task.regionCode,
});

export function mountPlans(app: Router) {
  app.openapi(dueRoute, async (c) => {
    const tasks = await dueTasks(operatorContext(c), c.req.valid("query"));
    type PlanEntry = { planId: string; worker: { id: string; name: string; homeRegionCode: string | null; employmentStatus: string }; coordinator: { id: string; name: string } | null; tasks: ReturnType<typeof taskView>[] };
    const plans = new Map<string, PlanEntry>();
    const unplanned: ReturnType<typeof taskView>[] = [];
    for (const task of tasks) {
      if (!task.plan) {
        unplanned.push(taskView(task));
        continue;
      }
      const { plan } = task;
      const entry = plans.get(plan.id) ?? {
        planId: plan.id,
        worker: { id: plan.worker.id, name: plan.worker.name, homeRegionCode: plan.worker.homeRegionCode, employmentStatus: plan.worker.employmentStatus },
        coordinator: plan.coordinator && { id: plan.coordinator.id, name: plan.coordinator.name },
        tasks: [],
      };
      entry.tasks.push(taskView(task));
      plans.set(plan.id, entry);
    }
    return c.json({ plans: [...plans.values()], unplanned }, 200);
  });

  app.openapi(confirmIdentityRoute, async (c) => c.json(await confirmIdentity(operatorContext(c), { taskId: c.req.valid("param").id }), 200));
  app.openapi(linkEmployerRoute, async (c) => c.json(await linkEmployerContact(operatorContext(c), { taskId: c.req.valid("param").id }), 200));

  app.openapi(doneRoute, async (c) => {
    const done = await markTaskDone(operatorContext(c), { taskId: c.req.valid("param").id, note: c.req.valid("json")?.note });
    return c.json({ task: { ...taskView(done), status: done.status } }, 200);
  });

  app.openapi(eventRoute, async (c) => {
    const event = await recordPlanEvent(operatorContext(c), { workerId: c.req.valid("param").id, ...c.req.valid("json") });
    return c.json({ event: { ...event, at: event.at.toISOString() } }, 201);
  });
}
