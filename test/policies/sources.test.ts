// Every rule cites the policy text it comes from: each quote must appear, as written, in the
// source file it names, and each amount's number in one of its quotes. The texts live beside the
// repository (/work/shared/policy-sources); without them the check is skipped, not passed.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT_IN_DOCUMENTS, parsePolicyDocument } from "../../src/policies/index.ts";

const SOURCES = resolve(import.meta.dirname, "../../../shared/policy-sources");
const haveSources = existsSync(SOURCES);
if (!haveSources) console.warn(`policy source check skipped: ${SOURCES} not found`);

const documents = BUILT_IN_DOCUMENTS.map(({ file, data }) => ({ file, document: parsePolicyDocument(data, file) }));
const citations = documents.flatMap(({ file, document }) =>
  document.benefits.flatMap((benefit) => benefit.sources.flatMap((source) => source.quotes.map((quote) => ({ where: `${file} ${benefit.id}`, source: source.file, quote })))),
);

/** 10000 may be written 1万. */
const spellings = (yuan: number) => [String(yuan), ...(yuan % 10000 === 0 ? [`${yuan / 10000}万`] : [])];

describe.skipIf(!haveSources)(`quotes against the policy texts in ${SOURCES}`, () => {
  const texts = haveSources ? new Map(readdirSync(SOURCES).map((name) => [name, readFileSync(join(SOURCES, name), "utf8")])) : new Map<string, string>();

  it("cites only files of the policy sources", () => {
    expect(citations.length).toBeGreaterThan(40);
    expect(citations.filter(({ source }) => !texts.has(source)).map(({ where, source }) => `${where}: ${source}`)).toEqual([]);
  });

  it("quotes every sentence exactly as it stands in the file it names", () => {
    const missing = citations.filter(({ source, quote }) => !texts.get(source)?.includes(quote));
    expect(missing.map(({ where, source, quote }) => `${where}: not in ${source}: ${quote}`)).toEqual([]);
  });

  it("takes every amount's number from the benefit's own quotes", () => {
    const unquoted = documents.flatMap(({ file, document }) =>
      document.benefits.flatMap((benefit) => {
        const yuan = benefit.amount?.yuan;
        if (yuan === undefined) return [];
        const quotes = benefit.sources.flatMap((source) => source.quotes).join("");
        return spellings(yuan).some((spelling) => quotes.includes(spelling)) ? [] : [`${file} ${benefit.id}: ${yuan}`];
      }),
    );
    expect(unquoted).toEqual([]);
  });

  it("names the documents' regions as their source files do", () => {
    const headers: Record<string, string> = {
      "national.json": "004_974dd0f1b3a718a1.txt",
      "35.json": "001_088f5ed1ac161683.txt",
      "3506.json": "000_66e3b0943fdf97b4.txt",
      "36.json": "002_8f3839c427bbcc6c.txt",
      "50.json": "003_0bf69d8d283b493c.txt",
    };
    const regionWords: Record<string, string> = { "national.json": "人力资源社会保障部", "35.json": "福建", "3506.json": "漳州", "36.json": "江西", "50.json": "重庆" };
    for (const { file, document } of documents) {
      const sourceFile = headers[file]!;
      expect(texts.get(sourceFile)!.slice(0, 600), `${sourceFile} is about ${regionWords[file]}`).toContain(regionWords[file]!);
      expect(new Set(document.benefits.flatMap((benefit) => benefit.sources.map((source) => source.file))), file).toEqual(new Set([sourceFile]));
    }
  });
});
