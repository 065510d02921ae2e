import { ApiKeyState, EndpointState, EventTypeState, TenantState } from '@hookline/domain';
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
