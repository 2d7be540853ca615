// What the conversation engine's events mean for the records: each verb runs inside the turn's
// transaction, so a turn is recorded whole or not at all.
import type { Tx } from "../db/client.ts";
import { prepared, type SqlRunner } from "../db/sql.ts";
import { CHANNEL } from "../shared/channel-names.ts";
import { normalizeMobile } from "../shared/identifiers.ts";
import { smsAddress } from "../delivery/personal-data.ts";
import { topicOf, type DomainEvent, type RecordFact, type EmployerRegistration, type RegistrationProfile } from "../engine/index.ts";
import { answerPhoneSharing, applyForVacancy, hireApplicant } from "../services/applications.ts";
import { closeVacancy, postVacancyFromChat, registerEmployer } from "../services/employers.ts";
import { answerFollowUp } from "../services/follow-ups.ts";
import { linkPhone, recordWrongCode, sendPhoneCode } from "../services/phone-link.ts";
import { enrolInCourse } from "../services/training/enrolment.ts";
import { noticeNewEntitlements, policyProfile, recordToldFacts, type PolicyStore } from "../services/policies.ts";
import type { Prisma } from "../db/client.ts";
import type { PiiProtector } from "../shared/pii.ts";
import { alertCoordinator } from "../services/coordinator-alerts.ts";
import { coordinatorFor, responsibleCoordinator } from "../services/coordinators.ts";
import { addTask } from "../services/plans.ts";
import { queueIndexing } from "../services/search-sync.ts";
import { offerTrainingSoon } from "../services/training/promise.ts";
import { eraseChat, eraseWorkerData } from "../services/erasure.ts";
import { recordConsent } from "../services/consents.ts";
import { recordTimeline, type TimelineEntry, type TimelineKind } from "../services/timeline.ts";
import { sealIdNumber, sealPhone, wageFloorColumn } from "../services/workers.ts";
import { adoptChatHistory, askToConfirmIdentity, confirmRosterCode, unreachedRosterWorker, joinRosterPerson, recordWrongRosterCode, sendRosterCode } from "../services/roster/reach.ts";

export interface ChatEffects {
  /** the worker the identity belongs to after the event (registration links it) */
  workerId: string | null;
  /** what only the records know, for the person (who will call, the course enrolled in): the engine words it */
  notices: RecordFact[];
  /** the records contradict what the engine was about to say: send only the notices */
  replacesReplies?: boolean;
}

/** What a verb written in SQL needs: it runs in a turn's plain SQL transaction or, through `sql`, in Prisma's. */
export interface SqlEventContext {
  sql: SqlRunner;
  pii: PiiProtector;
  identityId: string;
  channel: string;
  now: Date;
}

export interface EventContext extends SqlEventContext {
  /** the same transaction as `sql`, for the services written with Prisma */
  tx: Tx;
  policies: PolicyStore;
  /** the phone the channel itself vouches for (the SMS sender); a number typed in a chat is not proof */
  provenPhone?: string;
}

/**
 * The events that do nothing but note something on the timeline (what the person asked for or was
 * shown, a job they turned down). A turn whose events are all of these is recorded in its one
 * statement (host.ts), with no transaction around the services: most turns of someone looking
 * through jobs.
 */
const NOTED = ["employer_flow_requested", "jobs_requested", "profile_shown", "benefits_shown", "jobs_shown", "job_declined"] as const;
type NotedEvent = Extract<DomainEvent, { type: (typeof NOTED)[number] }>;
const isNoted = (event: DomainEvent): event is NotedEvent => (NOTED as readonly string[]).includes(event.type);

function notedEntry(event: NotedEvent, channel: string): TimelineEntry {
  switch (event.type) {
    case "jobs_shown":
      return { kind: "jobs_shown", channel, data: { vacancyIds: event.vacancyIds } };
    case "job_declined":
      // The feedback is what later searches read back (chat-lookups JOB_SEARCH_CONTEXT).
      return { kind: "job_declined", channel, data: { vacancyId: event.vacancyId, ...event.feedback } as Prisma.InputJsonValue };
    default:
      return { kind: event.type, channel };
  }
}

