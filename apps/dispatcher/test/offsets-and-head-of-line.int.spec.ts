import { startReceiver, waitFor } from '@hookline/testing';
import { ServerResponse } from 'node:http';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(120_000);

describe('offset commits and head-of-line blocking (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('offsets', { PARK_AFTER_MS: '2500', DELIVERY_TIMEOUT_MS: '10000' });

  it('commits only up to the first message whose deliveries are not finished or parked; a long attempt is parked after PARK_AFTER_MS', async () => {
    const held: ServerResponse[] = [];
    const hanging = await startReceiver((_req, res) => void held.push(res));
    const fast = await startReceiver();
    receivers.push(hanging, fast);
    const slowEp = await h.createEndpoint(hanging.url, { event_types: ['slow'] });
    await h.createEndpoint(fast.url, { event_types: ['fast'] });
    const base = await h.committedMessages();

    const slowMessage = await h.publish('slow', { n: 0 });
    for (let i = 1; i <= 4; i++) await h.publish('fast', { n: i });
    await fast.waitForRequests(4);
    await hanging.waitForRequests(1);
    // The four later messages are finished, but the first is still in flight: nothing past it may be committed.
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.committedMessages()).toBe(base);

    // After PARK_AFTER_MS the running attempt is parked (leased to this instance) and the offset moves past all five.
    await waitFor(async () => (await h.committedMessages()) === base + 5, 10_000, 'offsets committed after parking');
    const [row] = await h.parkedRows(slowEp.endpointId);
    expect(row).toMatchObject({ message_id: slowMessage, park_reason: 'running_long', state: 'scheduled' });
    expect(row.lease_owner).toBeTruthy();
    // The harness reads the parked event off the deliveries topic on its own time: the offsets may be seen first.
    const parked = await waitFor(() => h.events('delivery.parked.v1', slowEp.endpointId)[0], 10_000, 'parked event');
    expect(parked.data.reason).toBe('in_flight_limit');

    // When the attempt finally succeeds, its row goes away.
    held.forEach((res) => res.writeHead(200).end());
    await waitFor(() => h.events('delivery.attempted.v1', slowEp.endpointId).find((e) => e.data.succeeded));
    await waitFor(async () => (await h.parkedRows(slowEp.endpointId)).length === 0, 10_000, 'parked row removed');
    expect(hanging.requests).toHaveLength(1);
  });

  it('a saturated 250 ms endpoint does not slow a fast endpoint down (no head-of-line blocking)', async () => {
    const fast = await startReceiver();
    const slow = await startReceiver((_req, res) => void setTimeout(() => res.writeHead(200).end(), 250));
    receivers.push(fast, slow);
    const n = 300;
    await h.createEndpoint(fast.url, { event_types: ['hol.fast', 'hol.both'] });

    const t0 = Date.now();
    for (let i = 0; i < n; i++) void h.publish('hol.fast', { i });
    await fast.waitForRequests(n, 60_000);
    const alone = Date.now() - t0;

    const slowEp = await h.createEndpoint(slow.url, { event_types: ['hol.both'] });
    const t1 = Date.now();
    for (let i = 0; i < n; i++) void h.publish('hol.both', { i });
    await fast.waitForRequests(2 * n, 60_000);
    const withSlow = Date.now() - t1;
    const slowDone = slow.requests.length;
    process.stdout.write(`head-of-line: fast alone ${alone} ms, next to a saturated 250 ms endpoint ${withSlow} ms (slow had ${slowDone}/${n} by then)\n`);
    // Generous: the slow endpoint alone would need n × 250 ms / 16 in flight ≈ 4.7 s.
    expect(withSlow).toBeLessThan(Math.max(3 * alone, alone + 3000));
    expect(slowDone).toBeLessThan(n);
    await slow.waitForRequests(n, 60_000);
    // The slow endpoint's line stopped taking newcomers once its head had waited half of PARK_AFTER_MS: the rest went
    // to the retry store (endpoint-lines.int.spec.ts shows that a fast endpoint's backlog does not).
    expect(h.events('delivery.parked.v1', slowEp.endpointId).length).toBeGreaterThan(0);
  });
});
