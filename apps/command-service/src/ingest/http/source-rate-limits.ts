import { KeyedRateLimiter } from '@hookline/auth';
import type { SourceRateLimitV1 } from '@hookline/contracts';

/** A request within its source's rate limit, or the limit it is over and how long to wait (whole seconds, ≥ 1). */
export type RateLimitDecision = { ok: true } | { ok: false; limit: SourceRateLimitV1; retryAfterSeconds: number };

const ADMITTED: RateLimitDecision = { ok: true };

/**
 * The token buckets of HTTP sources' `rate_limit`, one per source, held in this instance's memory. With N instances
 * behind a load balancer each enforces the limit on its own, so the cluster as a whole takes up to N times it: the
 * trade-off chosen over a shared counter, which would cost every webhook a Postgres round trip. A limit changed by an
 * update applies from the next request on, keeping the tokens earned.
 */
export class SourceRateLimits {
  private readonly buckets = new KeyedRateLimiter();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes one request from the source's bucket; a source without a limit takes every request. */
  admit(sourceId: string, limit: SourceRateLimitV1 | null | undefined): RateLimitDecision {
    if (!limit) return ADMITTED;
    const waitMs = this.buckets.take(sourceId, limit.per_second, this.now(), limit.burst);
    // Retry-After is whole seconds (RFC 9110): rounded up, so a provider that waits as told finds a token there.
    return waitMs === 0 ? ADMITTED : { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }
}
