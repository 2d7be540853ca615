// Domain verbs about employers and the vacancies they post by chat. An employer with a valid credit
// code is trusted at once; one without (a village workshop, an individual business) is confirmed by
// the coordinator of its place first, and its vacancies wait as drafts until then — a worker should
// never be pushed a job from someone nobody has checked.
import type { Tx } from "../db/client.ts";
import { endOfChinaDay } from "../shared/china-time.ts";
import type { Employer, Vacancy } from "../db/client.ts";
import { z } from "zod";
import { conflict, notFound } from "../shared/errors.ts";
import { employerConfirmedBody } from "../wording/notices.ts";
import { alertEmployer, queueMessage } from "./outreach.ts";
import { actorId, ANY_OPERATOR, audit, CARERS, inScope, regionScope, requireRegion, verb, type VerbContext } from "./context.ts";
import type { EmployerRegistration, VacancyDraft } from "../shared/postings.ts";
import type { PiiProtector } from "../shared/pii.ts";
import { maskPhone } from "../shared/masking.ts";
import { queueIndexing } from "./search-sync.ts";
import { vacancyChanged } from "./vacancies.ts";


export const isTrusted = (employer: Pick<Employer, "creditCode" | "vouchedBy">) => employer.creditCode !== null || employer.vouchedBy !== null;

export type EmployerRegistrationResult =
  | { employer: Employer; created: boolean }
  /** the code belongs to an employer registered with another contact: a coordinator checks first */
  | { conflict: true };

/**
 * Registers the employer behind a chat identity, or links the identity to the employer already
 * registered under the same credit code — only when the channel proves the contact phone (the SMS
 * sender): a credit code and a company's phone are public, and typing them must not hand anyone
 * the employer's applicants. Without a code, a coordinator confirms the employer before its
 * vacancies open; with one, a coordinator still checks it afterwards (a checksum proves no company).
 */
export async function registerEmployer(
  tx: Tx,
  pii: PiiProtector,
  identityId: string,
  profile: EmployerRegistration,
  now: Date,
  provenPhone?: string,
): Promise<EmployerRegistrationResult> {
  const contactPhoneHash = pii.hash("phone", profile.contactPhone);
  const existing = profile.creditCode ? await tx.employer.findUnique({ where: { creditCode: profile.creditCode } }) : null;
  if (existing && (existing.contactPhoneHash !== contactPhoneHash || provenPhone !== profile.contactPhone)) {
    // Typed again while the coordinator has yet to call: the task already asks it.
    const asked = await tx.planTask.findFirst({ where: { identityId, kind: "employer_verification", status: "open" }, select: { id: true } });
    if (asked) return { conflict: true };
    await tx.planTask.create({
      data: { createdAt: now,
        identityId,
        regionCode: existing.regionCode ?? profile.regionCode,
        kind: "employer_verification",
        data: { employerId: existing.id } satisfies NewContact,
        // The number the new contact gave, for the coordinator's call (sealed, as every number).
        callbackPhoneEnc: pii.encrypt(profile.contactPhone),
        dueAt: new Date(now.getTime() + 24 * 3600 * 1000),
        note: `信用代码${profile.creditCode}已由另一联系人登记：请打电话核实${profile.contactName}是"${profile.name}"的联系人，再点"确认是该单位的联系人"`,
      },
    });
    return { conflict: true };
  }
  const employer =
    existing ??
    (await tx.employer.create({
      data: {
        name: profile.name,
        kind: profile.kind,
        creditCode: profile.creditCode,
        contactName: profile.contactName,
        contactPhoneEnc: pii.encrypt(profile.contactPhone),
        contactPhoneHash,
        contactPhoneMasked: maskPhone(profile.contactPhone),
        regionCode: profile.regionCode,
        address: profile.address,
      },
    }));
  await tx.channelIdentity.update({ where: { id: identityId }, data: { employerId: employer.id } });
  if (!existing) {
    await tx.planTask.create({
      data: { createdAt: now,
        identityId,
        regionCode: employer.regionCode,
        kind: "employer_verification",
        dueAt: new Date(now.getTime() + 3 * 24 * 3600 * 1000),
        note: isTrusted(employer)
          ? `新登记单位"${employer.name}"（信用代码${employer.creditCode}），岗位已发布，请抽查核实单位是否真实`
          : `"${employer.name}"没有统一社会信用代码：请核实后点"确认单位"，它的岗位才发布`,
      },
    });
  }
  return { employer, created: !existing };
}

