import { EndpointId } from '@hookline/contracts';
import { TestDatabase, createTestDatabase } from '@hookline/testing';
import { DataSource } from 'typeorm';
import { BreakerStore } from './breaker-store';
import { openRetryDatabase } from './open-retry-database';

jest.setTimeout(60_000);

describe('BreakerStore (real Postgres): one circuit breaker per endpoint for every instance', () => {
  let db: TestDatabase;
  const sources: DataSource[] = [];
  let a: BreakerStore;
  let b: BreakerStore;

  beforeAll(async () => {
    db = await createTestDatabase('breakers');
    // Two pools stand for two dispatcher instances racing each other.
    sources.push(await openRetryDatabase(db.url, 4), await openRetryDatabase(db.url, 4));
    [a, b] = sources.map((s) => new BreakerStore(s));
  });
  afterAll(async () => {
    await Promise.all(sources.map((s) => s.destroy()));
    await db?.drop();
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('lets exactly one of two instances open a breaker, and the other finds it open', async () => {
    const ep = 'ep_race_open' as EndpointId;
    const before = Date.now();
    const [first, second] = await Promise.all([a.open(ep, 300), b.open(ep, 300)]);
    expect([first.won, second.won].sort()).toEqual([false, true]);
    expect(first.row).toEqual(second.row);
    expect(first.row).toMatchObject({ endpointId: ep, state: 'open', probeHolder: null, probeUntil: null });
    expect(first.row!.openUntil).toBeGreaterThanOrEqual(before + 300 - 50);
    expect(await a.all()).toEqual([first.row]);
  });

  it('grants the probe to one instance only, and not before the open period is over', async () => {
    const ep = 'ep_race_probe' as EndpointId;
    await a.open(ep, 200);
    expect(await a.claimProbe(ep, 'a', 5000)).toMatchObject({ won: false, from: 'open', row: { state: 'open' } });
    await sleep(250);
    const claims = await Promise.all([a.claimProbe(ep, 'a', 5000), b.claimProbe(ep, 'b', 5000)]);
    expect(claims.filter((c) => c.won)).toHaveLength(1);
    const winner = claims.find((c) => c.won)!;
    expect(winner.from).toBe('open');
    const holder = winner.row!.probeHolder!;
    expect(claims.find((c) => !c.won)).toMatchObject({ from: 'half_open', row: { state: 'half_open', probeHolder: holder } });

    // Only the holder settles it; its failure opens the breaker again for another period.
    const other = holder === 'a' ? 'b' : 'a';
    expect(await a.settleProbe(ep, other, true, 200)).toMatchObject({ won: false, row: { state: 'half_open', probeHolder: holder } });
    expect(await a.settleProbe(ep, holder, false, 200)).toMatchObject({ won: true, row: { state: 'open', probeHolder: null } });
  });

  it('lets another instance take over a probe that was released or whose claim lapsed, unannounced, and closes on success', async () => {
    const ep = 'ep_take_over' as EndpointId;
    await a.open(ep, 0);
    expect(await a.claimProbe(ep, 'a', 5000)).toMatchObject({ won: true, from: 'open' });
    expect(await b.claimProbe(ep, 'b', 5000)).toMatchObject({ won: false });
    // A restarted under the same INSTANCE_ID takes its own standing claim up again.
    expect(await a.claimProbe(ep, 'a', 5000)).toMatchObject({ won: true, from: 'half_open', row: { probeHolder: 'a' } });
    await a.releaseProbe(ep, 'a');
    expect(await b.claimProbe(ep, 'b', 100)).toMatchObject({ won: true, from: 'half_open', row: { probeHolder: 'b' } });
    // B dies while probing: its claim lapses, and A takes over.
    expect(await a.claimProbe(ep, 'a', 5000)).toMatchObject({ won: false });
    await sleep(150);
    expect(await a.claimProbe(ep, 'a', 5000)).toMatchObject({ won: true, from: 'half_open', row: { probeHolder: 'a' } });
    // B's late result changes nothing; A's success closes the breaker (the row goes).
    expect(await b.settleProbe(ep, 'b', false, 200)).toMatchObject({ won: false, row: { probeHolder: 'a' } });
    expect(await a.settleProbe(ep, 'a', true, 200)).toEqual({ won: true, row: null });
    expect((await a.all()).map((r) => r.endpointId)).not.toContain(ep);
    expect(await b.claimProbe(ep, 'b', 5000)).toEqual({ won: false, from: null, row: null });
  });

  it("trades failure windows: each instance gets the others' sums, never its own, and a silent instance stops counting", async () => {
    const [x, y] = ['ep_window_x' as EndpointId, 'ep_window_y' as EndpointId];
    expect(await a.exchangeWindows('a', [{ endpointId: x, ok: 1, failed: 2 }, { endpointId: y, ok: 0, failed: 1 }], [], 1500)).toEqual([]);
    expect(await b.exchangeWindows('b', [{ endpointId: x, ok: 3, failed: 1 }], [], 5000)).toEqual(
      expect.arrayContaining([{ endpointId: x, ok: 1, failed: 2 }, { endpointId: y, ok: 0, failed: 1 }]));
    const third = new BreakerStore(sources[0]);
    expect(sortById(await third.exchangeWindows('c', [], [], 5000))).toEqual([{ endpointId: x, ok: 4, failed: 3 }, { endpointId: y, ok: 0, failed: 1 }]);
    // A's report of y is cleared; its report of x lapses 1.5 s after its last one.
    await a.exchangeWindows('a', [{ endpointId: x, ok: 1, failed: 2 }], [y], 1500);
    expect(sortById(await third.exchangeWindows('c', [], [], 5000))).toEqual([{ endpointId: x, ok: 4, failed: 3 }]);
    await sleep(1600);
    expect(await third.exchangeWindows('c', [], [], 5000)).toEqual([{ endpointId: x, ok: 3, failed: 1 }]);
  });
});

const sortById = (ws: Array<{ endpointId: string }>) => [...ws].sort((p, q) => p.endpointId.localeCompare(q.endpointId));
