import { LATENCY_BOUNDS_MS, emptyHistogram, latencyBucket, latencyQuantile } from './latency-histogram';

describe('latency histogram', () => {
  it('puts a latency in the first bucket whose upper bound holds it', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(5)).toBe(0);
    expect(latencyBucket(6)).toBe(1);
    expect(latencyBucket(999_999)).toBe(LATENCY_BOUNDS_MS.length);
  });

  it('estimates quantiles by interpolating inside the bucket', () => {
    const h = emptyHistogram();
    for (let i = 0; i < 90; i++) h[latencyBucket(40)] += 1; // (25, 50]
    for (let i = 0; i < 10; i++) h[latencyBucket(900)] += 1; // (600, 1000]
    expect(latencyQuantile(h, 0.5)).toBe(Math.round(25 + (50 / 90) * 25));
    expect(latencyQuantile(h, 0.95)).toBe(800);
  });

  it('has no quantile without samples and reads bigint strings from Postgres', () => {
    expect(latencyQuantile(emptyHistogram(), 0.5)).toBeNull();
    const fromDb = emptyHistogram().map(String);
    fromDb[LATENCY_BOUNDS_MS.length] = '3';
    expect(latencyQuantile(fromDb, 0.95)).toBe(LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]);
  });
});
