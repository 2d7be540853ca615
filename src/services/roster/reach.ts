// Reaching the people on the roster: who an SMS sender may be, by the number the roster holds for
// them (their own or their household's), and the chat joining that person's record when they say
// so. The roster is not a way in: only a number the channel proves (the SMS sender's) is ever
// compared with it, and the join checks that proof again rather than trusting the session.
import type { Db, Prisma, Tx } from "../../db/client.ts";
import type { PiiProtector } from "../../shared/pii.ts";
import { placeNames } from "../region-lookup.ts";
import { queueIndexing } from "../search-sync.ts";
import { recordTimeline } from "../timeline.ts";
import { sealPhone } from "../workers.ts";
import { responsibleCoordinator } from "../plans.ts";

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

export interface RosterJoin {
  identityId: string;
  rosterKey: string;
  /** the number the channel proves the sender writes from */
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
  if (!join.provenPhone) return null;
  const phoneHash = pii.hash("phone", join.provenPhone);
  const entry = await tx.rosterEntry.findFirst({ where: { id: join.rosterKey, ...reachable, OR: [{ phoneHash }, { householdPhoneHash: phoneHash }] } });
  if (!entry) return null;
  const worker = await tx.worker.update({
    where: { id: entry.workerId },
    data: {
      ...join.wishes,
      // The number they wrote from is theirs now, whatever number the roster gave the household.
      ...sealPhone(pii, join.provenPhone),
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

/** What a person said, agreed to and asked before they were registered joins their record and plan. */
export async function adoptChatHistory(tx: Tx, identityId: string, workerId: string, plan: { id: string; regionCode: string | null } | null): Promise<void> {
  await tx.planEvent.updateMany({ where: { identityId, workerId: null }, data: { workerId } });
  await tx.consent.updateMany({ where: { identityId, workerId: null }, data: { workerId } });
  if (plan) await tx.planTask.updateMany({ where: { identityId, planId: null }, data: { planId: plan.id, regionCode: plan.regionCode } });
}
