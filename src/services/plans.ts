// Assistance plans: the coordinator's work that the bot schedules, and the notes and visits they record (who follows a worker up: coordinators.ts).
import type { Db, Tx } from "../db/client.ts";
import type { Prisma } from "../db/client.ts";
import { endOfChinaDay } from "../shared/china-time.ts";
import { invalid, notFound } from "../shared/errors.ts";
import { isUnplaced, tasksInScope } from "./call-list.ts";
import { actorId, ANY_OPERATOR, audit, CARERS, regionScope, requireRegion, verb, type VerbContext } from "./context.ts";
import { recordTimeline } from "./timeline.ts";
import { prepared, sqlOn, type SqlRunner } from "../db/sql.ts";
import { uuidv7 } from "../shared/ids.ts";
import { visibleWorker } from "./workers.ts";

/** A person moved: their plan and its open tasks go with them, to the coordinators of the place they live in now. */
export async function movePlan(db: Db, workerId: string, regionCode: string): Promise<void> {
  await db.assistancePlan.updateMany({ where: { workerId }, data: { regionCode } });
  await db.planTask.updateMany({ where: { plan: { workerId }, status: "open" }, data: { regionCode } });
}



/** A task for a coordinator, written in Prisma's transaction or a chat turn's SQL one (sqlOn); its id. */
export async function addTask(
  db: Tx | SqlRunner,
  task: { planId: string | null; identityId: string | null; regionCode: string | null; kind: string; dueAt: Date; note: string; callbackPhoneEnc?: string | null },
  now: Date,
): Promise<string> {
  const id = uuidv7();
  await sqlOn(db).query(ADD_TASK, [id, task.planId, task.identityId, task.regionCode, task.kind, task.callbackPhoneEnc ?? null, task.dueAt, task.note, now]);
  return id;
}
const ADD_TASK = prepared(
  "add_task",
  `INSERT INTO "PlanTask" (id, "planId", "identityId", "regionCode", kind, "callbackPhoneEnc", "dueAt", note, "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
);

type TaskWithPlan = Prisma.PlanTaskGetPayload<{ include: { plan: { include: { worker: true; coordinator: true } } } }>;

/** Open tasks in the actor's regions, soonest first: those due before the end of a China-time day, or all. */
export const dueTasks = verb({ roles: ANY_OPERATOR, writes: false }, async (ctx: VerbContext, query: { due?: string | undefined; region?: string | undefined; kind?: string | undefined }) => {
  const scope = regionScope(ctx.actor, query.region);
  const end = query.due === undefined ? null : endOfChinaDay(query.due);
  if (end && Number.isNaN(end.getTime())) throw invalid("due is not a day");
  const tasks: TaskWithPlan[] = await ctx.db.planTask.findMany({
    where: {
      status: "open",
      ...(end ? { dueAt: { lt: end } } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...tasksInScope(scope, query.region),
    },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    take: 1000,
    include: { plan: { include: { worker: true, coordinator: true } } },
  });
  return tasks;
});

/** A task done (the call made, the warning handled), with what was done added to its note. */
export const markTaskDone = verb({ roles: CARERS, writes: true }, async (ctx: VerbContext, input: { taskId: string; note?: string | undefined }) => {
  const task = await ctx.db.planTask.findUnique({ where: { id: input.taskId } });
  if (!task) throw notFound("task");
  if (!isUnplaced(task)) requireRegion(ctx.actor, task.regionCode);
  const done = await ctx.db.planTask.update({
    where: { id: task.id },
    data: { status: "done", doneAt: ctx.clock(), ...(input.note ? { note: `${task.note ?? ""}｜处理：${input.note}` } : {}) },
  });
  await audit(ctx, "task.done", task.id);
  // The note is what the call found: on the worker's timeline too, where the next person looks.
  const plan = input.note && task.planId ? await ctx.db.assistancePlan.findUnique({ where: { id: task.planId }, select: { workerId: true } }) : null;
  if (plan?.workerId) {
    await recordTimeline(ctx.db, { identityId: null, workerId: plan.workerId }, [{ kind: "note", text: `完成待办：${input.note}`, actorId: actorId(ctx.actor) ?? undefined }], ctx.clock());
  }
  return done;
});

/** A coordinator's note, visit or call on the worker's timeline; now unless it happened earlier. */
export const recordPlanEvent = verb(
  { roles: CARERS, writes: true },
  async (ctx: VerbContext, input: { workerId: string; kind: "note" | "visit" | "call"; text: string; at?: Date | undefined }) => {
    const worker = await visibleWorker(ctx, input.workerId);
    const at = input.at ?? ctx.clock();
    await recordTimeline(ctx.db, { identityId: null, workerId: worker.id }, [{ kind: input.kind, text: input.text, actorId: actorId(ctx.actor) ?? undefined, at }], at);
    return { kind: input.kind, at, text: input.text };
  },
);
