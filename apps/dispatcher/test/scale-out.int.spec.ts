import type { Metrics } from '@hookline/observability';
import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';
import { busiestWindow, sumOfSeries } from './support/measure';

jest.setTimeout(120_000);

/** Attempts an instance made, from its own metrics. */
async function attemptsBy(metrics: Metrics): Promise<number> {
  return sumOfSeries(await metrics.registry.metrics(), 'hookline_dispatcher_attempts_total');
}

describe('two dispatcher instances in one group (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('scaleout', { RETRY_SCHEDULE_SECONDS: '0,0.3,0.3,0.3,0.3,0.3' });

  let peerMetrics: Metrics;

  beforeAll(async () => {
    peerMetrics = (await h.startPeer('peer-b')).metrics;
    await h.groupMembers(2);
  });

  it("holds an endpoint's rate limit across both instances, though each consumes its own partitions", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['scale.rate'], rate_limit_per_second: 5 });
    // Ordering keys spread the messages over all three partitions, so both instances take some of them at once.
    const n = 30;
    await Promise.all(Array.from({ length: n }, (_, i) => h.publish('scale.rate', { i }, [], `key-${i}`)));
    await r.waitForRequests(n, 40_000);
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= n, 10_000);

    const attempts = h.events('delivery.attempted.v1', ep.endpointId);
    expect(attempts.every((e) => e.data.succeeded)).toBe(true);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(n);
    // Both instances sent some: otherwise this would show nothing about sharing the limit.
    const [first, second] = [await attemptsBy(h.metrics!), await attemptsBy(peerMetrics)];
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first + second).toBe(n);
    // Counted at send time, as in the single-instance test: rate + burst in any second, and the whole run no faster
    // than the rate allows once the burst is spent.
    const starts = attempts.map((e) => Date.parse(e.data.started_at));
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(5 + 5);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(((n - 5) / 5) * 1000 - 300);
  });
});
