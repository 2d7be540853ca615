// The two Meilisearch indexes matching searches: vacancies (worker → jobs) and workers (vacancy →
// candidates). Both are derived from the database and can be rebuilt from it at any time.
import { MeilisearchApiError, type EnqueuedTask, type Index, type Meilisearch, type Settings } from "meilisearch";
import catalogue from "./data/occupations.json" with { type: "json" };
import {
  RANKED,
  vacancyDocument,
  workerDocument,
  type VacancyDocument,
  type VacancyForIndex,
  type WorkerDocument,
  type WorkerForIndex,
} from "./documents.ts";

export interface MatchingIndexes {
  client: Meilisearch;
  vacancies: Index<VacancyDocument>;
  workers: Index<WorkerDocument>;
  /** Creates the indexes and brings their settings up to date; answers which settings it changed. */
  ensureSettings(): Promise<{ vacancies: string[]; workers: string[] }>;
  upsertVacancies(vacancies: readonly VacancyForIndex[]): Promise<EnqueuedTask[]>;
  deleteVacancies(ids: readonly string[]): Promise<EnqueuedTask[]>;
  upsertWorkers(workers: readonly WorkerForIndex[]): Promise<EnqueuedTask[]>;
  deleteWorkers(ids: readonly string[]): Promise<EnqueuedTask[]>;
  /** Resolves when every task has succeeded; throws with Meilisearch's message when one failed. */
  waitFor(tasks: EnqueuedTask | readonly EnqueuedTask[], options?: { timeoutMs?: number }): Promise<void>;
}

/** The most candidates one vacancy is pushed to (a search returns no more than this). */
export const MAX_CANDIDATES = 20_000;

/** Documents per request: large enough to batch well, far below Meilisearch's 100 MB payload limit. */
const BATCH_SIZE = 10_000;

const TASK_POLL_MS = 25;

/** Rank words: "保安经理" is not a 保安员, so such aliases must not send searches to the occupation. */
const RANK_WORD = /经理|主管|总监|助理|专员|顾问/;

/**
 * Everyday aliases → the occupation's name, so that a search for 保姆 also finds "家政服务员" in a
 * title. Bounded to the jobs rural workers take (大类 4 services, 5 farming, 6 production) and to
 * plain Han aliases that are not already part of the name (保洁 finds 保洁员 without help): a few
 * hundred entries.
 */
function occupationSynonyms(): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  for (const occupation of catalogue.occupations) {
    if (!/^[456]-/.test(occupation.code)) continue;
    for (const alias of occupation.aliases) {
      if (!/^\p{Script=Han}{2,6}$/u.test(alias) || occupation.name.includes(alias) || RANK_WORD.test(alias)) continue;
      synonyms[alias] = [...new Set([...(synonyms[alias] ?? []), occupation.name])].sort();
    }
  }
  return synonyms;
}

const VACANCY_SEARCHABLE = ["title", "occupationName", "occupationAliases", "description", "employerName"];

/**
 * Filterable attributes with only the operators the searches use: every other structure Meilisearch
 * would build for them (facet search, the number levels a range filter walks) costs memory and
 * indexing time for nothing. `attribute = x`, `IN`, `IS NULL` are equality; `<`, `>` comparison.
 */
function filterable(equality: readonly string[], comparison: readonly string[]): Settings["filterableAttributes"] {
  const features = (withComparison: boolean) => ({ facetSearch: false, filter: { equality: true, comparison: withComparison } });
  return [
    { attributePatterns: [...equality], features: features(false) },
    { attributePatterns: [...comparison], features: features(true) },
  ];
}

/**
 * Only what the searches read is kept in the index's structures: the filters and sorts of match.ts,
 * and words for a search by words (保姆 finds 家政服务员). A field that is only shown or ranked in JS
 * (pay, place name, categories) is stored with the document and nothing more.
 */
const VACANCY_SETTINGS: Settings = {
  searchableAttributes: VACANCY_SEARCHABLE,
  filterableAttributes: filterable(
    ["id", "status", "occupationCode", "occupationMid", "provinceCode", "countyCode", "townshipCode", "anywhereIn", "sex", "employerKind"],
    ["deadlineTs", "ageMin", "ageMax"],
  ),
  // Candidate pools are fetched best-first by these (see match.ts).
  sortableAttributes: ["housing", "wageMonthlyMin"],
  // A hit shows its id and what ranking reads, packed (see RANKED).
  displayedAttributes: ["id", RANKED],
  facetSearch: false,
  // Words near each other in the same field rank alike: titles are a few words, and the exact
  // distance between every pair of words in every description is the index's largest structure.
  proximityPrecision: "byAttribute",
  // Short Han strings are otherwise sometimes taken for Japanese and segmented as such.
  localizedAttributes: [{ attributePatterns: VACANCY_SEARCHABLE, locales: ["cmn"] }],
  synonyms: occupationSynonyms(),
};

