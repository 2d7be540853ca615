// Keeping the search indexes in step with the database. The database is the source of truth: a
// change queues an index job in the same transaction (so it cannot be lost), and the job runner
// pushes the row's current state to Meilisearch, retrying while the engine is down.
import type { Db } from "../db/client.ts";
import type { MatchingIndexes } from "../../matching/indexes.ts";
import type { VacancyForIndex, WorkerForIndex } from "../../matching/documents.ts";
import type { Prisma } from "../db/client.ts";
import { queueJob } from "../queue/queue.ts";
import { placeNames } from "./region-lookup.ts";

export type IndexedKind = "vacancy" | "worker";

/** Queues (or re-queues) the indexing of one row: one pending job per row, whatever the changes. */
export async function queueIndexing(db: Db, kind: IndexedKind, id: string): Promise<void> {
  await queueJob(db, kind === "vacancy" ? "index.vacancy" : "index.worker", { id });
}

const vacancyRows = (db: Db, where: Prisma.VacancyWhereInput, take?: number) =>
  db.vacancy.findMany({ where, orderBy: { id: "asc" }, ...(take ? { take } : {}), include: { employer: { select: { kind: true } } } });

type VacancyRow = Awaited<ReturnType<typeof vacancyRows>>[number];

export function vacancyForIndex(row: VacancyRow, placeName?: string): VacancyForIndex {
  return { ...row, employerKind: row.employer?.kind ?? null, placeName: placeName ?? null };
}

/** The rows as indexed, with the names of the cities and provinces that are all some of them say of their place. */
async function vacanciesForIndex(db: Db, rows: readonly VacancyRow[]): Promise<VacancyForIndex[]> {
  const coarse = rows.map((row) => (row.regionCode && row.regionCode.length < 6 ? row.regionCode : null));
  const names = coarse.some(Boolean) ? await placeNames(db, coarse) : new Map<string, string>();
  return rows.map((row) => vacancyForIndex(row, names.get(row.regionCode ?? "")));
}

/** Workers as matching sees them: an erased worker is nobody's candidate (their document is removed). */
const workerRows = (db: Db, where: Prisma.WorkerWhereInput, take?: number) =>
  db.worker.findMany({
    where: { ...where, erasedAt: null },
    orderBy: { id: "asc" },
    ...(take ? { take } : {}),
    include: { identities: { select: { optedOutAt: true } }, events: { where: { kind: "push" }, select: { id: true }, take: 1 } },
  });

export function workerForIndex(row: Awaited<ReturnType<typeof workerRows>>[number]): WorkerForIndex {
  // Opt-out is per channel: a worker is out of pushes only when no channel of theirs takes them.
  return { ...row, optedOut: row.identities.length > 0 && row.identities.every((identity) => identity.optedOutAt !== null), pushedBefore: row.events.length > 0 };
}

/** Pushes the rows' current state to their index, and removes those that are gone: one search
 * task of each sort for all of them, waited for once. */
export async function syncRows(db: Db, indexes: MatchingIndexes, kind: IndexedKind, ids: readonly string[]): Promise<void> {
  const wanted = [...new Set(ids)];
  const tasks = [];
  if (kind === "vacancy") {
    const rows = await vacancyRows(db, { id: { in: wanted } });
    const gone = wanted.filter((id) => !rows.some((row) => row.id === id));
    if (rows.length > 0) tasks.push(...(await indexes.upsertVacancies(await vacanciesForIndex(db, rows))));
    if (gone.length > 0) tasks.push(...(await indexes.deleteVacancies(gone)));
  } else {
    const rows = await workerRows(db, { id: { in: wanted } });
    const gone = wanted.filter((id) => !rows.some((row) => row.id === id));
    if (rows.length > 0) tasks.push(...(await indexes.upsertWorkers(rows.map(workerForIndex))));
    if (gone.length > 0) tasks.push(...(await indexes.deleteWorkers(gone)));
  }
  await indexes.waitFor(tasks);
}

/**
 * The settings that name document fields. Documents and settings are shaped together (matching/), so
 * a new sort or filter names a field that the documents indexed before it lack, and Meilisearch
 * would sort or filter them as if it were missing: when one of these changes, the documents are
 * rebuilt from the database as well.
 */
const FIELD_SETTINGS: readonly string[] = ["filterableAttributes", "sortableAttributes", "searchableAttributes", "displayedAttributes"];

/** Brings the index settings up to date at start, and the documents with them when their fields changed. */
export async function applyIndexSettings(db: Db, indexes: MatchingIndexes): Promise<void> {
  const changed = await indexes.ensureSettings();
  if ([...changed.vacancies, ...changed.workers].some((setting) => FIELD_SETTINGS.includes(setting))) await indexAllRows(db, indexes);
}

/** Rebuilds both indexes from the database, page by page (`npm run reindex`). */
export async function reindexAll(db: Db, indexes: MatchingIndexes, pageSize = 5_000): Promise<{ vacancies: number; workers: number }> {
  await indexes.ensureSettings();
  return indexAllRows(db, indexes, pageSize);
}

/** Every vacancy and worker sent to its index as it stands, page by page; the settings are the caller's. */
async function indexAllRows(db: Db, indexes: MatchingIndexes, pageSize = 5_000): Promise<{ vacancies: number; workers: number }> {
  let vacancies = 0;
  for (let after = ""; ; ) {
    const page = await vacancyRows(db, { id: { gt: after } }, pageSize);
    if (page.length === 0) break;
    await indexes.waitFor(await indexes.upsertVacancies(await vacanciesForIndex(db, page)));
    vacancies += page.length;
    after = page.at(-1)!.id;
  }
  let workers = 0;
  for (let after = ""; ; ) {
    const page = await workerRows(db, { id: { gt: after } }, pageSize);
    if (page.length === 0) break;
    await indexes.waitFor(await indexes.upsertWorkers(page.map(workerForIndex)));
    workers += page.length;
    after = page.at(-1)!.id;
  }
  return { vacancies, workers };
}
