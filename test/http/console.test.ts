// The console's first pages, as a browser uses them (cookies and forms): signing in with an API
// token, the session (HttpOnly cookie, stored hashed, ended by signing out or by disabling the
// operator), 待办 listing the tasks of the coordinator's regions only — a 人工 request from the
// simulator among them — and 完成 with its note, refused without the session's CSRF token.
import { INVITATION_TEXT } from "../../src/services/campaigns.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chinaMinuteText } from "../../src/shared/china-time.ts";
import { contextFor, SERVICE } from "../../src/services/context.ts";
import { registerEmployer } from "../../src/services/employers.ts";
import { quarterlyFigures } from "../../src/services/stats/figures.ts";
import { Workbook } from "@cj-tech-master/excelts";
import { buildApp } from "../../src/app.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { createHarness, TEST_NOW, type Harness } from "../support/harness.ts";
import { registerTestWorker, residentId } from "../support/people.ts";
import { normalizeTitle } from "../../matching/occupations.ts";
import { occupationLabel } from "../../matching/match.ts";

let h: Harness;
let admin: string;
let here: { id: string; token: string };
let elsewhere: { id: string; token: string };

beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  here = await h.operator("coordinator", ["350622"]);
  elsewhere = await h.operator("coordinator", ["350623"]);
});
afterAll(() => h.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function signIn(token: string): Promise<string> {
  const response = await h.request("POST", "/console/sign-in", { body: form({ token }), headers: FORM });
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/console/today");
  const cookie = response.headers.get("set-cookie") ?? "";
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).toMatch(/Path=\/console/i);
  return /zt_console=([^;]+)/.exec(cookie)![1]!;
}

const page = (path: string, cookie: string) => h.request("GET", path, { headers: { cookie: `zt_console=${cookie}` } });
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  h.request("POST", path, { body: form(fields), headers: { ...FORM, cookie: `zt_console=${cookie}` } });
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)![1]!;

/** A 人工 request from someone registering in 云霄县, through the simulator: a task for the county's coordinator. */
async function askForAPerson(from: string): Promise<string> {
  for (const text of ["你好", "1", "1", "林秀英", "350622199001011230", "13800000001", "云霄", "人工"]) {
    expect((await h.request("POST", "/api/simulator/messages", { body: { from, text } })).status).toBe(200);
  }
  const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "human_request", regionCode: { startsWith: "350622" } }, orderBy: { createdAt: "desc" } });
  return task.id;
}

