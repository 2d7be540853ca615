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

export const CAMPAIGN_LIMITS = {
  /** one SMS of Chinese text: a longer one is split, billed twice and may arrive out of order */
  textMax: 70,
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

export interface CampaignInput {
  name: string;
  segment: CampaignSegment;
  text: string;
  sendAt: Date;
}


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
  const sendAt = input.sendAt ?? now;
  const campaign = await ctx.db.campaign.create({
    data: { name: input.name, segment: { ...input.segment }, text: input.text, sendAt, status: "scheduled", createdBy: actorId(ctx.actor), createdAt: now },
  });
  await ctx.queue("campaign.send", { campaignId: campaign.id }, sendAt);
  return campaign;
});

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
  const size = campaign.status === "scheduled" ? await segmentSize(ctx.db, campaign.segment as unknown as CampaignSegment) : null;
  return { campaign, segmentSize: size };
});

/** How many workers a segment in the actor's regions reaches now: the preview before scheduling. */
export const campaignReach = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, segment: CampaignSegment) => {
  requireRegion(ctx.actor, segment.regionCode);
  return segmentSize(ctx.db, segment);
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
async function segmentSize(db: Db, segment: CampaignSegment): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "Worker" w WHERE ${segmentWhere(1)}`, ...segmentParams(segment));
  return row?.count ?? 0;
}
