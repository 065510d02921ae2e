import { TenantId } from '@hookline/contracts';
import { ApiKeyState } from '@hookline/domain';
import { KeyedRateLimiter, bearerToken, expiredKeyProblem, hashApiKey, ipAllowed, sameHash } from '@hookline/auth';
import { ProblemError, SingleFlightCache } from '@hookline/service-kit';
import { DataSource } from 'typeorm';
import { AuthContext } from './auth-context';

interface CachedKey {
  context: AuthContext;
  ipAllowlist: string[];
  ratePerSecond: number | null;
}

/** Revocations and allowlist changes take effect within this long on every instance. */
const CACHE_TTL_MS = 5000;
const BOOTSTRAP_KEY_ID = 'key_bootstrap_admin';
const BOOTSTRAP_KEY: CachedKey = { context: { keyId: BOOTSTRAP_KEY_ID, scope: 'admin', tenantId: null, expiresAt: null }, ipAllowlist: [], ratePerSecond: null };

/**
 * Turns an `Authorization: Bearer …` value into an AuthContext: the bootstrap admin key from configuration, or a
 * key from the write model looked up by hash (refused once revoked, or once its tenant is deleted). Enforces the key's IP
 * allowlist (403) and rate limit (429).
 */
export class Authenticator {
  private readonly adminHash: string;
  // Only usable keys are kept: an unknown or revoked one is looked up again each time (and refused).
  private readonly cache = new SingleFlightCache<CachedKey | null>({ ttlMs: CACHE_TTL_MS, maxEntries: 10_000 });
  private readonly limiter = new KeyedRateLimiter();

  constructor(
    private readonly ds: DataSource,
    adminKey: string,
    private readonly defaultRatePerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.adminHash = hashApiKey(adminKey);
  }

  async authenticate(authorization: string | string[] | undefined, clientIp: string | undefined): Promise<AuthContext> {
    const token = bearerToken(authorization);
    if (!token) throw new ProblemError('unauthenticated', 'missing or malformed Authorization header (expected "Bearer <api key>")', [], {}, { 'www-authenticate': 'Bearer' });
    const hash = hashApiKey(token);
    const key = await this.lookup(hash);
    if (!key) throw new ProblemError('unauthenticated', 'unknown or revoked API key', [], {}, { 'www-authenticate': 'Bearer' });
    // Checked at every use, not at load: a cached key must not outlive its expiry by the cache's TTL.
    const expired = expiredKeyProblem(key.context.scope, key.context.expiresAt, this.now());
    if (expired) throw expired;
    if (!ipAllowed(key.ipAllowlist, clientIp)) {
      throw new ProblemError('forbidden', `requests from ${clientIp ?? 'an unknown address'} are not in this API key's IP allowlist`);
    }
    const rate = key.ratePerSecond ?? (this.defaultRatePerSecond > 0 ? this.defaultRatePerSecond : null);
    if (rate) {
      const waitMs = this.limiter.take(key.context.keyId, rate);
      if (waitMs > 0) {
        const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
        throw new ProblemError('rate_limited', `rate limit of ${rate} requests/s exceeded for this API key`, [], { retry_after_seconds: Number(retryAfter) }, { 'retry-after': retryAfter });
      }
    }
    return key.context;
  }

  /** Drops a key from this instance's cache (after revoking it here: refused at once here, within the TTL elsewhere). */
  forget(keyHash: string): void {
    this.cache.delete(keyHash);
  }

  /** Drops every cached key of a tenant (after deleting the tenant here). */
  forgetTenant(tenantId: string): void {
    this.cache.deleteWhere((key) => key?.context.tenantId === tenantId);
  }

  private lookup(hash: string): Promise<CachedKey | null> {
    if (sameHash(hash, this.adminHash)) return Promise.resolve(BOOTSTRAP_KEY);
    return this.cache.get(hash, () => this.load(hash), (key) => key !== null);
  }

  private async load(hash: string): Promise<CachedKey | null> {
    // A tenant key works only while its tenant exists: deleting a tenant must stop its keys, not just some routes.
    const rows: Array<{ state: ApiKeyState; tenant_status: string | null }> = await this.ds.query(
      `SELECT k.state, t.state->>'status' AS tenant_status
         FROM aggregates k
         LEFT JOIN aggregates t ON t.kind = 'tenant' AND t.tenant_id = k.tenant_id AND t.aggregate_id = k.tenant_id
        WHERE k.kind = 'api_key' AND k.state->>'keyHash' = $1`,
      [hash],
    );
    const state = rows[0]?.state;
    if (!state || state.status !== 'active' || (state.scope !== 'admin' && rows[0].tenant_status !== 'active')) return null;
    return {
      context: {
        keyId: state.keyId!, scope: state.scope, tenantId: (state.tenantId as TenantId) ?? null, expiresAt: state.expiresAt ?? null,
        ...(state.readOnly ? { readOnly: true } : {}),
      },
      ipAllowlist: state.ipAllowlist,
      ratePerSecond: state.rateLimitPerSecond,
    };
  }
}
