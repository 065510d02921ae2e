import { LogPosition, decodePosition } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { ReadModels } from '../database/read-models';

const POLL_MS = 20;

/** Parses `?position=`; a malformed token is the caller's mistake (400 naming the parameter). */
export function parsePosition(token: string | undefined, knownTopics: readonly string[]): LogPosition[] | null {
  if (token === undefined || token === '') return null;
  const positions = decodePosition(token);
  if (!positions) {
    const detail = 'not a position token (pass the token a command response returned, unchanged)';
    throw new ProblemError('validation', `invalid position: ${detail}`, [{ pointer: '/position', detail }]);
  }
  const unknown = positions.find((p) => !knownTopics.includes(p.topic));
  if (unknown) {
    throw new ProblemError('validation', `invalid position: topic "${unknown.topic}" is not projected by this service`,
      [{ pointer: '/position', detail: `unknown topic ${unknown.topic}` }]);
  }
  return positions;
}

/**
 * Read-your-writes: resolves once the active read models have applied every position (stored offset ≥ the
 * appended record's offset), polling Postgres; after `maxWaitMs` answers 503 so the client retries rather than
 * reading a state that does not yet contain its own write.
 */
export async function waitForPosition(models: ReadModels, consumer: string, positions: LogPosition[] | null, maxWaitMs: number): Promise<void> {
  if (!positions) return;
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const rows: Array<{ reached: boolean }> = await models.read((em) => em.query(
      `SELECT bool_and(COALESCE(o."offset", -1) >= p."offset") AS reached
         FROM jsonb_to_recordset($2::jsonb) AS p(topic text, partition int, "offset" bigint)
         LEFT JOIN projection_offsets o ON o.consumer = $1 AND o.topic = p.topic AND o.partition = p.partition`,
      [consumer, JSON.stringify(positions)]));
    if (rows[0]?.reached) return;
    if (Date.now() >= deadline) {
      throw new ProblemError('unavailable', `the read models have not reached the requested position within ${maxWaitMs} ms; retry shortly`,
        [], { position_reached: false }, { 'retry-after': '1' });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
