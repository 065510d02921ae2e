import { DeliveryId, EndpointId } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import { KnownEndpoint } from '../config-view/endpoint-directory';
import { PendingDelivery } from '../domain/delivery-lifecycle';
import { AttemptRunner } from '../delivery/attempt-runner';
import { DeliveryEventPublisher } from '../delivery/delivery-event-publisher';
import { EndpointGate } from '../delivery/endpoint-gate';
import { EndpointRateLimit } from '../delivery/endpoint-rate-limit';
import { keepFinished } from '../retry-store/keep-finished';
import { ParkReason, rowOf } from '../retry-store/parked-row';
import { RowWriter } from '../retry-store/row-writer';
import { InFlightLimit } from './in-flight-limit';
import { OffsetHold } from './offset-tracker';
import { RunningAttempt, RunningAttempts } from './running-attempts';

export interface FastPathDeps {
  gate: EndpointGate;
  rateLimit: EndpointRateLimit;
  runner: AttemptRunner;
  writer: RowWriter;
  events: DeliveryEventPublisher;
  inFlight: InFlightLimit;
  parkAfterMs: number;
  /** When a delivery parked for want of an in-flight slot is looked at again. */
  inFlightRecheckMs: number;
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

/** A delivery waiting in memory for a slot of its endpoint; it holds its offset and a global in-flight slot. */
interface Waiting {
  delivery: PendingDelivery;
  endpoint: KnownEndpoint;
  hold: OffsetHold;
  since: number;
}

/**
 * First attempts straight from the consumed batch. A delivery whose endpoint has all its in-flight slots busy waits
 * in memory in that endpoint's line while the line moves (a backlog for a fast endpoint never touches Postgres); one
 * that cannot go soon (a slow line, no send slot under the rate limit, open breaker) is parked at once. One that
 * goes holds its message's offset until its attempted event is acknowledged (success: nothing touches Postgres), or
 * until it has run PARK_AFTER_MS, when it is parked as "running" (leased to this instance) so the offset can move on.
 */
export class FastPath {
  private readonly running = new RunningAttempts();
  private readonly waiting = new Map<EndpointId, Waiting[]>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly deps: FastPathDeps) {
    deps.gate.onSlotFreed((endpointId) => this.pump(endpointId));
  }

  /** Takes a delivery; `hold` is retained until the delivery is finished or durably parked. */
  submit(delivery: PendingDelivery, endpoint: KnownEndpoint, hold: OffsetHold): void {
    hold.retain();
    const now = Date.now();
    // FIFO endpoints always queue in the store: the order must hold across parks, retries and instances.
    if (endpoint.state.settings.fifo) return this.park(delivery, 'fifo_wait', new Date(now), hold, true);
    const rate = endpoint.state.settings.rate_limit_per_second;
    if (rate) {
      // Not granted a send slot now: parked until its turn, so the offset moves on. A grant that cannot be decided
      // (Postgres down) leaves the delivery as one that cannot be parked: its offset stays held.
      this.deps.rateLimit.ask(delivery.endpointId, rate).then(
        (answer) => (answer.go ? this.admit(delivery, endpoint, hold, Date.now()) : this.park(delivery, 'rate_limited', answer.askAgainAt, hold, false)),
        (err) => this.deps.onStuck(err),
      );
      return;
    }
    this.admit(delivery, endpoint, hold, now);
  }

  /** Through the endpoint's in-flight cap and breaker: goes now, waits in the endpoint's line, or is parked. */
  private admit(delivery: PendingDelivery, endpoint: KnownEndpoint, hold: OffsetHold, now: number): void {
    // Behind deliveries already waiting for this endpoint, so they keep their order.
    if (this.waiting.has(delivery.endpointId)) {
      if (!this.wait(delivery, endpoint, hold, now)) this.park(delivery, 'in_flight_limit', new Date(now + this.deps.inFlightRecheckMs), hold, false);
      return;
    }
    const admission = this.deps.gate.admit(endpoint, now);
    if (admission.ok) return this.attempt(delivery, endpoint, admission.probe, hold, false);
    if (admission.reason === 'in_flight_limit' && this.wait(delivery, endpoint, hold, now)) return;
    this.park(delivery, admission.reason, admission.retryAt, hold, false);
  }

  /** Deliveries waiting in memory for an in-flight slot. */
  get waitingCount(): number {
    let n = 0;
    for (const line of this.waiting.values()) n += line.length;
    return n;
  }

