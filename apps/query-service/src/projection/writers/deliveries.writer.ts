import { EntityManager } from 'typeorm';
import { DeliveryEvent, EventOf } from '@hookline/contracts';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';

export type DeliveryRecord = ProjectedRecord & { event: EventOf<DeliveryEvent> };

/** Where an event stands in a delivery's life: (time, attempt number, kind) orders any two events of one delivery. */
interface Step {
  at: string;
  attempt: number;
  rank: number;
  status: string;
  nextAttemptAt: string | null;
}

interface DeliveryRow {
  deliveryId: string;
  tenantId: string;
  messageId: string;
  endpointId: string;
  eventType: string;
  publishedAt: string;
  createdAt: string;
  attemptCount: number;
  lastAttemptNo: number;
  lastStatusCode: number | null;
  lastError: string | null;
  step: Step;
}

// Parked comes before the attempt it waits for; a dead letter after the last attempt, even in the same millisecond;
// dropped (its endpoint deleted, or its message's content expunged) after anything else.
const RANK = { 'delivery.parked.v1': 0, 'delivery.attempted.v1': 1, 'delivery.dead_lettered.v1': 2, 'delivery.dropped.v1': 3 } as const;

function stepOf(r: DeliveryRecord): Step {
  const e = r.event;
  switch (e.type) {
    case 'delivery.parked.v1':
      return { at: e.occurred_at, attempt: 0, rank: RANK[e.type], status: 'pending', nextAttemptAt: e.data.next_attempt_at };
    case 'delivery.attempted.v1':
      return { at: e.occurred_at, attempt: e.data.attempt, rank: RANK[e.type], status: e.data.status, nextAttemptAt: e.data.next_attempt_at };
    case 'delivery.dead_lettered.v1':
      return { at: e.occurred_at, attempt: e.data.attempts, rank: RANK[e.type], status: 'dead_lettered', nextAttemptAt: null };
    case 'delivery.dropped.v1':
      return { at: e.occurred_at, attempt: e.data.attempts, rank: RANK[e.type], status: 'dropped', nextAttemptAt: null };
    default: {
      const never: never = e;
      throw new Error(`unhandled delivery event ${JSON.stringify(never)}`);
    }
  }
}

function isAfter(a: Step, b: Step): boolean {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta > tb;
  return a.attempt !== b.attempt ? a.attempt > b.attempt : a.rank > b.rank;
}

/** Folds a batch's events into one row per delivery (an upsert may touch a row only once per statement). */
export function foldDeliveries(records: DeliveryRecord[]): DeliveryRow[] {
  const rows = new Map<string, DeliveryRow>();
  for (const r of records) {
    const d = r.event.data;
    const step = stepOf(r);
    let row = rows.get(d.delivery_id);
    if (!row) {
      row = { deliveryId: d.delivery_id, tenantId: r.event.tenant_id, messageId: d.message_id, endpointId: d.endpoint_id,
        eventType: d.event_type, publishedAt: d.message_published_at, createdAt: r.event.occurred_at, attemptCount: 0, lastAttemptNo: 0,
        lastStatusCode: null, lastError: null, step };
      rows.set(d.delivery_id, row);
    } else if (isAfter(step, row.step)) {
      row.step = step;
    }
    if (Date.parse(r.event.occurred_at) < Date.parse(row.createdAt)) row.createdAt = r.event.occurred_at;
    if (r.event.type === 'delivery.attempted.v1' || r.event.type === 'delivery.dead_lettered.v1') {
      row.attemptCount = Math.max(row.attemptCount, step.attempt);
    }
    if (r.event.type === 'delivery.attempted.v1' && r.event.data.attempt > row.lastAttemptNo) {
      const a = r.event.data;
      row.lastAttemptNo = a.attempt;
      row.lastStatusCode = a.response?.status ?? null;
      row.lastError = a.succeeded ? null : a.error ? `${a.error.class}: ${a.error.message}` : `HTTP ${a.response?.status ?? '?'}`;
    }
  }
  return [...rows.values()];
}

/** A parked delivery that already had attempts is waiting for a retry, not for its first try. */
const settledStatus = (row: DeliveryRow): string => (row.step.status === 'pending' && row.attemptCount > 0 ? 'retrying' : row.step.status);

/**
 * Upserts delivery status. Guards make a replayed or reordered event a no-op: status follows only a step after the
 * stored one, counts only grow, and the last response only comes from a later attempt number.
 */
export async function writeDeliveries(em: EntityManager, records: DeliveryRecord[]): Promise<void> {
  const rows = foldDeliveries(records).map((r) => [
    r.deliveryId, r.tenantId, r.messageId, r.endpointId, r.eventType, settledStatus(r), r.attemptCount, r.step.nextAttemptAt,
    r.lastStatusCode, r.lastError, r.lastAttemptNo, r.publishedAt, r.createdAt, r.step.at, r.step.attempt, r.step.rank,
  ]);
  const newer = '(EXCLUDED.updated_at, EXCLUDED.seq_attempt, EXCLUDED.seq_rank) > (d.updated_at, d.seq_attempt, d.seq_rank)';
  await insertRows(em,
    `deliveries AS d (delivery_id text, tenant_id text, message_id text, endpoint_id text, event_type text, status text,
      attempt_count int, next_attempt_at timestamptz, last_status_code int, last_error text, last_attempt_no int,
      message_published_at timestamptz, created_at timestamptz, updated_at timestamptz, seq_attempt int, seq_rank smallint)`,
    rows, `ON CONFLICT (delivery_id) DO UPDATE SET
      status = CASE WHEN NOT (${newer}) THEN d.status
        WHEN EXCLUDED.status = 'pending' AND GREATEST(d.attempt_count, EXCLUDED.attempt_count) > 0 THEN 'retrying'
        ELSE EXCLUDED.status END,
      next_attempt_at = CASE WHEN ${newer} THEN EXCLUDED.next_attempt_at ELSE d.next_attempt_at END,
      updated_at = CASE WHEN ${newer} THEN EXCLUDED.updated_at ELSE d.updated_at END,
      seq_attempt = CASE WHEN ${newer} THEN EXCLUDED.seq_attempt ELSE d.seq_attempt END,
      seq_rank = CASE WHEN ${newer} THEN EXCLUDED.seq_rank ELSE d.seq_rank END,
      attempt_count = GREATEST(d.attempt_count, EXCLUDED.attempt_count),
      last_status_code = CASE WHEN EXCLUDED.last_attempt_no > d.last_attempt_no THEN EXCLUDED.last_status_code ELSE d.last_status_code END,
      last_error = CASE WHEN EXCLUDED.last_attempt_no > d.last_attempt_no THEN EXCLUDED.last_error ELSE d.last_error END,
      last_attempt_no = GREATEST(d.last_attempt_no, EXCLUDED.last_attempt_no),
      created_at = LEAST(d.created_at, EXCLUDED.created_at)
    WHERE ${newer} OR EXCLUDED.attempt_count > d.attempt_count OR EXCLUDED.last_attempt_no > d.last_attempt_no
      OR EXCLUDED.created_at < d.created_at`);
}
