// Spreadsheets officials open in Excel: UTF-8 with a byte-order mark (without it Excel reads the
// Chinese as mojibake), CRLF lines, fields quoted where they must be. A text that begins like a
// formula (=, +, -, @) is written with a leading apostrophe: a name a stranger typed into the chat
// must not run as a formula on an official's PC.
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(lines: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${lines.map((fields) => fields.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/**
 * A cell whose number a spreadsheet kept as a number too long to hold (an 18-digit ID number typed
 * into a number cell: Excel keeps 15 digits and rounds the rest): its text starts with this mark
 * and goes on with the digits as read, so that a check can say what happened instead of taking
 * 350622199301073540 for the person's number.
 */
export const DIGITS_LOST = "\u0000digits-lost:";

/**
 * Reads CSV text given piece by piece (RFC 4180: quoted fields may hold commas, quotes and line
 * breaks), handing back each complete row as soon as its line ends, so that a file of any size is
 * read in constant memory. Empty lines are left out, or kept as [] (`keepEmpty`) where a row's
 * number must be the one the spreadsheet shows.
 */
export class CsvRowReader {
  constructor(private readonly keepEmpty = false) {}

  private row: string[] = [];
  private field = "";
  private quoted = false;
  /** a quote seen at the end of a piece, inside a quoted field: either "" or the field's end */
  private quoteAtEnd = false;
  private crAtEnd = false;

  /** The rows the text completes. */
  push(text: string): string[][] {
    const rows: string[][] = [];
    let i = 0;
    if (this.crAtEnd) {
      this.crAtEnd = false;
      if (text[0] === "\n") i = 1;
    }
    if (this.quoteAtEnd) {
      this.quoteAtEnd = false;
      if (text[0] === '"') {
        this.field += '"';
        i = 1;
      } else this.quoted = false;
    }
    for (; i < text.length; i++) {
      const char = text[i]!;
      if (this.quoted) {
        if (char === '"') {
          if (i + 1 === text.length) this.quoteAtEnd = true;
          else if (text[i + 1] === '"') {
            this.field += '"';
            i++;
          } else this.quoted = false;
        } else this.field += char;
      } else if (char === '"' && this.field === "") this.quoted = true;
      else if (char === ",") {
        this.row.push(this.field);
        this.field = "";
      } else if (char === "\n" || char === "\r") {
        if (char === "\r") {
          if (i + 1 === text.length) this.crAtEnd = true;
          else if (text[i + 1] === "\n") i++;
        }
        this.endRow(rows);
      } else this.field += char;
    }
    return rows;
  }

  /** The last row, when the text does not end with a line break. */
  end(): string[][] {
    const rows: string[][] = [];
    this.quoteAtEnd = false;
    if (this.field !== "" || this.row.length > 0) this.endRow(rows);
    return rows;
  }

  private endRow(rows: string[][]) {
    this.row.push(this.field);
    if (this.row.some((value) => value.trim() !== "")) rows.push(this.row);
    else if (this.keepEmpty) rows.push([]);
    this.row = [];
    this.field = "";
  }
}

/**
 * How a spreadsheet's bytes are encoded: UTF-8, or GB18030 where they are not valid UTF-8 — what
 * Excel in China saves "CSV" as. Judged on the file's beginning (a sequence cut at its end is not
 * held against it).
 */
export function csvEncoding(start: Uint8Array): "utf-8" | "gb18030" {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(start, { stream: true });
    return "utf-8";
  } catch {
    return "gb18030";
  }
}

/** A whole (small) spreadsheet's rows, in UTF-8 or GB18030. */
export function readCsv(bytes: Uint8Array): string[][] {
  const text = new TextDecoder(csvEncoding(bytes)).decode(bytes).replace(/^\uFEFF/, "");
  const reader = new CsvRowReader();
  return [...reader.push(text), ...reader.end()];
}

/**
 * A spreadsheet's rows as its bytes arrive, in constant memory (the encoding judged on the first
 * 64 KB). An empty line is an empty row: the nth row is the spreadsheet's row n.
 */
export async function* streamCsv(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  const reader = new CsvRowReader(true);
  let decoder: TextDecoder | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let first = true;
  const decode = (bytes: Uint8Array, stream: boolean) => {
    let text = decoder!.decode(bytes, { stream });
    if (first && text !== "") {
      text = text.replace(/^\uFEFF/, "");
      first = false;
    }
    return text;
  };
  for await (const chunk of chunks) {
    if (!decoder) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < 65_536) continue;
      const start = concat(pending);
      pending = [];
      decoder = new TextDecoder(csvEncoding(start));
      yield* reader.push(decode(start, true));
      continue;
    }
    yield* reader.push(decode(chunk, true));
  }
  if (!decoder) {
    const start = concat(pending);
    decoder = new TextDecoder(csvEncoding(start));
    yield* reader.push(decode(start, false));
  } else yield* reader.push(decoder.decode());
  yield* reader.end();
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}
