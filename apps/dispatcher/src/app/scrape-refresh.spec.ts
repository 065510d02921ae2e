import { scrapeRefresh } from './scrape-refresh';

describe('scrapeRefresh', () => {
  it('measures on the first scrape and reuses it for scrapes within the interval', async () => {
    let runs = 0;
    const refresh = scrapeRefresh(async () => void (runs += 1), { minIntervalMs: 60_000, timeoutMs: 1000, onError: () => undefined });
    await refresh();
    await refresh();
    expect(runs).toBe(1);
  });

  it('never makes a scrape wait longer than the timeout, and reports a failed measurement', async () => {
    const errors: unknown[] = [];
    let finish = () => undefined as void;
    const stuck = new Promise<void>((resolve) => (finish = resolve));
    const slow = scrapeRefresh(() => stuck, { minIntervalMs: 0, timeoutMs: 50, onError: (e) => errors.push(e) });
    const started = Date.now();
    await slow();
    expect(Date.now() - started).toBeLessThan(1000);
    finish();

    const failing = scrapeRefresh(() => Promise.reject(new Error('kafka down')), { minIntervalMs: 0, timeoutMs: 50, onError: (e) => errors.push(e) });
    await expect(failing()).resolves.toBeUndefined();
    expect(errors).toEqual([new Error('kafka down')]);
  });
});
