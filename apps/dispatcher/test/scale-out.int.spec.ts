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
  const env = {
    RETRY_SCHEDULE_SECONDS: '0,0.3,0.3,0.3,0.3,0.3', IN_FLIGHT_SHARE_RENEW_MS: '200',
    BREAKER_WINDOW_SECONDS: '30', BREAKER_MIN_VOLUME: '4', BREAKER_FAILURE_RATIO: '0.5', BREAKER_OPEN_SECONDS: '1.5', BREAKER_SYNC_MS: '200',
  };
  const { h, receivers } = dispatcherSuite('scaleout', env);

  let peerMetrics: Metrics;

  beforeAll(async () => {
    peerMetrics = (await h.startPeer('peer-b', env)).metrics;
    await h.groupMembers(2);
  });

  /** A receiver that holds every request `holdMs` and counts how many it holds at most at once. */
  async function slowReceiver(holdMs: number) {
    const seen = { open: 0, mostOpen: 0 };
    const r = await startReceiver((_req, res) => {
      seen.open += 1;
      seen.mostOpen = Math.max(seen.mostOpen, seen.open);
      setTimeout(() => {
        seen.open -= 1;
        res.writeHead(200).end();
      }, holdMs);
    });
    receivers.push(r);
    return { r, seen };
  }
  const shareRows = async (endpointId: string) =>
    (await h.pg.query(`SELECT instance_id, held FROM dispatcher.endpoint_in_flight_shares WHERE endpoint_id = $1 AND expires_at > now()`, [endpointId])).rows;

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

  it("holds an endpoint's max_in_flight across both instances: never more requests at once than the cap, and the cap used", async () => {
    const { r, seen } = await slowReceiver(300);
    const ep = await h.createEndpoint(r.url, { event_types: ['scale.cap'], max_in_flight: 2 });
    const [firstBefore, secondBefore] = [await attemptsBy(h.metrics!), await attemptsBy(peerMetrics)];
    const n = 16;
    // Both instances ask for a share of the cap at once (each consumes its own partitions). Which one sends a given
    // delivery is not fixed (either retry worker may claim a parked one), so their share rows show it, not counts.
    let bothAsked = false;
    const watching = (async () => {
      while (!bothAsked && r.requests.length < n) {
        bothAsked = (await shareRows(ep.endpointId)).length === 2;
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    await Promise.all(Array.from({ length: n }, (_, i) => h.publish('scale.cap', { i }, [], `cap-${i}`)));
    await r.waitForRequests(n, 60_000);
    await watching;
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= n, 10_000);

    expect(h.events('delivery.attempted.v1', ep.endpointId).every((e) => e.data.succeeded)).toBe(true);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(n);
    // Each alone would have allowed 2, so 4 together.
    expect(bothAsked).toBe(true);
    expect((await attemptsBy(h.metrics!)) - firstBefore + (await attemptsBy(peerMetrics)) - secondBefore).toBe(n);
    expect(seen.mostOpen).toBe(2);
    // Once neither sends to it any more, both give their shares back.
    await waitFor(async () => (await shareRows(ep.endpointId)).length === 0, 10_000, 'shares given back');
  });

  it('ignores the share of an instance that died once its row expired, and then delivers within the cap', async () => {
    const { r, seen } = await slowReceiver(50);
    const ep = await h.createEndpoint(r.url, { event_types: ['scale.dead'], max_in_flight: 2 });
    // An instance that died holding the whole cap: its row stands for 2 more seconds, unrenewed.
    await h.pg.query(`INSERT INTO dispatcher.endpoint_in_flight_shares (endpoint_id, instance_id, held, expires_at) VALUES ($1, 'died', 2, now() + interval '2 seconds')`, [ep.endpointId]);
    const expiresAt = Date.now() + 2000;
    const n = 10;
    await Promise.all(Array.from({ length: n }, (_, i) => h.publish('scale.dead', { i }, [], `dead-${i}`)));
    await r.waitForRequests(n, 60_000);

    // Nothing went out while the dead instance's share stood (50 ms for clocks and the row's own rounding).
    expect(Math.min(...r.requests.map((q) => q.receivedAt))).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(seen.mostOpen).toBeLessThanOrEqual(2);
    expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(n);
  });

  it("holds an endpoint's circuit breaker across both instances: opened, probed and closed once for all", async () => {
    let healthy = false;
    const r = await startReceiver((_req, res) => void res.writeHead(healthy ? 200 : 503).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['scale.breaker'] });
    const [firstBefore, secondBefore] = [await attemptsBy(h.metrics!), await attemptsBy(peerMetrics)];
    const n = 12;
    await Promise.all(Array.from({ length: n }, (_, i) => h.publish('scale.breaker', { i }, [], `breaker-${i}`)));
    const states = () => h.events('endpoint.breaker_changed.v1', ep.endpointId).map((e) => e.data.state);
    await waitFor(() => states().includes('open'), 20_000, 'breaker opened');
    // Both instances sent to it and saw it fail: each would have opened a breaker of its own.
    expect(await attemptsBy(h.metrics!)).toBeGreaterThan(firstBefore);
    expect(await attemptsBy(peerMetrics)).toBeGreaterThan(secondBefore);
    expect(await h.pg.query(`SELECT state FROM dispatcher.endpoint_breakers WHERE endpoint_id = $1`, [ep.endpointId]))
      .toMatchObject({ rows: [{ state: expect.stringMatching(/^(open|half_open)$/) }] });

    // Once both have read it (a sync and the attempts already under way), nothing but the single probe reaches the endpoint.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sentWhileOpen = r.requests.length;
    // The probe fails (still unhealthy) and reopens it.
    await waitFor(() => states().length >= 3, 20_000, 'the probe reopened it');
    expect(states()).toEqual(['open', 'half_open', 'open']);
    expect(r.requests.length).toBe(sentWhileOpen + 1);

    healthy = true;
    await waitFor(() => states().includes('closed'), 20_000, 'closed');
    // Every message arrives once closed, and each change was announced once, by one instance.
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).filter((e) => e.data.succeeded).length >= n, 30_000, 'all succeeded');
    expect(states()).toEqual(['open', 'half_open', 'open', 'half_open', 'closed']);
    expect((await h.pg.query(`SELECT 1 FROM dispatcher.endpoint_breakers WHERE endpoint_id = $1`, [ep.endpointId])).rows).toEqual([]);
  });
});
