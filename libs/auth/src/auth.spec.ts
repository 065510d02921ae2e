import { KeyedRateLimiter, TokenBucket, bearerToken, expiredKeyProblem, generateApiKeySecret, hashApiKey, ipAllowed, mintApiKey, sameHash, validateAllowlistEntry } from './index';

describe('API keys', () => {
  it('are random, prefixed, and verified by hash', () => {
    const a = generateApiKeySecret();
    expect(a).toMatch(/^hk_live_[A-Za-z0-9_-]{40}$/);
    expect(a).not.toEqual(generateApiKeySecret());
    expect(sameHash(hashApiKey(a), hashApiKey(a))).toBe(true);
    expect(sameHash(hashApiKey(a), hashApiKey(`${a}x`))).toBe(false);
  });

  it('are minted with the hash and the listing hint of their own secret', () => {
    const key = mintApiKey();
    expect(key.secret).toMatch(/^hk_live_/);
    expect(key.hash).toBe(hashApiKey(key.secret));
    expect(key.prefix).toBe(key.secret.slice(0, 16));
    expect(mintApiKey().secret).not.toBe(key.secret);
  });

  it('reads only well-formed bearer headers', () => {
    expect(bearerToken('Bearer hk_abc')).toBe('hk_abc');
    expect(bearerToken('bearer hk_abc ')).toBe('hk_abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('IP allowlist', () => {
  it('allows everything when empty, and matches addresses and ranges otherwise', () => {
    expect(ipAllowed([], '8.8.8.8')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '10.1.2.3')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '11.0.0.1')).toBe(false);
    expect(ipAllowed(['127.0.0.1'], '127.0.0.1')).toBe(true);
    expect(ipAllowed(['2001:db8::/32'], '2001:db8::1')).toBe(true);
    expect(ipAllowed(['2001:db8::/32'], '10.0.0.1')).toBe(false);
    expect(ipAllowed(['127.0.0.1'], undefined)).toBe(false);
  });

  it('names invalid entries', () => {
    expect(validateAllowlistEntry('10.0.0.0/8')).toBeNull();
    expect(validateAllowlistEntry('10.0.0.0/33')).toMatch(/not an IP address or CIDR/);
    expect(validateAllowlistEntry('example.com')).toMatch(/not an IP/);
  });
});

describe('TokenBucket', () => {
  it('allows a burst then refills at the rate', () => {
    const b = new TokenBucket(2, 2, 0);
    expect(b.tryTake(0)).toBe(true);
    expect(b.tryTake(0)).toBe(true);
    expect(b.tryTake(0)).toBe(false);
    expect(b.waitMs(0)).toBe(500);
    expect(b.tryTake(499)).toBe(false);
    expect(b.tryTake(500)).toBe(true);
  });

  it('keyed limiter keeps keys apart and reports the wait', () => {
    const l = new KeyedRateLimiter();
    expect(l.take('a', 1, 0)).toBe(0);
    expect(l.take('a', 1, 0)).toBe(1000);
    expect(l.take('b', 1, 0)).toBe(0);
  });

  it('keyed limiter takes a burst of its own, and a changed burst from then on', () => {
    const l = new KeyedRateLimiter();
    expect([l.take('a', 1, 0, 3), l.take('a', 1, 0, 3), l.take('a', 1, 0, 3), l.take('a', 1, 0, 3)]).toEqual([0, 0, 0, 1000]);
    expect(l.take('a', 1, 3000, 1)).toBe(0);
    expect(l.take('a', 1, 3000, 1)).toBe(1000);
  });
});

describe('expired keys', () => {
  const at = '2026-12-01T10:00:00.000Z';

  it('work until their expiry, then are refused as an invalid token, naming a portal session as such', () => {
    expect(expiredKeyProblem('portal', at, Date.parse(at) - 1)).toBeNull();
    const problem = expiredKeyProblem('portal', new Date(at), Date.parse(at))!;
    expect(problem.message).toBe(`this portal session expired at ${at}`);
    expect(problem.headers).toEqual({ 'www-authenticate': 'Bearer error="invalid_token"' });
    expect(expiredKeyProblem('tenant', at, Date.parse(at) + 1)!.message).toBe(`this API key expired at ${at}`);
  });

  it('never expire without an expiry', () => {
    expect(expiredKeyProblem('tenant', null, Number.MAX_SAFE_INTEGER)).toBeNull();
  });
});
