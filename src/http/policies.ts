// Subsidy policies per region: what applies in a region (the built-in documents with a county's
// own on top), a county storing its own document (amounts change without a code change), and one
// worker's benefits evaluated.
import { createRoute, z } from "@hono/zod-openapi";
import type { Prisma } from "../db/client.ts";
import { amountText, loadPolicyLibrary, parsePolicyDocument, policiesFor, PolicyDocumentError } from "../policies/index.ts";
import { evaluateWorker } from "../services/policies.ts";
import { AppError, notFound } from "../shared/errors.ts";
import { assertRegionAccess, requireOperator } from "./auth.ts";
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
  middleware: [requireOperator()],
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
  middleware: [requireOperator("admin", "countyOfficial")],
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
  middleware: [requireOperator()],
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
  app.openapi(effectiveRoute, async (c) => {
    const { region } = c.req.valid("query");
    assertRegionAccess(c.get("operator"), region);
    const policies = policiesFor(await c.get("deps").policies.library(), region);
    return c.json(
      {
        layers: policies.layers.map(({ regionCode: code, name }) => ({ regionCode: code, name })),
        benefits: policies.benefits.map((benefit) => ({
          id: benefit.id,
          name: benefit.name,
          amount: amountText(benefit),
          howToApply: benefit.howToApply.text,
          sources: benefit.sources,
        })),
      },
      200,
    );
  });

  app.openapi(putRoute, async (c) => {
    const deps = c.get("deps");
    const operator = c.get("operator");
    const { regionCode: code } = c.req.valid("param");
    assertRegionAccess(operator, code);
    const body = c.req.valid("json");
    // Checked against what it sits on and stored under one lock: two documents stored at once (a
    // city's and its county's) cannot each pass against the old state and break together.
    const document = await deps.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('policy_documents'))`);
      const stored = await tx.policyDocument.findMany({ where: { regionCode: { not: code } } });
      let parsed;
      try {
        parsed = parsePolicyDocument(body, `region ${code}`);
        if (parsed.regionCode !== code) throw new PolicyDocumentError(`region ${code}`, [`regionCode: is ${parsed.regionCode}, the path says ${code}`]);
        // Checked against everything it sits on (the built-in documents and other counties' own).
        loadPolicyLibrary([...stored.map((row) => row.document), body]);
      } catch (error) {
        if (error instanceof PolicyDocumentError) throw new AppError("validation_failed", error.message, error.problems);
        throw error;
      }
      await tx.policyDocument.upsert({
        where: { regionCode: code },
        create: { regionCode: code, document: body as Prisma.InputJsonValue, updatedBy: operator.id },
        update: { document: body as Prisma.InputJsonValue, updatedBy: operator.id },
      });
      await tx.auditLog.create({ data: { operatorId: operator.id, action: "policy.stored", target: code, data: { benefits: parsed.benefits.map((benefit) => benefit.id) } } });
      return parsed;
    });
    return c.json({ regionCode: code, benefits: document.benefits.length }, 200);
  });

  app.openapi(workerBenefitsRoute, async (c) => {
    const deps = c.get("deps");
    const worker = await deps.prisma.worker.findUnique({ where: { id: c.req.valid("param").id } });
    if (!worker) throw notFound("worker");
    assertRegionAccess(c.get("operator"), worker.homeRegionCode);
    const evaluations = await evaluateWorker(deps.prisma, deps.policies, worker, deps.clock());
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
