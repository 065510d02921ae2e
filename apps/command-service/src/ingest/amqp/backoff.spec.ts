import { backoffMs, pause, within } from './backoff';

describe('backoff', () => {
  it('doubles from the first wait up to the most, less up to a fifth at random', () => {
    expect([1, 2, 3, 4, 10].map((n) => backoffMs(n, 500, 3000, () => 0))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(backoffMs(1, 1000, 30_000, () => 1)).toBe(800);
  });

  it('waits until the time is up, or a stop cuts it short', async () => {
    const stop = new AbortController();
    expect(await pause(1, stop.signal)).toBe(false);
    const waiting = pause(60_000, stop.signal);
    stop.abort();
    expect(await waiting).toBe(true);
    expect(await pause(60_000, stop.signal)).toBe(true);
  });

  it('gives up waiting for a request that is never answered, and passes on one that is', async () => {
    await expect(within(new Promise(() => undefined), 20, 'checking the queue')).rejects.toThrow('checking the queue: no answer within 20 ms');
    await expect(within(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('refused')), 1000, 'x')).rejects.toThrow('refused');
  });
});
