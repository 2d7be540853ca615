// Console sign-ins: an operator signs in (with their API token, for now), gets a session whose
// random token lives in an HttpOnly cookie and only as a hash here, and a CSRF token every changing
// form carries. A session ends when it expires, when the operator signs out, or when the operator
// is disabled. Sign-ins and refusals are audited.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AppDeps } from "../deps.ts";
import { hashToken } from "../shared/tokens.ts";
import type { OperatorActor } from "./context.ts";
import { operatorByToken } from "./operators.ts";

export const CONSOLE_SESSION = {
  /** a working day and the evening after it: signed in once a day */
  lifetimeMs: 12 * 3600_000,
} as const;

type Deps = Pick<AppDeps, "prisma" | "clock">;

export interface ConsoleSession {
  id: string;
  operator: OperatorActor;
  csrfToken: string;
}

const newSecret = (bytes: number) => randomBytes(bytes).toString("base64url");

/** Signs in with an API token; null (and an audit line) when the token is not an active operator's. */
export async function signInWithToken(deps: Deps, apiToken: string): Promise<{ cookie: string; session: ConsoleSession } | null> {
  const now = deps.clock();
  const operator = await operatorByToken(deps, apiToken);
  if (!operator) {
    await deps.prisma.auditLog.create({ data: { action: "console.sign_in_refused", data: { method: "token" }, at: now } });
    return null;
  }
  const cookie = newSecret(32);
  const csrfToken = newSecret(24);
  const row = await deps.prisma.consoleSession.create({
    data: { tokenHash: hashToken(cookie), operatorId: operator.id, csrfToken, createdAt: now, expiresAt: new Date(now.getTime() + CONSOLE_SESSION.lifetimeMs) },
  });
  await deps.prisma.auditLog.create({ data: { operatorId: operator.id, action: "console.signed_in", target: row.id, data: { method: "token" }, at: now } });
  return { cookie, session: { id: row.id, operator, csrfToken } };
}

/** The session a cookie holds, while it has not expired or ended and its operator is active. */
export async function consoleSession(deps: Deps, cookie: string): Promise<ConsoleSession | null> {
  const row = await deps.prisma.consoleSession.findUnique({ where: { tokenHash: hashToken(cookie) }, include: { operator: true } });
  if (!row || row.endedAt || row.expiresAt <= deps.clock() || row.operator.disabledAt) return null;
  const { id, name, role, regionCodes } = row.operator;
  return { id: row.id, operator: { kind: "operator", id, name, role, regionCodes }, csrfToken: row.csrfToken };
}

/** Does a form's CSRF token match the session's? */
export function csrfMatches(session: ConsoleSession, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const [a, b] = [Buffer.from(session.csrfToken), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function signOut(deps: Deps, session: ConsoleSession): Promise<void> {
  const now = deps.clock();
  await deps.prisma.consoleSession.updateMany({ where: { id: session.id, endedAt: null }, data: { endedAt: now } });
  await deps.prisma.auditLog.create({ data: { operatorId: session.operator.id, action: "console.signed_out", target: session.id, at: now } });
}
