// Operator API authentication: `Authorization: Bearer <token>`; the token's sha256 is looked up
// among API keys. Roles: admin (everything), countyOfficial and coordinator (their regions only).
import { createHash, randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { OperatorRole, PrismaClient } from "../db/client.ts";
import { AppError } from "../shared/errors.ts";
import type { AppEnv, CallingOperator } from "./context.ts";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new API token: shown once to its owner, stored only as a hash. */
export const newApiToken = () => `zt_${randomBytes(24).toString("base64url")}`;

export function requireOperator(...roles: OperatorRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError("unauthorized", "an operator API key is required: Authorization: Bearer <token>");
    const operator = await findOperatorByToken(c.get("deps").prisma, match[1]!);
    if (!operator) throw new AppError("unauthorized", "the API key is not valid");
    if (roles.length > 0 && !roles.includes(operator.role)) {
      throw new AppError("forbidden", `this needs the role ${roles.join(" or ")}`);
    }
    c.set("operator", operator);
    await next();
  };
}

async function findOperatorByToken(prisma: PrismaClient, token: string): Promise<CallingOperator | null> {
  const key = await prisma.apiKey.findUnique({
    where: { hash: hashToken(token) },
    include: { operator: true },
  });
  if (!key || key.revokedAt || key.operator.disabledAt) return null;
  const { id, name, role, regionCodes } = key.operator;
  return { id, name, role, regionCodes };
}

/** May this operator see data of this region (a code at any level)? */
export function canSeeRegion(operator: CallingOperator, regionCode: string | null | undefined): boolean {
  if (operator.role === "admin") return true;
  if (!regionCode) return false;
  return operator.regionCodes.some((scope) => regionCode.startsWith(scope));
}

export function assertRegionAccess(operator: CallingOperator, regionCode: string | null | undefined): void {
  if (!canSeeRegion(operator, regionCode)) {
    throw new AppError("forbidden", `region ${regionCode ?? "(none)"} is outside your regions`);
  }
}

/**
 * The region prefixes a list query may cover: the requested region when the operator may see it,
 * else the operator's own regions; null means no restriction (administrators).
 */
export function regionScope(operator: CallingOperator, requested?: string): string[] | null {
  if (requested) {
    assertRegionAccess(operator, requested);
    return [requested];
  }
  return operator.role === "admin" ? null : operator.regionCodes;
}
