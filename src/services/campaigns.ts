// Campaigns (春风行动, 就业援助月, 民营企业招聘周): one text broadcast to a segment of workers at a set
// time. The send is a durable job that selects the segment in SQL and queues one notice per worker
// through noticeWorkers, in batches: purpose "push", so opt-out holds and the dispatcher applies
// quiet hours, the daily cap and the fallback from WeChat to SMS. Each notice's key is
// campaign:<id>:<worker>, so a send killed half-way and run again reaches each worker once.
import { noticeKeys } from "../shared/keys.ts";
import type { AppDeps } from "../deps.ts";
import type { Campaign, EmploymentStatus, PovertyStatus, PrismaClient, WorkRange } from "../db/client.ts";
import { queueJob } from "../queue/queue.ts";
import { jobKey } from "../queue/kinds.ts";
import { AppError } from "../shared/errors.ts";
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


/** Records a campaign and queues its send for sendAt, in one transaction. */
export async function createCampaign(prisma: PrismaClient, input: CampaignInput, createdBy: string): Promise<Campaign> {
  return prisma.$transaction(async (tx) => {
    const campaign = await tx.campaign.create({
      data: { name: input.name, segment: { ...input.segment }, text: input.text, sendAt: input.sendAt, status: "scheduled", createdBy },
    });
    await queueJob(tx, "campaign.send", { campaignId: campaign.id }, input.sendAt);
    return campaign;
  });
}

/** Cancels a campaign that has not started sending; its job, if it runs, finds it cancelled. */
export async function cancelCampaign(prisma: PrismaClient, id: string, now: Date): Promise<Campaign> {
  return prisma.$transaction(async (tx) => {
    const cancelled = await tx.campaign.updateMany({ where: { id, status: "scheduled" }, data: { status: "cancelled" } });
    const campaign = await tx.campaign.findUnique({ where: { id } });
    if (!campaign) throw new AppError("not_found", "campaign not found");
    if (cancelled.count === 0) throw new AppError("conflict", `the campaign is ${campaign.status}: only a scheduled campaign can be cancelled`);
    await tx.job.updateMany({ where: { key: jobKey("campaign.send", { campaignId: id }), status: "pending" }, data: { status: "done", doneAt: now, lastError: "campaign cancelled" } });
    return campaign;
  });
}

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
export async function sendCampaign(deps: Pick<AppDeps, "prisma" | "log" | "clock" | "outboxQueued">, campaignId: string, options: { batchSize?: number } = {}): Promise<CampaignRun> {
  const { prisma } = deps;
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
    await prisma.$transaction((tx) => noticeWorkers(tx, notices, deps.clock()));
    deps.outboxQueued?.();
  }
  // Counted from the notices, not summed over runs: a run after a crash would count a batch twice.
  const recipients = await prisma.notice.count({ where: { kind: "campaign", key: { startsWith: `campaign:${campaignId}:` } } });
  await prisma.campaign.updateMany({ where: { id: campaignId, status: "sending" }, data: { status: "sent", recipients } });
  deps.log.info({ campaignId, recipients }, "campaign sent");
  return { status: "sent", recipients };
}

/** How many workers a segment holds now (before sending, for the operator to check). */
export async function segmentSize(prisma: PrismaClient, segment: CampaignSegment): Promise<number> {
  const [row] = await prisma.$queryRawUnsafe<{ count: number }[]>(`SELECT count(*)::int AS count FROM "Worker" w WHERE ${segmentWhere(1)}`, ...segmentParams(segment));
  return row?.count ?? 0;
}
