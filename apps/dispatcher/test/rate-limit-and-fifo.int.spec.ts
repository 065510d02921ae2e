import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';
import { busiestWindow } from './support/measure';

jest.setTimeout(90_000);

describe('per-endpoint rate limit and FIFO endpoints (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('ratefifo', { RETRY_SCHEDULE_SECONDS: '0,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3,0.3' });

  it('never sends more than the endpoint rate (plus one burst) in any second, and delivers everything', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['rate.test'], rate_limit_per_second: 5 });
    for (let i = 0; i < 20; i++) await h.publish('rate.test', { i });
    await r.waitForRequests(20, 30_000);
    // The limiter's promise is about sends, so the window is counted at send time: each attempt event's started_at.
    // Arrival times at the receiver add delivery jitter: the first of a burst can arrive 200 ms late (a new
    // connection on a loaded CI machine) and make 11 arrivals fit in one second although no second saw 11 sends.
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 20, 10_000);
    const attempts = h.events('delivery.attempted.v1', ep.endpointId);
    expect(attempts.every((e) => e.data.succeeded)).toBe(true);
    const times = attempts.map((e) => Date.parse(e.data.started_at)).sort((a, b) => a - b);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(5 + 5); // rate + burst
    expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(((20 - 5) / 5) * 1000 - 300);
    expect(h.events('delivery.parked.v1', ep.endpointId).some((e) => e.data.reason === 'rate_limited')).toBe(true);
  });

  it('FIFO: strictly in publish order, one in flight; a failing head holds back only that endpoint', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let failuresLeft = 3;
    const fifo = await startReceiver(async (req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      const first = (JSON.parse(req.body).data as { i: number }).i === 0;
      if (first && failuresLeft-- > 0) return void res.writeHead(500).end();
      res.writeHead(200).end();
    });
    const other = await startReceiver();
    receivers.push(fifo, other);
    await h.createEndpoint(fifo.url, { event_types: ['fifo.test'], fifo: true });
    await h.createEndpoint(other.url, { event_types: ['fifo.test'] });
    const n = 15;
    for (let i = 0; i < n; i++) await h.publish('fifo.test', { i });

    // The non-FIFO endpoint gets everything while the FIFO head is still failing.
    await other.waitForRequests(n, 20_000);
    expect(fifo.requests.filter((q) => q.headers['webhook-attempt'] !== undefined).length).toBeLessThan(n);

    await waitFor(() => new Set(fifo.requests.map((q) => q.headers['webhook-id'])).size === n && fifo.requests.length >= n + 3, 30_000);
    const order = fifo.requests.map((q) => (JSON.parse(q.body).data as { i: number }).i);
    expect(order).toEqual([0, 0, 0, 0, ...Array.from({ length: n - 1 }, (_, i) => i + 1)]);
    expect(maxInFlight).toBe(1);
  });
});
