import { decideAfterAttempt, parseRetryAfter, RetryPolicySettings, scheduleFor } from './retry-policy';

const settings: RetryPolicySettings = {
  scheduleSeconds: [0, 5, 300, 1800],
  jitter: 0.2,
  minDelayAfterThrottleSeconds: 60,
  retryAfterMaxSeconds: 3600,
};
const now = new Date('2025-01-01T00:00:00Z');
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const ok = (status: number, retryAfter: string | null = null) => ({ kind: 'response' as const, status, retryAfter });

describe('retry policy', () => {
  it('given a 2xx, then the delivery succeeded', () => {
    expect(decideAfterAttempt(ok(204), 1, settings, now, () => 0.5)).toEqual({ kind: 'succeeded' });
  });

  it("given a Kafka destination's acknowledgement, then the delivery succeeded; given its broker's refusal, then it is retried", () => {
    expect(decideAfterAttempt({ kind: 'acknowledged' }, 1, settings, now, () => 0.5)).toEqual({ kind: 'succeeded' });
    expect(decideAfterAttempt({ kind: 'error', errorClass: 'broker_refused', message: 'UNKNOWN_TOPIC_OR_PARTITION' }, 1, settings, now, () => 0.5)).toEqual({
      kind: 'retry', at: at(5), reason: 'broker_refused: UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('given attempt 1 failed with 500 and no jitter, then attempt 2 is the second schedule entry later', () => {
    expect(decideAfterAttempt(ok(500), 1, settings, now, () => 0.5)).toEqual({ kind: 'retry', at: at(5), reason: 'HTTP 500' });
  });

  it('jitter stays within ±20 % of the scheduled delay', () => {
    const low = decideAfterAttempt(ok(500), 2, settings, now, () => 0);
    const high = decideAfterAttempt(ok(500), 2, settings, now, () => 0.999999);
    expect(low).toMatchObject({ kind: 'retry', at: at(240) });
    expect(high.kind === 'retry' && high.at.getTime()).toBeLessThanOrEqual(at(360).getTime());
    expect(high.kind === 'retry' && high.at.getTime()).toBeGreaterThan(at(359).getTime());
  });

  it('3xx is a failure (redirects are not followed)', () => {
    expect(decideAfterAttempt(ok(301), 1, settings, now, () => 0.5)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('redirect') });
  });

  it('410 means gone, even with attempts left', () => {
    expect(decideAfterAttempt(ok(410), 1, settings, now, () => 0.5)).toMatchObject({ kind: 'gone' });
  });

  it('when the schedule has no entry left, the delivery is exhausted', () => {
    expect(decideAfterAttempt(ok(500), 4, settings, now, () => 0.5)).toMatchObject({ kind: 'exhausted', reason: 'HTTP 500' });
  });

  it('a 429 or a timeout waits at least the throttle floor', () => {
    expect(decideAfterAttempt(ok(429), 1, settings, now, () => 0.5)).toMatchObject({ at: at(60) });
    const timeout = { kind: 'error' as const, errorClass: 'timeout' as const, message: 'slow' };
    expect(decideAfterAttempt(timeout, 1, settings, now, () => 0.5)).toMatchObject({ at: at(60) });
    const refused = { kind: 'error' as const, errorClass: 'connect' as const, message: 'refused' };
    expect(decideAfterAttempt(refused, 1, settings, now, () => 0.5)).toMatchObject({ at: at(5) });
  });

  it('Retry-After (seconds or HTTP date) pushes the retry later, capped at the maximum', () => {
    expect(decideAfterAttempt(ok(429, '120'), 1, settings, now, () => 0.5)).toMatchObject({ at: at(120) });
    expect(decideAfterAttempt(ok(503, at(90).toUTCString()), 1, settings, now, () => 0.5)).toMatchObject({ at: at(90) });
    expect(decideAfterAttempt(ok(429, '999999'), 1, settings, now, () => 0.5)).toMatchObject({ at: at(3600) });
  });

  it('Retry-After never brings a retry earlier than the schedule or the throttle floor', () => {
    expect(decideAfterAttempt(ok(429, '1'), 1, settings, now, () => 0.5)).toMatchObject({ at: at(60) });
    expect(decideAfterAttempt(ok(503, '1'), 2, settings, now, () => 0.5)).toMatchObject({ at: at(300) });
  });

  it('ignores unreadable Retry-After values', () => {
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('an endpoint schedule replaces the delays after the first attempt', () => {
    expect(scheduleFor([0, 5, 300], [1, 2])).toEqual([0, 1, 2]);
    expect(scheduleFor([0, 5, 300], null)).toEqual([0, 5, 300]);
  });
});
