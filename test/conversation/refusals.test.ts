// The chat's door maps a verb's refusal once: when the records refuse what the engine decided, the
// person hears a short sentence with a way on, nothing of the turn is done, and the next message
// answers the same question again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refusalSentence } from "../../src/conversation/host.ts";
import { DomainError } from "../../src/shared/errors.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker, residentId, type TestWorker } from "../support/people.ts";

let h: Harness;
let worker: TestWorker;
let refuseIdNumbers = false;

beforeAll(async () => {
  h = await createHarness();
  // The ID number's look-up refuses (as a verb would) while the switch is on; the app holds this very protector.
  const hash = h.deps.pii.hash.bind(h.deps.pii);
  h.deps.pii.hash = (kind, value) => {
    if (refuseIdNumbers && kind === "id") throw new DomainError("unavailable", "the ID register does not answer");
    return hash(kind, value);
  };
  worker = await registerTestWorker(h, { name: "林秀英", homeRegionCode: "350622103201", birthDate: "1980-01-01", sex: "female" });
});
afterAll(() => h.close());

async function say(text: string): Promise<string> {
  const response = await h.request("POST", "/api/simulator/messages", { body: { from: worker.address, text } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.replies as { text: string }[]).map((reply) => reply.text).join("\n");
}

describe("a refused event in a chat turn", () => {
  it("every refusal is one SMS with a way on", () => {
    for (const code of ["validation_failed", "forbidden", "not_found", "conflict", "unavailable"] as const) {
      const sentence = refusalSentence(new DomainError(code, "x"));
      expect(sentence.length).toBeLessThanOrEqual(70);
      expect(sentence).toMatch(/人工|再发/);
    }
  });

  it("is told in a sentence; the record and the session stay as they were", async () => {
    const menu = await say("修改");
    const option = menu.split("\n").find((line) => /^\d /.test(line) && line.includes("身份证"))!.split(" ")[0]!;
    await say(option);
    const newId = residentId("1980-01-01", "female", 33);
    expect(await say(newId)).toContain("对吗");
    const before = await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } });
    refuseIdNumbers = true;
    const refused = await say("1");
    refuseIdNumbers = false;
    expect(refused).toBe(refusalSentence(new DomainError("unavailable", "")));
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).idNumberHash).toBe(before.idNumberHash);
    // The same question again: confirming now changes the record.
    const confirmed = await say("1");
    expect(confirmed).toContain("已改好");
    expect((await h.deps.prisma.worker.findUniqueOrThrow({ where: { id: worker.id } })).idNumberMasked).toBe(`${newId.slice(0, 6)}********${newId.slice(-4)}`);
  });
});