  /** Shutdown: park every running attempt and waiting delivery now so offsets can be committed; resolves when all are settled. */
  async parkAllRunning(timeoutMs: number): Promise<boolean> {
    this.parkWaiting(() => true);
    this.running.parkAll();
    return this.deps.inFlight.drained(timeoutMs);
  }

  /**
   * Joins the endpoint's line unless the line moves slowly (its head has waited half of PARK_AFTER_MS): a fast
   * endpoint's line moves at our own pace however long it gets (the global in-flight budget bounds it), a slow
   * endpoint's line stays about half of PARK_AFTER_MS of its work and the rest is parked.
   */
  private wait(delivery: PendingDelivery, endpoint: KnownEndpoint, hold: OffsetHold, now: number): boolean {
    const line = this.waiting.get(delivery.endpointId) ?? [];
    if (line.length > 0 && now - line[0].since > this.deps.parkAfterMs / 2) return false;
    line.push({ delivery, endpoint, hold, since: now });
    this.waiting.set(delivery.endpointId, line);
    this.deps.inFlight.take();
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(10, Math.min(100, this.deps.parkAfterMs / 4)));
    return true;
  }

  /** A slot of the endpoint may be free: start waiting deliveries while the gate admits them. */
  private pump(endpointId: EndpointId): void {
    const line = this.waiting.get(endpointId);
    if (!line) return;
    while (line.length > 0) {
      const head = line[0];
      const admission = this.deps.gate.admit(head.endpoint, Date.now());
      if (!admission.ok && admission.reason === 'in_flight_limit') break;
      line.shift();
      if (admission.ok) {
        this.attempt(head.delivery, head.endpoint, admission.probe, head.hold, true);
      } else {
        this.deps.inFlight.give();
        this.park(head.delivery, admission.reason, admission.retryAt, head.hold, false);
      }
    }
    if (line.length === 0) this.waiting.delete(endpointId);
  }

  /** Whoever has waited PARK_AFTER_MS (the endpoint is slow or stalled) is parked, like a long attempt: offsets and the global budget move on. */
  private sweep(): void {
    const cutoff = Date.now() - this.deps.parkAfterMs;
    this.parkWaiting((w) => w.since <= cutoff);
    if (this.waiting.size === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  private parkWaiting(which: (w: Waiting) => boolean): void {
    const recheck = new Date(Date.now() + this.deps.inFlightRecheckMs);
    for (const [endpointId, line] of this.waiting) {
      const keep: Waiting[] = [];
      for (const w of line) {
        if (!which(w)) {
          keep.push(w);
          continue;
        }
        this.deps.inFlight.give();
        this.park(w.delivery, 'in_flight_limit', recheck, w.hold, false);
      }
      if (keep.length) this.waiting.set(endpointId, keep);
      else this.waiting.delete(endpointId);
    }
  }

  /**
   * A resend of a delivery whose attempt runs here: the attempt is handed over to the retry store first (a row it
   * holds, as a long attempt's), so the resend is noted on that row and starts when the attempt ends, never alongside
   * it. Resolves once that row is written (at once when no attempt of it runs here).
   */
  async handOver(deliveryId: DeliveryId): Promise<void> {
    await this.running.find(deliveryId)?.park();
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

  /** `slotTaken`: the delivery already holds a global in-flight slot (it waited in a line). */
  private attempt(delivery: PendingDelivery, endpoint: KnownEndpoint, probe: boolean, hold: OffsetHold, slotTaken: boolean): void {
    const { deps } = this;
    if (!slotTaken) deps.inFlight.take();
    let released = false;
    const releaseOnce = () => {
      if (released) return;
      released = true;
      hold.release();
      deps.inFlight.give();
    };
    let parked: Promise<void> | null = null;
    let finishing = false;
    const entry: RunningAttempt = {
      index: -1,
      deliveryId: delivery.deliveryId,
      park: () => {
        if (finishing) return null;
        if (parked) return parked;
        const until = new Date(Date.now() + deps.leaseMs);
        const row = rowOf(delivery, { nextAttemptAt: until, parkReason: 'running_long', leaseOwner: deps.instanceId, leaseUntil: until });
        deps.onPark?.('running_long');
        parked = Promise.all([deps.writer.park(row), deps.events.parked(delivery, 'running_long', until)]).then(releaseOnce);
        parked.catch((err) => deps.onStuck(err));
        return parked;
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
        this.running.remove(entry);
      });
  }
}
