/**
 * The global budget of fast-path attempts that hold Kafka offsets. The consume loop waits for room before taking the
 * next message, which is the backpressure that keeps memory bounded; a slow endpoint cannot exhaust it because its
 * attempts are capped per endpoint and parked after PARK_AFTER_MS.
 */
export class InFlightLimit {
  private count = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get current(): number {
    return this.count;
  }

  take(): void {
    this.count += 1;
  }

  give(): void {
    this.count -= 1;
    if (this.count < this.limit) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  /** Resolves when there is room; `tick` runs about every second meanwhile (consumer heartbeats). */
  async waitForRoom(tick: () => Promise<void>, shouldStop: () => boolean): Promise<void> {
    while (this.count >= this.limit && !shouldStop()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      await tick();
    }
  }

  /** Resolves when nothing is in flight, or after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.count > 0) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
    return true;
  }
}
