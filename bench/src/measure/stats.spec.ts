import { percentile, quantiles101, summarize } from './stats';

describe('stats', () => {
  it('takes percentiles by nearest rank', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(percentile(sorted, 0.5)).toBe(5);
    expect(percentile(sorted, 0.99)).toBe(10);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarizes unsorted latencies', () => {
    expect(summarize([30, 10, 20])).toEqual({ count: 3, p50: 20, p90: 30, p99: 30, max: 30 });
  });

  it('gives 101 ascending quantiles from the minimum to the maximum', () => {
    const q = quantiles101(Array.from({ length: 1000 }, (_, i) => 1000 - i));
    expect(q).toHaveLength(101);
    expect(q[0]).toBe(1);
    expect(q[50]).toBe(500);
    expect(q[100]).toBe(1000);
    expect(quantiles101([])).toEqual([]);
  });
});
