// Subsidy policies per region: what applies in a region (the built-in documents with a county's
// own on top), a county storing its own document (amounts change without a code change), and one
// worker's benefits evaluated.
import { createRoute, z } from "@hono/zod-openapi";
import { regionPolicies, storePolicyDocument, workerBenefits } from "../services/policies.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, notFoundError, operatorErrors, regionCode } from "./schemas.ts";

const benefitSchema = z
  .object({
    id: z.string().openapi({ example: "transport_subsidy" }),
    name: z.string(),
    amount: z.string(),
    howToApply: z.string(),
    sources: z.array(z.object({ file: z.string(), quotes: z.array(z.string()), regionCode: z.string() })),
  })
  .openapi("Benefit");

const effectiveRoute = createRoute({
  method: "get",
  path: "/api/policies",
  summary: "The benefits that apply in a region: national, province, city and county documents merged",
  security: bearer,
  middleware: [authenticate],
  request: { query: z.object({ region: regionCode }) },
  responses: {
    200: {
      description: "the region's benefits and the documents they come from, broadest first",
      content: { "application/json": { schema: z.object({ layers: z.array(z.object({ regionCode: z.string(), name: z.string() })), benefits: z.array(benefitSchema) }) } },
    },
    ...operatorErrors,
  },
});

const putRoute = createRoute({
  method: "put",
  path: "/api/policies/{regionCode}",
  summary: "Store a region's own policy document (replaces the built-in one for that region): a county changes an amount",
  security: bearer,
  middleware: [authenticate],
  request: {
    params: z.object({ regionCode: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9})$/, "a 2, 4, 6 or 9-digit region code") }),
    body: { content: { "application/json": { schema: z.object({}).passthrough().openapi({ description: "a policy document (see src/policies/schema.ts)" }) } } },
  },
  responses: {
    200: { description: "stored; evaluations use it from now on", content: { "application/json": { schema: z.object({ regionCode: z.string(), benefits: z.number().int() }) } } },
    ...operatorErrors,
  },
});

const workerBenefitsRoute = createRoute({
  method: "get",
  path: "/api/workers/{id}/benefits",
  summary: "What the worker may get: yes / no / needs information, each with its reason",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: {
      description: "one evaluation per benefit of the worker's home region",
      content: {
        "application/json": {
          schema: z.object({
            benefits: z.array(
              z.object({ id: z.string(), name: z.string(), answer: z.enum(["yes", "no", "needsInfo"]), reason: z.string(), amount: z.string(), nextStep: z.string().nullable(), missing: z.array(z.string()) }),
            ),
          }),
        },
      },
    },
    ...notFoundError,
    ...operatorErrors,
  },
});

export function mountPolicies(app: Router) {
  app.openapi(effectiveRoute, async (c) => c.json(await regionPolicies(operatorContext(c), { regionCode: c.req.valid("query").region }), 200));

  app.openapi(putRoute, async (c) => {
    const stored = await storePolicyDocument(operatorContext(c), { regionCode: c.req.valid("param").regionCode, document: c.req.valid("json") });
    return c.json(stored, 200);
  });

  app.openapi(workerBenefitsRoute, async (c) => {
    const evaluations = await workerBenefits(operatorContext(c), { workerId: c.req.valid("param").id });
    return c.json(
      {
        benefits: evaluations.map((evaluation) => ({
          id: evaluation.id,
          name: evaluation.name,
          answer: evaluation.answer,
          reason: evaluation.reason,
          amount: evaluation.amountText,
          nextStep: evaluation.nextStep,
          missing: evaluation.missing.map(String),
        })),
      },
      200,
    );
  });
}
