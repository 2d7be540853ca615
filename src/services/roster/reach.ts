// Reaching the people on the roster: who an SMS sender may be, by the number the roster holds for
// them (their own or their household's), and the chat joining that person's record when they say
// so. The roster is not a way in: it is shown only to a number the channel proves (the SMS
// sender's); elsewhere a typed name and ID number that match it get a code sent to the roster's
// phone, and nothing else. The join checks the proof again rather than trusting the session.
import type { Db, Prisma, Tx } from "../../db/client.ts";
import type { PiiProtector } from "../../shared/pii.ts";
import { displayName } from "../region-lookup.ts";
import { queueIndexing } from "../search-sync.ts";
import { offerTrainingSoon } from "../training/promise.ts";
import { recordTimeline } from "../timeline.ts";
import { sealPhone, wageFloorColumn } from "../workers.ts";
import { responsibleCoordinator } from "../coordinators.ts";
import { checkCode, recordWrongCode, sendPhoneCode } from "../phone-link.ts";
import { z } from "zod";
import { alertCoordinator } from "../coordinator-alerts.ts";
import { actorId, audit, CARERS, requireRegion, verb, type VerbContext } from "../context.ts";
import { noticeWorker } from "../outreach.ts";
import { conflict, notFound } from "../../shared/errors.ts";
import { noticeKeys } from "../../shared/keys.ts";
import { identityConfirmedBody } from "../../wording/notices.ts";

/** People the sender could be: at most this many (a household's members; the SMS menu pages them). */
const MOST_MATCHES = 8;

export interface RosterPersonMatch {
  /** the roster entry's id */
  key: string;
  name: string;
  placeName: string;
}

/** On the roster now, never reached by the chat, not erased. */
const reachable = { leftAt: null, worker: { erasedAt: null, identities: { none: {} } } } as const;

/**
 * The roster's people whose own or household number hashes to `phoneHash` (the SQL of the keyed
 * hash of a number the channel proves), as part of a statement: the chat reads them with the rest of
 * a turn, in one round trip. The same rule as `reachable`: on the roster now, never reached, not erased.
 */
export const rosterMatchesSql = (phoneHash: string) => `SELECT r.id AS key, r.name, r."regionCode", r."phoneHash" = ${phoneHash} AS own
    FROM "RosterEntry" r JOIN "Worker" w ON w.id = r."workerId"
    WHERE (r."phoneHash" = ${phoneHash} OR r."householdPhoneHash" = ${phoneHash}) AND r."leftAt" IS NULL AND w."erasedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "ChannelIdentity" c WHERE c."workerId" = w.id)
    ORDER BY r.id LIMIT ${MOST_MATCHES}`;

/** The rows of `rosterMatchesSql` as the chat offers them: their own number first, each with its place. */
export function rosterMatchesFrom(rows: readonly { key: string; name: string; regionCode: string; own: boolean }[], names: ReadonlyMap<string, string>): RosterPersonMatch[] {
  return [...rows].sort((a, b) => Number(b.own) - Number(a.own)).map((row) => ({ key: row.key, name: row.name, placeName: displayName(row.regionCode, names) }));
}

const reachableEntry = (db: Db, key: string) => db.rosterEntry.findFirst({ where: { id: key, ...reachable } });

/** The phone the roster gives a person not yet reached: their own, else the household's; null when it has none. */
async function rosterPhone(db: Db, pii: PiiProtector, rosterKey: string): Promise<string | null> {
  const entry = await reachableEntry(db, rosterKey);
  const sealed = entry && (entry.phoneEnc ?? entry.householdPhoneEnc);
  return sealed ? pii.decrypt(sealed) : null;
}

/**
 * The roster's person, not yet reached, with this ID number and this name (both must match: a
 * number alone is easily known). Only their key and the roster's phone masked leave here.
 */
export async function rosterPersonNamed(db: Db, pii: PiiProtector, name: string, idNumber: string): Promise<{ key: string; phoneMasked: string | null } | null> {
  const entry = await db.rosterEntry.findFirst({ where: { idNumberHash: pii.hash("id", idNumber), ...reachable } });
  if (!entry || entry.name !== name) return null;
  return { key: entry.id, phoneMasked: entry.phoneMasked ?? entry.householdPhoneMasked };
}

/** A code to the roster's phone of the person, for this chat; false when asked too often (or there is no phone). */
export async function sendRosterCode(tx: Tx, pii: PiiProtector, identityId: string, rosterKey: string, now: Date): Promise<boolean> {
  const phone = await rosterPhone(tx, pii, rosterKey);
  return phone ? sendPhoneCode(tx, pii, identityId, phone, now) : false;
}

