// The embedded Meilisearch with the kind of key `npm start` generates: base64url, which may begin
// with "-". Such a key once reached the binary as an argument and was read as an unknown option.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startBundledMeilisearch } from "../../src/entry/bundled-meilisearch.ts";
import { createLogger } from "../../src/shared/logger.ts";

const dataDir = mkdtempSync(join(tmpdir(), "zt-meili-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

it("starts with a key that begins with a dash, and the key guards it", async () => {
  const masterKey = "-1xJyV5aU6YI-SZys9fGVH7v8OoEEHL";
  const meili = await startBundledMeilisearch({ dataDir, masterKey, log: createLogger({ level: "warn" }) });
  try {
    expect((await fetch(`${meili.url}/indexes`)).status).toBe(401);
    expect((await fetch(`${meili.url}/indexes`, { headers: { authorization: `Bearer ${masterKey}` } })).status).toBe(200);
  } finally {
    await meili.stop();
  }
}, 60_000);
