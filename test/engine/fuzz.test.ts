// A fuzz of the conversation: every step the flows reach is sent a few hundred inputs people and
// attackers type (emoji, control characters, 10,000 characters, full-width digits, mixed scripts,
// SQL and XML fragments, numbers out of range). No turn may throw, no reply may go over the
// channel's budget, and the session must stay one the engine can load: a known step, plain JSON.
import { describe, expect, it } from "vitest";
import { renderReplies, resume } from "../../src/engine/index.ts";
import type { EmployerProfile, EngineContext, Session } from "../../src/engine/index.ts";
import { STEPS } from "../../src/engine/flows/index.ts";
import { benefitsView, loadPolicyLibrary, policiesFor } from "../../src/policies/index.ts";
import { seededRandom } from "../support/seeded.ts";
import { context, conversation, fakeBoard, REGISTERED, SMS, WECHAT } from "./support.ts";


const PIECES = [
  "1", "2", "9", "0", "10", "99", "-1", "999999999", "1e9", "NaN", "3.5", "１", "２３", "一", "十二", "①", "1、", "是", "否", "同意", "不同意",
  "人工", "退订", "TD", "STOP", "订阅", "删除我的信息", "确认删除", "帮助", "返回", "重新开始", "我的信息", "修改", "找工作", "报名", "换一批", "不合适", "查看报名", "已录用", "关闭 1",
  "😀", "👍🏽", "🇨🇳", "\u0000", "\u0007", "\u001b[2J", "\r\n", "\t", "\u200b", "\u202e", "\ufeff", "\ud800",
  "'; DROP TABLE \"Worker\"; --", "1 OR 1=1", "<xml><![CDATA[", "]]>", "&amp;", "<script>alert(1)</script>", "${jndi:x}", "{{7*7}}",
  "张三", "云霄县", "莆美", "350622199001011230", "13800000001", "+8613800000001", "3000-4500元/月", "150元/天", "计件", "18-55", "长期", "2027-01-01",
  "Ａｂｃ", "Ελληνικά", "русский", "العربية", "ｶﾀｶﾅ", "   ", "",
];

function randomInput(random: () => number): string {
  const roll = random();
  if (roll < 0.03) return "长".repeat(10_000);
  if (roll < 0.05) return Array.from({ length: 2_000 }, () => PIECES[Math.floor(random() * PIECES.length)]).join("");
  const parts = 1 + Math.floor(random() * 3);
  return Array.from({ length: parts }, () => PIECES[Math.floor(random() * PIECES.length)]).join(random() < 0.5 ? "" : " ");
}

const EMPLOYER: EmployerProfile = { id: "e1", name: "莆美镇竹编帮扶车间", kind: "workshop", regionCode: "350622103", regionName: "云霄县莆美镇", trusted: true };
const board = fakeBoard({
  employerVacancies: [{ id: "ev1", title: "竹编工", status: "open", applicants: 1, hired: 0 }],
  applicants: { ev1: [{ applicationId: "a1", name: "张三", age: 35, placeName: "莆东村", phone: "138****5678", status: "applied" }] },
});

