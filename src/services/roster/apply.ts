// The job that applies a confirmed roster import, one staged batch per transaction: the
// batch's changes, its rows taken off the stage and the import's progress commit together, so a
// process that dies resumes where the last batch ended, and no row is applied twice.
//
// A person new to the roster becomes a worker with a plan followed by their village's coordinator.
// A self-registered worker with the row's ID number joins the row: their poverty status becomes the
// roster's (what they said stays, as said), and a different name or village becomes a task for the
// coordinator, not an overwrite. A person the roster already holds gets what changed, each change on
// their timeline. When the last batch is done, people of the region the file no longer lists are
// marked as having left the roster (never deleted).
import type { Prisma, RosterImport, Tx, Worker } from "../../db/client.ts";
import { insertRows } from "../../db/insert-rows.ts";
import { uuidv7 } from "../../shared/ids.ts";
import { inTransaction, regionRange, type VerbContext } from "../context.ts";
import { activeCoordinators, nearestCoordinator, type Coordinator } from "../coordinators.ts";
import { movePlan } from "../plans.ts";
import { queueIndexing } from "../search-sync.ts";
import { recordTimelines } from "../timeline.ts";
import { compareWithRoster, type RosterComparison, type StagedBatch, type StagedRosterRow } from "./import.ts";
import { povertyOf } from "./rows.ts";

/** A run stops after this long and queues the rest as its next run: well inside the runner's lease. */
const RUN_BUDGET_MS = 30_000;

/** The roster's columns of an entry, from a staged row. */
function entryColumns(row: StagedRosterRow, importId: string) {
  const { idNumberEnc: _sealed, idNumberMasked: _masked, birthDate: _born, sex: _sex, ...columns } = row;
  return { ...columns, lastImportId: importId, leftAt: null };
}

/** The contact to reach a person by: their own phone, else the household's (a family often shares one). */
function contactPhone(row: StagedRosterRow) {
  return row.phoneHash
    ? { phoneEnc: row.phoneEnc, phoneHash: row.phoneHash, phoneMasked: row.phoneMasked }
    : { phoneEnc: row.householdPhoneEnc, phoneHash: row.householdPhoneHash, phoneMasked: row.householdPhoneMasked };
}

type TimelineRow = Parameters<typeof recordTimelines>[1][number];

const TEXT_LIST = { sql: "'{}'::text[]" };
const WORKER_COLUMNS = {
  id: "text", name: "text", idNumberEnc: "text", idNumberHash: "text", idNumberMasked: "text", birthDate: "date", sex: '"Sex"',
  phoneEnc: "text", phoneHash: "text", phoneMasked: "text", householdId: "text", homeRegionCode: "text", povertyStatus: '"PovertyStatus"',
  povertyConfirmedAt: "timestamptz", education: "text", registeredVia: "text", createdAt: "timestamptz", updatedAt: "timestamptz",
  categories: TEXT_LIST, skills: TEXT_LIST, wishedOccupations: TEXT_LIST,
} as const;
const PLAN_COLUMNS = { id: "text", workerId: "text", coordinatorId: "text", regionCode: "text", openedAt: "timestamptz", goals: { sql: `'[{"kind":"work","status":"open"}]'::jsonb` } } as const;
const HOUSEHOLD_COLUMNS = { id: "text", registryNo: "text", regionCode: "text", povertyStatus: '"PovertyStatus"', createdAt: "timestamptz", categories: TEXT_LIST } as const;
const ENTRY_COLUMNS = {
  id: "text", personNo: "text", idNumberHash: "text", householdNo: "text", regionCode: "text", name: "text", relation: "text", education: "text",
  health: "text", labourSkill: "text", householdType: "text", monitoringType: "text", riskCleared: "boolean", phoneEnc: "text", phoneHash: "text",
  phoneMasked: "text", householdPhoneEnc: "text", householdPhoneHash: "text", householdPhoneMasked: "text", workerId: "text", lastImportId: "text",
  createdAt: "timestamptz", updatedAt: "timestamptz",
} as const;

