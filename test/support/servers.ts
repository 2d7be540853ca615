// For the tests that start the service as its own process (npm start, workerd): a free port, and
// the PostgreSQL server they run against when one answers (CI has one; a laptop may not).
import { createServer } from "node:net";
import pg from "pg";

/** TEST_DATABASE_URL, or the PostgreSQL server of these machines. */
export const POSTGRES_SERVER = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** A new database on the server, empty, and the URL that reaches it; drop() removes it. */
export async function scratchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const onServer = async (statement: string) => {
    const admin = new pg.Client({ connectionString: POSTGRES_SERVER });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * `env` without libfaketime (test:later runs the suite a year ahead under its preload), for the
 * processes that keep the real clock: Meilisearch 1.21 never finishes a settings update of an
 * index that holds documents under it, and workerd does not survive it. Given to the child, never
 * by changing this process's environment: libfaketime reads FAKETIME again every ten seconds, and
 * a read while it was unset moved this process's clocks back a year, so that no timer fired again.
 */
export function realClockEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(env).filter(([name]) => name !== "LD_PRELOAD" && !name.startsWith("FAKETIME")));
  const preload = env.LD_PRELOAD?.split(/[: ]/).filter((library) => library && !library.includes("faketime")).join(":");
  return preload ? { ...rest, LD_PRELOAD: preload } : rest;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
