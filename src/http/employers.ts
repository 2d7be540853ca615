// Employers for operators: the ones in a region (those waiting for a coordinator's confirmation
// marked), and the confirmation itself, which opens the vacancies they posted meanwhile.
import { createRoute, z } from "@hono/zod-openapi";
import { isTrusted, vouchForEmployer } from "../services/employers.ts";
import { notFound } from "../shared/errors.ts";
import { assertRegionAccess, regionScope, requireOperator } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, notFoundError, operatorErrors, regionCode } from "./schemas.ts";

const employerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    creditCode: z.string().nullable(),
    trusted: z.boolean().openapi({ description: "a credit code was given or a coordinator confirmed it: its vacancies open at once" }),
    contactName: z.string().nullable(),
    contactPhone: z.string().nullable().openapi({ description: "masked" }),
    regionCode: z.string().nullable(),
    address: z.string().nullable(),
  })
  .openapi("Employer");

const listRoute = createRoute({
  method: "get",
  path: "/api/employers",
  summary: "Employers in the caller's regions",
  security: bearer,
  middleware: [requireOperator()],
  request: { query: z.object({ region: regionCode.optional(), unconfirmed: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: { description: "employers, newest first", content: { "application/json": { schema: z.object({ employers: z.array(employerSchema) }) } } },
    ...operatorErrors,
  },
});

const vouchRoute = createRoute({
  method: "post",
  path: "/api/employers/{id}/vouch",
  summary: "A coordinator confirms an employer without a credit code (a village workshop): its waiting vacancies open and are pushed",
  security: bearer,
  middleware: [requireOperator("admin", "coordinator")],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: {
    200: { description: "confirmed", content: { "application/json": { schema: z.object({ employer: employerSchema, opened: z.number().int() }) } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

type EmployerRow = { id: string; name: string; kind: string; creditCode: string | null; vouchedBy: string | null; contactName: string | null; contactPhoneMasked: string | null; regionCode: string | null; address: string | null };
const view = (employer: EmployerRow) => ({
  id: employer.id,
  name: employer.name,
  kind: employer.kind,
  creditCode: employer.creditCode,
  trusted: isTrusted(employer),
  contactName: employer.contactName,
  contactPhone: employer.contactPhoneMasked,
  regionCode: employer.regionCode,
  address: employer.address,
});

export function mountEmployers(app: Router) {
  app.openapi(listRoute, async (c) => {
    const { prisma } = c.get("deps");
    const query = c.req.valid("query");
    const scope = regionScope(c.get("operator"), query.region);
    const employers = await prisma.employer.findMany({
      where: {
        ...(scope ? { OR: scope.map((prefix) => ({ regionCode: { startsWith: prefix } })) } : {}),
        ...(query.unconfirmed === "true" ? { creditCode: null, vouchedBy: null } : {}),
      },
      orderBy: { createdAt: "desc" },
      take: 500,
    });
    return c.json({ employers: employers.map(view) }, 200);
  });

  app.openapi(vouchRoute, async (c) => {
    const { prisma, clock } = c.get("deps");
    const operator = c.get("operator");
    const employer = await prisma.employer.findUnique({ where: { id: c.req.valid("param").id } });
    if (!employer) throw notFound("employer");
    assertRegionAccess(operator, employer.regionCode);
    const { opened } = await prisma.$transaction((tx) => vouchForEmployer(tx, employer.id, operator.id, clock()));
    await prisma.auditLog.create({ data: { operatorId: operator.id, action: "employer.vouched", target: employer.id } });
    c.get("deps").jobsQueued?.();
    return c.json({ employer: view({ ...employer, vouchedBy: operator.id }), opened }, 200);
  });
}
