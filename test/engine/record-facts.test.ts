// What the records answer in a chat turn is worded by the engine and rendered like every reply:
// every fact, with the longest names it can carry, fits one SMS.
import { describe, expect, it } from "vitest";
import { recordFactReply, renderText, type RecordFact } from "../../src/engine/index.ts";
import { SMS } from "./support.ts";

const LONG = "长".repeat(40);
const FACTS: RecordFact[] = [
  { kind: "coordinatorWillCall", coordinator: LONG },
  { kind: "yourCoordinator", coordinator: LONG },
  { kind: "idNumberTaken", while: "registering" },
  { kind: "idNumberTaken", while: "editing" },
  { kind: "creditCodeTaken" },
  { kind: "vacancyFilled" },
  { kind: "employerNotRegistered" },
  { kind: "applicantNotFound" },
  { kind: "registerBeforeTraining" },
  { kind: "enrolled", course: LONG, startsAt: "2026-12-31T15:59:00.000Z" },
  { kind: "alreadyEnrolled", course: LONG },
  { kind: "courseFull", course: LONG },
  { kind: "courseClosed", course: LONG },
  { kind: "tooManyCodes" },
  { kind: "phoneOnAnotherRecord" },
  { kind: "phoneNotLinked" },
];

describe("the records' facts, worded", () => {
  it("each fits one SMS, even with the longest names", () => {
    for (const fact of FACTS) {
      const [text, ...more] = renderText(recordFactReply(fact), SMS);
      expect(more, fact.kind).toEqual([]);
      expect(text!.length, `${fact.kind}: ${text}`).toBeLessThanOrEqual(SMS.textBudget);
    }
  });

  it("says what the records hold", () => {
    expect(renderText(recordFactReply({ kind: "enrolled", course: "家政服务员培训班", startsAt: "2026-06-10T01:00:00.000Z" }), SMS)).toEqual([
      "报名成功！家政服务员培训班，6月10日开课，开课前两天提醒您。",
    ]);
  });
});
