import { expiredSessionsForgottenBefore } from '@hookline/domain';
import type { Logger } from '@hookline/observability';
import { ReadModels } from '../database/read-models';

export interface RetentionResult {
  payloadsPurged: number;
  attemptsDeleted: number;
  /** Portal sessions' keys a day past their expiry: every visit to a portal opens one, and none works again. */
  portalSessionsDeleted: number;
}

/** Rows per statement: small enough that a purge never holds locks the projector waits on for long. */
const CHUNK = 5000;

/**
 * Retention: message payloads and attempts older than the tenant's retention_days (from tenant.created/updated), or
 * RETENTION_DAYS when the tenant set none, are purged. The message row itself stays (id, type, status), so lists and
 * delivery status remain complete; only the data the customer sent, and the per-attempt details, go.
 */
export async function purgeExpired(models: ReadModels, defaultDays: number, now: Date = new Date()): Promise<RetentionResult> {
  const result: RetentionResult = { payloadsPurged: 0, attemptsDeleted: 0, portalSessionsDeleted: 0 };
  for (;;) {
    const [, count] = await models.write('active', (em) => em.query(
      `UPDATE messages SET payload = NULL, payload_purged_at = $3
        WHERE message_id IN (
          SELECT m.message_id FROM messages m LEFT JOIN tenants t ON t.tenant_id = m.tenant_id
           WHERE m.payload_purged_at IS NULL AND m.created_at < $3::timestamptz - make_interval(days => COALESCE(t.retention_days, $1))
           LIMIT $2)`, [defaultDays, CHUNK, now.toISOString()])) as [unknown, number];
    result.payloadsPurged += count;
    if (count < CHUNK) break;
  }
  for (;;) {
    const [, count] = await models.write('active', (em) => em.query(
      `DELETE FROM attempts WHERE attempt_id IN (
         SELECT a.attempt_id FROM attempts a LEFT JOIN tenants t ON t.tenant_id = a.tenant_id
          WHERE a.created_at < $3::timestamptz - make_interval(days => COALESCE(t.retention_days, $1))
          LIMIT $2)`, [defaultDays, CHUNK, now.toISOString()])) as [unknown, number];
    result.attemptsDeleted += count;
    if (count < CHUNK) break;
  }
  const [, sessions] = await models.write('active', (em) => em.query(
    `DELETE FROM api_keys WHERE scope = 'portal' AND expires_at < $1`, [expiredSessionsForgottenBefore(now)])) as [unknown, number];
  result.portalSessionsDeleted = sessions;
  return result;
}

/** Runs the purge every `intervalMs` (first run after one interval); errors are logged and the next run tries again. */
export function scheduleRetention(models: ReadModels, defaultDays: number, intervalMs: number, log: Logger): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    purgeExpired(models, defaultDays)
      .then((r) => { if (r.payloadsPurged || r.attemptsDeleted || r.portalSessionsDeleted) log.info(r, 'retention purge done'); })
      .catch((err: Error) => log.warn({ err: err.message }, 'retention purge failed; will retry'))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