describe("the console", () => {
  it("sends someone without a session to the sign-in page, which has the token form", async () => {
    for (const path of ["/console", "/console/today"]) {
      const response = await h.request("GET", path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/console/sign-in");
    }
    const signInPage = await h.request("GET", "/console/sign-in");
    expect(signInPage.status).toBe(200);
    expect(signInPage.text).toContain(">访问令牌</label>");
    expect(signInPage.text).toContain(">用令牌登录</button>");
  });

  it("refuses a wrong token with the reason on the page, and audits the refusal", async () => {
    const response = await h.request("POST", "/console/sign-in", { body: form({ token: "zt_not-a-real-token" }), headers: FORM });
    expect(response.status).toBe(401);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.text).toContain('role="alert"');
    expect(await h.deps.prisma.auditLog.count({ where: { action: "console.sign_in_refused" } })).toBe(1);
  });

  it("signs a coordinator in with a session stored only as a hash, and lists the 人工 request of their county", async () => {
    const taskId = await askForAPerson("console-1");
    const cookie = await signIn(here.token);
    expect(await h.deps.prisma.consoleSession.count({ where: { tokenHash: cookie } })).toBe(0);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "console.signed_in", operatorId: here.id } })).toBe(1);
    const today = await page("/console/today", cookie);
    expect(today.status).toBe(200);
    // No framing, no caching of a page of personal data, scripts from the console only.
    expect(today.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(today.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(today.headers.get("cache-control")).toBe("no-store");
    expect(today.text).toContain("人工求助");
    expect(today.text).toContain(`/console/tasks/${taskId}/done`);
    expect(today.text).toContain(">完成</button>");
    // The number they left, to call back: in full for the coordinator, and that reveal audited.
    expect(today.text).toContain('href="tel:+8613800000001">打电话 138 0000 0001</a>'); // read out in groups, dialled whole
    expect(await h.deps.prisma.auditLog.count({ where: { action: "task.phones.revealed", operatorId: here.id } })).toBe(1);
    const asOfficial = await page("/console/today", await signIn((await h.operator("countyOfficial", ["350622"])).token));
    expect(asOfficial.text).toContain("人工求助");
    expect(asOfficial.text).not.toContain("13800000001");
    // Another county's coordinator sees none of it, and cannot close it.
    const other = await signIn(elsewhere.token);
    const theirs = await page("/console/today", other);
    expect(theirs.text).not.toContain(taskId);
    expect((await post(`/console/tasks/${taskId}/done`, other, { csrf: csrfOf(theirs.text) })).status).toBe(403);
    expect((await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("open");
  });

  it("lists a 人工 request of no known place to every operator, with the number to call, and lets a coordinator close it", async () => {
    for (const text of ["你好", "人工", "13800000009"]) expect((await h.request("POST", "/api/simulator/messages", { body: { from: "console-unplaced", text } })).status).toBe(200);
    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "human_request", identity: { address: "console-unplaced" } } });
    expect(task).toMatchObject({ regionCode: null, planId: null });
    const official = await signIn((await h.operator("countyOfficial", ["350622"])).token);
    for (const cookie of [await signIn(here.token), await signIn(elsewhere.token), official]) {
      const today = await page("/console/today", cookie);
      expect(today.text).toContain(`/console/tasks/${task.id}/done`);
      expect(today.text).toContain('href="tel:+8613800000009"'); // whoever takes it calls
    }
    const other = await signIn(elsewhere.token);
    expect((await post(`/console/tasks/${task.id}/done`, other, { csrf: csrfOf((await page("/console/today", other)).text), note: "已回电" })).status).toBe(303);
    expect(await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: "done" });
  });

  it("marks a task done with a note, but never without the session's CSRF token", async () => {
    const taskId = await askForAPerson("console-2");
    const cookie = await signIn(here.token);
    const today = await page("/console/today", cookie);
    expect((await post(`/console/tasks/${taskId}/done`, cookie, { csrf: "forged", note: "x" })).status).toBe(403);
    expect((await post(`/console/tasks/${taskId}/done`, cookie, { note: "x" })).status).toBe(403);
    expect((await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: taskId } })).status).toBe("open");
    const done = await post(`/console/tasks/${taskId}/done`, cookie, { csrf: csrfOf(today.text), note: "已电话联系" });
    expect(done.status).toBe(303);
    const task = await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: taskId } });
    expect(task.status).toBe("done");
    expect(task.note).toContain("处理：已电话联系");
    expect(await h.deps.prisma.auditLog.count({ where: { action: "task.done", operatorId: here.id, target: taskId } })).toBe(1);
    expect((await page("/console/today", cookie)).text).not.toContain(taskId);
  });

  it("ends the session on signing out, and every session of a disabled operator at once", async () => {
    const cookie = await signIn(here.token);
    const today = await page("/console/today", cookie);
    expect((await post("/console/sign-out", cookie, { csrf: csrfOf(today.text) })).status).toBe(303);
    expect((await page("/console/today", cookie)).status).toBe(302);

    const stillIn = await signIn(elsewhere.token);
    expect((await page("/console/today", stillIn)).status).toBe(200);
    expect((await h.request("POST", `/api/operators/${elsewhere.id}/disable`, { token: admin })).status).toBe(200);
    expect((await page("/console/today", stillIn)).status).toBe(302);
  });

  it("finds a worker of the coordinator's regions, shows the record and the timeline, and records a visit", async () => {
    const worker = await registerTestWorker(h, { name: "陈秀兰", homeRegionCode: "350622103201", birthDate: "1975-05-05", sex: "female" });
    expect((await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: "你好" } })).status).toBe(200);
    const cookie = await signIn(here.token);
    const found = await page(`/console/workers?q=${encodeURIComponent("秀兰")}`, cookie);
    expect(found.status).toBe(200);
    expect(found.text).toContain('aria-label="搜索"');
    expect(found.text).toContain(`href="/console/workers/${worker.id}"`);
    const record = await page(`/console/workers/${worker.id}`, cookie);
    expect(record.status).toBe(200);
    expect(record.text).toContain("<h1>陈秀兰</h1>");
    expect(record.text).toMatch(/350622\*{8}\d{3}[\dX]/); // the ID masked
    expect(record.text).toContain(`href="tel:+86${worker.address}"`); // a coordinator calls: the number in full, audited
    expect(record.text).toMatch(/href="tel:\+86\d{11}">1\d{2} \d{4} \d{4}<\/a>/);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.phone.revealed", operatorId: here.id } })).toBeGreaterThan(0);
    expect(record.text).toContain('aria-label="时间线"');
    expect(record.text).toContain("你好");
    const saved = await post(`/console/workers/${worker.id}/visits`, cookie, { csrf: csrfOf(record.text), text: "入户走访，想去县城做保洁" });
    expect(saved.status).toBe(303);
    const visit = await h.deps.prisma.planEvent.findFirstOrThrow({ where: { workerId: worker.id, kind: "visit" } });
    expect(visit).toMatchObject({ text: "入户走访，想去县城做保洁", actorId: here.id });
    expect((await page(`/console/workers/${worker.id}`, cookie)).text).toContain("入户走访，想去县城做保洁");
    // The worker's open task is closed where it is read, and the page comes back; anything but a
    // worker's id there goes back to 待办, never elsewhere.
    for (const [back, location] of [["//evil.example", "/console/today?done=1"], [worker.id, `/console/workers/${worker.id}?saved=task`]] as const) {
      expect((await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: "人工" } })).status).toBe(200);
      const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "human_request", plan: { workerId: worker.id }, status: "open" } });
      const withTask = await page(`/console/workers/${worker.id}`, cookie);
      expect(withTask.text).toContain(`action="/console/tasks/${task.id}/done"`);
      const closed = await post(`/console/tasks/${task.id}/done`, cookie, { csrf: csrfOf(withTask.text), worker: back, note: "已回电" });
      expect(closed.status).toBe(303);
      expect(closed.headers.get("location")).toBe(location);
      expect((await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("done");
    }
    // What the call found is on the worker's timeline, signed.
    expect(await h.deps.prisma.planEvent.count({ where: { workerId: worker.id, kind: "note", text: "完成待办：已回电", actorId: here.id } })).toBe(2);

    // Another county's coordinator: not in a search, not by link, and no visit.
    const other = await signIn((await h.operator("coordinator", ["350624"])).token);
    expect((await page(`/console/workers?q=${encodeURIComponent("秀兰")}`, other)).text).not.toContain(worker.id);
    const refused = await page(`/console/workers/${worker.id}`, other);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain("陈秀兰");
    expect((await post(`/console/workers/${worker.id}/visits`, other, { csrf: csrfOf((await page("/console/today", other)).text), text: "x" })).status).toBe(403);
  });

  it("names who follows a worker up, a coordinator added after they registered too, and every row of the timeline in words", async () => {
    // 东山县: no other test gives it a coordinator.
    const village = await h.deps.prisma.region.findFirstOrThrow({ where: { level: 5, code: { startsWith: "350626" } }, orderBy: { code: "asc" } });
    const worker = await registerTestWorker(h, { name: "后来甲", homeRegionCode: village.code, birthDate: "1979-09-09", sex: "male" });
    const administrator = await signIn(admin);
    expect((await page(`/console/workers/${worker.id}`, administrator)).text).toContain("帮扶协理员：未分配");
    const { id: coordinatorId } = await h.operator("coordinator", ["350626"]);
    for (const text of ["你好", "退订"]) expect((await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text } })).status).toBe(200);
    const record = (await page(`/console/workers/${worker.id}`, administrator)).text;
    const coordinator = await h.deps.prisma.operator.findUniqueOrThrow({ where: { id: coordinatorId } });
    expect(record).toContain(`帮扶协理员：${coordinator.name}`);
    expect(record).toMatch(/· 退订推送 · 网页<\/span>/);
    // No row names its kind or its channel by the code's word for it.
    expect(record).not.toMatch(/\d\d:\d\d · [a-z_]+[ <]|· [a-z]+<\/span>/);
  });

  it("shows a worker's latest twenty timeline rows, and the earlier ones on asking", async () => {
    const worker = await registerTestWorker(h, { name: "多话乙", homeRegionCode: "350622103201", birthDate: "1981-01-01", sex: "female" });
    // Twelve menu answers: a message in and at least one reply each, 24 rows and more.
    for (let i = 0; i < 12; i++) expect((await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text: i === 0 ? "你好" : "3" } })).status).toBe(200);
    const rows = await h.deps.prisma.planEvent.count({ where: { workerId: worker.id } });
    expect(rows).toBeGreaterThan(21);
    const cookie = await signIn(here.token);
    const rowsOn = (html: string) => (html.slice(html.indexOf('id="timeline-heading"')).split("</ol>")[0]!.match(/<li class="card">/g) ?? []).length;
    const first = (await page(`/console/workers/${worker.id}`, cookie)).text;
    expect(rowsOn(first)).toBe(20);
    expect(first).toContain(`href="/console/workers/${worker.id}?timeline=all#timeline-heading"`);
    const whole = (await page(`/console/workers/${worker.id}?timeline=all`, cookie)).text;
    expect(rowsOn(whole)).toBe(rows);
    expect(whole).not.toContain("看更早的记录");
  });

  it("narrows the list by the last four digits, village, poverty, employment, wish, training wish and reach, and exports it masked and audited", async () => {
    const guard = await registerTestWorker(h, { name: "筛选甲", homeRegionCode: "350622103201", birthDate: "1980-01-01", sex: "male", povertyStatus: "registered", wantsTraining: true, wishedOccupations: [normalizeTitle("保安")!.code] });
    const cleaner = await registerTestWorker(h, { name: "筛选乙", homeRegionCode: "350622104201", birthDate: "1981-01-01", sex: "female", povertyStatus: "lifted", wantsTraining: false });
    const away = await registerTestWorker(h, { name: "筛选丙", homeRegionCode: "350623100201", birthDate: "1982-01-01", sex: "male", povertyStatus: "registered" });
    const cookie = await signIn(here.token);
    const listed = async (query: string) => {
      const response = await page(`/console/workers?${query}`, cookie);
      expect(response.status).toBe(200);
      return [guard, cleaner, away].filter((worker) => response.text.includes(`/console/workers/${worker.id}"`)).map((worker) => worker.id);
    };
    expect(await listed(`q=${encodeURIComponent("筛选")}`)).toEqual([guard.id, cleaner.id]); // never another county's
    expect(await listed(`digits=${guard.address.slice(-4)}`)).toEqual([guard.id]);
    // The same four typed in the search box, or in 全角: the box's hint says it takes them.
    const fullWidth = (digits: string) => digits.replace(/\d/g, (digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
    expect(await listed(`q=${guard.address.slice(-4)}`)).toEqual([guard.id]);
    expect(await listed(`digits=${encodeURIComponent(fullWidth(guard.address.slice(-4)))}`)).toEqual([guard.id]);
    const idTail = (await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: cleaner.id } })).idNumberMasked!.slice(-4);
    expect(await listed(`digits=${idTail}&q=${encodeURIComponent("筛选")}`)).toEqual([cleaner.id]);
    expect(await listed(`q=${encodeURIComponent("筛选")}&region=350622104`)).toEqual([cleaner.id]);
    // The village is picked from the coordinator's own townships and villages (the chosen one kept), not typed.
    const picker = (await page("/console/workers?region=350622104", cookie)).text;
    const offered = [...picker.matchAll(/<option value="(\d{9,12})"/g)].map((match) => match[1]!);
    const theirs = await h.deps.prisma.region.count({ where: { level: { in: [4, 5] }, code: { startsWith: "350622" } } });
    expect(offered).toHaveLength(theirs);
    expect(offered.every((code) => code.startsWith("350622"))).toBe(true);
    expect(picker).toMatch(/<option value="350622104" selected>[^<]+（全乡镇）<\/option>/);
    // An administrator's regions are the whole country: a place is typed, by its name or code.
    const administrator = await signIn(admin);
    expect((await page("/console/workers", administrator)).text).toMatch(/<input id="f-region" name="region"/);
    const byName = (await page(`/console/workers?q=${encodeURIComponent("筛选")}&region=${encodeURIComponent("云霄县列屿镇")}`, administrator)).text;
    expect([guard, cleaner, away].filter((worker) => byName.includes(`/console/workers/${worker.id}"`))).toEqual([cleaner]);
    expect(byName).toContain(`workers.csv?q=${encodeURIComponent("筛选")}&amp;region=350622104`);
    const nowhere = (await page(`/console/workers?region=${encodeURIComponent("不存在镇")}`, administrator)).text;
    expect(nowhere).toMatch(/id="f-region-error"[^>]*role="alert">找不到“不存在镇”/);
    expect(await listed(`q=${encodeURIComponent("筛选")}&poverty=registered`)).toEqual([guard.id]);
    expect(await listed(`q=${encodeURIComponent("筛选")}&training=no`)).toEqual([cleaner.id]);
    expect(await listed(`q=${encodeURIComponent("筛选")}&employment=seeking`)).toEqual([guard.id, cleaner.id]);
    expect(await listed(`q=${encodeURIComponent("筛选")}&employment=employedLocal`)).toEqual([]);
    expect(await listed(`wish=${encodeURIComponent("当保安")}`)).toEqual([guard.id]);
    // Whom the service has not reached yet (no chat of theirs has written): the ones to call.
    await h.deps.prisma.channelIdentity.updateMany({ where: { workerId: cleaner.id }, data: { lastInboundAt: null } });
    expect(await listed(`q=${encodeURIComponent("筛选")}&reached=no`)).toEqual([cleaner.id]);
    expect(await listed(`q=${encodeURIComponent("筛选")}&reached=yes`)).toEqual([guard.id]);
    expect((await page("/console/workers?reached=no", cookie)).text).toMatch(/<option value="no" selected>还没联系上<\/option>/);
    // 待办 says how many of the coordinator's regions are still to reach, and leads to them.
    const toReach = await h.deps.prisma.worker.count({ where: { homeRegionCode: { startsWith: "350622" }, identities: { none: { lastInboundAt: { not: null } } } } });
    expect(toReach).toBeGreaterThan(0);
    expect((await page("/console/today", cookie)).text).toContain(`<a href="/console/workers?reached=no">还没联系上的劳动力：${toReach}人 →</a>`);
    // A region outside the coordinator's: refused, not an empty list.
    expect((await page("/console/workers?region=350623", cookie)).status).toBe(403);
    // A wrong filter: said beside its field, and the others still apply.
    const wrong = await page(`/console/workers?digits=12&q=${encodeURIComponent("筛选甲")}`, cookie);
    expect(wrong.text).toMatch(/id="f-digits-error"[^>]*role="alert"/);
    expect(wrong.text).toMatch(/id="f-digits" name="digits" value="12"/); // kept, to correct
    expect(wrong.text).toContain(`/console/workers/${guard.id}"`);

    const exported = await page(`/console/workers.csv?q=${encodeURIComponent("筛选")}&poverty=registered`, cookie);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = exported.text.replace(/^\ufeff/, "").trim().split("\r\n");
    expect(lines[0]).toMatch(/^姓名,身份证/);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["筛选甲"]);
    expect(exported.text).not.toContain(guard.address); // the phone masked, even for a coordinator
    expect(lines[1]).toContain("保安");
    const audit = await h.deps.prisma.auditLog.findFirstOrThrow({ where: { action: "workers.exported", operatorId: here.id } });
    expect(audit.data).toMatchObject({ rows: 1, filters: { q: "筛选", poverty: "registered" } });
  });

  it("shows a worker's benefits, matches, applications and notices, and records a call, the employment it found and a correction, each signed on the timeline", async () => {
    const worker = await registerTestWorker(h, { name: "郑海燕", homeRegionCode: "350622103201", birthDate: "1985-03-03", sex: "female", povertyStatus: "registered", wishedOccupations: [normalizeTitle("保洁")!.code, "6-31-99-00"] });
    const employer = await h.deps.prisma.employer.create({ data: { name: "云霄保洁公司", kind: "company", regionCode: "350622103", vouchedBy: "test" } });
    const vacancy = await h.deps.prisma.vacancy.create({ data: { employerId: employer.id, title: "商场保洁员", regionCode: "350622103", headcount: 2, status: "open" } });
    await h.deps.prisma.application.create({ data: { vacancyId: vacancy.id, workerId: worker.id, source: "push" } });
    await h.deps.prisma.notice.create({ data: { kind: "job_push", workerId: worker.id, vacancyId: vacancy.id, key: `job_push:${vacancy.id}:${worker.id}`, sentAt: h.clock(), delivery: "delivered" } });
    const cookie = await signIn(here.token);
    const shown = await page(`/console/workers/${worker.id}`, cookie);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('aria-label="能享受的政策"');
    expect(shown.text).toMatch(/养老保险保费代缴<\/strong>：<span class="">符合/); // a registered-poor worker qualifies, with the reason beside it
    // …worded about the worker, for the coordinator who reads it (the chat's 您 is the worker's)
    expect(shown.text).toMatch(/其家庭是建档立卡贫困户，本人今年\d+岁/);
    expect(shown.text).not.toMatch(/需要知道您|您家是/);
    expect(shown.text).toContain("商场保洁员 · 云霄保洁公司 · 已报名");
    expect(shown.text).toContain("岗位推送 · 商场保洁员");
    expect(shown.text).toContain("想做的工作：保洁、车间普工"); // in the chat's words, as the worker chose them (not 其他生产辅助人员)
    const csrf = csrfOf(shown.text);

    expect((await post(`/console/workers/${worker.id}/visits`, cookie, { csrf, kind: "call", text: "电话回访，已在深圳上班" })).status).toBe(303);
    expect(await h.deps.prisma.planEvent.findFirst({ where: { workerId: worker.id, kind: "call", actorId: here.id } })).toMatchObject({ text: "电话回访，已在深圳上班" });

    // A place that is no region: said beside the field, nothing changed.
    const wrongPlace = await post(`/console/workers/${worker.id}/employment`, cookie, { csrf, status: "employedLocal", workRegionCode: "999999" });
    expect(wrongPlace.status).toBe(400);
    expect(wrongPlace.text).toMatch(/id="employment-where-error"[^>]*role="alert"/);
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).employmentStatus).toBe("seeking");
    // Employed, in 深圳市南山区 (by its name, outside the coordinator's regions): out of the province follows from where.
    const savedAs = await post(`/console/workers/${worker.id}/employment`, cookie, { csrf, status: "employedLocal", workRegionCode: "深圳市南山区", note: "电话确认" });
    expect(savedAs.status).toBe(303);
    expect((await page(savedAs.headers.get("location")!, cookie)).text).toContain("就业情况已更新：按工作地点记为省外就业。"); // not what was picked: said
    const employed = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
    expect(employed).toMatchObject({ employmentStatus: "employedOutOfProvince", employedRegionCode: "440305" });
    expect(employed.employedSince).toEqual(h.clock());
    expect(await h.deps.prisma.planEvent.findFirst({ where: { workerId: worker.id, kind: "employment_changed", actorId: here.id } })).toMatchObject({ text: "电话确认", data: { from: "seeking", to: "employedOutOfProvince" } });
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.employment_changed", target: worker.id, operatorId: here.id } })).toBe(1);
    // A city is as near as people often know it.
    expect((await post(`/console/workers/${worker.id}/employment`, cookie, { csrf, status: "employedInProvince", workRegionCode: "厦门" })).status).toBe(303);
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).toMatchObject({ employmentStatus: "employedInProvince", employedRegionCode: "3502" });

    // A correction: a wrong ID number refused beside the field; the right one sealed, never on the timeline.
    const wrongId = await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "idNumber", value: "350622198503031234" });
    expect(wrongId.status).toBe(400);
    expect(wrongId.text).toMatch(/id="correction-value-error"[^>]*role="alert"/);
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "name", value: "郑海艳" })).status).toBe(303);
    const corrected = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
    expect(corrected.name).toBe("郑海艳");
    const newId = residentId("1985-03-03", "female", 77);
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "idNumber", value: newId })).status).toBe(303);
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).idNumberHash).toBe(h.deps.pii.hash("id", newId));
    const timeline = await page(`/console/workers/${worker.id}`, cookie);
    expect(timeline.text).toContain("已在深圳上班");
    expect(timeline.text).toContain("姓名：郑海艳");
    expect(timeline.text).not.toContain(newId);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.corrected", target: worker.id } })).toBe(2);
    // 家庭情况 and 想参加培训 in the page's own words; a word it cannot read is told in those words too.
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "povertyStatus", value: "已脱贫" })).status).toBe(303);
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "wantsTraining", value: "不想" })).status).toBe(303);
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).toMatchObject({ povertyStatus: "lifted", wantsTraining: false });
    const unread = await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "povertyStatus", value: "五保户" });
    expect(unread.status).toBe(400);
    expect(unread.text).toContain("请写：建档立卡(未脱贫)、已脱贫、监测对象、不是 或 不清楚。");
    // What the subsidies wait on, filled in after a call, in the coordinator's words; the page's benefits read it.
    for (const [field, value] of [["pensionEnrolled", "没参加"], ["education", "技校高级工班"], ["graduationYear", "2024"], ["startingBusiness", "不是"]] as const) {
      expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field, value })).status, field).toBe(303);
    }
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).toMatchObject({ pensionEnrolled: false, education: "technicalSeniorWorker", graduationYear: 2024, startingBusiness: false });
    const filled = await page(`/console/workers/${worker.id}`, cookie);
    expect(filled.text).toContain("学历：技工院校高级工班");
    expect(filled.text).toContain("参加了养老保险：否");
    // …and on the record's card, all together
    expect(filled.text).toContain("参加了养老保险：否 · 在创业或开店：否 · 学历：技工院校高级工班 · 毕业年份：2024");
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "graduationYear", value: "很久了" })).text).toContain("请写毕业年份");
    // …read as said, or refused: 不清楚 is unknown again, not 否; 在厂里打工 is no business; a year before twelve is refused
    for (const [field, value] of [["pensionEnrolled", "不清楚"], ["startingBusiness", "在厂里打工"], ["graduationYear", "二零零九年"]] as const) {
      expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field, value })).status, value).toBe(303);
    }
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).toMatchObject({ pensionEnrolled: null, startingBusiness: false, graduationYear: 2009 });
    for (const [field, value] of [["startingBusiness", "看情况"], ["graduationYear", "1990"], ["education", "职业学院？"]] as const) {
      expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field, value })).status, value).toBe(400);
    }
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "startingBusiness", value: "开了个小卖部" })).status).toBe(303);
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).startingBusiness).toBe(true);
    // Moving the person out of the coordinator's regions is refused; a county official reads but does not change.
    expect((await post(`/console/workers/${worker.id}/corrections`, cookie, { csrf, field: "homeRegionCode", value: "350623" })).status).toBe(403);
    const official = await signIn((await h.operator("countyOfficial", ["350622"])).token);
    const read = await page(`/console/workers/${worker.id}`, official);
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(`/console/workers/${worker.id}/employment"`);
    expect((await post(`/console/workers/${worker.id}/employment`, official, { csrf: csrfOf((await page("/console/today", official)).text), status: "seeking" })).status).toBe(403);
  });

  it("lets a county official create a coordinator of their county and upload a list, every row checked before any is created", async () => {
    const official = await signIn((await h.operator("countyOfficial", ["350622"])).token);
    expect((await page("/console/operators", await signIn(here.token))).status).toBe(403); // a coordinator manages no one
    const shown = await page("/console/operators", official);
    expect(shown.status).toBe(200);
    expect(shown.text).not.toContain('value="admin"'); // an official creates coordinators only
    const csrf = csrfOf(shown.text);
    const badPhone = await post("/console/operators", official, { csrf, name: "莆美协理员", role: "coordinator", regionCodes: "350622103", phone: "12345" });
    expect(badPhone.status).toBe(400);
    expect(badPhone.text).toMatch(/id="new-phone-error"[^>]*role="alert"/);
    const created = await post("/console/operators", official, { csrf, name: "莆美协理员", role: "coordinator", regionCodes: "莆美镇", phone: "13900001111" });
    expect(created.status).toBe(200);
    expect(await h.deps.prisma.operator.findFirst({ where: { name: "莆美协理员" } })).toMatchObject({ regionCodes: ["350622103"] });
    expect(created.text).toMatch(/<code[^>]*>zt_/); // the token, this once
    expect((await post("/console/operators", official, { csrf, name: "平和协理员", role: "coordinator", regionCodes: "350628" })).status).toBe(403);

    const upload = async (csv: string) => {
      const body = new FormData();
      body.set("csrf", csrf);
      body.set("file", new File([csv], "协理员.csv", { type: "text/csv" }));
      return h.app.request("/console/operators/upload", { method: "POST", body, headers: { cookie: `zt_console=${official}` } });
    };
    const count = () => h.deps.prisma.operator.count({ where: { role: "coordinator", name: { startsWith: "名单" } } });
    // A place by a name that is no place: the sheet is refused for it alone, before the rows are checked.
    const unknownPlace = await upload("姓名,手机号,负责地区\n名单甲,13900002221,350622103\n名单丁,13900002224,不存在镇\n");
    expect(unknownPlace.status).toBe(400);
    expect(await unknownPlace.text()).toContain("第3行 负责地区：找不到“不存在镇”");
    const refused = await upload("姓名,手机号,负责地区\n名单甲,13900002221,350622103\n名单乙,139000,350622104\n名单丙,13900002223,350628\n");
    expect(refused.status).toBe(400);
    const refusedText = await refused.text();
    expect(refusedText).toContain("第3行 手机号：不对");
    expect(refusedText).toContain("第4行 负责地区：不在您的管辖范围内");
    expect(await count()).toBe(0);
    const accepted = await upload("名单甲,13900002221,350622103\n名单乙,13900002222,列屿镇 350622105\n");
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain("已导入2位协理员");
    expect(await h.deps.prisma.operator.findFirst({ where: { name: "名单乙" } })).toMatchObject({ regionCodes: ["350622104", "350622105"], phoneMasked: "139****2222" });
    const listed = await page("/console/operators", official);
    expect(listed.text).toContain("名单甲");
    expect(listed.text).not.toContain("coordinator 350623"); // another county's coordinator is not theirs to see
    const target = await h.deps.prisma.operator.findFirstOrThrow({ where: { name: "名单甲" } });
    expect((await post(`/console/operators/${target.id}/disable`, official, { csrf })).status).toBe(303);
    expect((await h.deps.prisma.operator.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).not.toBeNull();
  });

  it("shows an administrator the audit log, narrowed by action and operator; nobody else", async () => {
    const adminCookie = await signIn(admin);
    const signedIn = await page(`/console/audit?action=console.signed_in&operator=${here.id}`, adminCookie);
    expect(signedIn.status).toBe(200);
    const rows = signedIn.text.match(/<tr><td>/g) ?? [];
    expect(rows.length).toBe(await h.deps.prisma.auditLog.count({ where: { action: "console.signed_in", operatorId: here.id } }));
    expect(rows.length).toBeGreaterThan(0);
    expect(signedIn.text).toContain("登录工作台");
    expect(signedIn.text).not.toContain("导出劳动力名单</td>");
    const wrongDay = await page("/console/audit?day=yesterday", adminCookie);
    expect(wrongDay.text).toMatch(/id="audit-day-error"[^>]*role="alert"/);
    expect((await page("/console/audit", await signIn((await h.operator("countyOfficial", ["350622"])).token))).status).toBe(403);
  });

  it("offers each role the pages it may open, and only those", async () => {
    for (const [token, offered] of [
      [here.token, ["today", "workers", "vacancies", "employers", "training", "figures"]],
      [(await h.operator("countyOfficial", ["350622"])).token, ["today", "workers", "vacancies", "employers", "training", "campaigns", "figures", "imports", "operators"]],
      [admin, ["today", "workers", "vacancies", "employers", "training", "campaigns", "figures", "imports", "operators", "audit"]],
    ] as const) {
      const cookie = await signIn(token);
      const nav = /<nav[^>]*>(.*?)<\/nav>/s.exec((await page("/console/today", cookie)).text)![1]!;
      const links = [...nav.matchAll(/href="\/console\/(\w+)"/g)].map((match) => match[1]);
      expect(links).toEqual(offered);
      for (const link of links) expect((await page(`/console/${link}`, cookie)).status, link).toBe(200);
    }
  });

  it("adds a course from the console, each mistake beside its field, and records the completions ticked on its page", async () => {
    const cookie = await signIn(here.token);
    const shown = await page("/console/training", cookie);
    expect(shown.status).toBe(200);
    // the fields' attributes are markup, not text: a date picker, the hints, the limits
    expect(shown.text).toMatch(/<input id="course-startsAt" name="startsAt" value="" required type="datetime-local">/);
    expect(shown.text).toMatch(/<input id="course-title" [^>]* maxlength="40" placeholder="如：家政服务员培训班">/);
    expect(shown.text).not.toContain("&quot;");
    // A township's coordinator cannot open a course (its offers reach the county): no form that always fails, and the word why.
    const township = await page("/console/training", await signIn((await h.operator("coordinator", ["350622101"])).token));
    expect(township.text).not.toContain('action="/console/training"');
    expect(township.text).toContain("由县人社局新建");
    const csrf = csrfOf(shown.text);
    const start = new Date(h.clock().getTime() + 2 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16); // two hours ahead, China wall time
    const courses = () => h.deps.prisma.trainingCourse.count({ where: { title: "电工培训班" } });
    const wrong = await post("/console/training", cookie, { csrf, title: "电工培训班", regionCode: "350622", startsAt: start, seats: "三十" });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toMatch(/id="course-seats-error"[^>]*role="alert"/);
    expect(wrong.text).not.toContain('id="course-title-error"');
    const elsewhere = await post("/console/training", cookie, { csrf, title: "电工培训班", regionCode: "350623", startsAt: start, seats: "30" });
    expect(elsewhere.status).toBe(403);
    expect(await courses()).toBe(0);
    // typed on a Chinese keyboard: full-width digits
    const created = await post("/console/training", cookie, { csrf, title: "电工培训班", regionCode: "云霄县", startsAt: start, seats: "３０", address: "县职业技术学校" });
    expect(created.status).toBe(303);
    const course = await h.deps.prisma.trainingCourse.findFirstOrThrow({ where: { title: "电工培训班" } });
    expect(course).toMatchObject({ regionCode: "350622", seats: 30, status: "open", address: "县职业技术学校" });
    expect(chinaMinuteText(course.startsAt)).toBe(start.replace("T", " "));

    const trainees = await Promise.all(
      ["学员甲", "学员乙"].map((name, i) => registerTestWorker(h, { name, homeRegionCode: "350622103201", birthDate: `199${i}-02-02`, sex: "male" })),
    );
    // One enrolled from their page in the console, one through the API.
    const traineePage = await page(`/console/workers/${trainees[0]!.id}`, cookie);
    expect(traineePage.text).toContain(`<option value="${course.id}">电工培训班`);
    expect((await post(`/console/workers/${trainees[0]!.id}/enrolments`, cookie, { csrf, courseId: course.id })).status).toBe(303);
    expect((await page(`/console/workers/${trainees[0]!.id}`, cookie)).text).not.toContain(`<option value="${course.id}">`);
    expect((await h.request("POST", `/api/training/courses/${course.id}/enrolments`, { token: here.token, body: { workerId: trainees[1]!.id } })).status).toBe(201);
    h.clock.set(new Date(course.startsAt.getTime() + 3_600_000)); // completions come after the start (the session still holds)
    try {
      const coursePage = await page(`/console/training/${course.id}`, cookie);
      expect(coursePage.text).toContain("学员甲");
      const done = await h.request("POST", `/console/training/${course.id}/completions`, {
        body: `csrf=${encodeURIComponent(csrfOf(coursePage.text))}&worker=${trainees[0]!.id}`,
        headers: { ...FORM, cookie: `zt_console=${cookie}` },
      });
      expect(done.status).toBe(303);
      const statuses = await h.deps.prisma.trainingEnrolment.findMany({ where: { courseId: course.id }, orderBy: { workerId: "asc" } });
      expect(Object.fromEntries(statuses.map((row) => [row.workerId, row.status]))).toEqual({ [trainees[0]!.id]: "completed", [trainees[1]!.id]: "enrolled" });
    } finally {
      h.clock.set(TEST_NOW);
    }
  });

  it("lets a county official preview a campaign's reach, refuses a text of two SMS beside it, and schedules and cancels one", async () => {
    await registerTestWorker(h, { name: "活动甲", homeRegionCode: "350622103201", birthDate: "1980-06-06", sex: "male", povertyStatus: "registered" });
    await registerTestWorker(h, { name: "活动乙", homeRegionCode: "350622103201", birthDate: "1980-06-06", sex: "female", povertyStatus: "lifted" });
    expect((await page("/console/campaigns", await signIn(here.token))).status).toBe(403); // coordinators talk to people one by one
    const official = await signIn((await h.operator("countyOfficial", ["350622"])).token);
    const shown = await page("/console/campaigns", official);
    expect(shown.status).toBe(200);
    const csrf = csrfOf(shown.text);
    const fields = (extra: Record<string, string>) => `csrf=${encodeURIComponent(csrf)}&${new URLSearchParams(extra).toString()}`;
    const send = (path: string, body: string) => h.request("POST", path, { body, headers: { ...FORM, cookie: `zt_console=${official}` } });
    const registered = await h.deps.prisma.worker.count({ where: { homeRegionCode: { startsWith: "350622103" }, povertyStatus: "registered" } });
    const preview = await send("/console/campaigns/preview", fields({ name: "春风行动", regionCode: "350622103", poverty: "registered", text: "招聘会" }));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain(`现在符合条件的有${registered}人`);
    expect(await h.deps.prisma.campaign.count()).toBe(0); // a preview schedules nothing
    // A text already too long is said beside the count, not only when it is scheduled; a text not yet written is no mistake there.
    const longPreview = await send("/console/campaigns/preview", fields({ name: "春风行动", regionCode: "350622103", text: "招".repeat(63) }));
    expect(longPreview.status).toBe(200);
    expect(longPreview.text).toContain("现在符合条件的有");
    expect(longPreview.text).toMatch(/id="campaign-text-error"[^>]*role="alert"/);
    expect((await send("/console/campaigns/preview", fields({ name: "春风行动", regionCode: "350622103" }))).text).not.toContain('id="campaign-text-error"');
    const tooLong = await send("/console/campaigns", fields({ name: "春风行动", regionCode: "350622103", text: "招".repeat(63) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toMatch(/id="campaign-text-error"[^>]*role="alert"/);
    expect(tooLong.text).toContain("已写63个字");
    expect(await h.deps.prisma.campaign.count()).toBe(0);
    expect((await send("/console/campaigns", fields({ name: "春风行动", regionCode: "350628", text: "招聘会" }))).status).toBe(403);
    const scheduled = await send("/console/campaigns", fields({ name: "春风行动", regionCode: "莆美镇", poverty: "registered", text: "春风行动招聘会下周一在县人社局举行。", sendAt: "2026-12-10T09:00" }));
    expect(scheduled.status).toBe(303);
    const campaign = await h.deps.prisma.campaign.findFirstOrThrow();
    expect(campaign).toMatchObject({ status: "scheduled", segment: { regionCode: "350622103", povertyStatus: ["registered"] } });
    expect(campaign.sendAt.toISOString()).toBe("2026-12-10T01:00:00.000Z");
    expect((await send(`/console/campaigns/${campaign.id}/cancel`, fields({}))).status).toBe(303);
    expect((await h.deps.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).status).toBe("cancelled");

    // 邀请登记: the roster's people of a region, in the approved words; a code outside the official's
    // regions refused, a place named that is not theirs said beside the field; their county by its name.
    expect(shown.text).toContain("邀请登记");
    expect((await send("/console/campaigns/invitation", fields({ regionCode: "350628" }))).status).toBe(403);
    const elsewhere = await send("/console/campaigns/invitation", fields({ regionCode: "平和县" }));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain("“平和县”（福建省漳州市平和县）不在您负责的地区");
    expect((await send("/console/campaigns/invitation", fields({ regionCode: "云霄" }))).status).toBe(303);
    expect(await h.deps.prisma.campaign.findFirstOrThrow({ where: { kind: "invitation" } })).toMatchObject({ segment: { regionCode: "350622" }, text: INVITATION_TEXT, status: "scheduled" });
  });

  it("posts many vacancies from a spreadsheet, or none when a row is wrong, each wrong row named", async () => {
    const cookie = await signIn(here.token);
    const csrf = csrfOf((await page("/console/vacancies", cookie)).text);
    const upload = async (sheet: string | Uint8Array<ArrayBuffer>, app = h.app) => {
      const body = new FormData();
      body.set("csrf", csrf);
      body.set("file", new File([sheet], typeof sheet === "string" ? "岗位.csv" : "岗位.xlsx"));
      return app.request("/console/vacancies/upload", { method: "POST", body, headers: { cookie: `zt_console=${cookie}` } });
    };
    const posted = () => h.deps.prisma.vacancy.count({ where: { title: { startsWith: "表格" } } });
    const refused = await upload("岗位名称,工作地点代码,招聘人数\n表格普工,350622103,5\n表格保安,350622103,五\n表格厨师,350623100,1\n");
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain("第3行 招聘人数：招聘人数是1到10000的整数");
    expect(text).toContain("第4行 工作地点代码：不在您的管辖范围内");
    expect(await posted()).toBe(0);
    expect((await upload("名称,人数\n表格普工,5\n")).status).toBe(400); // no 岗位名称 column
    // The place by its name: one that is no place refuses the sheet, said by its row and column.
    const unknownPlace = await upload("岗位名称,工作地点\r\n名称普工,云霄县莆美镇\r\n名称保安,不存在镇\r\n");
    expect(unknownPlace.status).toBe(400);
    expect(await unknownPlace.text()).toContain("第3行 工作地点：找不到“不存在镇”");
    expect(await posted()).toBe(0);
    const accepted = await upload("岗位名称,工作地点代码,招聘人数,月薪最低,月薪最高,最高年龄\r\n表格普工,云霄县莆美镇,5,3000,4000,50\r\n表格保安,350622104,2,,,\r\n");
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain("已发布2个岗位");
    expect(await h.deps.prisma.vacancy.findFirstOrThrow({ where: { title: "表格普工" } })).toMatchObject({ regionCode: "350622103", headcount: 5, wageMin: 3000, wageMax: 4000, ageMax: 50, postedVia: "bulk" });
    expect(await posted()).toBe(2);
    // Saved from Excel as it is (numbers in number cells), the same.
    const workbook = new Workbook();
    const sheet = workbook.addWorksheet("岗位");
    for (const row of [["岗位名称", "工作地点代码", "招聘人数", "月薪最低"], ["表格电工", "350622103", 3, 5000], [], ["表格焊工", "350622104", 1, 6000]]) sheet.addRow(row);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());
    const fromExcel = await upload(xlsx);
    expect(await fromExcel.text()).toContain("已发布2个岗位");
    expect(await h.deps.prisma.vacancy.findFirstOrThrow({ where: { title: "表格电工" } })).toMatchObject({ regionCode: "350622103", headcount: 3, wageMin: 5000 });
    // Where the runtime cannot read .xlsx (Workers), the page says to save it as CSV.
    const csvOnly = await upload(xlsx, buildApp({ ...h.deps, spreadsheets: undefined }));
    expect(csvOnly.status).toBe(400);
    expect(await csvOnly.text()).toContain("另存为”CSV");
  });

  it("signs in with the phone on record and a texted code, once, within its tries", async () => {
    const created = await h.request("POST", "/api/operators", { token: admin, body: { name: "短信协理员", role: "coordinator", regionCodes: ["350622"], phone: "13900139000" } });
    expect(created.status).toBe(201);
    const codeFor = async () => {
      const asked = await h.request("POST", "/console/sign-in/code", { body: form({ phone: "139 0013 9000" }), headers: FORM });
      expect(asked.status).toBe(200);
      expect(asked.text).toContain('role="status"');
      // No SMS provider here (and not production): the code is in the log, as on a laptop.
      const line = [...h.logs].reverse().find((entry) => String(entry.msg).startsWith("no SMS provider: the console sign-in code is"));
      return /(\d{6})$/.exec(String(line?.msg))![1]!;
    };
    const code = await codeFor();
    const sms = await h.deps.prisma.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: { startsWith: "console_code:" } }, orderBy: { createdAt: "desc" } });
    expect((sms.body as { text: string }).text).toContain(code);
    expect(sms.purpose).toBe("reply");

    const wrong = await h.request("POST", "/console/sign-in/sms", { body: form({ phone: "13900139000", code: code === "000000" ? "111111" : "000000" }), headers: FORM });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    const right = await h.request("POST", "/console/sign-in/sms", { body: form({ phone: "13900139000", code }), headers: FORM });
    expect(right.status).toBe(303);
    expect(right.headers.get("set-cookie")).toMatch(/zt_console=/);
    // A code signs in once.
    expect((await h.request("POST", "/console/sign-in/sms", { body: form({ phone: "13900139000", code }), headers: FORM })).status).toBe(401);

    // Five wrong tries spend a code: the right one no longer opens.
    const next = await codeFor();
    for (let i = 0; i < 5; i++) await h.request("POST", "/console/sign-in/sms", { body: form({ phone: "13900139000", code: "999999" === next ? "888888" : "999999" }), headers: FORM });
    expect((await h.request("POST", "/console/sign-in/sms", { body: form({ phone: "13900139000", code: next }), headers: FORM })).status).toBe(401);
  });

  it("answers a number that is nobody's exactly as an operator's, and texts nothing", async () => {
    const before = await h.deps.prisma.outboxMessage.count();
    const asked = await h.request("POST", "/console/sign-in/code", { body: form({ phone: "13700137000" }), headers: FORM });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('role="status"');
    expect(await h.deps.prisma.outboxMessage.count()).toBe(before);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "console.code_refused" } })).toBeGreaterThan(0);
  });

  it("shows a county official the figures with the child regions as rows, drills down, and downloads the report", async () => {
    await registerTestWorker(h, { name: "新登记", homeRegionCode: "350622103201", birthDate: "1992-02-02", sex: "male" });
    h.clock.advance(60_000); // the figures count what happened before their moment
    const official = await h.operator("countyOfficial", ["350622"]);
    const cookie = await signIn(official.token);
    const county = await page("/console/figures", cookie);
    expect(county.status).toBe(200);
    expect(county.text).toContain('aria-label="下级地区"');
    // The quarter's flows in a line, as the quarterly report counts them.
    const report = await quarterlyFigures(contextFor(h.deps, SERVICE), { region: "350622", quarter: "2026Q4" });
    const total = report.rows.find((row) => row.kind === "total")!;
    expect(total.flows.newlyRegistered).toBeGreaterThan(0);
    expect(county.text).toContain(`新登记${total.flows.newlyRegistered}人 · 新就业${total.flows.hires}人`);
    const township = /href="\/console\/figures\?region=(350622\d{3})"/.exec(county.text)![1]!;
    const drilled = await page(`/console/figures?region=${township}`, cookie);
    expect(drilled.status).toBe(200);
    expect(drilled.text).toMatch(new RegExp(`href="/console/figures\\?region=${township}\\d{3}"`)); // its villages
    const reportLink = /href="(\/console\/figures\/report\?[^"]+)"/.exec(county.text)![1]!.replace(/&amp;/g, "&");
    const csv = await page(reportLink, cookie);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.text.split("\r\n")[0]).toMatch(/^\ufeff?地区/);
    // Outside the official's county: refused.
    expect((await page("/console/figures?region=350623", cookie)).status).toBe(403);
    h.clock.set(TEST_NOW);
  });

  it("lists the employers waiting for confirmation, and a coordinator confirms one: its vacancies open", async () => {
    const employer = await h.deps.prisma.employer.create({ data: { name: "莆美镇竹编帮扶车间", kind: "workshop", regionCode: "350622103", contactName: "林师傅" } });
    const vacancy = await h.deps.prisma.vacancy.create({ data: { title: "竹编工", employerId: employer.id, regionCode: "350622103", status: "draft" } });
    const official = await signIn((await h.operator("countyOfficial", ["350622"])).token);
    const seen = await page("/console/employers", official);
    expect(seen.status).toBe(200);
    expect(seen.text).toContain("莆美镇竹编帮扶车间");
    expect(seen.text).not.toContain(`/console/employers/${employer.id}/vouch`); // officials do not confirm
    expect((await post(`/console/employers/${employer.id}/vouch`, official, { csrf: csrfOf((await page("/console/today", official)).text) })).status).toBe(403);

    const coordinator = await signIn(here.token);
    const waiting = await page("/console/employers", coordinator);
    expect(waiting.text).toContain(`/console/employers/${employer.id}/vouch`);
    expect((await post(`/console/employers/${employer.id}/vouch`, coordinator, { csrf: csrfOf(waiting.text) })).status).toBe(303);
    expect((await h.deps.prisma.employer.findUniqueOrThrow({ where: { id: employer.id } })).vouchedBy).toBe(here.id);
    expect((await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).status).toBe("open");
    // The employer's own vacancies, from its line.
    expect((await page("/console/employers", coordinator)).text).toContain(`href="/console/vacancies?employer=${employer.id}"`);
    const theirs = await page(`/console/vacancies?employer=${employer.id}`, coordinator);
    expect(theirs.text).toContain(`/console/vacancies/${vacancy.id}"`);
    expect((theirs.text.match(/<li class="card"><a href="\/console\/vacancies\//g) ?? []).length).toBe(await h.deps.prisma.vacancy.count({ where: { employerId: employer.id } }));

    const other = await signIn((await h.operator("coordinator", ["350623"])).token);
    expect((await page("/console/employers", other)).text).not.toContain("莆美镇竹编帮扶车间");
  });

  it("puts a workshop to confirm in 待办 by its name, contact and number, and 确认单位 there opens its vacancies", async () => {
    const identity = await h.deps.prisma.channelIdentity.create({ data: { channel: "web", address: "sim-workshop-todo", lastInboundAt: h.clock() } });
    const registered = await registerEmployer(
      h.deps.prisma,
      h.deps.pii,
      identity.id,
      { name: "列屿镇渔网帮扶车间", kind: "workshop", creditCode: null, contactName: "黄师傅", contactPhone: "+8613900000077", regionCode: "350622105", address: "列屿镇港口路3号" },
      h.clock(),
    );
    if (!("employer" in registered)) throw new Error("not registered");
    const vacancy = await h.deps.prisma.vacancy.create({
      data: { title: "织网工", employerId: registered.employer.id, regionCode: "350622105", status: "draft", housing: true, meals: true, insurance: true, hours: "每天8小时", description: "要求：会补网\n夜班另有补贴" },
    });

    const official = await page("/console/today", await signIn((await h.operator("countyOfficial", ["350622"])).token));
    expect(official.text).toContain("列屿镇渔网帮扶车间");
    expect(official.text).toContain("139****0077");
    expect(official.text).not.toContain(`/console/employers/${registered.employer.id}/vouch`); // officials do not confirm
    expect(official.text).toContain("由协理员核实后确认"); // …and are told who does

    const coordinator = await signIn(here.token);
    const today = await page("/console/today", coordinator);
    const card = today.text.slice(today.text.lastIndexOf("<li", today.text.indexOf("列屿镇渔网帮扶车间")));
    expect(card.slice(0, card.indexOf("</li>"))).not.toContain("还没登记完的人");
    expect(today.text).toContain("联系人 黄师傅 · 地址 列屿镇港口路3号");
    expect(today.text).toContain('href="tel:+8613900000077"');
    expect(today.text).toContain(`action="/console/employers/${registered.employer.id}/vouch"`);
    const confirmed = await post(`/console/employers/${registered.employer.id}/vouch`, coordinator, { csrf: csrfOf(today.text), back: "today" });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe("/console/today?vouched=1");
    expect((await page(confirmed.headers.get("location")!, coordinator)).text).toContain("已确认，它等待中的1个岗位已发布。");
    expect((await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).status).toBe("open");
    expect(await h.deps.prisma.planTask.count({ where: { kind: "employer_verification", status: "open", identityId: identity.id } })).toBe(0);
    expect((await page("/console/today", coordinator)).text).not.toContain("列屿镇渔网帮扶车间");
    // The chat that posted it hears that the wait is over.
    const told = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "web", address: "sim-workshop-todo" } });
    expect(told.map((message) => (message.body as { text: string }).text)).toEqual([expect.stringContaining("您的岗位已发布")]);
    // Its page says what a coordinator tells a worker besides the pay, and what the employer wrote with its lines.
    const terms = (await page(`/console/vacancies/${vacancy.id}`, coordinator)).text;
    expect(terms).toContain("<p>包吃住 · 交社保 · 每天8小时</p>");
    expect(terms).toContain('<p class="written">要求：会补网\n夜班另有补贴</p>');
  });

  it("links a chat that typed a registered employer's credit code as its new contact, once a coordinator confirms it in 待办", async () => {
    const first = await h.deps.prisma.channelIdentity.create({ data: { channel: "web", address: "sim-company-first" } });
    const company = { name: "云霄县海峡食品有限公司", kind: "company" as const, creditCode: "91350622MA2XN0AB3K", contactName: "陈经理", contactPhone: "+8613900000081", regionCode: "350622103", address: "莆美工业区" };
    const registered = await registerEmployer(h.deps.prisma, h.deps.pii, first.id, company, h.clock(), company.contactPhone);
    if (!("employer" in registered)) throw new Error("not registered");
    // A new person in charge of hiring types the same code from another chat and phone: not linked yet.
    const second = await h.deps.prisma.channelIdentity.create({ data: { channel: "web", address: "sim-company-second" } });
    expect(await registerEmployer(h.deps.prisma, h.deps.pii, second.id, { ...company, contactName: "林主管", contactPhone: "+8613900000082" }, h.clock())).toEqual({ conflict: true });

    const coordinator = await signIn(here.token);
    const today = (await page("/console/today", coordinator)).text;
    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { identityId: second.id, kind: "employer_verification" } });
    expect(today).toContain(`action="/console/tasks/${task.id}/link-employer"`);
    expect(today).toContain('href="tel:+8613900000082"'); // the number the new contact gave, to call
    expect(today).toContain("云霄县海峡食品有限公司");
    expect(today).toContain("已登记的联系人 陈经理"); // beside the new contact's number, not taken for theirs
    const linked = await post(`/console/tasks/${task.id}/link-employer`, coordinator, { csrf: csrfOf(today) });
    expect(linked.status).toBe(303);
    expect((await h.deps.prisma.channelIdentity.findUniqueOrThrow({ where: { id: second.id } })).employerId).toBe(registered.employer.id);
    expect((await h.deps.prisma.planTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("done");
    const told = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "web", address: "sim-company-second" } });
    expect(told.map((message) => (message.body as { text: string }).text)).toEqual([expect.stringContaining('您是"云霄县海峡食品有限公司"的联系人了')]);
    // Its next message is the employer's menu.
    expect(JSON.stringify((await h.request("POST", "/api/simulator/messages", { body: { from: "sim-company-second", text: "你好" } })).body)).toContain("发布新岗位");
    // Done once: a second press changes nothing.
    expect((await post(`/console/tasks/${task.id}/link-employer`, coordinator, { csrf: csrfOf(today) })).status).toBe(409);
    const other = await signIn((await h.operator("coordinator", ["350623"])).token);
    expect((await post(`/console/tasks/${task.id}/link-employer`, other, { csrf: csrfOf((await page("/console/today", other)).text) })).status).toBe(403);
  });

  it("posts a vacancy from the console, each mistake said beside its field with nothing saved, and closes it", async () => {
    const cookie = await signIn(here.token);
    const csrf = csrfOf((await page("/console/vacancies", cookie)).text);
    const before = await h.deps.prisma.vacancy.count();
    const bad = await post("/console/vacancies", cookie, { csrf, title: "", regionCode: "abc", headcount: "-3" });
    expect(bad.status).toBe(400);
    for (const field of ["title", "regionCode", "headcount"]) expect(bad.text).toContain(`id="${field}-error"`);
    expect(bad.text).toContain('value="abc"'); // what was typed stays, to correct
    expect(await h.deps.prisma.vacancy.count()).toBe(before);
    // Outside the coordinator's county: refused by the verb, nothing saved.
    expect((await post("/console/vacancies", cookie, { csrf, title: "普工", regionCode: "350623100" })).status).toBe(403);
    expect(await h.deps.prisma.vacancy.count()).toBe(before);

    const good = await post("/console/vacancies", cookie, { csrf, title: "竹编工", regionCode: "云霄县莆美镇", headcount: "5", wageMin: "3000", wageMax: "4500", ageMin: "", ageMax: "45", description: "管吃住，限女性，会编竹篮" });
    expect(good.status).toBe(303);
    const vacancy = await h.deps.prisma.vacancy.findFirstOrThrow({ where: { title: "竹编工", postedVia: "console" }, orderBy: { createdAt: "desc" } });
    // The terms in words are read as the API reads a description.
    expect(vacancy).toMatchObject({ regionCode: "350622103", headcount: 5, wageMin: 3000, wageMax: 4500, ageMin: null, ageMax: 45, status: "open", description: "管吃住，限女性，会编竹篮", housing: true, meals: true, sex: "female" });
    expect(good.headers.get("location")).toBe(`/console/vacancies/${vacancy.id}?posted=1`);
    expect((await page(`/console/vacancies/${vacancy.id}`, cookie)).text).toContain("<p>包吃住 · 只要女</p>");
    const listed = await page("/console/vacancies", cookie);
    expect(listed.text).toContain(`href="/console/vacancies/${vacancy.id}">竹编工</a>`);

    // The vacancy followed: the work it was read as, who applied — of another county, counted, not named.
    const mine = await registerTestWorker(h, { name: "编工甲", homeRegionCode: "350622103201", birthDate: "1979-09-09", sex: "female" });
    const theirs = await registerTestWorker(h, { name: "编工乙", homeRegionCode: "350623100201", birthDate: "1979-09-09", sex: "female" });
    for (const worker of [mine, theirs]) await h.deps.prisma.application.create({ data: { vacancyId: vacancy.id, workerId: worker.id, source: "push" } });
    const followed = await page(`/console/vacancies/${vacancy.id}?posted=1`, cookie);
    expect(followed.status).toBe(200);
    expect(followed.text).toContain(`归为：${occupationLabel(normalizeTitle("竹编工")!.code)}`);
    expect(followed.text).toContain(`href="/console/workers/${mine.id}">编工甲</a> · 已报名`);
    expect(followed.text).not.toContain("编工乙");
    expect(followed.text).toContain("另有1人不在您的管辖范围内");
    // Edited from its page: the form shows what it says; a mistake is said beside its field and changes nothing.
    expect(followed.text).toContain('id="edit-wageMax" name="wageMax" value="4500"');
    expect(followed.text).toContain('id="edit-regionCode" name="regionCode" value="云霄县莆美镇"'); // its place by name, not 350622103
    // What it asks of people, as a worker reads it in the chat: the pay and the age limit.
    expect(followed.text).toContain("招聘中 · 已录用0/5人 · 3000-4500元/月 · 45岁以下");
    expect(followed.text).toContain('id="edit-ageMax" name="ageMax" value="45"');
    const wrongAge = await post(`/console/vacancies/${vacancy.id}`, cookie, { csrf, status: "open", title: "竹编工", regionCode: "350622103", ageMin: "50" });
    expect(wrongAge.status).toBe(400);
    expect(wrongAge.text).toContain('id="edit-ageMin-error"');
    expect(await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).toMatchObject({ ageMin: null, ageMax: 45 });
    const wrongEdit = await post(`/console/vacancies/${vacancy.id}`, cookie, { csrf, status: "open", title: "竹编工", regionCode: "350622103", headcount: "8", wageMin: "5000", wageMax: "4500" });
    expect(wrongEdit.status).toBe(400);
    expect(wrongEdit.text).toContain('id="edit-wageMin-error"');
    expect(wrongEdit.text).toContain('value="5000"');
    expect(await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).toMatchObject({ headcount: 5, wageMin: 3000 });
    // A new place outside the coordinator's county is refused by the verb.
    expect((await post(`/console/vacancies/${vacancy.id}`, cookie, { csrf, status: "open", title: "竹编工", regionCode: "350623100" })).status).toBe(403);
    expect((await post(`/console/vacancies/${vacancy.id}`, cookie, { csrf, status: "open", title: "缝纫工", regionCode: "350622103", headcount: "8", wageMin: "3500", wageMax: "4500", ageMin: "18" })).status).toBe(303);
    const edited = await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } });
    expect(edited).toMatchObject({ title: "缝纫工", headcount: 8, wageMin: 3500, wageMax: 4500, ageMin: 18, ageMax: 45, regionCode: "350622103", occupationCode: normalizeTitle("缝纫工")!.code });
    expect(edited.occupationCode).not.toBe(vacancy.occupationCode);
    expect((await page(`/console/vacancies/${vacancy.id}`, await signIn((await h.operator("coordinator", ["350623"])).token))).status).toBe(403);
    expect((await post(`/console/vacancies/${vacancy.id}/close`, cookie, { csrf })).status).toBe(303);
    expect((await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: vacancy.id } })).status).toBe("closed");

    // A place's name that several places share (鼓楼区: Fuzhou's, Nanjing's…) stands for the vacancy's
    // own when it is left as the form showed it: an administrator edits the headcount alone.
    const adminCookie = await signIn(admin);
    const gulou = await h.deps.prisma.vacancy.create({ data: { title: "保洁员", regionCode: "350102", headcount: 2, status: "open" } });
    const shown = await page(`/console/vacancies/${gulou.id}`, adminCookie);
    expect(shown.text).toContain('id="edit-regionCode" name="regionCode" value="鼓楼区"');
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(shown.text)?.[1] ?? "";
    const kept = await post(`/console/vacancies/${gulou.id}`, adminCookie, { csrf: csrfOf(shown.text), status: "open", title: "保洁员", regionCode: "鼓楼区", placeShown: hidden("placeShown"), placeShownCode: hidden("placeShownCode"), headcount: "3" });
    expect(kept.status).toBe(303);
    expect(await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: gulou.id } })).toMatchObject({ regionCode: "350102", headcount: 3 });
    // Typed anew, the same name is asked to be told apart, and nothing changes.
    const typedAnew = await post(`/console/vacancies/${gulou.id}`, adminCookie, { csrf: csrfOf(shown.text), status: "open", title: "保洁员", regionCode: "鼓楼区", headcount: "4" });
    expect(typedAnew.status).toBe(400);
    expect(typedAnew.text).toContain('id="edit-regionCode-error"');
    expect((await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: gulou.id } })).headcount).toBe(3);
  });

  it("checks a roster file before importing it, shows each refused row by its line, and imports it when the official confirms", async () => {
    const official = await signIn((await h.operator("countyOfficial", ["350622"])).token);
    const start = await page("/console/imports", official);
    expect(start.status).toBe(200);
    expect(start.text).toMatch(/<label for="import-file">名单文件<\/label>/);
    expect(start.text).toMatch(/<option value="350622">云霄县<\/option>/);
    const csrf = csrfOf(start.text);
    const file = [
      "县(市、区、旗),乡(镇),行政村,户编号,人编号,姓名,证件号码,户类型,人联系电话",
      "云霄县,莆美镇,中柱村,350622103201000001,35062210320100000101,导入甲,350622198808080021,脱贫户,13800000011",
      "云霄县,莆美镇,没有的村,350622103201000002,35062210320100000201,导入乙,350622198808080048,脱贫户,",
      "云霄县,莆美镇,中柱村,350622103201000001,35062210320100000102,导入丙,350622199001011230,脱贫户,1380000",
    ].join("\r\n");
    const upload = (fields: Record<string, string>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.set(name, value);
      body.set("file", new Blob([file]), "云霄县名单.csv");
      return h.request("POST", "/console/imports", { body, headers: { cookie: `zt_console=${official}` } });
    };
    // Without the session's token the file is not read, and nothing is staged.
    expect((await upload({ csrf: "forged", region: "350622" })).status).toBe(403);
    expect(await h.deps.prisma.rosterImport.count()).toBe(0);
    const checked = await upload({ csrf, region: "350622" });
    expect(checked.status).toBe(303);
    const checkPage = await page(checked.headers.get("location")!, official);
    expect(checkPage.text).toContain("新增1人");
    expect(checkPage.text).toMatch(/<tr><td[^>]*>3<\/td><td[^>]*>莆美镇没有“没有的村”这个村<\/td><\/tr>/);
    expect(checkPage.text).toMatch(/<tr><td[^>]*>4<\/td><td[^>]*>人联系电话不是11位手机号（写了7位）<\/td><\/tr>/);
    expect(checkPage.text).toContain(">确认导入</button>");
    expect(await h.deps.prisma.worker.count({ where: { name: "导入甲" } })).toBe(0); // not before it is confirmed
    const id = checked.headers.get("location")!.split("/").at(-1)!;
    expect((await post(`/console/imports/${id}/start`, official, { csrf })).status).toBe(303);
    const running = await page(`/console/imports/${id}`, official);
    expect(running.headers.get("refresh")).toBe("3");
    expect(running.text).toMatch(/<progress id="import-progress" max="1" value="0"/);
    await createJobRunner({ deps: h.deps }).runOnce();
    const done = await page(`/console/imports/${id}`, official);
    expect(done.text).toContain("导入完成：新增1人");
    const imported = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: "导入甲" } });
    expect(imported).toMatchObject({ homeRegionCode: expect.stringMatching(/^350622103/), registeredVia: "roster" });
    // The person's page says what the roster says, and where the status comes from.
    const theirs = await page(`/console/workers/${imported.id}`, official);
    expect(theirs.text).toContain("已脱贫（名单核实）");
    expect(theirs.text).toContain("脱贫人口名单：人编号 35062210320100000101 · 脱贫户");
    expect(theirs.text).toMatch(/名单更新[\s\S]*从名单导入/);
    // A second file that lists someone else only: the check says who would go off the roster before it is confirmed.
    const partial = new FormData();
    partial.set("csrf", csrf);
    partial.set("region", "350622");
    partial.set("file", new Blob([[file.split("\r\n")[0], "云霄县,莆美镇,中柱村,350622103201000003,35062210320100000301,导入丁,350622199202020029,脱贫户,"].join("\r\n")]), "莆美镇.csv");
    const partly = await h.request("POST", "/console/imports", { body: partial, headers: { cookie: `zt_console=${official}` } });
    const partlyPage = await page(partly.headers.get("location")!, official);
    expect(partlyPage.text).toContain("新增1人");
    expect(partlyPage.text).toContain("云霄县名单上现有的另外1人不在这份表格里");
    expect((await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { worker: { name: "导入甲" } } })).leftAt).toBeNull(); // nothing before it is confirmed
    // A coordinator has no import page; another county is not this official's to import.
    expect((await page("/console/imports", await signIn(here.token))).status).toBe(403);
    const wrongCounty = await upload({ csrf, region: "350623" });
    expect(wrongCounty.status).toBe(403);
    // Where the runtime cannot stream an upload (Workers), the page says so.
    const body = new FormData();
    body.set("csrf", csrf);
    body.set("region", "350622");
    body.set("file", new Blob([file]), "云霄县名单.csv");
    const onWorkers = await buildApp({ ...h.deps, spreadsheets: undefined }).request("/console/imports", { method: "POST", body, headers: { cookie: `zt_console=${official}` } });
    expect(onWorkers.status).toBe(400);
    expect(await onWorkers.text()).toContain("不能导入名单");
  });

  it("takes the roster's county by its name from an administrator, and says which places share a name", async () => {
    const administrator = await signIn(admin);
    const start = await page("/console/imports", administrator);
    expect(start.text).toMatch(/<input id="import-region" name="region"/);
    const upload = (region: string) => {
      const body = new FormData();
      body.set("csrf", csrfOf(start.text));
      body.set("region", region);
      body.set("file", new Blob(["县(市、区、旗),乡(镇),行政村,户编号,人编号,姓名,证件号码,户类型\r\n云霄县,莆美镇,中柱村,350622103201000009,35062210320100000901,名称甲,350622198808080021,脱贫户\r\n"]), "名单.csv");
      return h.request("POST", "/console/imports", { body, headers: { cookie: `zt_console=${administrator}` } });
    };
    const several = await upload("鼓楼区");
    expect(several.status).toBe(400);
    expect(several.text).toContain("福建省福州市鼓楼区（350102）");
    expect(several.text).toContain("请连上一级的地名一起写（如：江苏省南京市鼓楼区）");
    expect(several.text).toMatch(/<input id="import-region" name="region" required value="鼓楼区"/);
    const unknown = await upload("云宵县城");
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("找不到“云宵县城”");
    expect(await h.deps.prisma.rosterImport.count({ where: { fileName: "名单.csv" } })).toBe(0);
    const named = await upload("漳州市云霄县");
    expect(named.status).toBe(303);
    expect(await h.deps.prisma.rosterImport.findFirstOrThrow({ where: { fileName: "名单.csv" } })).toMatchObject({ regionCode: "350622", status: "staged" });
  });
});
