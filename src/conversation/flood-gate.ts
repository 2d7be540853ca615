// Inbound messages per sender, counted before a turn costs anything: a person types a message
// every few seconds at most, so a sender far above that is a script or a stuck phone. Kept in this
// process's memory (with several processes each counts its own share); it measures elapsed time
// on the monotonic clock, since it limits load and records nothing.

import type { RateLimits } from "../shared/rate-limits.ts";

/** Senders remembered at most; the quietest are forgotten first. */
const MAX_SENDERS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
  /** the sender was told to slow down, and has not been quiet long enough since to be told again */
  told: boolean;
}

export type FloodVerdict = "pass" | "tell" | "drop";

export class FloodGate {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimits["inbound"],
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** "pass" to run the turn; "tell" the first time a sender is over the limit; "drop" after that. */
  admit(sender: string): FloodVerdict {
    const now = this.now();
    const bucket = this.buckets.get(sender) ?? { tokens: this.limit.burst, at: now, told: false };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) / this.limit.refillMs);
    bucket.at = now;
    if (bucket.tokens >= this.limit.burst) bucket.told = false;
    // Re-inserted, so the map's order is the order of last use and the oldest go first.
    this.buckets.delete(sender);
    this.buckets.set(sender, bucket);
    if (this.buckets.size > MAX_SENDERS) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return "pass";
    }
    if (bucket.told) return "drop";
    bucket.told = true;
    return "tell";
  }
}
