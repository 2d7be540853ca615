// Operators (administrators, county officials, coordinators) and their API keys. Administrators
// manage every operator; a county official, the coordinators of their own county (those whose
// every region lies inside the official's). Keys are the administrators'. Every change is audited.
import type { AppDeps } from "../deps.ts";
import type { OperatorRole } from "../db/client.ts";
import { conflict, invalid, notFound } from "../shared/errors.ts";
import { normalizeMobile } from "../shared/identifiers.ts";
import { hashToken, newApiToken } from "../shared/tokens.ts";
import { forbidden } from "../shared/errors.ts";
import { type Actor, actorId, ADMINS, audit, canSeeRegion, OFFICIALS, type OperatorActor, operatorActor, verb, type VerbContext } from "./context.ts";
import { sealPhone } from "./workers.ts";


export interface NewOperator {
  name: string;
  role: OperatorRole;
  regionCodes: string[];
  /** in clear: sealed here; where a coordinator's alerts go */
  phone?: string;
}

/** Whether the actor may manage an operator of this role and these regions. */
export function manages(actor: Actor, operator: { role: OperatorRole; regionCodes: readonly string[] }): boolean {
  if (actor.kind === "service" || actor.role === "admin") return true;
  return (
    actor.role === "countyOfficial" &&
    operator.role === "coordinator" &&
    operator.regionCodes.length > 0 &&
    operator.regionCodes.every((code) => canSeeRegion(actor, code))
  );
}

function requireManages(actor: Actor, operator: { role: OperatorRole; regionCodes: readonly string[] }): void {
  if (!manages(actor, operator)) throw forbidden("a county official manages only the coordinators of their own regions");
}

/** Creates an operator with one API key; the token is returned once and only its hash is kept. */
export const createOperator = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: NewOperator) => {
  if (input.role !== "admin" && input.regionCodes.length === 0) throw invalid(`a ${input.role} needs at least one region`);
  requireManages(ctx.actor, input);
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

export interface CoordinatorRow {
  name: string;
  phone: string;
  regionCodes: string[];
}

/** What is wrong with a row of an uploaded list: which field, and how. */
export interface CoordinatorRowProblem {
  index: number;
  field: "name" | "phone" | "regionCodes";
  problem: "missing" | "invalid" | "unknown" | "outside" | "twice";
}

/**
 * A list of coordinators (a county's 协理员, from a spreadsheet) created at once: every row checked
 * first, and any problem leaves all of them uncreated. Each signs in with the phone on record.
 */
export const createCoordinators = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, rows: readonly CoordinatorRow[]) => {
  const problems: CoordinatorRowProblem[] = [];
  const codes = [...new Set(rows.flatMap((row) => row.regionCodes))];
  const known = new Set((await ctx.db.region.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((region) => region.code));
  const phones = new Set<string>();
  rows.forEach((row, index) => {
    if (!row.name.trim() || row.name.trim().length > 40) problems.push({ index, field: "name", problem: row.name.trim() ? "invalid" : "missing" });
    const phone = normalizeMobile(row.phone);
    if (!phone) problems.push({ index, field: "phone", problem: row.phone.trim() ? "invalid" : "missing" });
    else if (phones.has(phone)) problems.push({ index, field: "phone", problem: "twice" });
    else phones.add(phone);
    if (row.regionCodes.length === 0) problems.push({ index, field: "regionCodes", problem: "missing" });
    else if (row.regionCodes.some((code) => !known.has(code))) problems.push({ index, field: "regionCodes", problem: "unknown" });
    else if (!manages(ctx.actor, { role: "coordinator", regionCodes: row.regionCodes })) problems.push({ index, field: "regionCodes", problem: "outside" });
  });
  if (problems.length > 0 || rows.length === 0) return { created: [], problems };
  const created = [];
  for (const row of rows) {
    const phone = sealPhone(ctx.pii, row.phone);
    const operator = await ctx.db.operator.create({
      data: { name: row.name.trim(), role: "coordinator", regionCodes: row.regionCodes, phoneEnc: phone.phoneEnc, phoneMasked: phone.phoneMasked, createdAt: ctx.clock() },
    });
    await audit(ctx, "operator.created", operator.id, { role: "coordinator", regionCodes: row.regionCodes, via: "upload" });
    created.push(operator);
  }
  return { created, problems };
});

/** The active operators the actor manages (all of them, for an administrator). */
export const listOperators = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, _input: void) =>
  (await ctx.db.operator.findMany({ where: { disabledAt: null }, orderBy: { createdAt: "asc" } })).filter((operator) => manages(ctx.actor, operator)),
);

/** An active operator the actor manages; one they do not manage is refused as though it were not there. */
async function activeOperator(ctx: VerbContext, id: string) {
  const found = await ctx.db.operator.findFirst({ where: { id, disabledAt: null } });
  if (!found) throw notFound(`operator ${id}`);
  requireManages(ctx.actor, found);
  return found;
}

/** Sets (sealed) or clears the phone an operator's alerts go to. */
export const setOperatorPhone = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: { operatorId: string; phone: string | null }) => {
  await activeOperator(ctx, input.operatorId);
  const phone = input.phone ? sealPhone(ctx.pii, input.phone) : null;
  const operator = await ctx.db.operator.update({ where: { id: input.operatorId }, data: { phoneEnc: phone?.phoneEnc ?? null, phoneMasked: phone?.phoneMasked ?? null } });
  await audit(ctx, phone ? "operator.phone.set" : "operator.phone.cleared", input.operatorId);
  return operator;
});

/**
 * Disables an operator: every key of theirs stops at once (the next request is 401), and so will
 * their console sessions. An administrator cannot disable themselves (someone must remain).
 */
export const disableOperator = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: { operatorId: string }) => {
  if (input.operatorId === actorId(ctx.actor)) throw conflict("you cannot disable yourself");
  await activeOperator(ctx, input.operatorId);
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
  await activeOperator(ctx, input.operatorId);
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
