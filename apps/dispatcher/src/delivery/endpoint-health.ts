import { EndpointId, TenantId } from '@hookline/contracts';
import { EndpointHealthStore } from '../retry-store/endpoint-health-store';

/** How often a failing endpoint's "failing since" is written again (it only ever moves on a success). */
const REFRESH_MS = 10_000;

/**
 * Auto-disable after prolonged failure: an endpoint that has failed continuously (no success in between) for longer
 * than `disableAfterMs` is reported for disabling. The start of the failing run is kept in Postgres so it survives
 * restarts; here it is cached so a burst of failures costs one write, and a success costs a write only when the
 * endpoint was failing.
 */
export class EndpointHealth {
  private readonly failingSince = new Map<EndpointId, { since: Date; checkedAt: number }>();
  private readonly knownFailing = new Set<EndpointId>();

  constructor(
    private readonly store: EndpointHealthStore,
    /** The deployment's AUTO_DISABLE_AFTER_HOURS; 0 turns auto-disable off where an endpoint sets no threshold of its own. */
    private readonly disableAfterMs: number,
  ) {}

  async load(): Promise<void> {
    for (const id of await this.store.failingEndpoints()) this.knownFailing.add(id);
  }

  async succeeded(endpointId: EndpointId): Promise<void> {
    if (!this.knownFailing.has(endpointId)) return;
    this.knownFailing.delete(endpointId);
    this.failingSince.delete(endpointId);
    await this.store.clear(endpointId);
  }

  /**
   * Notes a failure; true when the endpoint has now failed for too long and should be disabled. `ownHours`: the
   * endpoint's own threshold (its auto_disable_after_hours; null or absent: the deployment's, 0: never).
   */
  async failed(tenantId: TenantId, endpointId: EndpointId, now: Date, error: string, ownHours?: number | null): Promise<boolean> {
    const disableAfterMs = ownHours === null || ownHours === undefined ? this.disableAfterMs : ownHours * 3600_000;
    if (disableAfterMs <= 0) return false;
    let cached = this.failingSince.get(endpointId);
    if (!cached || now.getTime() - cached.checkedAt > REFRESH_MS) {
      cached = { since: await this.store.recordFailure(tenantId, endpointId, now, error), checkedAt: now.getTime() };
      this.failingSince.set(endpointId, cached);
      this.knownFailing.add(endpointId);
    }
    return now.getTime() - cached.since.getTime() >= disableAfterMs;
  }

  /** The endpoint is gone: its failing run, if any, is forgotten here and in Postgres. */
  async forget(endpointId: EndpointId): Promise<void> {
    if (this.knownFailing.has(endpointId)) await this.reset(endpointId);
  }

  /** Forgets the failing runs of endpoints that no longer exist (deleted while no dispatcher was running). */
  async forgetAllBut(exists: (endpointId: EndpointId) => boolean): Promise<number> {
    const gone = [...this.knownFailing].filter((id) => !exists(id));
    for (const id of gone) await this.reset(id);
    return gone.length;
  }

  /** After disabling, the run is over: a re-enabled endpoint starts with a clean slate. */
  async reset(endpointId: EndpointId): Promise<void> {
    this.knownFailing.delete(endpointId);
    this.failingSince.delete(endpointId);
    await this.store.clear(endpointId);
  }
}
