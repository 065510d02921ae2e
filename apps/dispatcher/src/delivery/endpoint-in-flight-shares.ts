import { EndpointId } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import { ShareLook } from '../retry-store/in-flight-share-store';

export interface InFlightSharesOptions {
  instanceId: string;
  /** One look at the endpoint's shares in Postgres (InFlightShareStore.look): this instance's share until the next. */
  look: (look: ShareLook) => Promise<number>;
  /** Attempts this instance has in flight to the endpoint. */
  inFlightOf: (endpointId: EndpointId) => number;
  /** How often the instance looks again at the endpoints it sends to (renewing its rows, giving back what it needs no more). */
  renewMs: number;
  /** How long a share may be used after the look that gave it, without a successful look since. */
  validMs: number;
  /** How long a row stands unrenewed: validMs plus the longest an attempt started just before then can run. */
  leaseMs: number;
  log: Logger;
}

interface Held {
  max: number;
  share: number;
  /** Local clock; past it nothing new starts until a look succeeds (the row may be about to expire). */
  validUntil: number;
  /** An attempt was turned away for want of share since the last look. */
  wanting: boolean;
  /** A look is running. */
  looking: boolean;
  /** A turned-away attempt already asked for a look this period (renewals come every period anyway). */
  askedThisPeriod: boolean;
}

/**
 * This instance's shares of endpoints' max_in_flight (endpoints with one set), so the cap holds across instances.
 * The share is kept in memory and used without asking Postgres; Postgres is asked when an attempt is turned away
 * for want of share (at most once per endpoint and period) and every `renewMs` for the endpoints the instance sends
 * to, which renews its rows and gives back what it no longer needs. A lone instance gets the whole cap at its first
 * look, so the cost is one short transaction per capped endpoint and second while it is sent to.
 */
export class EndpointInFlightShares {
  private readonly held = new Map<EndpointId, Held>();
  private readonly grownListeners: Array<(endpointId: EndpointId) => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFailureLog = 0;

  constructor(private readonly options: InFlightSharesOptions) {}

  start(): void {
    this.timer = setInterval(() => this.renewAll(), this.options.renewMs);
    this.timer.unref();
  }

  /** What this instance may have in flight to the endpoint now; when that is used up and below `max`, asks for more. */
  allowance(endpointId: EndpointId, max: number, inFlight: number): number {
    let h = this.held.get(endpointId);
    if (!h) {
      h = { max, share: 0, validUntil: 0, wanting: false, looking: false, askedThisPeriod: false };
      this.held.set(endpointId, h);
    }
    h.max = max;
    const usable = this.usable(h);
    if (inFlight >= usable) {
      h.wanting = true;
      if (!h.looking && !h.askedThisPeriod && usable < max) {
        h.askedThisPeriod = true;
        void this.lookAt(endpointId, h);
      }
    }
    return usable;
  }

  /** Called when a look gave the endpoint a bigger share: attempts waiting for it may start. */
  onGrown(listener: (endpointId: EndpointId) => void): void {
    this.grownListeners.push(listener);
  }

  /** Stops looking; the rows go with `release` once the instance's attempts have finished. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Endpoints the instance holds a share of (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }

  private usable(h: Held): number {
    return Date.now() < h.validUntil ? Math.min(h.share, h.max) : 0;
  }

  private renewAll(): void {
    for (const [endpointId, h] of this.held) {
      h.askedThisPeriod = false;
      if (!h.looking) void this.lookAt(endpointId, h);
    }
  }

  private async lookAt(endpointId: EndpointId, h: Held): Promise<void> {
    h.looking = true;
    const inFlight = this.options.inFlightOf(endpointId);
    const wants = h.wanting || inFlight > 0;
    h.wanting = false;
    const startedAt = Date.now();
    // Attempts may still start under the current share while the look runs: the row covers them.
    const before = this.usable(h);
    const floor = Math.max(inFlight, before);
    try {
      const share = await this.options.look({ endpointId, instanceId: this.options.instanceId, max: h.max, floor, wants, leaseMs: this.options.leaseMs });
      h.share = share;
      h.validUntil = startedAt + this.options.validMs;
      // Given back in two looks: this one still reported the floor, the next finds nothing to cover and drops the row.
      if (floor === 0 && !wants && !h.wanting) this.held.delete(endpointId);
      else if (share > before) for (const listener of this.grownListeners) listener(endpointId);
    } catch (err) {
      // The share stays usable until validUntil; the next period looks again.
      if (startedAt - this.lastFailureLog > 10_000) {
        this.lastFailureLog = startedAt;
        this.options.log.warn({ endpoint_id: endpointId, err: (err as Error).message }, 'could not renew the share of an endpoint max_in_flight');
      }
    } finally {
      h.looking = false;
    }
  }
}
