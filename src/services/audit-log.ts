// Reading the audit log: who did what, when — newest first (ids grow with time), by action,
// operator, target or day.
// Administrators only: the log names every reveal of personal data.
import { endOfChinaDay } from "../shared/china-time.ts";
import { invalid } from "../shared/errors.ts";
import { ADMINS, verb, type VerbContext } from "./context.ts";

export interface AuditQuery {
  action?: string | undefined;
  operatorId?: string | undefined;
  target?: string | undefined;
  /** a China-time day, YYYY-MM-DD */
  day?: string | undefined;
  limit: number;
  /** the last id of the previous page (ids grow with time) */
  before?: string | undefined;
}

export const listAudit = verb({ roles: ADMINS, writes: false }, async (ctx: VerbContext, query: AuditQuery) => {
  let at: { gte: Date; lt: Date } | undefined;
  if (query.day) {
    const end = endOfChinaDay(query.day);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(query.day) || Number.isNaN(end.getTime())) throw invalid("day: YYYY-MM-DD");
    at = { gte: new Date(end.getTime() - 24 * 3600 * 1000), lt: end };
  }
  const rows = await ctx.db.auditLog.findMany({
    where: {
      ...(query.action ? { action: query.action } : {}),
      ...(query.operatorId ? { operatorId: query.operatorId } : {}),
      ...(query.target ? { target: query.target } : {}),
      ...(at ? { at } : {}),
      ...(query.before ? { id: { lt: query.before } } : {}),
    },
    orderBy: { id: "desc" },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const ids = [...new Set(page.flatMap((row) => (row.operatorId ? [row.operatorId] : [])))];
  const operators = await ctx.db.operator.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, role: true } });
  const byId = new Map(operators.map((operator) => [operator.id, operator]));
  return {
    entries: page.map((row) => ({ ...row, operator: row.operatorId ? (byId.get(row.operatorId) ?? null) : null })),
    next: rows.length > query.limit ? page.at(-1)!.id : null,
  };
});
