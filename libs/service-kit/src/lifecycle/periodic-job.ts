/**
 * A job run every `intervalMs` in the background, one pass at a time: a pass asked for while one runs joins it instead
 * of starting a second. The timer is unref'd, so it never keeps the process alive; `stop` waits for a running pass.
 */
export class PeriodicJob<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;

  constructor(private readonly pass: (now: Date) => Promise<T>, private readonly intervalMs: number) {}

  /** Starts the timer; `runNow` also runs a first pass at once instead of after one interval. */
  start(runNow = false): void {
    if (runNow) void this.runOnce().catch(() => undefined);
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** One pass (joined while one runs). */
  runOnce(now = new Date()): Promise<T> {
    this.running ??= this.pass(now).finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
