import { DeliveryDroppedV1, EndpointId, MessageId, TenantId } from '@hookline/contracts';
import { chunkRows, multiRowValues } from '@hookline/service-kit';
import { DataSource } from 'typeorm';
import { PendingDelivery } from '../domain/delivery-lifecycle';
import { ClaimedRow, ParkedRow, ROW_CASTS, ROW_COLUMNS, claimedOf, rowValues } from './parked-row';

const T = 'dispatcher.parked_deliveries';
const EXPUNGED = 'dispatcher.expunged_messages';

/** Why deliveries are dropped from the store (delivery.dropped.v1's reason). */
export type DropReason = DeliveryDroppedV1['data']['reason'];
/** The rows a drop takes: a deleted endpoint's, or an expunged message's. */
export type RowsToDrop = { endpointId: EndpointId } | { messageId: MessageId };

/** How many rows the retry store holds in one state for one park reason ('none': a retry after a failed attempt). */
export interface ParkedCount {
  state: string;
  reason: string;
  count: number;
}
const INSERT_COLUMNS = ROW_COLUMNS.filter((c) => c !== 'fifo').join(', ');
const SELECT_VALUES = ROW_COLUMNS.filter((c) => c !== 'fifo').map((c) => `v.${c}`).join(', ');

/** An attempt runs on the row: its lease stands, and the attempt will write where the delivery stands next. */
const HELD = '(lease_owner IS NOT NULL AND lease_until > now())';
/** What a resend or recover (`restart_as`) makes of a row no attempt holds: a new series from attempt 1, due now. */
const NEW_SERIES = `origin = restart_as, state = 'scheduled', attempt = 1, next_attempt_at = now(), park_reason = NULL, last_error = NULL,
  lease_owner = NULL, lease_until = NULL, restart_as = NULL, updated_at = now()`;
/** A noted restart taken up where a row is let go without an attempt's outcome (put back, released, lease lapsed). */
const TAKE_UP_RESTART = 'attempt = CASE WHEN restart_as IS NULL THEN attempt ELSE 1 END, origin = COALESCE(restart_as, origin), restart_as = NULL';

/**
 * SQL of the retry store. Writes are multi-row statements (one round trip per batch); claiming uses
 * `FOR UPDATE SKIP LOCKED` plus a lease, so any number of dispatcher instances can share the table.
 */
