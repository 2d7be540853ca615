// The assistance plan's timeline: every message in and out and every domain event about a person.
// Text is masked before it is stored: a worker typing their ID number must not leave it readable in
// the timeline.
import type { Prisma } from "../db/client.ts";
import { maskPersonalText } from "../shared/masking.ts";

export type Tx = Prisma.TransactionClient;

export interface TimelineSubject {
  identityId: string;
  workerId: string | null;
}

export interface TimelineEntry {
  kind: string;
  channel?: string;
  text?: string;
  data?: Prisma.InputJsonValue;
  actorId?: string;
  at?: Date;
}

export async function recordTimeline(tx: Tx, subject: TimelineSubject, entries: TimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.planEvent.createMany({
    data: entries.map((entry) => ({
      identityId: subject.identityId,
      workerId: subject.workerId,
      kind: entry.kind,
      channel: entry.channel ?? null,
      text: entry.text === undefined ? null : maskPersonalText(entry.text),
      ...(entry.data === undefined ? {} : { data: entry.data }),
      actorId: entry.actorId ?? null,
      ...(entry.at ? { at: entry.at } : {}),
    })),
  });
}
