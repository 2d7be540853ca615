// A county's roster file, from upload to the job that applies it: every row checked and compared
// with what the roster holds (new, changed, unchanged, refused with its line and reason); a dry run
// stops there and writes nothing. An import stages the good rows — ID numbers and phones sealed —
// in the database, so that whichever process runs the job can resume it after a restart; it starts
// when the operator confirms (the console shows the dry run first; the API's import confirms at once).
import type { Db, Prisma, RosterEntry, RosterImport } from "../../db/client.ts";
import { conflict, invalid, notFound } from "../../shared/errors.ts";
import { REGION_CODE } from "../../shared/identifiers.ts";
import { maskIdNumber, maskPhone } from "../../shared/masking.ts";
import type { PiiProtector } from "../../shared/pii.ts";
import { audit, canSeeRegion, inScope, OFFICIALS, regionRange, regionScope, requireRegion, verb, type VerbContext } from "../context.ts";
import { mapColumns, missingColumns, type RosterField } from "./columns.ts";
import { RosterRowChecker, rosterPlaces, type RosterRow } from "./rows.ts";

/** Rows compared with the roster, and staged (and later applied), this many at a time. */
const BATCH = 1000;
/** How long a checked file waits for its confirmation. */
const STAGED_FOR_MS = 24 * 3600 * 1000;
/** More refusals than this are counted, not listed: a file in the wrong layout refuses every row. */
const MOST_REFUSALS_LISTED = 1000;

/** A roster row as staged and as the roster keeps it: the ID number and phones sealed, hashed and masked. */
export type StagedRosterRow = Omit<RosterRow, "idNumber" | "phone" | "householdPhone"> & {
  /** null only while a dry run compares (it seals nothing) */
  idNumberEnc: string | null;
  idNumberHash: string;
  idNumberMasked: string;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMasked: string | null;
  householdPhoneEnc: string | null;
  householdPhoneHash: string | null;
  householdPhoneMasked: string | null;
};

/** A staged batch: its rows with their lines in the file. */
export type StagedBatch = { line: number; row: StagedRosterRow }[];

/** What a newer file may change about a person, compared one by one (each change on their timeline). */
export const COMPARED_FIELDS = [
  "personNo",
  "householdNo",
  "regionCode",
  "name",
  "relation",
  "education",
  "health",
  "labourSkill",
  "householdType",
  "monitoringType",
  "riskCleared",
  "phoneHash",
  "householdPhoneHash",
] as const satisfies readonly (keyof StagedRosterRow & keyof RosterEntry)[];

export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** The fields a row changes of the roster's entry for the person (none: unchanged). A person the file lists again after they left it is changed too. */
function changedFields(entry: Pick<RosterEntry, ComparedField | "leftAt">, row: StagedRosterRow): (ComparedField | "leftAt")[] {
  const changed: (ComparedField | "leftAt")[] = COMPARED_FIELDS.filter((field) => (entry[field] ?? null) !== (row[field] ?? null));
  return entry.leftAt ? [...changed, "leftAt"] : changed;
}

/** A checked row as staged: sealed, hashed, masked. A dry run only compares, and leaves the sealing out (`encrypt` false). */
function sealRow(pii: PiiProtector, row: RosterRow, encrypt: boolean): StagedRosterRow {
  const seal = (value: string) => (encrypt ? pii.encrypt(value) : null);
  const phone = (value: string | null) => (value ? { enc: seal(value), hash: pii.hash("phone", value), masked: maskPhone(value) } : { enc: null, hash: null, masked: null });
  const { idNumber, phone: ownPhone, householdPhone, ...rest } = row;
  const own = phone(ownPhone);
  const household = phone(householdPhone);
  return {
    ...rest,
    idNumberEnc: seal(idNumber),
    idNumberHash: pii.hash("id", idNumber),
    idNumberMasked: maskIdNumber(idNumber),
    phoneEnc: own.enc,
    phoneHash: own.hash,
    phoneMasked: own.masked,
    householdPhoneEnc: household.enc,
    householdPhoneHash: household.hash,
    householdPhoneMasked: household.masked,
  };
}

/** The rows beside what the roster holds: the people new to it, those it holds with what changed, and those it holds as they are. */
export interface RosterComparison {
  fresh: StagedRosterRow[];
  changed: { row: StagedRosterRow; entry: RosterEntry; fields: (ComparedField | "leftAt")[] }[];
  unchanged: RosterEntry[];
}

