// Operators (administrators, county officials, coordinators) and their API keys. Only
// administrators manage them; every change is audited.
import type { AppDeps } from "../deps.ts";
import type { Db, OperatorRole } from "../db/client.ts";
import { conflict, invalid, notFound } from "../shared/errors.ts";
import { hashToken, newApiToken } from "../shared/tokens.ts";
import { actorId, ADMINS, audit, type OperatorActor, operatorActor, verb, type VerbContext } from "./context.ts";
import { sealPhone } from "./workers.ts";


export interface NewOperator {
  name: string;
  role: OperatorRole;
  regionCodes: string[];
  /** in clear: sealed here; where a coordinator's alerts go */
  phone?: string;
}

/** Creates an operator with one API key; the token is returned once and only its hash is kept. */
export const createOperator = verb({ roles: ADMINS, writes: true }, async (ctx: VerbContext, input: NewOperator) => {
  if (input.role !== "admin" && input.regionCodes.length === 0) throw invalid(`a ${input.role} needs at least one region`);
  const phone = input.phone ? sealPhone(ctx.pii, input.phone) : null;
  const token = newApiToken();
  const operator = await ctx.db.operator.create({
    data: {
      name: input.name,
      role: input.role,
      regionCodes: input.role === "admin" ? [] : input.regionCodes,
      phoneEnc: phone?.phoneEnc ?? null,
      phoneMasked: phone?.phoneMasked ?? null,
      createdAt: ctx.clock(),
      apiKeys: { create: { hash: hashToken(token), label: "created with the operator", createdAt: ctx.clock() } },
    },
  });
  await audit(ctx, "operator.created", operator.id, { role: input.role, regionCodes: input.regionCodes });
  return { operator, token };
});

export const listOperators = verb({ roles: ADMINS, writes: false }, async (ctx: VerbContext, _input: void) =>
  ctx.db.operator.findMany({ where: { disabledAt: null }, orderBy: { createdAt: "asc" } }),
);

async function activeOperator(db: Db, id: string) {
  const found = await db.operator.findFirst({ where: { id, disabledAt: null } });
  if (!found) throw notFound(`operator ${id}`);
  return found;
}

/** Sets (sealed) or clears the phone an operator's alerts go to. */
export const setOperatorPhone = verb({ roles: ADMINS, writes: true }, async (ctx: VerbContext, input: { operatorId: string; phone: string | null }) => {
  await activeOperator(ctx.db, input.operatorId);
  const phone = input.phone ? sealPhone(ctx.pii, input.phone) : null;
  const operator = await ctx.db.operator.update({ where: { id: input.operatorId }, data: { phoneEnc: phone?.phoneEnc ?? null, phoneMasked: phone?.phoneMasked ?? null } });
  await audit(ctx, phone ? "operator.phone.set" : "operator.phone.cleared", input.operatorId);
  return operator;
});

/**
 * Disables an operator: every key of theirs stops at once (the next request is 401), and so will
 * their console sessions. An administrator cannot disable themselves (someone must remain).
 */
export const disableOperator = verb({ roles: ADMINS, writes: true }, async (ctx: VerbContext, input: { operatorId: string }) => {
  if (input.operatorId === actorId(ctx.actor)) throw conflict("you cannot disable yourself");
  await activeOperator(ctx.db, input.operatorId);
  const now = ctx.clock();
  const operator = await ctx.db.operator.update({ where: { id: input.operatorId }, data: { disabledAt: now } });
  const { count } = await ctx.db.apiKey.updateMany({ where: { operatorId: input.operatorId, revokedAt: null }, data: { revokedAt: now } });
  // Their console sessions stop at once too.
  const sessions = await ctx.db.consoleSession.updateMany({ where: { operatorId: input.operatorId, endedAt: null }, data: { endedAt: now } });
  await audit(ctx, "operator.disabled", input.operatorId, { keysRevoked: count, sessionsEnded: sessions.count });
  return operator;
});

export const listApiKeys = verb({ roles: ADMINS, writes: false }, async (ctx: VerbContext, input: { operatorId: string }) =>
  ctx.db.apiKey.findMany({ where: { operatorId: input.operatorId }, orderBy: { createdAt: "asc" } }),
);

/** A new API key for an operator (a lost token, a second device): the token is returned once. */
export const issueApiKey = verb({ roles: ADMINS, writes: true }, async (ctx: VerbContext, input: { operatorId: string; label: string }) => {
  await activeOperator(ctx.db, input.operatorId);
  const token = newApiToken();
  const key = await ctx.db.apiKey.create({ data: { operatorId: input.operatorId, hash: hashToken(token), label: input.label, createdAt: ctx.clock() } });
  await audit(ctx, "api_key.issued", key.id, { operatorId: input.operatorId });
  return { key, token };
});

/** Revokes one API key at once (a leaked token); the operator's other keys go on. */
export const revokeApiKey = verb({ roles: ADMINS, writes: true }, async (ctx: VerbContext, input: { operatorId: string; keyId: string }) => {
  const { count } = await ctx.db.apiKey.updateMany({ where: { id: input.keyId, operatorId: input.operatorId, revokedAt: null }, data: { revokedAt: ctx.clock() } });
  if (count === 0) throw notFound(`API key ${input.keyId}`);
  await audit(ctx, "api_key.revoked", input.keyId, { operatorId: input.operatorId });
  return ctx.db.apiKey.findUniqueOrThrow({ where: { id: input.keyId } });
});

/** The operator an API token belongs to, while the key and the operator are both active. */
export async function operatorByToken(deps: Pick<AppDeps, "prisma">, token: string): Promise<OperatorActor | null> {
  const key = await deps.prisma.apiKey.findUnique({ where: { hash: hashToken(token) }, include: { operator: true } });
  if (!key || key.revokedAt || key.operator.disabledAt) return null;
  return operatorActor(key.operator);
}

/**
 * The first administrator. With ADMIN_TOKEN its hash becomes an admin key (idempotent). Without
 * it, a token is generated on the very first start and returned so the entry can print it once.
 */
export async function ensureAdministrator(ctx: VerbContext, adminToken?: string): Promise<{ generatedToken?: string }> {
  if (adminToken) {
    const hash = hashToken(adminToken);
    const existing = await ctx.db.apiKey.findUnique({ where: { hash } });
    if (!existing) {
      await ctx.db.operator.create({
        data: { name: "Administrator", role: "admin", regionCodes: [], createdAt: ctx.clock(), apiKeys: { create: { hash, label: "ADMIN_TOKEN", createdAt: ctx.clock() } } },
      });
    }
    return {};
  }
  const anyAdmin = await ctx.db.operator.findFirst({ where: { role: "admin", disabledAt: null } });
  if (anyAdmin) return {};
  const { token } = await createOperator(ctx, { name: "Administrator", role: "admin", regionCodes: [] });
  return { generatedToken: token };
}
