// Proving a phone number by a code sent to it by SMS, and linking the chat that proved it to the
// worker behind the number. A typed phone proves nothing (anyone can type anyone's number); a code
// that reached the phone does. Codes are stored hashed, live ten minutes, allow five tries, and a
// chat may ask for three an hour.
import { newSmsCode } from "../shared/tokens.ts";
import { verificationCodeBody } from "../wording/notices.ts";
import type { Db, Tx } from "../db/client.ts";
import { CHANNEL } from "../shared/channel-names.ts";
import { phoneCodeKey } from "../shared/keys.ts";
import { smsAddress } from "../delivery/personal-data.ts";
import type { PiiProtector } from "../shared/pii.ts";
import { alertCoordinator } from "./coordinator-alerts.ts";
import { recordTimeline } from "./timeline.ts";
import { queueIndexing } from "./search-sync.ts";
import { sealPhone } from "./workers.ts";

/** perHour: codes one chat may ask for; perPhonePerHour: codes one number may receive, whoever asks. */
export const PHONE_CODE = { ttlMs: 10 * 60_000, maxAttempts: 5, perHour: 3, perPhonePerHour: 5 } as const;


const codeHash = (pii: PiiProtector, identityId: string, phone: string, code: string) => pii.hash("phone_code", `${identityId}:${phone}:${code}`);

/** Sends a new code to the phone (by SMS, through the outbox); false when this chat asked too often. */
export async function sendPhoneCode(tx: Tx, pii: PiiProtector, identityId: string, phone: string, now: Date): Promise<boolean> {
  // Per chat and per number: many accounts guessing one number's code, or flooding it with SMS,
  // get no further than one would.
  const hourAgo = new Date(now.getTime() - 3600_000);
  const [byChat, byPhone] = await Promise.all([
    tx.phoneCode.count({ where: { identityId, createdAt: { gt: hourAgo } } }),
    tx.phoneCode.count({ where: { phoneHash: pii.hash("phone", phone), createdAt: { gt: hourAgo } } }),
  ]);
  if (byChat >= PHONE_CODE.perHour || byPhone >= PHONE_CODE.perPhonePerHour) return false;
  const code = newSmsCode();
  const row = await tx.phoneCode.create({
    data: { identityId, phoneHash: pii.hash("phone", phone), codeHash: codeHash(pii, identityId, phone, code), expiresAt: new Date(now.getTime() + PHONE_CODE.ttlMs), createdAt: now },
  });
  await tx.outboxMessage.create({
    data: {
      idempotencyKey: phoneCodeKey(row.id),
      channel: CHANNEL.sms,
      address: smsAddress(pii, phone),
      // The person is waiting for it: not a push, so quiet hours do not hold it back.
      purpose: "reply",
      body: verificationCodeBody(code),
      nextAttemptAt: now,
      createdAt: now,
    },
  });
  return true;
}

type CodeCheck = { result: "ok" } | { result: "wrong" | "expired" | "locked" | "none" };

export async function checkCode(db: Db, pii: PiiProtector, identityId: string, phone: string, code: string, now: Date): Promise<CodeCheck & { id?: string }> {
  const latest = await db.phoneCode.findFirst({
    where: { identityId, phoneHash: pii.hash("phone", phone), usedAt: null },
    orderBy: { createdAt: "desc" },
  });
  if (!latest) return { result: "none" };
  if (latest.attempts >= PHONE_CODE.maxAttempts) return { result: "locked" };
  if (latest.expiresAt <= now) return { result: "expired" };
  return latest.codeHash === codeHash(pii, identityId, phone, code) ? { result: "ok", id: latest.id } : { result: "wrong" };
}

/** The engine's look-up: is the code right, and whom would the link make this chat? */
export async function phoneCodeCheck(db: Db, pii: PiiProtector, identityId: string, phone: string, code: string, now: Date) {
  const check = await checkCode(db, pii, identityId, phone, code, now);
  if (check.result !== "ok") return { result: check.result };
  const [bySms, own] = await Promise.all([
    db.channelIdentity.findUnique({ where: { channel_address: { channel: CHANNEL.sms, address: smsAddress(pii, phone) } }, include: { worker: { select: { name: true } } } }),
    db.channelIdentity.findUnique({ where: { id: identityId }, include: { worker: { select: { name: true } } } }),
  ]);
  return { result: "ok" as const, workerName: bySms?.worker?.name ?? own?.worker?.name ?? null };
}

/** A wrong try counts against the code. */
export async function recordWrongCode(tx: Tx, pii: PiiProtector, identityId: string, phone: string): Promise<void> {
  const latest = await tx.phoneCode.findFirst({ where: { identityId, phoneHash: pii.hash("phone", phone), usedAt: null }, orderBy: { createdAt: "desc" } });
  if (latest) await tx.phoneCode.update({ where: { id: latest.id }, data: { attempts: { increment: 1 } } });
}

export type LinkResult =
  | { linked: true; workerId: string }
  | { linked: false; reason: "code" | "nobody" }
  /** the number's worker and this chat's worker are two records: a coordinator decides */
  | { linked: false; reason: "two_records" };

/**
 * Checks the code again (the engine's check was outside this transaction) and links: this chat
 * and the SMS number become the same worker's, the number becomes the worker's proven phone.
 */
export async function linkPhone(tx: Tx, pii: PiiProtector, identityId: string, phone: string, code: string, now: Date): Promise<LinkResult> {
  const check = await checkCode(tx, pii, identityId, phone, code, now);
  if (check.result !== "ok") return { linked: false, reason: "code" };
  await tx.phoneCode.update({ where: { id: check.id! }, data: { usedAt: now } });
  const own = await tx.channelIdentity.findUniqueOrThrow({ where: { id: identityId } });
  const address = smsAddress(pii, phone);
  const bySms = await tx.channelIdentity.upsert({
    where: { channel_address: { channel: CHANNEL.sms, address } },
    create: { channel: CHANNEL.sms, address },
    update: {},
  });
  if (own.workerId && bySms.workerId && own.workerId !== bySms.workerId) {
    // Where the coordinator of the number's worker sees it.
    const holder = await tx.worker.findUnique({ where: { id: bySms.workerId }, include: { plan: { select: { id: true } } } });
    const task = await tx.planTask.create({
      data: { createdAt: now,
        identityId,
        planId: holder?.plan?.id ?? null,
        regionCode: holder?.homeRegionCode ?? null,
        kind: "human_request",
        dueAt: new Date(now.getTime() + 24 * 3600_000),
        note: "微信验证了一个已由另一位工人登记的手机号：可能是同一人登记了两次，请核实后合并",
      },
    });
    await alertCoordinator(tx, task, now);
    return { linked: false, reason: "two_records" };
  }
  const workerId = bySms.workerId ?? own.workerId;
  if (!workerId) return { linked: false, reason: "nobody" };
  await tx.channelIdentity.update({ where: { id: identityId }, data: { workerId } });
  await tx.channelIdentity.update({ where: { id: bySms.id }, data: { workerId } });
  await tx.worker.update({ where: { id: workerId }, data: sealPhone(pii, phone) });
  // What this chat said before it was linked joins the worker's plan.
  await tx.planEvent.updateMany({ where: { identityId, workerId: null }, data: { workerId } });
  await queueIndexing(tx, "worker", workerId);
  await recordTimeline(tx, { identityId, workerId }, [{ kind: "channel_linked", channel: own.channel, data: { channels: [own.channel, CHANNEL.sms] } }], now);
  return { linked: true, workerId };
}