/** Each row beside the roster's entry for its person: by 人编号 where a row has one, else (and also) by ID number. */
export async function compareWithRoster(db: Db, rows: readonly StagedRosterRow[]): Promise<RosterComparison> {
  const personNos = rows.flatMap((row) => (row.personNo ? [row.personNo] : []));
  const entries = await db.rosterEntry.findMany({ where: { OR: [{ personNo: { in: personNos } }, { idNumberHash: { in: rows.map((row) => row.idNumberHash) } }] } });
  const byPersonNo = new Map(entries.flatMap((entry) => (entry.personNo ? [[entry.personNo, entry]] : [])));
  const byId = new Map(entries.map((entry) => [entry.idNumberHash, entry]));
  const comparison: RosterComparison = { fresh: [], changed: [], unchanged: [] };
  for (const row of rows) {
    const entry = (row.personNo ? byPersonNo.get(row.personNo) : undefined) ?? byId.get(row.idNumberHash);
    if (!entry) {
      comparison.fresh.push(row);
      continue;
    }
    const fields = changedFields(entry, row);
    if (fields.length > 0) comparison.changed.push({ row, entry, fields });
    else comparison.unchanged.push(entry);
  }
  return comparison;
}

export interface RosterCheck {
  /** the file's rows under its header */
  rows: number;
  new: number;
  changed: number;
  unchanged: number;
  refused: { line: number; reason: string }[];
  /** refusals beyond those listed */
  refusedNotListed: number;
}

export interface RosterFile {
  /** the county or city the file covers */
  region: string;
  /** the spreadsheet's rows in order, the header first; an empty row as [] */
  rows: AsyncIterable<string[]>;
  /** the file's own header names for the roster's fields, where they are not the known ones */
  mapping?: Readonly<Record<string, RosterField>> | undefined;
  fileName?: string | undefined;
  /** rows per staged batch, the job applying one batch per transaction (1000) */
  batchRows?: number | undefined;
}

/** Who may import a region's roster: a county official or an administrator, for a county or city in their regions. */
function requireImportRegion(ctx: VerbContext, region: string) {
  if (!REGION_CODE.test(region) || (region.length !== 4 && region.length !== 6)) throw invalid("region: the county (6 digits) or city (4 digits) the file covers", { fields: ["region"] });
  requireRegion(ctx.actor, region);
}

/**
 * Reads a roster file through: each row checked, sealed and compared with the roster, handed on a
 * batch at a time (`each`), refusals collected with their line (the header is line 1).
 */
async function readRoster(ctx: VerbContext, file: RosterFile, each?: (rows: StagedRosterRow[], lines: number[]) => Promise<void>): Promise<RosterCheck> {
  const places = await ctx.db.region.findMany({ where: { code: regionRange(file.region), level: { gte: 3 } }, select: { code: true, name: true, level: true } });
  if (places.length === 0) throw invalid(`region ${file.region} is not a county or city code`, { fields: ["region"] });
  const checker = new RosterRowChecker(rosterPlaces(file.region, places), ctx.clock());
  const check: RosterCheck = { rows: 0, new: 0, changed: 0, unchanged: 0, refused: [], refusedNotListed: 0 };
  let columns: (RosterField | undefined)[] | undefined;
  let line = 0;
  let batch: StagedRosterRow[] = [];
  let lines: number[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const { fresh, changed, unchanged } = await compareWithRoster(ctx.db, batch);
    check.new += fresh.length;
    check.changed += changed.length;
    check.unchanged += unchanged.length;
    await each?.(batch, lines);
    batch = [];
    lines = [];
  };
  for await (const cells of file.rows) {
    line++;
    if (!columns) {
      if (cells.length === 0) throw invalid("the file's first row must be its header", { fields: ["file"] });
      columns = mapColumns(cells, file.mapping);
      const missing = missingColumns(columns);
      if (missing.length > 0) throw invalid(`表格缺少这些列：${missing.join("、")}`, { fields: ["file"], missing });
      continue;
    }
    if (cells.length === 0) continue;
    check.rows++;
    const fields: Partial<Record<RosterField, string>> = {};
    cells.forEach((cell, at) => {
      const field = columns![at];
      if (field) fields[field] = cell;
    });
    const result = checker.check(line, fields);
    if ("reason" in result) {
      if (check.refused.length < MOST_REFUSALS_LISTED) check.refused.push({ line, reason: result.reason });
      else check.refusedNotListed++;
      continue;
    }
    batch.push(sealRow(ctx.pii, result.row, each !== undefined));
    lines.push(line);
    if (batch.length >= (file.batchRows ?? BATCH)) await flush();
  }
  if (!columns) throw invalid("the file is empty", { fields: ["file"] });
  await flush();
  return check;
}

/** Whether the actor may import a file covering this region: asked before a large upload is read. */
export const mayImportRoster = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, input: { region: string }) => requireImportRegion(ctx, input.region));

/** A dry run: the file checked and compared with the roster; nothing is written. */
export const checkRoster = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, file: RosterFile): Promise<RosterCheck> => {
  requireImportRegion(ctx, file.region);
  return readRoster(ctx, file);
});

