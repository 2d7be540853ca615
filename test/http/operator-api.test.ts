// The operator API as its callers meet it: who may call what, and what they get back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker } from "../../src/services/workers.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
let yunxiaoCoordinator: string; // 云霄县 350622
let pingheOfficial: string; // 平和县 350628
const yunxiaoId = "350622199001011230";
const pingheId = "11010519491231002X";
let yunxiaoWorkerId: string;
let pingheWorkerId: string;

beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  yunxiaoCoordinator = (await h.operator("coordinator", ["350622"])).token;
  pingheOfficial = (await h.operator("countyOfficial", ["350628"])).token;
  yunxiaoWorkerId = (
    await createWorker(h.deps, { name: "张三", idNumber: yunxiaoId, phone: "13812345678", homeRegionCode: "350622103201" })
  ).id;
  pingheWorkerId = (
    await createWorker(h.deps, { name: "李四", idNumber: pingheId, phone: "+86 139 0000 1111", homeRegionCode: "350628100200" })
  ).id;
});
afterAll(() => h.close());

describe("authentication", () => {
  it("refuses every operator route without a key, with the error envelope", async () => {
    const doc = (await h.request("GET", "/openapi.json")).body;
    const operatorPaths = Object.keys(doc.paths).filter((path) => path.startsWith("/api/") && !path.startsWith("/api/simulator"));
    expect(operatorPaths.length).toBeGreaterThanOrEqual(5);
    for (const path of operatorPaths) {
      for (const method of Object.keys(doc.paths[path])) {
        const concrete = path.replace(/\{[^}]+\}/g, "0190a000-0000-7000-8000-000000000000");
        const response = await h.request(method.toUpperCase(), concrete);
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.body.error.code).toBe("unauthorized");
      }
    }
  });

  it("refuses an unknown or malformed key", async () => {
    expect((await h.request("GET", "/api/regions", { token: "zt_not-a-real-token" })).status).toBe(401);
    const response = await h.request("GET", "/api/regions", { headers: { authorization: "Basic abc" } });
    expect(response.status).toBe(401);
  });

  it("revokes one key at once through the API, audited; the operator's other key goes on", async () => {
    const { id, token } = await h.operator("coordinator", ["350622"]);
    const second = await h.request("POST", `/api/operators/${id}/keys`, { token: admin, body: { label: "备用手机" } });
    expect(second.status).toBe(201);
    expect((await h.request("GET", "/api/regions", { token })).status).toBe(200);
    const keys = (await h.request("GET", `/api/operators/${id}/keys`, { token: admin })).body.keys as { id: string }[];
    expect(keys).toHaveLength(2);
    const first = keys.find((key) => key.id !== second.body.key.id);
    expect((await h.request("POST", `/api/operators/${id}/keys/${first!.id}/revoke`, { token })).status).toBe(403); // not their own to revoke
    const revoked = await h.request("POST", `/api/operators/${id}/keys/${first!.id}/revoke`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.key.revokedAt).not.toBeNull();
    expect((await h.request("GET", "/api/regions", { token })).status).toBe(401);
    expect((await h.request("GET", "/api/regions", { token: second.body.token })).status).toBe(200);
    expect((await h.request("POST", `/api/operators/${id}/keys/${first!.id}/revoke`, { token: admin })).status).toBe(404); // once
    const audit = await h.deps.prisma.auditLog.findMany({ where: { action: { in: ["api_key.issued", "api_key.revoked"] }, data: { path: ["operatorId"], equals: id } } });
    expect(audit.map((line) => line.action).sort()).toEqual(["api_key.issued", "api_key.revoked"]);
  });

  it("disables an operator at once through the API: every key stops, audited; not oneself", async () => {
    const { id, token } = await h.operator("countyOfficial", ["350622"]);
    const spare = (await h.request("POST", `/api/operators/${id}/keys`, { token: admin, body: { label: "spare" } })).body.token as string;
    expect((await h.request("POST", `/api/operators/${id}/disable`, { token: pingheOfficial })).status).toBe(403);
    const disabled = await h.request("POST", `/api/operators/${id}/disable`, { token: admin });
    expect(disabled.status).toBe(200);
    for (const key of [token, spare]) expect((await h.request("GET", "/api/regions", { token: key })).status).toBe(401);
    expect((await h.request("GET", "/api/operators", { token: admin })).body.operators.map((o: { id: string }) => o.id)).not.toContain(id);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "operator.disabled", target: id } })).toBe(1);
    expect((await h.request("POST", `/api/operators/${id}/disable`, { token: admin })).status).toBe(404);
    const me = await h.operator("admin");
    expect((await h.request("POST", `/api/operators/${me.id}/disable`, { token: me.token })).status).toBe(409);
    expect((await h.request("GET", "/api/regions", { token: me.token })).status).toBe(200);
  });
});

