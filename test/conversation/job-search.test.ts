// Issue 5 in the chat, over the real Meilisearch and database: "找工作" shows the best three for the
// worker (their wished work first, each one SMS line with a true reason), a number shows the
// details, 报名 records the application, 不合适 is remembered and lowers similar jobs next time,
// and when the search engine is down the chat says so kindly and nothing is lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vacancyView } from "../../src/conversation/chat-lookups.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { defineJob } from "../../src/jobs/registry.ts";
import { seedDemo } from "../../prisma/demo-data.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.deps.indexes.ensureSettings();
  await seedDemo(h.deps.prisma);
});
afterAll(() => h.close());

async function indexEverything() {
  const jobs = createJobRunner({ deps: h.deps, overrides: { "push.vacancy": defineJob({ kind: "push.vacancy", run: async () => {} }) } });
  while ((await jobs.runOnce()) > 0);
}

async function say(from: string, text: string, harness = h): Promise<string[]> {
  const response = await harness.request("POST", "/api/simulator/messages", { body: { from, text } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.replies as { text: string }[]).map((reply) => reply.text);
}

/** The numbered lines of a menu, without their numbers. */
const optionLines = (texts: string[]) =>
  texts
    .join("\n")
    .split("\n")
    .filter((line) => /^[1-8] /.test(line))
    .map((line) => line.slice(2));

describe("找工作 in the chat", () => {
  it("shows the wished work first, one SMS line each, then details, and 报名 records the application", async () => {
    const worker = await registerTestWorker(h, { name: "周红", birthDate: "1985-03-03", sex: "female", homeRegionCode: "350628100201", workRange: "homeCounty", wishedOccupations: ["4-10-01-06"] });
    await indexEverything();
    const list = await say(worker.address, "找工作");
    for (const text of list) expect(text.length).toBeLessThanOrEqual(70);
    const lines = optionLines(list);
    expect(lines.at(-1)).toBe("换一批");
    const jobs = lines.slice(0, -1);
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.length).toBeLessThanOrEqual(3);
    // 住家保姆 in 平和县: her wish, in her county, named as its employer wrote it (the details say the same)
    expect(jobs[0]).toMatch(/^住家保姆·县内·/);
    for (const line of jobs) expect(line.length).toBeLessThanOrEqual(30);
    // The turn's rows, in the order it happened (it changed no records: one statement writes them all).
    const rows = await h.deps.prisma.planEvent.findMany({ where: { workerId: worker.id }, orderBy: { seq: "asc" }, select: { kind: true, text: true, data: true } });
    const turnRows = rows.slice(rows.findLastIndex((row) => row.kind === "message_in"));
    expect(turnRows.map((row) => row.kind)).toEqual(["message_in", "jobs_requested", "jobs_shown", ...list.map(() => "message_out")]);
    expect(turnRows[0]!.text).toBe("找工作");
    expect((turnRows[2]!.data as { vacancyIds: string[] }).vacancyIds).toHaveLength(jobs.length);

    const details = (await say(worker.address, "1")).join("\n");
    expect(details).toContain("住家保姆｜平和县");
    expect(details).toContain("5500-7000元/月");
    expect(details).toContain("30-55岁");
    expect(details).toContain("1 报名");
    expect((await say(worker.address, "报名")).join("\n")).toContain("电话给招聘方");
    expect((await say(worker.address, "不同意")).join("\n")).toContain("协理员会帮您");
    const application = await h.deps.prisma.application.findFirstOrThrow({ where: { workerId: worker.id }, include: { vacancy: true } });
    expect(application).toMatchObject({ source: "search", sharePhone: false, status: "applied", vacancy: { title: "住家保姆" } });
    // The application has no employer on a channel: the coordinator is asked to put them in touch.
    expect(await h.deps.prisma.planTask.count({ where: { kind: "application_referral", plan: { workerId: worker.id } } })).toBe(1);
    // An applied job is not shown again.
    const again = optionLines(await say(worker.address, "找工作"));
    expect(again.join("\n")).not.toContain("5500");
  });

  it("remembers 不合适: the kind of work turned down sinks in the next search", async () => {
    const worker = await registerTestWorker(h, { name: "钟强", birthDate: "1980-08-08", sex: "male", homeRegionCode: "350628100201", workRange: "homeCounty", wishedOccupations: [] });
    await indexEverything();
    const first = optionLines(await say(worker.address, "找工作"))[0]!;
    await say(worker.address, "1");
    await say(worker.address, "不合适");
    const shownAfter = optionLines(await say(worker.address, "不想做这种活"));
    expect(shownAfter).not.toContain(first);
    const declined = await h.deps.prisma.planEvent.findFirstOrThrow({ where: { workerId: worker.id, kind: "job_declined" } });
    expect(declined.data).toMatchObject({ reason: "不想做这种活" });
    // A fresh search from the list itself: the turned-down kind of work is no longer first.
    const next = optionLines(await say(worker.address, "找工作"));
    expect(next.at(-1)).toBe("换一批");
    expect(next[0]).not.toBe(first);
  });

  it("says kindly when the search engine is down, and the menu still works", async () => {
    const down = await createHarness({ searchUrl: "http://127.0.0.1:9" });
    try {
      const worker = await registerTestWorker(down, { name: "冯安", birthDate: "1990-01-01", sex: "male", homeRegionCode: "350622103201", workRange: "anywhere" });
      const replies = (await say(worker.address, "找工作", down)).join("\n");
      expect(replies).toContain("暂时忙");
      expect(replies).toContain("1 找工作");
      expect((await say(worker.address, "我的信息", down)).join("\n")).toContain("姓名：冯安");
      const logged = down.logs.filter((entry) => entry.msg === "job search failed: the search engine does not answer");
      expect(logged.length).toBe(1);
    } finally {
      await down.close();
    }
  });
});

