import { PeriodicJob } from './periodic-job';

describe('periodic job', () => {
  it('joins a pass asked for while one runs instead of starting a second, and starts a new one after', async () => {
    let passes = 0;
    let release: () => void = () => undefined;
    const job = new PeriodicJob(() => new Promise<number>((resolve) => {
      passes += 1;
      release = () => resolve(passes);
    }), 60_000);
    const first = job.runOnce();
    const joined = job.runOnce();
    expect(passes).toBe(1);
    release();
    expect(await Promise.all([first, joined])).toEqual([1, 1]);
    const next = job.runOnce();
    release();
    expect(await next).toBe(2);
  });

  it('runs on its interval once started, at once when asked to, and waits for a running pass when stopped', async () => {
    jest.useFakeTimers();
    try {
      const starts: number[] = [];
      const job = new PeriodicJob(async () => void starts.push(Date.now()), 1_000);
      job.start(true);
      expect(starts).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(3_000);
      expect(starts).toHaveLength(4);
      await job.stop();
      await jest.advanceTimersByTimeAsync(3_000);
      expect(starts).toHaveLength(4);
    } finally {
      jest.useRealTimers();
    }
  });
});
