import { EndpointId, TenantId } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import { BreakerTransition } from '../domain/circuit-breaker';
import type { BreakerStore, EndpointWindow, SharedBreakerRow } from '../retry-store/breaker-store';
import { PeriodicJob } from '@hookline/service-kit';

export type BreakerStorePort = Pick<BreakerStore, 'open' | 'claimProbe' | 'settleProbe' | 'releaseProbe' | 'all' | 'exchangeWindows'>;

export interface SharedBreakersOptions {
  instanceId: string;
  store: BreakerStorePort;
  /** How long a probe claim stands: the probe's attempt must end within it (else another instance may probe). */
  probeLeaseMs: number;
  /** How often the instance reads what the others decided. */
  syncMs: number;
  /** Appends the breaker_changed event of a change this instance made. */
  announce(tenantId: TenantId, endpointId: EndpointId, transition: BreakerTransition): void;
  log: Logger;
}

/** What the gate gives the shared breakers: its endpoints' local breakers follow the shared state through it. */
export interface BreakerFollower {
  endpoints(): Iterable<EndpointId>;
  /** The shared state of one endpoint (null: closed). */
  follow(endpointId: EndpointId, row: SharedBreakerRow | null): void;
  /** This instance may probe the endpoint now: attempts waiting in memory may go. */
  wake(endpointId: EndpointId): void;
  /** This instance's windows of the endpoints seen failing, here or elsewhere (closed breakers only). */
  windows(): EndpointWindow[];
  /** What the other instances counted for each endpoint (absent: nothing); a breaker may open on the sum. */
  countOthers(others: Map<EndpointId, EndpointWindow>): void;
}

/**
 * Circuit breakers held across dispatcher instances (dispatcher.endpoint_breakers). Each instance counts its own
 * attempts (EndpointGate's CircuitBreaker) and trades its failure windows with the others every `syncMs`, so the
 * minimum volume and the ratio are judged over every attempt to the endpoint; the first whose window (with the
 * others') trips opens the shared breaker. The others follow it within `syncMs`, stop sending, and never open it a
 * second time. When the open period is over,
 * one instance claims the half-open probe (the others wait for its result), and its result closes or reopens the
 * breaker for all. Every change is announced once, by the instance that made it.
 *
 * The hot path stays in memory: the gate asks Postgres only when its breaker changes or a probe is due. Should
 * Postgres fail, an instance falls back to its own breaker (and announces its own changes), as a lone instance would.
 */
export class SharedBreakers {
  private rows = new Map<EndpointId, SharedBreakerRow>();
  /** Probes this instance claimed and has not started yet, with when the claim lapses. */
  private readonly grants = new Map<EndpointId, number>();
  private readonly claiming = new Set<EndpointId>();
  /** Store calls in flight per endpoint, and the sequence number of each endpoint's last finished call. */
  private readonly busy = new Map<EndpointId, number>();
  private readonly changedAt = new Map<EndpointId, number>();
  private sequence = 0;
  private follower: BreakerFollower | null = null;
  /** Endpoints whose failure window this instance reported at its last exchange. */
  private reported = new Set<EndpointId>();
  /** The periodic read of the shared state (one at a time). */
  private readonly reads: PeriodicJob<void>;
  private readonly pending = new Set<Promise<unknown>>();
  private unreadable = false;

  constructor(private readonly options: SharedBreakersOptions) {
    this.reads = new PeriodicJob(() => this.refresh(), options.syncMs);
  }

  /** The name this instance holds probe claims under. */
  get instanceId(): string {
    return this.options.instanceId;
  }

  attach(follower: BreakerFollower): void {
    this.follower = follower;
  }

  start(): void {
    this.reads.start(true);
  }

  /** Stops reading, and waits for the store calls under way (a released probe, a settled one) to end. */
  async stop(): Promise<void> {
    await this.reads.stop();
    await Promise.allSettled(this.pending);
  }

  /** The shared state a breaker this instance has not used yet starts from (undefined: closed, as far as known). */
  known(endpointId: EndpointId): SharedBreakerRow | undefined {
    return this.rows.get(endpointId);
  }

  /**
   * Asked before a due probe. True when this instance holds the claim (it is used up now); otherwise a claim starts
   * (unless one is running) and its answer either wakes the endpoint (won) or makes its breaker follow the row.
   */
  takeProbe(tenantId: TenantId, endpointId: EndpointId, failureRatio: number, now: number): boolean {
    const lapses = this.grants.get(endpointId);
    if (lapses !== undefined) {
      this.grants.delete(endpointId);
      if (now < lapses) return true;
    }
    if (this.claiming.has(endpointId)) return false;
    this.claiming.add(endpointId);
    const { instanceId, probeLeaseMs } = this.options;
    const announce = () => this.options.announce(tenantId, endpointId, { from: 'open', to: 'half_open', failureRatio });
    void this.track(endpointId, () => this.options.store.claimProbe(endpointId, instanceId, probeLeaseMs))
      .then(
        (claim) => {
          this.remember(endpointId, claim.row);
          if (!claim.won) return this.follower?.follow(endpointId, claim.row);
          this.grants.set(endpointId, claim.row?.probeUntil ?? Date.now() + probeLeaseMs);
          if (claim.from === 'open') announce();
          this.follower?.wake(endpointId);
        },
        (err: Error) => {
          this.options.log.warn({ endpoint_id: endpointId, err: err.message }, 'could not claim the shared breaker probe; probing on this instance alone');
          this.grants.set(endpointId, Date.now() + probeLeaseMs);
          announce();
          this.follower?.wake(endpointId);
        },
      )
      .finally(() => this.claiming.delete(endpointId));
    return false;
  }

