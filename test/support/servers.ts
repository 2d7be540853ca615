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

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
