// How a push and a list line name a job: as its employer wrote it when that is a plain name, so that
// the details a worker opens next say the same; the occupation's everyday name for a noisy title.
import { describe, expect, it } from "vitest";
import { jobName } from "../../matching/match.ts";
import { jobLine } from "../../src/conversation/chat-lookups.ts";

describe("a job's name in a push or a list", () => {
  it.each([
    [{ title: "竹编工", occupationCode: "5-05-06-05" }, "竹编工"], // not 竹藤师
    [{ title: "电焊工", occupationCode: "6-18-02-04" }, "电焊工"], // not 焊工
    [{ title: " 住家保姆 ", occupationCode: "4-10-01-06" }, "住家保姆"],
    [{ title: "竹编  草编", occupationCode: "5-05-06-05" }, "竹编 草编"], // two words, one space between
    [{ title: "普工/包装工", occupationCode: "6-31-05-00" }, "普工/包装工"],
    [{ title: "【急聘】商场保洁 月入过万", occupationCode: "4-09-08-01" }, "保洁员"],
    [{ title: "小区保洁包吃住长期招人", occupationCode: "4-09-08-01" }, "保洁员"],
    [{ title: "【急聘】月入过万", occupationCode: null }, "【急聘】月入过万"],
  ])("%o is %s", (vacancy, name) => {
    expect(jobName(vacancy)).toBe(name);
  });

  it("says the wished work once in a list line", () => {
    expect(jobLine({ title: "住家保姆", occupationCode: "4-10-01-06" }, "家政服务员·县内·月薪5500-7000")).toBe("住家保姆·县内·月薪5500-7000");
    expect(jobLine({ title: "家政服务员", occupationCode: "4-10-01-06" }, "家政服务员·县内")).toBe("家政服务员·县内");
    expect(jobLine({ title: "竹编工", occupationCode: "5-05-06-05" }, "同乡镇")).toBe("竹编工·同乡镇");
  });
});
