import type { Logger } from '@hookline/observability';
import { PeriodicJob } from '@hookline/service-kit';
import { RetryStore } from './retry-store';

export interface DeadRowRetentionOptions {
  /** Dead rows last changed longer ago than this are removed; 0 keeps them forever. */
  retentionDays: number;
  intervalMs: number;
  log: Logger;
  onPurged?: (rows: number) => void;
}

/** Rows removed per statement: a large backlog goes in short transactions instead of one long lock-holding one. */
const BATCH = 1000;

/**
 * Retention of the retry store: a dead-lettered delivery keeps its row (with the whole message) so a recover can start it
 * again, but not forever. Every `intervalMs` the rows dead for longer than `retentionDays` are deleted in batches, and
 * the notes of messages expunged before then.
 */
export class DeadRowRetention {
  private readonly job: PeriodicJob<number>;

  constructor(private readonly store: RetryStore, private readonly options: DeadRowRetentionOptions) {
    this.job = new PeriodicJob((now) => this.purge(now), options.intervalMs);
  }

  start(): void {
    if (this.options.retentionDays > 0) this.job.start();
  }

  /** One purge pass (joined while one runs); resolves with the rows removed. */
  purgeOnce(now = new Date()): Promise<number> {
    return this.job.runOnce(now);
  }

  stop(): Promise<void> {
    return this.job.stop();
  }

  private async purge(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.options.retentionDays * 86_400_000);
    let total = 0;
    try {
      for (;;) {
        const removed = await this.store.purgeDead(before, BATCH);
        total += removed;
        if (removed < BATCH) break;
      }
      // Notes of expunged messages go with them: their rows were dropped when the expunge was read.
      await this.store.purgeExpunged(before);
    } catch (err) {
      this.options.log.warn({ err: (err as Error).message, removed: total }, 'dead-row retention failed; will try again');
    }
    if (total > 0) {
      this.options.log.info({ removed: total, before: before.toISOString() }, 'dead rows past retention removed from the retry store');
      this.options.onPurged?.(total);
    }
    return total;
  }
}
