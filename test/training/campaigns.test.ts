// Campaigns (春风行动, 就业援助月): who may broadcast, what is refused, and that a send reaches exactly
// the segment (region, welfare category, wished work), never an opted-out worker, once each even
// when the job runs twice or is killed half-way, and holds to quiet hours like every push.
import { service } from "../support/service.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueJob } from "../../src/queue/queue.ts";
import { sendCampaign } from "../../src/services/campaigns.ts";
import { createHarness, TEST_NOW, type Harness } from "../support/harness.ts";
import type { TestWorker } from "../support/people.ts";
import { DAY_MS, received, registerTrainee, settle } from "./support.ts";

let h: Harness;
let admin: string;
let yunxiaoOfficial: string;
let zhangpuOfficial: string;
let coordinator: string;

let inSegment: TestWorker;
let inSegmentToo: TestWorker;
let optedOut: TestWorker;
let otherWish: TestWorker;
let noCategory: TestWorker;
let otherCounty: TestWorker;
let notPoor: TestWorker;

const TEXT = "春风行动招聘会2月20日在云霄县人社局举行，家政企业现场招工，欢迎参加。";
const segment = { regionCode: "350622", povertyStatus: ["registered", "lifted"], categories: ["minimumLivingAllowance"], wishedOccupation: "4-10" };

beforeAll(async () => {
  h = await createHarness();
  await h.deps.indexes.ensureSettings();
  admin = (await h.operator("admin")).token;
  yunxiaoOfficial = (await h.operator("countyOfficial", ["350622"])).token;
  zhangpuOfficial = (await h.operator("countyOfficial", ["350623"])).token;
  coordinator = (await h.operator("coordinator", ["350622"])).token;
  const fits = { birthDate: "1985-05-05", sex: "female" as const, povertyStatus: "registered" as const, categories: ["minimumLivingAllowance"], wishedOccupations: ["4-10-01-06"] };
  inSegment = await registerTrainee(h, { ...fits, name: "王芳", homeRegionCode: "350622103201" });
  inSegmentToo = await registerTrainee(h, { ...fits, name: "李梅", homeRegionCode: "350622100201", povertyStatus: "lifted", wishedOccupations: ["6-31-01-03", "4-10-01-05"] });
  optedOut = await registerTrainee(h, { ...fits, name: "陈丽", homeRegionCode: "350622103202", optedOut: true });
  otherWish = await registerTrainee(h, { ...fits, name: "黄英", homeRegionCode: "350622103203", wishedOccupations: ["6-31-01-03"] });
  noCategory = await registerTrainee(h, { ...fits, name: "林霞", homeRegionCode: "350622103204", categories: [] });
  otherCounty = await registerTrainee(h, { ...fits, name: "郑红", homeRegionCode: "350623100201" });
  notPoor = await registerTrainee(h, { ...fits, name: "吴兰", homeRegionCode: "350622103205", povertyStatus: "none" });
  await settle(h); // the workers' index jobs, so that later runs only do campaign work
});
afterAll(() => h.close());

const campaignMessages = async (worker: TestWorker, campaignId: string) => (await received(h, worker.address)).filter((message) => message.key === `campaign:${campaignId}:${worker.id}`);
const countCampaigns = () => h.deps.prisma.campaign.count();

