import { Consumer } from 'kafkajs';

interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Offsets a consumer has made durable but not yet committed to its group, committed together once per interval and at
 * stop, instead of a commit request after every batch. Only for consumers whose handlers are idempotent (or whose
 * position lives elsewhere): after a crash, what came after the last commit is handled again.
 */
export class DeferredOffsetCommits {
  private pending = new Map<string, PartitionOffset>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly consumer: Consumer,
    private readonly intervalMs: number,
    private readonly onFailure: (err: Error) => void,
  ) {
    // After a rebalance the partitions may be another member's: what this one has not committed is not its to commit.
    consumer.on(consumer.events.GROUP_JOIN, () => (this.pending = new Map()));
  }

  /** Records that everything before `nextOffset` (the next message to read) is durable. */
  note(topic: string, partition: number, nextOffset: string): void {
    this.pending.set(`${topic}:${partition}`, { topic, partition, offset: nextOffset });
  }

  /** Commits every interval from now on (also what an idle stream noted last). */
  start(): void {
    this.timer ??= setInterval(() => void this.commit(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval and commits what is pending; call it before the consumer stops and leaves its group. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.commit();
  }

  private async commit(): Promise<void> {
    if (this.pending.size === 0) return;
    const offsets = [...this.pending.values()];
    this.pending = new Map();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      // Kept for the next commit unless a later offset of the same partition was noted meanwhile.
      for (const o of offsets) if (!this.pending.has(`${o.topic}:${o.partition}`)) this.pending.set(`${o.topic}:${o.partition}`, o);
      this.onFailure(err as Error);
    }
  }
}
