// Region look-ups for people: names repeat across the country (88 townships are called 城关镇), so a
// name is always resolved inside its parent.
import type { PrismaClient } from "../db/client.ts";

export interface RegionView {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

export async function listRegions(
  prisma: PrismaClient,
  query: { parent?: string | undefined; q?: string | undefined; limit: number },
): Promise<RegionView[]> {
  const where = query.q
    ? { name: { contains: query.q }, ...(query.parent ? { code: { startsWith: query.parent } } : {}) }
    : query.parent
      ? { parentCode: query.parent }
      : { level: 1 };
  return prisma.region.findMany({
    where,
    orderBy: [{ level: "asc" }, { code: "asc" }],
    take: query.limit,
    select: { code: true, name: true, level: true, parentCode: true },
  });
}
