// What the app is built from. Entries (src/entry) build it once from the parsed configuration;
// tests build it with their own database and search server.
import type { Meilisearch } from "meilisearch";
import type { MatchingIndexes } from "../matching/indexes.ts";
import type { Config } from "./config.ts";
import type { PrismaClient } from "./db/client.ts";
import type { SqlRunner } from "./db/sql.ts";
import type { Logger } from "./shared/logger.ts";
import type { PolicyStore } from "./services/policies.ts";
import type { PiiProtector } from "./shared/pii.ts";
import type { Clock } from "./shared/clock.ts";
import type { RateLimits } from "./shared/rate-limits.ts";
import type { Sheet } from "./shared/sheets.ts";
import type { Metrics } from "./shared/metrics.ts";

/** A spreadsheet sent as a file: the form's fields before it, its name, and its rows as they arrive (an empty row as []). */
export interface SpreadsheetUpload {
  fields: Record<string, string>;
  fileName: string;
  rows: AsyncIterable<string[]>;
}

/** Spreadsheets read as .xlsx or CSV, and written as .xlsx (Node: src/entry/spreadsheets.ts; Workers read and write CSV only). */
export interface Spreadsheets {
  /** a large multipart upload's file part, read as it streams */
  upload(request: Request, options: { maxBytes: number }): Promise<SpreadsheetUpload>;
  /** a small file already in memory: its rows, an empty row as [] */
  rows(bytes: Uint8Array): AsyncIterable<string[]>;
  /** a workbook of these sheets, in this order, written as their rows come (a text column's cells are strings in the text format) */
  xlsx(sheets: readonly Sheet[]): ReadableStream<Uint8Array>;
}

export interface AppDeps {
  config: Config;
  prisma: PrismaClient;
  sql: SqlRunner;
  search: Meilisearch;
  indexes: MatchingIndexes;
  pii: PiiProtector;
  /** the subsidy policies: built-in region documents and those counties stored */
  policies: PolicyStore;
  log: Logger;
  /** the one clock every verb reads (shared/clock.ts) */
  clock: Clock;
  /** shared/rate-limits.ts: the service runs on RATE_LIMITS */
  rateLimits: RateLimits;
  /** tells the outbox dispatcher that messages wait, so that replies go at once */
  outboxQueued?: () => void;
  /** tells the job runner that jobs wait (index sync) */
  jobsQueued?: () => void;
  /** each chat turn as it starts, which may outlive its webhook's answer: the Workers entry keeps its request alive until it ends */
  turnStarted?: (turn: Promise<unknown>) => void;
  /**
   * Each request has connections of its own (Workers: I/O belongs to the request that opened it),
   * so chat turns of different requests never share a statement (conversation/host.ts)
   */
  connectionsPerRequest?: boolean;
  /** a consistent copy of the embedded database (POST /api/backup); absent on PostgreSQL */
  backup?: () => Promise<Blob>;
  /** what this process counts for GET /metrics (turns, sends); absent, only the queues are reported */
  metrics?: Metrics;
  /** .xlsx files and large uploads read as they stream (the roster import), .xlsx written (the ledger): Node only */
  spreadsheets?: Spreadsheets;
}
