import { EndpointId, MessageId, TenantId } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import type { PendingDelivery } from '../domain/delivery-lifecycle';
import type { DropReason, RowsToDrop, RetryStore } from '../retry-store/retry-store';
import type { DeliveryEventPublisher } from './delivery-event-publisher';

/** Rows taken, announced and deleted per transaction. */
const BATCH = 500;

export interface DroppedDeliveriesDeps {
  store: Pick<RetryStore, 'dropRows' | 'endpointsWithRows' | 'markExpunged'>;
  events: Pick<DeliveryEventPublisher, 'dropped'>;
  /** How long an attempt under way when the deletion or expunge was read may still run (and then settle its row). */
  settleMs: number;
  log: Logger;
}

const DESCRIBED: Record<DropReason, string> = { endpoint_deleted: 'a deleted endpoint', content_expunged: 'an expunged message' };

/**
 * Drops deliveries from the retry store that must never be attempted again, each scheduled one announced as
 * delivery.dropped.v1 so the read models stop showing it as retrying:
 * - a deleted endpoint's (a retry of a deleted endpoint is never sent);
 * - an expunged message's, dead-lettered ones too (they hold the content, and can no longer be recovered).
 * It runs when the deletion or expunge is read; once more after the longest attempt, for the rows of attempts under
 * way then (they settle afterwards); and, for endpoints deleted while no dispatcher ran, at start-up. Every instance
 * runs it; row locks give each row to one. A row it missed (Postgres unreachable, or parked in between) is dropped
 * when the retry worker reaches it: it never claims one of an expunged message to send it.
 */
export class DroppedDeliveries {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: DroppedDeliveriesDeps) {}

  /** The endpoint was deleted: its deliveries go now, and those of attempts under way once these have settled. */
  endpointDeleted(tenantId: TenantId, endpointId: EndpointId): void {
    this.twice(tenantId, { endpointId }, 'endpoint_deleted');
  }

  /**
   * The message's content was expunged. Noted first (the retry worker then never sends a row of it, whichever instance
   * claims it), so the caller holds the event's offset until this settles: a crash before that reads it again.
   */
  async contentExpunged(tenantId: TenantId, messageId: MessageId): Promise<void> {
    await this.deps.store.markExpunged(tenantId, messageId);
    this.twice(tenantId, { messageId }, 'content_expunged');
  }

  /** At start-up: the deliveries of endpoints deleted while no dispatcher ran. Returns how many endpoints had some. */
  async dropAllBut(exists: (endpointId: EndpointId) => boolean): Promise<number> {
    const gone = (await this.deps.store.endpointsWithRows()).filter((e) => !exists(e.endpointId));
    for (const { tenantId, endpointId } of gone) await this.drop(tenantId, { endpointId }, 'endpoint_deleted');
    return gone.length;
  }

  /** Cancels the later sweeps and waits for those under way (before the producer and the database close). */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled(this.running);
  }

  private twice(tenantId: TenantId, rows: RowsToDrop, reason: DropReason): void {
    this.track(tenantId, rows, reason);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(tenantId, rows, reason);
    }, this.deps.settleMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Returns how many rows went. */
  private async drop(tenantId: TenantId, rows: RowsToDrop, reason: DropReason): Promise<number> {
    const announce = (deliveries: PendingDelivery[]) => Promise.all(deliveries.map((d) => this.deps.events.dropped(d, reason)));
    let total = 0;
    for (;;) {
      const taken = await this.deps.store.dropRows(tenantId, rows, BATCH, announce);
      total += taken;
      if (taken < BATCH) return total;
    }
  }

  private track(tenantId: TenantId, rows: RowsToDrop, reason: DropReason): void {
    const running = this.drop(tenantId, rows, reason).then(
      (count) => {
        if (count > 0) this.deps.log.info({ ...scope(rows), rows: count }, `dropped the deliveries of ${DESCRIBED[reason]}`);
      },
      (err: Error) => this.deps.log.warn({ ...scope(rows), err: err.message },
        `could not drop the deliveries of ${DESCRIBED[reason]}; the retry worker drops each when it comes due`),
    );
    this.running.add(running);
    void running.finally(() => this.running.delete(running));
  }
}

function scope(rows: RowsToDrop): Record<string, string> {
  return 'endpointId' in rows ? { endpoint_id: rows.endpointId } : { message_id: rows.messageId };
}