describe("a job's details", () => {
  it("shows an open job as a worker reads it, and nothing for one closed or past its deadline since the list", async () => {
    const now = new Date("2026-12-07T08:00:00Z");
    const employer = await h.deps.prisma.employer.create({ data: { name: "云霄县莆美服装车间", kind: "workshop" } });
    const job = (data: { status?: "open" | "closed"; deadline?: Date; physical?: string | null; description?: string }) =>
      h.deps.prisma.vacancy.create({
        data: { title: "缝纫工", occupationCode: "6-05-01-01", employerId: employer.id, employerName: "旧名", regionCode: "350622103201", headcount: 3, wageMin: 3000, wageMax: 4500, ageMax: 55, housing: true, meals: true, physical: "会用平车", status: "open", ...data },
      });
    const open = await job({ deadline: new Date("2026-12-08T00:00:00Z") });
    expect(await vacancyView(h.deps.sql, open.id, now)).toEqual({
      id: open.id,
      title: "缝纫工",
      occupationCode: "6-05-01-01",
      employerName: "云霄县莆美服装车间", // the employer's own name over the one typed on the posting
      employerKind: "workshop",
      placeName: "云霄县莆美镇",
      payText: "3000-4500元/月",
      ageMin: null,
      ageMax: 55,
      sex: "any",
      housing: true,
      meals: true,
      insurance: null,
      headcount: 3,
      hours: null,
      requirements: "会用平车",
      gist: null,
    });
    // Posted elsewhere (the API, the console): the start of its text, in whole clauses, where the chat would show requirements.
    const described = await job({ physical: null, description: "计件，熟手月入四千以上；\n管吃住，每天8小时。夜班另有补贴，节假日三倍工资" });
    expect(await vacancyView(h.deps.sql, described.id, now)).toMatchObject({ requirements: null, gist: "计件，熟手月入四千以上；管吃住，每天8小时。夜班另有补贴" });
    expect(await vacancyView(h.deps.sql, (await job({ status: "closed" })).id, now)).toBeNull();
    expect(await vacancyView(h.deps.sql, (await job({ deadline: now })).id, now)).toBeNull();
    expect(await vacancyView(h.deps.sql, "no-such-vacancy", now)).toBeNull();
  });
});