/** Records a vacancy posted by chat: open at once for a trusted employer, else a draft until confirmed. */
export async function postVacancyFromChat(tx: Tx, employer: Employer, draft: VacancyDraft, channel: string): Promise<Vacancy> {
  const vacancy = await tx.vacancy.create({
    data: {
      employerId: employer.id,
      employerName: employer.name,
      title: draft.title,
      description: draft.requirements ? `要求：${draft.requirements}` : null,
      occupationCode: draft.occupationCode,
      regionCode: draft.regionCode,
      anywhereInRegion: draft.anywhereInRegion ?? false,
      address: draft.regionCode === employer.regionCode ? employer.address : null,
      headcount: draft.headcount,
      wageMin: draft.wageMin,
      wageMax: draft.wageMax,
      wageUnit: draft.wageUnit,
      hours: draft.hours,
      ageMin: draft.ageMin,
      ageMax: draft.ageMax,
      sex: draft.sex,
      physical: draft.requirements,
      housing: draft.housing,
      meals: draft.meals,
      insurance: draft.insurance,
      deadline: draft.deadline ? endOfChinaDay(draft.deadline) : null,
      status: isTrusted(employer) ? "open" : "draft",
      postedVia: channel,
    },
  });
  await vacancyChanged(tx, vacancy);
  return vacancy;
}

/** Employers in the actor's regions (those waiting for a coordinator's confirmation only, if asked), newest first. */
export const listEmployers = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: { region?: string | undefined; unconfirmed?: boolean }) => {
  const scope = regionScope(ctx.actor, query.region);
  return ctx.db.employer.findMany({
    where: {
      ...inScope(scope, "regionCode"),
      ...(query.unconfirmed ? { creditCode: null, vouchedBy: null } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
});

/** A coordinator confirms an employer without a credit code (a village workshop): its waiting vacancies open and are pushed. */
export const vouchForEmployer = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { employerId: string }) => {
  const employer = await ctx.db.employer.findUnique({ where: { id: input.employerId } });
  if (!employer) throw notFound("employer");
  requireRegion(ctx.actor, employer.regionCode);
  const vouched = await ctx.db.employer.update({ where: { id: employer.id }, data: { vouchedBy: actorId(ctx.actor) } });
  const drafts = await ctx.db.vacancy.findMany({ where: { employerId: employer.id, status: "draft" }, select: { id: true } });
  for (const draft of drafts) {
    const opened = await ctx.db.vacancy.update({ where: { id: draft.id }, data: { status: "open" } });
    await vacancyChanged(ctx.db, opened);
  }
  await ctx.db.planTask.updateMany({
    where: { kind: "employer_verification", status: "open", identity: { employerId: employer.id } },
    data: { status: "done", doneAt: ctx.clock() },
  });
  // Told in the chat to wait for the coordinator: told the wait is over.
  if (drafts.length > 0) await alertEmployer(ctx.db, employer.id, `employer_vouched:${employer.id}`, employerConfirmedBody({ employer: employer.name, contact: false }), ctx.clock());
  await audit(ctx, "employer.vouched", employer.id);
  return { employer: vouched, opened: drafts.length };
});

/** An employer_verification task's data when a chat typed the credit code of an employer registered with another contact. */
const newContact = z.object({ employerId: z.string() });
type NewContact = z.infer<typeof newContact>;

/** The employer a task's data names for a new contact (see linkEmployerContact), else null. */
export function newContactEmployerId(data: unknown): string | null {
  const named = newContact.safeParse(data);
  return named.success ? named.data.employerId : null;
}

/**
 * A coordinator, having called the employer, confirms the chat that typed its credit code as one of
 * its contacts (a new person in charge of hiring): the chat becomes the employer's, and is told so.
 */
export const linkEmployerContact = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { taskId: string }) => {
  const task = await ctx.db.planTask.findUnique({ where: { id: input.taskId } });
  if (!task) throw notFound("task");
  requireRegion(ctx.actor, task.regionCode);
  const employerId = newContactEmployerId(task.data);
  if (task.kind !== "employer_verification" || !employerId || !task.identityId) throw conflict("the task is not about a new contact of a registered employer");
  if (task.status !== "open") throw conflict("the task is done already");
  const employer = await ctx.db.employer.findUnique({ where: { id: employerId } });
  if (!employer) throw notFound("employer");
  requireRegion(ctx.actor, employer.regionCode);
  const identity = await ctx.db.channelIdentity.findUniqueOrThrow({ where: { id: task.identityId } });
  if (identity.workerId || identity.employerId) throw conflict("the chat belongs to someone already");
  const now = ctx.clock();
  await ctx.db.channelIdentity.update({ where: { id: identity.id }, data: { employerId: employer.id } });
  // Its next message starts a conversation as the employer's: their menu, not where it was left.
  await ctx.db.conversationSession.deleteMany({ where: { identityId: identity.id } });
  await ctx.db.planTask.update({ where: { id: task.id }, data: { status: "done", doneAt: now } });
  await queueMessage(ctx.db, { key: `employer_contact:${task.id}`, channel: identity.channel, address: identity.address, purpose: "notice", body: employerConfirmedBody({ employer: employer.name, contact: true }) }, now);
  await audit(ctx, "employer.contact_linked", employer.id, { taskId: task.id });
  return { employerId: employer.id };
});

/** The employer closes one of its own vacancies; false when it is not theirs. */
export async function closeVacancy(tx: Tx, employerId: string, vacancyId: string): Promise<boolean> {
  const { count } = await tx.vacancy.updateMany({ where: { id: vacancyId, employerId, status: { in: ["open", "draft"] } }, data: { status: "closed" } });
  if (count > 0) await queueIndexing(tx, "vacancy", vacancyId);
  return count > 0;
}
