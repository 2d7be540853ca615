import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppDeps } from "../deps.ts";
import type { ConsoleSession } from "../services/console-sessions.ts";
import type { OperatorActor } from "../services/context.ts";
import { AppError } from "./errors.ts";

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** the operator calling: by API key, or by console session */
    operator: OperatorActor;
    /** a console page's session (src/http/console) */
    consoleSession: ConsoleSession;
  };
};

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
