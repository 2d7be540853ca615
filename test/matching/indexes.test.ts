// Index documents and settings, against the real Meilisearch of the global setup.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  RANKED,
  VACANCY_RANKING_FIELDS,
  ageOn,
  latestBirthForAge,
  monthlyWage,
  unpacked,
  vacancyDocument,
  workerDocument,
  type VacancyForIndex,
} from "../../matching/documents.ts";
import { createMatchingIndexes, type MatchingIndexes } from "../../matching/indexes.ts";
import { nodeHttpClient } from "../../matching/node-http-client.ts";
import { createSearchClient } from "../../matching/search-client.ts";

const housekeeper: VacancyForIndex = {
  id: "v-housekeeper",
  title: "住家保姆",
  description: "照顾老人，包吃住，限女性，年龄30至55周岁",
  employerName: "平和县家政服务公司",
  employerKind: "company",
  occupationCode: "4-10-01-06",
  regionCode: "350628100201",
  latitude: 24.36,
  longitude: 117.31,
  wageMin: 5500,
  wageMax: 7000,
  wageUnit: "month",
  ageMin: 30,
  ageMax: 55,
  sex: "female",
  housing: true,
  status: "open",
  deadline: "2026-06-30T00:00:00.000Z",
};

describe("vacancyDocument", () => {
  it("splits the region code, names the occupation and keeps the requirements", () => {
    const doc = vacancyDocument(housekeeper);
    expect(doc).toMatchObject({
      id: "v-housekeeper",
      provinceCode: "35",
      cityCode: "3506",
      countyCode: "350628",
      townshipCode: "350628100",
      villageCode: "350628100201",
      occupationCode: "4-10-01-06",
      occupationMid: "4-10",
      occupationName: "家政服务员",
      wageMonthlyMin: 5500,
      wageMonthlyMax: 7000,
      ageMin: 30,
      ageMax: 55,
      sex: "female",
      housing: true,
      employerKind: "company",
      deadlineTs: Date.parse("2026-06-30T00:00:00.000Z"),
      _geo: { lat: 24.36, lng: 117.31 },
    });
    expect(doc.occupationAliases).toContain("保姆");
  });

  it("leaves unknown facts open: no deadline, no age limits, any sex, no housing, no place below the county", () => {
    const doc = vacancyDocument({ id: "v2", title: "村道保洁员", status: "open", regionCode: "350624" });
    expect(doc).toMatchObject({
      countyCode: "350624",
      townshipCode: null,
      villageCode: null,
      deadlineTs: null,
      ageMin: null,
      ageMax: null,
      sex: "any",
      housing: false,
      occupationCode: null,
      wageMonthlyMin: null,
    });
    expect(doc).not.toHaveProperty("_geo");
  });

  it("estimates monthly pay: 22 days of 8 hours; a piece rate has no estimate", () => {
    expect(monthlyWage(150, "day")).toBe(3300);
    expect(monthlyWage(20, "hour")).toBe(3520);
    expect(monthlyWage(4000, "month")).toBe(4000);
    expect(monthlyWage(2, "piece")).toBeNull();
    const daily = vacancyDocument({ id: "v3", title: "建筑工地小工", status: "open", wageMin: 200, wageUnit: "day" });
    expect([daily.wageMin, daily.wageMax, daily.wageMonthlyMin, daily.wageMonthlyMax]).toEqual([200, 200, 4400, 4400]);
  });
});

describe("workerDocument", () => {
  it("keeps codes, wishes and their 中类, and takes an unknown work range as the home county", () => {
    const doc = workerDocument({
      id: "w1",
      birthDate: new Date("1980-05-02T00:00:00Z"),
      sex: "female",
      homeRegionCode: "350622103201",
      wishedOccupations: ["4-10-01-06", "4-09-08-01"],
      employmentStatus: "seeking",
      optedOut: false,
      pushedBefore: false,
    });
    expect(doc).toMatchObject({
      countyCode: "350622",
      villageCode: "350622103201",
      workRange: "homeCounty",
      birthTs: Date.UTC(1980, 4, 2),
      wishedMids: ["4-10", "4-09"],
      wageFloor: null,
      categories: [],
    });
  });
});

