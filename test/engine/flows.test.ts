// The flows' registry, and the session as it is loaded: each flow owns its step ids and every id has
// its step; a session this version wrote loads as it was; one an older version wrote (a step since
// renamed, an answer since reshaped) starts the person again with a word, never a crash.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SESSION_LOST, topicOf } from "../../src/engine/index.ts";
import { FLOWS, isStepId, STEPS } from "../../src/engine/flows/index.ts";
import { loadSession } from "../../src/engine/session.ts";
import { context, conversation, REGISTERED, SMS, WECHAT } from "./support.ts";

const storedDir = join(import.meta.dirname, "stored-sessions");
const stored = (name: string) => JSON.parse(readFileSync(join(storedDir, name), "utf8"));

describe("the flows", () => {
  it("own their step ids, each id once, and every id has its step", () => {
    const ids = FLOWS.flatMap((flow) => flow.ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const flow of FLOWS) expect(flow.steps.map((step) => step.id).sort(), flow.name).toEqual([...flow.ids].sort());
    for (const id of ids) expect(STEPS[id]?.id).toBe(id);
  });

  it("keep their vocabulary for their own steps only, so a renamed step cannot lose its words unseen", () => {
    for (const flow of FLOWS) {
      for (const step of Object.keys(flow.words ?? {})) expect(flow.ids, `${flow.name}.words.json names ${step}`).toContain(step);
    }
    expect(FLOWS.filter((flow) => flow.words).length).toBeGreaterThanOrEqual(6);
  });

  it("name the topic a coordinator reads", () => {
    expect(topicOf("vacancyPay")).toBe("发布岗位");
    expect(topicOf("jobDetail")).toBe("找工作");
    expect(topicOf("employerCountyChoice")).toBe("单位登记");
    expect(topicOf("applicantChoice")).toBe("单位菜单");
    expect(topicOf("countyChoice")).toBe("登记");
    expect(topicOf("a step since renamed")).toBe("登记");
  });
});

describe("a stored session", () => {
  it("written by this version loads as it was, and the conversation goes on from it", async () => {
    const files = readdirSync(storedDir).filter((name) => name.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(loadSession(stored(name)), name).toEqual({ session: stored(name) });
    const chat = conversation(context(SMS), { phone: "+8613800000001", session: stored("worker-choosing-county.json"), at: "2025-03-03T02:10:00.000Z" });
    const turn = await chat.say("3");
    expect(turn.session.answers.county).toMatchObject({ code: "350102" });
    expect(turn.sent.join("\n")).not.toContain(SESSION_LOST.registration);
  });

  it("with a step no flow knows starts registration again, keeping consent and the opt-out", async () => {
    const old = { ...stored("worker-choosing-county.json"), step: "countyPick", optedOut: true };
    expect(isStepId(old.step)).toBe(false);
    const chat = conversation(context(SMS), { phone: "+8613800000001", session: old, at: "2025-03-03T02:10:00.000Z" });
    const turn = await chat.say("3");
    expect(turn.sent[0]).toMatch(new RegExp(`^${SESSION_LOST.registration}\n请回复您的姓名`));
    expect(turn.session).toMatchObject({ step: "name", optedOut: true, answers: { consent: true }, history: [] });
  });

  it("with an answer of the wrong shape sends a known person back to their menu", async () => {
    const old = { ...stored("worker-choosing-county.json"), answers: { county: "鼓楼区" } };
    const chat = conversation(context(WECHAT, REGISTERED), { session: old, at: "2025-03-03T02:10:00.000Z" });
    const turn = await chat.say("1");
    expect(turn.sent[0]).toBe(SESSION_LOST.home);
    expect(turn.session.step).toBe("home");
  });

  it("that is not a session at all is not trusted either", () => {
    for (const junk of [null, "text", 42, { step: "home" }, { ...stored("employer-registering.json"), history: [{ step: "gone", answers: {}, scratch: {} }] }]) {
      expect(loadSession(junk)).toHaveProperty("unreadable");
    }
  });
});
