import { ApiKeyCreatedV1, ApiKeyEvent, ApiKeyId, ApiKeyScope, TenantId } from '@hookline/contracts';
import { Decision, accept, assertNever, refuse } from '../shared/decision';

export interface ApiKeyState {
  status: 'absent' | 'active' | 'revoked';
  keyId: ApiKeyId | null;
  scope: ApiKeyScope;
  tenantId: TenantId | null;
  name: string;
  keyHash: string;
  keyPrefix: string;
  ipAllowlist: string[];
  rateLimitPerSecond: number | null;
  /** When the key stops working; null: until revoked. */
  expiresAt: string | null;
  /** A portal session that may only look (absent: it may do what its scope allows). */
  readOnly?: boolean;
  version: number;
}

export type ApiKeyCommand =
  | { type: 'CreateApiKey'; data: ApiKeyCreatedV1['data']; tenantActive: boolean }
  | { type: 'RevokeApiKey'; data: { key_id: ApiKeyId } };

/** An API key that has never existed. */
export const initialApiKeyState = (): ApiKeyState => ({
  status: 'absent',
  keyId: null,
  scope: 'tenant',
  tenantId: null,
  name: '',
  keyHash: '',
  keyPrefix: '',
  ipAllowlist: [],
  rateLimitPerSecond: null,
  expiresAt: null,
  version: 0,
});

/**
 * How long both services keep an expired portal session's key before forgetting it: meanwhile its token is refused as
 * expired, not as unknown, and the portal can tell its user to ask for a new link.
 */
export const EXPIRED_SESSION_KEPT_MS = 86_400_000;

/** Portal sessions that expired before this instant (ISO 8601) may be forgotten at `now`. */
export function expiredSessionsForgottenBefore(now: Date): string {
  return new Date(now.getTime() - EXPIRED_SESSION_KEPT_MS).toISOString();
}

/** Whether a key with this expiry no longer works at `now` (ms since the epoch). */
export function keyExpired(expiresAt: string | null | undefined, now: number): boolean {
  return expiresAt != null && Date.parse(expiresAt) <= now;
}

/**
 * API key rules: a tenant key belongs to an active tenant; an admin key to none; a portal session to an active tenant,
 * and always expires.
 */
export function decideApiKey(command: ApiKeyCommand, state: ApiKeyState): Decision<ApiKeyEvent> {
  switch (command.type) {
    case 'CreateApiKey': {
      if (state.status !== 'absent') return refuse('already_exists', `API key ${command.data.key_id} already exists`);
      const { scope, tenant_id, expires_at } = command.data;
      if (scope !== 'admin' && !tenant_id) return refuse('invalid', `a ${scope}-scoped key needs a tenant_id`, { field: '/tenant_id' });
      if (scope === 'admin' && tenant_id) return refuse('invalid', 'an admin key is not bound to a tenant', { field: '/tenant_id' });
      if (scope === 'portal' && (!expires_at || Number.isNaN(Date.parse(expires_at)))) {
        return refuse('invalid', 'a portal session needs an expiry', { field: '/expires_at' });
      }
      if (command.data.read_only && scope !== 'portal') return refuse('invalid', 'only a portal session can be view-only', { field: '/read_only' });
      if (scope !== 'admin' && !command.tenantActive) return refuse('not_found', `tenant ${tenant_id} not found`, { field: '/tenant_id' });
      return accept({ type: 'api_key.created.v1', data: { ...command.data } });
    }
    case 'RevokeApiKey':
      if (state.status === 'absent') return refuse('not_found', 'API key not found');
      if (state.status === 'revoked') return accept();
      return accept({ type: 'api_key.revoked.v1', data: { key_id: command.data.key_id } });
    default:
      return assertNever(command);
  }
}

/** Applies one API key event. */
export function evolveApiKey(state: ApiKeyState, event: ApiKeyEvent): ApiKeyState {
  const version = state.version + 1;
  switch (event.type) {
    case 'api_key.created.v1':
      return {
        status: 'active',
        keyId: event.data.key_id,
        scope: event.data.scope,
        tenantId: event.data.tenant_id,
        name: event.data.name,
        keyHash: event.data.key_hash,
        keyPrefix: event.data.key_prefix,
        ipAllowlist: event.data.ip_allowlist,
        rateLimitPerSecond: event.data.rate_limit_per_second,
        expiresAt: event.data.expires_at ?? null,
        ...(event.data.read_only ? { readOnly: true } : {}),
        version,
      };
    case 'api_key.revoked.v1':
      return { ...state, status: 'revoked', version };
    default:
      return assertNever(event);
  }
}
