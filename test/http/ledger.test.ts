// The employment ledger (GET /api/reports/ledger) and the quarterly report as .xlsx, over a small
// 云霄县: a household the roster brought (never in touch), a seeker who registered in the chat, a
// worker hired through the service in 深圳, one who wants no work — and people who must not be in
// it (not poor, erased, of another county). The files are read back with excelts' reader.
import { readFileSync } from "node:fs";
import { Workbook, type Worksheet } from "@cj-tech-master/excelts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { readCsv } from "../../src/shared/csv.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";

const COUNTY = "350622"; // 云霄县
const VILLAGE = "350622103201"; // 莆美镇莆东村
const DAIDONG = "350622101204"; // 陈岱镇岱东村, the roster's household

const PERSON_HEADERS = ["姓名", "证件号码", "户编号", "人编号", "县(市、区)", "乡(镇)", "行政村", "行政区划代码", "脱贫属性"];
const EMPLOYED_HEADERS = [...PERSON_HEADERS, "就业类型", "务工地域", "务工省份", "务工市(州)", "就业单位", "工作岗位", "月工资(元)", "就业时间", "就业渠道"];
const UNEMPLOYED_HEADERS = [...PERSON_HEADERS, "未就业原因", "就业意愿", "培训意愿", "帮扶措施"];

let h: Harness;
let admin: string;
let official: string;
let coordinator: string;
let elsewhere: string;
let hired: { id: string; idNumber: string };
const roster = readCsv(readFileSync(new URL("../fixtures/registry-sample.csv", import.meta.url)));
const column = (name: string) => roster[0]!.indexOf(name);

async function get(path: string, token: string) {
  return h.app.request(path, { headers: { authorization: `Bearer ${token}` } });
}

async function workbookOf(response: Response): Promise<Workbook> {
  const book = new Workbook();
  await book.xlsx.load(new Uint8Array(await response.arrayBuffer()));
  return book;
}

/** A sheet's rows as cell values, the header first. */
function rowsOf(sheet: Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
  official = (await h.operator("countyOfficial", [COUNTY])).token;
  coordinator = (await h.operator("coordinator", [COUNTY])).token;
  elsewhere = (await h.operator("coordinator", ["350628"])).token;

  // The roster's first household (岱东村, five people) and a person of 诏安县.
  const form = new FormData();
  form.set("file", new Blob([roster.slice(0, 7).map((cells) => cells.join(",")).join("\r\n")]), "名单.csv");
  const started = await h.request("POST", "/api/imports/roster?region=3506", { token: admin, body: form });
  expect(started.status).toBe(202);
  await createJobRunner({ deps: h.deps }).runOnce();
  expect(await h.deps.prisma.rosterEntry.count()).toBe(6);

  // A seeker from the chat: wishes, a training wish, a job pushed to them and a coordinator's visit.
  const seeker = await registerTestWorker(h, {
    name: "林秀英",
    birthDate: "1985-04-12",
    sex: "female",
    homeRegionCode: VILLAGE,
    povertyStatus: "registered",
    wishedOccupations: ["4-10-01-06"],
    workRange: "province",
    wageFloor: 3000,
    wantsTraining: true,
  });
  await h.deps.prisma.worker.update({ where: { id: seeker.id }, data: { trainingWish: "家政" } });
  const employer = await h.deps.prisma.employer.create({ data: { name: "深圳市南山电子有限公司", regionCode: "440305" } });
  const vacancy = await h.deps.prisma.vacancy.create({ data: { title: "普工", employerId: employer.id, regionCode: "440305", wageMin: 4500, wageMax: 6000, wageUnit: "month" } });
  await h.deps.prisma.notice.create({ data: { kind: "job_push", workerId: seeker.id, vacancyId: vacancy.id, key: `job_push:${vacancy.id}:${seeker.id}`, regionCode: VILLAGE, sentAt: h.clock(), delivery: "delivered" } });
  await h.deps.prisma.planEvent.create({ data: { workerId: seeker.id, kind: "visit", text: "入户了解求职意向", at: h.clock() } });

  // Hired through the service, in 深圳 (out of the province).
  const worker = await registerTestWorker(h, { name: "张建国", birthDate: "1990-03-07", sex: "male", homeRegionCode: VILLAGE, povertyStatus: "lifted" });
  await h.deps.prisma.worker.update({
    where: { id: worker.id },
    data: { employmentStatus: "employedOutOfProvince", employedSince: new Date("2026-11-20T02:00:00Z"), employerId: employer.id, employedRegionCode: "440305", employedVacancyId: vacancy.id },
  });
  const sealed = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
  hired = { id: worker.id, idNumber: h.deps.pii.decrypt(sealed.idNumberEnc!) };

  // Wants no work; monitored.
  const resting = await registerTestWorker(h, { name: "陈阿婆", birthDate: "1962-09-30", sex: "female", homeRegionCode: VILLAGE, povertyStatus: "monitored" });
  await h.deps.prisma.worker.update({ where: { id: resting.id }, data: { employmentStatus: "notSeeking" } });

  // Not in the ledger: not poor and not on the roster; erased; of another county.
  await registerTestWorker(h, { name: "非贫困", birthDate: "1991-01-01", sex: "male", homeRegionCode: VILLAGE, povertyStatus: "none" });
  const erased = await registerTestWorker(h, { name: "已删除", birthDate: "1992-02-02", sex: "male", homeRegionCode: VILLAGE, povertyStatus: "registered" });
  await h.deps.prisma.worker.update({ where: { id: erased.id }, data: { erasedAt: h.clock() } });
  await registerTestWorker(h, { name: "平和人", birthDate: "1993-03-03", sex: "female", homeRegionCode: "350628100201", povertyStatus: "registered" });
});
afterAll(() => h.close());

