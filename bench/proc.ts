// What a process on this machine has used, from its /proc entry: the benchmarks' CPU and memory figures.
import { readdirSync, readFileSync } from "node:fs";

/** CPU milliseconds the process has used, user and system; null when it is gone (or not on this machine). */
export function processCpuMs(pid: number): number | null {
  try {
    // The fields after "pid (comm) ": utime and stime are the 12th and 13th, in clock ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A memory figure of the process (resident now, or its peak), in bytes; null when it is gone. */
export function processMemoryBytes(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The process and every process under it (WEB_CONCURRENCY's service processes, say), by their parent's /proc children lists. */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone, or no such list here
  }
  return [pid, ...children.flatMap(processTree)];
}

/** The CPU milliseconds of each PostgreSQL server process on this machine (its backends among them), by pid. */
export function postgresProcessesCpuMs(): Map<number, number> {
  const used = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") used.set(Number(entry), processCpuMs(Number(entry)) ?? 0);
    } catch {
      // ended while read
    }
  }
  return used;
}

/** PostgreSQL's CPU since `before` (a reading of postgresProcessesCpuMs), processes started since included. */
export function postgresCpuSince(before: Map<number, number>): number {
  let used = 0;
  for (const [pid, ms] of postgresProcessesCpuMs()) used += ms - (before.get(pid) ?? 0);
  return used;
}
