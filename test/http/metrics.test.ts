// GET /metrics: for an administrator's key or METRICS_TOKEN only; counts the chat's turns per channel
// with their latency, and reads the outbox's and the job queue's backlog and the parts' health.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.ts";

const SCRAPER = "metrics-scraper-token-0123456789";
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ env: { METRICS_TOKEN: SCRAPER } });
});
afterAll(() => h.close());

/** The value of one sample line, by its name and labels as written. */
const sample = (text: string, series: string) => {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("GET /metrics", () => {
  it("answers the scraper's token and administrators, nobody else", async () => {
    expect((await h.request("GET", "/metrics")).status).toBe(401);
    expect((await h.request("GET", "/metrics", { token: "metrics-scraper-token-0123456780" })).status).toBe(401);
    const coordinator = (await h.operator("coordinator", ["350622"])).token;
    expect((await h.request("GET", "/metrics", { token: coordinator })).status).toBe(403);
    const scraped = await h.request("GET", "/metrics", { token: SCRAPER });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const admin = (await h.operator("admin")).token;
    expect((await h.request("GET", "/metrics", { token: admin })).status).toBe(200);
    // The scraper's token opens nothing else.
    expect((await h.request("GET", "/api/workers", { token: SCRAPER })).status).toBe(401);
  });

  it("counts turns per channel with their latency, and reads the queues and the parts' health", async () => {
    for (const text of ["你好", "1", "同意"]) {
      expect((await h.request("POST", "/api/simulator/messages", { body: { from: "metrics-user", text } })).status).toBe(200);
    }
    const now = h.clock();
    const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
    await h.deps.prisma.outboxMessage.createMany({
      data: [
        { idempotencyKey: "metrics-1", channel: "sms", address: "sealed-1", purpose: "push", body: {}, createdAt: minutesAgo(10), nextAttemptAt: minutesAgo(1) },
        { idempotencyKey: "metrics-2", channel: "sms", address: "sealed-2", purpose: "push", body: {}, createdAt: minutesAgo(2), nextAttemptAt: minutesAgo(1) },
        // waiting for its backoff: not due
        { idempotencyKey: "metrics-3", channel: "sms", address: "sealed-3", purpose: "push", body: {}, createdAt: minutesAgo(30), nextAttemptAt: minutesAgo(-5) },
        { idempotencyKey: "metrics-4", channel: "sms", address: "sealed-4", purpose: "push", body: {}, status: "failed", statusAt: minutesAgo(5) },
      ],
    });
    await h.deps.prisma.job.create({ data: { kind: "metrics.test", payload: {}, runAt: minutesAgo(3) } });

    const { text } = await h.request("GET", "/metrics", { token: SCRAPER });
    expect(sample(text, 'zt_turns_total{channel="web",outcome="ok"}')).toBe(3);
    expect(sample(text, 'zt_turn_duration_seconds_count{channel="web"}')).toBe(3);
    expect(sample(text, 'zt_turn_duration_seconds_bucket{channel="web",le="+Inf"}')).toBe(3);
    expect(sample(text, 'zt_turn_duration_seconds_sum{channel="web"}')).toBeGreaterThan(0);
    expect(sample(text, 'zt_outbox_due{channel="sms"}')).toBe(2);
    expect(sample(text, 'zt_outbox_oldest_due_seconds{channel="sms"}')).toBe(600);
    expect(sample(text, 'zt_outbox_failed_last_hour{channel="sms"}')).toBe(1);
    expect(sample(text, 'zt_jobs_due{kind="metrics.test"}')).toBe(1);
    expect(sample(text, 'zt_jobs_oldest_due_seconds{kind="metrics.test"}')).toBe(180);
    expect(sample(text, 'zt_up{part="database"}')).toBe(1);
    expect(sample(text, 'zt_up{part="search"}')).toBe(1);
    expect(sample(text, "zt_process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    // Every line is a comment or a sample: the format Prometheus reads.
    for (const line of text.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+]+)$/);
  });

  it("reports the search engine down without failing", async () => {
    const down = await createHarness({ env: { METRICS_TOKEN: SCRAPER }, searchUrl: "http://127.0.0.1:9" });
    try {
      const { status, text } = await down.request("GET", "/metrics", { token: SCRAPER });
      expect(status).toBe(200);
      expect(sample(text, 'zt_up{part="search"}')).toBe(0);
      expect(sample(text, 'zt_up{part="database"}')).toBe(1);
    } finally {
      await down.close();
    }
  });
});
