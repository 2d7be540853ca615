// What the conversation engine's events mean for the records: each verb runs inside the turn's
// transaction, so a turn is recorded whole or not at all.
import type { DomainEvent, RegisteredProfile, RegistrationProfile } from "../engine/index.ts";
import type { Prisma, Worker } from "../db/client.ts";
import type { PiiProtector } from "../shared/pii.ts";
import { spokenRegionName } from "./region-lookup.ts";
import { queueIndexing } from "./search-sync.ts";
import { recordTimeline, type TimelineSubject, type Tx } from "./timeline.ts";
import { sealIdNumber, sealPhone } from "./workers.ts";

export interface ChatEffects {
  /** the worker the identity belongs to after the event (registration links it) */
  workerId: string | null;
  /** extra lines for the person, from what only the records know (e.g. who will call) */
  notices: string[];
  /** the records contradict what the engine was about to say: send only the notices */
  replacesReplies?: boolean;
}

interface EventContext {
  tx: Tx;
  pii: PiiProtector;
  identityId: string;
  channel: string;
  now: Date;
  /** the phone the channel itself vouches for (the SMS sender); a number typed in a chat is not proof */
  provenPhone?: string;
}

/** Performs one engine event; returns who the identity now belongs to and anything to tell them. */
export async function applyChatEvent(ctx: EventContext, workerId: string | null, event: DomainEvent): Promise<ChatEffects> {
  const subject: TimelineSubject = { identityId: ctx.identityId, workerId };
  const noted = async (kind: string, data?: Prisma.InputJsonValue) => {
    await recordTimeline(ctx.tx, subject, [{ kind, channel: ctx.channel, ...(data === undefined ? {} : { data }) }]);
    return { workerId, notices: [] };
  };
  switch (event.type) {
    case "consent_given":
      await ctx.tx.consent.create({
        data: { identityId: ctx.identityId, workerId, kind: event.purpose, granted: true, wording: event.wording, channel: ctx.channel },
      });
      return noted("consent_given", { purpose: event.purpose });
    case "worker_registered":
      return registerFromChat(ctx, event.profile);
    case "human_requested":
      return requestHuman(ctx, workerId, event.step, event.note);
    case "opted_out":
    case "opted_in":
      await ctx.tx.channelIdentity.update({ where: { id: ctx.identityId }, data: { optedOutAt: event.type === "opted_out" ? ctx.now : null } });
      if (workerId) await queueIndexing(ctx.tx, "worker", workerId); // opted-out workers get no pushes
      return noted(event.type);
    case "profile_field_changed":
      if (workerId && event.field === "idNumber" && (await idNumberTakenByAnother(ctx, workerId, String(event.value)))) {
        const task = await requestHuman(ctx, workerId, "edit", "改身份证号时与已登记的另一人相同，请核实");
        return { workerId, notices: ["这个身份证号已被登记，没有修改。协理员会联系您核实。", ...task.notices], replacesReplies: true };
      }
      if (workerId) {
        await ctx.tx.worker.update({ where: { id: workerId }, data: workerFieldUpdate(ctx.pii, event.field, event.value) });
        await queueIndexing(ctx.tx, "worker", workerId);
      }
      return noted("profile_changed", { field: event.field });
    case "employer_flow_requested":
    case "jobs_requested":
    case "profile_shown":
      return noted(event.type);
  }
}

async function idNumberTakenByAnother(ctx: EventContext, workerId: string, idNumber: string): Promise<boolean> {
  const holder = await ctx.tx.worker.findUnique({ where: { idNumberHash: sealIdNumber(ctx.pii, idNumber).idNumberHash }, select: { id: true } });
  return holder !== null && holder.id !== workerId;
}

function workerFieldUpdate(pii: PiiProtector, field: keyof RegistrationProfile, value: unknown): Prisma.WorkerUpdateInput {
  switch (field) {
    case "idNumber":
      return sealIdNumber(pii, String(value));
    case "phone":
      return sealPhone(pii, String(value));
    case "birthDate":
      return { birthDate: new Date(`${String(value)}T00:00:00Z`) };
    case "homeRegionName":
      return {}; // derived from homeRegionCode
    default:
      return { [field]: value } as Prisma.WorkerUpdateInput;
  }
}

/** The coordinator whose regions hold this place most narrowly (village before township before county). */
async function coordinatorFor(tx: Tx, regionCode: string | null) {
  if (!regionCode) return null;
  const coordinators = await tx.operator.findMany({ where: { role: "coordinator", disabledAt: null } });
  let best: { id: string; name: string } | null = null;
  let bestLength = 0;
  for (const coordinator of coordinators) {
    for (const scope of coordinator.regionCodes) {
      if (regionCode.startsWith(scope) && scope.length > bestLength) {
        best = coordinator;
        bestLength = scope.length;
      }
    }
  }
  return best;
}