  /**
   * The gate's own breaker changed. Opening and a probe's result go to the shared row; the change is announced when
   * this instance made it there (or could not reach Postgres). Closed → half-open was the claim's (takeProbe).
   * `openMs`: how long the endpoint's breaker stays open (its own threshold or the deployment's).
   */
  changed(tenantId: TenantId, endpointId: EndpointId, transition: BreakerTransition, openMs: number): void {
    const { store, instanceId } = this.options;
    let write: () => ReturnType<BreakerStorePort['open']>;
    if (transition.from === 'closed' && transition.to === 'open') write = () => store.open(endpointId, openMs);
    else if (transition.from === 'half_open' && transition.to !== 'half_open') {
      write = () => store.settleProbe(endpointId, instanceId, transition.to === 'closed', openMs);
    } else return;
    void this.track(endpointId, write).then(
      (result) => {
        this.remember(endpointId, result.row);
        if (result.won) this.options.announce(tenantId, endpointId, transition);
        else this.follower?.follow(endpointId, result.row);
      },
      (err: Error) => {
        this.options.log.warn({ endpoint_id: endpointId, err: err.message, to: transition.to }, 'could not share a breaker change; this instance decides alone');
        this.options.announce(tenantId, endpointId, transition);
      },
    );
  }

  /** A probe this instance claimed did not run (its delivery was parked, or the instance stops): another may probe. */
  probeReleased(endpointId: EndpointId): void {
    this.grants.delete(endpointId);
    void this.track(endpointId, () => this.options.store.releaseProbe(endpointId, this.options.instanceId)).catch((err: Error) =>
      this.options.log.warn({ endpoint_id: endpointId, err: err.message }, 'could not release the breaker probe; it lapses by itself'));
  }

  /** The endpoint was deleted: what this instance knows of its breaker goes (its rows go with EndpointRows). */
  forget(endpointId: EndpointId): void {
    this.rows.delete(endpointId);
    this.grants.delete(endpointId);
  }

  /**
   * Reads every breaker that is not closed, and lets the gate's breakers follow those no store call of ours is changing;
   * then trades failure windows with the other instances.
   */
  async refresh(): Promise<void> {
    const since = this.sequence;
    let rows: SharedBreakerRow[];
    let others: EndpointWindow[];
    const own = this.follower?.windows() ?? [];
    const cleared = [...this.reported].filter((id) => !own.some((w) => w.endpointId === id));
    try {
      rows = await this.options.store.all();
      // A report stands three reads long: an instance that stopped reporting (it died) soon stops counting.
      others = await this.options.store.exchangeWindows(this.options.instanceId, own, cleared, 3 * this.options.syncMs);
      this.reported = new Set(own.map((w) => w.endpointId));
    } catch (err) {
      // Once per outage, not once per read.
      if (!this.unreadable) this.options.log.warn({ err: (err as Error).message }, 'could not read the shared breakers; following them again when Postgres answers');
      this.unreadable = true;
      return;
    }
    if (this.unreadable) this.options.log.info('reading the shared breakers again');
    this.unreadable = false;
    this.rows = new Map(rows.map((r) => [r.endpointId, r]));
    if (!this.follower) return;
    for (const endpointId of this.follower.endpoints()) {
      // A change of ours that the read may not have seen yet must not be undone by it.
      if (this.busy.has(endpointId) || (this.changedAt.get(endpointId) ?? -1) > since) continue;
      this.follower.follow(endpointId, this.rows.get(endpointId) ?? null);
    }
    this.follower.countOthers(new Map(others.map((w) => [w.endpointId, w])));
  }

  private remember(endpointId: EndpointId, row: SharedBreakerRow | null): void {
    if (row) this.rows.set(endpointId, row);
    else this.rows.delete(endpointId);
  }

  private track<T>(endpointId: EndpointId, call: () => Promise<T>): Promise<T> {
    const running = this.run(endpointId, call);
    this.pending.add(running);
    void running.catch(() => undefined).finally(() => this.pending.delete(running));
    return running;
  }

  private async run<T>(endpointId: EndpointId, call: () => Promise<T>): Promise<T> {
    this.busy.set(endpointId, (this.busy.get(endpointId) ?? 0) + 1);
    try {
      return await call();
    } finally {
      const left = (this.busy.get(endpointId) ?? 1) - 1;
      if (left > 0) this.busy.set(endpointId, left);
      else this.busy.delete(endpointId);
      this.changedAt.set(endpointId, ++this.sequence);
    }
  }
}
