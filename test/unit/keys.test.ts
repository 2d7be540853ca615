// Keys that are read back must come apart into what built them: a fallback's notice, a follow-up's
// application. A change to either side that breaks the pair fails here, not in a lost delivery report.
import { describe, expect, it } from "vitest";
import { applicationOfFollowUp, fallbackKey, noticeKeyOf, noticeKeys, replyKey, staffKeys } from "../../src/shared/keys.ts";

describe("keys", () => {
  it("a fallback's outbox key leads back to its notice, however many channels it tried", () => {
    const notice = noticeKeys.followUp("0193b3f0-aaaa-7bbb-8ccc-000000000001", 2);
    expect(noticeKeyOf(fallbackKey(notice, "sms"))).toBe(notice);
    expect(noticeKeyOf(fallbackKey(fallbackKey(notice, "wechat"), "sms"))).toBe(notice);
    expect(noticeKeyOf(notice)).toBe(notice);
  });

  it("a follow-up notice's key gives back its application; other notices give none", () => {
    const applicationId = "0193b3f0-aaaa-7bbb-8ccc-000000000001";
    for (const attempt of [1, 2, 10]) expect(applicationOfFollowUp(noticeKeys.followUp(applicationId, attempt))).toBe(applicationId);
    expect(applicationOfFollowUp(noticeKeys.jobPush("v", "w"))).toBeNull();
    expect(applicationOfFollowUp(noticeKeys.hired(applicationId))).toBeNull();
  });

  it("keys of different things never collide", () => {
    const keys = [
      noticeKeys.jobPush("a", "b"),
      noticeKeys.followUp("a", 1),
      noticeKeys.hired("a"),
      noticeKeys.trainingOffer("a", "b"),
      noticeKeys.trainingReminder("a", "b", new Date(0)),
      noticeKeys.trainingCancelled("a", "b"),
      noticeKeys.campaign("a", "b"),
      noticeKeys.subsidy("a", "b"),
      staffKeys.coordinatorAlert("a", false),
      staffKeys.coordinatorAlert("a", true),
      staffKeys.coordinatorDigest("a", "2026-12-03"),
      replyKey("sms", "a", 0),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    // Replies sort in the order they were written.
    expect(replyKey("sms", "m", 2) < replyKey("sms", "m", 10)).toBe(true);
  });
});
