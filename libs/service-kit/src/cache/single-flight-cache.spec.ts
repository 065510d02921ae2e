import { SingleFlightCache } from './single-flight-cache';

/** A load the test resolves by hand, counting how often it was started. */
function manualLoads<V>() {
  const started: Array<{ resolve: (v: V) => void; reject: (e: Error) => void }> = [];
  const load = () => new Promise<V>((resolve, reject) => started.push({ resolve, reject }));
  return { started, load };
}

describe('SingleFlightCache', () => {
  let clock = 0;
  const cache = (ttlMs = 1000, maxEntries = 100) => new SingleFlightCache<string | null>({ ttlMs, maxEntries, now: () => clock });
  beforeEach(() => (clock = 0));

  it('runs one load for every request that misses the same key while it runs', async () => {
    const c = cache();
    const { started, load } = manualLoads<string>();
    const waiting = Array.from({ length: 64 }, () => c.get('tenant', load));
    expect(started).toHaveLength(1);
    started[0].resolve('active');
    await expect(Promise.all(waiting)).resolves.toEqual(Array(64).fill('active'));
    await expect(c.get('tenant', load)).resolves.toBe('active');
    expect(started).toHaveLength(1);
  });

  it('keeps a value for its TTL, then loads it again once', async () => {
    const c = cache(1000);
    let loads = 0;
    const load = async () => `v${++loads}`;
    await c.get('k', load);
    clock = 999;
    await expect(c.get('k', load)).resolves.toBe('v1');
    clock = 1000;
    await expect(Promise.all([c.get('k', load), c.get('k', load)])).resolves.toEqual(['v2', 'v2']);
    expect(loads).toBe(2);
  });

  it('does not keep a value `keep` refuses, nor a failed load', async () => {
    const c = cache();
    let loads = 0;
    await expect(c.get('unknown', async () => (loads++, null), (v) => v !== null)).resolves.toBeNull();
    await expect(c.get('unknown', async () => (loads++, null), (v) => v !== null)).resolves.toBeNull();
    expect(loads).toBe(2);
    await expect(c.get('k', () => Promise.reject(new Error('postgres down')))).rejects.toThrow('postgres down');
    await expect(c.get('k', async () => 'back')).resolves.toBe('back');
  });

  it('after a delete, neither a stored value nor a load that started before it is served to later requests', async () => {
    const c = cache();
    await c.get('key', async () => 'active');
    const { started, load } = manualLoads<string>();
    c.delete('key');
    const before = c.get('key', load);
    c.delete('key'); // revoked while that lookup ran: it read the key as it was before
    const after = c.get('key', load);
    expect(started).toHaveLength(2);
    started[0].resolve('active');
    started[1].resolve('revoked');
    await expect(before).resolves.toBe('active');
    await expect(after).resolves.toBe('revoked');
    await expect(c.get('key', async () => 'reloaded')).resolves.toBe('revoked');
  });

  it('deleteWhere drops the matching entries and forgets every running load', async () => {
    const c = cache();
    await c.get('a', async () => 'tenant-1');
    await c.get('b', async () => 'tenant-2');
    const { started, load } = manualLoads<string>();
    const running = c.get('c', load);
    c.deleteWhere((v) => v === 'tenant-1');
    started[0].resolve('tenant-1');
    await running;
    await expect(c.get('a', async () => 'reloaded')).resolves.toBe('reloaded');
    await expect(c.get('b', async () => 'reloaded')).resolves.toBe('tenant-2');
    await expect(c.get('c', async () => 'reloaded')).resolves.toBe('reloaded');
  });

  it('starts over when it would hold more than maxEntries', async () => {
    const c = cache(1000, 2);
    await c.get('a', async () => 'a');
    await c.get('b', async () => 'b');
    await c.get('c', async () => 'c');
    await expect(c.get('a', async () => 'a again')).resolves.toBe('a again');
    await expect(c.get('c', async () => 'c again')).resolves.toBe('c');
  });
});
