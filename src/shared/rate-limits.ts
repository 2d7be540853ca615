// How much a sender, a simulator client or an API key may send: one table, stated in the README.
// The service runs on these; tests relax them unless a test is about them.

export interface RateLimits {
  /** inbound chat messages per sender: a burst, then one more every refillMs */
  inbound: { burst: number; refillMs: number };
  /** web simulator messages per client address, per window */
  simulatorPerClient: { limit: number; windowMs: number };
  /** operator API requests per API key (or per client address without one), per window */
  operatorPerKey: { limit: number; windowMs: number };
  /** operator API requests refused for their key (401) per client address: guessing keys */
  operatorFailuresPerAddress: { limit: number; windowMs: number };
}

export const RATE_LIMITS: RateLimits = {
  // A person types a message every few seconds at most.
  inbound: { burst: 20, refillMs: 3_000 },
  simulatorPerClient: { limit: 60, windowMs: 60_000 },
  operatorPerKey: { limit: 600, windowMs: 60_000 },
  operatorFailuresPerAddress: { limit: 30, windowMs: 60_000 },
};
