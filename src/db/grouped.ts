// Group commit in the service: statements that arrive while others of their kind run wait for them
// and then go together, as one statement (and, for writes, one commit). Alone, a call goes at once
// (no waiting for company); under load the statements, their plans' start-up and their commits
// are shared.

export interface GroupedOptions<T> {
  /** groups running at once (each takes a connection) */
  inFlight: number;
  /** the most calls in one group */
  groupSize: number;
  /**
   * Keys no two calls in a group may share (the same person's session, the same message): such a
   * call waits for the next group, so that each is judged against the other as if one came first.
   */
  keys?(call: T): readonly string[];
}

/**
 * Every call at once and alone, in its caller's own context: where each request has connections of
 * its own (Workers), a group would write one request's calls over another's connections.
 */
export const ALONE = { inFlight: Number.POSITIVE_INFINITY, groupSize: 1 } as const;

interface Waiting<T, R> {
  call: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * `runAll` runs a group and answers each of its calls in order. If a group of several fails, each
 * of its calls is tried alone, so that one bad call fails by itself.
 */
export function grouped<T, R>(runAll: (calls: T[]) => Promise<R[]>, options: GroupedOptions<T>) {
  const waiting: Waiting<T, R>[] = [];
  let running = 0;

  async function runGroup(group: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await runAll(group.map((entry) => entry.call));
      if (results.length !== group.length) throw new Error(`a group of ${group.length} calls came back with ${results.length} results`);
      group.forEach((entry, index) => entry.resolve(results[index]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const entry of group) await runGroup([entry]);
    }
  }

  function takeGroup(): Waiting<T, R>[] {
    const group: Waiting<T, R>[] = [];
    const taken = new Set<string>();
    for (let index = 0; index < waiting.length && group.length < options.groupSize; ) {
      const keys = options.keys?.(waiting[index]!.call) ?? [];
      if (keys.some((key) => taken.has(key))) {
        index++;
        continue;
      }
      keys.forEach((key) => taken.add(key));
      group.push(...waiting.splice(index, 1));
    }
    return group;
  }

  function flush(): void {
    while (running < options.inFlight && waiting.length > 0) {
      const group = takeGroup();
      running++;
      void runGroup(group).finally(() => {
        running--;
        flush();
      });
    }
  }

  return {
    run(call: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ call, resolve, reject });
        flush();
      });
    },
  };
}
