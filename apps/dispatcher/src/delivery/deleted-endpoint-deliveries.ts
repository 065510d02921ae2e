import { EndpointId, TenantId } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import type { PendingDelivery } from '../domain/delivery-lifecycle';
import type { RetryStore } from '../retry-store/retry-store';
import type { DeliveryEventPublisher } from './delivery-event-publisher';

/** Rows taken, announced and deleted per transaction. */
const BATCH = 500;

export interface DeletedEndpointDeliveriesDeps {
  store: Pick<RetryStore, 'dropRowsOf' | 'endpointsWithRows'>;
  events: Pick<DeliveryEventPublisher, 'dropped'>;
  /** How long an attempt under way when the deletion was read may still run (and then settle its row). */
  settleMs: number;
  log: Logger;
}

/**
 * Drops the deliveries a deleted endpoint still has in the retry store, each announced as delivery.dropped.v1, so the
 * read models stop showing them as retrying (a retry of a deleted endpoint is never sent). It runs when the deletion is
 * read; once more after the longest attempt, for the rows of attempts under way then (they settle afterwards); and at
 * start-up for endpoints deleted while no dispatcher ran. Every instance runs it; row locks give each row to one. A row
 * it missed (Postgres unreachable) is dropped when the retry worker reaches it.
 */
export class DeletedEndpointDeliveries {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: DeletedEndpointDeliveriesDeps) {}

  /** The endpoint was deleted: its deliveries go now, and those of attempts under way once these have settled. */
  deleted(tenantId: TenantId, endpointId: EndpointId): void {
    this.track(tenantId, endpointId);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(tenantId, endpointId);
    }, this.deps.settleMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** At start-up: the deliveries of endpoints deleted while no dispatcher ran. Returns how many endpoints had some. */
  async dropAllBut(exists: (endpointId: EndpointId) => boolean): Promise<number> {
    const gone = (await this.deps.store.endpointsWithRows()).filter((e) => !exists(e.endpointId));
    for (const { tenantId, endpointId } of gone) await this.drop(tenantId, endpointId);
    return gone.length;
  }

  /** Cancels the later sweeps and waits for those under way (before the producer and the database close). */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled(this.running);
  }

  /** Returns how many rows went. */
  private async drop(tenantId: TenantId, endpointId: EndpointId): Promise<number> {
    const announce = (deliveries: PendingDelivery[]) => Promise.all(deliveries.map((d) => this.deps.events.dropped(d)));
    let total = 0;
    for (;;) {
      const taken = await this.deps.store.dropRowsOf(tenantId, endpointId, BATCH, announce);
      total += taken;
      if (taken < BATCH) return total;
    }
  }

  private track(tenantId: TenantId, endpointId: EndpointId): void {
    const running = this.drop(tenantId, endpointId).then(
      (rows) => {
        if (rows > 0) this.deps.log.info({ endpoint_id: endpointId, rows }, 'dropped the deliveries of a deleted endpoint');
      },
      (err: Error) => this.deps.log.warn({ endpoint_id: endpointId, err: err.message },
        'could not drop the deliveries of a deleted endpoint; the retry worker drops each when it comes due'),
    );
    this.running.add(running);
    void running.finally(() => this.running.delete(running));
  }
}