describe("who may broadcast, and what is refused", () => {
  it("refuses coordinators (they follow their workers one by one) and callers without a key, writing nothing", async () => {
    const body = { name: "春风行动", segment, text: TEXT };
    const refused = await h.request("POST", "/api/campaigns", { token: coordinator, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    expect((await h.request("POST", "/api/campaigns", { body })).status).toBe(401);
    expect((await h.request("GET", "/api/campaigns", { token: coordinator })).status).toBe(403);
    expect(await countCampaigns()).toBe(0);
  });

  it("refuses a segment outside the official's county", async () => {
    const response = await h.request("POST", "/api/campaigns", { token: zhangpuOfficial, body: { name: "春风行动", segment, text: TEXT } });
    expect(response.status).toBe(403);
    expect(await countCampaigns()).toBe(0);
  });

  it("refuses a text longer than one SMS, saying why", async () => {
    const long = "春".repeat(63);
    const response = await h.request("POST", "/api/campaigns", { token: yunxiaoOfficial, body: { name: "春风行动", segment, text: long } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_failed");
    expect(JSON.stringify(response.body.error.details)).toContain("one SMS holds 70 Chinese characters with the sender");
    expect(await countCampaigns()).toBe(0);
  });

  it("refuses a send time in the past, an unknown segment field and a missing region", async () => {
    const bodies = [
      { name: "春风行动", segment, text: TEXT, sendAt: new Date(h.clock().getTime() - DAY_MS).toISOString() },
      { name: "春风行动", segment: { ...segment, village: "莆美" }, text: TEXT },
      { name: "春风行动", segment: { categories: ["minimumLivingAllowance"] }, text: TEXT },
      { name: "春风行动", segment: { ...segment, employmentStatus: ["retired"] }, text: TEXT },
    ];
    for (const body of bodies) expect((await h.request("POST", "/api/campaigns", { token: yunxiaoOfficial, body })).status, JSON.stringify(body)).toBe(400);
    expect(await countCampaigns()).toBe(0);
    expect(await h.deps.prisma.job.count({ where: { kind: "campaign.send" } })).toBe(0);
  });
});

describe("a campaign to a segment", () => {
  let campaignId: string;
  const sendAt = new Date(TEST_NOW.getTime() + 3600_000);

  it("is scheduled with its send queued for sendAt", async () => {
    const response = await h.request("POST", "/api/campaigns", { token: yunxiaoOfficial, body: { name: "2026年春风行动", segment, text: TEXT, sendAt: sendAt.toISOString() } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    campaignId = response.body.campaign.id;
    expect(response.body.campaign).toMatchObject({ status: "scheduled", recipients: null, text: TEXT, sendAt: sendAt.toISOString(), segment });
    const job = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: `campaign:send:${campaignId}` } });
    expect(job).toMatchObject({ kind: "campaign.send", status: "pending", runAt: sendAt });
    // The segment holds three workers now, the opted-out one included (who will not be sent to).
    const shown = await h.request("GET", `/api/campaigns/${campaignId}`, { token: yunxiaoOfficial });
    expect(shown.body).toMatchObject({ segmentSize: 3, campaign: { status: "scheduled" } });
  });

  it("sends nothing before sendAt", async () => {
    await settle(h);
    expect(await h.deps.prisma.notice.count({ where: { kind: "campaign" } })).toBe(0);
  });

  it("reaches exactly the segment at sendAt, once each, in the approved-template form", async () => {
    await settle(h, { at: new Date(sendAt.getTime() + 1000) });
    for (const worker of [inSegment, inSegmentToo]) {
      const messages = await campaignMessages(worker, campaignId);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ text: TEXT, purpose: "push", status: "delivered", body: { template: "campaign", params: { name: "2026年春风行动", content: TEXT } } });
    }
    for (const worker of [optedOut, otherWish, noCategory, otherCounty, notPoor]) expect(await received(h, worker.address)).toEqual([]);
    const shown = await h.request("GET", `/api/campaigns/${campaignId}`, { token: yunxiaoOfficial });
    expect(shown.body).toMatchObject({ segmentSize: null, campaign: { status: "sent", recipients: 2 } });
    const [event] = await h.deps.prisma.planEvent.findMany({ where: { workerId: inSegment.id, kind: "campaign" } });
    expect(event).toMatchObject({ data: { campaignId, name: "2026年春风行动" } });
  });

  it("sends nobody a second message when the job runs again", async () => {
    await queueJob(h.deps.prisma, "campaign.send", { campaignId });
    await settle(h);
    // Sent is final: the job finds nothing to do; and a forced send finds nobody new.
    await h.deps.prisma.campaign.update({ where: { id: campaignId }, data: { status: "sending" } });
    expect(await sendCampaign(service(h), campaignId)).toEqual({ status: "sent", recipients: 2 });
    for (const worker of [inSegment, inSegmentToo]) expect(await campaignMessages(worker, campaignId)).toHaveLength(1);
    expect(await h.deps.prisma.outboxMessage.count({ where: { idempotencyKey: { startsWith: `campaign:${campaignId}:` } } })).toBe(2);
  });

  it("cannot be cancelled once sent", async () => {
    const response = await h.request("POST", `/api/campaigns/${campaignId}/cancel`, { token: yunxiaoOfficial });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("conflict");
  });

  it("is listed for the officials of its county, and hidden from another county's", async () => {
    const mine = await h.request("GET", "/api/campaigns", { token: yunxiaoOfficial });
    expect(mine.body.campaigns.map((c: { id: string }) => c.id)).toContain(campaignId);
    const theirs = await h.request("GET", "/api/campaigns", { token: zhangpuOfficial });
    expect(theirs.body.campaigns).toEqual([]);
    expect((await h.request("GET", `/api/campaigns/${campaignId}`, { token: zhangpuOfficial })).status).toBe(403);
    expect((await h.request("GET", "/api/campaigns/0190a000-0000-7000-8000-000000000000", { token: admin })).status).toBe(404);
  });
});

describe("sending safely", () => {
  it("a send killed between batches and run again reaches each worker once", async () => {
    const created = await h.request("POST", "/api/campaigns", { token: admin, body: { name: "就业援助月", segment: { regionCode: "350622" }, text: "就业援助月：有困难找村里协理员，回复人工可联系。" } });
    const id = created.body.campaign.id as string;
    let batches = 0;
    const crashing = { ...service(h), wake: () => { if (++batches === 2) throw new Error("killed"); } };
    await expect(sendCampaign(crashing, id, { batchSize: 2 })).rejects.toThrow("killed");
    expect((await h.deps.prisma.campaign.findUniqueOrThrow({ where: { id } })).status).toBe("sending");
    const beforeRestart = await h.deps.prisma.notice.count({ where: { key: { startsWith: `campaign:${id}:` } } });
    expect(beforeRestart).toBeGreaterThan(0);
    expect(beforeRestart).toBeLessThan(5);
    // The whole county but the opted-out worker: five of the six workers there.
    expect(await sendCampaign(service(h), id, { batchSize: 2 })).toEqual({ status: "sent", recipients: 5 });
    const notices = await h.deps.prisma.notice.findMany({ where: { key: { startsWith: `campaign:${id}:` } } });
    expect(new Set(notices.map((notice) => notice.workerId)).size).toBe(5);
    expect(notices.map((notice) => notice.workerId)).not.toContain(optedOut.id);
    expect(notices.map((notice) => notice.workerId)).not.toContain(otherCounty.id);
  });

  it("holds the messages through quiet hours and sends them in the morning", async () => {
    // 23:00 China time on some night ahead; the campaign is due then.
    const night = new Date(Date.UTC(2030, 1, 20, 15, 0, 0));
    const created = await h.request("POST", "/api/campaigns", { token: admin, body: { name: "夜里排的", segment: { regionCode: "350622103", wishedOccupation: "4-10-01-06" }, text: "明早招聘会，欢迎参加。", sendAt: night.toISOString() } });
    const id = created.body.campaign.id as string;
    const quietHours = { start: 21, end: 8 };
    await settle(h, { at: new Date(night.getTime() + 1000), quietHours });
    const [atNight] = await campaignMessages(inSegment, id);
    expect(atNight).toMatchObject({ status: "pending" });
    await settle(h, { at: new Date(Date.UTC(2030, 1, 21, 0, 30, 0)), quietHours }); // 8:30 China time
    expect((await campaignMessages(inSegment, id))[0]).toMatchObject({ status: "delivered" });
  });

  it("cancels a scheduled campaign: its send then sends nothing", async () => {
    const sendAt = new Date(h.clock().getTime() + 2 * 3600_000);
    const created = await h.request("POST", "/api/campaigns", { token: yunxiaoOfficial, body: { name: "取消的", segment, text: TEXT, sendAt: sendAt.toISOString() } });
    const id = created.body.campaign.id as string;
    const cancelled = await h.request("POST", `/api/campaigns/${id}/cancel`, { token: yunxiaoOfficial });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.campaign.status).toBe("cancelled");
    expect((await h.request("POST", `/api/campaigns/${id}/cancel`, { token: yunxiaoOfficial })).status).toBe(409);
    expect((await h.request("POST", `/api/campaigns/${id}/cancel`, { token: zhangpuOfficial })).status).toBe(403);
    await queueJob(h.deps.prisma, "campaign.send", { campaignId: id }, sendAt);
    await settle(h, { at: new Date(sendAt.getTime() + 1000) });
    expect(await h.deps.prisma.notice.count({ where: { key: { startsWith: `campaign:${id}:` } } })).toBe(0);
  });
});
