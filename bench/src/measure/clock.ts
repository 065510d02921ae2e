/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine: every process
 * of the harness (generator, receiver, workers) stamps events with this, so a send time in one process and an arrival
 * time in another can be subtracted.
 */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A run id from the UTC time, e.g. `20261129t102823z`: results files sort by it. */
export function runIdNow(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}t${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}z`;
}
