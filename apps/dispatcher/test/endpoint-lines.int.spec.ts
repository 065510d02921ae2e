import { startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(120_000);

// A delivery whose endpoint has all its in-flight slots busy waits in memory in that endpoint's line, as long as the line
// moves; only a line whose head has waited half of PARK_AFTER_MS sends newcomers to the retry store. PARK_AFTER_MS is
// generous here so that what is shown is the endpoint's pace, not how fast this machine runs the dispatcher.
describe('endpoint lines: waiting in memory for an in-flight slot (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('lines', { PARK_AFTER_MS: '8000' });

  it('a burst to one endpoint waits for its slots: all delivered, never more than max_in_flight at once, nothing parked', async () => {
    let open = 0;
    let mostOpen = 0;
    const busy = await startReceiver((_req, res) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      setTimeout(() => {
        open -= 1;
        res.writeHead(200).end();
      }, 2);
    });
    receivers.push(busy);
    const ep = await h.createEndpoint(busy.url, { event_types: ['burst'], max_in_flight: 4 });
    const n = 200;
    await Promise.all(Array.from({ length: n }, (_, i) => h.publish('burst', { i })));
    await busy.waitForRequests(n, 60_000);
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= n, 10_000, 'attempt events');

    expect(mostOpen).toBeLessThanOrEqual(4);
    expect(new Set(busy.requests.map((r) => r.headers['webhook-id'])).size).toBe(n);
    // Before lines existed, all but the first 4 went through Postgres: a parked event and a row each.
    expect(h.events('delivery.parked.v1', ep.endpointId)).toHaveLength(0);
    expect(await h.parkedRows(ep.endpointId)).toHaveLength(0);
  });

  it('next to a slow endpoint whose line stops moving, the slow one parks its overflow and the fast one parks nothing', async () => {
    const fast = await startReceiver();
    const slow = await startReceiver((_req, res) => void setTimeout(() => res.writeHead(200).end(), 500));
    receivers.push(fast, slow);
    const fastEp = await h.createEndpoint(fast.url, { event_types: ['mixed'] });
    // 2 in flight × 500 ms = 4 per second: a first wave of 50 keeps the slow line's head waiting for seconds.
    const slowEp = await h.createEndpoint(slow.url, { event_types: ['mixed'], max_in_flight: 2 });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => h.publish('mixed', { i })));
    await fast.waitForRequests(50, 60_000);
    // Once its head has waited more than half of PARK_AFTER_MS (4 s), the slow line takes no newcomers.
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 5000 - Date.now())));
    expect(h.events('delivery.parked.v1', slowEp.endpointId)).toHaveLength(0);
    await Promise.all(Array.from({ length: 50 }, (_, i) => h.publish('mixed', { i: 50 + i })));
    await fast.waitForRequests(100, 60_000);
    await waitFor(() => h.events('delivery.parked.v1', slowEp.endpointId).length > 0, 10_000, 'the slow line to park newcomers');
    expect(h.events('delivery.parked.v1', fastEp.endpointId)).toHaveLength(0);
  });
});
