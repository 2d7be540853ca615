import { createRoute, z } from "@hono/zod-openapi";
import { createOperator } from "../services/operators.ts";
import { requireOperator } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, operatorErrors, regionCode } from "./schemas.ts";

const operatorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(["admin", "countyOfficial", "coordinator"]),
    regionCodes: z.array(z.string()),
    createdAt: z.string(),
  })
  .openapi("Operator");

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

const view = (operator: { id: string; name: string; role: "admin" | "countyOfficial" | "coordinator"; regionCodes: string[]; createdAt: Date }) => ({
  id: operator.id,
  name: operator.name,
  role: operator.role,
  regionCodes: operator.regionCodes,
  createdAt: operator.createdAt.toISOString(),
});

export function mountOperators(app: Router) {
  app.openapi(createRouteDef, async (c) => {
    const { operator, token } = await createOperator(c.get("deps").prisma, c.req.valid("json"), c.get("operator").id);
    return c.json({ operator: view(operator), token }, 201);
  });
  app.openapi(listRouteDef, async (c) => {
    const operators = await c.get("deps").prisma.operator.findMany({ where: { disabledAt: null }, orderBy: { createdAt: "asc" } });
    return c.json({ operators: operators.map(view) }, 200);
  });
}