/** The timeline row of an event that only notes something; null for one that changes the records. */
export const timelineOnlyEntry = (event: DomainEvent, channel: string): TimelineEntry | null => (isNoted(event) ? notedEntry(event, channel) : null);

/**
 * The events whose verbs are written in SQL, besides the noted ones: a turn of only these runs in a
 * plain SQL transaction, its statements prepared, without Prisma, whose every query cost the
 * service several times what the same statement costs through the driver: consent, which every
 * newcomer gives; a request for a person, which the bot makes itself after several misunderstood
 * answers; and a registered worker's application (回复1报名) and their answer on sharing their phone.
 */
const IN_SQL = ["consent_given", "human_requested", "job_applied", "phone_share_answered"] as const;
export type SqlEvent = NotedEvent | Extract<DomainEvent, { type: (typeof IN_SQL)[number] }>;
export const writtenInSql = (event: DomainEvent): event is SqlEvent => isNoted(event) || (IN_SQL as readonly string[]).includes(event.type);

const noteOn = async (ctx: SqlEventContext, workerId: string | null, kind: TimelineKind, data?: Prisma.InputJsonValue): Promise<ChatEffects> => {
  await recordTimeline(ctx.sql, { identityId: ctx.identityId, workerId }, [{ kind, channel: ctx.channel, ...(data === undefined ? {} : { data }) }], ctx.now);
  return { workerId, notices: [] };
};

/** Performs one event whose verb is written in SQL, in whichever transaction `ctx.sql` runs. */
export async function applySqlEvent(ctx: SqlEventContext, workerId: string | null, event: SqlEvent): Promise<ChatEffects> {
  if (isNoted(event)) {
    const { kind, data } = notedEntry(event, ctx.channel);
    return noteOn(ctx, workerId, kind, data);
  }
  switch (event.type) {
    case "consent_given":
      await recordConsent(ctx.sql, { identityId: ctx.identityId, workerId, kind: event.purpose, granted: true, wording: event.wording, channel: ctx.channel }, ctx.now);
      return noteOn(ctx, workerId, "consent_given", { purpose: event.purpose });
    case "human_requested":
      return requestHuman(ctx, workerId, event.step, event.note, { regionCode: event.regionCode, phone: event.phone, name: event.name });
    case "job_applied": {
      if (!workerId) return { workerId, notices: [] };
      const applied = await applyForVacancy(ctx.sql, { identityId: ctx.identityId, workerId }, event.vacancyId, event.source, ctx.channel, ctx.now);
      if ("closed" in applied) return { workerId, notices: [{ kind: "vacancyFilled" }], replacesReplies: true };
      return { workerId, notices: [] };
    }
    case "phone_share_answered":
      if (workerId) await answerPhoneSharing(ctx.sql, ctx.pii, { identityId: ctx.identityId, workerId }, event.vacancyId, event.share, ctx.channel, ctx.now);
      return { workerId, notices: [] };
  }
}

