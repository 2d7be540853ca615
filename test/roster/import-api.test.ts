// The roster import as another system (or curl) calls it: a multipart upload of .csv (UTF-8 or
// GB18030) or .xlsx, a dry run, an import run by the job runner and polled until done.
import { readFileSync } from "node:fs";
import { Workbook } from "@cj-tech-master/excelts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { buildApp } from "../../src/app.ts";
import { readCsv } from "../../src/shared/csv.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let official: string;
const sampleBytes = readFileSync(new URL("../fixtures/registry-sample.csv", import.meta.url));
const sample = readCsv(sampleBytes);

const upload = (bytes: Uint8Array<ArrayBuffer> | string, name: string) => {
  const form = new FormData();
  form.set("file", new Blob([bytes]), name);
  return form;
};

async function xlsxOf(lines: (string | number)[][]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet("名单");
  for (const line of lines) sheet.addRow(line);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** GB18030 bytes, as Excel in China saves "CSV": the header's and names' characters through a round trip of Node's decoder. */
function gb18030(text: string): Uint8Array<ArrayBuffer> {
  const decoder = new TextDecoder("gb18030");
  // Node has no GB18030 encoder: build the table for the characters the text uses from the decoder.
  const table = new Map<string, number[]>();
  for (let high = 0x81; high <= 0xfe; high++) {
    for (let low = 0x40; low <= 0xfe; low++) {
      if (low === 0x7f) continue;
      const char = decoder.decode(Uint8Array.from([high, low]));
      if (char.length === 1 && !table.has(char)) table.set(char, [high, low]);
    }
  }
  return Uint8Array.from([...text].flatMap((char) => (char.charCodeAt(0) < 0x80 ? [char.charCodeAt(0)] : (table.get(char) ?? [0x3f]))));
}

beforeAll(async () => {
  h = await createHarness();
  official = (await h.operator("countyOfficial", ["3506"])).token;
});
afterAll(() => h.close());

describe("POST /api/imports/roster", () => {
  it("checks a CSV in a dry run, in UTF-8 or GB18030, and an .xlsx the same", async () => {
    const dry = async (form: FormData) => h.request("POST", "/api/imports/roster?region=3506&dryRun=true", { token: official, body: form });
    const utf8 = await dry(upload(sampleBytes, "名单.csv"));
    expect(utf8.status).toBe(200);
    expect(utf8.body).toMatchObject({ rows: 44, new: 40, changed: 0, unchanged: 0 });
    expect(utf8.body.refused.map((row: { line: number }) => row.line)).toEqual([42, 43, 44, 45]);
    const gb = await dry(upload(gb18030(sampleBytes.toString("utf8")), "名单.csv"));
    expect(gb.body).toEqual(utf8.body);
    const xlsx = await dry(upload(await xlsxOf(sample), "名单.xlsx"));
    expect(xlsx.body).toEqual(utf8.body);
    expect(await h.deps.prisma.rosterImport.count()).toBe(0);
  });

  it("imports as a job and reports its progress; a phone kept in a number cell is read as written", async () => {
    // Phones typed into number cells (a careless export): read back as the digits, never as 1.37e10.
    const phoneAt = sample[0]!.indexOf("人联系电话");
    const lines = sample.slice(0, 11).map((cells, at) => (at === 0 || !cells[phoneAt] ? cells : cells.map((cell, column) => (column === phoneAt ? Number(cell) : cell))));
    const started = await h.request("POST", "/api/imports/roster?region=3506", { token: official, body: upload(await xlsxOf(lines), "名单.xlsx") });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ rows: 10, new: 10, importId: expect.any(String) });
    const poll = () => h.request("GET", `/api/imports/${started.body.importId}`, { token: official });
    expect((await poll()).body).toMatchObject({ status: "running", rowsDone: 0, rowsTotal: 10 });
    await createJobRunner({ deps: h.deps }).runOnce();
    expect((await poll()).body).toMatchObject({ status: "done", rowsDone: 10, rowsTotal: 10, new: 10, changed: 0, unchanged: 0, left: 0, refused: [] });
    const names = lines.slice(1).map((cells) => String(cells[sample[0]!.indexOf("姓名")]));
    expect(await h.deps.prisma.worker.count({ where: { name: { in: names }, registeredVia: "roster" } })).toBe(10);
    const first = await h.deps.prisma.rosterEntry.findFirstOrThrow({ where: { name: sample[1]![sample[0]!.indexOf("姓名")]! } });
    expect((await h.request("GET", `/api/workers/${first.workerId}`, { token: official })).body.worker).toMatchObject({ povertyStatus: "lifted", povertyConfirmed: true, declaredPovertyStatus: null });
    expect(first.phoneMasked).toBe(`${sample[1]![phoneAt]!.slice(0, 3)}****${sample[1]![phoneAt]!.slice(-4)}`);
    // Another official's county: neither the import's status nor a file for it.
    const elsewhere = (await h.operator("countyOfficial", ["350628"])).token;
    expect((await h.request("GET", `/api/imports/${started.body.importId}`, { token: elsewhere })).status).toBe(404);
    expect((await h.request("POST", "/api/imports/roster?region=3506&dryRun=true", { token: elsewhere, body: upload(sampleBytes, "名单.csv") })).status).toBe(403);
  });

  it("refuses an ID number Excel kept as a number (its last digits rounded away), saying so", async () => {
    const idAt = sample[0]!.indexOf("证件号码");
    const personAt = sample[0]!.indexOf("人编号");
    const lines: (string | number)[][] = [sample[0]!, sample[1]!.map((cell, column) => (column === idAt ? Number(cell) : cell)), sample[2]!.map((cell, column) => (column === personAt ? Number(cell) : cell)), sample[3]!];
    const checked = await h.request("POST", "/api/imports/roster?region=3506&dryRun=true", { token: official, body: upload(await xlsxOf(lines), "名单.xlsx") });
    expect(checked.body.rows).toBe(3);
    expect(checked.body.new + checked.body.unchanged).toBe(1);
    expect(checked.body.refused).toEqual([
      { line: 2, reason: "证件号码在表格里存成了数字，后几位已被改掉：请把这一列设成“文本”后重新导出" },
      { line: 3, reason: "人编号在表格里存成了数字，后几位已被改掉：请把这一列设成“文本”后重新导出" },
    ]);
  });

  it("says plainly what is wrong with the upload itself, and changes nothing", async () => {
    const bad = async (body: FormData | object, query = "region=3506&dryRun=true") => h.request("POST", `/api/imports/roster?${query}`, { token: official, body });
    expect((await bad({ file: "x" })).body.error).toMatchObject({ code: "validation_failed", message: expect.stringContaining("multipart") });
    const noFile = new FormData();
    noFile.set("other", "x");
    expect((await bad(noFile)).body.error.message).toContain("no file");
    expect((await bad(upload("姓名,民族\r\n甲,汉\r\n", "x.csv"))).body.error.message).toContain("证件号码");
    expect((await bad(upload(sampleBytes, "名单.csv"), "region=35062&dryRun=true")).status).toBe(400);
    expect((await bad(upload(sampleBytes, "名单.csv"), `region=3506&dryRun=true&mapping=${encodeURIComponent('{"身份证":"nonsense"}')}`)).status).toBe(400);
    // A mapping names a county's own header.
    const renamed = sampleBytes.toString("utf8").replace("证件号码", "身份证件号");
    const mapped = await bad(upload(renamed, "名单.csv"), `region=3506&dryRun=true&mapping=${encodeURIComponent('{"身份证件号":"idNumber"}')}`);
    expect(mapped.body).toMatchObject({ rows: 44, new: expect.any(Number) });
    expect(await h.deps.prisma.rosterImport.count({ where: { status: "staged" } })).toBe(0);
  });

  it("is not offered where the runtime cannot stream a large upload (Workers)", async () => {
    const app = buildApp({ ...h.deps, spreadsheets: undefined });
    const response = await app.request("/api/imports/roster?region=3506&dryRun=true", { method: "POST", body: upload(sampleBytes, "名单.csv"), headers: { authorization: `Bearer ${official}` } });
    expect(response.status).toBe(501);
  });
});
