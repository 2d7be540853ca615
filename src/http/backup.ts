// POST /api/backup: the running service's embedded database as a gzipped tar, for an administrator
// (npm run restore brings it back; README, Deploying).
import { createRoute, z } from "@hono/zod-openapi";
import { recordBackup } from "../services/backups.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, errorSchema, operatorErrors } from "./schemas.ts";

const route = createRoute({
  method: "post",
  path: "/api/backup",
  summary: "A consistent copy of the embedded database, as it stands (administrators; on PostgreSQL use pg_dump)",
  security: bearer,
  middleware: [authenticate],
  responses: {
    200: { description: "the database folder as a gzipped tar", content: { "application/gzip": { schema: z.string().openapi({ format: "binary" }) } } },
    ...operatorErrors,
    409: { description: "the service runs on PostgreSQL", content: { "application/json": { schema: errorSchema } } },
  },
});

export function mountBackup(app: Router) {
  app.openapi(route, async (c) => {
    const { backup } = c.get("deps");
    await recordBackup(operatorContext(c), { embedded: backup !== undefined });
    const copy = await backup!();
    const name = `zhitongche-backup-${new Date().toISOString().slice(0, 10)}.tar.gz`;
    return c.body(copy.stream(), 200, { "content-type": "application/gzip", "content-disposition": `attachment; filename="${name}"` });
  });
}
