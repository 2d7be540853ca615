// A worker's right to have their personal data erased (个人信息保护法, 删除我的信息). Done at once, in
// the transaction of the request: consent is withdrawn (recorded), every channel of theirs is
// forgotten (its address replaced, so nothing can be pushed and a later message starts afresh),
// the name, ID and phone numbers, wishes and sessions are erased, and what they wrote is cleared
// from the timeline. What the county's figures count stays, without a name: the place, the poverty
// status, the birth date (the pension target counts the over-60s), employment, training and pushes.
import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/client.ts";
import { notFound } from "../shared/errors.ts";
import { queueIndexing } from "./search-sync.ts";

type Tx = Prisma.TransactionClient;

export const ERASED_NAME = "（已删除）";
export const ERASURE_WORDING = "删除我的信息：撤回同意，删除姓名、证件号、电话和聊天内容，只保留不含姓名的统计数据。";

/** Erases a worker's personal data; `by` is the operator who did it for them, or null when they asked in the chat. */
export async function eraseWorker(tx: Tx, workerId: string, options: { by: string | null; via: string; now: Date }): Promise<void> {
  const worker = await tx.worker.findUnique({ where: { id: workerId }, include: { identities: { select: { id: true } } } });
  if (!worker) throw notFound("worker");
  if (worker.erasedAt) return;
  const identityIds = worker.identities.map((identity) => identity.id);
  await tx.consent.create({ data: { workerId, kind: "data_processing", granted: false, wording: ERASURE_WORDING, channel: options.via, at: options.now } });
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
  await forgetIdentities(tx, identityIds, options.now);
  await tx.planEvent.updateMany({ where: { workerId }, data: { text: null } });
  await tx.planTask.updateMany({ where: { plan: { workerId } }, data: { callbackPhoneEnc: null } });
  // Nothing queued for them goes out any more, and what went keeps neither its words nor the address
  // (the notices stay, without them, for the figures' pushes).
  await tx.outboxMessage.updateMany({ where: { workerId, status: "pending" }, data: { status: "failed", lastError: "the person's data was erased", statusAt: options.now } });
  await tx.outboxMessage.updateMany({ where: { workerId }, data: { address: "erased", body: { erased: true } } });
  await queueIndexing(tx, "worker", workerId);
  await tx.auditLog.create({ data: { operatorId: options.by, action: "worker.erased", target: workerId, data: { via: options.via }, at: options.now } });
}

/** A chat not (yet) a worker's: its address, session and what it wrote are forgotten all the same. */
export async function eraseChat(tx: Tx, identityId: string, now: Date): Promise<void> {
  await tx.planEvent.updateMany({ where: { identityId }, data: { text: null } });
  await tx.planTask.updateMany({ where: { identityId }, data: { callbackPhoneEnc: null } });
  await forgetIdentities(tx, [identityId], now);
}

async function forgetIdentities(tx: Tx, identityIds: string[], now: Date): Promise<void> {
  await tx.conversationSession.deleteMany({ where: { identityId: { in: identityIds } } });
  for (const id of identityIds) {
    // The address is the person (a sealed phone, an openid): replaced by a tombstone no one can write from.
    await tx.channelIdentity.update({ where: { id }, data: { address: `erased:${randomUUID()}`, optedOutAt: now } });
  }
}
