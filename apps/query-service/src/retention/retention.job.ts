import { expiredSessionsForgottenBefore } from '@hookline/domain';
import type { Logger } from '@hookline/observability';
import { ReadModels } from '../database/read-models';

export interface RetentionResult {
  payloadsPurged: number;
  attemptsDeleted: number;
  /** Requests HTTP sources refused (a diagnostic log): kept as long as attempts. */
  refusedRequestsDeleted: number;
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
  const result: RetentionResult = { payloadsPurged: 0, attemptsDeleted: 0, refusedRequestsDeleted: 0, portalSessionsDeleted: 0 };
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
  result.attemptsDeleted = await deleteExpired(models, 'attempts', ['attempt_id'], defaultDays, now);
  result.refusedRequestsDeleted = await deleteExpired(models, 'source_refused_requests', ['tenant_id', 'event_id'], defaultDays, now);
  const [, sessions] = await models.write('active', (em) => em.query(
    `DELETE FROM api_keys WHERE scope = 'portal' AND expires_at < $1`, [expiredSessionsForgottenBefore(now)])) as [unknown, number];
  result.portalSessionsDeleted = sessions;
  return result;
}

/**
 * Deletes the rows of `table` older than their tenant's retention, a chunk per transaction, each found by its primary
 * key (`key`'s columns); how many went.
 */
async function deleteExpired(models: ReadModels, table: string, key: string[], defaultDays: number, now: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [, count] = await models.write('active', (em) => em.query(
      `DELETE FROM ${table} WHERE (${key.join(', ')}) IN (
         SELECT ${key.map((c) => `x.${c}`).join(', ')} FROM ${table} x LEFT JOIN tenants t ON t.tenant_id = x.tenant_id
          WHERE x.created_at < $3::timestamptz - make_interval(days => COALESCE(t.retention_days, $1))
          LIMIT $2)`, [defaultDays, CHUNK, now.toISOString()])) as [unknown, number];
    deleted += count;
    if (count < CHUNK) return deleted;
  }
}

/** Runs the purge every `intervalMs` (first run after one interval); errors are logged and the next run tries again. */
export function scheduleRetention(models: ReadModels, defaultDays: number, intervalMs: number, log: Logger): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    purgeExpired(models, defaultDays)
      .then((r) => { if (r.payloadsPurged || r.attemptsDeleted || r.refusedRequestsDeleted || r.portalSessionsDeleted) log.info(r, 'retention purge done'); })
      .catch((err: Error) => log.warn({ err: err.message }, 'retention purge failed; will retry'))
      .finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
