/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine: every process
 * of the harness (generator, receiver, workers) stamps events with this, so a send time in one process and an arrival
 * time in another can be subtracted.
 */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
