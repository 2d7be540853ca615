// The embedded Meilisearch with the kind of key `npm start` generates: base64url, which may begin
// with "-". Such a key once reached the binary as an argument and was read as an unknown option.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { freePortOtherThan, startBundledMeilisearch } from "../../src/entry/bundled-meilisearch.ts";
import { createLogger } from "../../src/shared/logger.ts";
import { processMemoryBytes } from "../../bench/proc.ts";

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

it("indexes within its memory cap: a small server's engine does not take two thirds of the machine", async () => {
  const masterKey = "bundled-memory-test-key-0123456789";
  const meili = await startBundledMeilisearch({ dataDir, masterKey, log: createLogger({ level: "warn" }) });
  const pid = Number(readFileSync(join(dataDir, "meilisearch", "pid"), "utf8"));
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${meili.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${masterKey}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as { taskUid?: number; status?: string };
  };
  try {
    const documents = Array.from({ length: 20_000 }, (_, i) => ({ id: `v${i}`, title: `保洁员${i % 97}号岗位`, countyCode: `35${String(i % 9000).padStart(4, "0")}` }));
    const { taskUid } = await call("POST", "/indexes/memory/documents?primaryKey=id", documents);
    let status = "enqueued";
    while (status === "enqueued" || status === "processing") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ status = "" } = await call("GET", `/tasks/${taskUid}`));
    }
    expect(status).toBe("succeeded");
    // Uncapped, the same batch took 1.8 GB here.
    expect(processMemoryBytes(pid, "VmHWM")! / 2 ** 20).toBeLessThan(600);
  } finally {
    await meili.stop();
  }
}, 60_000);

it("never takes the service's own port, which the service binds only after it", async () => {
  // The system may hand out a port just freed: a test's, or the operator's PORT while the service starts.
  const handedOut = [8787, 8787, 41234];
  let asked = 0;
  expect(await freePortOtherThan(8787, async () => handedOut[asked++]!)).toBe(41234);
  expect(asked).toBe(3);
  expect(await freePortOtherThan(undefined, async () => 8787)).toBe(8787);
});