/** Performs one engine event; returns who the identity now belongs to and anything to tell them. */
export async function applyChatEvent(ctx: EventContext, workerId: string | null, event: DomainEvent): Promise<ChatEffects> {
  if (writtenInSql(event)) return applySqlEvent(ctx, workerId, event);
  const noted = (kind: TimelineKind, data?: Prisma.InputJsonValue) => noteOn(ctx, workerId, kind, data);
  switch (event.type) {
    case "worker_registered":
      return registerFromChat(ctx, event.profile);
    case "roster_worker_registered": {
      const joined = await joinRosterPerson(ctx.tx, ctx.pii, { identityId: ctx.identityId, rosterKey: event.rosterKey, provenPhone: ctx.provenPhone, wishes: event.wishes, channel: ctx.channel, now: ctx.now });
      // The proof no longer holds (reached meanwhile by another chat): a coordinator sorts it out.
      if (!joined) return { ...(await requestHuman(ctx, null, "registration", "名单上的人用短信登记时未能核实，请联系")), replacesReplies: true };
      return { workerId: joined.workerId, notices: joined.coordinator ? [{ kind: "yourCoordinator", coordinator: joined.coordinator }] : [] };
    }
    case "erasure_requested":
      // The session the host saves this turn goes with the chat; the reply still reaches the person.
      if (workerId) await eraseWorkerData(ctx.tx, workerId, { by: null, via: ctx.channel, now: ctx.now });
      else await eraseChat(ctx.tx, ctx.identityId, ctx.now);
      return { workerId: null, notices: [] };
    case "opted_out":
    case "opted_in":
      await ctx.tx.channelIdentity.update({ where: { id: ctx.identityId }, data: { optedOutAt: event.type === "opted_out" ? ctx.now : null } });
      if (workerId) await queueIndexing(ctx.tx, "worker", workerId); // opted-out workers get no pushes
      return noted(event.type);
    case "profile_field_changed":
      if (workerId && event.field === "idNumber" && (await idNumberTakenByAnother(ctx, workerId, String(event.value)))) {
        const task = await requestHuman(ctx, workerId, "edit", "改身份证号时与已登记的另一人相同，请核实");
        return { workerId, notices: [{ kind: "idNumberTaken", while: "editing" }, ...task.notices], replacesReplies: true };
      }
      if (workerId) {
        await ctx.tx.worker.update({ where: { id: workerId }, data: workerFieldUpdate(ctx.pii, event.field, event.value) });
        await queueIndexing(ctx.tx, "worker", workerId);
        if (event.field === "wantsTraining" && event.value === true) await offerTrainingSoon(ctx.tx, workerId);
      }
      return noted("profile_changed", { field: event.field });
    case "employer_registered":
      return registerEmployerFromChat(ctx, workerId, event.profile);
    case "vacancy_posted": {
      const employer = await employerOfIdentity(ctx);
      if (!employer) return { workerId, notices: [{ kind: "employerNotRegistered" }], replacesReplies: true };
      const vacancy = await postVacancyFromChat(ctx.tx, employer, event.vacancy, ctx.channel);
      return noted("vacancy_posted", { vacancyId: vacancy.id, status: vacancy.status });
    }
    case "vacancy_closed": {
      const employer = await employerOfIdentity(ctx);
      if (employer) await closeVacancy(ctx.tx, employer.id, event.vacancyId);
      return noted("vacancy_closed", { vacancyId: event.vacancyId });
    }
    case "applicant_hired": {
      const employer = await employerOfIdentity(ctx);
      const hired = employer && (await hireApplicant(ctx.tx, employer.id, event.vacancyId, event.applicationId, ctx.now));
      if (!hired) return { workerId, notices: [{ kind: "applicantNotFound" }], replacesReplies: true };
      // A hire out of the county or province may bring the transport subsidy: told by itself.
      const [before, after] = await Promise.all([policyProfile(ctx.tx, hired.before), policyProfile(ctx.tx, hired.after)]);
      await noticeNewEntitlements(ctx.tx, ctx.policies, { before, after, workerId: hired.after.id, regionCode: hired.after.homeRegionCode, today: ctx.now });
      return noted("applicant_hired", { vacancyId: event.vacancyId, applicationId: event.applicationId });
    }
    case "benefit_facts_told":
      if (workerId) await recordToldFacts(ctx.tx, workerId, event.facts, ctx.channel, ctx.now);
      return { workerId, notices: [] };
    case "follow_up_answered":
      if (workerId) await answerFollowUp(ctx.tx, { identityId: ctx.identityId, workerId }, event.applicationId, event.stillWorking, ctx.channel, ctx.now);
      return { workerId, notices: [] };
    case "training_enrol_requested": {
      if (!workerId) return { workerId, notices: [{ kind: "registerBeforeTraining" }] };
      const enrolled = await enrolInCourse(ctx.tx, { workerId, courseId: event.courseId, source: "chat", now: ctx.now, channel: ctx.channel });
      const course = enrolled.course?.title ?? "这期培训";
      if ("enrolled" in enrolled) return { workerId, notices: [{ kind: "enrolled", course, startsAt: enrolled.course.startsAt.toISOString() }] };
      if ("already" in enrolled) return { workerId, notices: [{ kind: "alreadyEnrolled", course }] };
      if ("full" in enrolled) return { workerId, notices: [{ kind: "courseFull", course }] };
      return { workerId, notices: [{ kind: "courseClosed", course }] };
    }
    case "phone_code_requested":
      if (!(await sendPhoneCode(ctx.tx, ctx.pii, ctx.identityId, event.phone, ctx.now))) {
        return { workerId, notices: [{ kind: "tooManyCodes" }], replacesReplies: true };
      }
      return noted("phone_code_sent");
    case "roster_code_requested":
      if (!(await sendRosterCode(ctx.tx, ctx.pii, ctx.identityId, event.rosterKey, ctx.now))) {
        return { workerId, notices: [{ kind: "tooManyCodes" }], replacesReplies: true };
      }
      return noted("phone_code_sent");
    case "roster_code_failed":
      await recordWrongRosterCode(ctx.tx, ctx.pii, ctx.identityId, event.rosterKey);
      return { workerId, notices: [] };
    case "roster_code_confirmed":
      if (!(await confirmRosterCode(ctx.tx, ctx.pii, ctx.identityId, event.rosterKey, event.code, ctx.now))) {
        return { workerId, notices: [{ kind: "rosterNotConfirmed" }], replacesReplies: true };
      }
      return noted("roster_code_confirmed");
    case "phone_code_failed":
      await recordWrongCode(ctx.tx, ctx.pii, ctx.identityId, event.phone);
      return { workerId, notices: [] };
    case "phone_linked": {
      const link = await linkPhone(ctx.tx, ctx.pii, ctx.identityId, event.phone, event.code, ctx.now);
      if (link.linked) return { workerId: link.workerId, notices: [] };
      return { workerId, notices: [{ kind: link.reason === "two_records" ? "phoneOnAnotherRecord" : "phoneNotLinked" }], replacesReplies: true };
    }
  }
}