describe("ages", () => {
  it("agree between ageOn and latestBirthForAge, 29 February included", () => {
    const nows = ["2025-02-28T12:00:00Z", "2024-02-29T12:00:00Z", "2025-03-01T00:00:00Z", "2026-12-31T23:59:00Z"].map((t) => new Date(t));
    for (const now of nows) {
      for (let day = 0; day < 800; day++) {
        const birthTs = Date.UTC(1996, 0, 1) + day * 86_400_000;
        for (const years of [27, 28, 29, 30]) {
          expect(birthTs <= latestBirthForAge(years, now)).toBe(ageOn(birthTs, now) >= years);
        }
      }
    }
  });
});

describe("indexes", () => {
  let indexes: MatchingIndexes;
  const http = nodeHttpClient();

  beforeAll(async () => {
    const meili = inject("meili");
    const client = createSearchClient({ url: meili.url, apiKey: meili.masterKey, httpClient: http });
    indexes = createMatchingIndexes(client, { prefix: `t${randomBytes(4).toString("hex")}_` });
  });

  afterAll(async () => {
    await indexes.waitFor([await indexes.vacancies.delete(), await indexes.workers.delete()]);
    http.close();
  });

  it("applies settings once: a second ensureSettings changes nothing and enqueues no task", async () => {
    const first = await indexes.ensureSettings();
    expect(first.vacancies).toEqual(expect.arrayContaining(["filterableAttributes", "synonyms", "localizedAttributes"]));
    expect(first.workers).toContain("filterableAttributes");

    const uids = [indexes.vacancies.uid, indexes.workers.uid];
    const before = await indexes.client.tasks.getTasks({ indexUids: uids, limit: 1 });
    const second = await indexes.ensureSettings();
    const after = await indexes.client.tasks.getTasks({ indexUids: uids, limit: 1 });
    expect(second).toEqual({ vacancies: [], workers: [] });
    expect(after.results[0]?.uid).toBe(before.results[0]?.uid);
  });

  it("keeps the synonyms payload bounded", async () => {
    const synonyms = await indexes.vacancies.getSynonyms();
    const entries = Object.keys(synonyms).length;
    expect(entries).toBeGreaterThan(100);
    expect(entries).toBeLessThan(1000);
    expect(synonyms["保姆"]).toEqual(["家政服务员"]);
  });

  it("finds vacancies by Chinese words, aliases and synonyms", async () => {
    await indexes.ensureSettings();
    await indexes.waitFor(
      await indexes.upsertVacancies([
        housekeeper,
        { id: "v-cleaner", title: "家政服务员", status: "open", regionCode: "350624" },
        { id: "v-guard", title: "保安", occupationCode: "4-07-05-01", status: "open", regionCode: "350624" },
      ]),
    );
    const ids = async (q: string) => (await indexes.vacancies.search(q, { locales: ["cmn"] })).hits.map((hit) => hit.id).sort();
    expect(await ids("包吃住")).toEqual(["v-housekeeper"]);
    // No occupation code on v-cleaner: found through the synonym 保姆 → 家政服务员.
    expect(await ids("保姆")).toEqual(["v-cleaner", "v-housekeeper"]);
    expect(await ids("保安员")).toEqual(["v-guard"]);

    await indexes.waitFor(await indexes.deleteVacancies(["v-guard"]));
    expect(await ids("保安员")).toEqual([]);
  });

  it("shows of a hit only its id and the packed fields ranking reads, which read back as the document's own", async () => {
    await indexes.ensureSettings();
    await indexes.waitFor(await indexes.upsertVacancies([housekeeper]));
    const [hit] = (await indexes.vacancies.search("", { filter: `id = "v-housekeeper"` })).hits;
    expect(Object.keys(hit!).sort()).toEqual(["id", RANKED]);
    const document = vacancyDocument(housekeeper);
    const expected = Object.fromEntries(VACANCY_RANKING_FIELDS.map((field) => [field, document[field]]));
    expect(unpacked(hit![RANKED] as string, VACANCY_RANKING_FIELDS)).toEqual(expected);
    expect(expected).toMatchObject({ id: "v-housekeeper", villageCode: "350628100201", wageMonthlyMin: 5500, housing: true });
  });

  it("upserts and deletes workers", async () => {
    const worker = { id: "w-1", employmentStatus: "seeking", optedOut: false, pushedBefore: true } as const;
    await indexes.waitFor(await indexes.upsertWorkers([worker]));
    expect((await indexes.workers.getDocument("w-1")).pushedBefore).toBe(true);
    await indexes.waitFor(await indexes.deleteWorkers(["w-1"]));
    expect((await indexes.workers.getDocuments()).total).toBe(0);
  });
});
