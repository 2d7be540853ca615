// The job runner over the typed registry: a kind nobody knows or a payload that does not fit fails
// at once (it would otherwise wait forever or retry in vain), a recurring job queues its next run
// itself, and every kind's key is stable (rows already queued keep their meaning).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { defineJob, ensureRecurringJobs, JOBS } from "../../src/jobs/registry.ts";
import { JOB_KINDS, jobKey } from "../../src/queue/kinds.ts";
import { queueJob } from "../../src/queue/queue.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("job kinds", () => {
  it("every kind has its work, and the keys stay those of the rows queued before", () => {
    expect(Object.keys(JOBS).sort()).toEqual(Object.keys(JOB_KINDS).sort());
    expect(jobKey("index.vacancy", { id: "v1" })).toBe("index:vacancy:v1");
    expect(jobKey("push.vacancy", { vacancyId: "v1" })).toBe("push:vacancy:v1");
    expect(jobKey("followup.hire", { applicationId: "a1", attempt: 2 })).toBe("followup:hire:a1");
    expect(jobKey("training.reminder", { courseId: "c1", workerId: "w1" })).toBe("training:reminder:c1:w1");
    expect(jobKey("campaign.send", { campaignId: "c1" })).toBe("campaign:send:c1");
    expect(jobKey("training.promise", {})).toBe("training:promise");
    expect(jobKey("training.after_job_loss", { workerId: "w1", warningId: "t1" })).toBe("training:job_loss:t1");
  });

  it("refuses to queue a payload that does not fit its kind", async () => {
    await expect(queueJob(h.deps.prisma, "push.vacancy", { vacancyId: "" })).rejects.toThrow();
    expect(await h.deps.prisma.job.count({ where: { kind: "push.vacancy" } })).toBe(0);
  });
});

