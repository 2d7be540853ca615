// What the records answer back in a chat turn, as facts (the course enrolled in, who will call),
// and the one place they become words: the host renders them like every other reply, through the
// channel's budget (test/engine/record-facts.test.ts holds each to one SMS).
import { chinaDateText } from "../shared/china-time.ts";
import type { Outbound } from "../engine/types.ts";

export type RecordFact =
  /** a coordinator will call (人工): their name */
  | { kind: "coordinatorWillCall"; coordinator: string }
  /** registered: the coordinator who follows them up */
  | { kind: "yourCoordinator"; coordinator: string }
  /** the ID number is another registered person's: a coordinator checks */
  | { kind: "idNumberTaken"; while: "registering" | "editing" }
  /** the credit code is another contact's employer: a coordinator checks */
  | { kind: "creditCodeTaken" }
  | { kind: "vacancyFilled" }
  | { kind: "employerNotRegistered" }
  | { kind: "applicantNotFound" }
  | { kind: "registerBeforeTraining" }
  | { kind: "enrolled"; course: string; startsAt: string }
  | { kind: "alreadyEnrolled"; course: string }
  | { kind: "courseFull"; course: string }
  | { kind: "courseClosed"; course: string }
  | { kind: "tooManyCodes" }
  | { kind: "phoneOnAnotherRecord" }
  | { kind: "phoneNotLinked" }
  | { kind: "rosterNotConfirmed" };

/** A coordinator's name as a sentence holds it (operators' names may be up to 60 characters). */
const NAME_MAX = 24;
/** A coordinator as a sentence names them: 协理员林小燕, and 林协理员 as it is (not 协理员林协理员). */
const coordinatorNamed = (name: string) => {
  const shown = name.slice(0, NAME_MAX);
  return shown.includes("协理员") ? shown : `协理员${shown}`;
};
/** A course's name as a sentence holds it. */
const course = (title: string) => title.slice(0, 16);

export function recordFactText(fact: RecordFact): string {
  switch (fact.kind) {
    case "coordinatorWillCall":
      return `${coordinatorNamed(fact.coordinator)}会尽快给您打电话。`;
    case "yourCoordinator":
      return `您的帮扶协理员是${fact.coordinator.slice(0, NAME_MAX)}，有事可回复"人工"。`;
    case "idNumberTaken":
      return fact.while === "editing" ? "这个身份证号已被登记，没有修改。协理员会联系您核实。" : "您的身份证号已登记过，协理员会联系您核实。";
    case "creditCodeTaken":
      return "这个信用代码已由别的联系人登记，协理员会联系您核实。";
    case "vacancyFilled":
      return '这个岗位刚招满了。回复"找工作"看别的岗位。';
    case "employerNotRegistered":
      return '请先登记单位：回复"我要招人"。';
    case "applicantNotFound":
      return '没有找到这位报名者，请回复"查看报名"再看看。';
    case "registerBeforeTraining":
      return "请先登记，登记后就能报名培训。";
    case "enrolled":
      return `报名成功！${course(fact.course)}，${chinaDateText(new Date(fact.startsAt))}开课，开课前两天提醒您。`;
    case "alreadyEnrolled":
      return `您已经报名了${course(fact.course)}，开课前会提醒您。`;
    case "courseFull":
      return `${course(fact.course)}名额满了，有新的班会再通知您。`;
    case "courseClosed":
      return `${course(fact.course)}已经停止报名了，有新的班会再通知您。`;
    case "tooManyCodes":
      return '验证码发得太多了，请一小时后再试，或回复"人工"。';
    case "phoneOnAnotherRecord":
      return "这个号码登记在另一份资料上，协理员会联系您核实。";
    case "phoneNotLinked":
      return '没有绑定成功，请回复"绑定手机号"再试。';
    case "rosterNotConfirmed":
      return '没有核实成功，请回复"人工"，协理员帮您核实。';
  }
}

/** A fact as a reply, for the renderer. */
export const recordFactReply = (fact: RecordFact): Outbound => ({ kind: "notice", text: recordFactText(fact) });
