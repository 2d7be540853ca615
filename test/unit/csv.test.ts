// The spreadsheets officials download: what Excel needs to read them, and nothing a stranger typed
// into the chat may become a formula on an official's PC.
import { describe, expect, it } from "vitest";
import { csvField, csvText, readCsv } from "../../src/shared/csv.ts";

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
});
