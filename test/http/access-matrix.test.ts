// Every route of every door, walked with a caller of each kind: nobody, a revoked key, a
// coordinator of another county, a coordinator and an official of the record's county, an
// administrator. The expected answer comes from src/http/access.ts, the table kept beside the
// routes: a route missing from it fails here, and so does a handler that forgets its region check
// (the other county's coordinator asks for a record of this county and must get 403).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_ACCESS, type RouteAccess } from "../../src/http/access.ts";
import type { OperatorRole } from "../../src/db/client.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { registerTestWorker } from "../support/people.ts";

const HERE = "350622"; // 云霄县: every record the routes name is here
const ELSEWHERE = "350628"; // 平和县

interface Caller {
  name: string;
  token?: string;
  role?: OperatorRole;
  /** may see the records of HERE */
  local?: boolean;
}

let h: Harness;
let callers: Caller[];
let ids: Record<string, string>;

beforeAll(async () => {
  h = await createHarness({
    env: { WECHAT_TOKEN: "matrix-token", TWILIO_ACCOUNT_SID: "AC00000000000000000000000000000000", TWILIO_AUTH_TOKEN: "matrix-twilio", TWILIO_FROM: "+15005550006", ALIYUN_SMS_CALLBACK_SECRET: "matrix-aliyun-secret-0123" },
  });
  await h.deps.indexes.ensureSettings();
  const admin = await h.operator("admin");
  const revoked = await h.operator("admin");
  await h.deps.prisma.apiKey.updateMany({ where: { operatorId: revoked.id }, data: { revokedAt: h.clock() } });
  callers = [
    { name: "nobody" },
    { name: "a revoked key", token: revoked.token },
    { name: "another county's coordinator", token: (await h.operator("coordinator", [ELSEWHERE])).token, role: "coordinator", local: false },
    { name: "this county's coordinator", token: (await h.operator("coordinator", [HERE])).token, role: "coordinator", local: true },
    { name: "this county's official", token: (await h.operator("countyOfficial", [HERE])).token, role: "countyOfficial", local: true },
    { name: "an administrator", token: admin.token, role: "admin", local: true },
  ];

  // One record of each kind, in this county.
  const worker = await registerTestWorker(h, { name: "矩阵", birthDate: "1988-08-08", sex: "female", homeRegionCode: `${HERE}103201`, povertyStatus: "registered" });
  const erasable = await registerTestWorker(h, { name: "可删", birthDate: "1979-07-07", sex: "male", homeRegionCode: `${HERE}103202`, povertyStatus: "lifted" });
  const plan = await h.deps.prisma.assistancePlan.findUniqueOrThrow({ where: { workerId: worker.id } });
  const task = await h.deps.prisma.planTask.create({ data: { planId: plan.id, regionCode: `${HERE}103201`, kind: "follow_up", dueAt: h.clock() } });
  const vacancy = await h.request("POST", "/api/vacancies", { token: admin.token, body: { title: "保洁员", regionCode: `${HERE}103` } });
  const employer = await h.deps.prisma.employer.create({ data: { name: "莆美竹编车间", kind: "workshop", regionCode: `${HERE}103` } });
  const course = await h.request("POST", "/api/training/courses", {
    token: admin.token,
    body: { title: "家政服务员培训班", regionCode: `${HERE}103`, startsAt: new Date(h.clock().getTime() + 10 * 86_400_000).toISOString(), seats: 5 },
  });
  const campaign = await h.request("POST", "/api/campaigns", {
    token: admin.token,
    body: { name: "春风行动", segment: { regionCode: HERE }, text: "春风行动招聘会下周在县人社局举行。", sendAt: new Date(h.clock().getTime() + 86_400_000).toISOString() },
  });
  const target = await h.operator("coordinator", [HERE]);
  const spareKey = await h.request("POST", `/api/operators/${target.id}/keys`, { token: admin.token, body: { label: "spare" } });
  ids = {
    worker: worker.id,
    erasable: erasable.id,
    task: task.id,
    vacancy: vacancy.body.vacancy.id,
    employer: employer.id,
    course: course.body.course.id,
    campaign: campaign.body.campaign.id,
    operator: target.id,
    key: spareKey.body.key.id,
    rosterImport: (await h.deps.prisma.rosterImport.create({ data: { regionCode: HERE, rowsTotal: 0, status: "done" } })).id,
  };
  for (const [name, id] of Object.entries(ids)) expect(id, name).toBeTruthy();
});
afterAll(() => h.close());

const due = () => new Date(h.clock().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);

/** A one-person roster of this county, as a multipart upload. */
function rosterForm(): FormData {
  const form = new FormData();
  form.set("file", new Blob(["县(市、区、旗),乡(镇),行政村,姓名,证件号码\r\n云霄县,莆美镇,中柱村,矩阵甲,350622198808080021\r\n"]), "名单.csv");
  return form;
}

