/** The sum of every series of a counter in a Prometheus text exposition (e.g. attempts over all results and triggers). */
export function sumOfSeries(metricsText: string, name: string): number {
  return metricsText.split('\n').filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** The most of `times` (ms) that fit in any window shorter than `windowMs` (any second, for 1000). */
export function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[i] <= sorted[j] - windowMs) i++;
    busiest = Math.max(busiest, j - i + 1);
  }
  return busiest;
}