async function employerOfIdentity(ctx: EventContext) {
  const identity = await ctx.tx.channelIdentity.findUnique({ where: { id: ctx.identityId }, include: { employer: true } });
  return identity?.employer ?? null;
}

async function registerEmployerFromChat(ctx: EventContext, workerId: string | null, profile: EmployerRegistration): Promise<ChatEffects> {
  const registered = await registerEmployer(ctx.tx, ctx.pii, ctx.identityId, profile, ctx.now, ctx.provenPhone);
  if ("conflict" in registered) {
    // The conversation went on to the first vacancy of an employer this chat is not: it starts
    // again at the welcome (the turn's session, written in this transaction, goes).
    await ctx.tx.conversationSession.deleteMany({ where: { identityId: ctx.identityId } });
    return { workerId, notices: [{ kind: "creditCodeTaken" }], replacesReplies: true };
  }
  await recordTimeline(ctx.tx, { identityId: ctx.identityId, workerId }, [
    { kind: "employer_registered", channel: ctx.channel, data: { employerId: registered.employer.id, created: registered.created } },
  ], ctx.now);
  return { workerId, notices: [] };
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
    case "wageFloor":
      return { wageFloor: wageFloorColumn(value as number) };
    default:
      return { [field]: value } as Prisma.WorkerUpdateInput;
  }
}

