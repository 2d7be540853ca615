// What the service counts as it runs, for GET /metrics in Prometheus's text format: chat turns and
// their latency per channel, sends per channel and provider. Kept in the process (one process's
// counts since it started; Prometheus sums the processes and takes rates); what the database knows
// (the outbox, the job queue) is read when the metrics are asked for (services/metrics.ts).
// No dependency: the same code runs on Node and on Workers.

/** A turn's end: answered, a repeat of a message already answered, dropped by the flood gate, refused as a replayed request, or failed. */
export type TurnEnd = "ok" | "duplicate" | "flooded" | "refused" | "error";
/** A send's end: taken by the provider, to be retried, or given up. */
export type SendEnd = "sent" | "retry" | "failed";

/** Seconds: a turn should take tens of milliseconds; a passive WeChat reply must be in within 5 s. */
const TURN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One sample a scrape adds from elsewhere (the database): a gauge with its labels. */
export interface GaugeSample {
  name: string;
  help: string;
  labels?: Record<string, string>;
  value: number;
}

export interface Metrics {
  turn(channel: string, seconds: number, outcome: TurnEnd): void;
  send(channel: string, provider: string, outcome: SendEnd): void;
  /** Everything counted, then the gauges given, in the text exposition format (version 0.0.4). */
  render(gauges: readonly GaugeSample[]): string;
}

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labelText = (labels: Record<string, string>) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? "" : `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(",")}}`;
};

/** Counts under one name, by their labels. */
class Counter {
  readonly values = new Map<string, { labels: Record<string, string>; value: number }>();
  add(labels: Record<string, string>, by = 1) {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }
}

class Histogram {
  readonly series = new Map<string, { labels: Record<string, string>; buckets: number[]; sum: number; count: number }>();
  constructor(readonly bounds: readonly number[]) {}
  observe(labels: Record<string, string>, value: number) {
    const key = labelText(labels);
    const entry = this.series.get(key) ?? { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
    this.bounds.forEach((bound, i) => {
      if (value <= bound) entry.buckets[i]! += 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.series.set(key, entry);
  }
}

export function createMetrics(): Metrics {
  const turns = new Counter();
  const turnSeconds = new Histogram(TURN_BUCKETS);
  const sends = new Counter();

  return {
    turn(channel, seconds, outcome) {
      turns.add({ channel, outcome });
      if (outcome === "ok") turnSeconds.observe({ channel }, seconds);
    },
    send(channel, provider, outcome) {
      sends.add({ channel, provider, outcome });
    },
    render(gauges) {
      const lines: string[] = [];
      const head = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      head("zt_turns_total", "counter", "Chat turns handled by this process, by channel and outcome.");
      for (const { labels, value } of turns.values.values()) lines.push(`zt_turns_total${labelText(labels)} ${value}`);
      head("zt_turn_duration_seconds", "histogram", "Time from a message's arrival to its turn's end (replies queued or answered inline).");
      for (const { labels, buckets, sum, count } of turnSeconds.series.values()) {
        turnSeconds.bounds.forEach((bound, i) => lines.push(`zt_turn_duration_seconds_bucket${labelText({ ...labels, le: String(bound) })} ${buckets[i]}`));
        lines.push(`zt_turn_duration_seconds_bucket${labelText({ ...labels, le: "+Inf" })} ${count}`);
        lines.push(`zt_turn_duration_seconds_sum${labelText(labels)} ${sum}`, `zt_turn_duration_seconds_count${labelText(labels)} ${count}`);
      }
      head("zt_sends_total", "counter", "Outbox messages handed to a provider by this process, by channel, provider and outcome.");
      for (const { labels, value } of sends.values.values()) lines.push(`zt_sends_total${labelText(labels)} ${value}`);
      const byName = new Map<string, GaugeSample[]>();
      for (const gauge of gauges) byName.set(gauge.name, [...(byName.get(gauge.name) ?? []), gauge]);
      for (const [name, samples] of byName) {
        head(name, "gauge", samples[0]!.help);
        for (const sample of samples) lines.push(`${name}${labelText(sample.labels ?? {})} ${sample.value}`);
      }
      return `${lines.join("\n")}\n`;
    },
  };
}
