// Campaigns (春风行动, 就业援助月, 民营企业招聘周): one text broadcast to a segment of workers at a set
// time. The send is a durable job that selects the segment in SQL and queues one notice per worker
// through noticeWorkers, in batches: purpose "push", so opt-out holds and the dispatcher applies
// quiet hours, the daily cap and the fallback from WeChat to SMS. Each notice's key is
// campaign:<id>:<worker>, so a send killed half-way and run again reaches each worker once.
import { noticeKeys } from "../shared/keys.ts";
import type { Campaign, Db, EmploymentStatus, PovertyStatus, WorkRange } from "../db/client.ts";
import { jobKey } from "../queue/kinds.ts";
import { conflict, invalid, notFound } from "../shared/errors.ts";
import { actorId, canSeeRegion, inScope, inTransaction, OFFICIALS, regionScope, requireRegion, verb, type VerbContext } from "./context.ts";
import { noticeWorkers, type WorkerNotice } from "./outreach.ts";
import { smsAddress } from "../delivery/personal-data.ts";
import { CHANNEL } from "../shared/channel-names.ts";
import { SMS_TEXT_CHARS } from "../shared/sms-text.ts";

export const CAMPAIGN_LIMITS = {
  /** one SMS of Chinese text beside the signature: a longer one is split, billed twice and may arrive out of order */
  textMax: SMS_TEXT_CHARS,
  /** workers per transaction while queueing */
  batchSize: 500,
} as const;

export interface CampaignSegment {
  /** the region the campaign is for (any level): workers whose home is inside it */
  regionCode: string;
  povertyStatus?: PovertyStatus[];
  /** workers in any of these welfare categories */
  categories?: string[];
  wantsTraining?: boolean;
  workRange?: WorkRange[];
  employmentStatus?: EmploymentStatus[];
  /** an occupation code or a coarser prefix of one (4-10, 4-10-01): workers wishing such work */
  wishedOccupation?: string;
}

export type CampaignKind = "broadcast" | "invitation";

export interface CampaignInput {
  /** broadcast (the default): the text to the segment; invitation: the roster's people of the segment's region not yet reached */
  kind?: CampaignKind;
  name: string;
  segment: CampaignSegment;
  /** a broadcast's text; an invitation's is the approved template's (INVITATION_TEXT) */
  text?: string;
  sendAt: Date;
}

/**
 * The invitation (邀请登记) to people on the roster who have not talked to the service: what it is,
 * and what to reply. Its Aliyun template (key `invitation` of ALIYUN_SMS_TEMPLATES) is approved with
 * these words and no parameters; a reply from the number makes the bot ask whether they are the
 * roster's person (services/roster/reach.ts).
 */
export const INVITATION_TEXT = "就业直通车：人社部门免费帮您找工作、领补贴。回复1开始登记，回复TD退订。";


/** A scheduled time a moment ago is "now": clocks and requests take a little while. */
const PAST_TOLERANCE_MS = 60_000;


const regionOf = (campaign: Campaign) => (campaign.segment as unknown as CampaignSegment).regionCode;

/** A campaign by id, for an actor whose regions hold its segment. */
async function visibleCampaign(ctx: VerbContext, id: string): Promise<Campaign> {
  const campaign = await ctx.db.campaign.findUnique({ where: { id } });
  if (!campaign) throw notFound("campaign");
  requireRegion(ctx.actor, regionOf(campaign));
  return campaign;
}