async function registerFromChat(ctx: EventContext, profile: RegistrationProfile): Promise<ChatEffects> {
  const { tx, pii, identityId } = ctx;
  const idFields = sealIdNumber(pii, profile.idNumber);
  const phoneFields = sealPhone(pii, profile.phone);
  const phoneProven = ctx.provenPhone === profile.phone;
  const existing = await tx.worker.findUnique({ where: { idNumberHash: idFields.idNumberHash } });
  if (existing && (existing.phoneHash !== phoneFields.phoneHash || !phoneProven)) {
    // An ID number we already hold: the same person on a new number or a new channel, a mistake,
    // or someone else who knows the number. Only a phone the channel proves (the SMS sender) may
    // take the record over; otherwise a coordinator checks before anything is linked.
    const task = await requestHuman(ctx, null, "registration", "该身份证号已登记，需核实本人后再关联");
    return { workerId: null, notices: ["您的身份证号已登记过，协理员会联系您核实。", ...task.notices], replacesReplies: true };
  }
  const fields = {
    name: profile.name,
    ...idFields,
    ...phoneFields,
    homeRegionCode: profile.homeRegionCode,
    povertyStatus: profile.povertyStatus,
    categories: profile.categories,
    wishedOccupations: profile.wishedOccupations,
    workRange: profile.workRange,
    wageFloor: profile.wageFloor,
    wantsTraining: profile.wantsTraining,
    trainingWish: profile.trainingWish,
  };
  const worker = existing
    ? await tx.worker.update({ where: { id: existing.id }, data: fields })
    : await tx.worker.create({ data: { ...fields, registeredVia: ctx.channel } });
  await tx.channelIdentity.update({ where: { id: identityId }, data: { workerId: worker.id } });
  // A proven phone is the worker's SMS address too: pushes fall back to it when WeChat's window is
  // closed. A typed one is not: it could be anyone's (it still reaches the coordinator, who calls).
  // A number already linked to someone else (a family's shared phone) stays theirs.
  if (phoneProven) {
    const byPhone = await tx.channelIdentity.upsert({
      where: { channel_address: { channel: "sms", address: profile.phone } },
      create: { channel: "sms", address: profile.phone, workerId: worker.id },
      update: {},
    });
    if (!byPhone.workerId) await tx.channelIdentity.update({ where: { id: byPhone.id }, data: { workerId: worker.id } });
  }

  const coordinator = await coordinatorFor(tx, profile.homeRegionCode);
  const plan =
    (await tx.assistancePlan.findUnique({ where: { workerId: worker.id } })) ??
    (await tx.assistancePlan.create({
      data: {
        workerId: worker.id,
        coordinatorId: coordinator?.id ?? null,
        regionCode: profile.homeRegionCode,
        goals: [{ kind: "work", status: "open" }, ...(profile.wantsTraining ? [{ kind: "training", status: "open", wish: profile.trainingWish }] : [])],
      },
    }));
  // What this person said and asked before they were registered joins their plan.
  await tx.planEvent.updateMany({ where: { identityId: identityId, workerId: null }, data: { workerId: worker.id } });
  await tx.consent.updateMany({ where: { identityId: identityId, workerId: null }, data: { workerId: worker.id } });
  await tx.planTask.updateMany({ where: { identityId: identityId, planId: null }, data: { planId: plan.id, regionCode: profile.homeRegionCode } });
  await queueIndexing(tx, "worker", worker.id);
  await recordTimeline(tx, { identityId, workerId: worker.id }, [
    { kind: existing ? "re_registered" : "registered", channel: ctx.channel, data: { planId: plan.id, coordinatorId: coordinator?.id ?? null } },
  ]);
  return {
    workerId: worker.id,
    notices: coordinator ? [`您的帮扶协理员是${coordinator.name}，有事可回复"人工"。`] : [],
  };
}

async function requestHuman(ctx: EventContext, workerId: string | null, step: string, note?: string): Promise<ChatEffects> {
  const worker = workerId ? await ctx.tx.worker.findUnique({ where: { id: workerId }, include: { plan: true } }) : null;
  const regionCode = worker?.homeRegionCode ?? null;
  await ctx.tx.planTask.create({
    data: {
      planId: worker?.plan?.id ?? null,
      identityId: ctx.identityId,
      regionCode,
      kind: "human_request",
      // a person on request: due within the working day
      dueAt: new Date(ctx.now.getTime() + 24 * 3600 * 1000),
      note: note ?? `在"${step}"这一步请求人工`,
    },
  });
  await recordTimeline(ctx.tx, { identityId: ctx.identityId, workerId }, [{ kind: "human_requested", channel: ctx.channel, data: { step } }]);
  const coordinatorId = worker?.plan?.coordinatorId;
  const coordinator = coordinatorId ? await ctx.tx.operator.findUnique({ where: { id: coordinatorId } }) : await coordinatorFor(ctx.tx, regionCode);
  return { workerId, notices: coordinator ? [`协理员${coordinator.name}会尽快给您打电话。`] : [] };
}

/** The registered worker as the engine sees them: personal numbers masked, region named. */
export async function registeredProfile(tx: Tx, worker: Worker): Promise<RegisteredProfile> {
  const lineage = worker.homeRegionCode
    ? await tx.region.findMany({
        where: { code: { in: [6, 9, 12].filter((n) => n <= worker.homeRegionCode!.length).map((n) => worker.homeRegionCode!.slice(0, n)) } },
        orderBy: { level: "asc" },
      })
    : [];
  return {
    name: worker.name,
    idNumberMasked: worker.idNumberMasked ?? "",
    phoneMasked: worker.phoneMasked,
    birthDate: worker.birthDate?.toISOString().slice(0, 10) ?? "",
    sex: worker.sex ?? "male",
    homeRegionCode: worker.homeRegionCode ?? "",
    homeRegionName: lineage.map((region) => spokenRegionName(region.name)).join(""),
    povertyStatus: worker.povertyStatus,
    categories: worker.categories as RegisteredProfile["categories"],
    wishedOccupations: worker.wishedOccupations,
    workRange: worker.workRange ?? "homeCounty",
    wageFloor: worker.wageFloor ?? 0,
    wantsTraining: worker.wantsTraining ?? false,
    trainingWish: worker.trainingWish,
  };
}
