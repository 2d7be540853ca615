// Types of scripts/worker.mjs, for the workerd test.
import type { ChildProcess, StdioOptions } from "node:child_process";

/** Builds dist/worker; returns the bundle's size in bytes. */
export function buildWorker(): Promise<number>;
export function compatibilityDate(): string;
export interface WorkerdOptions {
  port: number;
  cronPort: number;
  /** a postgresql:// URL, given to the Worker as its HYPERDRIVE binding */
  database: string;
  variables: Record<string, string>;
}
export function workerdConfig(options: WorkerdOptions): string;
export function serveWorker(options: WorkerdOptions & { stdio?: StdioOptions; env?: NodeJS.ProcessEnv }): ChildProcess;
