// Readiness, as /health reports it: does the database answer?
import type { AppDeps } from "../deps.ts";

export const databaseHealth = (deps: Pick<AppDeps, "sql">): Promise<"ok" | "unavailable"> =>
  deps.sql.query("SELECT 1").then(
    () => "ok" as const,
    () => "unavailable" as const,
  );
