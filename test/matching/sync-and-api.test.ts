// The indexes follow the database through durable jobs, survive the search engine being down, can
// be rebuilt, and serve GET /api/workers/{id}/matches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { applyIndexSettings, reindexAll } from "../../src/services/search-sync.ts";
import { createWorker } from "../../src/services/workers.ts";
import { seedDemo } from "../../prisma/demo-data.ts";
import { createMatchingIndexes } from "../../matching/indexes.ts";
import { createSearchClient } from "../../matching/search-client.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
const runner = () => createJobRunner({ deps: h.deps });

beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  await h.deps.indexes.ensureSettings();
});
afterAll(() => h.close());

describe("index sync", () => {
  it("queues an index job with every new vacancy, and the runner brings the index up to date", async () => {
    await seedDemo(h.deps.prisma);
    const queued = await h.deps.prisma.job.count({ where: { kind: "index.vacancy", status: "pending" } });
    expect(queued).toBe(await h.deps.prisma.vacancy.count());
    const jobs = runner();
    while ((await jobs.runOnce()) > 0);
    expect(await h.deps.prisma.job.count({ where: { kind: "index.vacancy", status: "done" } })).toBe(queued);
    const stats = await h.deps.indexes.vacancies.getStats();
    expect(stats.numberOfDocuments).toBe(queued);
    const nanny = await h.deps.indexes.vacancies.search("保姆");
    const liveIn = await h.deps.prisma.vacancy.findFirstOrThrow({ where: { title: "住家保姆" } });
    expect(nanny.hits.map((hit) => hit.id)).toContain(liveIn.id);
  });

  it("loses nothing while the search engine is down: the job waits and succeeds later", async () => {
    const vacancy = await h.deps.prisma.vacancy.create({ data: { title: "养老院护工", regionCode: "350622", status: "open" } });
    await h.deps.prisma.job.create({ data: { kind: "index.vacancy", key: `index:vacancy:${vacancy.id}`, payload: { id: vacancy.id }, runAt: h.clock() } });
    const down = createMatchingIndexes(createSearchClient({ url: "http://127.0.0.1:9" }), { prefix: h.deps.indexes.vacancies.uid.replace(/vacancies$/, "") });
    let clock = h.clock();
    const failing = createJobRunner({ deps: { ...h.deps, indexes: down, clock: () => clock } });
    await failing.runOnce();
    const waiting = await h.deps.prisma.job.findUniqueOrThrow({ where: { key: `index:vacancy:${vacancy.id}` } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.lastError).toBeTruthy();
    clock = new Date(h.clock().getTime() + 3_600_000);
    const healthy = createJobRunner({ deps: { ...h.deps, clock: () => clock } });
    await healthy.runOnce();
    expect((await h.deps.prisma.job.findUniqueOrThrow({ where: { key: `index:vacancy:${vacancy.id}` } })).status).toBe("done");
    expect((await h.deps.indexes.vacancies.getDocument(vacancy.id)).title).toBe("养老院护工");
  });

  it("rebuilds both indexes from the database", async () => {
    await h.deps.indexes.waitFor(await h.deps.indexes.vacancies.deleteAllDocuments());
    const counts = await reindexAll(h.deps.prisma, h.deps.indexes);
    expect(counts.vacancies).toBe(await h.deps.prisma.vacancy.count());
    expect((await h.deps.indexes.vacancies.getStats()).numberOfDocuments).toBe(counts.vacancies);
  });

  it("rebuilds the documents at start when a setting names a field they may lack, and only then", async () => {
    const { workers } = h.deps.indexes;
    const worker = await h.deps.prisma.worker.create({ data: { name: "林秀英", homeRegionCode: "350622103201", wageFloor: 3500 } });
    await reindexAll(h.deps.prisma, h.deps.indexes);
    const indexed = await workers.getDocument(worker.id);
    expect(indexed.payFloor).toBe(3500);
    // What an older version left: no sort by the floor, and documents without it.
    const { payFloor: _, ...older } = indexed;
    await h.deps.indexes.waitFor([await workers.updateSettings({ sortableAttributes: ["pushedBefore"] }), await h.deps.indexes.client.index(workers.uid).addDocuments([older])]);
    expect((await workers.getDocument(worker.id)).payFloor).toBeUndefined();

    await applyIndexSettings(h.deps.prisma, h.deps.indexes);
    expect((await workers.getSettings()).sortableAttributes).toContain("payFloor");
    expect((await workers.getDocument(worker.id)).payFloor).toBe(3500);

    const additions = async () => (await h.deps.indexes.client.tasks.getTasks({ indexUids: [workers.uid], types: ["documentAdditionOrUpdate"] })).total;
    const before = await additions();
    await applyIndexSettings(h.deps.prisma, h.deps.indexes);
    expect(await additions()).toBe(before);
  });
});

describe("GET /api/workers/{id}/matches", () => {
  it("returns fitting open jobs with short true reasons, inside the caller's regions", async () => {
    const worker = await createWorker(h.deps, {
      name: "林阿姨",
      idNumber: "350628198506150029", // a woman born 1985
      phone: "13800000061",
      homeRegionCode: "350628100200",
      wishedOccupations: ["4-10-01-06"], // 家政服务员
      workRange: "province",
      wageFloor: 3000,
    });
    const response = await h.request("GET", `/api/workers/${worker.id}/matches?limit=3`, { token: admin });
    expect(response.status).toBe(200);
    const [best] = response.body.matches;
    const nanny = await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { externalId: "demo-ph-3" } });
    expect(best.vacancyId).toBe(nanny.id);
    for (const match of response.body.matches) {
      expect(match.reason.length).toBeLessThanOrEqual(20);
      const vacancy = await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: match.vacancyId } });
      expect(vacancy.status).toBe("open");
      expect(vacancy.sex).not.toBe("male");
    }
    const elsewhere = await h.operator("coordinator", ["350622"]);
    expect((await h.request("GET", `/api/workers/${worker.id}/matches`, { token: elsewhere.token })).status).toBe(403);
  });
});
