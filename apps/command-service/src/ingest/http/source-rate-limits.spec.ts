import { SourceRateLimits } from './source-rate-limits';

const A = 'src_01J0000000000000000000000A';
const B = 'src_01J0000000000000000000000B';

describe('the rate limits of HTTP sources', () => {
  let now: number;
  let limits: SourceRateLimits;
  beforeEach(() => {
    now = 1_000_000;
    limits = new SourceRateLimits(() => now);
  });

  it('takes a burst at once, then refuses until a token is back, saying how many seconds to wait (rounded up)', () => {
    const limit = { per_second: 2, burst: 2 };
    expect([limits.admit(A, limit), limits.admit(A, limit), limits.admit(A, limit)])
      .toEqual([{ ok: true }, { ok: true }, { ok: false, limit, retryAfterSeconds: 1 }]);
    now += 499;
    expect(limits.admit(A, limit)).toEqual({ ok: false, limit, retryAfterSeconds: 1 });
    now += 1;
    expect(limits.admit(A, limit)).toEqual({ ok: true });
  });

  it('asks for whole seconds of at least one, as Retry-After takes them', () => {
    const slow = { per_second: 1, burst: 1 };
    expect(limits.admit(A, slow)).toEqual({ ok: true });
    expect(limits.admit(A, slow)).toEqual({ ok: false, limit: slow, retryAfterSeconds: 1 });
    now += 1;
    // 999 ms to go: still one second, not zero.
    expect(limits.admit(A, slow)).toEqual({ ok: false, limit: slow, retryAfterSeconds: 1 });
  });

  it('refills at per_second up to the burst, never beyond it after a quiet spell', () => {
    const limit = { per_second: 10, burst: 3 };
    for (let i = 0; i < 3; i++) expect(limits.admit(A, limit).ok).toBe(true);
    expect(limits.admit(A, limit).ok).toBe(false);
    now += 60_000;
    const after = [1, 2, 3, 4].map(() => limits.admit(A, limit).ok);
    expect(after).toEqual([true, true, true, false]);
  });

  it('keeps each source\'s bucket apart', () => {
    const limit = { per_second: 1, burst: 1 };
    expect(limits.admit(A, limit).ok).toBe(true);
    expect(limits.admit(A, limit).ok).toBe(false);
    expect(limits.admit(B, limit).ok).toBe(true);
  });

  it('takes every request of a source without a limit', () => {
    for (let i = 0; i < 100; i++) expect(limits.admit(A, null)).toEqual({ ok: true });
    expect(limits.admit(A, undefined)).toEqual({ ok: true });
  });

  it('applies a changed limit from the next request on, keeping the tokens earned under the old one', () => {
    expect(limits.admit(A, { per_second: 1, burst: 1 }).ok).toBe(true);
    now += 250;
    // A quarter of a token earned at 1/s; from now on it refills at 4/s, so the next is whole 188 ms later, not 750.
    expect(limits.admit(A, { per_second: 4, burst: 1 }).ok).toBe(false);
    now += 188;
    expect(limits.admit(A, { per_second: 4, burst: 1 }).ok).toBe(true);
    // A larger burst fills up over time: at first the one token the old burst held.
    now += 10_000;
    expect([1, 2].map(() => limits.admit(A, { per_second: 4, burst: 5 }).ok)).toEqual([true, false]);
    now += 10_000;
    expect([1, 2, 3, 4, 5, 6].map(() => limits.admit(A, { per_second: 4, burst: 5 }).ok)).toEqual([true, true, true, true, true, false]);
  });
});
