// A channel that may answer in its own response (WeChat's passive reply): a turn well inside the
// deadline answers its replies with the turn (no outbox row), and a turn near the deadline leaves them
// to the dispatcher unless the channel takes them over in time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wechatChannel } from "../../bots/wechat/index.ts";
import type { ChannelDefinition } from "../../bots/types.ts";
import { createConversationHost } from "../../src/conversation/host.ts";
import { createRegionLookups } from "../../src/conversation/region-lookups.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const withDeadline = (passiveReplyMs: number): ChannelDefinition => ({ ...wechatChannel, passiveReplyMs });
let id = 0;
const message = (address: string) => ({ channel: "wechat", address, messageId: `m-${++id}`, text: "你好", });
const statuses = (address: string) => h.deps.prisma.outboxMessage.findMany({ where: { channel: "wechat", address }, select: { status: true, nextAttemptAt: true } });

describe("passive replies", () => {
  it("well inside the deadline: answered with the turn, nothing left for the dispatcher", async () => {
    const host = createConversationHost(h.deps, createRegionLookups(h.deps.prisma));
    const outcome = await host.handle(message("openid-fast"), withDeadline(60_000));
    expect(outcome.answeredInline).toBe(true);
    expect(outcome.replies.length).toBeGreaterThan(0);
    // No outbox row at all: the plan's timeline keeps what was said.
    expect(await statuses("openid-fast")).toEqual([]);
    const said = await h.deps.prisma.planEvent.findMany({ where: { identity: { address: "openid-fast" }, kind: "message_out" }, orderBy: { seq: "asc" } });
    expect(said.map((event) => event.text)).toEqual(outcome.replies);
  });

  it("near the deadline: pending and held, then taken over by the channel, or else the dispatcher's", async () => {
    const host = createConversationHost(h.deps, createRegionLookups(h.deps.prisma));
    const first = message("openid-slow");
    const outcome = await host.handle(first, withDeadline(500)); // a 500 ms window is inside the 1 s margin
    expect(outcome.answeredInline).toBe(false);
    const held = await statuses("openid-slow");
    expect(held.every((row) => row.status === "pending" && row.nextAttemptAt.getTime() > h.clock().getTime())).toBe(true);
    expect(await host.repliedInline("wechat", first.messageId, outcome.replies.length)).toBe(outcome.replies.length);
    expect((await statuses("openid-slow")).every((row) => row.status === "delivered")).toBe(true);

    const second = message("openid-slow");
    const late = await host.handle(second, withDeadline(500));
    expect(late.answeredInline).toBe(false);
    // Not taken over: the dispatcher sends it once the hold ends.
    expect((await statuses("openid-slow")).filter((row) => row.status === "pending")).toHaveLength(late.replies.length);
  });
});
