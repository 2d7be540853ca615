import { createRoute, z } from "@hono/zod-openapi";
import { normalizeTitle, suggestOccupations } from "../../matching/occupations.ts";
import { AppError } from "./errors.ts";
import { authenticate } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, notFoundError, operatorErrors } from "./schemas.ts";

const matchSchema = z
  .object({
    code: z.string().openapi({ example: "4-10-01-06" }),
    name: z.string().openapi({ example: "家政服务员" }),
    confidence: z.number().min(0).max(1),
  })
  .openapi("OccupationMatch");

const route = createRoute({
  method: "get",
  path: "/api/occupations/normalize",
  summary: "A job title as people write it → an occupation code (职业分类大典 2022)",
  security: bearer,
  middleware: [authenticate],
  request: { query: z.object({ title: z.string().trim().min(1).max(200) }) },
  responses: {
    200: {
      description: "the best occupation, with runner-up candidates",
      content: { "application/json": { schema: matchSchema.extend({ candidates: z.array(matchSchema) }) } },
    },
    ...notFoundError,
    ...operatorErrors,
  },
});

export function mountOccupations(app: Router) {
  app.openapi(route, (c) => {
    const { title } = c.req.valid("query");
    const best = normalizeTitle(title);
    if (!best) throw new AppError("not_found", `no occupation recognised in "${title}"`);
    return c.json({ ...best, candidates: suggestOccupations(title, 5) }, 200);
  });
}
