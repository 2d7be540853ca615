// The roster import: a county's file checked (a dry run) or imported (a job), and how an import
// stands. The file streams in: this route alone takes bodies above the usual 1 MB (ROSTER_MAX_BYTES).
import { createRoute, z } from "@hono/zod-openapi";
import { ROSTER_FIELDS } from "../services/roster/columns.ts";
import { checkRoster, mayImportRoster, rosterImportStatus, stageRoster, startRosterImport } from "../services/roster/import.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Context } from "hono";
import type { AppEnv, Router } from "./context.ts";
import { AppError } from "./errors.ts";
import { bearer, conflictError, notFoundError, operatorErrors } from "./schemas.ts";

/** A county's export of 100,000 people is about 18 MB as CSV; the largest counties' a few times that. */
export const ROSTER_MAX_BYTES = 200_000_000;
export const ROSTER_UPLOAD_PATHS = ["/api/imports/roster", "/console/imports"];

const refusedSchema = z.array(z.object({ line: z.number().int().openapi({ description: "the file's line, the header being line 1" }), reason: z.string() }));
const checkSchema = z
  .object({ rows: z.number().int(), new: z.number().int(), changed: z.number().int(), unchanged: z.number().int(), refused: refusedSchema, refusedNotListed: z.number().int() })
  .openapi("RosterCheck");
const statusSchema = z
  .object({
    importId: z.string(),
    region: z.string(),
    status: z.enum(["staged", "running", "done", "failed", "discarded"]),
    rowsDone: z.number().int(),
    rowsTotal: z.number().int(),
    new: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    left: z.number().int().openapi({ description: "people of the region the file no longer lists, marked when the import is done" }),
    leaving: z.number().int().openapi({ description: "while staged: people now on the region's roster the file does not list, who would be marked as left if it is confirmed" }),
    refused: refusedSchema,
    refusedNotListed: z.number().int().openapi({ description: "refused rows beyond the thousand listed" }),
  })
  .openapi("RosterImport");

const mappingSchema = z
  .string()
  .optional()
  .openapi({ description: `JSON: the file's own header names for the roster's fields, e.g. {"身份证":"idNumber"}; fields: ${ROSTER_FIELDS.join(", ")}` })
  .transform((text, ctx) => {
    if (!text) return undefined;
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // said below, as any other wrong mapping
    }
    const parsed = z.record(z.string(), z.enum(ROSTER_FIELDS)).safeParse(json);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: `a JSON object of header → field (${ROSTER_FIELDS.join(", ")})` });
      return z.NEVER;
    }
    return parsed.data;
  });

const importDef = createRoute({
  method: "post",
  path: "/api/imports/roster",
  summary: "Check (dryRun=true) or import a county's poverty roster (.csv in UTF-8 or GB18030, or .xlsx), sent as the multipart part `file`",
  description: "A dry run answers the counts and each refused row; nothing is written. Otherwise the rows are checked, staged and applied by a job: poll GET /api/imports/{importId}. Node only.",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: z.object({
      region: z.string().openapi({ description: "the county (6 digits) or city (4) the file covers: names resolve inside it", example: "350622" }),
      dryRun: z.enum(["true", "false"]).optional(),
      mapping: mappingSchema,
    }),
  },
  responses: {
    200: { description: "the dry run", content: { "application/json": { schema: checkSchema } } },
    202: { description: "the import started", content: { "application/json": { schema: checkSchema.extend({ importId: z.string() }) } } },
    ...operatorErrors,
    413: { description: "the file is too large" },
    501: { description: "not on this runtime (Workers)" },
  },
});

const statusDef = createRoute({
  method: "get",
  path: "/api/imports/{importId}",
  summary: "How a roster import stands: rows done of total, and what it found",
  security: bearer,
  middleware: [authenticate],
  request: { params: z.object({ importId: z.string().uuid() }) },
  responses: { 200: { description: "the import", content: { "application/json": { schema: statusSchema } } }, ...notFoundError, ...operatorErrors, ...conflictError },
});

/** The upload's file as streamed rows, where the runtime can read one. */
export async function rosterUpload(c: Context<AppEnv>) {
  const spreadsheets = c.get("deps").spreadsheets;
  if (!spreadsheets) throw new AppError("not_implemented", "roster imports run on the Node service; this runtime cannot read a large upload");
  return spreadsheets.upload(c.req.raw, { maxBytes: ROSTER_MAX_BYTES });
}

export const importView = (found: Awaited<ReturnType<typeof rosterImportStatus>>) => ({
  importId: found.id,
  region: found.regionCode,
  status: found.status,
  rowsDone: found.rowsDone,
  rowsTotal: found.rowsTotal,
  new: found.new,
  changed: found.changed,
  unchanged: found.unchanged,
  left: found.left,
  leaving: found.leaving,
  refused: found.refused as { line: number; reason: string }[],
  refusedNotListed: found.refusedMore,
});

export function mountImports(app: Router) {
  app.openapi(importDef, async (c) => {
    const { region, dryRun, mapping } = c.req.valid("query");
    const ctx = operatorContext(c);
    await mayImportRoster(ctx, { region });
    const upload = await rosterUpload(c);
    const file = { region, rows: upload.rows, mapping, fileName: upload.fileName };
    if (dryRun === "true") return c.json(await checkRoster(ctx, file), 200);
    const staged = await stageRoster(ctx, file);
    await startRosterImport(ctx, { importId: staged.importId });
    return c.json(staged, 202);
  });

  app.openapi(statusDef, async (c) => c.json(importView(await rosterImportStatus(operatorContext(c), { importId: c.req.valid("param").importId })), 200));
}
