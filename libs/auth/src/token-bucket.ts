/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. Time is passed in, so the rule is pure
 * and testable; callers pass `Date.now()`.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private ratePerSecond: number,
    private burst: number = Math.max(1, ratePerSecond),
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
    }
  }

  /** Takes a token if one is there. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until a token will be there (0 when one is there now). */
  waitMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  /** Changes the rate (configuration updates) keeping the tokens already earned. */
  setRate(ratePerSecond: number, burst: number = Math.max(1, ratePerSecond), now = Date.now()): void {
    this.refill(now);
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.tokens = Math.min(this.tokens, burst);
  }
}

/** One bucket per key, created on first use; idle buckets are dropped so memory stays bounded by active keys. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; rate: number; burst: number; seen: number }>();

  constructor(private readonly maxKeys = 100_000) {}

  /**
   * Takes a token for `key` at `ratePerSecond` (at most `burst` at once); returns 0 when allowed, otherwise the ms to
   * wait. A changed rate or burst applies from now, keeping the tokens already earned.
   */
  take(key: string, ratePerSecond: number, now = Date.now(), burst = Math.max(1, ratePerSecond)): number {
    let entry = this.buckets.get(key);
    if (!entry) {
      if (this.buckets.size >= this.maxKeys) this.evictIdle(now);
      entry = { bucket: new TokenBucket(ratePerSecond, burst, now), rate: ratePerSecond, burst, seen: now };
      this.buckets.set(key, entry);
    } else if (entry.rate !== ratePerSecond || entry.burst !== burst) {
      entry.bucket.setRate(ratePerSecond, burst, now);
      entry.rate = ratePerSecond;
      entry.burst = burst;
    }
    entry.seen = now;
    return entry.bucket.tryTake(now) ? 0 : Math.max(1, entry.bucket.waitMs(now));
  }

  private evictIdle(now: number): void {
    for (const [key, e] of this.buckets) if (now - e.seen > 60_000) this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