/**
 * The file checked and its good rows staged, for the operator to confirm (`startRosterImport`).
 * Staging writes batch by batch outside one transaction (a county's file is tens of megabytes); the
 * import row is written first, so a process that dies half-way leaves a staged import that is
 * never confirmed and goes with the next one of its region.
 */
export const stageRoster = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, file: RosterFile): Promise<RosterCheck & { importId: string }> => {
  requireImportRegion(ctx, file.region);
  // A file checked and never confirmed is let go when the region's next one comes, or after a day:
  // its sealed rows do not wait on the stage for ever.
  const unconfirmed = { status: "staged" as const, OR: [{ regionCode: file.region }, { createdAt: { lt: new Date(ctx.clock().getTime() - STAGED_FOR_MS) } }] };
  await ctx.db.rosterImportBatch.deleteMany({ where: { import: unconfirmed } });
  await ctx.db.rosterImport.updateMany({ where: unconfirmed, data: { status: "discarded" } });
  const created = await ctx.db.rosterImport.create({
    data: { regionCode: file.region, operatorId: ctx.actor.kind === "operator" ? ctx.actor.id : null, fileName: file.fileName ?? null, rowsTotal: 0, createdAt: ctx.clock() },
  });
  let staged = 0;
  let check: RosterCheck;
  try {
    check = await readRoster(ctx, file, async (rows, lines) => {
      const batch: StagedBatch = rows.map((row, at) => ({ line: lines[at]!, row }));
      await ctx.sql.query(`INSERT INTO "RosterImportBatch" ("importId", "firstLine", rows) VALUES ($1, $2, $3::jsonb)`, [created.id, lines[0], JSON.stringify(batch)]);
      staged += rows.length;
    });
  } catch (error) {
    // A file that turns out unreadable half-way (too large, cut off) leaves nothing staged.
    await ctx.db.rosterImport.delete({ where: { id: created.id } });
    throw error;
  }
  await ctx.db.rosterImport.update({
    where: { id: created.id },
    data: { rowsTotal: staged, new: check.new, changed: check.changed, unchanged: check.unchanged, refused: check.refused as unknown as Prisma.InputJsonValue, refusedMore: check.refusedNotListed },
  });
  await audit(ctx, "roster.staged", created.id, { region: file.region, rows: check.rows, staged, refused: check.refused.length + check.refusedNotListed });
  return { ...check, importId: created.id };
});

/** An import the actor may see: its region within theirs. */
async function visibleImport(ctx: VerbContext, importId: string): Promise<RosterImport> {
  const found = await ctx.db.rosterImport.findUnique({ where: { id: importId } });
  if (!found || !canSeeRegion(ctx.actor, found.regionCode)) throw notFound("import");
  return found;
}

/** The operator confirms a staged import: the job applies it, batch by batch. */
export const startRosterImport = verb({ roles: OFFICIALS, writes: true }, async (ctx: VerbContext, input: { importId: string }): Promise<RosterImport> => {
  const staged = await visibleImport(ctx, input.importId);
  if (staged.status !== "staged") throw conflict(`this import is ${staged.status}, not waiting to be confirmed`);
  const running = await ctx.db.rosterImport.update({ where: { id: staged.id }, data: { status: "running", startedAt: ctx.clock(), new: 0, changed: 0, unchanged: 0 } });
  await ctx.queue("roster.import", { importId: staged.id });
  await audit(ctx, "roster.import_started", staged.id, { region: staged.regionCode, rows: staged.rowsTotal, refused: (staged.refused as unknown[]).length });
  return running;
});

/** The latest imports of the actor's regions, newest first. */
export const listRosterImports = verb({ roles: OFFICIALS, writes: false }, (ctx: VerbContext, query: { limit: number }) =>
  ctx.db.rosterImport.findMany({ where: inScope(regionScope(ctx.actor), "regionCode"), orderBy: { createdAt: "desc" }, take: query.limit }),
);

/**
 * How an import stands: rows done of total, and what it found. One waiting to be confirmed also says
 * how many people now on the region's roster its file does not list (`leaving`): confirmed, they are
 * marked as no longer on it, so a file of one township's people given for the whole county is seen
 * before it takes the rest off.
 */
export const rosterImportStatus = verb({ roles: OFFICIALS, writes: false }, async (ctx: VerbContext, input: { importId: string }): Promise<RosterImport & { leaving: number }> => {
  const found = await visibleImport(ctx, input.importId);
  if (found.status !== "staged") return { ...found, leaving: 0 };
  const onRoster = await ctx.db.rosterEntry.count({ where: { regionCode: regionRange(found.regionCode), leftAt: null } });
  return { ...found, leaving: Math.max(0, onRoster - found.changed - found.unchanged) };
});
