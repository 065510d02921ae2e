import { ApiKeyState, EndpointState, EventTypeState, SourceState, TenantState } from '@hookline/domain';
import { shownSourceSettings } from '../../shared/source-credentials';
import { StoredAggregate } from './config-aggregates';

// Row builders: the read-model row of each config table from an aggregate's state after the batch. A jsonb column's value
// is the object itself (insertRows encodes it), never JSON text, which would be stored as a JSON string.

export function tenantRow(a: StoredAggregate): unknown[] {
  const s = a.state as TenantState;
  // retention_days 0 (or absent) means "the deployment default".
  return [s.tenantId, s.name, s.retentionDays > 0 ? s.retentionDays : null, s.metadata ?? {}, s.status, s.version,
    a.created_at, a.updated_at];
}

export function apiKeyRow(a: StoredAggregate): unknown[] {
  const s = a.state as ApiKeyState;
  return [s.keyId, s.scope, s.tenantId, s.name, s.keyHash, s.keyPrefix, s.ipAllowlist ?? [], s.rateLimitPerSecond, s.status, s.expiresAt ?? null,
    s.version, a.created_at, a.updated_at];
}

export function endpointRow(id: string, a: StoredAggregate): unknown[] {
  const s = a.state as EndpointState;
  const status = s.status === 'deleted' ? 'deleted' : s.deliveryStatus;
  return [id, a.tenant_id, s.settings.url, s.settings.description ?? '', s.settings.event_types ?? null, s.settings.channels ?? null, status,
    s.deliveryStatus === 'disabled' ? s.disabledReason : null, s.deliveryStatus === 'disabled' ? a.disabled_detail : null,
    s.settings.fifo ?? false, s.settings.metadata ?? {}, s.version, a.created_at, a.updated_at];
}

export function eventTypeRow(a: StoredAggregate): unknown[] {
  const s = a.state as EventTypeState;
  const current = s.schemas.length ? s.schemas[s.schemas.length - 1].version : null;
  return [a.tenant_id, s.name, s.description ?? '', s.requiresApproval, s.status, s.deprecated, s.sunsetAt, current, s.version,
    a.created_at, a.updated_at];
}

export function sourceRow(id: string, a: StoredAggregate): unknown[] {
  const state = a.state as SourceState;
  const s = shownSourceSettings(state.settings);
  // Each verification field the API may show in its own column, null where the scheme has none (source-credentials.ts).
  const v: Partial<Record<'header' | 'algorithm' | 'encoding' | 'prefix' | 'username' | 'tolerance_seconds' | 'timestamp_header', unknown>> = s.verification;
  return [a.tenant_id, id, s.name, s.description, s.verification.type, v.header ?? null, v.algorithm ?? null, v.encoding ?? null,
    v.prefix ?? null, v.username ?? null, v.tolerance_seconds ?? null, v.timestamp_header ?? null, s.event_type, s.idempotency ?? null,
    s.payload_field ?? null, s.channels ?? null, s.enabled, s.handshake?.type ?? null, s.rate_limit?.per_second ?? null, s.rate_limit?.burst ?? null,
    state.version, a.created_at, a.updated_at];
}