/** Records a campaign for a segment in the actor's regions and queues its send for sendAt (now when absent). */
// Administrators and county officials broadcast; coordinators talk to their workers one by one.
export const scheduleCampaign = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: Omit<CampaignInput, "sendAt"> & { sendAt?: Date | undefined }) => {
  requireRegion(ctx.actor, input.segment.regionCode);
  const now = ctx.clock();
  if (input.sendAt && input.sendAt.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw invalid("sendAt is in the past; leave it out to send now");
  const kind = input.kind ?? "broadcast";
  const text = kind === "invitation" ? invitationText(input) : input.text;
  if (!text) throw invalid("text: a broadcast needs its text");
  const sendAt = input.sendAt ?? now;
  const campaign = await ctx.db.campaign.create({
    data: { kind, name: input.name, segment: { ...input.segment }, text, sendAt, status: "scheduled", createdBy: actorId(ctx.actor), createdAt: now },
  });
  await ctx.queue("campaign.send", { campaignId: campaign.id }, sendAt);
  return campaign;
});

/** An invitation goes to everyone on the region's roster not yet reached, in the approved words: nothing else to choose. */
function invitationText(input: Pick<CampaignInput, "segment" | "text">): string {
  if (input.text !== undefined) throw invalid("text: an invitation is sent in the approved template's words; leave text out");
  const narrowed = Object.keys(input.segment).filter((criterion) => criterion !== "regionCode");
  if (narrowed.length > 0) throw invalid(`segment: an invitation goes to the whole roster of its region; leave out ${narrowed.join(", ")}`);
  return INVITATION_TEXT;
}

/** The campaigns for the actor's regions, newest first. */
export const listCampaigns = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, query: { limit: number }) => {
  const scope = regionScope(ctx.actor);
  const campaigns = await ctx.db.campaign.findMany({
    where: inScope(scope, (prefix) => ({ segment: { path: ["regionCode"], string_starts_with: prefix } })),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  // The JSON filter narrows in the database; the same check as for one campaign decides.
  return campaigns.filter((campaign) => canSeeRegion(ctx.actor, regionOf(campaign)));
});

/** One campaign, with its segment's present size while it is still scheduled. */
export const showCampaign = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, input: { campaignId: string }) => {
  const campaign = await visibleCampaign(ctx, input.campaignId);
  const size = campaign.status === "scheduled" ? await segmentSize(ctx.db, campaign.segment as unknown as CampaignSegment, campaign.kind as CampaignKind) : null;
  return { campaign, segmentSize: size };
});

/** How many workers a segment in the actor's regions reaches now: the preview before scheduling. */
export const campaignReach = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, segment: CampaignSegment, kind: CampaignKind = "broadcast") => {
  requireRegion(ctx.actor, segment.regionCode);
  return segmentSize(ctx.db, segment, kind);
});

/** Cancels a campaign that has not started sending; its job, if it runs, finds it cancelled. */
export const cancelCampaign = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: { campaignId: string }) => {
  const { id } = await visibleCampaign(ctx, input.campaignId);
  const cancelled = await ctx.db.campaign.updateMany({ where: { id, status: "scheduled" }, data: { status: "cancelled" } });
  const campaign = await ctx.db.campaign.findUniqueOrThrow({ where: { id } });
  if (cancelled.count === 0) throw conflict(`the campaign is ${campaign.status}: only a scheduled campaign can be cancelled`);
  await ctx.db.job.updateMany({ where: { key: jobKey("campaign.send", { campaignId: id }), status: "pending" }, data: { status: "done", doneAt: ctx.clock(), lastError: "campaign cancelled" } });
  return campaign;
});

/**
 * The segment as SQL over "Worker" w. Parameters from `$first`: region prefix, poverty statuses,
 * categories, wantsTraining, work ranges, employment statuses, wished-occupation prefix; an absent
 * criterion is NULL and holds for everyone.
 */
function segmentWhere(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `w."homeRegionCode" LIKE ${p(0)}::text
    AND (${p(1)}::text[] IS NULL OR w."povertyStatus"::text = ANY(${p(1)}::text[]))
    AND (${p(2)}::text[] IS NULL OR w.categories && ${p(2)}::text[])
    AND (${p(3)}::boolean IS NULL OR coalesce(w."wantsTraining", false) = ${p(3)}::boolean)
    AND (${p(4)}::text[] IS NULL OR w."workRange"::text = ANY(${p(4)}::text[]))
    AND (${p(5)}::text[] IS NULL OR w."employmentStatus"::text = ANY(${p(5)}::text[]))
    AND (${p(6)}::text IS NULL OR EXISTS (SELECT 1 FROM unnest(w."wishedOccupations") AS wished WHERE wished = ${p(6)}::text OR wished LIKE ${p(6)}::text || '-%'))`;
}

