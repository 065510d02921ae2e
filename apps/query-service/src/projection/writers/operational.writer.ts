import { EntityManager } from 'typeorm';
import { EndpointAutoDisabledV1, EndpointBreakerChangedV1, EventOf } from '@hookline/contracts';
import { ProjectedRecord } from '../projected-record';
import { insertRows } from '../sql-rows';
import { emptyHistogram } from '../latency-histogram';

export type BreakerChanged = ProjectedRecord & { event: EventOf<EndpointBreakerChangedV1> };
export type AutoDisabled = ProjectedRecord & { event: EventOf<EndpointAutoDisabledV1> };

function latestPerEndpoint<R extends ProjectedRecord & { event: { data: { endpoint_id: string } } }>(records: R[]): R[] {
  const latest = new Map<string, R>();
  for (const r of records) {
    const seen = latest.get(r.event.data.endpoint_id);
    if (!seen || Date.parse(r.event.occurred_at) > Date.parse(seen.event.occurred_at)) latest.set(r.event.data.endpoint_id, r);
  }
  return [...latest.values()];
}

/** Circuit-breaker state per endpoint; an older state change (replayed or reordered) never overwrites a newer one. */
export async function writeBreakerChanges(em: EntityManager, records: BreakerChanged[]): Promise<void> {
  const rows = latestPerEndpoint(records).map(({ event }) => [event.data.endpoint_id, event.tenant_id, emptyHistogram(),
    event.data.state, event.data.failure_ratio, event.occurred_at]);
  await insertRows(em, `endpoint_health AS h (endpoint_id text, tenant_id text, latency_buckets bigint[], breaker_state text,
      breaker_failure_ratio double precision, breaker_changed_at timestamptz)`,
    rows, `ON CONFLICT (endpoint_id) DO UPDATE SET breaker_state = EXCLUDED.breaker_state,
      breaker_failure_ratio = EXCLUDED.breaker_failure_ratio, breaker_changed_at = EXCLUDED.breaker_changed_at
      WHERE h.breaker_changed_at IS NULL OR EXCLUDED.breaker_changed_at > h.breaker_changed_at`);
}

/** The dispatcher disabled an endpoint by itself (410 Gone, or failing for too long). */
export async function writeAutoDisabled(em: EntityManager, records: AutoDisabled[]): Promise<void> {
  const rows = latestPerEndpoint(records).map(({ event }) => [event.data.endpoint_id, event.tenant_id, emptyHistogram(),
    event.data.reason, event.data.detail, event.occurred_at]);
  await insertRows(em, `endpoint_health AS h (endpoint_id text, tenant_id text, latency_buckets bigint[], auto_disabled_reason text,
      auto_disabled_detail text, auto_disabled_at timestamptz)`,
    rows, `ON CONFLICT (endpoint_id) DO UPDATE SET auto_disabled_reason = EXCLUDED.auto_disabled_reason,
      auto_disabled_detail = EXCLUDED.auto_disabled_detail, auto_disabled_at = EXCLUDED.auto_disabled_at
      WHERE h.auto_disabled_at IS NULL OR EXCLUDED.auto_disabled_at > h.auto_disabled_at`);
}
