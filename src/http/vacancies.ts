import { createRoute, z } from "@hono/zod-openapi";
import type { Vacancy } from "../db/client.ts";
import { postVacancies, updateVacancy, vacancyInputSchema, vacancyPatchSchema, type RefusedRow } from "../services/vacancies.ts";
import { AppError, notFound } from "../shared/errors.ts";
import { assertRegionAccess, canSeeRegion, requireOperator } from "./auth.ts";
import type { CallingOperator, Router } from "./context.ts";
import { bearer, errorSchema, notFoundError, operatorErrors } from "./schemas.ts";

const vacancySchema = z
  .object({
    id: z.string(),
    externalId: z.string().nullable(),
    title: z.string(),
    occupationCode: z.string().nullable(),
    employerName: z.string().nullable(),
    regionCode: z.string().nullable(),
    headcount: z.number().int().nullable(),
    wageMin: z.number().int().nullable(),
    wageMax: z.number().int().nullable(),
    wageUnit: z.string(),
    ageMin: z.number().int().nullable(),
    ageMax: z.number().int().nullable(),
    sex: z.string(),
    housing: z.boolean().nullable(),
    status: z.string(),
    deadline: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Vacancy");

const view = (v: Vacancy) => ({
  id: v.id,
  externalId: v.externalId,
  title: v.title,
  occupationCode: v.occupationCode,
  employerName: v.employerName,
  regionCode: v.regionCode,
  headcount: v.headcount,
  wageMin: v.wageMin,
  wageMax: v.wageMax,
  wageUnit: v.wageUnit,
  ageMin: v.ageMin,
  ageMax: v.ageMax,
  sex: v.sex,
  housing: v.housing,
  status: v.status,
  deadline: v.deadline?.toISOString() ?? null,
  createdAt: v.createdAt.toISOString(),
});

// Coordinators post for their own regions; a vacancy without a place is for administrators.
const mayPostIn = (operator: CallingOperator, regionCode: string | undefined) => operator.role === "admin" || canSeeRegion(operator, regionCode);
const posters = requireOperator("admin", "coordinator");

const createDef = createRoute({
  method: "post",
  path: "/api/vacancies",
  summary: "Post one vacancy (what a description says, e.g. 年龄18至45周岁 or 包吃住, fills missing fields)",
  security: bearer,
  middleware: [posters],
  request: { body: { required: true, content: { "application/json": { schema: vacancyInputSchema } } } },
  responses: { 201: { description: "the vacancy, open and queued for indexing", content: { "application/json": { schema: z.object({ vacancy: vacancySchema }) } } }, ...operatorErrors },
});

const bulkDef = createRoute({
  method: "post",
  path: "/api/vacancies/bulk",
  summary: "Import vacancies from another system: all rows or none; rows with a known externalId are updated",
  security: bearer,
  middleware: [posters],
  request: { body: { required: true, content: { "application/json": { schema: z.array(z.unknown()).min(1).max(5_000) } } } },
  responses: {
    201: { description: "ids in the order of the rows", content: { "application/json": { schema: z.object({ ids: z.array(z.string()), errors: z.array(z.object({ index: z.number(), message: z.string() })) }) } } },
    400: { description: "some rows are not valid: nothing was written", content: { "application/json": { schema: z.object({ ids: z.array(z.string()), errors: z.array(z.object({ index: z.number(), message: z.string() })) }) } } },
    401: operatorErrors[401],
    403: operatorErrors[403],
  },
});

const getDef = createRoute({
  method: "get",
  path: "/api/vacancies/{id}",
  summary: "One vacancy",
  security: bearer,
  middleware: [requireOperator()],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: { 200: { description: "the vacancy", content: { "application/json": { schema: z.object({ vacancy: vacancySchema }) } } }, ...notFoundError, ...operatorErrors },
});

const patchDef = createRoute({
  method: "patch",
  path: "/api/vacancies/{id}",
  summary: "Close, fill, reopen a vacancy, or change its headcount or deadline",
  security: bearer,
  middleware: [posters],
  request: { params: z.object({ id: z.string().uuid() }), body: { required: true, content: { "application/json": { schema: vacancyPatchSchema } } } },
  responses: { 200: { description: "the vacancy", content: { "application/json": { schema: z.object({ vacancy: vacancySchema }) } } }, ...notFoundError, ...operatorErrors, 409: { description: "conflict", content: { "application/json": { schema: errorSchema } } } },
});

export function mountVacancies(app: Router) {
  app.openapi(createDef, async (c) => {
    const input = c.req.valid("json");
    const operator = c.get("operator");
    if (!mayPostIn(operator, input.regionCode)) throw new AppError("forbidden", `region ${input.regionCode ?? "(none)"} is outside your regions`);
    const [vacancy] = await postVacancies(c.get("deps").prisma, [input], { postedVia: "api", mayChange: (region) => canSeeRegion(operator, region) });
    c.get("deps").jobsQueued?.();
    return c.json({ vacancy: view(vacancy!) }, 201);
  });

  app.openapi(bulkDef, async (c) => {
    const rows = c.req.valid("json");
    const operator = c.get("operator");
    const errors: { index: number; message: string }[] = [];
    const inputs = rows.flatMap((row, index) => {
      const parsed = vacancyInputSchema.safeParse(row);
      if (!parsed.success) {
        errors.push({ index, message: parsed.error.issues.map((issue) => `${issue.path.join(".") || "row"}: ${issue.message}`).join("; ") });
        return [];
      }
      if (!mayPostIn(operator, parsed.data.regionCode)) {
        errors.push({ index, message: `region ${parsed.data.regionCode ?? "(none)"} is outside your regions` });
        return [];
      }
      return [parsed.data];
    });
    if (errors.length > 0) return c.json({ ids: [], errors }, 400);
    let saved;
    try {
      saved = await postVacancies(c.get("deps").prisma, inputs, { postedVia: "bulk", mayChange: (region) => canSeeRegion(operator, region) });
    } catch (error) {
      // Rows that would overwrite another region's vacancy: each named, nothing written.
      const rows = error instanceof AppError && error.code === "forbidden" ? (error.details as { rows?: RefusedRow[] } | undefined)?.rows : undefined;
      if (!rows) throw error;
      return c.json({ ids: [], errors: rows }, 400);
    }
    c.get("deps").jobsQueued?.();
    return c.json({ ids: saved.map((v) => v.id), errors: [] }, 201);
  });

  app.openapi(getDef, async (c) => {
    const vacancy = await c.get("deps").prisma.vacancy.findUnique({ where: { id: c.req.valid("param").id } });
    if (!vacancy) throw notFound("vacancy");
    assertRegionAccess(c.get("operator"), vacancy.regionCode);
    return c.json({ vacancy: view(vacancy) }, 200);
  });

  app.openapi(patchDef, async (c) => {
    const { prisma, jobsQueued } = c.get("deps");
    const existing = await prisma.vacancy.findUnique({ where: { id: c.req.valid("param").id } });
    if (!existing) throw notFound("vacancy");
    if (c.get("operator").role !== "admin") assertRegionAccess(c.get("operator"), existing.regionCode);
    const vacancy = await updateVacancy(prisma, existing.id, c.req.valid("json"));
    jobsQueued?.();
    return c.json({ vacancy: view(vacancy) }, 200);
  });
}