export async function rosterCodeCheck(db: Db, pii: PiiProtector, identityId: string, rosterKey: string, code: string, now: Date) {
  const phone = await rosterPhone(db, pii, rosterKey);
  return phone ? (await checkCode(db, pii, identityId, phone, code, now)).result : "none";
}

export async function recordWrongRosterCode(tx: Tx, pii: PiiProtector, identityId: string, rosterKey: string): Promise<void> {
  const phone = await rosterPhone(tx, pii, rosterKey);
  if (phone) await recordWrongCode(tx, pii, identityId, phone);
}

/** The right code, checked again and spent: the proof the join looks for. */
export async function confirmRosterCode(tx: Tx, pii: PiiProtector, identityId: string, rosterKey: string, code: string, now: Date): Promise<boolean> {
  const phone = await rosterPhone(tx, pii, rosterKey);
  if (!phone) return false;
  const check = await checkCode(tx, pii, identityId, phone, code, now);
  if (check.result !== "ok") return false;
  await tx.phoneCode.update({ where: { id: check.id! }, data: { usedAt: now } });
  return true;
}

/** How long a code proved this chat is the roster's person: the registration's questions take a few minutes. */
const CODE_PROOF_MS = 24 * 3600_000;

export interface RosterJoin {
  identityId: string;
  rosterKey: string;
  /** the number the channel proves the sender writes from (SMS); elsewhere a code to the roster's phone proves it */
  provenPhone: string | undefined;
  wishes: {
    wishedOccupations: string[];
    workRange: "homeCounty" | "province" | "anywhere";
    wageFloor: number;
    wantsTraining: boolean;
    trainingWish: string | null;
  };
  channel: string;
  now: Date;
}

/**
 * The sender is the roster's person: the chat becomes theirs, with the wishes they gave, and what
 * they said before joins their plan. Null when the proof does not hold (another number, the person
 * reached meanwhile by another chat, or no longer on the roster): nothing is changed then.
 */
export async function joinRosterPerson(tx: Tx, pii: PiiProtector, join: RosterJoin): Promise<{ workerId: string; coordinator: string | null } | null> {
  const entry = await reachableEntry(tx, join.rosterKey);
  if (!entry || !(await provesRosterPhone(tx, pii, join, entry))) return null;
  return joinChat(tx, pii, { ...join, workerId: entry.workerId }, { via: "roster" });
}

/** The chat becomes the worker's: their wishes recorded, what the chat said before on their plan, searched for from now on. */
async function joinChat(
  tx: Tx,
  pii: PiiProtector,
  join: Omit<RosterJoin, "rosterKey"> & { workerId: string },
  registered: Prisma.InputJsonObject,
): Promise<{ workerId: string; coordinator: string | null }> {
  const worker = await tx.worker.update({
    where: { id: join.workerId },
    data: {
      ...join.wishes,
      wageFloor: wageFloorColumn(join.wishes.wageFloor),
      // The number they wrote from is theirs now, whatever number the roster gave the household.
      ...(join.provenPhone ? sealPhone(pii, join.provenPhone) : {}),
      registeredVia: join.channel,
    },
    include: { plan: true },
  });
  await tx.channelIdentity.update({ where: { id: join.identityId }, data: { workerId: worker.id } });
  const plan = worker.plan;
  if (plan && join.wishes.wantsTraining) {
    await tx.assistancePlan.update({
      where: { id: plan.id },
      data: { goals: [...(plan.goals as Prisma.InputJsonValue[]), { kind: "training", status: "open", wish: join.wishes.trainingWish }] },
    });
  }
  await adoptChatHistory(tx, join.identityId, worker.id, plan ? { id: plan.id, regionCode: worker.homeRegionCode } : null);
  await queueIndexing(tx, "worker", worker.id);
  if (join.wishes.wantsTraining) await offerTrainingSoon(tx, worker.id);
  await recordTimeline(tx, { identityId: join.identityId, workerId: worker.id }, [{ kind: "registered", channel: join.channel, data: { ...registered, planId: plan?.id ?? null } }], join.now);
  const coordinator = await responsibleCoordinator(tx, plan, worker.homeRegionCode);
  return { workerId: worker.id, coordinator: coordinator?.name ?? null };
}

/** The sender writes from the roster's number of the person, or this chat (another number's too) spent a code sent to it lately. */
async function provesRosterPhone(tx: Tx, pii: PiiProtector, join: RosterJoin, entry: { phoneHash: string | null; householdPhoneHash: string | null }): Promise<boolean> {
  const rosterHashes = [entry.phoneHash, entry.householdPhoneHash].filter((hash): hash is string => hash !== null);
  if (join.provenPhone && rosterHashes.includes(pii.hash("phone", join.provenPhone))) return true;
  const spent = await tx.phoneCode.count({
    where: { identityId: join.identityId, phoneHash: { in: rosterHashes }, usedAt: { gte: new Date(join.now.getTime() - CODE_PROOF_MS) } },
  });
  return spent > 0;
}