/** People new to the service: a worker each, their household, a plan with their village's coordinator. */
async function addPeople(tx: Tx, rows: StagedRosterRow[], importId: string, coordinators: Coordinator[], now: Date, timeline: TimelineRow[]) {
  if (rows.length === 0) return;
  const householdNos = [...new Set(rows.flatMap((row) => (row.householdNo ? [row.householdNo] : [])))];
  const households = new Map((await tx.household.findMany({ where: { registryNo: { in: householdNos } }, select: { id: true, registryNo: true } })).map((household) => [household.registryNo!, household.id]));
  const newHouseholds = householdNos.filter((number) => !households.has(number)).map((number) => {
    const first = rows.find((row) => row.householdNo === number)!;
    const id = uuidv7();
    households.set(number, id);
    return { id, registryNo: number, regionCode: first.regionCode, povertyStatus: povertyOf(first.householdType), createdAt: now };
  });
  await insertRows(tx, "Household", HOUSEHOLD_COLUMNS, newHouseholds);
  const workers = rows.map((row) => ({
    id: uuidv7(),
    name: row.name,
    idNumberEnc: row.idNumberEnc,
    idNumberHash: row.idNumberHash,
    idNumberMasked: row.idNumberMasked,
    birthDate: row.birthDate,
    sex: row.sex,
    ...contactPhone(row),
    householdId: row.householdNo ? households.get(row.householdNo)! : null,
    homeRegionCode: row.regionCode,
    povertyStatus: povertyOf(row.householdType),
    povertyConfirmedAt: now,
    education: row.education,
    registeredVia: "roster",
    createdAt: now,
    updatedAt: now,
  }));
  await insertRows(tx, "Worker", WORKER_COLUMNS, workers);
  await insertRows(
    tx,
    "AssistancePlan",
    PLAN_COLUMNS,
    workers.map((worker) => ({ id: uuidv7(), workerId: worker.id, coordinatorId: nearestCoordinator(coordinators, worker.homeRegionCode)?.id ?? null, regionCode: worker.homeRegionCode, openedAt: now })),
  );
  await insertRows(tx, "RosterEntry", ENTRY_COLUMNS, rows.map((row, at) => ({ id: uuidv7(), ...entryColumns(row, importId), workerId: workers[at]!.id, createdAt: now, updatedAt: now })));
  for (const worker of workers) timeline.push({ identityId: null, workerId: worker.id, kind: "registry_update", data: { change: "added", importId } });
}

/** Self-registered workers the roster names: joined to their row, the status theirs by the roster's word. */
async function joinWorkers(tx: Tx, pairs: [StagedRosterRow, Worker][], importId: string, now: Date, timeline: TimelineRow[]) {
  for (const [row, worker] of pairs) {
    const differs = [...(worker.name !== row.name ? ["name"] : []), ...(worker.homeRegionCode && worker.homeRegionCode !== row.regionCode ? ["regionCode"] : [])];
    await tx.rosterEntry.create({ data: { id: uuidv7(), ...entryColumns(row, importId), workerId: worker.id, createdAt: now } });
    await tx.worker.update({
      where: { id: worker.id },
      data: {
        povertyStatus: povertyOf(row.householdType),
        povertyConfirmedAt: now,
        ...(worker.povertyConfirmedAt ? {} : { declaredPovertyStatus: worker.povertyStatus }),
        ...(worker.homeRegionCode ? {} : { homeRegionCode: row.regionCode }),
        ...(worker.phoneHash ? {} : contactPhone(row)),
        ...(worker.education ? {} : { education: row.education }),
      },
    });
    if (differs.length > 0) {
      // Which record is right is for a person to find out: the coordinator calls.
      const plan = await tx.assistancePlan.findUnique({ where: { workerId: worker.id }, select: { id: true } });
      await tx.planTask.create({
        data: { planId: plan?.id ?? null, regionCode: worker.homeRegionCode ?? row.regionCode, kind: "registry_conflict", dueAt: now, createdAt: now, note: `名单上是${row.name}（${row.regionCode}），登记的是${worker.name}（${worker.homeRegionCode ?? "未填"}）` },
      });
    }
    // A worker who came by the chat is in the search index, which filters on the status and place.
    await queueIndexing(tx, "worker", worker.id);
    timeline.push({ identityId: null, workerId: worker.id, kind: "registry_update", data: { change: "joined", importId, ...(differs.length > 0 ? { differs } : {}) } });
  }
}

/** People the roster holds, as a newer file says them: what changed, on the entry, the worker and the timeline. */
async function updatePeople(tx: Tx, changes: RosterComparison["changed"], importId: string, now: Date, timeline: TimelineRow[]) {
  if (changes.length === 0) return;
  const workers = new Map((await tx.worker.findMany({ where: { id: { in: changes.map(({ entry }) => entry.workerId) } } })).map((worker) => [worker.id, worker]));
  for (const { row, entry, fields } of changes) {
    await tx.rosterEntry.update({ where: { id: entry.id }, data: entryColumns(row, importId) });
    const worker = workers.get(entry.workerId);
    if (!worker || worker.erasedAt) continue;
    // What the worker has as the roster had it follows the roster; what they or a coordinator changed since stays theirs.
    const moved = worker.homeRegionCode === entry.regionCode && row.regionCode !== entry.regionCode;
    await tx.worker.update({
      where: { id: worker.id },
      data: {
        povertyStatus: povertyOf(row.householdType),
        povertyConfirmedAt: now,
        ...(moved ? { homeRegionCode: row.regionCode } : {}),
        ...(worker.name === entry.name ? { name: row.name } : {}),
        ...(worker.phoneHash === null || worker.phoneHash === (entry.phoneHash ?? entry.householdPhoneHash) ? contactPhone(row) : {}),
      },
    });
    if (moved) await movePlan(tx, worker.id, row.regionCode);
    // People only the roster knows are not searched for (no channel reaches them yet); the others are.
    if (worker.registeredVia !== "roster") await queueIndexing(tx, "worker", worker.id);
    timeline.push({ identityId: null, workerId: worker.id, kind: "registry_update", data: { change: "updated", importId, fields } });
  }
}

