import { waitFor } from '@hookline/testing';
import { ProjectionLag } from '../lag/projection-lag';

/** Waits until the active read models have projected everything on the topics. */
export async function waitCaughtUp(lag: ProjectionLag, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => (await lag.measure()).every((p) => p.lag === 0), timeoutMs, 'projection to catch up', 200);
}