async function registerFromChat(ctx: EventContext, profile: RegistrationProfile): Promise<ChatEffects> {
  const { tx, pii, identityId } = ctx;
  const idFields = sealIdNumber(pii, profile.idNumber);
  const phoneFields = sealPhone(pii, profile.phone);
  const phoneProven = ctx.provenPhone === profile.phone;
  const existing = await tx.worker.findUnique({ where: { idNumberHash: idFields.idNumberHash } });
  if (existing && (existing.phoneHash !== phoneFields.phoneHash || !phoneProven)) {
    // The roster's person, by name and number, with nothing to prove it by: their coordinator checks, then confirms.
    const onRoster = await unreachedRosterWorker(tx, existing.id, profile.name);
    if (onRoster) {
      const wishes = { wishedOccupations: profile.wishedOccupations, workRange: profile.workRange, wageFloor: profile.wageFloor, wantsTraining: profile.wantsTraining, trainingWish: profile.trainingWish };
      const task = await askToConfirmIdentity(tx, { identityId, entry: onRoster, wishes, channel: ctx.channel, now: ctx.now });
      const coordinator = await responsibleCoordinator(tx, onRoster.worker.plan, task.regionCode);
      return { workerId: null, notices: [{ kind: "idNumberTaken", while: "registering" }, ...(coordinator ? [{ kind: "coordinatorWillCall" as const, coordinator: coordinator.name }] : [])], replacesReplies: true };
    }
    // An ID number we already hold: the same person on a new number or a new channel, a mistake,
    // or someone else who knows the number. Only a phone the channel proves (the SMS sender) may
    // take the record over; otherwise a coordinator checks before anything is linked.
    const task = await requestHuman(ctx, null, "registration", "该身份证号已登记，需核实本人后再关联", { regionCode: profile.homeRegionCode, phone: profile.phone });
    return { workerId: null, notices: [{ kind: "idNumberTaken", while: "registering" }, ...task.notices], replacesReplies: true };
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
    wageFloor: wageFloorColumn(profile.wageFloor),
    wantsTraining: profile.wantsTraining,
    trainingWish: profile.trainingWish,
  };
  const worker = existing
    ? await tx.worker.update({ where: { id: existing.id }, data: fields })
    : await tx.worker.create({ data: { ...fields, registeredVia: ctx.channel, createdAt: ctx.now } });
  await tx.channelIdentity.update({ where: { id: identityId }, data: { workerId: worker.id } });
  // A proven phone is the worker's SMS address too: pushes fall back to it when WeChat's window is
  // closed. A typed one is not: it could be anyone's (it still reaches the coordinator, who calls).
  // A number already linked to someone else (a family's shared phone) stays theirs.
  if (phoneProven) {
    const address = smsAddress(pii, profile.phone);
    const byPhone = await tx.channelIdentity.upsert({
      where: { channel_address: { channel: CHANNEL.sms, address } },
      create: { channel: CHANNEL.sms, address, workerId: worker.id },
      update: {},
    });
    if (!byPhone.workerId) await tx.channelIdentity.update({ where: { id: byPhone.id }, data: { workerId: worker.id } });
  }

  const coordinator = await coordinatorFor(tx, profile.homeRegionCode);
  const plan =
    (await tx.assistancePlan.findUnique({ where: { workerId: worker.id } })) ??
    (await tx.assistancePlan.create({
      data: {
        openedAt: ctx.now,
        workerId: worker.id,
        coordinatorId: coordinator?.id ?? null,
        regionCode: profile.homeRegionCode,
        goals: [{ kind: "work", status: "open" }, ...(profile.wantsTraining ? [{ kind: "training", status: "open", wish: profile.trainingWish }] : [])],
      },
    }));
  await adoptChatHistory(tx, identityId, worker.id, { id: plan.id, regionCode: profile.homeRegionCode });
  await queueIndexing(tx, "worker", worker.id);
  if (profile.wantsTraining) await offerTrainingSoon(tx, worker.id);
  await recordTimeline(tx, { identityId, workerId: worker.id }, [
    { kind: existing ? "re_registered" : "registered", channel: ctx.channel, data: { planId: plan.id, coordinatorId: coordinator?.id ?? null } },
  ], ctx.now);
  return {
    workerId: worker.id,
    notices: coordinator ? [{ kind: "yourCoordinator", coordinator: coordinator.name }] : [],
  };
}

/**
 * What a request for a person needs to know, in one read: the worker's home and plan, the place of
 * the employer on this chat, and a request of this chat's still open.
 */
