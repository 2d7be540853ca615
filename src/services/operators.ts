// Operators (administrators, county officials, coordinators) and their API keys.
import type { OperatorRole, PrismaClient } from "../db/client.ts";
import { hashToken, newApiToken } from "../http/auth.ts";
import { AppError, notFound } from "../shared/errors.ts";

export interface NewOperator {
  name: string;
  role: OperatorRole;
  regionCodes: string[];
  /** sealed (services/workers.ts sealPhone): where a coordinator's alerts go */
  phone?: { phoneEnc: string; phoneMasked: string };
}

/** Creates an operator with one API key; the token is returned once and only its hash is kept. */
export async function createOperator(prisma: PrismaClient, input: NewOperator, createdBy?: string) {
  if (input.role !== "admin" && input.regionCodes.length === 0) {
    throw new AppError("validation_failed", `a ${input.role} needs at least one region`);
  }
  const token = newApiToken();
  const operator = await prisma.$transaction(async (tx) => {
    const created = await tx.operator.create({
      data: {
        name: input.name,
        role: input.role,
        regionCodes: input.role === "admin" ? [] : input.regionCodes,
        phoneEnc: input.phone?.phoneEnc ?? null,
        phoneMasked: input.phone?.phoneMasked ?? null,
        apiKeys: { create: { hash: hashToken(token), label: "created with the operator" } },
      },
    });
    await tx.auditLog.create({
      data: { operatorId: createdBy ?? null, action: "operator.created", target: created.id, data: { role: input.role, regionCodes: input.regionCodes } },
    });
    return created;
  });
  return { operator, token };
}

/**
 * The first administrator. With ADMIN_TOKEN its hash becomes an admin key (idempotent). Without
 * it, a token is generated on the very first start and returned so the entry can print it once.
 */
export async function ensureAdministrator(prisma: PrismaClient, adminToken?: string): Promise<{ generatedToken?: string }> {
  if (adminToken) {
    const hash = hashToken(adminToken);
    const existing = await prisma.apiKey.findUnique({ where: { hash } });
    if (!existing) {
      await prisma.operator.create({
        data: { name: "Administrator", role: "admin", regionCodes: [], apiKeys: { create: { hash, label: "ADMIN_TOKEN" } } },
      });
    }
    return {};
  }
  const anyAdmin = await prisma.operator.findFirst({ where: { role: "admin", disabledAt: null } });
  if (anyAdmin) return {};
  const { token } = await createOperator(prisma, { name: "Administrator", role: "admin", regionCodes: [] });
  return { generatedToken: token };
}

/** Sets (sealed) or clears the phone an operator's alerts go to. */
export async function setOperatorPhone(prisma: PrismaClient, id: string, phone: NewOperator["phone"] | null, changedBy: string) {
  return prisma.$transaction(async (tx) => {
    const found = await tx.operator.findFirst({ where: { id, disabledAt: null } });
    if (!found) throw notFound(`operator ${id}`);
    const operator = await tx.operator.update({ where: { id }, data: { phoneEnc: phone?.phoneEnc ?? null, phoneMasked: phone?.phoneMasked ?? null } });
    await tx.auditLog.create({ data: { operatorId: changedBy, action: phone ? "operator.phone.set" : "operator.phone.cleared", target: id } });
    return operator;
  });
}

/**
 * Disables an operator: every key of theirs stops at once (the next request is 401), and so will
 * their console sessions. An administrator cannot disable themselves (someone must remain).
 */
export async function disableOperator(prisma: PrismaClient, id: string, by: string, now: Date) {
  if (id === by) throw new AppError("conflict", "you cannot disable yourself");
  return prisma.$transaction(async (tx) => {
    const found = await tx.operator.findFirst({ where: { id, disabledAt: null } });
    if (!found) throw notFound(`operator ${id}`);
    const operator = await tx.operator.update({ where: { id }, data: { disabledAt: now } });
    const { count } = await tx.apiKey.updateMany({ where: { operatorId: id, revokedAt: null }, data: { revokedAt: now } });
    await tx.auditLog.create({ data: { operatorId: by, action: "operator.disabled", target: id, data: { keysRevoked: count }, at: now } });
    return operator;
  });
}

/** A new API key for an operator (a lost token, a second device): the token is returned once. */
export async function issueApiKey(prisma: PrismaClient, operatorId: string, label: string, by: string, now: Date) {
  const token = newApiToken();
  const key = await prisma.$transaction(async (tx) => {
    const found = await tx.operator.findFirst({ where: { id: operatorId, disabledAt: null } });
    if (!found) throw notFound(`operator ${operatorId}`);
    const created = await tx.apiKey.create({ data: { operatorId, hash: hashToken(token), label, createdAt: now } });
    await tx.auditLog.create({ data: { operatorId: by, action: "api_key.issued", target: created.id, data: { operatorId }, at: now } });
    return created;
  });
  return { key, token };
}

/** Revokes one API key at once (a leaked token); the operator's other keys go on. */
export async function revokeApiKey(prisma: PrismaClient, operatorId: string, keyId: string, by: string, now: Date) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id: keyId, operatorId, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw notFound(`API key ${keyId}`);
    await tx.auditLog.create({ data: { operatorId: by, action: "api_key.revoked", target: keyId, data: { operatorId }, at: now } });
    return tx.apiKey.findUniqueOrThrow({ where: { id: keyId } });
  });
}

export const listApiKeys = (prisma: PrismaClient, operatorId: string) => prisma.apiKey.findMany({ where: { operatorId }, orderBy: { createdAt: "asc" } });
