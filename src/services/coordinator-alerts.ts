// A coordinator hears of their work by SMS, not only by looking at the API: at once when a person
// needs them (人工, a job-loss warning), and each morning the count of what is due that day. Only a
// coordinator with a phone on record gets these. They wait out quiet hours as any notice does, but
// no daily cap holds them back: they go to the service's own staff, not to a worker.
import type { VerbContext } from "./context.ts";
import { coordinatorAlertBody, coordinatorDigestBody, shorterPlaces } from "../wording/notices.ts";
import type { Db, Tx } from "../db/client.ts";
import { prepared, type SqlRunner } from "../db/sql.ts";
import { queueMessage, type MessageBody } from "./outreach.ts";
import { CHANNEL } from "../shared/channel-names.ts";
import { staffKeys } from "../shared/keys.ts";
import type { AppDeps } from "../deps.ts";
import { openedAddress, sealBody, smsAddress, type SealedBody } from "../delivery/personal-data.ts";
import { chinaDay, chinaDayStart } from "../shared/china-time.ts";
import { queueJob } from "../queue/queue.ts";
import { activeCoordinators, responsibleAmong, responsibleCoordinator } from "./coordinators.ts";
import { placeParts } from "./region-lookup.ts";

type Deps = Pick<AppDeps, "prisma" | "pii" | "log" | "clock" | "outboxQueued">;

/** The kinds of task a coordinator is told of at once. */
const URGENT: Record<string, string> = { human_request: "人工求助", job_loss_warning: "就业转失业预警", identity_check: "核实身份" };
/** How the morning's count names each kind of task. */
const KIND_LABELS: Record<string, string> = {
  follow_up: "回访",
  job_loss_warning: "失业预警",
  human_request: "人工求助",
  identity_check: "核实身份",
  employer_verification: "核实单位",
  application_referral: "推荐报名",
};

/** Queues the alert for a task a person should hear of now; the job finds the coordinator. */
export async function alertCoordinator(db: Tx | SqlRunner, task: { id: string; kind: string }, now: Date): Promise<void> {
  if (!URGENT[task.kind]) return;
  await queueJob(db, "coordinator.alert", { taskId: task.id }, now);
}

/** One SMS to a coordinator's own phone, once per key. */
async function textCoordinator(db: Db | SqlRunner, pii: Deps["pii"], coordinator: { phoneEnc: string }, key: string, body: MessageBody | SealedBody, now: Date): Promise<boolean> {
  return queueMessage(db, { key, channel: CHANNEL.sms, address: smsAddress(pii, pii.decrypt(coordinator.phoneEnc)), purpose: "staff", body }, now);
}

/**
 * A task, the person it is about (the plan's worker, else the chat's) and the chat it came from:
 * what an alert says, in one read.
 */
const ALERTED_TASK = prepared(
  "coordinator_alerted_task",
  `SELECT t.kind, t.status, t."regionCode", t.note, t."callbackPhoneEnc", t."planId", p."coordinatorId",
     w.name AS "workerName", w."homeRegionCode", w."phoneEnc", i.channel, i.address
   FROM "PlanTask" t
     LEFT JOIN "AssistancePlan" p ON p.id = t."planId"
     LEFT JOIN "ChannelIdentity" i ON i.id = t."identityId"
     LEFT JOIN "Worker" w ON w.id = coalesce(p."workerId", i."workerId")
   WHERE t.id = $1`,
);
interface AlertedTask {
  kind: string;
  status: string;
  regionCode: string | null;
  note: string | null;
  callbackPhoneEnc: string | null;
  planId: string | null;
  coordinatorId: string | null;
  workerName: string | null;
  homeRegionCode: string | null;
  phoneEnc: string | null;
  channel: string | null;
  address: string | null;
}

/**
 * Sends one task's alert; false when nobody with a phone is responsible for it, or it is done
 * already. A few reads and one idempotent insert, in prepared SQL: every request for a person
 * (人工, and the bot's own after several misunderstood answers) runs this job once.
 */
