import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps } from "../deps.ts";
import type { OperatorRole } from "../db/client.ts";
import { AppError } from "../shared/errors.ts";

export interface CallingOperator {
  id: string;
  name: string;
  role: OperatorRole;
  /** Region-code prefixes the operator may see; empty for administrators (they see all). */
  regionCodes: string[];
}

export type AppEnv = { Variables: { deps: AppDeps; operator: CallingOperator } };

/**
 * Every router is built with this: failed zod validation becomes the one error envelope, with the
 * zod issues as details.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("validation_failed", "the request is not valid", result.error.issues);
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;
