// Rendering: numbered options, "9 更多" paging, cutting to the budget; and every prompt the flow can
// produce fits one SMS (the summary is split on purpose).
import { describe, expect, it } from "vitest";
import { occupationByCode, suggestOccupations } from "../../matching/occupations.ts";
import { renderReplies, renderText } from "../../src/engine/index.ts";
import type { Answers, EditableField, Outbound, Scratch, Session, StepId } from "../../src/engine/index.ts";
import { FIELD_LABELS } from "../../src/engine/profile.ts";
import { JOBS } from "../../src/engine/wished-work.ts";
import { context, conversation, lookups, SMS, T0, WECHAT } from "./support.ts";

describe("renderText", () => {
  const options = Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, label: `选项${i + 1}` }));

  it("numbers the options of a page from 1 and pages with 9", () => {
    expect(renderText({ kind: "question", text: "请选：", options, page: 0 }, SMS)).toEqual([
      "请选：\n1 选项1\n2 选项2\n3 选项3\n4 选项4\n5 选项5\n9 更多",
    ]);
    expect(renderText({ kind: "question", text: "请选：", options, page: 2, canGoBack: true }, SMS)).toEqual([
      "请选：\n1 选项11\n2 选项12\n9 从头看\n0 返回",
    ]);
  });

  it("shows up to eight options on a wide channel, 9 and 0 being reserved", () => {
    const [text] = renderText({ kind: "question", text: "请选：", options }, { ...WECHAT, maxMenuOptions: 20 });
    expect(text).toContain("8 选项8\n9 更多");
  });

  it("keeps a question's choices in one text when its text leaves no room for them all", () => {
    const lines = ["请核对：", "甲".repeat(30), "乙".repeat(60)];
    const parts = renderText({ kind: "question", text: lines.join("\n"), options: [{ key: "y", label: "确认" }, { key: "n", label: "修改" }], canGoBack: true }, SMS);
    expect(parts).toEqual([`请核对：\n${"甲".repeat(30)}`, "乙".repeat(60), "1 确认\n2 修改\n0 返回"]);
    // Where they all fit, they follow the text as before.
    expect(renderText({ kind: "question", text: "乙".repeat(50), options: [{ key: "y", label: "确认" }], canGoBack: true }, SMS)).toEqual([`${"乙".repeat(50)}\n1 确认\n0 返回`]);
  });

  it("cuts long texts between lines, and long lines after a clause", () => {
    const lines = Array.from({ length: 6 }, (_, i) => `第${i + 1}行：${"字".repeat(20)}`);
    const parts = renderText({ kind: "text", text: lines.join("\n") }, SMS);
    expect(parts).toHaveLength(3);
    expect(parts.join("\n")).toBe(lines.join("\n"));
    const clause = `${"甲".repeat(50)}，${"乙".repeat(50)}`;
    expect(renderText({ kind: "notice", text: clause }, SMS)).toEqual([`${"甲".repeat(50)}，`, "乙".repeat(50)]);
  });
});

describe("renderReplies", () => {
  const menu: Outbound = { kind: "question", text: "请回复数字：", options: [{ key: "a", label: "找工作" }, { key: "b", label: "补贴政策" }] };

  it("runs a turn's replies together on SMS where they fit one text, never splitting one", () => {
    expect(renderReplies([{ kind: "notice", text: "已改好。" }, menu], SMS)).toEqual(["已改好。\n请回复数字：\n1 找工作\n2 补贴政策"]);
    // Too long beside the next one: each goes as it was rendered.
    const long: Outbound = { kind: "notice", text: "长".repeat(45) };
    expect(renderReplies([long, menu], SMS)).toEqual(["长".repeat(45), "请回复数字：\n1 找工作\n2 补贴政策"]);
    expect(renderReplies([long, { kind: "text", text: "短" }, menu], SMS)).toEqual([`${"长".repeat(45)}\n短`, "请回复数字：\n1 找工作\n2 补贴政策"]);
  });

  it("keeps each reply its own message on WeChat", () => {
    expect(renderReplies([{ kind: "notice", text: "已改好。" }, menu], WECHAT)).toEqual(["已改好。", "请回复数字：\n1 找工作\n2 补贴政策"]);
  });
});

