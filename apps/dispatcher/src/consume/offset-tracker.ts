/**
 * Which consumed offsets may be committed. Every message of a partition is registered in offset order with one hold
 * (its processing); each delivery it fans out to adds a hold, released once the attempt's event is acknowledged by
 * Kafka or the delivery is durably parked. The committable offset only moves over a contiguous run of fully released
 * messages: after a crash the group restarts at the first message with unfinished work, never past it.
 */
export class PartitionOffsets {
  private readonly holds = new Map<bigint, number>();
  private queue: bigint[] = [];
  private head = 0;
  private committable: bigint | null = null;
  private committed: bigint | null = null;

  /** Registers a message with one hold (released by the caller when it has handed out all its deliveries). */
  register(offset: string): OffsetHold {
    const value = BigInt(offset);
    this.holds.set(value, 1);
    this.queue.push(value);
    return new OffsetHold(this, value);
  }

  retain(offset: bigint): void {
    const n = this.holds.get(offset);
    if (n === undefined || n <= 0) throw new Error(`offset ${offset} was already released; it cannot be held again`);
    this.holds.set(offset, n + 1);
  }

  release(offset: bigint): void {
    const n = this.holds.get(offset);
    if (n === undefined || n <= 0) throw new Error(`offset ${offset} released more often than held`);
    this.holds.set(offset, n - 1);
    if (n === 1) this.advance();
  }

  /** The offset to commit (the next message to read) when it moved since the last `markCommitted`, else null. */
  pendingCommit(): string | null {
    if (this.committable === null || this.committable === this.committed) return null;
    return this.committable.toString();
  }

  markCommitted(offset: string): void {
    const value = BigInt(offset);
    if (this.committed === null || value > this.committed) this.committed = value;
  }

  /** Messages registered and not yet fully released. */
  get outstanding(): number {
    return this.queue.length - this.head;
  }

  /** The oldest message not yet fully released (where a restart must read again from), or null. */
  firstOutstanding(): string | null {
    return this.head < this.queue.length ? this.queue[this.head].toString() : null;
  }

  private advance(): void {
    while (this.head < this.queue.length) {
      const offset = this.queue[this.head];
      if ((this.holds.get(offset) ?? 0) > 0) break;
      this.holds.delete(offset);
      this.committable = offset + 1n;
      this.head += 1;
    }
    // Drop the released prefix now and then so the queue does not grow with the partition's lifetime.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

/** One message's claim on its offset; `retain` per delivery handed out, `release` when each is finished or parked. */
export class OffsetHold {
  constructor(
    private readonly partition: PartitionOffsets,
    private readonly offset: bigint,
  ) {}

  retain(): void {
    this.partition.retain(this.offset);
  }

  release(): void {
    this.partition.release(this.offset);
  }
}

export interface OffsetCommit {
  topic: string;
  partition: number;
  offset: string;
}

/** Per-partition offset tracking of one consumer-group generation; replaced wholesale on every rebalance. */
export class OffsetTracker {
  private readonly partitions = new Map<string, { topic: string; partition: number; offsets: PartitionOffsets }>();

  partition(topic: string, partition: number): PartitionOffsets {
    const key = `${topic}\u0000${partition}`;
    let entry = this.partitions.get(key);
    if (!entry) {
      entry = { topic, partition, offsets: new PartitionOffsets() };
      this.partitions.set(key, entry);
    }
    return entry.offsets;
  }

  /** Offsets that moved since the last commit. */
  pendingCommits(): OffsetCommit[] {
    return this.perPartition((offsets) => offsets.pendingCommit());
  }

  /** Per partition, the oldest message with work not yet finished or parked. */
  firstOutstanding(): OffsetCommit[] {
    return this.perPartition((offsets) => offsets.firstOutstanding());
  }

  markCommitted(commits: OffsetCommit[]): void {
    for (const c of commits) this.partition(c.topic, c.partition).markCommitted(c.offset);
  }

  get outstanding(): number {
    let n = 0;
    for (const { offsets } of this.partitions.values()) n += offsets.outstanding;
    return n;
  }

  private perPartition(offsetOf: (offsets: PartitionOffsets) => string | null): OffsetCommit[] {
    const found: OffsetCommit[] = [];
    for (const { topic, partition, offsets } of this.partitions.values()) {
      const offset = offsetOf(offsets);
      if (offset !== null) found.push({ topic, partition, offset });
    }
    return found;
  }
}
