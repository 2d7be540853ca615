// The embedded database has one owner at a time: two processes opening the same PGlite folder would
// each write it as if alone and corrupt it. The owner leaves its pid (and, on Linux, when that
// process started, so that a pid used again after a reboot or in a new container is not taken for
// it) beside the folder; another process finds a live owner there and stops with a sentence saying
// what to do instead.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

interface Owner {
  pid: number;
  /** /proc/<pid>/stat's start time, in clock ticks after boot; null where there is no /proc */
  started: string | null;
}

function startTime(pid: number): string | null {
  try {
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

function alive(owner: Owner): boolean {
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists, but is another user's.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return owner.started === null || startTime(owner.pid) === owner.started;
}

/** Takes the embedded database in `dir` for this process; returns the release. */
export function claimEmbeddedDatabase(dir: string): () => void {
  const file = `${dir}.owner`;
  if (existsSync(file)) {
    let owner: Owner | null = null;
    try {
      owner = JSON.parse(readFileSync(file, "utf8")) as Owner;
    } catch {
      // unreadable: a crash while writing it; nobody holds it
    }
    if (owner && alive(owner)) {
      throw new Error(
        `the embedded database in ${dir} is in use by process ${owner.pid} (the service?): stop it first, or ask the running service for a backup (POST /api/backup)`,
      );
    }
  }
  const mine: Owner = { pid: process.pid, started: startTime(process.pid) };
  writeFileSync(file, JSON.stringify(mine));
  return () => {
    try {
      const owner = JSON.parse(readFileSync(file, "utf8")) as Owner;
      if (owner.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}
