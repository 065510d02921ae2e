import { KeyedRateLimiter, bearerToken, expiredKeyProblem, hashApiKey, ipAllowed, sameHash } from '@hookline/auth';
import { ProblemError, SingleFlightCache } from '@hookline/service-kit';
import { ReadModels } from '../database/read-models';
import { ApiKeyEntity } from '../database/read-model/entities';

/** Who is asking: the deployment admin, or a key of one tenant. */
export type Principal = { kind: 'admin'; keyId: string } | { kind: 'tenant'; keyId: string; tenantId: string };

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
    if (!key || key.status !== 'active') throw new ProblemError('unauthenticated', 'unknown or revoked API key', [], {}, { 'www-authenticate': 'Bearer' });
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
    // A portal session reads as its tenant does: every query here is its tenant's, and none changes anything.
    return { kind: 'tenant', keyId: key.key_id, tenantId: key.tenant_id! };
  }

  /**
   * The tenant a query is scoped to. Admin keys name it with tenant_id; a tenant key may omit it, and naming another
   * tenant answers 404, exactly as for a tenant that does not exist, so ids of other tenants reveal nothing.
   */
  tenantOf(principal: Principal, requested: string | undefined): string {
    if (principal.kind === 'admin') {
      if (!requested) throw new ProblemError('validation', 'tenant_id is required with an admin key', [{ pointer: '/tenant_id', detail: 'required for admin keys' }]);
      return requested;
    }
    if (requested && requested !== principal.tenantId) throw new ProblemError('not_found', 'tenant not found');
    return principal.tenantId;
  }

  async tenantFor(caller: CallerInfo, requested: string | undefined): Promise<string> {
    return this.tenantOf(await this.authenticate(caller), requested);
  }

  private lookup(hash: string): Promise<ApiKeyEntity | null> {
    return this.cache.get(hash, () => this.models.read((em) => em.getRepository(ApiKeyEntity).findOneBy({ key_hash: hash })), (key) => key !== null);
  }
}
