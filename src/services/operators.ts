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
