// POST/GET/PATCH /api/vacancies and the bulk import of another system's list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
let yunxiao: string; // a coordinator of 云霄县
beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  yunxiao = (await h.operator("coordinator", ["350622"])).token;
});
afterAll(() => h.close());

describe("vacancies", () => {
  it("are posted with what the description says, normalised, and queued for indexing", async () => {
    const response = await h.request("POST", "/api/vacancies", {
      token: yunxiao,
      body: { title: "招保姆接送孩子", description: "包吃住，年龄18至45周岁", regionCode: "350622103", wageMin: 4000, wageMax: 5000 },
    });
    expect(response.status).toBe(201);
    expect(response.body.vacancy).toMatchObject({ occupationCode: "4-10-01-06", ageMin: 18, ageMax: 45, housing: true, status: "open", wageUnit: "month" });
    expect(await h.deps.prisma.job.count({ where: { key: `index:vacancy:${response.body.vacancy.id}`, status: "pending" } })).toBe(1);
    const read = await h.request("GET", `/api/vacancies/${response.body.vacancy.id}`, { token: admin });
    expect(read.body.vacancy.title).toBe("招保姆接送孩子");
  });

  it("are refused outside a coordinator's region, and to county officials", async () => {
    expect((await h.request("POST", "/api/vacancies", { token: yunxiao, body: { title: "普工", regionCode: "350628" } })).status).toBe(403);
    const official = (await h.operator("countyOfficial", ["350622"])).token;
    expect((await h.request("POST", "/api/vacancies", { token: official, body: { title: "普工", regionCode: "350622" } })).status).toBe(403);
    const bad = await h.request("POST", "/api/vacancies", { token: admin, body: { title: "普工", wageMin: 5000, wageMax: 3000 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
  });

  it("stay where they are: another county's coordinator can neither read one nor take it over by its externalId", async () => {
    const posted = await h.request("POST", "/api/vacancies", { token: yunxiao, body: { externalId: "yx-2026-001", title: "竹编工", regionCode: "350622103", wageMin: 3000, wageMax: 3500 } });
    expect(posted.status).toBe(201);
    const id = posted.body.vacancy.id as string;
    const pinghe = (await h.operator("coordinator", ["350628"])).token;
    expect((await h.request("GET", `/api/vacancies/${id}`, { token: pinghe })).status).toBe(403);
    expect((await h.request("GET", `/api/vacancies/${id}`, { token: yunxiao })).status).toBe(200);

    const takeover = { externalId: "yx-2026-001", title: "竹编工", regionCode: "350628100", wageMin: 1000, wageMax: 1200 };
    const single = await h.request("POST", "/api/vacancies", { token: pinghe, body: takeover });
    expect(single.status).toBe(403);
    expect(single.body.error.message).toContain("yx-2026-001");
    const before = await h.deps.prisma.vacancy.count();
    const bulk = await h.request("POST", "/api/vacancies/bulk", { token: pinghe, body: [{ title: "普工", regionCode: "350628" }, takeover] });
    expect(bulk.status).toBe(400);
    expect(bulk.body.errors).toEqual([{ index: 1, field: "externalId", problem: "foreign", message: expect.stringContaining("outside your regions") }]);
    expect(await h.deps.prisma.vacancy.count()).toBe(before);
    const unchanged = await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id } });
    expect(unchanged).toMatchObject({ regionCode: "350622103", wageMin: 3000 });
    // The county's own coordinator still re-imports it (an update, not a second row).
    const again = await h.request("POST", "/api/vacancies/bulk", { token: yunxiao, body: [{ ...takeover, regionCode: "350622103", wageMin: 3200, wageMax: 3600 }] });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.ids).toEqual([id]);
  });

  it("are imported in bulk: ids in order, and nothing written when a row is wrong", async () => {
    const before = await h.deps.prisma.vacancy.count();
    const rows = [
      { externalId: "ext-1", title: "保安", regionCode: "350622" },
      { externalId: "ext-2", title: "" },
      { externalId: "ext-3", title: "保洁员", wageMin: "many" },
      { externalId: "ext-4", title: "普工", regionCode: "350628" },
    ];
    const refused = await h.request("POST", "/api/vacancies/bulk", { token: yunxiao, body: rows });
    expect(refused.status).toBe(400);
    expect(refused.body.ids).toEqual([]);
    expect(refused.body.errors.map((e: { index: number }) => e.index)).toEqual([1, 2, 3]);
    expect(await h.deps.prisma.vacancy.count()).toBe(before);

    const good = [rows[0], { externalId: "ext-5", title: "日结轻松保安+包吃住", regionCode: "350622101" }];
    const accepted = await h.request("POST", "/api/vacancies/bulk", { token: yunxiao, body: good });
    expect(accepted.status).toBe(201);
    expect(accepted.body.ids).toHaveLength(2);
    const again = await h.request("POST", "/api/vacancies/bulk", { token: yunxiao, body: good }); // re-import: same rows, updated
    expect(again.body.ids).toEqual(accepted.body.ids);
    expect(await h.deps.prisma.vacancy.count()).toBe(before + 2);
  });

  it("are placed where job boards place them: a city or a province, padded codes made plain, a county named in the text found", async () => {
    const anhui = (await h.operator("coordinator", ["34"])).token;
    const rows = [
      { title: "普工", regionCode: "3401", wageMin: 4000, wageMax: 6000 },
      { title: "快递员", regionCode: "340100", anywhereInRegion: true },
      { title: "保安", regionCode: "340000000000" },
      { title: "电子厂普工", regionCode: "3401", description: "工作地点：肥西县桃花工业园，包吃住" },
      { title: "装配工", regionCode: "3401", description: "肥西桃花工业园" },
      { title: "仓管", description: "地址：安徽省合肥市肥东县撮镇" },
      { title: "分拣员", regionCode: "3401", anywhereInRegion: true, description: "肥东县、肥西县均有仓库" },
    ];
    const imported = await h.request("POST", "/api/vacancies/bulk", { token: anhui, body: rows });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const saved = await h.deps.prisma.vacancy.findMany({ where: { id: { in: imported.body.ids } } });
    const byTitle = Object.fromEntries(saved.map((vacancy) => [vacancy.title, vacancy]));
    expect(byTitle["普工"]).toMatchObject({ regionCode: "3401", anywhereInRegion: false });
    expect(byTitle["快递员"]).toMatchObject({ regionCode: "3401", anywhereInRegion: true });
    expect(byTitle["保安"]).toMatchObject({ regionCode: "34" });
    expect(byTitle["电子厂普工"]).toMatchObject({ regionCode: "340123", housing: true });
    expect(byTitle["装配工"]).toMatchObject({ regionCode: "340123" });
    expect(byTitle["仓管"]).toMatchObject({ regionCode: "340122" });
    // Two counties named: the city given stands, and so does "anywhere in it".
    expect(byTitle["分拣员"]).toMatchObject({ regionCode: "3401", anywhereInRegion: true });
    // A county's coordinator may not place a job in the whole city around it.
    expect((await h.request("POST", "/api/vacancies", { token: yunxiao, body: { title: "普工", regionCode: "3506" } })).status).toBe(403);
    const bad = await h.request("POST", "/api/vacancies", { token: admin, body: { title: "普工", regionCode: "340" } });
    expect(bad.status).toBe(400);
    // A place's name where its code belongs, as some boards export it.
    const byName = await h.request("POST", "/api/vacancies/bulk?partial=true", {
      token: anhui,
      body: [{ title: "普工", regionCode: "合肥市" }, { title: "普工", regionCode: "肥西县" }, { title: "普工", regionCode: "火星市" }],
    });
    expect(byName.body.errors).toEqual([{ index: 2, field: "regionCode", problem: "invalid", message: expect.stringContaining("火星市") }]);
    const [city, county] = await Promise.all(byName.body.ids.slice(0, 2).map((id: string) => h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id } })));
    expect([city!.regionCode, county!.regionCode]).toEqual(["3401", "340123"]);
    // Exports write an empty field as null or "", numbers as text, and 0 for 不限 or 面议.
    const exported = await h.request("POST", "/api/vacancies/bulk", {
      token: anhui,
      body: [{ title: "保洁员", regionCode: "340123", wageMin: "3000", wageMax: "", ageMin: 0, ageMax: 0, headcount: 0, description: null, sex: null }],
    });
    expect(exported.status, JSON.stringify(exported.body)).toBe(201);
    expect(await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id: exported.body.ids[0] } })).toMatchObject({ wageMin: 3000, wageMax: null, ageMin: null, ageMax: null, headcount: null, sex: "any" });
  });

  it("are imported partly with ?partial=true: the good rows written, the refused ones reported at their index", async () => {
    const before = await h.deps.prisma.vacancy.count();
    const rows = [
      { externalId: "part-1", title: "保安", regionCode: "350622" },
      { externalId: "part-2", title: "" },
      { externalId: "part-3", title: "普工", regionCode: "350628" },
      { externalId: "part-4", title: "保洁员", regionCode: "350622101" },
    ];
    const whole = await h.request("POST", "/api/vacancies/bulk", { token: yunxiao, body: rows });
    expect(whole.status).toBe(400);
    expect(await h.deps.prisma.vacancy.count()).toBe(before);
    const partly = await h.request("POST", "/api/vacancies/bulk?partial=true", { token: yunxiao, body: rows });
    expect(partly.status).toBe(201);
    expect(partly.body.ids).toEqual([expect.any(String), null, null, expect.any(String)]);
    expect(partly.body.errors.map((error: { index: number; problem: string }) => [error.index, error.problem])).toEqual([
      [1, "invalid"],
      [2, "outside"],
    ]);
    expect(await h.deps.prisma.vacancy.count()).toBe(before + 2);
  });

  it("are closed and edited by PATCH, an edit checked with what the vacancy keeps, and the change queued for the index", async () => {
    const posted = await h.request("POST", "/api/vacancies", { token: admin, body: { title: "电商客服", regionCode: "350622" } });
    const id = posted.body.vacancy.id;
    await h.deps.prisma.job.update({ where: { key: `index:vacancy:${id}` }, data: { status: "done" } });
    const closed = await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: { status: "closed" } });
    expect(closed.status).toBe(200);
    expect(closed.body.vacancy.status).toBe("closed");
    expect((await h.deps.prisma.job.findUniqueOrThrow({ where: { key: `index:vacancy:${id}` } })).status).toBe("pending");
    expect((await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: {} })).status).toBe(400);
    // An edit is checked with what the vacancy keeps: a lowest wage above its highest is refused, and nothing changes.
    const paid = await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: { wageMin: 3000, wageMax: 4000, deadline: "2027-01-31" } });
    expect(paid.body.vacancy).toMatchObject({ wageMin: 3000, wageMax: 4000 });
    expect((await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: { wageMin: 4500 } })).status).toBe(400);
    const retitled = await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: { title: "网店客服专员", deadline: null } });
    expect(retitled.body.vacancy).toMatchObject({ title: "网店客服专员", wageMin: 3000, wageMax: 4000, deadline: null });
    expect((await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: { regionCode: "350623100" } })).status).toBe(403);
    expect((await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id } })).regionCode).toBe("350622");
    expect((await h.request("PATCH", "/api/vacancies/0190a000-0000-7000-8000-000000000000", { token: admin, body: { status: "open" } })).status).toBe(404);
  });

  it("refuse a field they do not know, naming it, and change nothing: the work is read from the title, not sent", async () => {
    const before = await h.deps.prisma.vacancy.count();
    const posted = await h.request("POST", "/api/vacancies", { token: yunxiao, body: { title: "育婴员", regionCode: "350622", occupationCode: "4-10-01-06" } });
    expect(posted.status).toBe(400);
    expect(posted.body.error.code).toBe("validation_failed");
    expect(JSON.stringify(posted.body.error.details)).toContain("occupationCode");
    expect(await h.deps.prisma.vacancy.count()).toBe(before);

    const kept = await h.request("POST", "/api/vacancies", { token: yunxiao, body: { title: "育婴员", regionCode: "350622", wageMin: 4000, wageMax: 5000 } });
    const id = kept.body.vacancy.id as string;
    // A misspelt field beside a good one: neither is applied.
    const misspelt = await h.request("PATCH", `/api/vacancies/${id}`, { token: yunxiao, body: { wageMax: 6000, wage_min: 5500 } });
    expect(misspelt.status).toBe(400);
    expect(JSON.stringify(misspelt.body.error.details)).toContain("wage_min");
    expect(await h.deps.prisma.vacancy.findUniqueOrThrow({ where: { id } })).toMatchObject({ wageMin: 4000, wageMax: 5000 });
    // Another system's export keeps its extra columns: the bulk import reads the fields it knows.
    const bulk = await h.request("POST", "/api/vacancies/bulk", { token: yunxiao, body: [{ title: "竹编工", regionCode: "350622", 来源: "县人社局" }] });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(201);
  });
});
