import { sleep, wallMs } from '../measure/clock';
import { ADMIN_API_KEY } from '../stack/stack';

/**
 * Records the query service still has to project (`GET /v1/projection/lag`, summed over partitions), or null when it
 * did not answer.
 */
export function projectionBacklog(queryUrl: string): () => Promise<number | null> {
  return async () => {
    try {
      const res = await fetch(`${queryUrl}/v1/projection/lag`, { headers: { authorization: `Bearer ${ADMIN_API_KEY}` } });
      return res.ok ? ((await res.json()) as { total: number }).total : null;
    } catch {
      return null;
    }
  };
}

/**
 * Waits until the read models have caught up with the log (bounded by `timeoutMs`) and says how long that took, or
 * null when they had not by then. A load phase ends with this: an overloaded step leaves the query service projecting
 * its backlog for seconds after the last delivery arrived, and the next phase would otherwise be measured on a machine
 * still busy with the last one's work (and be charged none of it).
 */
export async function waitForReadModels(backlog: () => Promise<number | null>, timeoutMs: number, pollMs = 200): Promise<number | null> {
  const start = wallMs();
  for (;;) {
    if ((await backlog()) === 0) return wallMs() - start;
    if (wallMs() - start > timeoutMs) return null;
    await sleep(pollMs);
  }
}
