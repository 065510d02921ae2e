import { TenantId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';

/**
 * Who is calling: an admin key (any tenant), a key bound to one tenant, or a portal session (bound to one tenant, for
 * its endpoints only: see portal-access.ts).
 */
export interface AuthContext {
  keyId: string;
  scope: 'admin' | 'tenant' | 'portal';
  tenantId: TenantId | null;
  /** When the key stops working (portal sessions); null: until revoked. */
  expiresAt: string | null;
  /** A portal session that may only look: it changes nothing (portal-access.ts). */
  readOnly?: boolean;
}

/** Admin-only operations (tenants, admin keys): a tenant key gets 403. */
export function requireAdmin(auth: AuthContext): void {
  if (auth.scope !== 'admin') throw new ProblemError('forbidden', 'this operation needs an admin API key');
}

/**
 * A tenant key may only touch its own tenant. Another tenant's resources answer 404, exactly as if they did not
 * exist, so ids can't be probed across tenants.
 */
export function requireTenant(auth: AuthContext, tenantId: string): TenantId {
  if (auth.scope === 'admin' || auth.tenantId === tenantId) return tenantId as TenantId;
  throw new ProblemError('not_found', 'tenant not found');
}

/** The actor recorded on events (the audit log shows it). */
export function actorOf(auth: AuthContext) {
  return { kind: auth.scope === 'admin' ? ('admin' as const) : ('api_key' as const), id: auth.keyId };
}
