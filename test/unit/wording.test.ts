// Everything the service sends on its own is worded in src/wording, and each message fits one SMS
// even with the longest facts it can carry: names as long as the chat accepts, titles and places
// longer than any real one.
import { describe, expect, it } from "vitest";
import { SMS_TEXT_CHARS } from "../../src/shared/sms-text.ts";
import {
  applicantPhoneBody,
  coordinatorAlertBody,
  coordinatorDigestBody,
  followUpBody,
  hiredBody,
  jobPushBody,
  newApplicantBody,
  shorterPlaces,
  verificationCodeBody,
  type MessageBody,
} from "../../src/wording/notices.ts";
import { cancellationBody, offerParams, offerText, reminderParams, reminderText } from "../../src/wording/training.ts";

const NAME = "欧阳".padEnd(10, "长");
const LONG = "长".repeat(60);
const PHONE = "13800138000";
const AT = new Date("2026-12-31T12:30:00Z");

const bodies: [string, MessageBody][] = [
  ["job push", jobPushBody({ job: LONG, place: LONG, pay: "3000-4500元/月", board: "包吃住", reason: `是您想做的工作，就在本乡镇` })],
  ["new applicant", newApplicantBody({ name: NAME, age: 59, place: [LONG, LONG], job: LONG })],
  ["applicant's phone", applicantPhoneBody({ name: NAME, phone: PHONE, job: LONG })],
  ["hired", hiredBody({ employer: LONG, job: LONG })],
  ["follow-up", followUpBody({ name: NAME, employer: LONG, job: LONG })],
  ["verification code", verificationCodeBody("123456")],
  ["coordinator alert", coordinatorAlertBody({ label: "就业转失业预警", who: `${NAME}（${LONG}）`, phone: PHONE, note: `就业转失业预警：${LONG}` })],
  ["coordinator digest", coordinatorDigestBody({ coordinator: LONG, total: 120, parts: "回访40、失业预警30、人工求助20、核实单位20、推荐报名10" })],
  ["training offer", { text: offerText({ title: LONG, place: LONG, startsAt: AT, free: false, subsidyYuan: 1200, livingAllowance: 50 }), template: "training_offer", params: offerParams({ title: LONG, place: LONG, startsAt: AT, free: false, subsidyYuan: 1200, livingAllowance: 50 }) }],
  ["training reminder", { text: reminderText({ title: LONG, startsAt: AT, where: LONG }), template: "training_reminder", params: reminderParams({ title: LONG, startsAt: AT, where: LONG }) }],
  ["training cancelled", cancellationBody({ title: LONG, startsAt: AT })],
];

describe("the service's own messages", () => {
  it.each(bodies)("%s fits one SMS, and every template variable the providers' limit", (_name, body) => {
    expect(body.text.length, body.text).toBeLessThanOrEqual(SMS_TEXT_CHARS);
    for (const value of Object.values(body.params)) expect(value.length, value).toBeLessThanOrEqual(20);
  });

  it("names an applicant's place whole, or by fewer of its names, never a cut name", () => {
    const applied = (place: string[], name = "林秀珍") => newApplicantBody({ name, age: 46, place, job: "竹编工" }).text;
    expect(applied(["云霄县", "云陵镇", "望安社区"])).toBe('新报名：林秀珍，46岁，云霄县云陵镇望安社区，报"竹编工"。回复"查看报名"看详情');
    expect(applied(["屏边苗族自治县", "长".repeat(15) + "镇", "望安社区"], NAME)).toContain(`，${"长".repeat(15)}镇望安社区，`);
    expect(applied(["云霄县", "长".repeat(20) + "镇", "望安社区"], NAME)).toContain("，望安社区，");
    expect(applied([LONG])).toBe(`新报名：林秀珍，46岁，报"竹编工"。回复"查看报名"看详情`);
    expect(shorterPlaces(["市中区", "新乡镇", "镇海村"])).toEqual(["市中区新乡镇镇海村", "新乡镇镇海村", "镇海村", ""]);
  });

  it("says what the facts are", () => {
    expect(hiredBody({ employer: "莆美镇竹编帮扶车间", job: "竹编工" }).text).toBe("恭喜！莆美镇竹编帮扶车间录用了您（竹编工）。协理员一个月后回访您。");
    expect(coordinatorAlertBody({ label: "人工求助", who: "林秀英（莆美镇）", phone: PHONE, note: "在找工作时请求人工" }).text).toBe(
      "人工求助：林秀英（莆美镇），电话13800138000。在找工作时请求人工",
    );
  });
});
