import type { Logger } from '@hookline/observability';
import { EndpointDirectory } from '../config-view/endpoint-directory';
import { FinishedDelivery, deadLetterForDisabledEndpoint } from '../domain/delivery-lifecycle';
import { AttemptRunner } from '../delivery/attempt-runner';
import { DeliveryEventPublisher } from '../delivery/delivery-event-publisher';
import { EndpointGate } from '../delivery/endpoint-gate';
import { EndpointRateLimit } from '../delivery/endpoint-rate-limit';
import { keepFinished } from '../retry-store/keep-finished';
import { ClaimedRow } from '../retry-store/parked-row';
import { RetryStore } from '../retry-store/retry-store';
import { RowWriter } from '../retry-store/row-writer';
import { retryWhileDatabaseUnavailable } from '../shared/retry-while-unavailable';
import { WakeableSleep } from '../shared/wakeable-sleep';

export interface RetryWorkerDeps {
  store: RetryStore;
  writer: RowWriter;
  endpoints: EndpointDirectory;
  gate: EndpointGate;
  rateLimit: EndpointRateLimit;
  runner: AttemptRunner;
  events: DeliveryEventPublisher;
  instanceId: string;
  pollIntervalMs: number;
  claimBatch: number;
  concurrency: number;
  /** Lease of a claimed row: longer than an attempt plus its event append, so no other instance takes it meanwhile. */
  leaseMs: number;
  log: Logger;
}

/** How often a row write that Postgres could not take is tried again while the row's lease lasts. */
const KEEP_RETRY_MS = 1000;
/** Stop trying this long before the lease ends: after it, another instance may claim the row and attempt it again. */
const LEASE_SAFETY_MS = 5000;

/**
 * The durable slow path: claims due rows (SKIP LOCKED + lease, so instances share the work), runs each through the
 * same gate and attempt runner as the fast path, and writes back where the delivery stands. A crash mid-attempt
 * only delays the row until its lease runs out.
 */
export class RetryWorker {
  private running = false;
  private active = 0;
  private loop: Promise<void> | null = null;
  private readonly pause = new WakeableSleep();

  constructor(private readonly deps: RetryWorkerDeps) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Something new may be due (a park, a FIFO head finished): look now rather than at the next poll. */
  wake(): void {
    this.pause.wakeUp();
  }

  /** Stops claiming and waits up to `timeoutMs` for running attempts (unfinished ones are retried after their lease). */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.pause.wakeUp();
    await this.loop;
    const deadline = Date.now() + timeoutMs;
    while (this.active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      const room = this.deps.concurrency - this.active;
      if (room > 0) {
        try {
          const claimedAt = Date.now();
          const rows = await this.deps.store.claim(this.deps.instanceId, Math.min(room, this.deps.claimBatch), this.deps.leaseMs);
          claimed = rows.length;
          for (const row of rows) {
            this.active += 1;
            this.handle(row, claimedAt + this.deps.leaseMs - LEASE_SAFETY_MS)
              .catch((err) => this.deps.log.error({ err: (err as Error).message, delivery_id: row.delivery.deliveryId }, 'retry failed; the row is retried after its lease'))
              .finally(() => {
                this.active -= 1;
                this.pause.wakeUp();
              });
          }
        } catch (err) {
          this.deps.log.error({ err: (err as Error).message }, 'cannot claim parked deliveries');
        }
      }
      // A full claim means more is probably due: go again at once.
      if (this.running && (claimed === 0 || claimed < Math.min(room, this.deps.claimBatch))) await this.pause.sleep(this.deps.pollIntervalMs);
    }
  }

  /** `keepUntil`: until when this instance may still write where the delivery stands (its lease, less a margin). */
  private async handle({ delivery, fifo, expunged }: ClaimedRow, keepUntil: number): Promise<void> {
    const { deps } = this;
    const endpoint = deps.endpoints.get(delivery.endpointId);
    if (expunged || !endpoint || endpoint.tenantId !== delivery.tenantId) {
      // Announced first: a crash before the row goes makes it dropped (and announced) again, never silently.
      await deps.events.dropped(delivery, expunged ? 'content_expunged' : 'endpoint_deleted');
      await deps.store.remove([delivery.deliveryId]);
      deps.log.info({ delivery_id: delivery.deliveryId, endpoint_id: delivery.endpointId },
        expunged ? "message's content expunged; parked delivery dropped" : 'endpoint deleted; parked delivery dropped');
      return;
    }
    if (endpoint.state.deliveryStatus !== 'enabled') {
      const dead = deadLetterForDisabledEndpoint(delivery, `endpoint is ${endpoint.state.deliveryStatus}`);
      await Promise.all([deps.events.deadLettered(dead), keepFinished(deps.writer, dead, { rowMayExist: true, fifo })]);
      return;
    }
    const rate = endpoint.state.settings.rate_limit_per_second;
    if (rate) {
      // Every send asks, a retry or a parked delivery whose turn came alike: rows wait no more precisely than the
      // worker polls, so a turn written into a row is no promise that no one else has sent since.
      const answer = await deps.rateLimit.ask(delivery.endpointId, rate);
      if (!answer.go) {
        await deps.store.defer(delivery.deliveryId, answer.askAgainAt, 'rate_limited');
        return;
      }
    }
    const admission = deps.gate.admit(endpoint, Date.now());
    if (!admission.ok) {
      await deps.store.defer(delivery.deliveryId, admission.retryAt, admission.reason);
      return;
    }
    const { finished, acknowledged } = await deps.runner.run(delivery, endpoint, admission.probe);
    await Promise.all([acknowledged, this.keep(finished, fifo, keepUntil)]);
  }

  /**
   * Writes where the delivery stands after its attempt, trying again while Postgres is unavailable and the lease
   * lasts (the row writer itself gives up after about 3 s, for the consumer's sake). A failover takes longer than
   * that; without this, a delivery that succeeded meanwhile would be sent again once its lease ran out.
   */
  private keep(finished: FinishedDelivery, fifo: boolean, keepUntil: number): Promise<void> {
    return retryWhileDatabaseUnavailable(() => keepFinished(this.deps.writer, finished, { rowMayExist: true, fifo }), (_retry, err) => {
      if (!this.running || Date.now() + KEEP_RETRY_MS > keepUntil) return null;
      this.deps.log.warn({ err: (err as Error).message, delivery_id: finished.deliveryId }, 'Postgres unavailable; keeping the attempt\'s outcome again shortly');
      return KEEP_RETRY_MS;
    });
  }
}
