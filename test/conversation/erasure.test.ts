// 删除我的信息: a worker withdraws consent and has their personal data erased, from the chat or by a
// coordinator for them. Nothing reaches them after; the county's figures still count them, nameless.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERASED_NAME } from "../../src/services/erasure.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
});
afterAll(() => h.close());

const say = async (from: string, text: string) =>
  ((await h.request("POST", "/api/simulator/messages", { body: { from, text } })).body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
const registered = async () => (await h.request("GET", "/api/stats?region=350622", { token: admin })).body.registered as number;

describe("删除我的信息", () => {
  it("in the chat: asked once, then done at once; the figures still count the person, without a name", async () => {
    const worker = await registerTestWorker(h, { name: "赵敏", birthDate: "1962-02-02", sex: "female", homeRegionCode: "350622103201", povertyStatus: "registered" });
    await say(worker.address, "我的信息");
    const before = await registered();

    // Typed out of the blue, 确认删除 only asks; then the next message is the answer.
    expect(await say(worker.address, "确认删除")).toContain("确定删除");
    expect(await say(worker.address, "1")).not.toContain("已删除");
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).erasedAt).toBeNull();
    expect(await say(worker.address, "删除我的信息")).toContain("确认删除");
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).toMatchObject({ name: "赵敏", erasedAt: null }); // asked, not yet done
    expect(await say(worker.address, "确认删除")).toContain("已删除");

    const erased = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id }, include: { identities: true, consents: true } });
    expect(erased).toMatchObject({ name: ERASED_NAME, idNumberEnc: null, idNumberHash: null, idNumberMasked: null, phoneEnc: null, phoneHash: null, phoneMasked: null, homeRegionCode: "350622103201", povertyStatus: "registered" });
    expect(erased.erasedAt).not.toBeNull();
    // Its channels are forgotten: no longer the worker's, so no notice finds a way to them.
    expect(erased.identities).toEqual([]);
    const forgotten = await h.deps.prisma.channelIdentity.findMany({ where: { address: { startsWith: "erased:" } } });
    expect(forgotten.length).toBeGreaterThan(0);
    expect(forgotten.every((identity) => identity.optedOutAt !== null)).toBe(true);
    expect(erased.consents.some((consent) => consent.kind === "data_processing" && !consent.granted)).toBe(true);
    expect(await h.deps.prisma.planEvent.count({ where: { workerId: worker.id, text: { not: null } } })).toBe(0);
    const outbox = await h.deps.prisma.outboxMessage.findMany({ where: { workerId: worker.id }, select: { address: true, body: true, lastError: true } });
    expect(outbox.length).toBeGreaterThan(0); // the replies to 我的信息 and the rest, sent before
    expect(JSON.stringify(outbox)).not.toMatch(/赵敏|138\d{8}/);
    expect(await h.deps.prisma.conversationSession.count({ where: { identityId: { in: forgotten.map((identity) => identity.id) } } })).toBe(0);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.erased", target: worker.id, operatorId: null } })).toBe(1);
    expect(await registered()).toBe(before);

    // The same sender starts afresh: a stranger to the service.
    const again = await say(worker.address, "你好");
    expect(again).not.toContain("赵敏");
    const fresh = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: worker.address } } });
    expect(fresh.workerId).toBeNull();
  });

  it("by a coordinator of the worker's county, audited with who did it; another county's cannot", async () => {
    const worker = await registerTestWorker(h, { name: "钱七", birthDate: "1980-08-08", sex: "male", homeRegionCode: "350622103202", povertyStatus: "lifted" });
    const elsewhere = await h.operator("coordinator", ["350628"]);
    expect((await h.request("POST", `/api/workers/${worker.id}/erase`, { token: elsewhere.token })).status).toBe(403);
    const here = await h.operator("coordinator", ["350622"]);
    const response = await h.request("POST", `/api/workers/${worker.id}/erase`, { token: here.token });
    expect(response.status).toBe(200);
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).name).toBe(ERASED_NAME);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.erased", target: worker.id, operatorId: here.id } })).toBe(1);
    // Done once: asking again changes nothing and writes no second line.
    expect((await h.request("POST", `/api/workers/${worker.id}/erase`, { token: here.token })).status).toBe(200);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.erased", target: worker.id } })).toBe(1);
  });
});
