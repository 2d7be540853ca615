// Bad requests get one clear error envelope and change nothing; nothing crashes the process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "@hono/node-server";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_BODY_BYTES } from "../../src/app.ts";
import { createHarness, type Harness } from "../support/harness.ts";

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  admin = (await h.operator("admin")).token;
});
afterAll(() => h.close());

const operatorCount = () => h.deps.prisma.operator.count();

describe("error envelope", () => {
  it("404 for an unknown path", async () => {
    const response = await h.request("GET", "/nowhere");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: "not_found", message: "no route for GET /nowhere" } });
  });

  it("405 with Allow for a known path and the wrong method", async () => {
    const response = await h.request("PUT", "/api/operators", { token: admin });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, GET");
    expect(response.body.error.code).toBe("method_not_allowed");
    expect((await h.request("DELETE", "/health")).status).toBe(405);
  });

  it("400 with the zod issues for invalid input, and nothing written", async () => {
    const before = await operatorCount();
    const response = await h.request("POST", "/api/operators", { token: admin, body: { name: "", role: "mayor", regionCodes: ["abc"] } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("validation_failed");
    const paths = response.body.error.details.map((issue: { path: string[] }) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["name", "role", "regionCodes.0"]));
    expect(await operatorCount()).toBe(before);
    const query = await h.request("GET", "/api/regions?limit=100000", { token: admin });
    expect(query.status).toBe(400);
    expect(query.body.error.details[0].path).toEqual(["limit"]);
  });

  it("400 invalid_json for a body that is not JSON, whatever its bytes", async () => {
    for (const body of ["{bad", "", "\u0000\u0001", "[1,2", '{"name": "x", "role": "admin"'.repeat(3)]) {
      const response = await h.request("POST", "/api/operators", { token: admin, body, headers: { "content-type": "application/json" } });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(["invalid_json", "validation_failed"]).toContain(response.body.error.code);
    }
  });

  it("413 for a body over the limit, before parsing it", async () => {
    const body = JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES), role: "admin" });
    const response = await h.request("POST", "/api/operators", { token: admin, body, headers: { "content-type": "application/json" } });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("payload_too_large");
  });

  it("413 closes the connection cleanly: a keep-alive client's next request goes through", async () => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    // One socket at most, kept alive: the pool a reverse proxy keeps to its upstream.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const request = http.request(
          { host: "127.0.0.1", port, path: "/api/simulator/messages", method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (response) => {
            response.resume();
            response.on("end", () => resolve({ status: response.statusCode!, ...(response.headers.connection ? { connection: response.headers.connection } : {}) }));
          },
        );
        request.on("error", reject);
        request.end(body);
      });
    // The same body sent in chunks, its length undeclared: counted as it arrives.
    const chunked = (body: string) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request({ host: "127.0.0.1", port, path: "/api/simulator/messages", method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode!));
        });
        request.on("error", reject);
        for (let at = 0; at < body.length; at += 64 * 1024) request.write(body.slice(at, at + 64 * 1024));
        request.end();
      });
    try {
      expect(await post(JSON.stringify({ from: "keep-alive", text: "x".repeat(2 * 1024 * 1024) }))).toEqual({ status: 413, connection: "close" });
      expect((await post(JSON.stringify({ from: "keep-alive", text: "你好" }))).status).toBe(200);
      expect(await chunked(JSON.stringify({ from: "chunked", text: "x".repeat(2 * 1024 * 1024) }))).toBe(413);
      expect(await chunked(JSON.stringify({ from: "chunked", text: "你好" }))).toBe(200);
    } finally {
      agent.destroy();
      server.close();
    }
  });

  it("500 without internals when something breaks, logged with personal data masked", async () => {
    const failing = await createHarness();
    const token = (await failing.operator("admin")).token;
    await failing.db.close(); // the database goes away under the app
    const response = await failing.request("GET", "/api/workers?q=11010519491231002X", { token }).catch((error: unknown) => error);
    // the API key check itself needs the database: the request fails cleanly either way
    expect((response as { status: number }).status).toBe(500);
    expect((response as { body: { error: { code: string; message: string } } }).body.error).toEqual({
      code: "internal",
      message: "something went wrong on our side; it has been logged",
    });
    expect(JSON.stringify(failing.logs)).not.toContain("11010519491231002X");
    expect(failing.logs.some((line) => line.msg === "request failed")).toBe(true);
  });

  it("logs a failing Aliyun callback by its route pattern, never its path (the path is the secret)", async () => {
    const secret = "aliyun-callback-secret-0123456789";
    const failing = await createHarness({ env: { ALIYUN_SMS_CALLBACK_SECRET: secret } });
    await failing.db.close();
    const body = [{ phone_number: "13812345678", send_time: "2026-12-03 10:00:00", content: "你好", sign_name: "就业直通车", dest_code: "1234", sequence_id: 1 }];
    const response = await failing.request("POST", `/webhooks/sms/aliyun/${secret}`, { body });
    expect(response.status).toBe(500);
    expect(failing.logs.some((line) => line.msg === "request failed")).toBe(true);
    expect(JSON.stringify(failing.logs)).not.toContain(secret);
  });
});

describe("health", () => {
  it("is ok when the database and the search engine answer", async () => {
    const response = await h.request("GET", "/health");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok", db: "ok", search: "ok" });
  });

  it("is degraded (503) and names the part when search is down", async () => {
    const withoutSearch = await createHarness({ searchUrl: "http://127.0.0.1:9" });
    const response = await withoutSearch.request("GET", "/health");
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: "degraded", db: "ok", search: "unavailable" });
    await withoutSearch.close();
  });
});

describe("OpenAPI", () => {
  it("describes every route from its schemas, with bearer security on the operator API", async () => {
    const doc = (await h.request("GET", "/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const routed = h.app.routes
      .filter((r) => r.method !== "ALL" && r.path !== "/openapi.json")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m} ${path}`));
    expect(new Set(documented)).toEqual(new Set(routed));
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith("/api/") || path.startsWith("/api/simulator")) continue;
      for (const operation of Object.values(methods as Record<string, { security?: unknown }>)) {
        expect(operation.security, path).toEqual([{ bearer: [] }]);
      }
    }
  });
});
