// Console sign-ins: an operator signs in with the phone on record and a code texted to it, or with
// their API token, and gets a session whose random token lives in an HttpOnly cookie and only as a
// hash here, and a CSRF token every changing form carries. A session ends when it expires, when the
// operator signs out, or when the operator is disabled. Sign-ins, codes and refusals are audited.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AppDeps } from "../deps.ts";
import { smsAddress } from "../delivery/personal-data.ts";
import { normalizeMobile } from "../shared/identifiers.ts";
import { maskPhone } from "../shared/masking.ts";
import { hashToken, newSmsCode } from "../shared/tokens.ts";
import { verificationCodeBody } from "../wording/notices.ts";
import { CHANNEL } from "../shared/channel-names.ts";
import { operatorActor, type OperatorActor } from "./context.ts";
import { operatorByToken } from "./operators.ts";

export const CONSOLE_SESSION = {
  /** a working day and the evening after it: signed in once a day */
  lifetimeMs: 12 * 3600_000,
  /** a texted code: how long it holds, how many tries, how many an operator may ask for in an hour */
  codeTtlMs: 10 * 60_000,
  codeAttempts: 5,
  codesPerHour: 5,
} as const;

type Deps = Pick<AppDeps, "prisma" | "clock">;
type CodeDeps = Deps & Pick<AppDeps, "pii" | "log" | "config" | "outboxQueued">;

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
  return startSession(deps, operator, "token");
}

async function startSession(deps: Deps, operator: OperatorActor, method: "token" | "sms"): Promise<{ cookie: string; session: ConsoleSession }> {
  const now = deps.clock();
  const cookie = newSecret(32);
  const csrfToken = newSecret(24);
  const row = await deps.prisma.consoleSession.create({
    data: { tokenHash: hashToken(cookie), operatorId: operator.id, csrfToken, createdAt: now, expiresAt: new Date(now.getTime() + CONSOLE_SESSION.lifetimeMs) },
  });
  await deps.prisma.auditLog.create({ data: { operatorId: operator.id, action: "console.signed_in", target: row.id, data: { method }, at: now } });
  return { cookie, session: { id: row.id, operator, csrfToken } };
}

/**
 * The active operator whose phone on record this is. Phones are sealed without a look-up hash, and a
 * county has tens or hundreds of operators: opening each is cheaper than keeping another copy.
 */
async function operatorWithPhone(deps: CodeDeps, phone: string) {
  const operators = await deps.prisma.operator.findMany({ where: { disabledAt: null, phoneEnc: { not: null } } });
  return operators.find((operator) => normalizeMobile(deps.pii.decrypt(operator.phoneEnc!)) === phone) ?? null;
}

const codeHash = (deps: CodeDeps, operatorId: string, code: string) => deps.pii.hash("console_code", `${operatorId}:${code}`);

/**
 * Texts a sign-in code to an operator's phone. The answer is the same whether or not the number is
 * an operator's (nobody learns whose numbers are on record); without an SMS provider, and only
 * outside production, the code is written to the log so that a laptop can sign in.
 */
export async function sendSignInCode(deps: CodeDeps, typed: string): Promise<void> {
  const now = deps.clock();
  const phone = normalizeMobile(typed);
  const operator = phone ? await operatorWithPhone(deps, phone) : null;
  if (!phone || !operator) {
    await deps.prisma.auditLog.create({ data: { action: "console.code_refused", data: { phone: phone ? maskPhone(phone) : "invalid" }, at: now } });
    return;
  }
  const recent = await deps.prisma.consoleCode.count({ where: { operatorId: operator.id, createdAt: { gt: new Date(now.getTime() - 3600_000) } } });
  if (recent >= CONSOLE_SESSION.codesPerHour) {
    await deps.prisma.auditLog.create({ data: { operatorId: operator.id, action: "console.code_refused", data: { reason: "too many codes this hour" }, at: now } });
    return;
  }
  const code = newSmsCode();
  await deps.prisma.$transaction(async (tx) => {
    const row = await tx.consoleCode.create({ data: { operatorId: operator.id, codeHash: codeHash(deps, operator.id, code), expiresAt: new Date(now.getTime() + CONSOLE_SESSION.codeTtlMs), createdAt: now } });
    // Someone is waiting for it at the sign-in page: a reply, which quiet hours do not hold.
    await tx.outboxMessage.create({
      data: { idempotencyKey: `console_code:${row.id}`, channel: CHANNEL.sms, address: smsAddress(deps.pii, phone), purpose: "reply", body: verificationCodeBody(code), nextAttemptAt: now, createdAt: now },
    });
    await tx.auditLog.create({ data: { operatorId: operator.id, action: "console.code_sent", target: row.id, at: now } });
  });
  deps.outboxQueued?.();
  const smsProvider = Boolean(deps.config.TWILIO_AUTH_TOKEN || deps.config.ALIYUN_SMS_ACCESS_KEY_ID);
  if (!smsProvider && deps.config.NODE_ENV !== "production") {
    deps.log.warn({ phone: maskPhone(phone) }, `no SMS provider: the console sign-in code is ${code}`);
  }
}

/** Signs in with a texted code: its operator's newest unused one, unexpired, within its tries. */
export async function signInWithCode(deps: CodeDeps, typedPhone: string, typedCode: string): Promise<{ cookie: string; session: ConsoleSession } | null> {
  const now = deps.clock();
  const phone = normalizeMobile(typedPhone);
  const operator = phone ? await operatorWithPhone(deps, phone) : null;
  const latest = operator ? await deps.prisma.consoleCode.findFirst({ where: { operatorId: operator.id, usedAt: null }, orderBy: { createdAt: "desc" } }) : null;
  const usable = latest && latest.expiresAt > now && latest.attempts < CONSOLE_SESSION.codeAttempts;
  if (!operator || !latest || !usable) {
    await deps.prisma.auditLog.create({ data: { operatorId: operator?.id ?? null, action: "console.sign_in_refused", data: { method: "sms" }, at: now } });
    return null;
  }
  // Counted before it is compared: guessing spends the tries whatever the answer.
  const { count } = await deps.prisma.consoleCode.updateMany({ where: { id: latest.id, attempts: latest.attempts, usedAt: null }, data: { attempts: { increment: 1 } } });
  const right = count === 1 && latest.codeHash === codeHash(deps, operator.id, typedCode.replace(/\s/g, ""));
  if (!right) {
    await deps.prisma.auditLog.create({ data: { operatorId: operator.id, action: "console.sign_in_refused", data: { method: "sms", reason: "wrong code" }, at: now } });
    return null;
  }
  await deps.prisma.consoleCode.update({ where: { id: latest.id }, data: { usedAt: now } });
  return startSession(deps, operatorActor(operator), "sms");
}

/** The session a cookie holds, while it has not expired or ended and its operator is active. */
export async function consoleSession(deps: Deps, cookie: string): Promise<ConsoleSession | null> {
  const row = await deps.prisma.consoleSession.findUnique({ where: { tokenHash: hashToken(cookie) }, include: { operator: true } });
  if (!row || row.endedAt || row.expiresAt <= deps.clock() || row.operator.disabledAt) return null;
  return { id: row.id, operator: operatorActor(row.operator), csrfToken: row.csrfToken };
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