/** One staged batch: its rows applied, taken off the stage, and counted; false when the import has none left (or is not running). */
async function applyBatch(ctx: VerbContext & { db: Tx }, importId: string): Promise<boolean> {
  const tx = ctx.db;
  // One batch at a time per import, whichever process runs it.
  const [locked] = await tx.$queryRawUnsafe<{ status: string }[]>(`SELECT status::text FROM "RosterImport" WHERE id = $1 FOR UPDATE`, importId);
  if (locked?.status !== "running") return false;
  const staged = await tx.rosterImportBatch.findFirst({ where: { importId }, orderBy: { firstLine: "asc" } });
  if (!staged) {
    await finish(ctx, await tx.rosterImport.findUniqueOrThrow({ where: { id: importId } }));
    return false;
  }
  const now = ctx.clock();
  const rows = (staged.rows as unknown as StagedBatch).map((staged) => staged.row);
  const { fresh, changed, unchanged } = await compareWithRoster(tx, rows);
  const registered = new Map(
    fresh.length === 0 ? [] : (await tx.worker.findMany({ where: { idNumberHash: { in: fresh.map((row) => row.idNumberHash) } } })).map((worker) => [worker.idNumberHash!, worker]),
  );
  const timeline: TimelineRow[] = [];
  const coordinators = await activeCoordinators(tx);
  await addPeople(tx, fresh.filter((row) => !registered.has(row.idNumberHash)), importId, coordinators, now, timeline);
  await joinWorkers(tx, fresh.flatMap((row) => (registered.has(row.idNumberHash) ? [[row, registered.get(row.idNumberHash)!] as [StagedRosterRow, Worker]] : [])), importId, now, timeline);
  await updatePeople(tx, changed, importId, now, timeline);
  if (unchanged.length > 0) await tx.rosterEntry.updateMany({ where: { id: { in: unchanged.map((entry) => entry.id) } }, data: { lastImportId: importId } });
  await recordTimelines(tx, timeline, now);
  await tx.rosterImportBatch.delete({ where: { importId_firstLine: { importId, firstLine: staged.firstLine } } });
  await tx.rosterImport.update({
    where: { id: importId },
    data: { rowsDone: { increment: rows.length }, new: { increment: fresh.length }, changed: { increment: changed.length }, unchanged: { increment: unchanged.length } },
  });
  return true;
}

/** The import's end: the people of its region the file did not list have left the roster. */
async function finish(ctx: VerbContext & { db: Tx }, done: RosterImport) {
  const now = ctx.clock();
  const gone = await ctx.db.rosterEntry.findMany({
    where: { regionCode: regionRange(done.regionCode), lastImportId: { not: done.id }, leftAt: null },
    select: { id: true, workerId: true },
  });
  if (gone.length > 0) {
    await ctx.db.rosterEntry.updateMany({ where: { id: { in: gone.map((entry) => entry.id) } }, data: { leftAt: now } });
    await recordTimelines(ctx.db, gone.map((entry) => ({ identityId: null, workerId: entry.workerId, kind: "registry_update", data: { change: "left", importId: done.id } as Prisma.InputJsonValue })), now);
  }
  await ctx.db.rosterImport.update({ where: { id: done.id }, data: { status: "done", left: gone.length, finishedAt: now } });
  ctx.log.info({ importId: done.id, region: done.regionCode, rows: done.rowsDone, new: done.new, changed: done.changed, unchanged: done.unchanged, left: gone.length }, "roster import done");
}

/**
 * The job: batches until the import is done, or until this run's time is up — then the rest is
 * queued as the next run, so no run outlives the runner's lease on it.
 */
export async function applyRosterImport(ctx: VerbContext, importId: string, options: { budgetMs?: number } = {}): Promise<void> {
  const started = Date.now();
  while (await inTransaction(ctx, (tx) => applyBatch(tx, importId))) {
    if (Date.now() - started > (options.budgetMs ?? RUN_BUDGET_MS)) {
      await ctx.queue("roster.import", { importId });
      return;
    }
  }
}

/** The job gave up (its last attempt failed): the import says so; what it applied stays applied. */
export async function rosterImportFailed(ctx: VerbContext, importId: string): Promise<void> {
  await ctx.db.rosterImport.updateMany({ where: { id: importId, status: "running" }, data: { status: "failed", finishedAt: ctx.clock() } });
}
