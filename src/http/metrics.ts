// GET /metrics: the service's counters and the queues' state in Prometheus's text format, for an
// administrator's API key or the scraper's own METRICS_TOKEN (which opens nothing else).
import { createRoute, z } from "@hono/zod-openapi";
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { operationalGauges } from "../services/metrics.ts";
import { createMetrics } from "../shared/metrics.ts";
import { operatorByToken } from "../services/operators.ts";
import type { AppEnv, Router } from "./context.ts";
import { AppError } from "./errors.ts";
import { bearer, operatorErrors } from "./schemas.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

/** An administrator's key, or METRICS_TOKEN compared in constant time. */
const scraperOrAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match) throw new AppError("unauthorized", "a bearer token is required: an administrator's API key or METRICS_TOKEN");
  const deps = c.get("deps");
  const scraper = deps.config.METRICS_TOKEN;
  if (scraper && timingSafeEqual(digest(match[1]!), digest(scraper))) return next();
  const operator = await operatorByToken(deps, match[1]!);
  if (!operator) throw new AppError("unauthorized", "the token is not valid");
  if (operator.role !== "admin") throw new AppError("forbidden", "the metrics are for administrators and the metrics scraper");
  await next();
};

const route = createRoute({
  method: "get",
  path: "/metrics",
  summary: "Prometheus metrics: turns and their latency per channel, sends per provider, the outbox's and the job queue's backlog, database and search health",
  security: bearer,
  middleware: [scraperOrAdmin],
  responses: {
    200: { description: "the text exposition format, version 0.0.4", content: { "text/plain": { schema: z.string() } } },
    401: operatorErrors[401],
    403: operatorErrors[403],
  },
});

export function mountMetrics(app: Router) {
  app.openapi(route, async (c) => {
    const deps = c.get("deps");
    const gauges = await operationalGauges(deps);
    const rss = typeof process !== "undefined" && typeof process.memoryUsage?.rss === "function" ? process.memoryUsage.rss() : null;
    if (rss !== null) gauges.push({ name: "zt_process_resident_memory_bytes", help: "This process's resident memory.", value: rss });
    // A process built without counters (a test's, a one-off command's) still reports the queues.
    const body = (deps.metrics ?? createMetrics()).render(gauges);
    return c.text(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
}
