// The figures officials report: live coverage and outcomes per region, and the quarterly report
// (CSV, or .xlsx). Counting, and who may see which region, live in services/stats/.
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { figuresFor, quarterlyFigures } from "../services/stats/figures.ts";
import { quarterlyCsv, quarterlyCsvFilename, quarterlySheet } from "../services/stats/quarterly-csv.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { AppEnv, Router } from "./context.ts";
import { download, XLSX_TYPE, xlsxWriter } from "./downloads.ts";
import { bearer, notFoundError, operatorErrors, regionCode } from "./schemas.ts";

const regionRefSchema = z.object({ code: z.string(), name: z.string(), level: z.number().int() }).openapi("StatsRegion");

const percent = (description: string) => z.number().nullable().openapi({ description: `${description}; percent, one decimal; null when nobody is in the denominator` });
const share = z.object({ covered: z.number().int(), of: z.number().int() });

const figuresSchema = z
  .object({
    registered: z.number().int().openapi({ description: "workers whose home region is in the region: onRoster + selfRegistered" }),
    onRoster: z.number().int().openapi({ description: "on the county's poverty roster (imported), not marked as having left it" }),
    selfRegistered: z.number().int().openapi({ description: "registered and not (or no longer) on the roster" }),
    reached: z.number().int().openapi({ description: "have talked to the service (a chat of theirs has written)" }),
    wantWork: z.number().int().openapi({ description: "employmentStatus seeking" }),
    employed: z.object({
      local: z.number().int().openapi({ description: "employedLocal" }),
      inProvince: z.number().int().openapi({ description: "employedInProvince" }),
      outOfProvince: z.number().int().openapi({ description: "employedOutOfProvince" }),
    }),
    selfEmployed: z.number().int(),
    trained: z.number().int().openapi({ description: "workers with at least one completed training enrolment" }),
    pensionEnrolled: z.number().int(),
    withPlan: z.number().int().openapi({ description: "workers with an open assistance plan" }),
    pushesDelivered: z.number().int().openapi({ description: "job-push notices whose outbox message was sent or delivered" }),
    openWarnings: z.number().int().openapi({ description: "open job-loss warnings on the workers' plans" }),
    targets: z.object({
      reachCoverage: percent("people on the roster who have talked to the service"),
      matchedPushCoverage: percent("seeking workers who will work away from home (province or anywhere) with at least one job push"),
      trainingOfferCoverage: percent("workers who want training offered a free course this calendar year"),
      planCoverage: percent("seeking workers with an open assistance plan"),
      pensionCoverage: percent("registered, lifted or monitored poor aged 60 or more (birth date known) enrolled in the pension"),
      employmentRate: percent("employed (local, in province, out of province) or self-employed, of the base"),
    }).openapi({
      description:
        "Every target but reachCoverage counts over the base: where a roster was imported for the worker's county (or city), the people on it; elsewhere everyone registered. So a county with a roster sees how much of its own poor workforce is covered.",
    }),
    targetCounts: z
      .object({
        reachCoverage: share,
        matchedPushCoverage: share,
        trainingOfferCoverage: share,
        planCoverage: share,
        pensionCoverage: share,
        employmentRate: share,
      })
      .openapi({ description: "each target's numerator (covered) and denominator (of): these add up across regions, percentages do not" }),
  })
  .openapi("Figures");

const statsSchema = figuresSchema
  .extend({
    region: regionRefSchema,
    asOf: z.string().openapi({ description: "the instant the figures are counted at" }),
    children: z.array(figuresSchema.extend({ region: regionRefSchema })).openapi({ description: "every child region, in code order, with workers or not" }),
    unplaced: figuresSchema.nullable().openapi({
      description:
        "workers of the region in none of its children (their home code stops at this level, or names a sub-region not in the region table). The region's counts are the sums of its children's plus these. Null for a village.",
    }),
  })
  .openapi("RegionStats");


const statsRoute = createRoute({
  method: "get",
  path: "/api/stats",
  summary: "Coverage and outcome figures of a region and of each of its child regions",
  description:
    "A worker belongs to every region whose code prefixes their home region code. Administrators see every region, county officials and coordinators only their own.",
  security: bearer,
  middleware: [authenticate],
  request: { query: z.object({ region: regionCode }) },
  responses: {
    200: { description: "the figures, now", content: { "application/json": { schema: statsSchema } } },
    ...notFoundError,
    ...operatorErrors,
  },
});

const reportRoute = createRoute({
  method: "get",
  path: "/api/reports/quarterly",
  summary: "The quarterly report of a region as CSV (or .xlsx): one row per child region, the unplaced rest, and the total",
  description:
    "The figures of /api/stats as of the quarter's end (China time; now while the quarter runs) and the quarter's flows: newly registered, hires (employedSince), trainings completed, job pushes delivered. CSV by default, UTF-8 with a byte-order mark, so that Excel reads the Chinese headers; format=xlsx gives the same columns and rows as one sheet, the region code a text cell (not on Workers: 501).",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: z.object({
      region: regionCode,
      quarter: z.string().regex(/^\d{4}Q[1-4]$/, "a quarter such as 2026Q4").openapi({ example: "2026Q4" }),
      format: z.enum(["csv", "xlsx"]).default("csv"),
    }),
  },
  responses: {
    200: {
      description: "the report; the X-Figures-As-Of header gives the instant its figures stand at",
      headers: z.object({ "X-Figures-As-Of": z.string().openapi({ example: "2026-12-31T16:00:00.000Z" }) }),
      content: { "text/csv": { schema: z.string() }, [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...notFoundError,
    ...operatorErrors,
    501: { description: "format=xlsx on a runtime without the writer (Workers)" },
  },
});

/** The quarterly report as one sheet of an .xlsx workbook: the API's answer and the console's download. */
export async function quarterlyXlsx(c: Context<AppEnv>, query: { region: string; quarter: string }) {
  const write = xlsxWriter(c);
  const report = await quarterlyFigures(operatorContext(c), query);
  return download(
    c,
    { name: quarterlyCsvFilename(query.region, report.quarter.label, "xlsx"), type: XLSX_TYPE, body: write([quarterlySheet(report)]) },
    { "x-figures-as-of": report.asOf.toISOString() },
  );
}

export function mountStats(app: Router) {
  app.openapi(statsRoute, async (c) => c.json(await figuresFor(operatorContext(c), { region: c.req.valid("query").region }), 200));

  app.openapi(reportRoute, async (c) => {
    const { region, quarter, format } = c.req.valid("query");
    if (format === "xlsx") return quarterlyXlsx(c, { region, quarter });
    const report = await quarterlyFigures(operatorContext(c), { region, quarter });
    return c.body(quarterlyCsv(report), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${quarterlyCsvFilename(region, report.quarter.label)}"`,
      // A quarter still running is counted as of now: say which instant the figures stood at.
      "x-figures-as-of": report.asOf.toISOString(),
    });
  });
}
