import { EndpointCircuitBreakerV1, EndpointId, TenantId } from '@hookline/contracts';
import { KnownEndpoint } from '../config-view/endpoint-directory';
import { BreakerSettings, BreakerState, BreakerTransition, CircuitBreaker } from '../domain/circuit-breaker';
import type { EndpointWindow, SharedBreakerRow } from '../retry-store/breaker-store';
import type { SharedBreakers } from './shared-breakers';

export type BlockReason = 'breaker_open' | 'in_flight_limit';
export type Admission = { ok: true; probe: boolean } | { ok: false; reason: BlockReason; retryAt: Date };

export interface EndpointGateSettings {
  endpointMaxInFlight: number;
  breaker: BreakerSettings;
  /** When a delivery turned away by the in-flight cap is looked at again. */
  inFlightRecheckMs: number;
}

/** When an attempt turned away while this instance claims a due probe is looked at again (a claim wakes it sooner). */
const PROBE_CLAIM_RECHECK_MS = 250;

/** Endpoints' max_in_flight held across instances (EndpointInFlightShares); without it the cap is this instance's own. */
export interface SharedCaps {
  allowance(endpointId: EndpointId, max: number, inFlight: number): number;
  onGrown(listener: (endpointId: EndpointId) => void): void;
}

interface EndpointRuntime {
  tenantId: TenantId;
  inFlight: number;
  breaker: CircuitBreaker;
  /** The endpoint's own thresholds the breaker was last set from (compared by reference: settings change by replacement). */
  thresholds: EndpointCircuitBreakerV1 | null | undefined;
}

/** An endpoint's own thresholds over the deployment's: each one it leaves out is the deployment's. */
export function breakerSettingsOf(deployment: BreakerSettings, own: EndpointCircuitBreakerV1 | null | undefined): BreakerSettings {
  if (!own) return deployment;
  return {
    failureRatio: own.failure_ratio ?? deployment.failureRatio,
    minVolume: own.minimum_attempts ?? deployment.minVolume,
    windowMs: own.window_seconds !== undefined ? own.window_seconds * 1000 : deployment.windowMs,
    openMs: own.open_seconds !== undefined ? own.open_seconds * 1000 : deployment.openMs,
  };
}

/**
 * Whether an attempt to an endpoint may start now, shared by the fast path and the retry worker: the endpoint's
 * in-flight budget (a slow endpoint fills only its own) and its circuit breaker. An endpoint's own max_in_flight is
 * held across instances (this instance uses its share, `SharedCaps`); the deployment default ENDPOINT_MAX_IN_FLIGHT is
 * this instance's own. The breaker counts this instance's attempts, and with `SharedBreakers` its state is held across
 * instances. The messages-per-second limit is held across instances and asked before the gate (`EndpointRateLimit`).
 */
export class EndpointGate {
  private readonly runtimes = new Map<EndpointId, EndpointRuntime>();
  private readonly slotListeners: Array<(endpointId: EndpointId) => void> = [];

  constructor(
    private readonly settings: EndpointGateSettings,
    private readonly onBreakerChange: (tenantId: TenantId, endpointId: EndpointId, transition: BreakerTransition) => void,
    private readonly shared?: SharedCaps,
    private readonly breakers?: SharedBreakers,
  ) {
    shared?.onGrown((endpointId) => this.slotFreed(endpointId));
    breakers?.attach({
      endpoints: () => this.runtimes.keys(),
      follow: (endpointId, row) => this.follow(endpointId, row),
      wake: (endpointId) => this.slotFreed(endpointId),
      windows: () => this.windows(),
      countOthers: (others) => this.countOthers(others),
    });
  }

  /** Takes a slot when allowed; the caller must call `finish` exactly once for every admitted attempt. */
  admit(endpoint: KnownEndpoint, now: number): Admission {
    const id = endpoint.state.endpointId!;
    const rt = this.runtime(id, endpoint.tenantId);
    const thresholds = endpoint.state.settings.circuit_breaker;
    if (thresholds !== rt.thresholds) {
      rt.thresholds = thresholds;
      rt.breaker.reconfigure(breakerSettingsOf(this.settings.breaker, thresholds));
    }
    const own = endpoint.state.settings.max_in_flight;
    const cap = own === null || own === undefined ? this.settings.endpointMaxInFlight : this.shared ? this.shared.allowance(id, own, rt.inFlight) : own;
    if (rt.inFlight >= cap) return { ok: false, reason: 'in_flight_limit', retryAt: new Date(now + this.settings.inFlightRecheckMs) };

    if (this.breakers && rt.breaker.probeDue(now) && !this.breakers.takeProbe(endpoint.tenantId, id, rt.breaker.failureRatio(now), now)) {
      return { ok: false, reason: 'breaker_open', retryAt: new Date(now + PROBE_CLAIM_RECHECK_MS) };
    }
    const { admission, transition } = rt.breaker.admit(now);
    if (transition) this.changed(endpoint.tenantId, id, transition);
    if (!admission.allowed) return { ok: false, reason: 'breaker_open', retryAt: new Date(admission.retryAt) };
    rt.inFlight += 1;
    return { ok: true, probe: admission.probe };
  }

