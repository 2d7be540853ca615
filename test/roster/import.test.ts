// A county's roster imported as the verbs do it, on a real database: a dry run that writes nothing,
// a staged import (personal data sealed) applied by the job batch by batch — resumable, idempotent —
// the self-registered joined by ID number (a conflict a task, not an overwrite), and a newer file
// that changes only what changed and marks who left.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextFor, SERVICE, type OperatorActor } from "../../src/services/context.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { applyRosterImport } from "../../src/services/roster/apply.ts";
import { checkRoster, rosterImportStatus, stageRoster, startRosterImport } from "../../src/services/roster/import.ts";
import { createWorker } from "../../src/services/workers.ts";
import { readCsv } from "../../src/shared/csv.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
const sample = readCsv(readFileSync(new URL("../fixtures/registry-sample.csv", import.meta.url)));
const header = sample[0]!;
const column = (name: string) => header.indexOf(name);
const official: OperatorActor = { kind: "operator", id: "official-3506", name: "漳州市人社局", role: "countyOfficial", regionCodes: ["3506"] };
const ctx = () => contextFor(h.deps, official);
const rowsOf = (lines: string[][]) => (async function* () { yield* lines; })();
const file = (lines: string[][], region = "3506", batchRows?: number) => ({ region, rows: rowsOf(lines), fileName: "名单.csv", batchRows });

async function importAll(lines: string[][], batchRows?: number) {
  const staged = await stageRoster(ctx(), file(lines, "3506", batchRows));
  await startRosterImport(ctx(), { importId: staged.importId });
  await applyRosterImport(contextFor(h.deps, SERVICE), staged.importId);
  return { staged, done: await rosterImportStatus(ctx(), { importId: staged.importId }) };
}

const events = (change: string) => h.deps.prisma.planEvent.count({ where: { kind: "registry_update", data: { path: ["change"], equals: change } } });

beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("importing a county's roster", () => {
  it("checks a file in a dry run: counts and refusals by line, and nothing written", async () => {
    const check = await checkRoster(ctx(), file(sample));
    expect(check).toMatchObject({ rows: 44, new: 40, changed: 0, unchanged: 0, refusedNotListed: 0 });
    expect(check.refused.map((row) => row.line)).toEqual([42, 43, 44, 45]);
    expect(await h.deps.prisma.rosterImport.count()).toBe(0);
    expect(await h.deps.prisma.worker.count({ where: { registeredVia: "roster" } })).toBe(0);
    // Only a county or city within the caller's regions; a file without the columns that say who and where, refused whole.
    await expect(checkRoster(contextFor(h.deps, { ...official, regionCodes: ["350622"] }), file(sample))).rejects.toMatchObject({ code: "forbidden" });
    await expect(checkRoster(ctx(), file(sample, "350622101"))).rejects.toMatchObject({ code: "validation_failed" });
    await expect(checkRoster(ctx(), file([["姓名", "民族"], ["甲", "汉"]]))).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("证件号码") });
    await expect(checkRoster(contextFor(h.deps, { ...official, role: "coordinator" }), file(sample))).rejects.toMatchObject({ code: "forbidden" });
  });

  it("applies a confirmed import batch by batch, resuming where a run stopped; the self-registered join their row", async () => {
    const coordinator = await h.operator("coordinator", ["350622101"]);
    const row = (at: number) => sample[at]!;
    // Two people registered themselves in the chat: one as the roster says, one under another name and village.
    const same = await createWorker(h.deps, { name: row(1)[column("姓名")]!, idNumber: row(1)[column("证件号码")]!, homeRegionCode: "350622101204", povertyStatus: "registered", registeredVia: "sms" });
    const other = await createWorker(h.deps, { name: "戴文", idNumber: row(2)[column("证件号码")]!, homeRegionCode: "350622101201", povertyStatus: "unknown", registeredVia: "sms" });

    // Their index jobs done, so that a job pending later is the import's.
    await h.deps.prisma.job.updateMany({ where: { key: { in: [same.id, other.id].map((id) => `index:worker:${id}`) } }, data: { status: "done" } });
    const staged = await stageRoster(ctx(), file(sample, "3506", 7));
    expect(staged).toMatchObject({ new: 40, refused: [{ line: 42 }, { line: 43 }, { line: 44 }, { line: 45 }] });
    // Staged rows hold no ID number or phone in clear.
    const stagedText = JSON.stringify(await h.deps.prisma.rosterImportBatch.findMany({ where: { importId: staged.importId } }));
    expect(stagedText).not.toContain(row(1)[column("证件号码")]!);
    expect(stagedText).not.toContain(row(1)[column("人联系电话")]!);
    expect(await rosterImportStatus(ctx(), { importId: staged.importId })).toMatchObject({ status: "staged", rowsTotal: 40, rowsDone: 0 });
    expect(await h.deps.prisma.worker.count({ where: { registeredVia: "roster" } })).toBe(0); // nothing until confirmed

    await startRosterImport(ctx(), { importId: staged.importId });
    await expect(startRosterImport(ctx(), { importId: staged.importId })).rejects.toMatchObject({ code: "conflict" });
    expect(await h.deps.prisma.job.findUnique({ where: { key: `roster:import:${staged.importId}` } })).toMatchObject({ status: "pending" });
    // A run that stops after its first batch of 7 (its time up) has applied those and queued the rest.
    await applyRosterImport(contextFor(h.deps, SERVICE), staged.importId, { budgetMs: -1 });
    expect(await rosterImportStatus(ctx(), { importId: staged.importId })).toMatchObject({ status: "running", rowsDone: 7 });
    await applyRosterImport(contextFor(h.deps, SERVICE), staged.importId);
    const done = await rosterImportStatus(ctx(), { importId: staged.importId });
    expect(done).toMatchObject({ status: "done", rowsDone: 40, new: 40, changed: 0, unchanged: 0, left: 0 });
    expect(await h.deps.prisma.rosterImportBatch.count({ where: { importId: staged.importId } })).toBe(0);

    expect(await h.deps.prisma.rosterEntry.count()).toBe(40);
    expect(await h.deps.prisma.worker.count({ where: { registeredVia: "roster" } })).toBe(38);
    const imported = await h.deps.prisma.worker.findFirstOrThrow({ where: { name: row(3)[column("姓名")]!, registeredVia: "roster" }, include: { plan: true, household: true, rosterEntry: true } });
    expect(imported).toMatchObject({ homeRegionCode: "350622101204", povertyStatus: "lifted", idNumberMasked: expect.stringMatching(/^350622\*+\d{3}[\dX]$/) });
    expect(imported.povertyConfirmedAt).not.toBeNull();
    expect(imported.plan).toMatchObject({ coordinatorId: coordinator.id, regionCode: "350622101204" });
    expect(imported.household?.registryNo).toBe(row(3)[column("户编号")]);
    expect(imported.rosterEntry).toMatchObject({ personNo: row(3)[column("人编号")], householdType: "脱贫户", leftAt: null });
    // One household, however many of its members the file lists.
    expect(await h.deps.prisma.household.count({ where: { registryNo: row(1)[column("户编号")]! } })).toBe(1);

    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: same.id } })).toMatchObject({ povertyStatus: "lifted", declaredPovertyStatus: "registered", name: row(1)[column("姓名")] });
    // The search index hears of the joined worker's new status; people only the roster knows are not indexed.
    expect(await h.deps.prisma.job.findUnique({ where: { key: `index:worker:${same.id}` } })).toMatchObject({ status: "pending" });
    expect(await h.deps.prisma.job.count({ where: { key: `index:worker:${imported.id}` } })).toBe(0);
    // The other record keeps its name and village; the coordinator is asked to find out which is right.
    expect(await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ name: "戴文", homeRegionCode: "350622101201", povertyStatus: "lifted", declaredPovertyStatus: "unknown" });
    const task = await h.deps.prisma.planTask.findFirstOrThrow({ where: { kind: "registry_conflict" } });
    expect(task.note).toContain(row(2)[column("姓名")]!);
    expect(await h.deps.prisma.planTask.count({ where: { kind: "registry_conflict" } })).toBe(1);
    expect(await events("added")).toBe(38);
    expect(await events("joined")).toBe(2);
  });

  it("changes nothing when the same file comes again", async () => {
    const before = await h.deps.prisma.planEvent.count();
    const workers = await h.deps.prisma.worker.findMany({ orderBy: { id: "asc" } });
    const { staged, done } = await importAll(sample);
    expect(staged).toMatchObject({ new: 0, changed: 0, unchanged: 40 });
    expect(done).toMatchObject({ status: "done", new: 0, changed: 0, unchanged: 40, left: 0 });
    expect(await h.deps.prisma.planEvent.count()).toBe(before);
    expect(await h.deps.prisma.worker.findMany({ orderBy: { id: "asc" } })).toEqual(workers);
  });

  it("takes from a newer file what changed, each change on the person's timeline, and marks who is no longer on it", async () => {
    const newer = sample.map((cells) => [...cells]);
    const changedRow = newer[5]!;
    changedRow[column("户类型")] = "监测户";
    changedRow[column("监测对象类型")] = "突发严重困难户";
    changedRow[column("人联系电话")] = "13912345678";
    const dropped = newer.splice(6, 1)[0]!;
    // Checked, the file says who it would take off the roster before anyone is.
    const checked = await stageRoster(ctx(), file(newer, "3506"));
    expect(await rosterImportStatus(ctx(), { importId: checked.importId })).toMatchObject({ status: "staged", leaving: 1 });
    const { staged, done } = await importAll(newer, 10);
    expect(staged).toMatchObject({ new: 0, changed: 1, unchanged: 38 });
    expect(done).toMatchObject({ status: "done", new: 0, changed: 1, unchanged: 38, left: 1 });

    const changed = await h.deps.prisma.worker.findFirstOrThrow({ where: { rosterEntry: { personNo: changedRow[column("人编号")]! } } });
    expect(changed).toMatchObject({ povertyStatus: "monitored", phoneMasked: "139****5678" });
    const update = await h.deps.prisma.planEvent.findFirstOrThrow({ where: { workerId: changed.id, kind: "registry_update", data: { path: ["change"], equals: "updated" } } });
    expect(update.data).toMatchObject({ fields: ["householdType", "monitoringType", "phoneHash"] });
    expect(JSON.stringify(update.data)).not.toContain("13912345678");

    const gone = await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { personNo: dropped[column("人编号")]! } });
    expect(gone.leftAt).not.toBeNull();
    expect(await h.deps.prisma.worker.count({ where: { id: gone.workerId } })).toBe(1); // never deleted
    expect(await events("left")).toBe(1);

    // Listed again later: back on the roster, as a change.
    const again = await importAll(sample);
    expect(again.done).toMatchObject({ changed: 2, left: 0 });
    expect((await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { personNo: dropped[column("人编号")]! } })).leftAt).toBeNull();
  });

  it("says an import failed when the job gives it up, and keeps what was applied", async () => {
    const staged = await stageRoster(ctx(), file(sample));
    await startRosterImport(ctx(), { importId: staged.importId });
    // A staged row the database refuses (a village no entry can hold) fails every attempt.
    await h.deps.sql.query(`UPDATE "RosterImportBatch" SET rows = jsonb_set(rows, '{0,row,regionCode}', 'null') WHERE "importId" = $1`, [staged.importId]);
    await createJobRunner({ deps: h.deps, maxAttempts: 1 }).runOnce();
    expect(await rosterImportStatus(ctx(), { importId: staged.importId })).toMatchObject({ status: "failed", rowsDone: 0 });
    expect((await h.deps.prisma.job.findUniqueOrThrow({ where: { key: `roster:import:${staged.importId}` } })).status).toBe("failed");
  });

  it("lets a checked file that is never confirmed go after a day, its sealed rows with it", async () => {
    const forgotten = await stageRoster(ctx(), file(sample));
    expect(await h.deps.prisma.rosterImportBatch.count({ where: { importId: forgotten.importId } })).toBeGreaterThan(0);
    h.clock.advance(25 * 3600 * 1000);
    await stageRoster(contextFor(h.deps, { ...official, regionCodes: ["3505"] }), file([header], "3505"));
    expect(await rosterImportStatus(ctx(), { importId: forgotten.importId })).toMatchObject({ status: "discarded" });
    expect(await h.deps.prisma.rosterImportBatch.count({ where: { importId: forgotten.importId } })).toBe(0);
    await expect(startRosterImport(ctx(), { importId: forgotten.importId })).rejects.toMatchObject({ code: "conflict" });
  });

  it("lists the first thousand refused rows and counts the rest", async () => {
    const wrong = Array.from({ length: 1003 }, () => ["云霄县", "莆美镇", "中柱村", "", "", "某人", "350622199001011231"]);
    const check = await checkRoster(ctx(), file([["县(市、区、旗)", "乡(镇)", "行政村", "户编号", "人编号", "姓名", "证件号码"], ...wrong]));
    expect(check).toMatchObject({ rows: 1003, refusedNotListed: 3 });
    expect(check.refused).toHaveLength(1000);
    expect(check.refused.at(-1)).toEqual({ line: 1001, reason: expect.stringContaining("校验位") });
  });
});
