import { MicroBatcher } from '@hookline/kafka';
import { ParkedRow } from './parked-row';
import { retryWhileDatabaseUnavailable } from '../shared/retry-while-unavailable';
import { RetryStore } from './retry-store';

type RowWrite = { kind: 'park'; row: ParkedRow } | { kind: 'settle'; row: ParkedRow } | { kind: 'remove'; deliveryId: string };

/**
 * Pauses before a batch is written again after Postgres dropped the connection (a failover, a restart, an operator's
 * pg_terminate_backend): such an outage usually passes within seconds, and giving up at once made the consumer
 * restart from its last commit and deliver everything since then a second time. After the last pause the batch
 * fails, as before. Every write is safe to repeat: parks insert or do nothing, settles set absolute values, removes
 * delete.
 */
const RETRY_PAUSES_MS = [100, 300, 1000, 2000];

/**
 * Funnels the hot path's row writes into few statements: writes requested while one batch is in Postgres go out
 * together in the next, one INSERT/UPSERT/DELETE each. Batches run one at a time, so parks reach the table in the
 * order they were asked for (FIFO sequence numbers follow consumption order).
 */
export class RowWriter {
  private readonly batcher: MicroBatcher<RowWrite, void>;

  constructor(
    private readonly store: RetryStore,
    lingerMs = 2,
    private readonly retryPausesMs: readonly number[] = RETRY_PAUSES_MS,
  ) {
    this.batcher = new MicroBatcher((writes) => this.writeRetrying(writes), { lingerMs, maxBatch: 1000, maxBytes: Number.MAX_SAFE_INTEGER });
  }

  /** Resolves when the row is durable. */
  park(row: ParkedRow): Promise<void> {
    return this.batcher.add({ kind: 'park', row });
  }

  settle(row: ParkedRow): Promise<void> {
    return this.batcher.add({ kind: 'settle', row });
  }

  remove(deliveryId: string): Promise<void> {
    return this.batcher.add({ kind: 'remove', deliveryId });
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Batches run one at a time, so the next waits while this one is retried: the order of parks holds. */
  private writeRetrying(writes: RowWrite[]): Promise<void[]> {
    return retryWhileDatabaseUnavailable(() => this.write(writes), (retry) => this.retryPausesMs[retry] ?? null);
  }

  private async write(writes: RowWrite[]): Promise<void[]> {
    const parks: ParkedRow[] = [];
    const settles = new Map<string, ParkedRow>();
    const removes: string[] = [];
    for (const w of writes) {
      if (w.kind === 'park') parks.push(w.row);
      else if (w.kind === 'settle') settles.set(w.row.deliveryId, w.row); // one statement may not touch a row twice
      else removes.push(w.deliveryId);
    }
    if (parks.length > 0) await this.store.insertParked(dedupe(parks));
    if (settles.size > 0) await this.store.settle([...settles.values()]);
    if (removes.length > 0) await this.store.remove(removes);
    return writes.map(() => undefined);
  }
}

function dedupe(rows: ParkedRow[]): ParkedRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.deliveryId) && (seen.add(r.deliveryId), true));
}
