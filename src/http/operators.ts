import { createRoute, z } from "@hono/zod-openapi";
import { createOperator, disableOperator, issueApiKey, listApiKeys, listOperators, revokeApiKey, setOperatorPhone } from "../services/operators.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, conflictError, jsonBody, notFoundError, operatorErrors, regionCode } from "./schemas.ts";

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
  summary: "Create an operator and their first API key (administrators; a county official, coordinators of their own regions)",
  security: bearer,
  middleware: [authenticate],
  request: {
    body: jsonBody(z.object({
      name: z.string().trim().min(1).max(60),
      role: z.enum(["admin", "countyOfficial", "coordinator"]),
      regionCodes: z.array(regionCode).max(50).default([]),
      phone: phoneField.optional(),
    })),
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
  summary: "The operators the caller manages (all, for administrators; a county official, the coordinators of their regions)",
  security: bearer,
  middleware: [authenticate],
  responses: {
    200: { description: "operators", content: { "application/json": { schema: z.object({ operators: z.array(operatorSchema) }) } } },
    ...operatorErrors,
  },
});

const phoneRouteDef = createRoute({
  method: "put",
  path: "/api/operators/{id}/phone",
  summary: "Set or clear the phone an operator's alerts go to (administrators; a county official, for the coordinators of their regions)",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: z.object({ id: z.string() }),
    body: jsonBody(z.object({ phone: phoneField.nullable() })),
  },
  responses: {
    200: { description: "the operator", content: { "application/json": { schema: z.object({ operator: operatorSchema }) } } },
    ...operatorErrors,
  },
});

const keySchema = z
  .object({ id: z.string(), label: z.string().nullable(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
  .openapi("ApiKey");
const idParams = z.object({ id: z.string() });
const adminRoute = { security: bearer, middleware: [authenticate] };

const disableRouteDef = createRoute({
  method: "post",
  path: "/api/operators/{id}/disable",
  summary: "Disable an operator: their keys and console sessions stop at once (administrators; a county official, for the coordinators of their regions; audited)",
  ...adminRoute,
  request: { params: idParams },
  responses: {
    200: { description: "the operator, disabled", content: { "application/json": { schema: z.object({ operator: operatorSchema }) } } },
    ...notFoundError,
    ...conflictError,
    ...operatorErrors,
  },
});

const keysRouteDef = createRoute({
  method: "get",
  path: "/api/operators/{id}/keys",
  summary: "An operator's API keys, revoked ones included (never the tokens)",
  ...adminRoute,
  request: { params: idParams },
  responses: { 200: { description: "keys", content: { "application/json": { schema: z.object({ keys: z.array(keySchema) }) } } }, ...operatorErrors },
});

const issueKeyRouteDef = createRoute({
  method: "post",
  path: "/api/operators/{id}/keys",
  summary: "Issue another API key for an operator; the token is shown this once (audited)",
  ...adminRoute,
  request: { params: idParams, body: jsonBody(z.object({ label: z.string().trim().min(1).max(60) })) },
  responses: {
    201: { description: "the key, and its token (shown this once)", content: { "application/json": { schema: z.object({ key: keySchema, token: z.string() }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

const revokeKeyRouteDef = createRoute({
  method: "post",
  path: "/api/operators/{id}/keys/{keyId}/revoke",
  summary: "Revoke one API key at once (audited); the operator's other keys go on",
  ...adminRoute,
  request: { params: z.object({ id: z.string(), keyId: z.string() }) },
  responses: { 200: { description: "the key, revoked", content: { "application/json": { schema: z.object({ key: keySchema }) } } }, ...notFoundError, ...operatorErrors },
});

type KeyRow = { id: string; label: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };
const keyView = (key: KeyRow) => ({
  id: key.id,
  label: key.label,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
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
    const { operator, token } = await createOperator(operatorContext(c), c.req.valid("json"));
    return c.json({ operator: view(operator), token }, 201);
  });
  app.openapi(phoneRouteDef, async (c) => {
    const operator = await setOperatorPhone(operatorContext(c), { operatorId: c.req.valid("param").id, phone: c.req.valid("json").phone });
    return c.json({ operator: view(operator) }, 200);
  });
  app.openapi(disableRouteDef, async (c) => c.json({ operator: view(await disableOperator(operatorContext(c), { operatorId: c.req.valid("param").id })) }, 200));
  app.openapi(keysRouteDef, async (c) => c.json({ keys: (await listApiKeys(operatorContext(c), { operatorId: c.req.valid("param").id })).map(keyView) }, 200));
  app.openapi(issueKeyRouteDef, async (c) => {
    const { key, token } = await issueApiKey(operatorContext(c), { operatorId: c.req.valid("param").id, label: c.req.valid("json").label });
    return c.json({ key: keyView(key), token }, 201);
  });
  app.openapi(revokeKeyRouteDef, async (c) => {
    const { id, keyId } = c.req.valid("param");
    return c.json({ key: keyView(await revokeApiKey(operatorContext(c), { operatorId: id, keyId })) }, 200);
  });
  app.openapi(listRouteDef, async (c) => c.json({ operators: (await listOperators(operatorContext(c))).map(view) }, 200));
}
