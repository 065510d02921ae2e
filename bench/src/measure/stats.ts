/** Percentile by the nearest-rank method over an ascending array (q in [0, 1]); NaN for an empty array. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The middle of a few repeated measurements (the upper one of the two middles for an even count), as the micro-benchmarks report. */
export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** p50 / p90 / p99 / max of a set of latencies (ms). */
export function summarize(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** The 0 %, 1 %, … 100 % quantiles (101 values; empty for no data): enough for a CDF chart, small in JSON. */
export function quantiles101(values: number[]): number[] {
  if (values.length === 0) return [];
  const sorted = Float64Array.from(values).sort();
  return Array.from({ length: 101 }, (_, i) => percentile(sorted, i / 100));
}

/** Counts of timestamps per bucket of `bucketMs` from `from` to `to` (per-second rates when divided by bucketMs/1000). */
export function bucketRates(times: number[], from: number, to: number, bucketMs: number): number[] {
  const n = Math.max(0, Math.ceil((to - from) / bucketMs));
  const counts = new Array<number>(n).fill(0);
  for (const t of times) {
    const i = Math.floor((t - from) / bucketMs);
    if (i >= 0 && i < n) counts[i]++;
  }
  return counts.map((c) => (c * 1000) / bucketMs);
}

/** Rounds for reports: 3 significant digits at most, integers above 100. */
export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  if (Math.abs(n) >= 100) return Math.round(n);
  return Number(n.toPrecision(3));
}
