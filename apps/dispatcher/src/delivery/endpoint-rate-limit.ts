import { EndpointId } from '@hookline/contracts';
import { askAgainAt } from '../domain/send-slots';
import { SendSlotGrant } from '../retry-store/send-slot-store';

/** Whether a delivery may be sent now under its endpoint's rate limit, or when to ask again. */
export type RateAnswer = { go: true } | { go: false; askAgainAt: Date };

interface Ask {
  resolve: (answer: RateAnswer) => void;
  reject: (err: unknown) => void;
}

interface EndpointAsks {
  rate: number;
  asks: Ask[];
  /** A grant for this endpoint is being decided: later asks wait for the next one, so one instance never queues on its own lock. */
  busy: boolean;
}

/**
 * Endpoints' messages-per-second limits, held across every dispatcher instance: a send needs a slot from the
 * endpoint's shared row in Postgres (`SendSlotStore`). Asks made in the same turn of the event loop (a consumed
 * batch, a claimed batch of retries), or while the endpoint's previous grant was being decided, share one grant, so
 * a burst of deliveries to one endpoint costs one statement, not one each. Only rate-limited endpoints come here;
 * the others never touch Postgres on the way out.
 */
export class EndpointRateLimit {
  private readonly endpoints = new Map<EndpointId, EndpointAsks>();

  constructor(private readonly take: (endpointId: EndpointId, ratePerSecond: number, wanted: number) => Promise<SendSlotGrant>) {}

  ask(endpointId: EndpointId, ratePerSecond: number): Promise<RateAnswer> {
    return new Promise((resolve, reject) => {
      let entry = this.endpoints.get(endpointId);
      if (!entry) {
        entry = { rate: ratePerSecond, asks: [], busy: false };
        this.endpoints.set(endpointId, entry);
      }
      // A rate changed by a config event applies from the next grant on.
      entry.rate = ratePerSecond;
      entry.asks.push({ resolve, reject });
      if (entry.asks.length === 1 && !entry.busy) setImmediate(() => this.grant(endpointId));
    });
  }

  private grant(endpointId: EndpointId): void {
    const entry = this.endpoints.get(endpointId);
    if (!entry || entry.busy) return;
    if (entry.asks.length === 0) {
      this.endpoints.delete(endpointId);
      return;
    }
    const { asks, rate } = entry;
    entry.asks = [];
    entry.busy = true;
    this.take(endpointId, rate, asks.length).then(
      (grant) => {
        const later = askAgainAt(grant, rate, asks.length - grant.granted);
        asks.forEach((ask, i) => ask.resolve(i < grant.granted ? { go: true } : { go: false, askAgainAt: new Date(later[i - grant.granted]) }));
      },
      (err) => asks.forEach((ask) => ask.reject(err)),
    ).finally(() => {
      entry.busy = false;
      this.grant(endpointId);
    });
  }
}
