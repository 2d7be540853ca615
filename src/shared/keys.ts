// The idempotency keys of what the service sends: a notice to a person is one row per key, and its
// outbox messages carry the key, so a job run twice tells nobody twice. Built here and only here;
// the few that are read back (which notice a fallback belongs to, which application a follow-up
// asks about) are parsed here too, and test/unit/keys.test.ts holds each pair to a round trip.

export const noticeKeys = {
  jobPush: (vacancyId: string, workerId: string) => `job_push:${vacancyId}:${workerId}`,
  followUp: (applicationId: string, attempt: number) => `follow_up:${applicationId}:${attempt}`,
  hired: (applicationId: string) => `hired:${applicationId}`,
  trainingOffer: (courseId: string, workerId: string) => `training_offer:${courseId}:${workerId}`,
  /** one per start date: a course moved after its reminder went gets one for the new date */
  trainingReminder: (courseId: string, workerId: string, startsAt: Date) => `training_reminder:${courseId}:${workerId}:${startsAt.getTime()}`,
  trainingCancelled: (courseId: string, workerId: string) => `training_cancelled:${courseId}:${workerId}`,
  campaign: (campaignId: string, workerId: string) => `campaign:${campaignId}:${workerId}`,
  /** once per person, whichever invitation campaign reaches them first */
  invitation: (workerId: string) => `invitation:${workerId}`,
  /** the person told that a coordinator confirmed who they are */
  identityConfirmed: (taskId: string) => `identity_confirmed:${taskId}`,
  subsidy: (benefitId: string, workerId: string) => `subsidy:${benefitId}:${workerId}`,
};

/** What the service's own staff are sent by SMS. */
export const staffKeys = {
  /** the alert of a task; a second one, with the number to call, when the first went without it */
  coordinatorAlert: (taskId: string, withPhone: boolean) => `coordinator_alert:${taskId}${withPhone ? ":phone" : ""}`,
  coordinatorDigest: (coordinatorId: string, chinaDay: string) => `coordinator_digest:${coordinatorId}:${chinaDay}`,
};

/** The application a follow-up notice asks about (the engine's pending notice carries the key). */
export function applicationOfFollowUp(key: string): string | null {
  const match = /^follow_up:(.+):\d+$/.exec(key);
  return match ? match[1]! : null;
}

/** The outbox message of a chat reply: one per message in and reply, in order. */
export const replyKey = (channel: string, messageId: string, index: number) => `reply:${channel}:${messageId}:${String(index).padStart(3, "0")}`;

export const phoneCodeKey = (codeId: string) => `phone_code:${codeId}`;

/** A notice's outbox row has the notice's key; its fallback on another channel adds this and the channel. */
export const FALLBACK_SEPARATOR = ":via:";
export const fallbackKey = (key: string, channel: string) => `${key}${FALLBACK_SEPARATOR}${channel}`;
/** The notice an outbox message (the first try or a fallback) belongs to. */
export const noticeKeyOf = (idempotencyKey: string) => idempotencyKey.split(FALLBACK_SEPARATOR)[0]!;
