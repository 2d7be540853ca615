// One context for every domain verb, whichever door calls it (the operator API, the console, the
// chat, a job): the database, the clock, who is acting, the sealing of personal data, the job
// queue and the log. A verb is defined with its rule (which roles may call it, whether it writes):
// `verb()` checks the role, runs a writing verb in one transaction (its audit line and its queued
// jobs commit with its change, or none of them do) and wakes the job runner afterwards. The verb
// itself checks the regions of what it touches (`requireRegion`, `regionScope`), so no door can
// forget them.
import type { MatchingIndexes } from "../../matching/indexes.ts";
import type { AppDeps } from "../deps.ts";
import type { Db, OperatorRole, Prisma, PrismaClient, Tx } from "../db/client.ts";
import type { SqlRunner } from "../db/sql.ts";
import { queueJob, type JobQueue } from "../queue/queue.ts";
import type { Clock } from "../shared/clock.ts";
import { forbidden } from "../shared/errors.ts";
import type { Logger } from "../shared/logger.ts";
import type { PiiProtector } from "../shared/pii.ts";
import type { PolicyStore } from "./policies.ts";

export interface OperatorActor {
  kind: "operator";
  id: string;
  name: string;
  role: OperatorRole;
  /** Region-code prefixes the operator may see; empty for administrators (they see all). */
  regionCodes: string[];
}

/** The service acting on its own (a job, start-up): no role, no region limits. */
export interface ServiceActor {
  kind: "service";
}

export type Actor = OperatorActor | ServiceActor;

export const SERVICE: ServiceActor = { kind: "service" };

/** Who may call a verb, by the roles of the program. */
export const ANY_OPERATOR: readonly OperatorRole[] = ["admin", "countyOfficial", "coordinator"];
/** Those who work with people one by one: they record visits, post vacancies, confirm employers. */
export const CARERS: readonly OperatorRole[] = ["admin", "coordinator"];
/** Those who run a county's program: its policies and broadcasts. */
export const OFFICIALS: readonly OperatorRole[] = ["admin", "countyOfficial"];
export const ADMINS: readonly OperatorRole[] = ["admin"];

/** An operator row as the actor of a verb. */
export const operatorActor = ({ id, name, role, regionCodes }: { id: string; name: string; role: OperatorRole; regionCodes: string[] }): OperatorActor => ({
  kind: "operator",
  id,
  name,
  role,
  regionCodes,
});

export interface VerbContext {
  /** the client, or the transaction the verb runs in */
  db: Db;
  sql: SqlRunner;
  clock: Clock;
  actor: Actor;
  pii: PiiProtector;
  /** queues a job through `db`: inside a writing verb, with its change */
  queue: JobQueue;
  log: Logger;
  indexes: MatchingIndexes;
  policies: PolicyStore;
  /** wakes the job runner and the outbox once a writing verb has committed */
  wake: () => void;
}

export type ContextDeps = Pick<AppDeps, "prisma" | "sql" | "clock" | "pii" | "log" | "indexes" | "policies" | "jobsQueued" | "outboxQueued">;

export function contextFor(deps: ContextDeps, actor: Actor): VerbContext {
  return {
    db: deps.prisma,
    sql: deps.sql,
    clock: deps.clock,
    actor,
    pii: deps.pii,
    queue: (kind, payload, runAt) => queueJob(deps.prisma, kind, payload, runAt),
    log: deps.log,
    indexes: deps.indexes,
    policies: deps.policies,
    wake: () => {
      deps.jobsQueued?.();
      deps.outboxQueued?.();
    },
  };
}

export interface VerbRule {
  /** the operator roles that may call it; the service itself always may */
  roles: readonly OperatorRole[];
  /** runs in one transaction, with its audit line and its jobs */
  writes: boolean;
}

export type Verb<I, O> = ((ctx: VerbContext, input: I) => Promise<O>) & { readonly rule: VerbRule };

