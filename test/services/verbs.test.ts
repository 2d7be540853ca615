// The rules live in the verbs, not in the doors: called directly, with no route in between, a verb
// refuses a role or a region it does not allow, and a writing verb's change, audit line and jobs
// commit together or not at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit, contextFor, SERVICE, verb, type OperatorActor } from "../../src/services/context.ts";
import { createOperator, disableOperator, listOperators, setOperatorPhone } from "../../src/services/operators.ts";
import { recordPlanEvent } from "../../src/services/plans.ts";
import { listWorkers } from "../../src/services/workers.ts";
import { DomainError } from "../../src/shared/errors.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker, type TestWorker } from "../support/people.ts";

let h: Harness;
let worker: TestWorker;
const operator = (role: OperatorActor["role"], regionCodes: string[]): OperatorActor => ({ kind: "operator", id: `${role}-test`, name: role, role, regionCodes });

beforeAll(async () => {
  h = await createHarness();
  worker = await registerTestWorker(h, { name: "林秀英", homeRegionCode: "350622103201", birthDate: "1980-01-01", sex: "female" });
});
afterAll(() => h.close());

const events = () => h.deps.prisma.planEvent.count({ where: { workerId: worker.id, kind: "visit" } });

describe("verbs carry their rules", () => {
  it("refuse a role the verb does not allow, whoever calls", async () => {
    const official = contextFor(h.deps, operator("countyOfficial", ["350622"]));
    await expect(recordPlanEvent(official, { workerId: worker.id, kind: "visit", text: "入户走访" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await events()).toBe(0);
  });

  it("let a county official manage the coordinators of their county, and no one else", async () => {
    const official = contextFor(h.deps, operator("countyOfficial", ["350622"]));
    const { operator: theirs } = await createOperator(official, { name: "莆美镇协理员", role: "coordinator", regionCodes: ["350622103"] });
    for (const other of [
      { name: "平和协理员", role: "coordinator" as const, regionCodes: ["350628"] },
      { name: "两县协理员", role: "coordinator" as const, regionCodes: ["350622", "350628"] },
      { name: "另一位官员", role: "countyOfficial" as const, regionCodes: ["350622"] },
      { name: "管理员", role: "admin" as const, regionCodes: [] },
    ]) {
      await expect(createOperator(official, other), other.name).rejects.toMatchObject({ code: "forbidden" });
    }
    const { operator: elsewhere } = await createOperator(contextFor(h.deps, SERVICE), { name: "平和协理员", role: "coordinator", regionCodes: ["350628"] });
    expect((await listOperators(official)).map((row) => row.id)).toEqual([theirs.id]);
    await expect(disableOperator(official, { operatorId: elsewhere.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setOperatorPhone(official, { operatorId: elsewhere.id, phone: "13900000001" })).rejects.toMatchObject({ code: "forbidden" });
    await setOperatorPhone(official, { operatorId: theirs.id, phone: "13900000002" });
    await disableOperator(official, { operatorId: theirs.id });
    expect((await h.deps.prisma.operator.findUniqueOrThrow({ where: { id: theirs.id } })).disabledAt).not.toBeNull();
    expect((await h.deps.prisma.operator.findUniqueOrThrow({ where: { id: elsewhere.id } })).disabledAt).toBeNull();
  });

  it("refuse a record outside the caller's regions, and a list keeps to them", async () => {
    const elsewhere = contextFor(h.deps, operator("coordinator", ["350623"]));
    await expect(recordPlanEvent(elsewhere, { workerId: worker.id, kind: "visit", text: "入户走访" })).rejects.toBeInstanceOf(DomainError);
    expect((await listWorkers(elsewhere, { limit: 50 })).workers).toEqual([]);
    const here = contextFor(h.deps, operator("coordinator", ["350622103"]));
    expect((await listWorkers(here, { limit: 50 })).workers.map((row) => row.id)).toContain(worker.id);
    await recordPlanEvent(here, { workerId: worker.id, kind: "visit", text: "入户走访" });
    expect(await events()).toBe(1);
  });

  it("commit a writing verb's change, audit line and jobs together, or none of them", async () => {
    const failing = verb({ roles: ["admin"], writes: true }, async (ctx, input: { fail: boolean }) => {
      await ctx.db.planEvent.create({ data: { workerId: worker.id, kind: "visit", text: "x", at: ctx.clock() } });
      await audit(ctx, "test.visit", worker.id);
      await ctx.queue("index.worker", { id: `verb-test-${input.fail}` });
      if (input.fail) throw new Error("the verb failed half-way");
    });
    const ctx = contextFor(h.deps, SERVICE);
    const before = await events();
    await expect(failing(ctx, { fail: true })).rejects.toThrow("half-way");
    expect(await events()).toBe(before);
    expect(await h.deps.prisma.auditLog.count({ where: { action: "test.visit" } })).toBe(0);
    expect(await h.deps.prisma.job.count({ where: { key: "index:worker:verb-test-true" } })).toBe(0);

    await failing(ctx, { fail: false });
    expect(await events()).toBe(before + 1);
    expect(await h.deps.prisma.auditLog.findFirst({ where: { action: "test.visit" } })).toMatchObject({ operatorId: null, at: h.clock() });
    expect(await h.deps.prisma.job.count({ where: { key: "index:worker:verb-test-false" } })).toBe(1);
  });
});
