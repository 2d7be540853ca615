// The simulator page in a real headless Chromium (Debian's): a person types, the bot answers in
// SMS-width bubbles, and pushes appear by themselves.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, serveInBrowser, type ServedInBrowser } from "../support/browser.ts";
import { createHarness, type Harness } from "../support/harness.ts";

// On a laptop without Chromium this file is skipped, and says so; CI installs Chromium (.ci/run).
describe.skipIf(!hasChromium)("the simulator page in Chromium", () => {
  let h: Harness;
  let served: ServedInBrowser;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await createHarness();
    served = await serveInBrowser(h);
    ({ base, browser } = served);
  });
  afterAll(async () => {
    await served?.close();
    await h?.close();
  });

  it("lets a person start registering by typing, as on a phone", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await page.goto(`${base}/simulator`);
    await page.fill("#from", "13900000009");
    await page.dispatchEvent("#from", "change");

    const send = async (text: string) => {
      const before = await page.locator(".bubble.bot").count();
      await page.fill("#text", text);
      await page.click("button[type=submit]");
      await expect.poll(() => page.locator(".bubble.bot").count(), { timeout: 10_000 }).toBeGreaterThan(before);
      return (await page.locator(".bubble.bot").allInnerTexts()).slice(before).join("\n");
    };
    expect(await send("你好")).toContain("1 找工作");
    expect(await send("1")).toContain("同意");
    expect(await send("1")).toContain("姓名");
    expect(await page.locator(".bubble.me").allInnerTexts()).toEqual(["你好", "1", "1"]);

    // Bubbles are SMS-width: a 70-character message wraps inside a narrow column.
    const widths = await page.locator(".bubble.bot").evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().width));
    for (const width of widths) expect(width).toBeLessThanOrEqual(300);
    await page.screenshot({ path: "test/.artifacts/simulator.png" }).catch(() => {});

    // The same conversation is on the worker's timeline, under the simulated phone.
    const identity = await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { channel_address: { channel: "web", address: "13900000009" } } });
    expect(await h.deps.prisma.planEvent.count({ where: { identityId: identity.id, kind: "message_in" } })).toBe(3);
  });

  it("shows a message the bot sends by itself (a push) without a reload", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/simulator`);
    await page.fill("#from", "web-push-test");
    await page.dispatchEvent("#from", "change");
    await h.deps.prisma.outboxMessage.create({
      data: { idempotencyKey: "push-test-1", channel: "web", address: "web-push-test", purpose: "push", body: { text: "新岗位：云霄县手工编织，回复1报名" }, status: "delivered", sentAt: new Date() },
    });
    await expect.poll(() => page.locator(".bubble.bot.push").allInnerTexts(), { timeout: 10_000 }).toEqual(["新岗位：云霄县手工编织，回复1报名"]);
  });
});
