import { createRoute, z } from "@hono/zod-openapi";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, operatorErrors, regionCode } from "./schemas.ts";
import { listRegions } from "../services/regions.ts";

const regionSchema = z
  .object({ code: z.string(), name: z.string(), level: z.number().int(), parentCode: z.string().nullable() })
  .openapi("Region");

const route = createRoute({
  method: "get",
  path: "/api/regions",
  summary: "Administrative divisions: the children of a region, or regions by name",
  description:
    "Without parameters: the provinces. `parent`: its direct children. `q`: regions whose name contains it, inside `parent` when given (names repeat across the country: resolve a name inside its parent).",
  security: bearer,
  middleware: [authenticate],
  request: {
    query: z.object({
      parent: regionCode.optional(),
      q: z.string().trim().min(1).max(40).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: { description: "regions", content: { "application/json": { schema: z.object({ regions: z.array(regionSchema) }) } } },
    ...operatorErrors,
  },
});

export function mountRegions(app: Router) {
  app.openapi(route, async (c) => {
    const { parent, q, limit } = c.req.valid("query");
    const regions = await listRegions(operatorContext(c), { parent, q, limit });
    return c.json({ regions }, 200);
  });
}
