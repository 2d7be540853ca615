// Sessions over time: idle resumes and expiry, determinism, and the engine's import boundary.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resume, SESSION_EXPIRY_DAYS, start } from "../../src/engine/index.ts";
import type { RegisteredProfile, Session } from "../../src/engine/index.ts";
import { context, conversation, minutesAfter, REGISTERED, SMS, T0 } from "./support.ts";

const PHONE = "+8613812345678";
const DAY = 24 * 60;
const TO_TOWNSHIP = ["你好", "1", "1", "张三", "350622199001011230", "云霄"];

async function atTownship() {
  const chat = conversation(context(SMS), { phone: PHONE });
  for (const text of TO_TOWNSHIP) await chat.say(text);
  expect(chat.session()!.step).toBe("township");
  return chat;
}

const lastAt = (chat: { session(): Session | undefined }) => chat.session()!.lastAt;

describe("idle sessions", () => {
  it("resume where they stopped within a week", async () => {
    const chat = await atTownship();
    const turn = await chat.say("4", { at: minutesAfter(lastAt(chat), 6 * DAY) });
    expect(turn.sent.join()).toContain("请选村");
  });

  it("show the current question again when the reply makes no sense for it", async () => {
    const chat = await atTownship();
    const turn = await chat.say("你好", { at: minutesAfter(lastAt(chat), 3 * DAY) });
    expect(turn.sent.join("\n")).toMatch(/没找到这个乡镇[\s\S]*1 云陵镇/);
    expect(chat.session()!.step).toBe("township");
  });

  it(`start again kindly after ${SESSION_EXPIRY_DAYS} days, ignoring what the old question's answer was`, async () => {
    const chat = await atTownship();
    const turn = await chat.say("4", { at: minutesAfter(lastAt(chat), SESSION_EXPIRY_DAYS * DAY) });
    expect(turn.sent.join("\n")).toMatch(/好久不见[\s\S]*从头开始[\s\S]*1 找工作/);
    expect(turn.events).toEqual([]);
    expect(chat.session()).toMatchObject({ step: "purpose", answers: {}, history: [] });
  });

  it("still opt out after expiry", async () => {
    const chat = await atTownship();
    const turn = await chat.say("退订", { at: minutesAfter(lastAt(chat), 30 * DAY) });
    expect(turn.events).toEqual([{ type: "opted_out" }]);
    expect(turn.sent.join()).toContain("好久不见");
  });

  it("never expire for a registered worker at home", async () => {
    const registered: RegisteredProfile = { ...REGISTERED, povertyStatus: "none", categories: [], wishedOccupations: [], workRange: "anywhere", wantsTraining: false, trainingWish: null };
    const chat = conversation(context(SMS, registered), { phone: PHONE });
    await chat.say("你好");
    const turn = await chat.say("找工作", { at: minutesAfter(lastAt(chat), 60 * DAY) });
    expect(turn.events.map((event) => event.type)).toEqual(["jobs_requested", "jobs_shown"]);
  });
});

describe("determinism", () => {
  const ANSWERS = [...TO_TOWNSHIP, "4", "2", "5", "1", "1 3", "3", "三千", "想学电工", "2", "9", "2", "4500", "1"];

  it("gives the same replies, events and sessions for the same messages", async () => {
    const run = async () => {
      const chat = conversation(context(SMS), { phone: PHONE });
      for (const text of ANSWERS) await chat.say(text);
      return chat.log;
    };
    const [first, second] = [await run(), await run()];
    expect(second).toEqual(first);
    expect(first.at(-1)!.events.map((event) => event.type)).toEqual(["worker_registered"]);
  });

  it("does not change the session it is given", async () => {
    const ctx = context(SMS);
    const { session } = await start(ctx, { text: "找工作", at: T0, phone: PHONE });
    const frozen = JSON.stringify(session);
    await resume(ctx, session, { text: "1", at: minutesAfter(T0, 1), phone: PHONE });
    expect(JSON.stringify(session)).toBe(frozen);
  });

  it("takes menu clicks as what the worker would type", async () => {
    const chat = conversation(context(SMS), { phone: PHONE });
    await chat.say("你好");
    const click = await chat.say("", { event: "menu", eventKey: "找工作" });
    expect(click.sent.join()).toContain("1 同意");
  });
});

describe("the engine's boundary", () => {
  const directory = new URL("../../src/engine/", import.meta.url);
  const sources = readdirSync(directory).filter((file) => file.endsWith(".ts"));

  it.each(sources)("%s imports no I/O: no node:, db, http or bots", (file) => {
    const source = readFileSync(new URL(file, directory), "utf8");
    const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]!);
    for (const path of imports) expect(path, file).not.toMatch(/^node:|\/db\/|\/http\/|\/bots\//);
  });
});
