import { PENDING_RECHECK_MS, RequestQueueState, RequestQueueSweepState, scheduleTimeoutSweep, schedulePendingCheck } from './request-queue-timer';

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

/**
 * A stand-in queue with one request per `sentAt`, recording which of them timed out (a timed-out request leaves the
 * in-flight map, as in kafkajs) and how often the queue was destroyed.
 */
function sweepQueue(requestTimeout: number, sentAt: number[], enforce = true) {
  const timedOut: number[] = [];
  const inflight: RequestQueueSweepState['inflight'] = new Map();
  sentAt.forEach((at, i) => inflight.set(i, { sentAt: at, requestTimeout, timeoutRequest: () => (timedOut.push(i), inflight.delete(i)) }));
  const q: RequestQueueSweepState & { connected: boolean; destroyed: number; timedOut: number[] } = {
    enforceRequestTimeout: enforce,
    requestTimeout,
    inflight,
    requestTimeoutIntervalId: undefined,
    connected: true,
    destroyed: 0,
    timedOut,
    isConnected: () => q.connected,
    destroy() {
      q.destroyed += 1;
      clearInterval(q.requestTimeoutIntervalId);
    },
  };
  return q;
}

describe('scheduleTimeoutSweep (kafkajs request timeouts)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('looks for timed-out requests once a second, not ten times, and still fails them within a tenth of their timeout', () => {
    const q = sweepQueue(30_000, [1_000_000, 1_020_000]);
    scheduleTimeoutSweep.call(q);
    expect(jest.getTimerCount()).toBe(1);

    jest.advanceTimersByTime(30_000);
    expect(q.timedOut).toEqual([]); // not yet past 30 s at the last sweep
    jest.advanceTimersByTime(1_000);
    expect(q.timedOut).toEqual([0]);
    jest.advanceTimersByTime(20_000);
    expect(q.timedOut).toEqual([0, 1]);
  });

  it('sweeps short timeouts at a tenth of the timeout, and stops once the connection is gone', () => {
    const q = sweepQueue(2_000, [1_000_000]);
    scheduleTimeoutSweep.call(q);
    jest.advanceTimersByTime(2_200);
    expect(q.timedOut).toEqual([0]);

    q.connected = false;
    const destroyedBefore = q.destroyed;
    jest.advanceTimersByTime(200);
    expect(q.destroyed).toBe(destroyedBefore + 1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('arms nothing when request timeouts are not enforced', () => {
    const q = sweepQueue(30_000, [1_000_000], false);
    scheduleTimeoutSweep.call(q);
    expect(jest.getTimerCount()).toBe(0);
  });
});
