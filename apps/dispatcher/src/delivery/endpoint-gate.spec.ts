import { EndpointCircuitBreakerV1, EndpointId, TenantId } from '@hookline/contracts';
import { EndpointState, evolveEndpoint, initialEndpointState } from '@hookline/domain';
import { BreakerTransition } from '../domain/circuit-breaker';
import { EndpointGate, breakerSettingsOf } from './endpoint-gate';

const tenantId = 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0' as TenantId;
const deployment = { windowMs: 60_000, minVolume: 10, failureRatio: 0.7, openMs: 60_000 };

function endpoint(id: string, circuitBreaker?: EndpointCircuitBreakerV1 | null): { tenantId: TenantId; state: EndpointState } {
  const state = evolveEndpoint(initialEndpointState(), {
    type: 'endpoint.created.v1',
    data: {
      endpoint_id: id as EndpointId, status: 'enabled', secrets: [], url: 'https://example.com', description: '', event_types: null,
      channels: null, filter: null, headers: {}, rate_limit_per_second: null, max_in_flight: null, retry_schedule_seconds: null,
      fifo: false, metadata: {}, ...(circuitBreaker !== undefined ? { circuit_breaker: circuitBreaker } : {}),
    },
  });
  return { tenantId, state };
}

/** Admits and fails one attempt; the gate's breaker changes land in `changes`. */
function fail(gate: EndpointGate, ep: ReturnType<typeof endpoint>, now: number): void {
  const admission = gate.admit(ep, now);
  if (!admission.ok) throw new Error(`not admitted: ${admission.reason}`);
  gate.finish(tenantId, ep.state.endpointId!, false, admission.probe, now);
}

describe("an endpoint's own circuit-breaker thresholds", () => {
  it('take the place of the deployment\'s one by one: each left out is the deployment\'s', () => {
    expect(breakerSettingsOf(deployment, undefined)).toBe(deployment);
    expect(breakerSettingsOf(deployment, null)).toBe(deployment);
    expect(breakerSettingsOf(deployment, {})).toEqual(deployment);
    expect(breakerSettingsOf(deployment, { minimum_attempts: 2, open_seconds: 0.5 })).toEqual({ ...deployment, minVolume: 2, openMs: 500 });
    expect(breakerSettingsOf(deployment, { failure_ratio: 0.2, window_seconds: 30 })).toEqual({ ...deployment, failureRatio: 0.2, windowMs: 30_000 });
  });

  it('open an endpoint\'s breaker after its own minimum attempts, for its own period, while a neighbour on the deployment\'s stays closed', () => {
    const changes: Array<[EndpointId, BreakerTransition]> = [];
    const gate = new EndpointGate({ endpointMaxInFlight: 8, inFlightRecheckMs: 100, breaker: deployment }, (_t, id, tr) => void changes.push([id, tr]));
    const own = endpoint('ep_own', { minimum_attempts: 3, failure_ratio: 0.5, open_seconds: 2 });
    const other = endpoint('ep_other');
    for (let i = 0; i < 3; i++) {
      fail(gate, own, 1000 + i);
      fail(gate, other, 1000 + i);
    }
    expect(changes).toEqual([['ep_own', { from: 'closed', to: 'open', failureRatio: 1 }]]);
    expect(gate.admit(own, 2500)).toEqual({ ok: false, reason: 'breaker_open', retryAt: new Date(1002 + 2000) });
    expect(gate.admit(own, 3002)).toEqual({ ok: true, probe: true });
    expect(gate.admit(other, 3002)).toEqual({ ok: true, probe: false });
  });

  it('follow an update at the next attempt, without losing what the window counted; null goes back to the deployment\'s', () => {
    const changes: BreakerTransition[] = [];
    const gate = new EndpointGate({ endpointMaxInFlight: 8, inFlightRecheckMs: 100, breaker: deployment }, (_t, _id, tr) => void changes.push(tr));
    const before = endpoint('ep_1');
    for (let i = 0; i < 3; i++) fail(gate, before, 1000 + i);
    expect(changes).toEqual([]);

    // The endpoint now opens after 4 attempts: the three failures counted already and this one reach it.
    const after = { tenantId, state: evolveEndpoint(before.state, { type: 'endpoint.updated.v1', data: { endpoint_id: 'ep_1' as EndpointId, circuit_breaker: { minimum_attempts: 4 } } }) };
    fail(gate, after, 1003);
    expect(changes).toEqual([{ from: 'closed', to: 'open', failureRatio: 1 }]);
    expect(gate.admit(after, 1004)).toMatchObject({ ok: false, retryAt: new Date(1003 + 60_000) });

    // Back to the deployment's: a fresh window after the probe closed it needs ten attempts again.
    const reset = { tenantId, state: evolveEndpoint(after.state, { type: 'endpoint.updated.v1', data: { endpoint_id: 'ep_1' as EndpointId, circuit_breaker: null } }) };
    const probe = gate.admit(reset, 61_003);
    expect(probe).toEqual({ ok: true, probe: true });
    gate.finish(tenantId, 'ep_1' as EndpointId, true, true, 61_004);
    for (let i = 0; i < 9; i++) fail(gate, reset, 61_010 + i);
    expect(changes.map((c) => c.to)).toEqual(['open', 'half_open', 'closed']);
    fail(gate, reset, 61_020);
    expect(changes.map((c) => c.to)).toEqual(['open', 'half_open', 'closed', 'open']);
  });
});
