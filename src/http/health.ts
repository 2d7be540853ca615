import { createRoute, z } from "@hono/zod-openapi";
import { searchHealth } from "../../matching/search-client.ts";
import type { Router } from "./context.ts";
import { databaseHealth } from "../services/health.ts";

const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    db: z.enum(["ok", "unavailable"]),
    search: z.enum(["ok", "unavailable"]),
  })
  .openapi("Health");

const route = createRoute({
  method: "get",
  path: "/health",
  summary: "Readiness: database and search engine",
  responses: {
    200: { description: "everything answers", content: { "application/json": { schema: healthSchema } } },
    503: { description: "a part does not answer", content: { "application/json": { schema: healthSchema } } },
  },
});

export function mountHealth(app: Router) {
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const [db, searchStatus] = await Promise.all([databaseHealth(deps), searchHealth(deps.search)]);
    const status = db === "ok" && searchStatus === "ok" ? "ok" : "degraded";
    return c.json({ status, db, search: searchStatus }, status === "ok" ? 200 : 503);
  });
}
