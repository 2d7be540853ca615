// The console in a real headless Chromium (Debian's), on a phone-sized and a desktop window: a
// coordinator signs in with their token, finds the 人工 request a person just made in the simulator,
// and marks it done with a note; another county's coordinator does not see it. Screenshots go to
// test/.artifacts.
import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, serveInBrowser, type ServedInBrowser } from "../support/browser.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";

describe.skipIf(!hasChromium)("the console in Chromium", () => {
  let h: Harness;
  let served: ServedInBrowser;
  let base: string;
  let browser: Browser;
  let here: string;
  let elsewhere: string;

  beforeAll(async () => {
    h = await createHarness();
    here = (await h.operator("coordinator", ["350622"])).token;
    elsewhere = (await h.operator("coordinator", ["350623"])).token;
    for (const text of ["你好", "1", "1", "林秀英", "350622199001011230", "13800000001", "云霄", "人工"]) {
      expect((await h.request("POST", "/api/simulator/messages", { body: { from: "console-page", text } })).status).toBe(200);
    }
    served = await serveInBrowser(h);
    ({ base, browser } = served);
  });
  afterAll(async () => {
    await served?.close();
    await h?.close();
  });

  async function signedIn(token: string, viewport: { width: number; height: number }) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${base}/console`);
    await page.getByLabel("访问令牌").fill(token);
    await page.getByRole("button", { name: "用令牌登录" }).click();
    await page.waitForURL(`${base}/console/today`);
    return page;
  }

  it("a coordinator on a phone signs in with a texted code, finds the 人工 request and marks it done with a note", async () => {
    const admin = (await h.operator("admin")).token;
    expect((await h.request("POST", "/api/operators", { token: admin, body: { name: "王协理员", role: "coordinator", regionCodes: ["350622"], phone: "13900139001" } })).status).toBe(201);
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(`${base}/console`);
    await page.getByLabel("手机号").fill("13900139001");
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByRole("status").waitFor();
    const line = [...h.logs].reverse().find((entry) => String(entry.msg).startsWith("no SMS provider: the console sign-in code is"));
    await page.getByLabel("验证码").fill(/(\d{6})$/.exec(String(line?.msg))![1]!);
    await page.screenshot({ path: "test/.artifacts/console-sign-in-phone.png" }).catch(() => {});
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL(`${base}/console/today`);
    await expect.poll(() => page.getByRole("button", { name: "完成" }).count()).toBe(1);
    expect(await page.getByRole("list", { name: "待办" }).innerText()).toContain("人工求助");
    // Nothing overflows a phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: "test/.artifacts/console-today-phone.png", fullPage: true }).catch(() => {});
    await page.getByLabel("处理情况").fill("已电话联系");
    await page.getByRole("button", { name: "完成" }).click();
    await page.waitForURL(`${base}/console/today?done=1`);
    expect(await page.getByRole("status").innerText()).toContain("已完成");
    expect(await page.getByRole("button", { name: "完成" }).count()).toBe(0);
    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "human_request" } });
    expect(task).toMatchObject({ status: "done" });
    expect(task.note).toContain("已电话联系");
    await page.close();
  });

  it("finds a worker by name, reads the conversation on the timeline, and records a visit", async () => {
    const worker = await registerTestWorker(h, { name: "陈秀兰", homeRegionCode: "350622103201", birthDate: "1975-05-05", sex: "female" });
    expect((await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: "你好" } })).status).toBe(200);
    const page = await signedIn(here, { width: 360, height: 740 });
    await page.getByRole("link", { name: "劳动力" }).click();
    await page.getByLabel("搜索").fill("秀兰");
    await page.getByRole("button", { name: "查找" }).click();
    await page.getByRole("link", { name: "陈秀兰" }).click();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("陈秀兰");
    expect(await page.getByRole("list", { name: "时间线" }).innerText()).toContain("你好");
    expect(await page.locator("main").innerText()).toContain("云霄县莆美镇");
    // Bad input: said beside the field, and nothing saved.
    const visits = () => h.deps.prisma.planEvent.count({ where: { workerId: worker.id, kind: "visit" } });
    await page.getByLabel("走访记录").fill("   ");
    await page.getByRole("button", { name: "保存走访" }).click();
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").innerText()).toContain("请写下走访的情况");
    expect(await page.getByLabel("走访记录").getAttribute("aria-invalid")).toBe("true");
    // On a phone the refusal is far down the page: the field it is about is focused, in view.
    expect(await page.getByLabel("走访记录").evaluate((field) => field === document.activeElement && field.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    expect(await visits()).toBe(0);
    await page.getByLabel("走访记录").fill("入户走访，想去县城做保洁");
    await page.getByRole("button", { name: "保存走访" }).click();
    await expect.poll(() => page.getByRole("status").count()).toBe(1);
    expect(await page.getByRole("list", { name: "时间线" }).innerText()).toContain("入户走访，想去县城做保洁");
    // After a call: the employment it found, in two taps and a choice.
    await page.getByText("更新就业情况").click();
    await page.getByLabel("就业情况", { exact: true }).selectOption({ label: "县内就业" });
    await page.getByRole("button", { name: "保存就业情况" }).click();
    await expect.poll(() => page.getByRole("status").innerText()).toContain("就业情况已更新");
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).employmentStatus).toBe("employedLocal");
    expect(await page.getByRole("list", { name: "时间线" }).innerText()).toContain("在找工作 → 县内就业");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: "test/.artifacts/console-worker-phone.png", fullPage: true }).catch(() => {});
    await page.close();
  });

  it("a county official on a desktop drills the figures from the county to a village and downloads the report", async () => {
    const official = (await h.operator("countyOfficial", ["350622"])).token;
    const page = await signedIn(official, { width: 1280, height: 800 });
    await page.getByRole("link", { name: "数据" }).click();
    const rows = page.getByRole("table", { name: "下级地区" });
    expect(await rows.innerText()).toContain("莆美镇");
    await page.screenshot({ path: "test/.artifacts/console-figures-desktop.png", fullPage: true }).catch(() => {});
    await rows.getByRole("link", { name: "莆美镇" }).click();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain("莆美镇");
    await page.getByRole("table", { name: "下级地区" }).getByRole("link").first().click();
    expect(page.url()).toMatch(/region=350622103\d{3}$/);
    await page.goBack();
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: /季度报表（\d{4}Q[1-4]，CSV）/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^zhitongche-350622103-\d{4}Q[1-4]\.csv$/);

    // A campaign: the text counted against one SMS as it is typed, the reach previewed before anything is sent.
    await page.getByRole("link", { name: "活动" }).click();
    await page.getByLabel("活动名称").fill("春风行动");
    await page.getByLabel(/发给哪个地区/).fill("350622");
    await page.getByLabel(/短信内容/).fill("春风行动招聘会下周一在县人社局举行");
    expect(await page.locator("#campaign-count").innerText()).toBe("已写17个字，最多62个字");
    await page.getByRole("button", { name: "看看能发给多少人" }).click();
    expect(await page.getByText(/现在符合条件的有\d+人/).count()).toBe(1);
    expect(await page.getByLabel(/短信内容/).inputValue()).toBe("春风行动招聘会下周一在县人社局举行");
    await page.screenshot({ path: "test/.artifacts/console-campaigns-desktop.png", fullPage: true }).catch(() => {});
    expect(await h.deps.prisma.campaign.count()).toBe(0);

    // The county's roster: checked first, each wrong row by its line; imported once confirmed.
    await page.getByRole("link", { name: "导入" }).click();
    await page.getByLabel("名单文件").setInputFiles({ name: "云霄县名单.csv", mimeType: "text/csv", buffer: readFileSync(new URL("../fixtures/registry-sample.csv", import.meta.url)) });
    await page.getByRole("button", { name: "上传并检查" }).click();
    expect(await page.getByRole("status").innerText()).toMatch(/新增\d+人/);
    // The next county's rows are not this county's: one line for them all, beside the row with a wrong ID number.
    const refused = await page.getByRole("table", { name: /行有问题/ }).locator("tbody tr").allInnerTexts();
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(/^7–22、25–30、40、41、43–45\s+共27行\s+本次导入的地区内没有“诏安县”$/);
    expect(refused[1]).toMatch(/^42\s+证件号码/);
    await page.screenshot({ path: "test/.artifacts/console-import-checked-desktop.png", fullPage: true }).catch(() => {});
    await page.getByRole("button", { name: "确认导入" }).click();
    await createJobRunner({ deps: h.deps }).runOnce();
    // The progress page refreshes itself (every 3 s while the import runs): the official sees it done without doing anything.
    await page.getByText(/导入完成：新增\d+人/).waitFor({ timeout: 15_000 });
    expect(await page.getByRole("status").innerText()).toMatch(/导入完成：新增\d+人/);
    await page.screenshot({ path: "test/.artifacts/console-import-done-desktop.png", fullPage: true }).catch(() => {});
    await page.close();
  });

  it("another county's coordinator, on a desktop, sees none of it", async () => {
    const page = await signedIn(elsewhere, { width: 1280, height: 800 });
    expect(await page.locator("main").innerText()).toContain("今天没有待办的事");
    await page.screenshot({ path: "test/.artifacts/console-today-desktop.png" }).catch(() => {});
    await page.getByRole("button", { name: "退出" }).click();
    await page.waitForURL(`${base}/console/sign-in`);
    await page.goto(`${base}/console/today`);
    expect(page.url()).toBe(`${base}/console/sign-in`);
    await page.close();
  });
});
