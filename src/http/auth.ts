// Operator API authentication: `Authorization: Bearer <token>`; the token's sha256 is looked up
// among API keys. What the operator may do is each verb's own rule (src/services/context.ts).
import type { Context, MiddlewareHandler } from "hono";
import { contextFor, type VerbContext } from "../services/context.ts";
import { operatorByToken } from "../services/operators.ts";
import { AppError } from "./errors.ts";
import type { AppEnv } from "./context.ts";

export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("unauthorized", "an operator API key is required: Authorization: Bearer <token>");
  const operator = await operatorByToken(c.get("deps"), match[1]!);
  if (!operator) throw new AppError("unauthorized", "the API key is not valid");
  c.set("operator", operator);
  await next();
};

/** The verbs' context for the operator calling. */
export const operatorContext = (c: Context<AppEnv>): VerbContext => contextFor(c.get("deps"), c.get("operator"));
