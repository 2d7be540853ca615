// Group commit in the service: writes that arrive while others are being written wait for them and
// then go together, in one statement and one commit. Alone, a write goes at once (no waiting for
// company); under load the statements, their plans' start-up and their commits are shared.

export interface GroupedWritesOptions<T> {
  /** groups being written at once (each takes a connection) */
  inFlight: number;
  /** the most writes in one group */
  groupSize: number;
  /**
   * Keys no two writes in a group may share (the same person's session, the same message): such a
   * write waits for the next group, so that each is judged against the other as if one came first.
   */
  keys(write: T): readonly string[];
}

interface Waiting<T, R> {
  write: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * `writeAll` writes a group and answers each of its writes in order. If a group of several fails,
 * each of its writes is tried alone, so that one bad write fails by itself.
 */
export function groupedWrites<T, R>(writeAll: (writes: T[]) => Promise<R[]>, options: GroupedWritesOptions<T>) {
  const waiting: Waiting<T, R>[] = [];
  let writing = 0;

  async function writeGroup(group: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await writeAll(group.map((entry) => entry.write));
      if (results.length !== group.length) throw new Error(`a group of ${group.length} writes came back with ${results.length} results`);
      group.forEach((entry, index) => entry.resolve(results[index]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const entry of group) await writeGroup([entry]);
    }
  }

  function takeGroup(): Waiting<T, R>[] {
    const group: Waiting<T, R>[] = [];
    const taken = new Set<string>();
    for (let index = 0; index < waiting.length && group.length < options.groupSize; ) {
      const keys = options.keys(waiting[index]!.write);
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
    while (writing < options.inFlight && waiting.length > 0) {
      const group = takeGroup();
      writing++;
      void writeGroup(group).finally(() => {
        writing--;
        flush();
      });
    }
  }

  return {
    write(write: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ write, resolve, reject });
        flush();
      });
    },
  };
}
