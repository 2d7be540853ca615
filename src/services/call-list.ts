// Whom a coordinator calls today: the open tasks of their regions, each with the person, where they
// live and the number to call. Coordinators call, so they get the number in full — a registered
// worker's, or the one someone not yet registered left for a call back (sealed until now) — and
// every reveal is one audit line; other roles see it masked. A task of nowhere known (人工 asked
// before the person said where they live) is no one region's, so it is everyone's: every operator
// sees it, with the number in full, and the first coordinator to call marks it done.
import { openedAddress } from "../delivery/personal-data.ts";
import { maskPhone } from "../shared/masking.ts";
import { ANY_OPERATOR, audit, inScope, regionScope, verb, type VerbContext } from "./context.ts";
import { isTrusted, newContactEmployerId } from "./employers.ts";
import { placeNames } from "./region-lookup.ts";

const MOST = 500;

/** A task of no place: asked for before the person said where they live, and of no worker's plan. */
export const isUnplaced = (task: { regionCode: string | null; planId: string | null }): boolean => task.regionCode === null && task.planId === null;

/** The tasks an operator's list holds: those of the scope's regions, and those of no place unless one region was asked for. */
export const tasksInScope = (scope: string[] | null, requested: string | undefined): object =>
  scope && !requested ? { OR: [inScope(scope, "regionCode"), { regionCode: null, planId: null }] } : inScope(scope, "regionCode");

export interface TaskToCall {
  id: string;
  kind: string;
  dueAt: Date;
  note: string | null;
  /** the registered worker, or null for someone who has not finished registering */
  worker: { id: string; name: string } | null;
  /**
   * The employer a task is about: the one who wrote (a workshop to confirm), or the one whose credit
   * code a chat typed (`newContact`: that chat is not yet its contact). `confirmed`: it has a credit
   * code or a coordinator's word.
   */
  employer: { id: string; name: string; contactName: string | null; address: string | null; confirmed: boolean; newContact: boolean } | null;
  /** in full for a coordinator (for anyone, a task of nowhere known), masked for others; null when nobody left a number (for an employer, its contact's) */
  phone: string | null;
  regionCode: string | null;
  place: string;
}

export const callList = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: { region?: string | undefined } = {}): Promise<TaskToCall[]> => {
  const scope = regionScope(ctx.actor, query.region);
  const tasks = await ctx.db.planTask.findMany({
    where: { status: "open", ...tasksInScope(scope, query.region) },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    take: MOST,
    include: {
      plan: { select: { worker: { select: { id: true, name: true, phoneEnc: true, homeRegionCode: true } } } },
      identity: {
        select: { channel: true, address: true, employer: { select: EMPLOYER_SHOWN } },
      },
    },
  });
  const reveals = (task: (typeof tasks)[number]) => ctx.actor.kind === "operator" && (ctx.actor.role === "coordinator" || isUnplaced(task));
  const numberOf = (task: (typeof tasks)[number]): string | null => {
    const sealed = task.plan?.worker.phoneEnc ?? task.callbackPhoneEnc ?? task.identity?.employer?.contactPhoneEnc;
    if (sealed) return ctx.pii.decrypt(sealed);
    // Someone who wrote by SMS and has not registered: the number they wrote from.
    return task.identity?.channel === "sms" ? openedAddress(ctx.pii, task.identity.channel, task.identity.address) : null;
  };
  const places = await placeNames(ctx.db, tasks.map((task) => task.plan?.worker.homeRegionCode ?? task.regionCode));
  // A chat that typed the credit code of an employer registered with another contact: its task names that employer.
  const namedIds = tasks.map((task) => (task.identity?.employer || task.kind !== "employer_verification" ? null : newContactEmployerId(task.data)));
  const wanted = namedIds.filter((id): id is string => id !== null);
  const named = new Map(wanted.length > 0 ? (await ctx.db.employer.findMany({ where: { id: { in: wanted } }, select: EMPLOYER_SHOWN })).map((employer) => [employer.id, employer]) : []);
  const listed = tasks.map((task, index) => {
    const number = numberOf(task);
    const regionCode = task.plan?.worker.homeRegionCode ?? task.regionCode;
    return {
      id: task.id,
      kind: task.kind,
      dueAt: task.dueAt,
      note: task.note,
      worker: task.plan ? { id: task.plan.worker.id, name: task.plan.worker.name } : null,
      employer: task.identity?.employer ? employerOf(task.identity.employer, false) : employerOf(named.get(namedIds[index] ?? "") ?? null, true),
      phone: number === null ? null : reveals(task) ? number : maskPhone(number),
      regionCode,
      place: regionCode ? (places.get(regionCode) ?? "") : "",
    };
  });
  const revealed = listed.filter((task, index) => task.phone !== null && reveals(tasks[index]!)).map((task) => task.id);
  if (revealed.length > 0) await audit(ctx, "task.phones.revealed", null, { taskIds: revealed });
  return listed;
});

const EMPLOYER_SHOWN = { id: true, name: true, contactName: true, contactPhoneEnc: true, address: true, creditCode: true, vouchedBy: true } as const;

function employerOf(employer: { id: string; name: string; contactName: string | null; address: string | null; creditCode: string | null; vouchedBy: string | null } | null, newContact: boolean): TaskToCall["employer"] {
  if (!employer) return null;
  return { id: employer.id, name: employer.name, contactName: employer.contactName, address: employer.address, confirmed: isTrusted(employer), newContact };
}
