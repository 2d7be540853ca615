import { createRoute, z } from "@hono/zod-openapi";
import type { Prisma } from "../db/client.ts";
import { findWorkerByPhone, workerView } from "../services/workers.ts";
import { notFound } from "../shared/errors.ts";
import { assertRegionAccess, regionScope, requireOperator } from "./auth.ts";
import type { CallingOperator, Router } from "./context.ts";
import { bearer, notFoundError, operatorErrors, regionCode } from "./schemas.ts";
import type { AppDeps } from "../deps.ts";
import type { Worker } from "../db/client.ts";

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
    categories: z.array(z.string()),
    wishedOccupations: z.array(z.string()),
    workRange: z.string().nullable(),
    wageFloor: z.number().int().nullable(),
    wantsTraining: z.boolean().nullable(),
    employmentStatus: z.string(),
    registeredVia: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Worker");

const listRoute = createRoute({
  method: "get",
  path: "/api/workers",
  summary: "Workers in the caller's regions",
  security: bearer,
  middleware: [requireOperator()],
  request: {
    query: z.object({
      phone: z.string().trim().min(5).max(20).optional(),
      region: regionCode.optional(),
      q: z.string().trim().min(1).max(40).optional().openapi({ description: "part of the name" }),
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
  middleware: [requireOperator()],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { description: "the worker", content: { "application/json": { schema: z.object({ worker: workerSchema }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

/** Coordinators phone their workers, so they see the number; every reveal is audited. */
async function present(deps: AppDeps, operator: CallingOperator, workers: Worker[]) {
  const reveal = operator.role === "coordinator";
  if (reveal && workers.some((w) => w.phoneEnc)) {
    await deps.prisma.auditLog.create({
      data: { operatorId: operator.id, action: "worker.phone.revealed", data: { workerIds: workers.filter((w) => w.phoneEnc).map((w) => w.id) } },
    });
  }
  const now = deps.now?.() ?? new Date();
  return workers.map((worker) =>
    workerView(worker, { now, revealPhone: reveal && worker.phoneEnc ? deps.pii.decrypt(worker.phoneEnc) : null }),
  );
}

export function mountWorkers(app: Router) {
  app.openapi(listRoute, async (c) => {
    const deps = c.get("deps");
    const operator = c.get("operator");
    const query = c.req.valid("query");
    const scope = regionScope(operator, query.region);
    if (query.phone) {
      const worker = await findWorkerByPhone(deps, query.phone);
      const visible = worker && (scope === null || scope.some((prefix) => worker.homeRegionCode?.startsWith(prefix)));
      return c.json({ workers: visible ? await present(deps, operator, [worker]) : [], next: null }, 200);
    }
    const where: Prisma.WorkerWhereInput = {
      ...(scope ? { OR: scope.map((prefix) => ({ homeRegionCode: { startsWith: prefix } })) } : {}),
      ...(query.q ? { name: { contains: query.q } } : {}),
      ...(query.cursor ? { id: { gt: query.cursor } } : {}),
    };
    const rows = await deps.prisma.worker.findMany({ where, orderBy: { id: "asc" }, take: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return c.json({ workers: await present(deps, operator, page), next: rows.length > query.limit ? page.at(-1)!.id : null }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const deps = c.get("deps");
    const operator = c.get("operator");
    const worker = await deps.prisma.worker.findUnique({ where: { id: c.req.valid("param").id } });
    if (!worker) throw notFound("worker");
    assertRegionAccess(operator, worker.homeRegionCode);
    const [view] = await present(deps, operator, [worker]);
    return c.json({ worker: view! }, 200);
  });
}
