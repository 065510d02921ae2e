import { backoffMs, pause } from './backoff';

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
});
