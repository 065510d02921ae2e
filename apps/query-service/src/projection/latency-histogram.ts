/**
 * Attempt latencies are counted in fixed buckets rather than kept as samples: counts merge by addition (so a
 * multi-row upsert can add a batch's counts in SQL and a rebuild gives the same numbers in any order), memory per
 * endpoint is constant, and p50/p95 are read off the cumulative counts. Upper bounds in milliseconds; the last is open.
 */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 75, 100, 150, 250, 400, 600, 1000, 1500, 2500, 4000, 6000, 10_000, 15_000, 30_000, 60_000];
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** Index of the bucket a latency falls in. */
export function latencyBucket(latencyMs: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/** An empty histogram. */
export const emptyHistogram = (): number[] => new Array<number>(LATENCY_BUCKETS).fill(0);

/**
 * The q-quantile (0 < q ≤ 1) estimated from bucket counts, interpolating linearly inside the bucket it falls in;
 * null when there are no samples. The open last bucket reports its lower bound.
 */
export function latencyQuantile(buckets: ReadonlyArray<number | string>, q: number): number | null {
  const counts = buckets.map(Number);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    if (cumulative + counts[i] >= rank) {
      const lower = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1];
      if (i >= LATENCY_BOUNDS_MS.length) return lower;
      const upper = LATENCY_BOUNDS_MS[i];
      return Math.round(lower + ((rank - cumulative) / counts[i]) * (upper - lower));
    }
    cumulative += counts[i];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
