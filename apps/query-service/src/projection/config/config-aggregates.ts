import {
  ApiKeyEvent, ConfigEvent, ENDPOINT_EVENT_TYPES, EndpointEvent, EventOf, EventTypeEvent, SourceEvent, TenantEvent,
} from '@hookline/contracts';
import {
  ApiKeyState, EndpointState, EventTypeState, SourceState, TenantState, evolveApiKey, evolveEndpoint, evolveEventType, evolveSource,
  evolveTenant, initialApiKeyState, initialEndpointState, initialEventTypeState, initialSourceState, initialTenantState,
} from '@hookline/domain';
import { shownAuth, shownClientCertificate } from '../../shared/endpoint-credentials';
import { shownSourceSettings } from '../../shared/source-credentials';

export type AggregateKind = 'tenant' | 'api_key' | 'event_type' | 'endpoint' | 'source';

/** What config_states keeps per aggregate: the domain state plus what the read-model rows need besides it. */
export interface StoredAggregate<S = unknown> {
  kind: AggregateKind;
  tenant_id: string;
  state: S;
  created_at: string | null;
  updated_at: string | null;
  disabled_detail: string | null;
}

const TENANT = new Set<string>(['tenant.created.v1', 'tenant.updated.v1', 'tenant.deleted.v1']);
const API_KEY = new Set<string>(['api_key.created.v1', 'api_key.revoked.v1']);
const EVENT_TYPE = new Set<string>(['event_type.created.v1', 'event_type.updated.v1', 'event_type.schema_published.v1',
  'event_type.deprecated.v1', 'event_type.deleted.v1']);
// A record, so the compiler fails here when a source event is added and not listed.
const sourceEventTypes: Record<SourceEvent['type'], true> = { 'source.created.v1': true, 'source.updated.v1': true, 'source.deleted.v1': true };
const SOURCE = new Set<string>(Object.keys(sourceEventTypes));

/** The aggregate a config event belongs to, or null for any other event. */
export function aggregateOf(event: { type: string; tenant_id: string; data: unknown }): { kind: AggregateKind; id: string; key: string } | null {
  const data = event.data as Record<string, string>;
  if (TENANT.has(event.type)) return { kind: 'tenant', id: data.tenant_id, key: `tenant:${data.tenant_id}` };
  if (API_KEY.has(event.type)) return { kind: 'api_key', id: data.key_id, key: `api_key:${data.key_id}` };
  if (EVENT_TYPE.has(event.type)) return { kind: 'event_type', id: data.name, key: `event_type:${event.tenant_id}:${data.name}` };
  if (ENDPOINT_EVENT_TYPES.has(event.type)) return { kind: 'endpoint', id: data.endpoint_id, key: `endpoint:${data.endpoint_id}` };
  // Keyed by tenant too, like the table: an event can only ever change a source of its own envelope's tenant.
  if (SOURCE.has(event.type)) return { kind: 'source', id: data.source_id, key: `source:${event.tenant_id}:${data.source_id}` };
  return null;
}

function initial(kind: AggregateKind): unknown {
  switch (kind) {
    case 'tenant': return initialTenantState();
    case 'api_key': return initialApiKeyState();
    case 'event_type': return initialEventTypeState();
    case 'endpoint': return initialEndpointState();
    case 'source': return initialSourceState();
    default: {
      const never: never = kind;
      throw new Error(`unknown aggregate kind ${String(never)}`);
    }
  }
}

/** A fresh stored aggregate for an event's aggregate. */
export function emptyAggregate(kind: AggregateKind, tenantId: string): StoredAggregate {
  return { kind, tenant_id: tenantId, state: initial(kind), created_at: null, updated_at: null, disabled_detail: null };
}

/** Applies one config event with the domain's own evolve functions, so the read side agrees with the write side. */
export function evolveAggregate(stored: StoredAggregate, event: EventOf<ConfigEvent>): StoredAggregate {
  const body = { type: event.type, data: event.data };
  let state: unknown;
  switch (stored.kind) {
    case 'tenant': state = evolveTenant(stored.state as TenantState, body as TenantEvent); break;
    case 'api_key': state = evolveApiKey(stored.state as ApiKeyState, body as ApiKeyEvent); break;
    case 'event_type': state = evolveEventType(stored.state as EventTypeState, body as EventTypeEvent); break;
    case 'endpoint': state = evolveEndpoint(stored.state as EndpointState, body as EndpointEvent); break;
    case 'source': state = evolveSource(stored.state as SourceState, body as SourceEvent); break;
    default: {
      const never: never = stored.kind;
      throw new Error(`unknown aggregate kind ${String(never)}`);
    }
  }
  const detail = event.type === 'endpoint.disabled.v1' ? event.data.detail
    : event.type === 'endpoint.rejected.v1' ? event.data.reason
      : event.type === 'endpoint.enabled.v1' || (event.type === 'endpoint.approved.v1' && !isDisabled(stored)) ? null : stored.disabled_detail;
  return { ...stored, state, created_at: stored.created_at ?? event.occurred_at, updated_at: event.occurred_at, disabled_detail: detail };
}

// Approving types for a disabled endpoint of every type leaves it disabled, and why it is.
const isDisabled = (stored: StoredAggregate) => (stored.state as EndpointState).deliveryStatus === 'disabled';

/**
 * The state as the audit log shows it: sealed signing secrets are reduced to their ids and dates, auth and a client
 * certificate as the endpoint queries show them (see endpoint-credentials.ts), and key hashes are left out, so the audit
 * log never becomes a place to harvest credentials from. A source's settings are shown as the source queries show them
 * (see source-credentials.ts): its verification without the sealed secret.
 */
export function auditView(stored: StoredAggregate | null): unknown {
  if (!stored || (stored.state as { status: string }).status === 'absent') return null;
  if (stored.kind === 'endpoint') {
    const s = stored.state as EndpointState;
    const secrets = s.secrets.map(({ secret_id, kind, created_at, expires_at }) => ({ secret_id, kind, created_at, expires_at }));
    const { auth, client_certificate: certificate } = s.settings;
    const settings = {
      ...s.settings,
      ...(auth ? { auth: shownAuth(auth) } : {}),
      ...(certificate ? { client_certificate: shownClientCertificate(certificate) } : {}),
    };
    return { ...s, secrets, settings };
  }
  if (stored.kind === 'source') {
    const s = stored.state as SourceState;
    return { ...s, settings: shownSourceSettings(s.settings) };
  }
  if (stored.kind === 'api_key') {
    const { keyHash: _hash, ...rest } = stored.state as ApiKeyState;
    return rest;
  }
  return stored.state;
}