const HUMAN_REQUEST_KNOWN = prepared(
  "chat_human_request_known",
  `SELECT w.id AS "workerId", w."homeRegionCode", p.id AS "planId", p."coordinatorId",
     (SELECT e."regionCode" FROM "ChannelIdentity" i JOIN "Employer" e ON e.id = i."employerId" WHERE i.id = $1) AS "employerRegionCode",
     t.id AS "openTaskId", t."regionCode" AS "openTaskRegionCode", t."callbackPhoneEnc" IS NOT NULL AS "openTaskHasPhone"
   FROM (SELECT) AS one
     LEFT JOIN "Worker" w ON w.id = $2
     LEFT JOIN "AssistancePlan" p ON p."workerId" = w.id
     LEFT JOIN LATERAL (
       SELECT id, "regionCode", "callbackPhoneEnc" FROM "PlanTask" WHERE kind = 'human_request' AND status = 'open' AND "identityId" = $1 LIMIT 1) t ON true`,
);
interface HumanRequestKnown {
  workerId: string | null;
  homeRegionCode: string | null;
  planId: string | null;
  coordinatorId: string | null;
  employerRegionCode: string | null;
  openTaskId: string | null;
  openTaskRegionCode: string | null;
  openTaskHasPhone: boolean | null;
}

const HUMAN_REQUEST_FILLED_IN = prepared(
  "chat_human_request_filled_in",
  `UPDATE "PlanTask" SET "regionCode" = coalesce("regionCode", $2), "callbackPhoneEnc" = coalesce("callbackPhoneEnc", $3) WHERE id = $1`,
);

async function requestHuman(
  ctx: SqlEventContext,
  workerId: string | null,
  step: string,
  note?: string,
  said: { regionCode?: string; phone?: string; name?: string } = {},
): Promise<ChatEffects> {
  const [known] = await ctx.sql.query<HumanRequestKnown>(HUMAN_REQUEST_KNOWN, [ctx.identityId, workerId]);
  const worker = known?.workerId ? known : null;
  // Where the person is, for the coordinator there: a worker's home, an employer's place, or what
  // someone still registering has said so far.
  const regionCode = (worker ? worker.homeRegionCode : known?.employerRegionCode) ?? said.regionCode ?? null;
  // A registered worker's phone is on their record; someone still registering may have typed one.
  const callbackPhone = !worker && said.phone ? normalizeMobile(said.phone) : null;
  const callbackPhoneEnc = callbackPhone ? ctx.pii.encrypt(callbackPhone) : null;
  // 人工 typed again while the first is still open is the same request: one task, one alert.
  const open = note || !known?.openTaskId ? null : { id: known.openTaskId, kind: "human_request", regionCode: known.openTaskRegionCode, hasPhone: known.openTaskHasPhone === true };
  if (open && ((!open.regionCode && regionCode) || (!open.hasPhone && callbackPhoneEnc))) {
    // Asked again having said more since (the county, a phone): the coordinator can now be found, or call.
    await ctx.sql.query(HUMAN_REQUEST_FILLED_IN, [open.id, regionCode, callbackPhoneEnc]);
    await alertCoordinator(ctx.sql, open, ctx.now);
  }
  if (!open) {
    const task = {
      planId: worker?.planId ?? null,
      identityId: ctx.identityId,
      regionCode,
      kind: "human_request",
      callbackPhoneEnc,
      // a person on request: due within the working day
      dueAt: new Date(ctx.now.getTime() + 24 * 3600 * 1000),
      // A registered worker's name is on the task's plan; someone still registering is named by what they typed.
      note: note ?? `${!worker && said.name ? `${said.name}，` : ""}在${topicOf(step)}时请求人工`,
    };
    await alertCoordinator(ctx.sql, { id: await addTask(ctx.sql, task, ctx.now), kind: task.kind }, ctx.now);
  }
  await recordTimeline(ctx.sql, { identityId: ctx.identityId, workerId }, [{ kind: "human_requested", channel: ctx.channel, data: { step } }], ctx.now);
  const coordinator = await responsibleCoordinator(ctx.sql, worker?.planId ? { coordinatorId: worker.coordinatorId } : null, regionCode);
  return { workerId, notices: coordinator ? [{ kind: "coordinatorWillCall", coordinator: coordinator.name }] : [] };
}