/**
 * Runs work in one transaction — or in the caller's, when the context is already in one — with a
 * context whose database and queue are that transaction's; wakes the job runner and the outbox
 * after the commit. A job that works in batches commits each batch with this.
 */
export async function inTransaction<T>(ctx: VerbContext, work: (tx: VerbContext & { db: Tx }) => Promise<T>): Promise<T> {
  if (!("$transaction" in ctx.db)) return work(ctx as VerbContext & { db: Tx });
  const result = await (ctx.db as PrismaClient).$transaction((tx) => work({ ...ctx, db: tx, queue: (kind, payload, runAt) => queueJob(tx, kind, payload, runAt) }));
  ctx.wake();
  return result;
}

export function verb<I, O>(rule: VerbRule, run: (ctx: VerbContext, input: I) => Promise<O>): Verb<I, O> {
  const call = async (ctx: VerbContext, input: I): Promise<O> => {
    requireRole(ctx.actor, rule.roles);
    return rule.writes ? inTransaction(ctx, (tx) => run(tx, input)) : run(ctx, input);
  };
  return Object.assign(call, { rule });
}

export function requireRole(actor: Actor, roles: readonly OperatorRole[]): void {
  if (actor.kind === "operator" && !roles.includes(actor.role)) throw forbidden(`this needs the role ${roles.join(" or ")}`);
}

/** May this actor see data of this region (a code at any level)? Administrators and the service see all. */
export function canSeeRegion(actor: Actor, regionCode: string | null | undefined): boolean {
  if (actor.kind === "service" || actor.role === "admin") return true;
  if (!regionCode) return false;
  return actor.regionCodes.some((scope) => regionCode.startsWith(scope));
}

export function requireRegion(actor: Actor, regionCode: string | null | undefined): void {
  if (!canSeeRegion(actor, regionCode)) throw forbidden(`region ${regionCode ?? "(none)"} is outside your regions`);
}

/**
 * The region prefixes a list may cover: the requested region when the actor may see it, else the
 * actor's own regions; null means no restriction (administrators, the service).
 */
export function regionScope(actor: Actor, requested?: string): string[] | null {
  if (requested) {
    requireRegion(actor, requested);
    return [requested];
  }
  return actor.kind === "service" || actor.role === "admin" ? null : actor.regionCodes;
}

/**
 * A where-clause for a scope (null: everything): a region column's codes under each prefix (as a
 * range, regionRange), or, for a region kept elsewhere (inside a JSON value), the clause given.
 */
export function inScope(scope: string[] | null, column: string | ((prefix: string) => object)): object {
  if (!scope) return {};
  return { OR: scope.map((prefix) => (typeof column === "string" ? { [column]: regionRange(prefix) } : column(prefix))) };
}

/**
 * The region codes under a prefix, as a range a plain index serves in any collation: 350622 →
 * [350622, 350623). A LIKE '350622%' uses an index only in the C collation (or with a pattern
 * index, which Prisma's schema cannot keep), and a server in China runs zh_CN.UTF-8 or C.UTF-8.
 * Codes are digits, which every collation orders as C does.
 */
export function regionRange(prefix: string): { gte: string; lt: string } | { startsWith: string } {
  const kept = prefix.replace(/9+$/, "");
  if (!/^\d+$/.test(prefix) || kept === "") return { startsWith: prefix };
  return { gte: prefix, lt: `${kept.slice(0, -1)}${Number(kept.at(-1)) + 1}` };
}

/** The operator acting, for the audit line and the records they sign (null for the service). */
export const actorId = (actor: Actor): string | null => (actor.kind === "operator" ? actor.id : null);

/** The audit line of what a verb did: written through the verb's transaction, at the verb's clock. */
export async function audit(ctx: VerbContext, action: string, target?: string | null, data?: Prisma.InputJsonValue): Promise<void> {
  await ctx.db.auditLog.create({
    data: { operatorId: actorId(ctx.actor), action, target: target ?? null, ...(data === undefined ? {} : { data }), at: ctx.clock() },
  });
}
