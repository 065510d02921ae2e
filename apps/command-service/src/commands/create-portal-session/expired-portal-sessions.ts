import { expiredSessionsForgottenBefore } from '@hookline/domain';
import { DataSource } from 'typeorm';

/**
 * Forgets the keys of portal sessions that expired more than a day ago: every visit to a portal opens a session, and
 * an expired one never works again. Only the write model's rows go; the log keeps their events, and a rebuild from
 * it brings the rows back until the next purge. Returns how many went.
 */
export async function forgetExpiredPortalSessions(ds: DataSource, now: Date = new Date()): Promise<number> {
  // ISO 8601 instants of one format (toISOString's) order as text: the index on the expiry serves the comparison.
  const [, count] = (await ds.query(
    `DELETE FROM aggregates WHERE kind = 'api_key' AND state->>'scope' = 'portal' AND state->>'expiresAt' < $1`,
    [expiredSessionsForgottenBefore(now)],
  )) as [unknown, number];
  return count;
}