/** What a person said, agreed to and asked before they were registered joins their record and plan. */
export async function adoptChatHistory(tx: Tx, identityId: string, workerId: string, plan: { id: string; regionCode: string | null } | null): Promise<void> {
  await tx.planEvent.updateMany({ where: { identityId, workerId: null }, data: { workerId } });
  await tx.consent.updateMany({ where: { identityId, workerId: null }, data: { workerId } });
  if (plan) await tx.planTask.updateMany({ where: { identityId, planId: null }, data: { planId: plan.id, regionCode: plan.regionCode } });
}

// ---------------------------------------------------------------------------------------------------
// A coordinator's confirmation, where no code can prove the person: the roster has no phone for them,
// or they said the phone is not theirs.

/** The roster's worker not yet reached whose name is this one: the person a registration says it is. */
export async function unreachedRosterWorker(tx: Tx, workerId: string, name: string) {
  return tx.rosterEntry.findFirst({ where: { workerId, name, ...reachable }, include: { worker: { include: { plan: true } } } });
}

/**
 * Someone registering as a person on the roster without a proof: the coordinator checks who it is
 * (a call, a visit) and confirms on the task; the wishes they gave wait on it till then.
 */
export async function askToConfirmIdentity(tx: Tx, ask: { identityId: string; entry: NonNullable<Awaited<ReturnType<typeof unreachedRosterWorker>>>; wishes: RosterJoin["wishes"]; channel: string; now: Date }) {
  const { worker } = ask.entry;
  const open = await tx.planTask.findFirst({ where: { kind: "identity_check", status: "open", identityId: ask.identityId, planId: worker.plan?.id ?? null } });
  const data = { wishes: ask.wishes, channel: ask.channel };
  const task = open
    ? await tx.planTask.update({ where: { id: open.id }, data: { data } })
    : await tx.planTask.create({
        data: {
          planId: worker.plan?.id ?? null,
          identityId: ask.identityId,
          regionCode: worker.homeRegionCode,
          kind: "identity_check",
          dueAt: new Date(ask.now.getTime() + 24 * 3600_000),
          note: "有人在聊天中用名单上此人的姓名和身份证号登记，名单没有可验证的手机。核实是本人后点“确认是本人”。",
          data,
          createdAt: ask.now,
        },
      });
  if (!open) await alertCoordinator(tx, task, ask.now);
  return task;
}

const identityCheckData = z.object({
  channel: z.string(),
  wishes: z.object({
    wishedOccupations: z.array(z.string()),
    workRange: z.enum(["homeCounty", "province", "anywhere"]),
    wageFloor: z.number(),
    wantsTraining: z.boolean(),
    trainingWish: z.string().nullable(),
  }),
});

/**
 * The coordinator has checked: the chat on the task is the roster's person. It joins their record
 * with the wishes they gave, the task is done, and the person is told.
 */
export const confirmIdentity = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { taskId: string }) => {
  const task = await ctx.db.planTask.findUnique({ where: { id: input.taskId }, include: { plan: true } });
  if (!task) throw notFound("task");
  requireRegion(ctx.actor, task.regionCode);
  if (task.kind !== "identity_check") throw conflict("the task is not an identity check");
  if (task.status !== "open") throw conflict("the task is done already");
  const parsed = identityCheckData.safeParse(task.data);
  const entry = task.plan && (await ctx.db.rosterEntry.findFirst({ where: { workerId: task.plan.workerId, ...reachable } }));
  if (!parsed.success || !task.identityId || !entry) throw conflict("the person has been reached since, or left the roster: nothing to confirm");
  const identity = await ctx.db.channelIdentity.findUniqueOrThrow({ where: { id: task.identityId } });
  if (identity.workerId || identity.employerId) throw conflict("the chat belongs to someone already");
  const now = ctx.clock();
  const joined = await joinChat(ctx.db, ctx.pii, { identityId: identity.id, workerId: entry.workerId, provenPhone: undefined, wishes: parsed.data.wishes, channel: parsed.data.channel, now }, { via: "roster", confirmedBy: actorId(ctx.actor) });
  await ctx.db.planTask.update({ where: { id: task.id }, data: { status: "done", doneAt: now } });
  await noticeWorker(ctx.db, { kind: "registered", key: noticeKeys.identityConfirmed(task.id), workerId: joined.workerId, regionCode: entry.regionCode, purpose: "notice", body: identityConfirmedBody(), to: identity, timeline: { kind: "notice" } }, now);
  await audit(ctx, "task.identity_confirmed", task.id, { workerId: joined.workerId });
  return { workerId: joined.workerId };
});