function segmentParams(segment: CampaignSegment): unknown[] {
  const list = <T>(values: T[] | undefined) => (values && values.length > 0 ? values : null);
  return [
    `${segment.regionCode}%`,
    list(segment.povertyStatus),
    list(segment.categories),
    segment.wantsTraining ?? null,
    list(segment.workRange),
    list(segment.employmentStatus),
    segment.wishedOccupation ?? null,
  ];
}

export interface CampaignRun {
  status: string;
  /** notices this campaign has queued, over all runs */
  recipients: number;
}

/**
 * Sends a campaign: scheduled → sending → sent. Workers are taken in id order, a batch per
 * transaction; those already sent to are skipped, so a run after a crash goes on where it stopped.
 */
export async function sendCampaign(ctx: VerbContext, campaignId: string, options: { batchSize?: number } = {}): Promise<CampaignRun> {
  const prisma = ctx.db;
  const started = await prisma.campaign.updateMany({ where: { id: campaignId, status: { in: ["scheduled", "sending"] } }, data: { status: "sending" } });
  const campaign = await prisma.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) return { status: "missing", recipients: 0 };
  if (started.count === 0) return { status: campaign.status, recipients: campaign.recipients ?? 0 };

  const segment = campaign.segment as unknown as CampaignSegment;
  const batchSize = options.batchSize ?? CAMPAIGN_LIMITS.batchSize;
  if (campaign.kind === "invitation") return sendInvitations(ctx, campaign, batchSize);
  const body = { text: campaign.text, template: "campaign", params: { name: campaign.name.slice(0, 20), content: campaign.text } };
  let after = "";
  for (;;) {
    const workers = await prisma.$queryRawUnsafe<{ id: string; homeRegionCode: string | null }[]>(
      `SELECT w.id, w."homeRegionCode" FROM "Worker" w
       WHERE ${segmentWhere(1)}
         AND w.id > $8
         AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.key = $9 || w.id)
       ORDER BY w.id LIMIT $10`,
      ...segmentParams(segment),
      after,
      `campaign:${campaignId}:`,
      batchSize,
    );
    if (workers.length === 0) break;
    after = workers.at(-1)!.id;
    const notices: WorkerNotice[] = workers.map((worker) => ({
      kind: "campaign",
      key: noticeKeys.campaign(campaignId, worker.id),
      workerId: worker.id,
      regionCode: worker.homeRegionCode,
      purpose: "push",
      body,
      timeline: { kind: "campaign", data: { campaignId, name: campaign.name } },
    }));
    await inTransaction(ctx, ({ db: tx }) => noticeWorkers(tx, notices, ctx.clock()));
  }
  // Counted from the notices, not summed over runs: a run after a crash would count a batch twice.
  const recipients = await prisma.notice.count({ where: { kind: "campaign", key: { startsWith: noticeKeys.campaign(campaignId, "") } } });
  await prisma.campaign.updateMany({ where: { id: campaignId, status: "sending" }, data: { status: "sent", recipients } });
  ctx.log.info({ campaignId, recipients }, "campaign sent");
  return { status: "sent", recipients };
}

/** How many workers a segment holds now (before sending, for the operator to check). */
async function segmentSize(db: Db, segment: CampaignSegment, kind: CampaignKind): Promise<number> {
  const [row] =
    kind === "invitation"
      ? await db.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "Worker" w JOIN "RosterEntry" r ON r."workerId" = w.id WHERE ${INVITEES}`, `${segment.regionCode}%`)
      : await db.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "Worker" w WHERE ${segmentWhere(1)}`, ...segmentParams(segment));
  return row?.count ?? 0;
}

