// Builds the HTTP application from its dependencies. Runtime-neutral: the Node and Workers entries
// both call buildApp; nothing here reads the environment.
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";
import { channels } from "../bots/index.ts";
import { createConversationHost } from "./conversation/host.ts";
import type { AppDeps } from "./deps.ts";
import { createRouter, type AppEnv } from "./http/context.ts";
import { mountCampaigns } from "./http/campaigns.ts";
import { mountConsole } from "./http/console/routes.ts";
import { mountFrontDoor } from "./http/front-door.ts";
import { mountHealth } from "./http/health.ts";
import { mountMetrics } from "./http/metrics.ts";
import { mountBackup } from "./http/backup.ts";
import { mountImports, ROSTER_UPLOAD_PATHS } from "./http/imports.ts";
import { mountLedger } from "./http/ledger.ts";
import { mountOccupations } from "./http/occupations.ts";
import { mountEmployers } from "./http/employers.ts";
import { mountOperators } from "./http/operators.ts";
import { mountPlans } from "./http/plans.ts";
import { mountPolicies } from "./http/policies.ts";
import { mountRegions } from "./http/regions.ts";
import { mountStats } from "./http/stats.ts";
import { mountTraining } from "./http/training.ts";
import { mountVacancies } from "./http/vacancies.ts";
import { mountWorkers } from "./http/workers.ts";
import { consoleCodeLimit, consoleSignInLimit, keyGuessingLimit, operatorLimit } from "./http/rate-limits.ts";
import { createRegionLookups } from "./conversation/region-lookups.ts";
import { AppError, errorBody, fromDomain } from "./http/errors.ts";
import { DomainError } from "./shared/errors.ts";

/** Request bodies larger than this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

const routeGroups = [mountFrontDoor, mountHealth, mountMetrics, mountBackup, mountRegions, mountOccupations, mountWorkers, mountVacancies, mountOperators, mountStats, mountLedger, mountPolicies, mountPlans, mountEmployers, mountTraining, mountCampaigns, mountImports, mountConsole];

export function buildApp(deps: AppDeps) {
  const app = createRouter();

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    const started = performance.now();
    await next();
    // One line per request, by route pattern: paths can hold secrets (Aliyun's callback path) and
    // queries personal data, and neither belongs in a log.
    deps.log.info({ method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, "request");
  });
  const tooLarge = () => new AppError("payload_too_large", `the body is larger than ${MAX_BODY_BYTES} bytes`);
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw tooLarge();
    },
  });
  // A roster file streams through its own reader, with its own limit (src/http/imports.ts). A
  // declared length is checked from its header: bodyLimit starts by touching the request's body,
  // which makes the Node adapter build a web Request with streams for every request (GETs too)
  // and read the body through them rather than straight from the socket, a twentieth of a chat
  // turn's CPU. Only a body of undeclared length is counted by bodyLimit as it streams.
  app.use("*", (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (c.req.method === "POST" && ROSTER_UPLOAD_PATHS.includes(c.req.path)) return next();
    const declared = c.req.header("content-length");
    if (declared === undefined || c.req.header("transfer-encoding") !== undefined) return limitBody(c, next);
    if (Number(declared) > MAX_BODY_BYTES) throw tooLarge();
    return next();
  });

  app.use("/api/*", keyGuessingLimit(deps.rateLimits), operatorLimit(deps.rateLimits));
  app.use("/console/sign-in", consoleSignInLimit(deps.rateLimits));
  app.use("/console/sign-in/sms", consoleSignInLimit(deps.rateLimits));
  app.use("/console/sign-in/code", consoleCodeLimit(deps.rateLimits));
  for (const mount of routeGroups) mount(app);
  const ports = createConversationHost(deps, createRegionLookups(deps.prisma));
  for (const channel of channels) {
    if (channel.enabled(deps.config)) channel.mount(app, { ports, config: deps.config, log: deps.log, clock: deps.clock, rateLimits: deps.rateLimits });
  }
  if (deps.config.simulatorEnabled && deps.config.NODE_ENV === "production") {
    deps.log.error("THE WEB SIMULATOR IS ON IN PRODUCTION (SIMULATOR_ENABLED=on): anyone can chat as anyone at /simulator; switch it off");
  }

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "就业直通车 Zhitongche",
      version: "0.1.0",
      description: "Employment assistance for rural workers: operator API, channel webhooks and the web simulator.",
    },
  });

  const otherMethods = allowedMethodsFinder(app);
  app.notFound((c) => {
    const allowed = otherMethods(c.req.path);
    if (allowed.length > 0) {
      c.header("Allow", allowed.join(", "));
      return c.json(errorBody(new AppError("method_not_allowed", `${c.req.method} is not allowed here; use ${allowed.join(" or ")}`)), 405);
    }
    return c.json(errorBody(new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`)), 404);
  });

  app.onError((error, c) => toErrorResponse(error, c, deps));
  // A turn can outlive its request (WeChat answers "success" after 4 s and the turn goes on): a
  // clean shutdown lets such turns finish before the database closes.
  return Object.assign(app, { drainTurns: () => ports.drain() });
}

function toErrorResponse(error: Error, c: Context<AppEnv>, deps: AppDeps) {
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else if (error instanceof DomainError) {
    appError = fromDomain(error);
  } else if (error instanceof HTTPException && error.status < 500) {
    // Hono's own validators throw these, e.g. for a JSON body that does not parse.
    const message = error.message || "bad request";
    appError = /json/i.test(message)
      ? new AppError("invalid_json", "the body is not valid JSON")
      : error.status === 413
        ? new AppError("payload_too_large", message)
        : error.status === 415
          ? new AppError("unsupported_media_type", message)
          : new AppError("bad_request", message);
  } else {
    // The route's pattern, never the path: a path can be a secret (Aliyun's callback).
    deps.log.error({ err: error, method: c.req.method, route: c.req.routePath }, "request failed");
    appError = new AppError("internal", "something went wrong on our side; it has been logged");
  }
  // The rest of a refused body is never read: the connection closes after the answer, and says so,
  // so a keep-alive client (a proxy's pool) sends its next request on a fresh one.
  if (appError.code === "payload_too_large") c.header("Connection", "close");
  return c.json(errorBody(appError), appError.status as 400);
}

/** For 405: which methods the app does serve on a path it has no route for with this method. */
function allowedMethodsFinder(app: { routes: { method: string; path: string }[] }) {
  let compiled: { method: string; pattern: RegExp }[] | undefined;
  return (path: string): string[] => {
    compiled ??= app.routes
      .filter((route) => route.method !== "ALL" && !route.path.includes("*"))
      .map((route) => ({
        method: route.method,
        pattern: new RegExp(`^${route.path.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]\w*/g, "[^/]+")}/?$`),
      }));
    return [...new Set(compiled.filter((route) => route.pattern.test(path)).map((route) => route.method))];
  };
}