describe("GET /api/reports/ledger", () => {
  it("is an .xlsx of two sheets, 已就业 and 未就业, its codes and ID numbers text cells, ID numbers in full for an official", async () => {
    const response = await get(`/api/reports/ledger?region=${COUNTY}`, official);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="zhitongche-ledger-350622-2026-12-03.xlsx"');
    expect(response.headers.get("x-id-numbers")).toBe("full");
    const book = await workbookOf(response);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(["已就业", "未就业"]);

    const [employedHeader, ...employed] = rowsOf(book.getWorksheet("已就业")!);
    expect(employedHeader).toEqual(EMPLOYED_HEADERS);
    expect(employed).toEqual([
      [
        "张建国",
        hired.idNumber,
        undefined,
        undefined,
        "云霄县",
        "莆美镇",
        "莆东村",
        VILLAGE,
        "脱贫户",
        "务工就业",
        "省外",
        "广东省",
        "深圳市",
        "深圳市南山电子有限公司",
        "普工",
        "4500-6000",
        "2026-11-20",
        "通过本服务",
      ],
    ]);
    // Text cells: strings, in the text format, never numbers Excel would show as 3.50622E+11.
    const sheet = book.getWorksheet("已就业")!;
    for (const address of ["B2", "H2"]) {
      expect(typeof sheet.getCell(address).value, address).toBe("string");
      expect(sheet.getCell(address).numFmt, address).toBe("@");
    }

    const [unemployedHeader, ...unemployed] = rowsOf(book.getWorksheet("未就业")!);
    expect(unemployedHeader).toEqual(UNEMPLOYED_HEADERS);
    // By village code, then household and person number: 岱东村 (陈岱镇) before 莆东村 (莆美镇).
    expect(unemployed.map((row) => row[0])).toEqual(["戴婷婷", "戴文华", "戴志明", "戴海燕", "戴国强", "林秀英", "陈阿婆"]);
    const first = roster[1]!;
    expect(unemployed[0]).toEqual([
      first[column("姓名")],
      first[column("证件号码")],
      first[column("户编号")],
      first[column("人编号")],
      "云霄县",
      "陈岱镇",
      "岱东村",
      DAIDONG,
      "脱贫户",
      "未核实（名单人员，尚未联系上本人）",
      undefined,
      undefined,
      "暂无",
    ]);
    const unemployedSheet = book.getWorksheet("未就业")!;
    for (const address of ["B2", "C2", "D2", "H2"]) {
      expect(typeof unemployedSheet.getCell(address).value, address).toBe("string");
      expect(unemployedSheet.getCell(address).numFmt, address).toBe("@");
    }
    expect(unemployed[5]!.slice(8)).toEqual(["未脱贫", "求职中", "家政服务员；地域：省内；月薪不低于3000元", "愿意：家政", "岗位推送1次、入户走访1次"]);
    expect(unemployed[6]!.slice(8, 10)).toEqual(["监测对象", "无就业意愿"]);
  });

  it("masks ID numbers for a coordinator, refuses one of another county, and audits every download", async () => {
    const before = await h.deps.prisma.auditLog.count({ where: { action: "ledger.exported" } });
    const response = await get(`/api/reports/ledger?region=${COUNTY}`, coordinator);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-id-numbers")).toBe("masked");
    const rows = rowsOf((await workbookOf(response)).getWorksheet("已就业")!);
    expect(rows[1]![1]).toBe(`${hired.idNumber.slice(0, 6)}********${hired.idNumber.slice(-4)}`);
    const admins = await get(`/api/reports/ledger?region=${COUNTY}&format=csv&sheet=employed`, admin);
    expect(readCsv(new Uint8Array(await admins.arrayBuffer()))[1]![1]).toBe(`="${hired.idNumber}"`);

    const refused = await get(`/api/reports/ledger?region=${COUNTY}`, elsewhere);
    expect(refused.status).toBe(403);
    expect((await get(`/api/reports/ledger?region=${COUNTY}`, "not-a-token")).status).toBe(401);

    const lines = await h.deps.prisma.auditLog.findMany({ where: { action: "ledger.exported" }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(lines.length - before).toBe(2);
    expect(lines.at(-2)).toMatchObject({
      target: COUNTY,
      data: { asOf: "2026-12-03", format: "xlsx", sheets: ["employed", "unemployed"], people: { employed: 1, unemployed: 7 }, idNumbers: "masked" },
    });
    expect(lines.at(-1)).toMatchObject({ data: { format: "csv", sheets: ["employed"], idNumbers: "full" } });
  });

  it("gives one sheet as CSV: UTF-8 with a byte-order mark, codes and ID numbers in the form Excel keeps as text", async () => {
    const response = await get(`/api/reports/ledger?region=${COUNTY}&format=csv&sheet=unemployed`, official);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("zhitongche-ledger-350622-2026-12-03-unemployed.csv");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = readCsv(bytes);
    expect(header).toEqual(UNEMPLOYED_HEADERS);
    expect(rows).toHaveLength(7);
    const first = roster[1]!;
    expect(rows[0]!.slice(0, 9)).toEqual([first[column("姓名")], `="${first[column("证件号码")]}"`, `="${first[column("户编号")]}"`, `="${first[column("人编号")]}"`, "云霄县", "陈岱镇", "岱东村", `="${DAIDONG}"`, "脱贫户"]);

    const employed = readCsv(new Uint8Array(await (await get(`/api/reports/ledger?region=${COUNTY}&format=csv&sheet=employed`, official)).arrayBuffer()));
    expect(employed[0]).toEqual(EMPLOYED_HEADERS);
    expect(employed.slice(1).map((row) => row[0])).toEqual(["张建国"]);
    // A CSV is one sheet: it must be named.
    expect((await get(`/api/reports/ledger?region=${COUNTY}&format=csv`, official)).status).toBe(400);
  });

  it("refuses a day that is not a date, or is after today", async () => {
    for (const asOf of ["2026-13-01", "2026-02-30", "yesterday", "2026-12-04"]) {
      const response = await get(`/api/reports/ledger?region=${COUNTY}&asOf=${asOf}`, official);
      expect(response.status, asOf).toBe(400);
      expect((await response.json()).error.code, asOf).toBe("validation_failed");
    }
    expect((await get(`/api/reports/ledger?region=99`, admin)).status).toBe(404);
  });

  it("stands at a past day: employment as it was then, from the figures' history", async () => {
    // Registered on 11-01, seeking until the hire was recorded on 11-20.
    await h.deps.prisma.worker.update({ where: { id: hired.id }, data: { createdAt: new Date("2026-11-01T02:00:00Z") } });
    await h.deps.prisma.workerFiguresChange.updateMany({ where: { workerId: hired.id }, data: { changedAt: new Date("2026-11-20T02:00:00Z") } });
    const sheets = async (asOf: string) => {
      const book = await workbookOf(await get(`/api/reports/ledger?region=${COUNTY}&asOf=${asOf}`, official));
      return { employed: rowsOf(book.getWorksheet("已就业")!).slice(1), unemployed: rowsOf(book.getWorksheet("未就业")!).slice(1) };
    };
    const before = await sheets("2026-11-15");
    expect(before.employed).toEqual([]);
    // Only he was registered then; the others came on 12-03.
    expect(before.unemployed.map((row) => [row[0], row[9]])).toEqual([["张建国", "求职中"]]);
    const after = await sheets("2026-11-25");
    expect(after.employed.map((row) => [row[0], row[10], row[13], row[16]])).toEqual([["张建国", "省外", "深圳市南山电子有限公司", "2026-11-20"]]);
    expect(after.unemployed).toEqual([]);
  });

  it("answers 501 for .xlsx where the runtime has no writer (Workers), and CSV still", async () => {
    const app = buildApp({ ...h.deps, spreadsheets: undefined });
    const ask = (path: string) => app.request(path, { headers: { authorization: `Bearer ${official}` } });
    const before = await h.deps.prisma.auditLog.count({ where: { action: "ledger.exported" } });
    expect((await ask(`/api/reports/ledger?region=${COUNTY}`)).status).toBe(501);
    expect((await ask(`/api/reports/quarterly?region=${COUNTY}&quarter=2026Q4&format=xlsx`)).status).toBe(501);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "ledger.exported" } })).toBe(before);
    expect((await ask(`/api/reports/ledger?region=${COUNTY}&format=csv&sheet=employed`)).status).toBe(200);
  });
});

