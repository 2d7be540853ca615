import { createRoute, z } from "@hono/zod-openapi";
import type { Vacancy } from "../db/client.ts";
import { changeVacancy, importVacancies, postVacancy, showVacancy, vacancyInputSchema, vacancyPatchSchema } from "../services/vacancies.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, errorSchema, jsonBody, notFoundError, operatorErrors } from "./schemas.ts";

const vacancySchema = z
  .object({
    id: z.string(),
    externalId: z.string().nullable(),
    title: z.string(),
    occupationCode: z.string().nullable(),
    employerName: z.string().nullable(),
    regionCode: z.string().nullable(),
    anywhereInRegion: z.boolean(),
    headcount: z.number().int().nullable(),
    wageMin: z.number().int().nullable(),
    wageMax: z.number().int().nullable(),
    wageUnit: z.string(),
    ageMin: z.number().int().nullable(),
    ageMax: z.number().int().nullable(),
    sex: z.string(),
    housing: z.boolean().nullable(),
    meals: z.boolean().nullable(),
    insurance: z.boolean().nullable(),
    hours: z.string().nullable(),
    description: z.string().nullable(),
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
  anywhereInRegion: v.anywhereInRegion,
  headcount: v.headcount,
  wageMin: v.wageMin,
  wageMax: v.wageMax,
  wageUnit: v.wageUnit,
  ageMin: v.ageMin,
  ageMax: v.ageMax,
  sex: v.sex,
  housing: v.housing,
  meals: v.meals,
  insurance: v.insurance,
  hours: v.hours,
  description: v.description,
  status: v.status,
  deadline: v.deadline?.toISOString() ?? null,
  createdAt: v.createdAt.toISOString(),
});

const createDef = createRoute({
  method: "post",
  path: "/api/vacancies",
  summary: "Post one vacancy (what a description says, e.g. 年龄18至45周岁 or 包吃住, fills missing fields)",
  security: bearer,
  middleware: [authenticate],
  request: { body: jsonBody(vacancyInputSchema) },
  responses: { 201: { description: "the vacancy, open and queued for indexing", content: { "application/json": { schema: z.object({ vacancy: vacancySchema }) } } }, ...operatorErrors },
});

const rowError = z.object({
  index: z.number().int().openapi({ description: "the row, from 0" }),
  message: z.string(),
  field: z.string().optional().openapi({ description: "the field at fault, when one is" }),
  problem: z.enum(["invalid", "outside", "foreign"]).openapi({ description: "invalid: the row's shape; outside: its region is not the caller's; foreign: its externalId is another region's vacancy" }),
});

const bulkDef = createRoute({
  method: "post",
  path: "/api/vacancies/bulk",
  summary: "Import vacancies from another system: all rows or none (or, with ?partial=true, the good rows and the refused ones reported); rows with a known externalId are updated",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: z.object({ partial: z.enum(["true", "false"]).optional().openapi({ description: "true: write the good rows; ids holds null at each refused row's index" }) }),
    body: { required: true, content: { "application/json": { schema: z.array(z.unknown()).min(1).max(5_000) } } },
  },
  responses: {
    201: { description: "ids in the order of the rows (null where a row was refused, with ?partial=true)", content: { "application/json": { schema: z.object({ ids: z.array(z.string().nullable()), errors: z.array(rowError) }) } } },
    400: { description: "some rows are not valid: nothing was written", content: { "application/json": { schema: z.object({ ids: z.array(z.string()), errors: z.array(rowError) }) } } },
    401: operatorErrors[401],
    403: operatorErrors[403],
  },
});

const getDef = createRoute({
  method: "get",
  path: "/api/vacancies/{id}",
  summary: "One vacancy",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }) },
  responses: { 200: { description: "the vacancy", content: { "application/json": { schema: z.object({ vacancy: vacancySchema }) } } }, ...notFoundError, ...operatorErrors },
});

const patchDef = createRoute({
  method: "patch",
  path: "/api/vacancies/{id}",
  summary: "Close, fill or reopen a vacancy, or edit what it says (the vacancy after the change is checked whole)",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ id: z.string().uuid() }), body: jsonBody(vacancyPatchSchema) },
  responses: { 200: { description: "the vacancy", content: { "application/json": { schema: z.object({ vacancy: vacancySchema }) } } }, ...notFoundError, ...operatorErrors, 409: { description: "conflict", content: { "application/json": { schema: errorSchema } } } },
});

export function mountVacancies(app: Router) {
  app.openapi(createDef, async (c) => c.json({ vacancy: view(await postVacancy(operatorContext(c), c.req.valid("json"))) }, 201));

  app.openapi(bulkDef, async (c) => {
    const partial = c.req.valid("query").partial === "true";
    const { ids, errors } = await importVacancies(operatorContext(c), { rows: c.req.valid("json"), partial });
    if (errors.length > 0 && !partial) return c.json({ ids: [], errors }, 400);
    return c.json({ ids, errors }, 201);
  });

  app.openapi(getDef, async (c) => c.json({ vacancy: view(await showVacancy(operatorContext(c), { vacancyId: c.req.valid("param").id })) }, 200));

  app.openapi(patchDef, async (c) => {
    const vacancy = await changeVacancy(operatorContext(c), { vacancyId: c.req.valid("param").id, patch: c.req.valid("json") });
    return c.json({ vacancy: view(vacancy) }, 200);
  });
}
