// Identical expensive reads running at the same time share one computation: the second caller
// waits for the first's answer instead of starting its own. Nothing is kept once it is answered,
// so every later request computes afresh and the figures stay exact.

export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, compute: () => Promise<T>): Promise<T> {
    const shared = this.running.get(key);
    if (shared) return shared;
    const started = compute().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
