/** How items are grouped into one send. */
export interface MicroBatchLimits {
  /**
   * How long the first item of a batch waits for company before the batch is sent. 0: until the current turn of the
   * event loop is done (setImmediate), so what one socket read or one Kafka fetch produced goes together, without a timer.
   */
  lingerMs: number;
  /**
   * Linger only while items come closer together than `lingerMs` (a moving average of the gaps between adds); items
   * further apart go at the end of the event-loop turn, as with `lingerMs` 0. Waiting then would only delay each item,
   * with no company to gather; under load it halves the sends (and the reads they wake downstream).
   */
  lingerWhenBusy?: boolean;
  /** Most items in one send. */
  maxBatch: number;
  /** Most bytes (as measured by `sizeOf`) in one send; a single larger item still goes, alone. */
  maxBytes: number;
}

interface Pending<T, R> {
  item: T;
  size: number;
  resolve(result: R): void;
  reject(err: unknown): void;
}

// Weight of the newest gap in the moving average: it follows a change of rate within a few items, and one long pause
// (gap × 0.2 alone above the linger) is enough to stop lingering.
const GAP_WEIGHT = 0.2;

/**
 * Collects items from concurrent callers and hands them to `send` in groups; each caller's promise settles with its
 * own entry of what `send` returned (same order as the items), or with send's error.
 *
 * Only one send runs at a time. That keeps the order of items across sends equal to the order they were added (what
 * per-key ordering in Kafka needs), and under load it is what makes batches grow: everything that arrives while a
 * send is on the wire goes out together in the next one, immediately, without a second linger.
 */
export class MicroBatcher<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private lastAddAt: number | null = null;
  private meanGapMs = Infinity;
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private timerIsImmediate = false;
  private sending: Promise<void> | null = null;

  constructor(
    private readonly send: (items: T[]) => Promise<R[]>,
    private readonly limits: MicroBatchLimits,
    private readonly sizeOf: (item: T) => number = () => 0,
  ) {
    if (!(limits.maxBatch >= 1)) throw new Error(`maxBatch must be at least 1, got ${limits.maxBatch}`);
    if (!(limits.lingerMs >= 0)) throw new Error(`lingerMs must be 0 or more, got ${limits.lingerMs}`);
  }

  /** Number of items waiting for a send (not counting the one on the wire). */
  get queued(): number {
    return this.pending.length;
  }

  add(item: T): Promise<R> {
    if (this.limits.lingerWhenBusy) this.noteArrival(performance.now());
    return new Promise<R>((resolve, reject) => {
      const size = this.sizeOf(item);
      this.pending.push({ item, size, resolve, reject });
      this.pendingBytes += size;
      this.schedule();
    });
  }

  /** Sends what is queued now and resolves once every send started so far has finished. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.sending || this.pending.length > 0) {
      if (!this.sending) this.startSend();
      await this.sending;
    }
  }

  private schedule(): void {
    if (this.sending) return; // the running send starts the next one when it finishes
    if (this.pending.length >= this.limits.maxBatch || this.pendingBytes >= this.limits.maxBytes) {
      this.startSend();
    } else if (!this.timer) {
      const due = () => {
        this.timer = null;
        if (!this.sending) this.startSend();
      };
      // setTimeout(0) is really 1 ms, and when nothing else is due it costs a sleep and a wake-up of its own.
      this.timerIsImmediate = !this.lingering();
      this.timer = this.timerIsImmediate ? setImmediate(due) : setTimeout(due, this.limits.lingerMs);
    }
  }

  private lingering(): boolean {
    if (this.limits.lingerMs === 0) return false;
    return !this.limits.lingerWhenBusy || this.meanGapMs < this.limits.lingerMs;
  }

  private noteArrival(now: number): void {
    if (this.lastAddAt !== null) {
      const gap = now - this.lastAddAt;
      this.meanGapMs = this.meanGapMs === Infinity ? gap : this.meanGapMs + (gap - this.meanGapMs) * GAP_WEIGHT;
    }
    this.lastAddAt = now;
  }

  private takeBatch(): Array<Pending<T, R>> {
    let count = 0;
    let bytes = 0;
    while (count < this.pending.length && count < this.limits.maxBatch) {
      const size = this.pending[count].size;
      if (count > 0 && bytes + size > this.limits.maxBytes) break;
      bytes += size;
      count += 1;
    }
    this.pendingBytes -= bytes;
    return this.pending.splice(0, count);
  }

  private startSend(): void {
    this.clearTimer();
    if (this.pending.length === 0) return;
    const batch = this.takeBatch();
    this.sending = this.deliver(batch).finally(() => {
      this.sending = null;
      if (this.pending.length > 0) this.startSend();
    });
  }

  private async deliver(batch: Array<Pending<T, R>>): Promise<void> {
    try {
      const results = await this.send(batch.map((p) => p.item));
      if (results.length !== batch.length) {
        throw new Error(`micro-batch send returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((p, i) => p.resolve(results[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  private clearTimer(): void {
    if (!this.timer) return;
    if (this.timerIsImmediate) clearImmediate(this.timer as NodeJS.Immediate);
    else clearTimeout(this.timer as NodeJS.Timeout);
    this.timer = null;
  }
}