describe("every prompt fits the SMS budget", () => {
  const ANSWERS: Answers = {
    consent: true,
    name: "欧阳娜娜娜娜娜娜娜娜",
    idNumber: "350622199001011230",
    birthDate: "1990-01-01",
    sex: "male",
    phone: "+8613812345678",
    county: { code: "350622", name: "云霄县" },
    township: { code: "350622100", name: "云陵镇" },
    village: { code: "350622100017", name: "望安社区" },
    povertyStatus: "monitored",
    categories: ["minimumLivingAllowance", "extremeHardship", "disability"],
    // The most one SMS menu page lets a worker pick at once.
    wishedOccupations: JOBS.slice(0, SMS.maxMenuOptions).map((job) => ({ code: job.key, name: occupationByCode(job.key)!.name })),
    workRange: "anywhere",
    wageFloor: 50_000,
    wantsTraining: true,
    trainingWish: "电工焊工叉车电商直播育婴养老护理中式面点",
  };

  const 鼓楼 = lookups.findRegions("鼓楼", { level: 3, limit: 5 });

  async function positions(): Promise<{ step: StepId; scratch?: Scratch; label: string }[]> {
    const candidates = suggestOccupations("汽车销售", 5).map(({ code, name }) => ({ code, name }));
    const steps: StepId[] = ["purpose", "consent", "name", "idNumber", "phone", "county", "township", "village", "povertyStatus", "categories", "occupations", "workRange", "wageFloor", "training", "summary", "editField", "home"];
    return [
      ...steps.map((step) => ({ step, label: step })),
      { step: "countyChoice", scratch: { countyQuery: "鼓楼", countyCandidates: await 鼓楼 }, label: "several counties" },
      { step: "countyChoice", scratch: { countyQuery: "云宵县云宵县", countyCandidates: (await 鼓楼).slice(0, 1) }, label: "nearest county" },
      { step: "occupationConfirm", scratch: { occupationCandidates: candidates }, label: "occupation 对吗" },
      { step: "occupationConfirm", scratch: { occupationCandidates: candidates, occupationChoosing: true }, label: "occupation list" },
      { step: "occupationConfirm", scratch: { occupationCandidates: candidates, occupationsTyped: 3 }, label: "occupations 对吗" },
      { step: "occupationConfirm", scratch: { occupationCandidates: candidates, occupationsTyped: 2, occupationChoosing: true }, label: "occupations list" },
      ...(Object.keys(FIELD_LABELS) as EditableField[]).map((field) => ({
        step: "editConfirm" as const,
        scratch: { editedField: field },
        label: `editConfirm ${field}`,
      })),
    ];
  }

  const session = (step: StepId, scratch: Scratch = {}): Session => ({
    version: 1,
    step,
    answers: ANSWERS,
    scratch,
    history: [{ step: "purpose", answers: {}, scratch: {} }],
    mistakes: 2,
    lastAt: T0,
    optedOut: false,
  });

  it("on every page, and with the error shown after a wrong answer", async () => {
    for (const { step, scratch, label } of await positions()) {
      // "帮助" asks the question again after the help line; "9" turns every page; nonsense shows the
      // error with the menu, and (a third mistake) the offer of a coordinator. The conversation
      // helper checks every part against the budget.
      const chat = conversation(context(SMS), { phone: "+8613812345678", session: session(step, scratch) });
      const asked = await chat.say("帮助");
      const question = asked.sent.slice(1);
      if (step === "summary") expect(question.length, label).toBeGreaterThan(1);
      else expect(question, label).toHaveLength(1);
      for (let page = 0; page < 4; page++) {
        const turned = await chat.say("9");
        if (turned.session.scratch.page === undefined) break;
        expect(turned.sent, `${label} page ${page + 1}`).toHaveLength(1);
      }
      const wrong = await chat.say("？？啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊");
      expect(wrong.sent.length, label).toBeGreaterThan(0);
    }
  });

  it("and never shows a whole ID or phone number", async () => {
    for (const { step, scratch } of await positions()) {
      const chat = conversation(context(SMS), { phone: "+8613812345678", session: session(step, scratch) });
      const { sent } = await chat.say("帮助");
      expect(sent.join()).not.toMatch(/\d{11}/);
    }
  });
});
