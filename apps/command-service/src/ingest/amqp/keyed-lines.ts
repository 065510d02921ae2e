/**
 * Runs tasks one after another per key, and tasks of different keys (or of no key) side by side: the per-key order
 * of a source's messages holds while unrelated messages do not wait for each other. Tasks handle their own failures;
 * a task that throws anyway does not stop the ones queued behind it.
 */
export class KeyedLines {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  /** Runs `task` once every task given before it under `key` has ended; a null key: at once. */
  run(key: string | null, task: () => Promise<void>): Promise<void> {
    const previous = key === null ? undefined : this.tails.get(key);
    const done = (previous ?? Promise.resolve()).then(task).catch(() => undefined);
    this.running.add(done);
    if (key !== null) this.tails.set(key, done);
    void done.then(() => {
      this.running.delete(done);
      if (key !== null && this.tails.get(key) === done) this.tails.delete(key);
    });
    return done;
  }

  /** How many tasks are queued or running. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once every task given so far (and any given meanwhile) has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