/**
 * Who an invitation is for, over "Worker" w joined with its "RosterEntry" r ($1: the region's
 * prefix): on the roster now, with a phone, never in touch with the service (no chat of theirs),
 * and never invited before.
 */
const INVITEES = `r."leftAt" IS NULL AND w."homeRegionCode" LIKE $1::text AND w."phoneEnc" IS NOT NULL AND w."erasedAt" IS NULL
  AND NOT EXISTS (SELECT 1 FROM "ChannelIdentity" i WHERE i."workerId" = w.id)
  AND NOT EXISTS (SELECT 1 FROM "Notice" n WHERE n.key = 'invitation:' || w.id)`;

/**
 * The invitation's send: one SMS per person to the number the roster gives them, through the
 * outreach verb like any push (opt-out, quiet hours, the daily cap; once per person by its key). The
 * number's chat is not theirs yet — it becomes theirs when they say who they are — so the SMS goes
 * to that number's identity, made here if the service never heard from it. A number someone
 * registered already uses, or that said 退订, is left alone. Each batch counts its recipients in the
 * same transaction, so a run after a crash neither misses nor double-counts anyone.
 */
async function sendInvitations(ctx: VerbContext, campaign: Campaign, batchSize: number): Promise<CampaignRun> {
  const regionCode = (campaign.segment as unknown as CampaignSegment).regionCode;
  const body = { text: campaign.text, template: "invitation", params: {} };
  if (campaign.recipients === null) await ctx.db.campaign.update({ where: { id: campaign.id }, data: { recipients: 0 } });
  let after = "";
  for (;;) {
    const people = await ctx.db.$queryRawUnsafe<{ id: string; homeRegionCode: string | null; phoneEnc: string }[]>(
      `SELECT w.id, w."homeRegionCode", w."phoneEnc" FROM "Worker" w JOIN "RosterEntry" r ON r."workerId" = w.id
       WHERE ${INVITEES} AND w.id > $2 ORDER BY w.id LIMIT $3`,
      `${regionCode}%`,
      after,
      batchSize,
    );
    if (people.length === 0) break;
    after = people.at(-1)!.id;
    await inTransaction(ctx, async ({ db: tx }) => {
      const addresses = people.map((person) => smsAddress(ctx.pii, ctx.pii.decrypt(person.phoneEnc)));
      // A household's shared phone is invited once: whoever answers is asked which of them they are.
      const invited = new Set(
        (await tx.outboxMessage.findMany({ where: { channel: CHANNEL.sms, address: { in: addresses }, idempotencyKey: { startsWith: noticeKeys.invitation("") } }, select: { address: true } })).map((row) => row.address),
      );
      const notices: WorkerNotice[] = [];
      for (const [at, person] of people.entries()) {
        const address = addresses[at]!;
        if (invited.has(address)) continue;
        invited.add(address);
        const to = await tx.channelIdentity.upsert({ where: { channel_address: { channel: CHANNEL.sms, address } }, create: { channel: CHANNEL.sms, address, createdAt: ctx.clock() }, update: {} });
        if (to.workerId || to.employerId || to.optedOutAt) continue;
        notices.push({ kind: "invitation", key: noticeKeys.invitation(person.id), workerId: person.id, regionCode: person.homeRegionCode, purpose: "push", body, to, timeline: { kind: "campaign", data: { campaignId: campaign.id, name: campaign.name } } });
      }
      const queued = await noticeWorkers(tx, notices, ctx.clock());
      await tx.campaign.update({ where: { id: campaign.id }, data: { recipients: { increment: queued.size } } });
    });
  }
  const done = await ctx.db.campaign.update({ where: { id: campaign.id }, data: { status: "sent" } });
  ctx.log.info({ campaignId: campaign.id, recipients: done.recipients }, "invitations sent");
  return { status: "sent", recipients: done.recipients ?? 0 };
}
