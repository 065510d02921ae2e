import { EndpointId, TenantId } from '@hookline/contracts';
import { createLogger } from '@hookline/observability';
import { KnownEndpoint } from '../config-view/endpoint-directory';
import { BreakerTransition } from '../domain/circuit-breaker';
import { BreakerWrite, EndpointWindow, SharedBreakerRow } from '../retry-store/breaker-store';
import { EndpointGate } from './endpoint-gate';
import { BreakerStorePort, SharedBreakers } from './shared-breakers';

const tenantId = 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0' as TenantId;
const endpointId = 'ep_01JABCDEFGHJKMNPQRSTVWXYZ1' as EndpointId;
const endpoint = { tenantId, state: { endpointId, settings: { max_in_flight: null } } } as unknown as KnownEndpoint;
const OPEN_MS = 10_000;
const LEASE_MS = 5_000;

/** dispatcher.endpoint_breakers in memory, with the same conditional writes (see BreakerStore). */
class MemoryBreakerStore implements BreakerStorePort {
  readonly rows = new Map<EndpointId, SharedBreakerRow>();
  down = false;

  async open(id: EndpointId, openMs: number): Promise<BreakerWrite> {
    this.reachable();
    const row = this.rows.get(id);
    if (row) return { won: false, row: { ...row } };
    this.rows.set(id, { endpointId: id, state: 'open', openUntil: Date.now() + openMs, probeHolder: null, probeUntil: null });
    return { won: true, row: { ...this.rows.get(id)! } };
  }

  async claimProbe(id: EndpointId, holder: string, leaseMs: number) {
    this.reachable();
    const row = this.rows.get(id);
    if (!row) return { won: false, from: null, row: null };
    const now = Date.now();
    const claimable = (row.state === 'open' && row.openUntil <= now) || (row.state === 'half_open' && (row.probeUntil! <= now || row.probeHolder === holder));
    if (!claimable) return { won: false, from: row.state, row: { ...row } };
    const from = row.state;
    Object.assign(row, { state: 'half_open', probeHolder: holder, probeUntil: now + leaseMs });
    return { won: true, from, row: { ...row } };
  }

  async settleProbe(id: EndpointId, holder: string, ok: boolean, openMs: number): Promise<BreakerWrite> {
    this.reachable();
    const row = this.rows.get(id);
    if (!row || row.state !== 'half_open' || row.probeHolder !== holder) return { won: false, row: row ? { ...row } : null };
    if (ok) {
      this.rows.delete(id);
      return { won: true, row: null };
    }
    Object.assign(row, { state: 'open', openUntil: Date.now() + openMs, probeHolder: null, probeUntil: null });
    return { won: true, row: { ...row } };
  }

  async releaseProbe(id: EndpointId, holder: string): Promise<void> {
    this.reachable();
    const row = this.rows.get(id);
    if (row?.state === 'half_open' && row.probeHolder === holder) row.probeUntil = Date.now();
  }

  async all(): Promise<SharedBreakerRow[]> {
    this.reachable();
    return [...this.rows.values()].map((r) => ({ ...r }));
  }

  readonly windows = new Map<string, EndpointWindow & { instanceId: string; expiresAt: number }>();

  async exchangeWindows(instanceId: string, own: EndpointWindow[], cleared: EndpointId[], ttlMs: number): Promise<EndpointWindow[]> {
    this.reachable();
    for (const id of cleared) this.windows.delete(`${id}|${instanceId}`);
    for (const w of own) this.windows.set(`${w.endpointId}|${instanceId}`, { ...w, instanceId, expiresAt: Date.now() + ttlMs });
    const sums = new Map<EndpointId, EndpointWindow>();
    for (const w of this.windows.values()) {
      if (w.instanceId === instanceId || w.expiresAt <= Date.now()) continue;
      const sum = sums.get(w.endpointId) ?? { endpointId: w.endpointId, ok: 0, failed: 0 };
      sums.set(w.endpointId, { ...sum, ok: sum.ok + w.ok, failed: sum.failed + w.failed });
    }
    return [...sums.values()];
  }