describe("the runner", () => {
  it("claims a kind that outlasts the usual lease with its own, so that no other runner takes it over meanwhile", async () => {
    const leases: Record<string, number> = {};
    const note = (job: { kind: string; runAt: Date }) => void (leases[job.kind] = job.runAt.getTime() - h.clock().getTime());
    await h.deps.prisma.job.createMany({
      data: [
        { kind: "index.rebuild", key: "lease-rebuild", payload: {}, runAt: new Date(0) },
        { kind: "campaign.send", key: "lease-campaign", payload: { campaignId: "c-lease" }, runAt: new Date(0) },
      ],
    });
    const runner = createJobRunner({
      deps: h.deps,
      overrides: {
        "index.rebuild": defineJob({ ...JOBS["index.rebuild"], run: async (_ctx, _payload, job) => note(job) }),
        "campaign.send": defineJob({ kind: "campaign.send", run: async (_ctx, _payload, job) => note(job) }),
      },
    });
    await runner.runOnce();
    expect(leases).toEqual({ "index.rebuild": JOBS["index.rebuild"].leaseMs, "campaign.send": 120_000 });
    expect(JOBS["index.rebuild"].leaseMs).toBeGreaterThan(120_000);
    expect(JOBS["index.settings"].leaseMs).toBe(JOBS["index.rebuild"].leaseMs);
  });

  it("fails a kind nobody knows and a payload that does not fit at once, and runs the rest", async () => {
    const ran: string[] = [];
    await h.deps.prisma.job.createMany({
      data: [
        { kind: "push.vacancies", key: "typo", payload: {}, runAt: new Date(0) },
        { kind: "campaign.send", key: "bad-payload", payload: { campaign: "x" }, runAt: new Date(0) },
        { kind: "campaign.send", key: "good", payload: { campaignId: "c-1" }, runAt: new Date(0) },
      ],
    });
    const runner = createJobRunner({
      deps: h.deps,
      overrides: { "campaign.send": defineJob({ kind: "campaign.send", run: async (_deps, payload) => void ran.push(payload.campaignId) }) },
    });
    await runner.runOnce();
    const rows = Object.fromEntries((await h.deps.prisma.job.findMany({ where: { key: { in: ["typo", "bad-payload", "good"] } } })).map((row) => [row.key, row]));
    expect(rows.typo).toMatchObject({ status: "failed", attempts: 1, lastError: 'unknown job kind "push.vacancies"' });
    expect(rows["bad-payload"]!.status).toBe("failed");
    expect(rows["bad-payload"]!.lastError).toMatch(/does not fit campaign.send/);
    expect(rows.good!.status).toBe("done");
    expect(ran).toEqual(["c-1"]);
    // Failed for good: nothing claims them again.
    h.clock.advance(24 * 3600_000);
    expect(await runner.runOnce()).toBe(0);
  });

  it("queues a recurring job's next run itself, with the payload the next run needs", async () => {
    await ensureRecurringJobs(h.deps);
    const first = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: "subsidy:daily" } });
    expect(first.runAt.getTime()).toBeGreaterThan(h.clock().getTime());
    h.clock.set(first.runAt);
    let runs = 0;
    const runner = createJobRunner({ deps: h.deps, overrides: { "subsidy.daily": { ...JOBS["subsidy.daily"], run: async () => void runs++ } } });
    await runner.runOnce();
    const next = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: "subsidy:daily" } });
    expect(runs).toBe(1);
    expect(next).toMatchObject({ status: "pending", attempts: 0, payload: { since: first.runAt.toISOString() } });
    expect(next.runAt.getTime() - first.runAt.getTime()).toBe(24 * 3600_000);
    // Created once: a restart does not move the next run.
    await ensureRecurringJobs(h.deps);
    expect((await h.deps.prisma.job.findUniqueOrThrow({ where: { key: "subsidy:daily" } })).runAt).toEqual(next.runAt);
  });

  it("sends the index jobs it claims together as one search task of each sort, and retries them all when the engine fails", async () => {
    await h.deps.indexes.ensureSettings();
    const kept = await Promise.all(["甲", "乙", "丙"].map((name) => h.deps.prisma.worker.create({ data: { name: `合批${name}`, homeRegionCode: "350622103201" } })));
    const gone = await h.deps.prisma.worker.create({ data: { name: "合批丁" } });
    await h.deps.prisma.worker.delete({ where: { id: gone.id } });
    for (const worker of [...kept, gone]) await queueJob(h.deps.prisma, "index.worker", { id: worker.id });
    const uid = h.deps.indexes.workers.uid;
    const tasksBefore = (await h.deps.search.tasks.getTasks({ indexUids: [uid], limit: 1000 })).results.length;

    expect(await createJobRunner({ deps: h.deps }).runOnce()).toBe(4);
    const tasks = (await h.deps.search.tasks.getTasks({ indexUids: [uid], limit: 1000 })).results.slice(0, -tasksBefore || undefined);
    expect(tasks.map((task) => task.type).sort()).toEqual(["documentAdditionOrUpdate", "documentDeletion"]);
    const indexed = await h.deps.indexes.workers.getDocuments({ limit: 100 });
    expect(indexed.results.map((document) => document.id).sort()).toEqual(kept.map((worker) => worker.id).sort());
    expect(await h.deps.prisma.job.count({ where: { kind: "index.worker", status: "done" } })).toBe(4);

    // The engine gone: every job of the batch waits for its retry, none is lost or done.
    for (const worker of kept) await queueJob(h.deps.prisma, "index.worker", { id: worker.id });
    const searchDown = async () => Promise.reject(new Error("search down"));
    const failing = createJobRunner({ deps: h.deps, overrides: { "index.worker": defineJob({ kind: "index.worker", run: searchDown, runTogether: searchDown }) } });
    expect(await failing.runOnce()).toBe(3);
    const retried = await h.deps.prisma.job.findMany({ where: { kind: "index.worker", status: "pending" } });
    expect(retried.map((job) => [job.attempts, job.lastError])).toEqual([1, 2, 3].map(() => [1, "search down"]));
  });
});
