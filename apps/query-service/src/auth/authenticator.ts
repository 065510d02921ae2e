import { KeyedRateLimiter, bearerToken, expiredKeyProblem, hashApiKey, ipAllowed, sameHash } from '@hookline/auth';
import { ProblemError, SingleFlightCache } from '@hookline/service-kit';
import { ReadModels } from '../database/read-models';
import { ApiKeyEntity } from '../database/read-model/entities';

/** Who is asking: the deployment admin, or a key of one tenant (`portal`: a portal session's, for the tenant's customer). */
export type Principal = { kind: 'admin'; keyId: string } | { kind: 'tenant'; keyId: string; tenantId: string; portal?: true };

/**
 * What a query reads: its tenant's webhooks and endpoints (any key of the tenant, portal sessions included), or the
 * operator's own configuration of the tenant, which a portal session may not read (as the command service refuses it
 * every route but its tenant's endpoints and their deliveries). HTTP sources are the operator's: how its providers
 * authenticate, and an ingest URL that publishes as the tenant.
 */
export type ReadScope = 'tenant' | 'operator';

/** What the transports hand over about a caller. */
export interface CallerInfo {
  authorization: string | undefined;
  ip: string | undefined;
}

const CACHE_MS = 2000;

/**
 * API-key authentication for both transports: the bootstrap admin key from the environment (compared by hash), or a
 * projected key looked up by hash. Known keys are cached for 2 s, so a revocation takes effect within that.
 */
export class Authenticator {
  // Misses are not cached: a key created a moment ago must work as soon as it is projected.
  private readonly cache = new SingleFlightCache<ApiKeyEntity | null>({ ttlMs: CACHE_MS, maxEntries: 10_000 });
  private readonly limiter = new KeyedRateLimiter();

  constructor(
    private readonly models: ReadModels,
    private readonly adminKeyHash: string,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(caller: CallerInfo): Promise<Principal> {
    const token = bearerToken(caller.authorization);
    if (!token) throw new ProblemError('unauthenticated', 'missing API key: send "Authorization: Bearer <key>"', [], {}, { 'www-authenticate': 'Bearer' });
    const hash = hashApiKey(token);
    if (sameHash(hash, this.adminKeyHash)) return { kind: 'admin', keyId: 'admin' };
    const key = await this.lookup(hash);
    if (!key || key.status !== 'active') throw new ProblemError('unauthenticated', 'unknown or revoked API key (or its tenant was deleted)', [], {}, { 'www-authenticate': 'Bearer' });
    // At every use, not at load: a cached key must not outlive its expiry by the cache's TTL.
    const expired = expiredKeyProblem(key.scope, key.expires_at, this.now());
    if (expired) throw expired;
    if (!ipAllowed(key.ip_allowlist, caller.ip)) throw new ProblemError('forbidden', 'this API key may not be used from this IP address');
    if (key.rate_limit_per_second) {
      const waitMs = this.limiter.take(key.key_id, key.rate_limit_per_second);
      if (waitMs > 0) {
        throw new ProblemError('rate_limited', `rate limit of ${key.rate_limit_per_second}/s exceeded for this key`, [], {},
          { 'retry-after': String(Math.ceil(waitMs / 1000)) });
      }
    }
    if (key.scope === 'admin') return { kind: 'admin', keyId: key.key_id };
    // A portal session reads as its tenant does (none of the queries here changes anything), but for ReadScope 'operator'.
    if (key.scope === 'portal') return { kind: 'tenant', keyId: key.key_id, tenantId: key.tenant_id!, portal: true };
    return { kind: 'tenant', keyId: key.key_id, tenantId: key.tenant_id! };
  }

  /**
   * The tenant a query is scoped to. Admin keys name it with tenant_id; a tenant key may omit it, and naming another
   * tenant answers 404, exactly as for a tenant that does not exist, so ids of other tenants reveal nothing. A portal
   * session reading the operator's configuration is refused (403), whichever tenant it names.
   */
  tenantOf(principal: Principal, requested: string | undefined, scope: ReadScope = 'tenant'): string {
    if (principal.kind === 'admin') {
      if (!requested) throw new ProblemError('validation', 'tenant_id is required with an admin key', [{ pointer: '/tenant_id', detail: 'required for admin keys' }]);
      return requested;
    }
    if (scope === 'operator' && principal.portal) {
      throw new ProblemError('forbidden', "a portal session may not read the operator's configuration (HTTP sources): use a tenant or admin key");
    }
    if (requested && requested !== principal.tenantId) throw new ProblemError('not_found', 'tenant not found');
    return principal.tenantId;
  }

  async tenantFor(caller: CallerInfo, requested: string | undefined, scope: ReadScope = 'tenant'): Promise<string> {
    return this.tenantOf(await this.authenticate(caller), requested, scope);
  }

  private lookup(hash: string): Promise<ApiKeyEntity | null> {
    return this.cache.get(hash, () => this.load(hash), (key) => key !== null);
  }

  private async load(hash: string): Promise<ApiKeyEntity | null> {
    // A tenant's key reads only while its tenant exists, as the command service rules: deleting a tenant must stop its
    // keys here too, not leave its webhooks readable to whoever kept one. Admin keys belong to no tenant.
    const rows: ApiKeyEntity[] = await this.models.read((em) => em.query(
      `SELECT k.* FROM api_keys k LEFT JOIN tenants t ON t.tenant_id = k.tenant_id
        WHERE k.key_hash = $1 AND (k.scope = 'admin' OR t.status = 'active')`, [hash]));
    return rows[0] ?? null;
  }
}
