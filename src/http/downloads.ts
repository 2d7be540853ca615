// Spreadsheets handed out as downloads, by the API and the console alike: .xlsx where the runtime
// has a writer (Node), CSV anywhere, each streamed as its rows are read.
import type { Context } from "hono";
import type { Sheet } from "../shared/sheets.ts";
import { csvStream } from "../shared/sheets.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_TYPE = "text/csv; charset=utf-8";

/** The .xlsx writer, or a 501 where the runtime has none (Workers): asked before the verb runs, so a refused download is not audited. */
export function xlsxWriter(c: Context<AppEnv>): (sheets: readonly Sheet[]) => ReadableStream<Uint8Array> {
  const spreadsheets = c.get("deps").spreadsheets;
  if (!spreadsheets) throw new AppError("not_implemented", ".xlsx files are written by the Node service; this runtime answers CSV (format=csv)");
  return spreadsheets.xlsx;
}

/** A file to download, written as it is read. */
export function download(c: Context<AppEnv>, file: { name: string; type: string; body: ReadableStream<Uint8Array> }, headers: Record<string, string> = {}) {
  // Personal data: never kept by a proxy or the browser's cache.
  return c.body(file.body, 200, { "content-type": file.type, "content-disposition": `attachment; filename="${file.name}"`, "cache-control": "no-store", ...headers });
}

/** One sheet as a CSV download. */
export const csvDownload = (c: Context<AppEnv>, name: string, sheet: Sheet, headers?: Record<string, string>) => download(c, { name, type: CSV_TYPE, body: csvStream(sheet) }, headers);
