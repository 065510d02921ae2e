import { PENDING_RECHECK_MS, RequestQueueState, schedulePendingCheck } from './request-queue-timer';

/** A stand-in with just the fields the schedule touches; checkPendingRequests records when it ran. */
function queue(pending: number, throttledUntil = -1): RequestQueueState & { checks: number[] } {
  const q = {
    pending: Array.from({ length: pending }, (_, i) => i),
    throttledUntil,
    throttleCheckTimeoutId: null as NodeJS.Timeout | null,
    checks: [] as number[],
    checkPendingRequests() {
      q.checks.push(Date.now());
    },
  };
  return q;
}

describe('schedulePendingCheck (kafkajs request queue timer)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('arms no timer when no request is pending, throttled or not (kafkajs 2.2.4 re-armed a 1 ms timer forever)', () => {
    const idle = queue(0);
    schedulePendingCheck.call(idle);
    const throttled = queue(0, Date.now() + 500);
    schedulePendingCheck.call(throttled);

    expect(idle.throttleCheckTimeoutId).toBeNull();
    expect(throttled.throttleCheckTimeoutId).toBeNull();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('checks requests waiting only for an in-flight slot again after 10 ms', () => {
    const q = queue(2);
    schedulePendingCheck.call(q);

    jest.advanceTimersByTime(PENDING_RECHECK_MS - 1);
    expect(q.checks).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(q.checks).toEqual([1_000_000 + PENDING_RECHECK_MS]);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  it('checks throttled requests when the broker-requested throttle ends', () => {
    const q = queue(1, 1_000_000 + 750);
    schedulePendingCheck.call(q);

    jest.advanceTimersByTime(749);
    expect(q.checks).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(q.checks).toEqual([1_000_750]);
  });

  it('keeps one timer however often it is asked', () => {
    const q = queue(3);
    for (let i = 0; i < 5; i++) schedulePendingCheck.call(q);

    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(PENDING_RECHECK_MS);
    expect(q.checks).toHaveLength(1);
  });
});
