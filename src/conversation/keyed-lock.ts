// One turn at a time per user: turns for the same key run one after another, others in parallel.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Resolves when every turn started so far has finished (a clean shutdown waits for this). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return current;
  }
}
