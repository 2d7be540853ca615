// The spreadsheets officials download: what Excel needs to read them, and nothing a stranger typed
// into the chat may become a formula on an official's PC.
import { describe, expect, it } from "vitest";
import { csvField, csvText, readCsv, streamCsv } from "../../src/shared/csv.ts";

describe("csv", () => {
  it("starts with the byte-order mark, ends lines with CRLF, and quotes only where it must", () => {
    expect(csvText([["姓名", "人数"], ["林秀英", 3], ['说"好"', null], ["a,b", true]])).toBe('\ufeff姓名,人数\r\n林秀英,3\r\n"说""好""",\r\n"a,b",true\r\n');
  });

  it("writes a text that begins like a formula as text", () => {
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+86138")).toBe("'+86138");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField(-1)).toBe("-1"); // a number stays a number
    expect(csvField("林-秀英")).toBe("林-秀英");
  });

  it("reads what it writes, quoted fields and all, and Excel's GB18030 as well as UTF-8", () => {
    const lines = [["姓名", "说明"], ["林秀英", '说"好",\r\n再说'], ["", "x"]];
    expect(readCsv(new TextEncoder().encode(csvText(lines)))).toEqual(lines);
    // 你好,1 saved by Excel in China: GB18030 bytes, no byte-order mark.
    expect(readCsv(Uint8Array.from([0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0x31, 0x0d, 0x0a, 0x0d, 0x0a]))).toEqual([["你好", "1"]]);
  });

  it("reads a file piece by piece as it reads it whole, wherever the pieces break (a quote, a CRLF, a character's bytes)", async () => {
    const lines = [["姓名", "说明", "电话"], ["林秀英", '说"好",\r\n再说', "13800000000"], ["", "x", '""'], ["陈", "", "乙"]];
    const utf8 = new TextEncoder().encode(csvText(lines));
    // GB18030: 你好,"a""b"\r\n1,2
    const gb = Uint8Array.from([0xc4, 0xe3, 0xba, 0xc3, 0x2c, 0x22, 0x61, 0x22, 0x22, 0x62, 0x22, 0x0d, 0x0a, 0x31, 0x2c, 0x32]);
    const streamed = async (bytes: Uint8Array, cuts: number[]) => {
      const pieces = [0, ...cuts, bytes.length].slice(1).map((end, at, ends) => bytes.slice(at === 0 ? 0 : ends[at - 1], end));
      const rows: string[][] = [];
      for await (const row of streamCsv((async function* () { yield* pieces; })())) if (row.length > 0) rows.push(row);
      return rows;
    };
    for (const bytes of [utf8, gb]) {
      const whole = readCsv(bytes);
      for (let cut = 1; cut < bytes.length; cut++) expect(await streamed(bytes, [cut])).toEqual(whole);
      expect(await streamed(bytes, Array.from({ length: bytes.length - 1 }, (_, at) => at + 1))).toEqual(whole); // a byte at a time
    }
    expect(readCsv(gb)).toEqual([["你好", 'a"b'], ["1", "2"]]);
    // Streamed, an empty line stays a row, so that each row keeps the number the spreadsheet shows.
    const withGap: string[][] = [];
    for await (const row of streamCsv((async function* () { yield new TextEncoder().encode("a\r\n\r\n,\r\nb"); })())) withGap.push(row);
    expect(withGap).toEqual([["a"], [], [], ["b"]]);
  });
});
