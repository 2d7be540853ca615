// A coordinator hears of their work by SMS, not only by looking at the API: at once when a person
// needs them (人工, a job-loss warning), and each morning the count of what is due that day. Only a
// coordinator with a phone on record gets these; quiet hours and the per-number daily cap hold as
// for any notice (what the cap holds back, the next morning's count still carries).
import type { AppDeps } from "../deps.ts";
import { smsAddress } from "../delivery/addresses.ts";
import { chinaDayStart, chinaWallClock } from "../delivery/china-time.ts";
import { queueJob } from "../jobs/runner.ts";
import { coordinatorFor } from "./plans.ts";
import { placeName } from "./region-lookup.ts";
import type { Tx } from "./timeline.ts";

type Deps = Pick<AppDeps, "prisma" | "pii" | "log" | "now" | "outboxQueued">;

/** The kinds of task a coordinator is told of at once. */
const URGENT: Record<string, string> = { human_request: "人工求助", job_loss_warning: "就业转失业预警" };
/** How the morning's count names each kind of task. */
const KIND_LABELS: Record<string, string> = {
  follow_up: "回访",
  job_loss_warning: "失业预警",
  human_request: "人工求助",
  employer_verification: "核实单位",
  application_referral: "推荐报名",
};
const SMS_BUDGET = 70;

/** Queues the alert for a task a person should hear of now; the job finds the coordinator. */
export async function alertCoordinator(tx: Tx, task: { id: string; kind: string }, now: Date): Promise<void> {
  if (!URGENT[task.kind]) return;
  await queueJob(tx, { kind: "coordinator.alert", key: `coordinator.alert:${task.id}`, payload: { taskId: task.id }, runAt: now });
}

/** The coordinator a task belongs to: the one on the worker's plan, else the one for its place. */
async function coordinatorOf(tx: Tx, task: { regionCode: string | null; plan: { coordinatorId: string | null } | null }) {
  const assigned = task.plan?.coordinatorId;
  if (assigned) return tx.operator.findFirst({ where: { id: assigned, disabledAt: null } });
  const nearest = await coordinatorFor(tx, task.regionCode);
  return nearest ? tx.operator.findUnique({ where: { id: nearest.id } }) : null;
}

const fit = (text: string) => (text.length <= SMS_BUDGET ? text : `${text.slice(0, SMS_BUDGET - 1)}…`);

/** Sends one task's alert; false when nobody with a phone is responsible for it, or it is done already. */
export async function sendCoordinatorAlert(deps: Deps, taskId: string): Promise<boolean> {
  const sent = await deps.prisma.$transaction(async (tx) => {
    const task = await tx.planTask.findUnique({
      where: { id: taskId },
      include: { plan: { select: { coordinatorId: true, worker: { select: { name: true, homeRegionCode: true } } } } },
    });
    if (!task || task.status !== "open" || !URGENT[task.kind]) return false;
    const coordinator = await coordinatorOf(tx, task);
    if (!coordinator?.phoneEnc) return false;
    const worker = task.plan?.worker;
    const who = worker ? `${worker.name}（${(await placeName(tx, worker.homeRegionCode)).slice(-12)}）` : "一位未登记的人";
    const text = fit(`【就业直通车】${URGENT[task.kind]}：${who}。${task.note ?? ""}`);
    const { count } = await tx.outboxMessage.createMany({
      data: [
        {
          idempotencyKey: `coordinator_alert:${task.id}`,
          channel: "sms",
          address: smsAddress(deps.pii, deps.pii.decrypt(coordinator.phoneEnc)),
          purpose: "notice",
          body: { text, template: "coordinator_alert", params: { kind: URGENT[task.kind]!, who: who.slice(0, 20) } },
        },
      ],
      skipDuplicates: true,
    });
    return count > 0;
  });
  if (sent) deps.outboxQueued?.();
  return sent;
}

/**
 * Each coordinator with a phone hears, in one SMS, how many open tasks are due by the end of the day
 * (China time): those on the plans they follow, and those without a plan in their places. Once a
 * day per coordinator (the key is the day); nothing for one with nothing due. Returns how many went.
 */
export async function sendCoordinatorDigests(deps: Deps): Promise<number> {
  const now = deps.now?.() ?? new Date();
  const dayEnds = new Date(chinaDayStart(now).getTime() + 24 * 3600 * 1000);
  const day = chinaWallClock(now).toISOString().slice(0, 10);
  const coordinators = await deps.prisma.operator.findMany({ where: { role: "coordinator", disabledAt: null, phoneEnc: { not: null } } });
  let sent = 0;
  for (const coordinator of coordinators) {
    const due = await deps.prisma.planTask.groupBy({
      by: ["kind"],
      where: {
        status: "open",
        dueAt: { lt: dayEnds },
        OR: [
          { plan: { coordinatorId: coordinator.id } },
          { plan: { coordinatorId: null }, OR: coordinator.regionCodes.map((code) => ({ regionCode: { startsWith: code } })) },
          { planId: null, OR: coordinator.regionCodes.map((code) => ({ regionCode: { startsWith: code } })) },
        ],
      },
      _count: { _all: true },
    });
    const total = due.reduce((sum, row) => sum + row._count._all, 0);
    if (total === 0) continue;
    const parts = due
      .sort((a, b) => b._count._all - a._count._all)
      .map((row) => `${KIND_LABELS[row.kind] ?? "其他"}${row._count._all}`)
      .join("、");
    const text = fit(`【就业直通车】${coordinator.name}，今天待办${total}件：${parts}。请到工作台查看。`);
    const { count } = await deps.prisma.outboxMessage.createMany({
      data: [
        {
          idempotencyKey: `coordinator_digest:${coordinator.id}:${day}`,
          channel: "sms",
          address: smsAddress(deps.pii, deps.pii.decrypt(coordinator.phoneEnc!)),
          purpose: "notice",
          body: { text, template: "coordinator_digest", params: { total: String(total) } },
        },
      ],
      skipDuplicates: true,
    });
    sent += count;
  }
  if (sent > 0) deps.outboxQueued?.();
  deps.log.info({ coordinators: coordinators.length, sent }, "coordinators told of the day's work");
  return sent;
}
