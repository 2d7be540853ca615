// Campaigns (operator API): administrators and county officials broadcast to a segment of the
// workers in their regions; coordinators talk to their workers one by one and cannot.
import { createRoute, z } from "@hono/zod-openapi";
import type { Campaign } from "../db/client.ts";
import { CAMPAIGN_LIMITS, cancelCampaign, listCampaigns, scheduleCampaign, showCampaign } from "../services/campaigns.ts";
import { authenticate, operatorContext } from "./auth.ts";
import type { Router } from "./context.ts";
import { bearer, errorSchema, jsonBody, notFoundError, operatorErrors, regionCode } from "./schemas.ts";
import { chinaInstant } from "../shared/china-time.ts";

const segmentSchema = z
  .object({
    regionCode: regionCode.openapi({ description: "workers whose home is inside this region; must be inside the caller's regions" }),
    povertyStatus: z.array(z.enum(["registered", "lifted", "monitored", "none", "unknown"])).min(1).optional(),
    categories: z.array(z.string().trim().min(1).max(40)).min(1).max(20).optional().openapi({ description: "workers in any of these welfare categories", example: ["minimumLivingAllowance"] }),
    wantsTraining: z.boolean().optional(),
    workRange: z.array(z.enum(["homeCounty", "province", "anywhere"])).min(1).optional(),
    employmentStatus: z
      .array(z.enum(["seeking", "employedLocal", "employedInProvince", "employedOutOfProvince", "selfEmployed", "notSeeking"]))
      .min(1)
      .optional(),
    wishedOccupation: z
      .string()
      .regex(/^\d(-\d{2}){0,3}$/, "an occupation code (4-10-01-06) or a coarser prefix of one (4-10)")
      .optional()
      .openapi({ description: "workers who wish work of this occupation or group" }),
  })
  .strict()
  .openapi("CampaignSegment");

const campaignKind = z.enum(["broadcast", "invitation"]);

const campaignInputSchema = z.object({
  kind: campaignKind.default("broadcast").openapi({
    description:
      "broadcast: the text to the segment's workers; invitation (邀请登记): one SMS, in the approved template's words (ALIYUN_SMS_TEMPLATES key `invitation`), to each person on the roster of segment.regionCode with a phone who has not talked to the service, once per person",
  }),
  name: z.string().trim().min(2).max(30).openapi({ example: "2026年春风行动" }),
  segment: segmentSchema,
  text: z
    .string()
    .trim()
    .min(1)
    .max(CAMPAIGN_LIMITS.textMax, `at most ${CAMPAIGN_LIMITS.textMax} characters: one SMS holds 70 Chinese characters with the sender's signature, and a longer text is split, billed twice and may arrive out of order`)
    .optional()
    .openapi({ description: "a broadcast's text (required there); left out for an invitation", example: "春风行动招聘会2月20日在云霄县人社局举行，百家企业招工，欢迎参加。" }),
  sendAt: chinaInstant.optional().openapi({ description: "when to send; now when absent. Quiet hours hold the messages until morning." }),
});

const campaignSchema = z
  .object({
    id: z.string(),
    kind: campaignKind,
    name: z.string(),
    segment: z.record(z.string(), z.unknown()),
    text: z.string(),
    sendAt: z.string(),
    status: z.enum(["scheduled", "sending", "sent", "cancelled"]),
    recipients: z.number().int().nullable().openapi({ description: "workers the campaign was sent to, once sent" }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Campaign");

const view = (campaign: Campaign) => ({
  id: campaign.id,
  kind: campaign.kind as z.infer<typeof campaignKind>,
  name: campaign.name,
  segment: campaign.segment as Record<string, unknown>,
  text: campaign.text,
  sendAt: campaign.sendAt.toISOString(),
  status: campaign.status as "scheduled" | "sending" | "sent" | "cancelled",
  recipients: campaign.recipients,
  createdBy: campaign.createdBy,
  createdAt: campaign.createdAt.toISOString(),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const campaignId = z.object({ id: z.string().uuid() });

const createDef = createRoute({
  method: "post",
  path: "/api/campaigns",
  summary: "Schedule a broadcast to a segment of workers (春风行动, 就业援助月); opted-out workers are left out",
  security: bearer,
  middleware: [authenticate],
  request: { body: jsonBody(campaignInputSchema) },
  responses: { 201: json(z.object({ campaign: campaignSchema }), "the campaign, its send queued for sendAt"), ...operatorErrors },
});

const listDef = createRoute({
  method: "get",
  path: "/api/campaigns",
  summary: "Campaigns for the caller's regions, newest first",
  security: bearer,
  middleware: [authenticate],
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: { 200: json(z.object({ campaigns: z.array(campaignSchema) }), "campaigns"), ...operatorErrors },
});

const getDef = createRoute({
  method: "get",
  path: "/api/campaigns/{id}",
  summary: "One campaign: the recipients once sent, the segment's present size while scheduled",
  security: bearer,
  middleware: [authenticate],
  request: { params: campaignId },
  responses: {
    200: json(z.object({ campaign: campaignSchema, segmentSize: z.number().int().nullable().openapi({ description: "workers in the segment now, while scheduled" }) }), "the campaign"),
    ...notFoundError,
    ...operatorErrors,
  },
});

const cancelDef = createRoute({
  method: "post",
  path: "/api/campaigns/{id}/cancel",
  summary: "Cancel a campaign that has not started sending",
  security: bearer,
  middleware: [authenticate],
  request: { params: campaignId },
  responses: {
    200: json(z.object({ campaign: campaignSchema }), "the campaign, cancelled"),
    ...notFoundError,
    ...operatorErrors,
    409: json(errorSchema, "the campaign is sending, sent or cancelled already"),
  },
});

export function mountCampaigns(app: Router) {
  app.openapi(createDef, async (c) => c.json({ campaign: view(await scheduleCampaign(operatorContext(c), c.req.valid("json"))) }, 201));

  app.openapi(listDef, async (c) => c.json({ campaigns: (await listCampaigns(operatorContext(c), c.req.valid("query"))).map(view) }, 200));

  app.openapi(getDef, async (c) => {
    const { campaign, segmentSize } = await showCampaign(operatorContext(c), { campaignId: c.req.valid("param").id });
    return c.json({ campaign: view(campaign), segmentSize }, 200);
  });

  app.openapi(cancelDef, async (c) => c.json({ campaign: view(await cancelCampaign(operatorContext(c), { campaignId: c.req.valid("param").id })) }, 200));
}
