import { EntityManager } from 'typeorm';
import { EndpointAutoDisabledV1, EndpointBreakerChangedV1, EndpointClientCertificateExpiringV1, EventOf } from '@hookline/contracts';
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