describe("GET /api/reports/quarterly?format=xlsx", () => {
  it("is the CSV's columns and rows as one sheet, the region code a text cell", async () => {
    const csv = readCsv(new Uint8Array(await (await get(`/api/reports/quarterly?region=${COUNTY}&quarter=2026Q4`, official)).arrayBuffer()));
    const response = await get(`/api/reports/quarterly?region=${COUNTY}&quarter=2026Q4&format=xlsx`, official);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("zhitongche-350622-2026Q4.xlsx");
    expect(response.headers.get("x-figures-as-of")).toBeTruthy();
    const book = await workbookOf(response);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(["2026Q4季度报表"]);
    const sheet = book.worksheets[0]!;
    const rows = rowsOf(sheet);
    expect(rows[0]).toEqual(csv[0]);
    expect(rows.map((row) => csv[0]!.map((_, at) => (row[at] === undefined || row[at] === null ? "" : String(row[at]))))).toEqual(csv);
    expect(typeof sheet.getCell("A2").value).toBe("string");
    expect(sheet.getCell("A2").numFmt).toBe("@");
    expect(typeof sheet.getCell("C2").value).toBe("number");
  });
});

describe("the console's 数据 page", () => {
  async function signIn(token: string): Promise<string> {
    const response = await h.app.request("/console/sign-in", { method: "POST", body: new URLSearchParams({ token }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(303);
    return /zt_console=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")![1]!;
  }
  const open = (path: string, cookie: string) => h.app.request(path, { headers: { cookie: `zt_console=${cookie}` } });

  it("links the ledger (.xlsx, and each sheet as CSV) and the quarterly report as .xlsx; a coordinator's ledger is masked", async () => {
    const cookie = await signIn(coordinator);
    const page = await (await open(`/console/figures?region=${COUNTY}`, cookie)).text();
    const links = [...page.matchAll(/href="(\/console\/figures\/(?:ledger|report\.xlsx)\?[^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, "&"));
    expect(links).toEqual([
      `/console/figures/report.xlsx?region=${COUNTY}&quarter=2026Q4`,
      `/console/figures/ledger?region=${COUNTY}`,
      `/console/figures/ledger?region=${COUNTY}&format=csv&sheet=employed`,
      `/console/figures/ledger?region=${COUNTY}&format=csv&sheet=unemployed`,
    ]);
    const [report, ledger, employed, unemployed] = await Promise.all(links.map((link) => open(link, cookie)));
    expect(report!.headers.get("content-disposition")).toContain("zhitongche-350622-2026Q4.xlsx");
    expect((await workbookOf(report!)).worksheets).toHaveLength(1);
    expect(ledger!.headers.get("x-id-numbers")).toBe("masked");
    expect((await workbookOf(ledger!)).worksheets.map((sheet) => sheet.name)).toEqual(["已就业", "未就业"]);
    expect(readCsv(new Uint8Array(await employed!.arrayBuffer()))[0]).toEqual(EMPLOYED_HEADERS);
    expect(readCsv(new Uint8Array(await unemployed!.arrayBuffer()))[0]).toEqual(UNEMPLOYED_HEADERS);

    // Another county's ledger, or a day that is no date: a page that says so.
    expect((await open("/console/figures/ledger?region=350628", cookie)).status).toBe(403);
    expect((await open(`/console/figures/ledger?region=${COUNTY}&asOf=2026-02-30`, cookie)).status).toBe(400);
  });
});

