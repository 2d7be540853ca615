// A worker's right to have their personal data erased (个人信息保护法, 删除我的信息). Done at once, in
// the transaction of the request: consent is withdrawn (recorded), every channel of theirs is
// forgotten (its address replaced, so nothing can be pushed and a later message starts afresh),
// the name, ID and phone numbers, wishes and sessions are erased, and what they wrote is cleared
// from the timeline. What the county's figures count stays, without a name: the place, the poverty
// status, the birth date (the pension target counts the over-60s), employment, training and pushes.
import { recordConsent } from "./consents.ts";
import type { Tx } from "../db/client.ts";
import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/client.ts";
import { notFound } from "../shared/errors.ts";
import { queueIndexing } from "./search-sync.ts";


export const ERASED_NAME = "（已删除）";
export const ERASURE_WORDING = "删除我的信息：撤回同意，删除姓名、证件号、电话和聊天内容，只保留不含姓名的统计数据。";

/** Erases a worker's personal data; `by` is the operator who did it for them, or null when they asked in the chat. */
export async function eraseWorkerData(tx: Tx, workerId: string, options: { by: string | null; via: string; now: Date }): Promise<void> {
  const worker = await tx.worker.findUnique({ where: { id: workerId }, include: { identities: { select: { id: true, channel: true, address: true } } } });
  if (!worker) throw notFound("worker");
  if (worker.erasedAt) return;
  await recordConsent(tx, { identityId: null, workerId, kind: "data_processing", granted: false, wording: ERASURE_WORDING, channel: options.via }, options.now);
  await tx.worker.update({
    where: { id: workerId },
    data: {
      name: ERASED_NAME,
      idNumberEnc: null,
      idNumberHash: null,
      idNumberMasked: null,
      phoneEnc: null,
      phoneHash: null,
      phoneMasked: null,
      skills: [],
      categories: [],
      wishedOccupations: [],
      wageFloor: null,
      trainingWish: null,
      erasedAt: options.now,
    },
  });
  // What was sent to them or written about them under the worker's id; then their chats, by address.
  await blankOutbox(tx, { workerId }, options.now);
  await tx.planEvent.updateMany({ where: { workerId }, data: { text: null } });
  // The coordinator has nothing left to do for them; notes and call-back numbers go too.
  await tx.planTask.updateMany({ where: { plan: { workerId }, status: "open" }, data: { status: "cancelled", doneAt: options.now } });
  await tx.planTask.updateMany({ where: { plan: { workerId } }, data: { callbackPhoneEnc: null, note: null } });
  await forgetChats(tx, worker.identities, options.now);
  await queueIndexing(tx, "worker", workerId);
  await tx.auditLog.create({ data: { operatorId: options.by, action: "worker.erased", target: workerId, data: { via: options.via }, at: options.now } });
}

/** A chat not (yet) a worker's: its address, session and what it wrote are forgotten all the same. */
export async function eraseChat(tx: Tx, identityId: string, now: Date): Promise<void> {
  await forgetChats(tx, [await tx.channelIdentity.findUniqueOrThrow({ where: { id: identityId } })], now);
}

/**
 * Nothing queued goes out any more, and what went keeps neither its words nor the address (the
 * notices stay, without them, for the figures' pushes).
 */
async function blankOutbox(tx: Tx, where: Prisma.OutboxMessageWhereInput, now: Date): Promise<void> {
  await tx.outboxMessage.updateMany({ where: { AND: [where, { status: { in: ["pending", "sending"] } }] }, data: { status: "failed", lastError: "the person's data was erased", statusAt: now } });
  await tx.outboxMessage.updateMany({ where, data: { address: "erased", body: { erased: true } } });
}

/**
 * Chats forgotten: what was sent to their addresses (before registering, too, when no worker id
 * was on it), what they wrote, the call-back numbers and notes of their requests, their sessions;
 * each address is replaced by a tombstone no one can write from, and is no longer the worker's, so
 * no notice can find a way to them. The reply to this very turn is written after, and still goes.
 */
async function forgetChats(tx: Tx, identities: { id: string; channel: string; address: string }[], now: Date): Promise<void> {
  if (identities.length === 0) return;
  const ids = identities.map((identity) => identity.id);
  await blankOutbox(tx, { OR: identities.map(({ channel, address }) => ({ channel, address })) }, now);
  await tx.planEvent.updateMany({ where: { identityId: { in: ids } }, data: { text: null } });
  await tx.planTask.updateMany({ where: { identityId: { in: ids } }, data: { callbackPhoneEnc: null, note: null } });
  await tx.conversationSession.deleteMany({ where: { identityId: { in: ids } } });
  for (const id of ids) {
    await tx.channelIdentity.update({ where: { id }, data: { address: `erased:${randomUUID()}`, optedOutAt: now, workerId: null, employerId: null } });
  }
}
