import type { Logger } from '@hookline/observability';
import { KnownEndpoint } from '../config-view/endpoint-directory';
import { PendingDelivery } from '../domain/delivery-lifecycle';
import { AttemptRunner } from '../delivery/attempt-runner';
import { DeliveryEventPublisher } from '../delivery/delivery-event-publisher';
import { EndpointGate } from '../delivery/endpoint-gate';
import { keepFinished } from '../retry-store/keep-finished';
import { ParkReason, rowOf } from '../retry-store/parked-row';
import { RowWriter } from '../retry-store/row-writer';
import { InFlightLimit } from './in-flight-limit';
import { OffsetHold } from './offset-tracker';

export interface FastPathDeps {
  gate: EndpointGate;
  runner: AttemptRunner;
  writer: RowWriter;
  events: DeliveryEventPublisher;
  inFlight: InFlightLimit;
  parkAfterMs: number;
  /** How long a row parked while its attempt still runs stays leased to this instance. */
  leaseMs: number;
  instanceId: string;
  log: Logger;
  /** Called when a delivery could be neither finished nor parked (Kafka or Postgres failing): its offset stays held. */
  onStuck: (err: unknown) => void;
  /** New rows the retry worker should look at soon (FIFO, short waits). */
  onParked: () => void;
  onPark?: (reason: ParkReason) => void;
}

interface Running {
  park(): void;
}

/**
 * First attempts straight from the consumed batch. A delivery that cannot go now is parked at once; one that goes
 * holds its message's offset until its attempted event is acknowledged (success: nothing touches Postgres), or until
 * it has run PARK_AFTER_MS, when it is parked as "running" (leased to this instance) so the offset can move on.
 */
export class FastPath {
  private readonly running = new Set<Running>();

  constructor(private readonly deps: FastPathDeps) {}

  /** Takes a delivery; `hold` is retained until the delivery is finished or durably parked. */
  submit(delivery: PendingDelivery, endpoint: KnownEndpoint, hold: OffsetHold): void {
    hold.retain();
    const now = Date.now();
    // FIFO endpoints always queue in the store: the order must hold across parks, retries and instances.
    if (endpoint.state.settings.fifo) return this.park(delivery, 'fifo_wait', new Date(now), hold, true);
    const admission = this.deps.gate.admit(endpoint, now);
    if (!admission.ok) return this.park(delivery, admission.reason, admission.retryAt, hold, false);
    this.attempt(delivery, endpoint, admission.probe, hold);
  }

  /** Shutdown: park every running attempt now so its offset can be committed; resolves when all are settled. */
  async parkAllRunning(timeoutMs: number): Promise<boolean> {
    for (const r of this.running) r.park();
    return this.deps.inFlight.drained(timeoutMs);
  }

  /** Resolves when no attempt runs any more (parked ones included), or after `timeoutMs`. */
  async waitIdle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private park(delivery: PendingDelivery, reason: ParkReason, at: Date, hold: OffsetHold, fifo: boolean): void {
    this.deps.onPark?.(reason);
    const row = rowOf(delivery, { nextAttemptAt: at, parkReason: reason, fifo });
    Promise.all([this.deps.writer.park(row), this.deps.events.parked(delivery, reason, at)]).then(
      () => {
        hold.release();
        this.deps.onParked();
      },
      (err) => this.deps.onStuck(err),
    );
  }

  private attempt(delivery: PendingDelivery, endpoint: KnownEndpoint, probe: boolean, hold: OffsetHold): void {
    const { deps } = this;
    deps.inFlight.take();
    let released = false;
    const releaseOnce = () => {
      if (released) return;
      released = true;
      hold.release();
      deps.inFlight.give();
    };
    let parked: Promise<void> | null = null;
    let finishing = false;
    const entry: Running = {
      park: () => {
        if (parked || finishing) return;
        const until = new Date(Date.now() + deps.leaseMs);
        const row = rowOf(delivery, { nextAttemptAt: until, parkReason: 'running_long', leaseOwner: deps.instanceId, leaseUntil: until });
        deps.onPark?.('running_long');
        parked = Promise.all([deps.writer.park(row), deps.events.parked(delivery, 'running_long', until)]).then(releaseOnce);
        parked.catch((err) => deps.onStuck(err));
      },
    };
    this.running.add(entry);
    const timer = setTimeout(() => entry.park(), deps.parkAfterMs);

    deps.runner
      .run(delivery, endpoint, probe)
      .then(async ({ finished, acknowledged }) => {
        finishing = true;
        clearTimeout(timer);
        // A row written while the attempt ran must be resolved by it: removed on success, rescheduled otherwise.
        const rowMayExist = parked !== null;
        if (parked) await parked.catch(() => undefined);
        await Promise.all([acknowledged, keepFinished(deps.writer, finished, { rowMayExist, fifo: false })]);
        releaseOnce();
      })
      .catch((err) => {
        // The offset stays held (nothing durable happened); only the in-flight slot is given back.
        if (!released) deps.inFlight.give();
        released = true;
        deps.onStuck(err);
      })
      .finally(() => {
        finishing = true;
        clearTimeout(timer);
        this.running.delete(entry);
      });
  }
}
