// Employers for operators: the ones in a region (those waiting for a coordinator's confirmation
// marked), and the confirmation itself, which opens the vacancies they posted meanwhile.
import { createRoute, z } from "@hono/zod-openapi";
import { isTrusted, listEmployers, vouchForEmployer } from "../services/employers.ts";
import { authenticate, operatorContext } from "./auth.ts";
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
  middleware: [authenticate],
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
  middleware: [authenticate],
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
    const query = c.req.valid("query");
    const employers = await listEmployers(operatorContext(c), { region: query.region, unconfirmed: query.unconfirmed === "true" });
    return c.json({ employers: employers.map(view) }, 200);
  });

  app.openapi(vouchRoute, async (c) => {
    const { employer, opened } = await vouchForEmployer(operatorContext(c), { employerId: c.req.valid("param").id });
    return c.json({ employer: view(employer), opened }, 200);
  });
}