const WORKER_SETTINGS: Settings = {
  // Workers are found by filters only: nothing in this index is searched by words.
  searchableAttributes: [],
  filterableAttributes: filterable(
    ["id", "provinceCode", "cityCode", "countyCode", "townshipCode", "workRange", "sex", "wishedOccupations", "wishedMids", "employmentStatus", "optedOut"],
    ["birthYear", "wageFloor"],
  ),
  sortableAttributes: ["pushedBefore", "payFloor"],
  displayedAttributes: ["id", RANKED],
  facetSearch: false,
  // A vacancy with many openings is pushed to thousands: its candidate pools go past the default 1,000.
  pagination: { maxTotalHits: MAX_CANDIDATES },
};

/** Settings whose value is a set come back from Meilisearch in its own order. */
const SET_VALUED = new Set(["filterableAttributes", "sortableAttributes"]);

/** A setting's value in a form that compares equal exactly when Meilisearch would treat it the same. */
function canonical(key: string, value: unknown): string {
  const sortedKeys = (_: string, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v;
  const normalized = SET_VALUED.has(key) && Array.isArray(value) ? value.map((item) => JSON.stringify(item, sortedKeys)).sort() : value;
  return JSON.stringify(normalized ?? null, sortedKeys);
}

/** Walks the cause chain: errors thrown by a custom HTTP client reach us wrapped in a request error. */
function isIndexNotFound(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof MeilisearchApiError && cause.cause?.code === "index_not_found") return true;
  }
  return false;
}

export function createMatchingIndexes(client: Meilisearch, options: { prefix?: string } = {}): MatchingIndexes {
  const prefix = options.prefix ?? "";
  const vacancies = client.index<VacancyDocument>(`${prefix}vacancies`);
  const workers = client.index<WorkerDocument>(`${prefix}workers`);

  // Polls by itself: the client's waitForTask adds an abort listener per poll to one signal and never
  // removes it, which floods long waits with MaxListenersExceeded warnings.
  async function waitFor(tasks: EnqueuedTask | readonly EnqueuedTask[], { timeoutMs = 120_000 } = {}): Promise<void> {
    for (const { taskUid } of Array.isArray(tasks) ? tasks : [tasks]) {
      const deadline = Date.now() + timeoutMs;
      let task = await client.tasks.getTask(taskUid);
      while (task.status === "enqueued" || task.status === "processing") {
        if (Date.now() > deadline) throw new Error(`search task ${taskUid} still ${task.status} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, TASK_POLL_MS));
        task = await client.tasks.getTask(taskUid);
      }
      if (task.status !== "succeeded") {
        throw new Error(`search task ${taskUid} (${task.type} on ${task.indexUid}) ${task.status}: ${task.error?.message ?? ""}`);
      }
    }
  }

  /** Sends only the settings that differ, so that a restart with unchanged settings costs no reindexing. */
  async function ensureIndexSettings(index: Index, desired: Settings): Promise<string[]> {
    let current: Settings = {};
    try {
      current = await index.getSettings();
    } catch (error) {
      if (!isIndexNotFound(error)) throw error;
      await waitFor(await client.createIndex(index.uid, { primaryKey: "id" }));
    }
    const changed = (Object.keys(desired) as (keyof Settings)[]).filter(
      (key) => canonical(key, current[key]) !== canonical(key, desired[key]),
    );
    if (changed.length > 0) {
      await waitFor(await index.updateSettings(Object.fromEntries(changed.map((key) => [key, desired[key]]))));
    }
    return changed;
  }

  async function inBatches<T>(items: readonly T[], send: (batch: T[]) => Promise<EnqueuedTask>): Promise<EnqueuedTask[]> {
    const tasks: EnqueuedTask[] = [];
    for (let start = 0; start < items.length; start += BATCH_SIZE) tasks.push(await send(items.slice(start, start + BATCH_SIZE)));
    return tasks;
  }

  return {
    client,
    vacancies,
    workers,
    async ensureSettings() {
      return {
        vacancies: await ensureIndexSettings(vacancies, VACANCY_SETTINGS),
        workers: await ensureIndexSettings(workers, WORKER_SETTINGS),
      };
    },
    // Whole documents replace the old ones: a field that became unknown must not linger.
    upsertVacancies: (items) =>
      inBatches(items, (batch) => vacancies.addDocuments(batch.map(vacancyDocument), { primaryKey: "id" })),
    deleteVacancies: (ids) => inBatches(ids, (batch) => vacancies.deleteDocuments(batch)),
    upsertWorkers: (items) => inBatches(items, (batch) => workers.addDocuments(batch.map(workerDocument), { primaryKey: "id" })),
    deleteWorkers: (ids) => inBatches(ids, (batch) => workers.deleteDocuments(batch)),
    waitFor,
  };
}