export async function sendCoordinatorAlert(ctx: VerbContext, taskId: string): Promise<boolean> {
  const [task] = await ctx.sql.query<AlertedTask>(ALERTED_TASK, [taskId]);
  const label = task ? URGENT[task.kind] : undefined;
  if (!task || task.status !== "open" || !label) return false;
  const coordinator = await responsibleCoordinator(ctx.sql, task.planId ? { coordinatorId: task.coordinatorId } : null, task.regionCode);
  if (!coordinator?.phoneEnc) return false;
  const place = shorterPlaces(await placeParts(ctx.sql, task.homeRegionCode ?? task.regionCode)).find((name) => name.length <= 12)!;
  const who = `${task.workerName ?? "一位还没登记完的人"}${place ? `（${place}）` : ""}`;
  // The number to call back: the one given with the request, the SMS it came from, or the
  // worker's own. Coordinators may see numbers in clear, to call (the message is stored sealed).
  const sealedPhone = task.callbackPhoneEnc ?? task.phoneEnc;
  const fullPhone = sealedPhone ? ctx.pii.decrypt(sealedPhone) : task.channel === CHANNEL.sms && task.address ? openedAddress(ctx.pii, CHANNEL.sms, task.address) : null;
  const phone = fullPhone?.replace(/^\+86/, "") ?? null;
  const body = coordinatorAlertBody({ label, who, phone, note: task.note ?? "" });
  // Asked again with a number to call: that alert goes too.
  const key = staffKeys.coordinatorAlert(taskId, Boolean(phone));
  const sent = await textCoordinator(ctx.sql, ctx.pii, { phoneEnc: coordinator.phoneEnc }, key, phone ? sealBody(ctx.pii, body) : body, ctx.clock());
  if (sent) ctx.wake();
  return sent;
}

/**
 * Each coordinator with a phone hears, in one SMS, how many open tasks are due by the end of the day
 * (China time): each task counted once, for the coordinator responsible for it (the one on the plan
 * while active, else the one for its place). Once a day per coordinator (the key is the day);
 * nothing for one with nothing due. Returns how many went.
 */
export async function sendCoordinatorDigests(ctx: VerbContext): Promise<number> {
  const now = ctx.clock();
  const dayEnds = new Date(chinaDayStart(now).getTime() + 24 * 3600 * 1000);
  const day = chinaDay(now);
  const coordinators = await activeCoordinators(ctx.db);
  const tasks = await ctx.db.planTask.findMany({
    where: { status: "open", dueAt: { lt: dayEnds } },
    select: { kind: true, regionCode: true, plan: { select: { coordinatorId: true } } },
  });
  const due = new Map<string, Map<string, number>>();
  for (const task of tasks) {
    const coordinator = responsibleAmong(coordinators, task.plan, task.regionCode);
    if (!coordinator?.phoneEnc) continue;
    const kinds = due.get(coordinator.id) ?? new Map<string, number>();
    kinds.set(task.kind, (kinds.get(task.kind) ?? 0) + 1);
    due.set(coordinator.id, kinds);
  }
  let sent = 0;
  for (const coordinator of coordinators) {
    const kinds = due.get(coordinator.id);
    if (!kinds || !coordinator.phoneEnc) continue;
    const total = [...kinds.values()].reduce((sum, count) => sum + count, 0);
    const parts = [...kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([kind, count]) => `${KIND_LABELS[kind] ?? "其他"}${count}`)
      .join("、");
    const body = coordinatorDigestBody({ coordinator: coordinator.name, total, parts });
    if (await textCoordinator(ctx.db, ctx.pii, { phoneEnc: coordinator.phoneEnc }, staffKeys.coordinatorDigest(coordinator.id, day), body, now)) sent += 1;
  }
  if (sent > 0) ctx.wake();
  ctx.log.info({ coordinators: coordinators.length, sent }, "coordinators told of the day's work");
  return sent;
}
