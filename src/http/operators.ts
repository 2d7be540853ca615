import { createRoute, z } from "@hono/zod-openapi";
import { createOperator, setOperatorPhone } from "../services/operators.ts";
import { sealPhone } from "../services/workers.ts";
import { requireOperator } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, operatorErrors, regionCode } from "./schemas.ts";

const operatorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["admin", "countyOfficial", "coordinator"]),
    regionCodes: z.array(z.string()),
    phone: z.string().nullable().openapi({ description: "masked: where the coordinator's alerts go by SMS" }),
    createdAt: z.string(),
  })
  .openapi("Operator");

const phoneField = z.string().trim().min(5).max(20).openapi({ description: "a Chinese mobile number: 人工 requests, job-loss warnings and the morning's due work are sent to it by SMS" });

const createRouteDef = createRoute({
  method: "post",
  path: "/api/operators",
  summary: "Create an operator and their first API key (administrators only)",
  security: bearer,
  middleware: [requireOperator("admin")],
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            name: z.string().trim().min(1).max(60),
            role: z.enum(["admin", "countyOfficial", "coordinator"]),
            regionCodes: z.array(regionCode).max(50).default([]),
            phone: phoneField.optional(),
          }),
        },
      },
    },
  },
  responses: {
    201: {
      description: "the operator, and the API token (shown this once)",
      content: { "application/json": { schema: z.object({ operator: operatorSchema, token: z.string() }) } },
    },
    ...operatorErrors,
  },
});

const listRouteDef = createRoute({
  method: "get",
  path: "/api/operators",
  summary: "All operators (administrators only)",
  security: bearer,
  middleware: [requireOperator("admin")],
  responses: {
    200: { description: "operators", content: { "application/json": { schema: z.object({ operators: z.array(operatorSchema) }) } } },
    ...operatorErrors,
  },
});

const phoneRouteDef = createRoute({
  method: "put",
  path: "/api/operators/{id}/phone",
  summary: "Set or clear the phone an operator's alerts go to (administrators only)",
  security: bearer,
  middleware: [requireOperator("admin")],
  request: {
    params: z.object({ id: z.string() }),
    body: { required: true, content: { "application/json": { schema: z.object({ phone: phoneField.nullable() }) } } },
  },
  responses: {
    200: { description: "the operator", content: { "application/json": { schema: z.object({ operator: operatorSchema }) } } },
    ...operatorErrors,
  },
});

type OperatorRow = { id: string; name: string; role: "admin" | "countyOfficial" | "coordinator"; regionCodes: string[]; phoneMasked: string | null; createdAt: Date };
const view = (operator: OperatorRow) => ({
  id: operator.id,
  name: operator.name,
  role: operator.role,
  regionCodes: operator.regionCodes,
  phone: operator.phoneMasked,
  createdAt: operator.createdAt.toISOString(),
});

export function mountOperators(app: Router) {
  app.openapi(createRouteDef, async (c) => {
    const { phone, ...input } = c.req.valid("json");
    const deps = c.get("deps");
    const sealed = phone ? sealPhone(deps.pii, phone) : undefined;
    const { operator, token } = await createOperator(deps.prisma, { ...input, ...(sealed ? { phone: sealed } : {}) }, c.get("operator").id);
    return c.json({ operator: view(operator), token }, 201);
  });
  app.openapi(phoneRouteDef, async (c) => {
    const { phone } = c.req.valid("json");
    const deps = c.get("deps");
    const operator = await setOperatorPhone(deps.prisma, c.req.valid("param").id, phone ? sealPhone(deps.pii, phone) : null, c.get("operator").id);
    return c.json({ operator: view(operator) }, 200);
  });
  app.openapi(listRouteDef, async (c) => {
    const operators = await c.get("deps").prisma.operator.findMany({ where: { disabledAt: null }, orderBy: { createdAt: "asc" } });
    return c.json({ operators: operators.map(view) }, 200);
  });
}
