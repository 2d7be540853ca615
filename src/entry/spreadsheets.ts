// Spreadsheets on Node: .xlsx through excelts' streaming reader and writer, CSV in UTF-8 or
// GB18030. A large upload (a county's roster is tens of megabytes) is parsed as it arrives (busboy)
// and its file part read as rows as it streams, so the file is never whole in memory; the form's
// fields before the file (the console's CSRF token) come with it. A workbook the service hands out
// (the ledger) is written the same way: row by row into the zip as the response is read. Workers
// have neither: there the roster import and the .xlsx downloads say they are not available, and
// the console's small uploads and the downloads take CSV.
import { PassThrough, Readable } from "node:stream";
import { Busboy } from "@fastify/busboy";
import type { SpreadsheetUpload, Spreadsheets } from "../deps.ts";
import { DIGITS_LOST, streamCsv } from "../shared/csv.ts";
import { invalid } from "../shared/errors.ts";
import type { Sheet } from "../shared/sheets.ts";

/**
 * excelts is loaded at the first spreadsheet, not at start: it is about 50 MB of a running
 * service's memory, and most processes never read or write a workbook.
 */
const excelts = () => import("@cj-tech-master/excelts");

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/** A cell as text: what the spreadsheet shows (a number as written, a formula's result, rich text's characters). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value) ? `${DIGITS_LOST}${BigInt(value)}` : String(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    const cell = value as { richText?: { text?: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(cell.richText)) return cell.richText.map((run) => run.text ?? "").join("");
    if ("text" in cell) return cellText(cell.text);
    if ("result" in cell) return cellText(cell.result);
    if ("error" in cell) return String(cell.error);
  }
  return String(value);
}

/**
 * A cell's text as a string of its own. The reader's values are slices of the decoded sheet (chunks
 * of about 100 KB), and a slice keeps its whole chunk alive: the rows held for a moment downstream
 * (a staged batch, Prisma's debug history of recent calls) kept the whole sheet in memory — 120 MB
 * for 50,000 rows, found in a heap snapshot of bench:import. V8 copies slices shorter than 13.
 */
const detached = (text: string) => (text.length < 13 ? text : Buffer.from(text, "utf8").toString("utf8"));

/** The first sheet's rows in order, a missing row as [] (so the nth row is the sheet's row n). */
async function* xlsxRows(stream: Readable): AsyncGenerator<string[]> {
  // A sheet that comes before the parts it needs (the shared strings; or all of the file when it
  // has none, as streamed writers make them) waits in a temporary file, not in memory: up to 2 GiB
  // of its XML, so a county's 200 MB upload is never refused for it (excelts' default is 256 MiB,
  // which a roster of about 300,000 rows exceeds).
  const { WorkbookReader } = await excelts();
  const reader = new WorkbookReader(stream, { sharedStrings: "cache", hyperlinks: "ignore", styles: "ignore", worksheets: "emit", entries: "ignore", maxBufferedWorksheetBytes: 2 * 1024 ** 3 });
  let first = true;
  for await (const sheet of reader) {
    if (!first) {
      // Later sheets are read through (the stream must end) and not used.
      for await (const _row of sheet) void _row;
      continue;
    }
    first = false;
    let next = 1;
    for await (const row of sheet) {
      for (; next < row.number; next++) yield [];
      next = row.number + 1;
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let column = 1; column < values.length; column++) cells.push(detached(cellText(values[column]).trim()));
      yield cells.some((cell) => cell !== "") ? cells : [];
    }
  }
}

/** The file's rows, by what its first bytes say it is: a zip (.xlsx) or text (CSV). */
async function* sheetRows(stream: Readable): AsyncGenerator<string[]> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  if (first.done) return;
  const head = first.value;
  const rest = async function* () {
    yield head;
    for (let chunk = await chunks.next(); !chunk.done; chunk = await chunks.next()) yield chunk.value;
  };
  if (ZIP_SIGNATURE.every((byte, at) => head[at] === byte)) yield* xlsxRows(Readable.from(rest()));
  else yield* streamCsv(rest());
}

/**
 * Reads a multipart request up to its `file` part: the fields before it, the file's name, and its
 * rows as they stream. The caller reads the rows through (an error in the file — too big, not a
 * spreadsheet — surfaces there); what follows the file part is drained and ignored.
 */
function readUpload(request: Request, { maxBytes }: { maxBytes: number }): Promise<SpreadsheetUpload> {
  return new Promise<SpreadsheetUpload>((resolve, reject) => {
    const type = request.headers.get("content-type") ?? "";
    if (!request.body || !type.startsWith("multipart/form-data")) return reject(invalid("send the file as multipart/form-data, in a part named file", { fields: ["file"] }));
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({ headers: { "content-type": type }, limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 10_000 } });
    } catch {
      return reject(invalid("the multipart body has no boundary", { fields: ["file"] }));
    }
    const fields: Record<string, string> = {};
    let found = false;
    parser.on("field", (name, value) => {
      if (!found) fields[name] = value;
    });
    parser.on("file", (name, file, fileName) => {
      if (name !== "file" || found) {
        file.resume();
        return;
      }
      found = true;
      file.on("limit", () => file.destroy(invalid(`the file is larger than ${Math.round(maxBytes / 1_000_000)} MB`, { fields: ["file"] })));
      resolve({ fields, fileName, rows: sheetRows(file) });
    });
    parser.on("finish", () => {
      if (!found) reject(invalid("no file: send it in a part named file", { fields: ["file"] }));
    });
    parser.on("error", (error: Error) => (found ? undefined : reject(invalid(`the upload could not be read: ${error.message}`, { fields: ["file"] }))));
    Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>).on("error", (error) => parser.destroy(error)).pipe(parser);
  });
}

/**
 * A workbook written as its rows come: each row committed into the sheet's zip entry at once, the
 * sheets one after another (a zip's entries cannot interleave), strings inline rather than in a
 * shared table that would grow with the file. The producer waits whenever the reader of the
 * response falls behind, so memory stays flat however many rows; a reader who goes away ends it.
 */
function writeXlsx(sheets: readonly Sheet[]): ReadableStream<Uint8Array> {
  const sink = new PassThrough();
  const caughtUp = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        sink.off("drain", done);
        sink.off("close", done);
        resolve();
      };
      sink.on("drain", done);
      sink.on("close", done);
    });
  const write = async () => {
    const { WorkbookWriter } = await excelts();
    const workbook = new WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    for (const sheet of sheets) {
      const worksheet = workbook.addWorksheet(sheet.name);
      // The text format '@' on a column keeps what is typed into it later text as well.
      worksheet.columns = sheet.columns.map((column) => ({ header: column.header, width: column.width ?? Math.max(8, column.header.length * 2 + 2), ...(column.text ? { style: { numFmt: "@" } } : {}) }));
      for await (const cells of sheet.rows) {
        worksheet.addRow(sheet.columns.map((column, at) => (column.text && cells[at] !== null && cells[at] !== undefined ? String(cells[at]) : (cells[at] ?? null)))).commit();
        if (sink.destroyed) return;
        if (sink.writableNeedDrain) await caughtUp();
      }
      worksheet.commit();
    }
    await workbook.commit();
  };
  write().catch((error: unknown) => sink.destroy(error instanceof Error ? error : new Error(String(error))));
  return Readable.toWeb(sink) as ReadableStream<Uint8Array>;
}

export const nodeSpreadsheets: Spreadsheets = {
  upload: readUpload,
  rows: (bytes) => sheetRows(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)])),
  xlsx: writeXlsx,
};
