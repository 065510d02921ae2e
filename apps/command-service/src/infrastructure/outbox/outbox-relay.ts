import { BatchingProducer } from '@hookline/kafka';
import { ProblemError } from '@hookline/service-kit';
import { DataSource } from 'typeorm';

export interface SentPosition {
  topic: string;
  partition: number;
  offset: string;
}

interface OutboxRow {
  seq: string;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

// One relay at a time across all instances sends the outbox in `seq` order, so events of one aggregate reach
// Kafka in the order they were committed. The lock is per transaction: a crashed instance releases it at once.
const RELAY_LOCK = 0x686b6c6e; // "hkln"
const BATCH = 500;

/**
 * Transactional outbox relay. Commands commit their events to `outbox` in the same transaction as the aggregate
 * state; the relay appends them to Kafka (idempotent producer, acks=all) and marks them sent. A crash between
 * the two re-sends the rows on restart; consumers dedupe by event id.
 */
export class OutboxRelay {
  private readonly waiters = new Map<string, Array<(p: SentPosition) => void>>();
  private wake: (() => void) | null = null;
  // Set by a commit while a drain is running (no sleeper to wake then), so the loop drains again at once instead of
  // leaving that commit's caller waiting out the idle interval (it answered after ~1 s under concurrent writes).
  private drainAgain = false;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly producer: BatchingProducer,
    private readonly onError: (err: unknown) => void,
    private readonly idleMs = 1000,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Resolves with each row's Kafka position once it is acknowledged (by this or another instance's relay). */
  async waitForSent(seqs: string[], timeoutMs = 30_000): Promise<SentPosition[]> {
    const pending = seqs.map(
      (seq) =>
        new Promise<SentPosition>((resolve) => {
          const list = this.waiters.get(seq) ?? [];
          list.push(resolve);
          this.waiters.set(seq, list);
        }),
    );
    this.drainAgain = true;
    this.wake?.();
    const poll = this.pollSentByOthers(seqs, timeoutMs);
    try {
      return await Promise.race([Promise.all(pending), poll]);
    } finally {
      for (const seq of seqs) this.waiters.delete(seq);
    }
  }

  /**
   * Positions of rows committed by an earlier request (an answer replayed for its Idempotency-Key): read at once
   * when they are sent, waited for when not yet. Empty when a row is gone, purged after the idempotency TTL.
   */
  async positionsOf(seqs: string[], timeoutMs?: number): Promise<SentPosition[]> {
    const rows: Array<{ seq: string; topic: string; partition: number | null; offset: string | null }> = await this.ds.query(
      `SELECT seq, topic, partition, "offset" FROM outbox WHERE seq = ANY($1::bigint[]) ORDER BY seq`,
      [seqs],
    );
    if (rows.length < seqs.length) return [];
    if (rows.some((r) => r.partition === null)) return this.waitForSent(seqs, timeoutMs);
    return rows.map((r) => ({ topic: r.topic, partition: r.partition as number, offset: String(r.offset) }));
  }

  /** Deletes sent rows older than the given age (kept that long for replayed answers' positions). */
  async purgeSent(olderThanHours: number): Promise<number> {
    const r: [unknown[], number] = await this.ds.query(`DELETE FROM outbox WHERE sent_at < now() - make_interval(hours => $1)`, [olderThanHours]);
    return r[1] ?? 0;
  }

  // Another instance may hold the relay lock; its progress is visible in the table.
  private async pollSentByOthers(seqs: string[], timeoutMs: number): Promise<never> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (!seqs.some((s) => this.waiters.has(s))) return new Promise<never>(() => undefined);
      const rows: Array<{ seq: string; topic: string; partition: number; offset: string }> = await this.ds.query(
        `SELECT seq, topic, partition, "offset" FROM outbox WHERE seq = ANY($1::bigint[]) AND sent_at IS NOT NULL`,
        [seqs],
      );
      for (const r of rows) this.resolve(String(r.seq), { topic: r.topic, partition: r.partition, offset: String(r.offset) });
      if (Date.now() > deadline) {
        throw new ProblemError('unavailable', `the change is committed and its events will be sent, but Kafka has not acknowledged them within ${timeoutMs} ms; retry with the same Idempotency-Key to get the answer`, [], {}, { 'retry-after': '1' });
      }
    }
  }

  private resolve(seq: string, position: SentPosition): void {
    for (const fn of this.waiters.get(seq) ?? []) fn(position);
    this.waiters.delete(seq);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sent = 0;
      let failed = false;
      this.drainAgain = false;
      try {
        sent = await this.drainOnce();
      } catch (err) {
        failed = true;
        this.onError(err);
      }
      if (!failed && (sent === BATCH || this.drainAgain)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.idleMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Sends one batch of unsent rows; returns how many were sent. */
  async drainOnce(): Promise<number> {
    return this.ds.transaction(async (tx) => {
      const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK]);
      if (!locked) return 0;
      const rows: OutboxRow[] = await tx.query(
        `SELECT seq, topic, key, value, headers FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ${BATCH}`,
      );
      if (rows.length === 0) return 0;
      const results = await this.producer.appendMany(
        rows.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })),
      );
      await tx.query(
        `UPDATE outbox o SET sent_at = now(), partition = v.partition, "offset" = v.off
           FROM unnest($1::bigint[], $2::int[], $3::bigint[]) AS v(seq, partition, off) WHERE o.seq = v.seq`,
        [rows.map((r) => r.seq), results.map((r) => r.partition), results.map((r) => r.offset)],
      );
      // Resolve only after the UPDATE commits would be stricter, but Kafka's ack is what the client is promised.
      rows.forEach((r, i) => this.resolve(String(r.seq), results[i]));
      return rows.length;
    });
  }
}