export class RetryStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Parks new rows. An existing row wins (a redelivered Kafka batch must not reset a delivery that already moved on).
   * FIFO rows draw their sequence number here, in the order given.
   */
  async insertParked(rows: ParkedRow[]): Promise<void> {
    await this.writeRows(rows, 'DO NOTHING');
  }

  /**
   * Records where deliveries stand after an attempt (scheduled again or dead), releasing any lease. A resend or
   * recover asked for while the attempt ran starts its new series now instead.
   */
  async settle(rows: ParkedRow[]): Promise<void> {
    const restarting = `${T}.restart_as IS NOT NULL`;
    await this.writeRows(rows, `DO UPDATE SET
           attempt = CASE WHEN ${restarting} THEN 1 ELSE EXCLUDED.attempt END,
           next_attempt_at = CASE WHEN ${restarting} THEN now() ELSE EXCLUDED.next_attempt_at END,
           state = CASE WHEN ${restarting} THEN 'scheduled' ELSE EXCLUDED.state END,
           park_reason = CASE WHEN ${restarting} THEN NULL ELSE EXCLUDED.park_reason END,
           origin = COALESCE(${T}.restart_as, EXCLUDED.origin), restart_as = NULL, last_error = EXCLUDED.last_error,
           fifo_seq = COALESCE(${T}.fifo_seq, EXCLUDED.fifo_seq),
           lease_owner = NULL, lease_until = NULL, updated_at = now()`);
  }

  /**
   * Forgets deliveries that succeeded (or whose endpoint is gone). A resend asked for while the attempt ran still
   * goes (a new series, now): it asked for one more send after it. A recover's aim was met by the success.
   */
  async remove(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.db.query(
      `WITH resent AS (UPDATE ${T} SET ${NEW_SERIES} WHERE delivery_id = ANY($1::text[]) AND restart_as = 'resend')
       DELETE FROM ${T} WHERE delivery_id = ANY($1::text[]) AND restart_as IS DISTINCT FROM 'resend'`,
      [deliveryIds],
    );
  }

  /** Puts a claimed row back for later without spending an attempt (rate limit, breaker, in-flight cap). */
  async defer(deliveryId: string, nextAttemptAt: Date, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE ${T} SET next_attempt_at = $2, park_reason = $3, lease_owner = NULL, lease_until = NULL, ${TAKE_UP_RESTART}, updated_at = now()
       WHERE delivery_id = $1`,
      [deliveryId, nextAttemptAt.toISOString(), reason],
    );
  }

  /**
   * Claims up to `limit` due rows for `owner` until `leaseMs` from now. A FIFO row is due only when it is the lowest
   * scheduled row of its endpoint, so a FIFO endpoint never has two deliveries in flight or out of order.
   */
  async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedRow[]> {
    const rows = await this.db.query(
      `WITH due AS (
         SELECT p.delivery_id FROM ${T} p
         WHERE p.state = 'scheduled' AND p.next_attempt_at <= now()
           AND (p.lease_until IS NULL OR p.lease_until < now())
           AND (p.fifo_seq IS NULL OR NOT EXISTS (
             SELECT 1 FROM ${T} q
             WHERE q.endpoint_id = p.endpoint_id AND q.state = 'scheduled' AND q.fifo_seq IS NOT NULL AND q.fifo_seq < p.fifo_seq))
         ORDER BY p.next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       UPDATE ${T} t SET lease_owner = $2, lease_until = now() + ($3::int * interval '1 millisecond'), ${TAKE_UP_RESTART}, updated_at = now()
       FROM due WHERE t.delivery_id = due.delivery_id
       RETURNING t.delivery_id, t.tenant_id, t.endpoint_id, t.message, t.origin, t.attempt, t.fifo_seq,
         EXISTS (SELECT 1 FROM ${EXPUNGED} x WHERE x.message_id = t.message_id AND x.tenant_id = t.tenant_id) AS expunged`,
      [limit, owner, leaseMs],
    );
    return (rows[0] as Parameters<typeof claimedOf>[0][]).map(claimedOf);
  }

  /**
   * Recover: dead or still-retrying deliveries of an endpoint whose message was published in [since, until) start a
   * new series at once; one whose attempt is running starts it when that attempt ends (unless it succeeds). Returns
   * how many.
   */
  async requeueForRecovery(tenantId: TenantId, endpointId: EndpointId, since: Date, until: Date): Promise<number> {
    return this.db.transaction(async (m) => {
      // A resend already waiting on the row stands: it goes even if the running attempt succeeds.
      const marked = await m.query(
        `UPDATE ${T} SET restart_as = COALESCE(restart_as, 'recover'), updated_at = now()
         WHERE tenant_id = $1 AND endpoint_id = $2 AND published_at >= $3 AND published_at < $4`,
        [tenantId, endpointId, since.toISOString(), until.toISOString()],
      );
      await m.query(`UPDATE ${T} SET ${NEW_SERIES} WHERE tenant_id = $1 AND endpoint_id = $2 AND restart_as IS NOT NULL AND NOT ${HELD}`, [tenantId, endpointId]);
      return marked[1] as number;
    });
  }

  /**
   * Resend: a new series for one delivery, whatever state it was in (or a new row): now, or when the attempt running
   * on the row ends.
   */
  async scheduleResend(row: ParkedRow): Promise<void> {
    const { sql, params } = multiRowValues([rowValues(row)], ROW_CASTS);
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO ${T} (${INSERT_COLUMNS}, fifo_seq)
         SELECT ${SELECT_VALUES}, CASE WHEN v.fifo THEN nextval('dispatcher.parked_fifo_seq') END
         FROM (VALUES ${sql}) AS v(${ROW_COLUMNS.join(', ')})
         ON CONFLICT (delivery_id) DO UPDATE SET restart_as = 'resend', message = EXCLUDED.message, updated_at = now()`,
        params,
      );
      await m.query(`UPDATE ${T} SET ${NEW_SERIES} WHERE delivery_id = $1 AND restart_as IS NOT NULL AND NOT ${HELD}`, [row.deliveryId]);
    });
  }

  /**
   * A deleted endpoint's or an expunged message's deliveries that no attempt holds: up to `limit` rows are taken
   * (locked), the scheduled ones `announce`d, and all deleted once `announce` resolved, in one transaction. A crash in
   * between leaves them, to be taken (and announced) again; another instance skips rows one has taken. Dead rows go
   * unannounced (they stay dead-lettered). Returns how many rows went.
   */
  async dropRows(tenantId: TenantId, rows: RowsToDrop, limit: number, announce: (deliveries: PendingDelivery[]) => Promise<unknown>): Promise<number> {
    const [column, id] = 'endpointId' in rows ? ['endpoint_id', rows.endpointId] : ['message_id', rows.messageId];
    return this.db.transaction(async (m) => {
      const taken: Array<Parameters<typeof claimedOf>[0] & { state: string }> = await m.query(
        `SELECT delivery_id, tenant_id, endpoint_id, message, origin, attempt, fifo_seq, state FROM ${T}
         WHERE tenant_id = $1 AND ${column} = $2 AND NOT ${HELD} LIMIT $3 FOR UPDATE SKIP LOCKED`,
        [tenantId, id, limit],
      );
      if (taken.length === 0) return 0;
      await announce(taken.filter((r) => r.state === 'scheduled').map((r) => claimedOf(r).delivery));
      await m.query(`DELETE FROM ${T} WHERE delivery_id = ANY($1::text[])`, [taken.map((r) => r.delivery_id)]);
      return taken.length;
    });
  }

  /** Notes an expunged message: the retry worker never sends a row of it again, on any instance (see claim). */
  async markExpunged(tenantId: TenantId, messageId: MessageId): Promise<void> {
    await this.db.query(`INSERT INTO ${EXPUNGED} (message_id, tenant_id) VALUES ($1, $2) ON CONFLICT (message_id, tenant_id) DO NOTHING`, [messageId, tenantId]);
  }

  /** Retention: forgets expunged messages noted before `before` (their rows went long ago). Returns how many. */
  async purgeExpunged(before: Date): Promise<number> {
    const result = await this.db.query(`DELETE FROM ${EXPUNGED} WHERE expunged_at < $1`, [before.toISOString()]);
    return result[1] as number;
  }

  /** Every endpoint with deliveries in the store (at start-up: to find those of endpoints deleted meanwhile). */
  async endpointsWithRows(): Promise<Array<{ tenantId: TenantId; endpointId: EndpointId }>> {
    const rows: Array<{ tenant_id: TenantId; endpoint_id: EndpointId }> = await this.db.query(`SELECT DISTINCT tenant_id, endpoint_id FROM ${T}`);
    return rows.map((r) => ({ tenantId: r.tenant_id, endpointId: r.endpoint_id }));
  }

  /**
   * Retention: removes up to `limit` dead rows last changed before `before` (a recover can no longer reach them; the
   * query service keeps the dead letters' history). Returns how many; call again while it returns `limit`.
   */
  async purgeDead(before: Date, limit: number): Promise<number> {
    const result = await this.db.query(
      `DELETE FROM ${T} WHERE delivery_id IN (
         SELECT delivery_id FROM ${T} WHERE state = 'dead' AND updated_at < $1 ORDER BY updated_at LIMIT $2)`,
      [before.toISOString(), limit],
    );
    return result[1] as number;
  }

  /** The queue depth by state and park reason, for the metrics (one grouped count, run at most every few seconds). */
  async countByState(): Promise<ParkedCount[]> {
    const rows: Array<{ state: string; reason: string; count: number }> = await this.db.query(
      `SELECT state, COALESCE(park_reason, 'none') AS reason, count(*)::int AS count FROM ${T} GROUP BY 1, 2`,
    );
    return rows;
  }

  /** Graceful shutdown: rows this instance still leases become due now, so another instance need not wait the lease out. */
  async releaseLeases(owner: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE ${T} SET lease_owner = NULL, lease_until = NULL, next_attempt_at = now(), ${TAKE_UP_RESTART}, updated_at = now()
       WHERE lease_owner = $1 AND state = 'scheduled'`,
      [owner],
    );
    return result[1] as number;
  }

  /**
   * Inserts rows in multi-row statements; `onConflict` says what an existing row of the same delivery becomes. A new
   * FIFO row draws its sequence number here, in the order given.
   */
  private async writeRows(rows: ParkedRow[], onConflict: string): Promise<void> {
    for (const chunk of chunkRows(rows.map(rowValues), ROW_COLUMNS.length)) {
      const { sql, params } = multiRowValues(chunk, ROW_CASTS);
      await this.db.query(
        `INSERT INTO ${T} (${INSERT_COLUMNS}, fifo_seq)
         SELECT ${SELECT_VALUES}, CASE WHEN v.fifo THEN nextval('dispatcher.parked_fifo_seq') END
         FROM (VALUES ${sql}) AS v(${ROW_COLUMNS.join(', ')})
         ON CONFLICT (delivery_id) ${onConflict}`,
        params,
      );
    }
  }
}
