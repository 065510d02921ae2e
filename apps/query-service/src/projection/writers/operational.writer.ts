import { EntityManager } from 'typeorm';
import { EndpointAutoDisabledV1, EndpointBreakerChangedV1, EndpointClientCertificateExpiringV1, EventOf, SourceRequestRefusedV1 } from '@hookline/contracts';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';
import { emptyHistogram } from '../latency-histogram';

export type BreakerChanged = ProjectedRecord & { event: EventOf<EndpointBreakerChangedV1> };
export type AutoDisabled = ProjectedRecord & { event: EventOf<EndpointAutoDisabledV1> };
export type CertificateWarning = ProjectedRecord & { event: EventOf<EndpointClientCertificateExpiringV1> };
type OperationalRecord = BreakerChanged | AutoDisabled | CertificateWarning;

function latestPerEndpoint<R extends OperationalRecord>(records: R[]): R[] {
  const latest = new Map<string, R>();
  for (const r of records) {
    const seen = latest.get(r.event.data.endpoint_id);
    if (!seen || Date.parse(r.event.occurred_at) > Date.parse(seen.event.occurred_at)) latest.set(r.event.data.endpoint_id, r);
  }
  return [...latest.values()];
}

/**
 * Writes the latest event of each endpoint into its endpoint_health columns (name → SQL type; the last one holds the
 * event's time). An older event, replayed or reordered, never overwrites a newer one.
 */
async function writeLatest<R extends OperationalRecord>(
  em: EntityManager, records: R[], columns: Record<string, string>, values: (event: R['event']) => unknown[],
): Promise<void> {
  const names = Object.keys(columns);
  const at = names[names.length - 1];
  const rows = latestPerEndpoint(records).map(({ event }) => [event.data.endpoint_id, event.tenant_id, emptyHistogram(), ...values(event)]);
  await insertRows(em,
    `endpoint_health AS h (endpoint_id text, tenant_id text, latency_buckets bigint[], ${names.map((n) => `${n} ${columns[n]}`).join(', ')})`,
    rows, `ON CONFLICT (endpoint_id) DO UPDATE SET ${names.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}
      WHERE h.${at} IS NULL OR EXCLUDED.${at} > h.${at}`);
}

/** Circuit-breaker state per endpoint. */
export function writeBreakerChanges(em: EntityManager, records: BreakerChanged[]): Promise<void> {
  return writeLatest(em, records, { breaker_state: 'text', breaker_failure_ratio: 'double precision', breaker_changed_at: 'timestamptz' },
    (event) => [event.data.state, event.data.failure_ratio, event.occurred_at]);
}

/** The dispatcher disabled an endpoint by itself (410 Gone, or failing for too long). */
export function writeAutoDisabled(em: EntityManager, records: AutoDisabled[]): Promise<void> {
  return writeLatest(em, records, { auto_disabled_reason: 'text', auto_disabled_detail: 'text', auto_disabled_at: 'timestamptz' },
    (event) => [event.data.reason, event.data.detail, event.occurred_at]);
}

/** The dispatcher warned that an endpoint's client certificate expires soon or has expired. */
export function writeCertificateWarnings(em: EntityManager, records: CertificateWarning[]): Promise<void> {
  return writeLatest(em, records, { certificate_fingerprint: 'text', certificate_warning: 'text', certificate_warned_at: 'timestamptz' },
    (event) => [event.data.fingerprint_sha256, event.data.stage, event.occurred_at]);
}

export type RefusedRequest = ProjectedRecord & { event: EventOf<SourceRequestRefusedV1> };

/**
 * Requests HTTP sources refused, one row per event (a replay inserts nothing twice). Not checked against the sources
 * table: the config topic is read apart from this one, and in a rebuild the source's row may come later. A refusal
 * projected after its source's deletion stays invisible (the list answers 404 for a deleted source) until retention.
 */
export async function writeRefusedRequests(em: EntityManager, records: RefusedRequest[]): Promise<void> {
  await insertRows(em, `source_refused_requests (tenant_id text, event_id text, source_id text, created_at timestamptz, method text,
      status int, outcome text, reason text, detail text, headers jsonb, query jsonb, content_type text, body_bytes int, body_excerpt text,
      body_truncated boolean, not_recorded int)`,
    records.map(({ event: { id, tenant_id, data: d } }) => [tenant_id, id, d.source_id, d.received_at, d.method, d.status, d.outcome, d.reason,
      d.detail, d.headers, d.query, d.content_type, d.body_bytes, d.body_excerpt, d.body_truncated, d.not_recorded]),
    'ON CONFLICT (tenant_id, event_id) DO NOTHING');
}