/** A request for each route that names this county's records, with a body that passes validation. */
function sample(route: string): { path: string; body?: unknown } {
  const [, template] = route.split(" ") as [string, string];
  const path = template
    .replace("/api/workers/{id}/erase", `/api/workers/${ids.erasable}/erase`)
    .replace("/api/workers/{id}", `/api/workers/${ids.worker}`)
    .replace("/api/plans/tasks/{id}", `/api/plans/tasks/${ids.task}`)
    .replace("/api/vacancies/{id}", `/api/vacancies/${ids.vacancy}`)
    .replace("/api/employers/{id}", `/api/employers/${ids.employer}`)
    .replace("/api/training/courses/{id}", `/api/training/courses/${ids.course}`)
    .replace("/api/campaigns/{id}", `/api/campaigns/${ids.campaign}`)
    .replace("{keyId}", ids.key!)
    .replace("/api/operators/{id}", `/api/operators/${ids.operator}`)
    .replace("{importId}", ids.rosterImport!)
    .replace("{regionCode}", HERE)
    .replace("{secret}", "not-the-secret-0123456789");
  const query: Record<string, string> = {
    "GET /api/workers": `?region=${HERE}`,
    "GET /api/plans": `?due=${due()}&region=${HERE}`,
    "GET /api/employers": `?region=${HERE}`,
    "GET /api/policies": `?region=${HERE}`,
    "GET /api/stats": `?region=${HERE}`,
    "GET /api/reports/quarterly": `?region=${HERE}&quarter=2026Q4`,
    "GET /api/reports/ledger": `?region=${HERE}`,
    "GET /api/regions": `?parent=${HERE}`,
    "POST /api/imports/roster": `?region=${HERE}&dryRun=true`,
    "GET /api/occupations/normalize": "?title=保洁",
    "GET /api/simulator/messages": "?to=matrix-sim",
    "GET /webhooks/wechat": "?signature=0&timestamp=0&nonce=0&echostr=x",
  };
  const bodies: Record<string, unknown> = {
    "POST /api/simulator/messages": { from: "matrix-sim", text: "你好" },
    "POST /api/operators": { name: "矩阵协理员", role: "coordinator", regionCodes: [HERE] },
    "PUT /api/operators/{id}/phone": { phone: null },
    "POST /api/operators/{id}/keys": { label: "matrix" },
    "POST /api/workers/{id}/plan/events": { kind: "note", text: "电话回访" },
    "POST /api/plans/tasks/{id}/done": { note: "已回访" },
    "POST /api/vacancies": { title: "普工", regionCode: `${HERE}103` },
    "POST /api/vacancies/bulk": [{ title: "普工", regionCode: `${HERE}103` }],
    "PATCH /api/vacancies/{id}": { headcount: 3 },
    "PUT /api/policies/{regionCode}": {},
    "POST /api/training/courses": { title: "电工培训", regionCode: `${HERE}103`, startsAt: new Date(h.clock().getTime() + 20 * 86_400_000).toISOString(), seats: 2 },
    "PATCH /api/training/courses/{id}": { seats: 6 },
    "POST /api/training/courses/{id}/enrolments": { workerId: ids.worker },
    "POST /api/training/courses/{id}/completions": { workerIds: [ids.worker] },
    "POST /api/imports/roster": rosterForm(),
    "POST /api/campaigns": { name: "就业援助月", segment: { regionCode: HERE }, text: "就业援助月：有困难找村里协理员。", sendAt: new Date(h.clock().getTime() + 86_400_000).toISOString() },
    "POST /webhooks/wechat": "<xml><ToUserName>gh</ToUserName><FromUserName>matrix</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1</MsgId></xml>",
    "POST /webhooks/sms/twilio": "From=%2B8613800000099&To=%2B15005550006&Body=hi&MessageSid=SMmatrix",
    "POST /webhooks/sms/twilio/status": "MessageSid=SMmatrix&MessageStatus=delivered",
    "POST /webhooks/sms/aliyun/{secret}": [],
  };
  return { path: path + (query[route] ?? ""), ...(route in bodies ? { body: bodies[route] } : {}) };
}

/** The statuses this caller may get from a route with this rule. */
function expected(access: RouteAccess, caller: Caller): "allowed" | 302 | 401 | 403 | "row errors" {
  if (access.kind === "public") return "allowed";
  // An API key is no console session: every caller here is sent to sign in.
  if (access.kind === "console") return 302;
  if (access.kind === "signed") return 403;
  if (!caller.role) return 401;
  if (!access.roles.includes(caller.role)) return 403;
  if (!caller.local && access.scope === "record") return 403;
  if (!caller.local && access.scope === "rows") return "row errors";
  return "allowed";
}

describe("the access matrix", () => {
  it("has a rule for every route the app serves, and a route for every rule", async () => {
    const document = (await h.request("GET", "/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    documented.push("GET /openapi.json"); // the description does not describe itself
    expect(documented.filter((route) => !(route in ROUTE_ACCESS))).toEqual([]);
    expect(Object.keys(ROUTE_ACCESS).filter((route) => !documented.includes(route))).toEqual([]);
    // Every route the router has (middleware and the catch-alls aside) is documented, so none escapes the table.
    const served = new Set(h.app.routes.filter((route) => route.method !== "ALL").map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, "{$1}")}`));
    expect([...served].filter((route) => !documented.includes(route))).toEqual([]);
  });

  it("answers each caller as the table says", async () => {
    const wrong: string[] = [];
    for (const [route, access] of Object.entries(ROUTE_ACCESS)) {
      const method = route.split(" ")[0]!;
      const { path, body } = sample(route);
      for (const caller of callers) {
        const want = expected(access, caller);
        const response = await h.request(method, path, {
          ...(caller.token ? { token: caller.token } : {}),
          ...(body === undefined ? {} : { body }),
          ...(typeof body === "string" ? { headers: { "content-type": body.startsWith("<") ? "text/xml" : "application/x-www-form-urlencoded" } } : {}),
        });
        const got = response.status;
        const ok =
          want === "allowed"
            ? got !== 401 && got !== 403 && got < 500
            : want === "row errors"
              ? got === 400 && JSON.stringify(response.body.errors ?? "").includes("outside your regions")
              : got === want;
        if (!ok) wrong.push(`${route} as ${caller.name}: ${got}, expected ${want} (${response.text.slice(0, 120)})`);
      }
    }
    expect(wrong).toEqual([]);
    // Every route by every caller, one after another: about 14 s on these machines, twice that
    // under load; its time says nothing of the service's.
  }, 120_000);
});