/** Walks that reach the flows' steps, each in the context it runs in. */
const WALKS: { name: string; ctx: EngineContext; phone?: string; texts: string[] }[] = [
  {
    name: "a worker registering by SMS",
    ctx: context(SMS),
    phone: "+8613800000001",
    texts: ["你好", "1", "同意", "张三", "350622199001011230", "云霄县", "莆美", "1", "1", "4", "家政", "1", "3", "3000", "1", "电工", "1"],
  },
  {
    name: "a worker registering on WeChat",
    ctx: context(WECHAT),
    texts: ["你好", "1", "1", "李四", "350622199001011230", "13800000001", "云霄", "莆美", "1", "2", "4", "保洁", "1", "1", "2500", "2", "修改", "1", "1"],
  },
  {
    name: "a worker on WeChat from a county whose name repeats, who corrects the summary",
    ctx: context(WECHAT),
    texts: ["你好", "1", "1", "王五", "350622199001011230", "13800000002", "鼓楼区", "1", "1", "1", "2", "4", "当保安", "1", "1", "3000", "2", "修改", "1", "王六", "1"],
  },
  {
    name: "an employer on WeChat from a county whose name repeats, posting elsewhere",
    ctx: context(WECHAT, undefined, { board }),
    texts: ["你好", "2", "鼓楼家政服务部", "1", "没有", "陈红", "13900000002", "鼓楼区", "1", "1", "东街1号", "1", "家政", "1", "2", "2", "鼓楼区", "福州", "1", "3000元/月", "8", "20-50", "2", "无", "1", "1", "长期", "1"],
  },
  {
    name: "an employer with two vacancies marking a hire",
    ctx: context(SMS, undefined, { employer: { id: "e1", name: "莆美镇竹编帮扶车间", kind: "workshop", regionCode: "350622103", regionName: "云霄县莆美镇", trusted: true }, board: fakeBoard({ employerVacancies: [{ id: "ev1", title: "竹编工", status: "open", applicants: 1, hired: 0 }, { id: "ev2", title: "包装工", status: "open", applicants: 1, hired: 0 }], applicants: { ev1: [{ applicationId: "a1", name: "张三", age: 35, placeName: "莆东村", phone: "138****5678", status: "applied" }], ev2: [{ applicationId: "a2", name: "李四", age: 30, placeName: "莆南村", phone: "138****1111", status: "applied" }] } }) }),
    phone: "+8613900000001",
    texts: ["你好", "已录用", "2", "1"],
  },
  { name: "a registered worker turning a job down", ctx: context(SMS, REGISTERED, { board }), phone: "+8613800000001", texts: ["找工作", "1", "不合适", "1", "找工作", "2", "报名"] },
  { name: "a worker whose wished job needs confirming", ctx: context(SMS), phone: "+8613800000003", texts: ["你好", "1", "同意", "张三", "350622199001011230", "云霄县", "莆美", "1", "1", "4", "当保安"] },
  {
    name: "a roster person by SMS from their household's number",
    ctx: context(SMS, undefined, { rosterMatches: ["陈秀英", "陈文华", "陈志明", "陈海燕", "陈国强", "陈小芳"].map((name, at) => ({ key: `r${at}`, name, placeName: "云霄县莆美镇莆东村" })) }),
    phone: "+8613800000007",
    texts: ["1", "9", "6", "同意", "1", "2", "3000", "想学电工"],
  },
  {
    name: "a roster person on WeChat, proven by a code to the roster's phone",
    ctx: context(WECHAT, undefined, { board: fakeBoard({ roster: { "张三 350622199001011230": { key: "r1", phoneMasked: "138****0001", code: "123456" } } }) }),
    texts: ["你好", "1", "同意", "张三", "350622199001011230", "000000", "重发", "123456", "1", "2", "3000", "不想"],
  },
  { name: "linking a phone on WeChat", ctx: context(WECHAT), texts: ["你好", "3", "13800000001", "123456", "重发", "绑定手机"] },
  {
    name: "an employer registering and posting",
    ctx: context(SMS, undefined, { board }),
    phone: "+8613900000001",
    // …and a second vacancy on the first one's terms
    texts: ["你好", "2", "云霄县莆美保洁服务部", "1", "没有", "郑明", "云霄", "莆美", "莆东村8号", "1", "保洁员", "1", "2", "1", "2500-3000元/月", "8", "18-55", "1", "无", "4", "1", "长期", "1", "1", "包装工", "1", "3", "1", "1", "长期", "1"],
  },
  { name: "a registered worker", ctx: context(SMS, REGISTERED, { board }), phone: "+8613800000001", texts: ["你好", "1", "1", "报名", "1", "换一批", "不合适", "2", "0", "2", "我的信息", "修改", "1", "张四", "1"] },
  {
    name: "a registered worker answering 补贴's questions",
    ctx: context(SMS, REGISTERED, {
      board: fakeBoard({
        benefits: (told) =>
          benefitsView(policiesFor(loadPolicyLibrary(), "350622103207"), { birthDate: "1990-01-01", sex: "male", povertyStatus: "registered", categories: [], homeRegionCode: "350622103207", employmentStatus: "seeking", trainingCompleted: 0 }, { today: "2025-03-03", workRange: "anywhere", told }),
      }),
    }),
    phone: "+8613800000001",
    // …up to the year of leaving school, the one question answered in free text
    texts: ["你好", "补贴", "1", "不是", "5"],
  },
  { name: "an employer's home", ctx: context(SMS, undefined, { employer: EMPLOYER, board }), phone: "+8613900000001", texts: ["你好", "5", "2", "2", "查看报名 1", "已录用", "1", "1", "关闭 1", "1"] },
];

const INPUTS_PER_STEP = 200;
/** Every step some walk reached: together they must cover every step of every flow. */
const reached = new Set<string>();

describe("the conversation, fuzzed at every step", () => {
  for (const walk of WALKS) {
    it(`${walk.name}: never throws, never overruns a message, always leaves a session it can load`, async () => {
      // The sessions the walk passes through, one per step.
      const chat = conversation(walk.ctx, walk.phone ? { phone: walk.phone } : {});
      const atStep = new Map<string, Session>();
      for (const text of walk.texts) {
        const turn = await chat.say(text);
        atStep.set(turn.session.step, turn.session);
        reached.add(turn.session.step);
      }
      expect(atStep.size).toBeGreaterThan(1);

      const random = seededRandom(20261205);
      for (const [step, session] of atStep) {
        const stored = JSON.stringify(session);
        for (let i = 0; i < INPUTS_PER_STEP; i++) {
          const text = randomInput(random);
          const where = `${walk.name}, step ${step}, input ${i}: ${JSON.stringify(text.slice(0, 80))}`;
          let result;
          try {
            result = await resume(walk.ctx, JSON.parse(stored) as Session, { text, at: "2025-03-03T02:30:00.000Z", ...(walk.phone ? { phone: walk.phone } : {}) });
          } catch (error) {
            throw new Error(`${where} threw ${String(error)}`);
          }
          for (const part of renderReplies(result.replies, walk.ctx.capabilities)) {
            if (part.length > walk.ctx.capabilities.textBudget) throw new Error(`${where} replied over budget: ${part}`);
          }
          const after = JSON.parse(JSON.stringify(result.session)) as Session;
          if (!(after.step in STEPS)) throw new Error(`${where} left the session at an unknown step ${after.step}`);
        }
      }
    });
  }

  it("has walked to every step of every flow (a new step needs a walk that reaches it)", () => {
    expect(Object.keys(STEPS).filter((step) => !reached.has(step))).toEqual([]);
  });
});
