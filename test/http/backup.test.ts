// POST /api/backup: the running service's embedded database, copied consistently for an
// administrator and audited; the copy opens as a database holding the same people.
import { PGlite } from "@electric-sql/pglite";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("POST /api/backup", () => {
  it("gives an administrator a copy that holds every worker, audited; nobody else", async () => {
    const coordinator = (await h.operator("coordinator", ["350622"])).token;
    expect((await h.request("POST", "/api/backup", { token: coordinator })).status).toBe(403);
    const admin = (await h.operator("admin")).token;
    for (const name of ["备份甲", "备份乙", "备份丙"]) await registerTestWorker(h, { name, homeRegionCode: "350622103201", birthDate: "1980-01-01", sex: "female" });

    const response = await h.app.request("/api/backup", { method: "POST", headers: { authorization: `Bearer ${admin}` } });
    if (h.db.kind === "postgres") {
      // On PostgreSQL the service holds no copy of its own to give: pg_dump does it.
      expect(response.status).toBe(409);
      expect(await response.text()).toContain("pg_dump");
      return;
    }
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="zhitongche-backup-.+\.tar\.gz"/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(bytes).length).toBeGreaterThan(bytes.length);

    const copy = await PGlite.create({ loadDataDir: new Blob([bytes]) });
    try {
      const { rows } = await copy.query<{ name: string }>(`SELECT name FROM "Worker" WHERE name LIKE '备份%' ORDER BY name`);
      expect(rows.map((row) => row.name)).toEqual(["备份丙", "备份乙", "备份甲"].sort());
    } finally {
      await copy.close();
    }
    expect(await h.deps.prisma.auditLog.count({ where: { action: "backup.taken" } })).toBe(1);
  });
});
