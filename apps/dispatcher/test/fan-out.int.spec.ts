import { MessageId, newId } from '@hookline/contracts';
import { startReceiver, TestReceiver, waitFor } from '@hookline/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(60_000);

describe('fan-out and the fast path (real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('fanout');
  let a: TestReceiver, b: TestReceiver, c: TestReceiver;

  beforeAll(async () => {
    await h.setUp();
    [a, b, c] = await Promise.all([startReceiver(), startReceiver(), startReceiver()]);
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all([a, b, c].map((r) => r?.close()));
  });

  it('delivers a published message to the two subscribed endpoints, not to the one whose filter excludes it; signatures verify', async () => {
    const epA = await h.createEndpoint(a.url, { event_types: ['invoice.paid'] });
    const epB = await h.createEndpoint(`${b.url}/hooks?x=1`, { channels: ['eu'], headers: { 'X-Custom': 'yes', 'Webhook-Signature': 'forged' } });
    const epC = await h.createEndpoint(c.url, { filter: { amount: { $gt: 1000 } } });
    await h.startDispatcher();

    const messageId = await h.publish('invoice.paid', { amount: 50 }, ['eu']);
    const [reqA] = await a.waitForRequests(1);
    const [reqB] = await b.waitForRequests(1);

    for (const [req, ep] of [[reqA, epA], [reqB, epB]] as const) {
      expect(req.headers['webhook-id']).toBe(messageId);
      expect(req.headers['webhook-attempt']).toBe('1');
      expect(req.headers['hookline-tenant-id']).toBe(h.tenantId);
      expect(req.headers['hookline-event-type']).toBe('invoice.paid');
      expect(req.headers['user-agent']).toMatch(/^Hookline\//);
      expect(JSON.parse(req.body)).toMatchObject({ type: 'invoice.paid', data: { amount: 50 } });
      expect(new StandardWebhook(ep.secret).verify(req.body, req.headers)).toMatchObject({ data: { amount: 50 } });
      expect(new SvixWebhook(ep.secret).verify(req.body, req.headers)).toMatchObject({ type: 'invoice.paid' });
    }
    expect(reqB.path).toBe('/hooks?x=1');
    expect(reqB.headers['x-custom']).toBe('yes');

    // Both attempts are on the deliveries topic, keyed by endpoint id, with what the attempt log needs.
    const attempts = await waitFor(() => (h.events('delivery.attempted.v1').length >= 2 ? h.events('delivery.attempted.v1') : null));
    for (const ep of [epA, epB]) {
      const attempt = attempts.find((e) => e.data.endpoint_id === ep.endpointId)!;
      expect(attempt.key).toBe(ep.endpointId);
      expect(attempt.source).toBe('dispatcher');
      expect(attempt.data).toMatchObject({
        message_id: messageId, attempt: 1, trigger: 'initial', succeeded: true, status: 'succeeded', next_attempt_at: null,
        response: { status: 200, body: 'ok' }, error: null,
      });
      expect(attempt.data.request_headers['webhook-signature']).toMatch(/^v1,.*…$/);
      expect(attempt.data.latency_ms).toBeGreaterThanOrEqual(0);
    }

    // C never hears of it; and a fast-path success wrote nothing to Postgres.
    await new Promise((r) => setTimeout(r, 500));
    expect(c.requests).toHaveLength(0);
    expect(h.events('delivery.attempted.v1', epC.endpointId)).toHaveLength(0);
    expect(await h.parkedRows()).toEqual([]);
    await waitFor(async () => (await h.committedMessages()) === 1, 10_000, 'offset committed');
  });

  it('re-checks SSRF at delivery: a private address is a failed attempt classed ssrf_refused, not a crash', async () => {
    const internal = await h.createEndpoint('http://10.0.0.1/hook');
    await h.publish('invoice.paid', { amount: 1 });
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', internal.endpointId)[0]);
    expect(attempt.data).toMatchObject({ succeeded: false, status: 'retrying', error: { class: 'ssrf_refused' }, response: null });
    const [row] = await waitFor(() => h.parkedRows(internal.endpointId).then((r) => (r.length ? r : null)));
    expect(row).toMatchObject({ state: 'scheduled', attempt: 2, park_reason: 'retry' });
    // The dispatcher kept going: a later message still reaches a healthy endpoint.
    await h.publish('invoice.paid', { amount: 2 });
    await a.waitForRequests(3);
  });

  it('delivers a message that names endpoints only to those of them that want it', async () => {
    const [d, e] = await Promise.all([startReceiver(), startReceiver()]);
    try {
      await h.createEndpoint(d.url, { event_types: ['order.targeted'] });
      const epE = await h.createEndpoint(e.url, { event_types: ['order.targeted'] });
      const targeted = newId('message') as MessageId;
      await h.appendMessage({ type: 'message.published.v1', data: { message_id: targeted, event_type: 'order.targeted', event_type_version: null,
        payload: { n: 1 }, channels: [], idempotency_key: null, ordering_key: null, endpoint_ids: [epE.endpointId] } });
      // Published after it on the same partition: once d has this one, the dispatcher has decided about the first.
      const everyone = await h.publish('order.targeted', { n: 2 });
      const toE = await e.waitForRequests(2);
      await d.waitForRequests(1);
      expect(new Set(toE.map((r) => r.headers['webhook-id']))).toEqual(new Set([targeted, everyone]));
      expect(d.requests.map((r) => r.headers['webhook-id'])).toEqual([everyone]);
    } finally {
      await Promise.all([d.close(), e.close()]);
    }
  });
});