describe("roles and regions", () => {
  it("lets only administrators create operators", async () => {
    const body = { name: "王协理员", role: "coordinator", regionCodes: ["350622103"] };
    const refused = await h.request("POST", "/api/operators", { token: pingheOfficial, body });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("forbidden");
    const created = await h.request("POST", "/api/operators", { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body.operator).toMatchObject({ role: "coordinator", regionCodes: ["350622103"] });
    // the new token works, and is stored only as a hash
    expect((await h.request("GET", "/api/regions", { token: created.body.token })).status).toBe(200);
    const stored = await h.deps.prisma.apiKey.findMany({ where: { operatorId: created.body.operator.id } });
    expect(stored.map((key) => key.hash)).not.toContain(created.body.token);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "operator.created", target: created.body.operator.id } })).toBe(1);
  });

  it("shows a coordinator only the workers of their region", async () => {
    const list = await h.request("GET", "/api/workers", { token: yunxiaoCoordinator });
    expect(list.status).toBe(200);
    expect(list.body.workers.map((w: { id: string }) => w.id)).toEqual([yunxiaoWorkerId]);
    expect((await h.request("GET", `/api/workers/${yunxiaoWorkerId}`, { token: yunxiaoCoordinator })).status).toBe(200);
    const outside = await h.request("GET", `/api/workers/${pingheWorkerId}`, { token: yunxiaoCoordinator });
    expect(outside.status).toBe(403);
    expect((await h.request("GET", "/api/workers?region=350628", { token: yunxiaoCoordinator })).status).toBe(403);
    expect((await h.request("GET", "/api/workers?region=35", { token: yunxiaoCoordinator })).status).toBe(403);
  });

  it("finds a worker by phone only inside the caller's regions", async () => {
    const mine = await h.request("GET", "/api/workers?phone=13812345678", { token: yunxiaoCoordinator });
    expect(mine.body.workers.map((w: { id: string }) => w.id)).toEqual([yunxiaoWorkerId]);
    const theirs = await h.request("GET", "/api/workers?phone=13900001111", { token: yunxiaoCoordinator });
    expect(theirs.body.workers).toEqual([]);
  });

  it("lets an administrator see every region, page by page", async () => {
    const first = await h.request("GET", "/api/workers?limit=1", { token: admin });
    expect(first.body.workers).toHaveLength(1);
    const second = await h.request("GET", `/api/workers?limit=1&cursor=${first.body.next}`, { token: admin });
    expect(second.body.workers).toHaveLength(1);
    expect(new Set([first.body.workers[0].id, second.body.workers[0].id])).toEqual(new Set([yunxiaoWorkerId, pingheWorkerId]));
    expect(second.body.next).toBeNull();
  });
});

describe("personal data in API output", () => {
  it("never shows an ID number whole, and shows the phone only to coordinators", async () => {
    const asCoordinator = await h.request("GET", `/api/workers/${yunxiaoWorkerId}`, { token: yunxiaoCoordinator });
    expect(asCoordinator.body.worker).toMatchObject({ idNumber: "350622********1230", phone: "+8613812345678", sex: "male", birthDate: "1990-01-01" });
    const asOfficial = await h.request("GET", `/api/workers/${pingheWorkerId}`, { token: pingheOfficial });
    expect(asOfficial.body.worker).toMatchObject({ idNumber: "110105********002X", phone: "139****1111", sex: "female" });
    const asAdmin = await h.request("GET", "/api/workers", { token: admin });
    for (const text of [asCoordinator.text, asOfficial.text, asAdmin.text]) {
      expect(text).not.toContain(yunxiaoId);
      expect(text).not.toContain(pingheId);
    }
    expect(asAdmin.text).not.toContain("13812345678");
    expect(await h.deps.prisma.auditLog.count({ where: { action: "worker.phone.revealed" } })).toBeGreaterThan(0);
  });

  it("keeps ID numbers and phones encrypted at rest", async () => {
    const rows = await h.deps.sql.query<Record<string, unknown>>(`SELECT * FROM "Worker"`);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(yunxiaoId);
    expect(dump).not.toContain("13812345678");
    expect(dump).not.toContain("13900001111");
  });
});

describe("reference data", () => {
  it("lists provinces, then the children of a region", async () => {
    const provinces = await h.request("GET", "/api/regions", { token: admin });
    expect(provinces.body.regions).toHaveLength(31);
    const yunxiao = await h.request("GET", "/api/regions?parent=350622", { token: admin });
    expect(yunxiao.body.regions.map((r: { name: string }) => r.name)).toContain("莆美镇");
    expect(yunxiao.body.regions.every((r: { parentCode: string }) => r.parentCode === "350622")).toBe(true);
  });

  it("resolves a repeated name inside its parent", async () => {
    const everywhere = await h.request("GET", "/api/regions?q=城关镇&limit=500", { token: admin });
    expect(everywhere.body.regions.length).toBeGreaterThan(20);
    const inOneCounty = await h.request("GET", "/api/regions?q=城关镇&parent=150123", { token: admin });
    expect(inOneCounty.body.regions.filter((r: { level: number }) => r.level === 4)).toEqual([
      { code: "150123100", name: "城关镇", level: 4, parentCode: "150123" },
    ]);
    const gulouEverywhere = await h.request("GET", "/api/regions?q=鼓楼区", { token: admin });
    expect(gulouEverywhere.body.regions.filter((r: { level: number }) => r.level === 3).length).toBe(4);
    const gulouInFujian = await h.request("GET", "/api/regions?q=鼓楼区&parent=35", { token: admin });
    expect(gulouInFujian.body.regions.filter((r: { level: number }) => r.level === 3)).toEqual([
      { code: "350102", name: "鼓楼区", level: 3, parentCode: "3501" },
    ]);
  });

  it("normalises a job title to an occupation code", async () => {
    const response = await h.request("GET", `/api/occupations/normalize?title=${encodeURIComponent("招保姆接送孩子")}`, { token: admin });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ code: "4-10-01-06", name: "家政服务员" });
    expect(response.body.confidence).toBeGreaterThan(0);
    const nothing = await h.request("GET", "/api/occupations/normalize?title=asdfgh", { token: admin });
    expect(nothing.status).toBe(404);
  });
});
