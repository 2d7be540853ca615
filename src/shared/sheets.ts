// Spreadsheets the service hands out (the employment ledger, the quarterly report): named sheets of
// rows, the columns that must stay text — region codes, ID numbers, household and person numbers —
// marked as such. Written as .xlsx where the runtime has a writer (Node: src/entry/spreadsheets.ts,
// a text column's cells strings with the text format '@'), and as CSV here, on any runtime, a sheet
// at a time and as the rows come, so a county of 100,000 people never sits whole in memory.
import { csvField } from "./csv.ts";

export type SheetCell = string | number | null;

export interface SheetColumn {
  header: string;
  /** kept as text, never a number: codes and ID numbers (Excel shows a 12-digit code as 3.50622E+11 and rounds an ID number's last digits) */
  text?: boolean;
  /** in characters, for .xlsx */
  width?: number;
}

export interface Sheet {
  name: string;
  columns: readonly SheetColumn[];
  rows: AsyncIterable<readonly SheetCell[]> | Iterable<readonly SheetCell[]>;
}

/**
 * A code or ID number as a CSV field Excel keeps as text: ="350622103201". Excel and WPS read a bare
 * field of 12 or 18 digits as a number (3.50622E+11, an ID number's last three digits turned to
 * zeros); an apostrophe before it stays visible in the cell, and a tab (the other common trick)
 * stays in the cell's value, where it breaks a lookup (VLOOKUP by ID number) and a re-import. The
 * ="…" form is what Excel evaluates to exactly the digits, as text — the common practice for
 * exports opened in Excel. Only values of digits, X and * (a masked number) take that form, so it
 * never carries anything else into a formula; other programs read the field as written, which is
 * why the ledger's .xlsx, with real text cells, is its default.
 */
export function csvTextField(value: SheetCell): string {
  if (typeof value === "string" && /^[0-9Xx*]+$/.test(value)) return `="${value}"`;
  return csvField(value);
}

const csvLine = (columns: readonly SheetColumn[], cells: readonly SheetCell[]) =>
  `${columns.map((column, at) => (column.text ? csvTextField(cells[at] ?? null) : csvField(cells[at] ?? null))).join(",")}\r\n`;

/** Rows encoded together into one chunk of the stream. */
const ROWS_PER_CHUNK = 500;

/**
 * One sheet as CSV, as shared/csv.ts writes it (UTF-8 with a byte-order mark, CRLF lines, a field
 * that starts like a formula defused), its text columns in the ="…" form; streamed as its rows come.
 */
export function csvStream(sheet: Sheet): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const source = sheet.rows;
  const rows: AsyncIterator<readonly SheetCell[]> | Iterator<readonly SheetCell[]> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = started ? "" : `\uFEFF${sheet.columns.map((column) => csvField(column.header)).join(",")}\r\n`;
      started = true;
      let ended = false;
      for (let count = 0; count < ROWS_PER_CHUNK; count++) {
        const next = await rows.next();
        if (next.done) {
          ended = true;
          break;
        }
        text += csvLine(sheet.columns, next.value);
      }
      if (text) controller.enqueue(encoder.encode(text));
      if (ended) controller.close();
    },
    async cancel() {
      await rows.return?.();
    },
  });
}