  private reachable(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
}

/** One dispatcher instance: its gate, its shared breakers, what it announced and when its endpoint was woken. */
function instance(name: string, store: BreakerStorePort) {
  const announced: Array<BreakerTransition & { by: string }> = [];
  const breakers = new SharedBreakers({
    instanceId: name, store, probeLeaseMs: LEASE_MS, syncMs: 1000,
    announce: (_t, _e, transition) => announced.push({ ...transition, by: name }), log: createLogger({ service: 'test', level: 'silent' }),
  });
  const gate = new EndpointGate(
    { endpointMaxInFlight: 8, inFlightRecheckMs: 100, breaker: { windowMs: 60_000, minVolume: 2, failureRatio: 0.5, openMs: OPEN_MS } },
    () => { throw new Error('with shared breakers, changes are announced through them'); },
    undefined,
    breakers,
  );
  const woken: EndpointId[] = [];
  gate.onSlotFreed((id) => woken.push(id));
  /** An attempt that fails or succeeds (admitted first). */
  const attempt = (ok: boolean) => {
    const admission = gate.admit(endpoint, Date.now());
    if (!admission.ok) throw new Error(`${name} was not admitted: ${admission.reason}`);
    gate.finish(tenantId, endpointId, ok, admission.probe, Date.now());
    return admission;
  };
  return { name, gate, breakers, announced, woken, attempt, admit: () => gate.admit(endpoint, Date.now()) };
}

// Lets the store calls (promises) answer.
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('circuit breakers held across dispatcher instances', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-11-30T12:00:00Z'), doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  /** Two instances whose breakers both saw the endpoint fail: A first. */
  async function openedByA() {
    const store = new MemoryBreakerStore();
    const [a, b] = [instance('a', store), instance('b', store)];
    a.attempt(false);
    a.attempt(false);
    await settle();
    return { store, a, b };
  }

  it('one instance opens the breaker for all: announced once, and the others stop sending at their next read', async () => {
    const { store, a, b } = await openedByA();
    expect(a.announced).toEqual([expect.objectContaining({ from: 'closed', to: 'open', by: 'a' })]);
    expect(store.rows.get(endpointId)).toMatchObject({ state: 'open', openUntil: Date.now() + OPEN_MS });
    expect(a.admit()).toMatchObject({ ok: false, reason: 'breaker_open' });

    // B has not read the shared state yet, and its own attempts fail as well: its breaker opens too, but finds the
    // shared one open already, so nothing is announced twice.
    b.attempt(false);
    b.attempt(false);
    await settle();
    expect(b.announced).toEqual([]);

    // An instance that has not judged the endpoint at all follows it at its next read.
    const c = instance('c', store);
    expect(c.admit()).toMatchObject({ ok: true });
    c.gate.finish(tenantId, endpointId, true, false, Date.now());
    await c.breakers.refresh();
    expect(c.admit()).toEqual({ ok: false, reason: 'breaker_open', retryAt: new Date(Date.now() + OPEN_MS) });
    expect(c.announced).toEqual([]);
  });

  it("judges the minimum volume over every instance's attempts: each saw too few alone, together they open it", async () => {
    const store = new MemoryBreakerStore();
    const [a, b] = [instance('a', store), instance('b', store)];
    // Minimum volume 2, ratio 0.5: one failure and no success on each instance is not enough for either alone.
    a.attempt(false);
    b.attempt(false);
    await settle();
    expect(store.rows.size).toBe(0);
    await a.breakers.refresh(); // A reports its window (B's is not in yet)
    expect(store.rows.size).toBe(0);
    await b.breakers.refresh(); // B reports its own and counts A's: 2 failures of 2 attempts
    await settle();
    expect(store.rows.get(endpointId)).toMatchObject({ state: 'open' });
    expect(b.announced).toEqual([expect.objectContaining({ from: 'closed', to: 'open', failureRatio: 1, by: 'b' })]);
    await a.breakers.refresh();
    expect(a.admit()).toMatchObject({ ok: false, reason: 'breaker_open' });
    expect(a.announced).toEqual([]);

    // Successes elsewhere weigh too: an instance that saw none fail reports its window once another did.
    const c = new MemoryBreakerStore();
    const [x, y] = [instance('x', c), instance('y', c)];
    x.attempt(false);
    for (let i = 0; i < 3; i++) y.attempt(true);
    await x.breakers.refresh(); // x: 1 failed
    await y.breakers.refresh(); // y learns of it
    await y.breakers.refresh(); // y: 3 succeeded
    await x.breakers.refresh(); // x learns of them
    x.attempt(false); // 2 failed of 5: under the ratio, though x alone has 2 of 2
    await settle();
    expect(c.rows.size).toBe(0);
    expect(x.admit()).toMatchObject({ ok: true });
  });

  it('lets exactly one instance probe once the open period is over, and its success closes the breaker for all', async () => {
    const { store, a, b } = await openedByA();
    await b.breakers.refresh();
    jest.advanceTimersByTime(OPEN_MS);

    // Both want to probe: each asks for the claim (their attempts wait a moment), and only the first gets it.
    expect(a.admit()).toMatchObject({ ok: false, reason: 'breaker_open' });
    expect(b.admit()).toMatchObject({ ok: false, reason: 'breaker_open' });
    await settle();
    expect(store.rows.get(endpointId)).toMatchObject({ state: 'half_open', probeHolder: 'a' });
    expect(a.woken).toContain(endpointId);
    expect(b.admit()).toMatchObject({ ok: false, reason: 'breaker_open' });
    const probe = a.admit();
    expect(probe).toEqual({ ok: true, probe: true });
    expect(a.admit()).toMatchObject({ ok: false }); // one probe, not one per attempt
    expect(b.admit()).toMatchObject({ ok: false });

    a.gate.finish(tenantId, endpointId, true, true, Date.now());
    await settle();
    expect(store.rows.has(endpointId)).toBe(false);
    expect(a.admit()).toMatchObject({ ok: true });
    // B sends again at its next read, and attempts waiting in its memory are woken.
    await b.breakers.refresh();
    expect(b.woken).toContain(endpointId);
    expect(b.admit()).toMatchObject({ ok: true });

    expect([...a.announced, ...b.announced].map((t) => `${t.by}:${t.from}→${t.to}`)).toEqual(['a:closed→open', 'a:open→half_open', 'a:half_open→closed']);
  });

  it('reopens the breaker for all when the probe fails, and lets another instance take over a probe that never ran', async () => {
    const { store, a, b } = await openedByA();
    jest.advanceTimersByTime(OPEN_MS);
    a.admit();
    await settle();
    const probe = a.admit();
    expect(probe).toEqual({ ok: true, probe: true });
    // The delivery was parked instead (or A stops): the claim is released, and B takes the probe over unannounced.
    a.gate.finish(tenantId, endpointId, null, true, Date.now());
    await settle();
    await b.breakers.refresh();
    expect(b.admit()).toMatchObject({ ok: false, reason: 'breaker_open' });
    await settle();
    expect(store.rows.get(endpointId)).toMatchObject({ state: 'half_open', probeHolder: 'b' });
    expect(a.admit()).toMatchObject({ ok: false }); // A must claim again, and B holds the claim

    b.attempt(false);
    await settle();
    expect(store.rows.get(endpointId)).toMatchObject({ state: 'open', openUntil: Date.now() + OPEN_MS });
    await a.breakers.refresh();
    jest.advanceTimersByTime(OPEN_MS - 1);
    expect(a.admit()).toEqual({ ok: false, reason: 'breaker_open', retryAt: new Date(Date.now() + 1) });

    expect([...a.announced, ...b.announced].map((t) => `${t.by}:${t.from}→${t.to}`)).toEqual(['a:closed→open', 'a:open→half_open', 'b:half_open→open']);
  });

  it('decides alone, announcing its own changes, while Postgres cannot be reached', async () => {
    const store = new MemoryBreakerStore();
    store.down = true;
    const a = instance('a', store);
    a.attempt(false);
    a.attempt(false);
    await settle();
    jest.advanceTimersByTime(OPEN_MS);
    expect(a.admit()).toMatchObject({ ok: false });
    await settle();
    a.attempt(true);
    await settle();
    await a.breakers.refresh(); // unreachable still: nothing to follow, nothing undone
    expect(a.admit()).toMatchObject({ ok: true });
    expect(a.announced.map((t) => `${t.from}→${t.to}`)).toEqual(['closed→open', 'open→half_open', 'half_open→closed']);
  });
});
