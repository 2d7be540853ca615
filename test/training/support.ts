// What the training and campaign tests share: running due jobs and the outbox at a time the test
// chooses, and reading what reached a worker.
import { createDispatcher } from "../../src/delivery/dispatcher.ts";
import type { QuietHours } from "../../src/shared/china-time.ts";
import { createJobRunner } from "../../src/jobs/runner.ts";
import { webChannel } from "../../bots/web/index.ts";
import type { EmploymentStatus } from "../../src/db/client.ts";
import type { Harness } from "../support/harness.ts";
import { registerTestWorker, type TestWorker } from "../support/people.ts";

/**
 * Runs every job due at `at` and sends everything the outbox may send then, as the Node service
 * does, until nothing is left; the handlers see `at` as now.
 */
export async function settle(h: Harness, options: { at?: Date; quietHours?: QuietHours | null } = {}): Promise<void> {
  const clock = options.at ? () => options.at! : h.deps.clock;
  const deps = { ...h.deps, clock };
  const jobs = createJobRunner({ deps });
  const dispatcher = createDispatcher({
    prisma: h.deps.prisma,
    pii: h.deps.pii,
    sql: h.deps.sql,
    channels: { web: webChannel.delivery(h.deps.config, h.deps.log) },
    quietHours: options.quietHours ?? null,
    log: h.deps.log,
    clock,
  });
  for (let round = 0; round < 30; round++) {
    const done = (await jobs.runOnce()) + (await dispatcher.runOnce());
    if (done === 0) return;
  }
  throw new Error("jobs and outbox did not settle");
}

export interface Received {
  text: string;
  purpose: string;
  status: string;
  body: { text: string; template?: string; params?: Record<string, string> };
  key: string;
}

/** Every message queued for a worker's simulated phone, oldest first. */
export async function received(h: Harness, address: string): Promise<Received[]> {
  const rows = await h.deps.prisma.outboxMessage.findMany({ where: { channel: "web", address }, orderBy: { seq: "asc" } });
  return rows.map((row) => {
    const body = row.body as unknown as Received["body"];
    return { text: body.text, purpose: row.purpose, status: row.status, body, key: row.idempotencyKey };
  });
}

export const DAY_MS = 24 * 3600 * 1000;

/** A worker as registerTestWorker makes them, with the training wish and employment the chat would record. */
export async function registerTrainee(
  h: Harness,
  person: Parameters<typeof registerTestWorker>[1] & { trainingWish?: string; employmentStatus?: EmploymentStatus },
): Promise<TestWorker> {
  const { trainingWish, employmentStatus, ...rest } = person;
  const worker = await registerTestWorker(h, rest);
  if (trainingWish !== undefined || employmentStatus !== undefined) {
    await h.deps.prisma.worker.update({ where: { id: worker.id }, data: { ...(trainingWish !== undefined ? { trainingWish } : {}), ...(employmentStatus ? { employmentStatus } : {}) } });
  }
  return worker;
}