  /** Ends an admitted attempt; `ok` null when it never reached the endpoint's judgement (e.g. shutdown). */
  finish(tenantId: TenantId, endpointId: EndpointId, ok: boolean | null, probe: boolean, now: number): void {
    // No runtime: the endpoint was deleted while the attempt ran, and its breaker went with it.
    const rt = this.runtimes.get(endpointId);
    if (rt) {
      rt.inFlight = Math.max(0, rt.inFlight - 1);
      if (ok === null) {
        if (probe) {
          rt.breaker.releaseProbe();
          if (this.breakers) {
            // The next probe needs a claim again (another instance may take this one over), not this breaker's say.
            rt.breaker.followOpen(now);
            this.breakers.probeReleased(endpointId);
          }
        }
      } else {
        const transition = rt.breaker.record(ok, probe, now);
        if (transition) this.changed(tenantId, endpointId, transition);
      }
    }
    this.slotFreed(endpointId);
  }

  /** The endpoint is gone: its breaker and counters go too, so a deleted endpoint's open breaker is no longer reported. */
  forget(endpointId: EndpointId): void {
    this.runtimes.delete(endpointId);
    this.breakers?.forget(endpointId);
  }

  /** Called after every `finish`: one of that endpoint's slots is free now. */
  onSlotFreed(listener: (endpointId: EndpointId) => void): void {
    this.slotListeners.push(listener);
  }

  /** Every endpoint this gate has seen with its breaker's state, for the metrics. */
  breakerStates(): Array<[EndpointId, BreakerState]> {
    return [...this.runtimes].map(([id, rt]) => [id, rt.breaker.current]);
  }

  inFlight(endpointId: EndpointId): number {
    return this.runtimes.get(endpointId)?.inFlight ?? 0;
  }

  private slotFreed(endpointId: EndpointId): void {
    for (const listener of this.slotListeners) listener(endpointId);
  }

  private changed(tenantId: TenantId, endpointId: EndpointId, transition: BreakerTransition): void {
    const openMs = this.runtimes.get(endpointId)?.breaker.openMs ?? this.settings.breaker.openMs;
    if (this.breakers) this.breakers.changed(tenantId, endpointId, transition, openMs);
    else this.onBreakerChange(tenantId, endpointId, transition);
  }

  /** The breaker follows what another instance decided (SharedBreakers); attempts waiting in memory may go once closed. */
  private follow(endpointId: EndpointId, row: SharedBreakerRow | null): void {
    const rt = this.runtimes.get(endpointId);
    if (!rt || !this.breakers) return;
    if (row === null) {
      if (rt.breaker.current === 'closed') return;
      rt.breaker.followClosed();
      this.slotFreed(endpointId);
    } else if (row.state === 'open') {
      rt.breaker.followOpen(row.openUntil);
    } else if (row.probeHolder === this.breakers.instanceId) {
      // Our claim (a restarted instance takes it up again): the probe goes at the next attempt; one out decides alone.
      rt.breaker.followOpen(Date.now());
    } else {
      rt.breaker.followProbedElsewhere(row.probeUntil ?? 0, Date.now());
    }
  }

  private windows(): EndpointWindow[] {
    const now = Date.now();
    return [...this.runtimes].flatMap(([endpointId, rt]) => {
      const own = rt.breaker.ownWindow(now);
      return own ? [{ endpointId, ...own }] : [];
    });
  }

  private countOthers(others: Map<EndpointId, EndpointWindow>): void {
    const now = Date.now();
    for (const [endpointId, rt] of this.runtimes) {
      const counted = others.get(endpointId);
      const transition = rt.breaker.countOthers(counted ? { ok: counted.ok, failed: counted.failed } : { ok: 0, failed: 0 }, now);
      if (transition) this.changed(rt.tenantId, endpointId, transition);
    }
  }

  private runtime(id: EndpointId, tenantId: TenantId): EndpointRuntime {
    let rt = this.runtimes.get(id);
    if (!rt) {
      rt = { tenantId, inFlight: 0, breaker: new CircuitBreaker(this.settings.breaker), thresholds: undefined };
      this.runtimes.set(id, rt);
      const shared = this.breakers?.known(id);
      if (shared) this.follow(id, shared);
    }
    return rt;
  }
}
