import { EntityManager } from 'typeorm';
import { DeliveryAttemptedV1 } from '@hookline/contracts';
import { emptyHistogram, latencyBucket } from '../latency-histogram';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';

export type Attempted = ProjectedRecord & { event: { type: DeliveryAttemptedV1['type']; data: DeliveryAttemptedV1['data'] } };

/** What a batch's newly inserted attempts add to one endpoint's health row. */
export interface HealthDelta {
  endpointId: string;
  tenantId: string;
  attempts: number;
  successes: number;
  buckets: number[];
  statusCodes: Record<string, number>;
  lastAttemptAt: string;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
}

const later = (a: string | null, b: string): boolean => a === null || Date.parse(b) > Date.parse(a);

function errorText(d: DeliveryAttemptedV1['data']): string {
  if (d.error) return `${d.error.class}: ${d.error.message}`;
  return d.response ? `HTTP ${d.response.status}` : 'failed';
}

/** Adds the attempts that were really inserted now (not seen before) to their endpoints' health. */
function healthDeltas(inserted: Attempted[]): HealthDelta[] {
  const byEndpoint = new Map<string, HealthDelta>();
  for (const { event } of inserted) {
    const d = event.data;
    let h = byEndpoint.get(d.endpoint_id);
    if (!h) {
      h = { endpointId: d.endpoint_id, tenantId: event.tenant_id, attempts: 0, successes: 0, buckets: emptyHistogram(), statusCodes: {},
        lastAttemptAt: d.started_at, lastSuccessAt: null, lastFailureAt: null, lastError: null };
      byEndpoint.set(d.endpoint_id, h);
    }
    h.attempts += 1;
    if (d.succeeded) h.successes += 1;
    h.buckets[latencyBucket(d.latency_ms)] += 1;
    // Attempts without an HTTP response count under their error class, so timeouts show up next to the 5xx; a record a
    // Kafka destination acknowledged or a message an AMQP broker confirmed, under `acknowledged` (by `succeeded`, not by
    // kafka_record or amqp_publish: AMQP attempts appended before amqp_publish existed have neither).
    const code = d.response ? String(d.response.status) : (d.error?.class ?? (d.succeeded ? 'acknowledged' : 'unknown'));
    h.statusCodes[code] = (h.statusCodes[code] ?? 0) + 1;
    if (later(h.lastAttemptAt, d.started_at)) h.lastAttemptAt = d.started_at;
    if (d.succeeded && later(h.lastSuccessAt, d.started_at)) h.lastSuccessAt = d.started_at;
    if (!d.succeeded && later(h.lastFailureAt, d.started_at)) {
      h.lastFailureAt = d.started_at;
      h.lastError = errorText(d);
    }
  }
  return [...byEndpoint.values()];
}

/**
 * Attempts are keyed by attempt id, so a redelivered event inserts nothing. Returns what the attempts this statement
 * really inserted (RETURNING) add to their endpoints' health, for addAttemptHealth: counting only those keeps the counts
 * exact under redelivery.
 */
export async function writeAttempts(em: EntityManager, records: Attempted[]): Promise<HealthDelta[]> {
  const unique = new Map<string, Attempted>(records.map((r) => [r.event.data.attempt_id, r]));
  const rows = [...unique.values()].map(({ event, traceId }) => {
    const d = event.data;
    return [d.attempt_id, event.tenant_id, d.delivery_id, d.message_id, d.endpoint_id, d.event_type, d.attempt, d.trigger, d.url,
      d.request_headers ?? {}, d.request_body ?? null, d.request_body_truncated ?? false, d.response?.status ?? null, d.response?.headers ?? null, d.response?.body ?? null,
      d.response?.body_truncated ?? false, Math.round(d.latency_ms), d.error?.class ?? null, d.error?.message ?? null, d.succeeded,
      d.status, d.next_attempt_at, d.trace_id ?? traceId, d.started_at, event.occurred_at, d.kafka_record ?? null, d.amqp_publish ?? null];
  });
  const inserted = await insertRows<{ attempt_id: string }>(em,
    `attempts (attempt_id text, tenant_id text, delivery_id text, message_id text, endpoint_id text, event_type text, attempt int,
      trigger text, url text, request_headers jsonb, request_body text, request_body_truncated boolean, response_status int, response_headers jsonb, response_body text,
      response_body_truncated boolean, latency_ms int, error_class text, error_message text, succeeded boolean, status text,
      next_attempt_at timestamptz, trace_id text, started_at timestamptz, created_at timestamptz, kafka_record jsonb, amqp_publish jsonb)`,
    rows, 'ON CONFLICT (attempt_id) DO NOTHING RETURNING attempt_id');
  return healthDeltas(inserted.map((r) => unique.get(r.attempt_id)!));
}

/**
 * Adds attempts to their endpoints' health rows. Every projector transaction that saw an endpoint's attempts updates
 * its row, so concurrent transactions (a rebuild's consumers, several query-service instances) queue on that row lock
 * until the holder commits: callers run it as late in the transaction as they can.
 */
export async function addAttemptHealth(em: EntityManager, deltas: HealthDelta[]): Promise<void> {
  const rows = deltas.map((h) => [h.endpointId, h.tenantId, h.attempts, h.successes, h.buckets, h.statusCodes,
    h.lastAttemptAt, h.lastSuccessAt, h.lastFailureAt, h.lastError]);
  await insertRows(em,
    `endpoint_health AS h (endpoint_id text, tenant_id text, attempts bigint, successes bigint, latency_buckets bigint[],
      status_codes jsonb, last_attempt_at timestamptz, last_success_at timestamptz, last_failure_at timestamptz, last_error text)`,
    rows, `ON CONFLICT (endpoint_id) DO UPDATE SET
      attempts = h.attempts + EXCLUDED.attempts,
      successes = h.successes + EXCLUDED.successes,
      latency_buckets = ARRAY(SELECT a + b FROM unnest(h.latency_buckets, EXCLUDED.latency_buckets) WITH ORDINALITY AS t(a, b, i) ORDER BY i),
      status_codes = COALESCE((SELECT jsonb_object_agg(k, COALESCE((h.status_codes->>k)::bigint, 0) + COALESCE((EXCLUDED.status_codes->>k)::bigint, 0))
        FROM (SELECT jsonb_object_keys(h.status_codes) UNION SELECT jsonb_object_keys(EXCLUDED.status_codes)) AS keys(k)), '{}'::jsonb),
      last_attempt_at = GREATEST(h.last_attempt_at, EXCLUDED.last_attempt_at),
      last_success_at = GREATEST(h.last_success_at, EXCLUDED.last_success_at),
      last_error = CASE WHEN EXCLUDED.last_failure_at > h.last_failure_at OR h.last_failure_at IS NULL
        THEN COALESCE(EXCLUDED.last_error, h.last_error) ELSE h.last_error END,
      last_failure_at = GREATEST(h.last_failure_at, EXCLUDED.last_failure_at)`);
}
