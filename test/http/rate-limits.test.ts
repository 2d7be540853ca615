// What a stranger or a runaway client can send: a flood from one chat sender costs no transaction,
// the simulator and the operator API answer 429 with Retry-After, each counted apart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../src/shared/rate-limits.ts";
import { createHarness, RELAXED_LIMITS, type Harness } from "../support/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ rateLimits: { ...RATE_LIMITS, operatorPerKey: { limit: 5, windowMs: 60_000 } } });
});
afterAll(() => h.close());

const send = (from: string, text: string) => h.request("POST", "/api/simulator/messages", { body: { from, text } });
const turnsRecorded = async (address: string) => {
  const identity = await h.deps.prisma.channelIdentity.findUnique({ where: { channel_address: { channel: "web", address } } });
  return identity ? h.deps.prisma.planEvent.count({ where: { identityId: identity.id, kind: "message_in" } }) : 0;
};

describe("rate limits", () => {
  it("tells a chat sender who floods to slow down once, then drops the flood without recording it", async () => {
    const { burst } = RATE_LIMITS.inbound;
    for (let i = 0; i < burst; i++) expect((await send("flooder", "你好")).body.replies.length).toBeGreaterThan(0);
    const told = await send("flooder", "你好");
    expect(told.status).toBe(200);
    expect(told.body.replies).toEqual([{ text: "您发得太快了，请稍后再发。" }]);
    const dropped = await send("flooder", "你好");
    expect(dropped.body.replies).toEqual([]);
    expect(await turnsRecorded("flooder")).toBe(burst);
    // 退订 is always heard.
    expect((await send("flooder", "退订")).body.replies.map((reply: { text: string }) => reply.text).join()).toContain("已退订");
    expect(await turnsRecorded("flooder")).toBe(burst + 1);
    // Someone else is not slowed by it.
    expect((await send("calm-sender", "你好")).body.replies.length).toBeGreaterThan(0);
    expect(await turnsRecorded("calm-sender")).toBe(1);
  });

  it("answers the simulator 429 with Retry-After once a client address has sent its share", async () => {
    const { limit } = RATE_LIMITS.simulatorPerClient;
    // Some of the share went on the test above, from the same (test) client address.
    let response = await send("client-share", "你好");
    for (let i = 0; i < limit && response.status === 200; i++) response = await send(`client-share-${i}`, "你好");
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(response.body.error.code).toBe("rate_limited");
  });

  it("answers an operator API key 429 with Retry-After after its share; another key goes on", async () => {
    const first = (await h.operator("admin")).token;
    const second = (await h.operator("admin")).token;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.request("GET", "/api/regions?parent=350622", { token: first })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await h.request("GET", "/api/regions?parent=350622", { token: first });
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await h.request("GET", "/api/regions?parent=350622", { token: second })).status).toBe(200);
  });
});

describe("guessing keys", () => {
  it("refuses an address that sends refused keys past its share, whatever key it tries next", async () => {
    const guesser = await createHarness({ rateLimits: { ...RATE_LIMITS, operatorFailuresPerAddress: { limit: 3, windowMs: 60_000 } } });
    const valid = (await guesser.operator("admin")).token;
    expect((await guesser.request("GET", "/api/regions?parent=350622", { token: valid })).status).toBe(200); // successes do not count
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await guesser.request("GET", "/api/regions?parent=350622", { token: `zt_guess_${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await guesser.request("GET", "/api/regions?parent=350622", { token: valid })).status).toBe(429);
    await guesser.close();
  });

  it("answers a browser guessing console sign-ins with the sign-in page saying to wait", async () => {
    const guesser = await createHarness({ rateLimits: { ...RATE_LIMITS, operatorFailuresPerAddress: { limit: 2, windowMs: 60_000 } } });
    const signIn = (token: string) => guesser.request("POST", "/console/sign-in", { body: `token=${token}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect([(await signIn("zt_guess_1")).status, (await signIn("zt_guess_2")).status]).toEqual([401, 401]);
    const refused = await signIn("zt_guess_3");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    expect(refused.text).toContain("尝试次数太多了");
    expect(refused.text).toContain(">用令牌登录</button>");
    await guesser.close();
  });
});

describe("the simulator in production", () => {
  it("is off, and when switched on there, says so loudly in the log", async () => {
    const on = await createHarness({ env: { NODE_ENV: "production", SIMULATOR_ENABLED: "on" }, rateLimits: RELAXED_LIMITS });
    expect(on.logs.some((line) => line.level === 50 && String(line.msg).includes("SIMULATOR IS ON IN PRODUCTION"))).toBe(true);
    await on.close();
    const off = await createHarness({ env: { NODE_ENV: "production" } });
    expect(off.logs.some((line) => String(line.msg).includes("SIMULATOR"))).toBe(false);
    expect((await off.request("POST", "/api/simulator/messages", { body: { from: "x", text: "你好" } })).status).toBe(404);
    await off.close();
  });
});
