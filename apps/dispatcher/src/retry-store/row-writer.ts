import { MicroBatcher } from '@hookline/kafka';
import { ParkedRow } from './parked-row';
import { RetryStore } from './retry-store';

type RowWrite = { kind: 'park'; row: ParkedRow } | { kind: 'settle'; row: ParkedRow } | { kind: 'remove'; deliveryId: string };

/**
 * Funnels the hot path's row writes into few statements: writes requested while one batch is in Postgres go out
 * together in the next, one INSERT/UPSERT/DELETE each. Batches run one at a time, so parks reach the table in the
 * order they were asked for (FIFO sequence numbers follow consumption order).
 */
export class RowWriter {
  private readonly batcher: MicroBatcher<RowWrite, void>;

  constructor(private readonly store: RetryStore, lingerMs = 2) {
    this.batcher = new MicroBatcher((writes) => this.write(writes), { lingerMs, maxBatch: 1000, maxBytes: Number.MAX_SAFE_INTEGER });
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
