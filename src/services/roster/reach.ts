// Reaching the people on the roster: who an SMS sender may be, by the number the roster holds for
// them (their own or their household's), and the chat joining that person's record when they say
// so. The roster is not a way in: it is shown only to a number the channel proves (the SMS
// sender's); elsewhere a typed name and ID number that match it get a code sent to the roster's
// phone, and nothing else. The join checks the proof again rather than trusting the session.
import type { Db, Prisma, Tx } from "../../db/client.ts";
import type { PiiProtector } from "../../shared/pii.ts";
import { placeNames } from "../region-lookup.ts";
import { queueIndexing } from "../search-sync.ts";
import { recordTimeline } from "../timeline.ts";
import { sealPhone } from "../workers.ts";
import { responsibleCoordinator } from "../plans.ts";
import { checkCode, recordWrongCode, sendPhoneCode } from "../phone-link.ts";

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

/** The roster's people whose own or household number is this (proven) phone: their own number first. */
export async function rosterPeopleWithPhone(db: Db, pii: PiiProtector, phone: string): Promise<RosterPersonMatch[]> {
  const phoneHash = pii.hash("phone", phone);
  const entries = await db.rosterEntry.findMany({
    where: { ...reachable, OR: [{ phoneHash }, { householdPhoneHash: phoneHash }] },
    select: { id: true, name: true, regionCode: true, phoneHash: true },
    orderBy: { id: "asc" },
    take: MOST_MATCHES,
  });
  if (entries.length === 0) return [];
  const names = await placeNames(db, entries.map((entry) => entry.regionCode));
  const own = (entry: (typeof entries)[number]) => (entry.phoneHash === phoneHash ? 0 : 1);
  return [...entries].sort((a, b) => own(a) - own(b)).map((entry) => ({ key: entry.id, name: entry.name, placeName: names.get(entry.regionCode) ?? "" }));
}

/** The entry's phone: the person's own, else the household's; null when the roster has none. */
function rosterPhone(pii: PiiProtector, entry: { phoneEnc: string | null; householdPhoneEnc: string | null }): string | null {
  const sealed = entry.phoneEnc ?? entry.householdPhoneEnc;
  return sealed ? pii.decrypt(sealed) : null;
}

const reachableEntry = (db: Db, key: string) => db.rosterEntry.findFirst({ where: { id: key, ...reachable } });

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
  const entry = await reachableEntry(tx, rosterKey);
  const phone = entry && rosterPhone(pii, entry);
  return phone ? sendPhoneCode(tx, pii, identityId, phone, now) : false;
}

export async function rosterCodeCheck(db: Db, pii: PiiProtector, identityId: string, rosterKey: string, code: string, now: Date) {
  const entry = await reachableEntry(db, rosterKey);
  const phone = entry && rosterPhone(pii, entry);
  return phone ? (await checkCode(db, pii, identityId, phone, code, now)).result : "none";
}

export async function recordWrongRosterCode(tx: Tx, pii: PiiProtector, identityId: string, rosterKey: string): Promise<void> {
  const entry = await reachableEntry(tx, rosterKey);
  const phone = entry && rosterPhone(pii, entry);
  if (phone) await recordWrongCode(tx, pii, identityId, phone);
}

/** The right code, checked again and spent: the proof the join looks for. */
export async function confirmRosterCode(tx: Tx, pii: PiiProtector, identityId: string, rosterKey: string, code: string, now: Date): Promise<boolean> {
  const entry = await reachableEntry(tx, rosterKey);
  const phone = entry && rosterPhone(pii, entry);
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
  const worker = await tx.worker.update({
    where: { id: entry.workerId },
    data: {
      ...join.wishes,
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
  await recordTimeline(tx, { identityId: join.identityId, workerId: worker.id }, [{ kind: "registered", channel: join.channel, data: { via: "roster", planId: plan?.id ?? null } }], join.now);
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
