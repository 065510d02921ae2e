import { EndpointState, typesAwaitingApproval, typesDeclined } from '@hookline/domain';
import type { EndpointEntity } from '../database/read-model/entities';
import { shownAuth, shownClientCertificate } from './endpoint-credentials';
import { iso } from './views';

// Custom header values with names like these are credentials of the customer's: shown masked, as in the attempt log.
const SENSITIVE_HEADER = /authorization|token|secret|password|api[-_]?key|cookie|signature/i;

/**
 * An endpoint as the API shows it: its row, and from its folded state the settings the row has no column for. Nothing
 * sealed is shown: signing secrets by id, kind and dates (an ed25519 one with its public key), OAuth 2.0 auth without
 * the client secret, a client certificate by its fingerprint and expiry. `gatedTypes`: the tenant's event types that need
 * approval, of which an endpoint of every type shows those it awaits approval for, and those declined for it.
 */
export function endpointView(row: EndpointEntity, state: EndpointState | null, gatedTypes: readonly string[] = []) {
  const s = state?.settings;
  return {
    id: row.endpoint_id, url: row.url, description: row.description, status: row.status, disabled_reason: row.disabled_reason,
    disabled_detail: row.disabled_detail, event_types: row.event_types,
    event_types_awaiting_approval: state ? typesAwaitingApproval(state, gatedTypes) : [],
    declined_event_types: state ? typesDeclined(state, gatedTypes) : [],
    channels: row.channels, filter: s?.filter ?? null,
    headers: Object.fromEntries(Object.entries(s?.headers ?? {}).map(([name, value]) => [name, SENSITIVE_HEADER.test(name) ? '****' : value])),
    rate_limit_per_second: s?.rate_limit_per_second ?? null, max_in_flight: s?.max_in_flight ?? null,
    retry_schedule_seconds: s?.retry_schedule_seconds ?? null, auto_disable_after_hours: s?.auto_disable_after_hours ?? null,
    circuit_breaker: s?.circuit_breaker ?? null, transformation: s?.transformation ?? null,
    fifo: row.fifo, metadata: row.metadata,
    secrets: (state?.secrets ?? []).map(({ secret_id, kind, public_key, created_at, expires_at }) => ({ secret_id, kind, public_key, created_at, expires_at })),
    auth: shownAuth(s?.auth), client_certificate: shownClientCertificate(s?.client_certificate),
    version: row.version, created_at: iso(row.created_at)!, updated_at: iso(row.updated_at)!,
  };
}
export type EndpointView = ReturnType<typeof endpointView>;
