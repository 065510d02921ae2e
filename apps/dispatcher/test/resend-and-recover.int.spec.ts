import { MessageId, TenantId, newId } from '@hookline/contracts';
import { endpointCreated, record } from './support/config-events';
import { TestReceiver, startReceiver, waitFor } from '@hookline/testing';
import { dispatcherSuite } from './support/dispatcher-suite';

jest.setTimeout(90_000);

describe('resend and recover (real Kafka, real Postgres)', () => {
  const { h, receivers } = dispatcherSuite('resend', { RETRY_SCHEDULE_SECONDS: '0,0.1' });

  it('resend delivers the message again with the same webhook-id, as trigger "resend"', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['resend.test'] });
    const messageId = await h.publish('resend.test', { v: 1 });
    await r.waitForRequests(1);
    await h.appendMessage({
      type: 'message.resend_requested.v1',
      data: { message_id: messageId, endpoint_id: ep.endpointId, event_type: 'resend.test', event_type_version: null, payload: { v: 1 }, channels: [], published_at: new Date().toISOString() },
    });
    const [, again] = await r.waitForRequests(2);
    expect(again.headers['webhook-id']).toBe(messageId);
    expect(again.headers['webhook-attempt']).toBe('1');
    const resent = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((e) => e.data.trigger === 'resend'));
    expect(resent.data.succeeded).toBe(true);
    await waitFor(async () => (await h.parkedRows(ep.endpointId)).length === 0, 10_000, 'row removed after resend');
  });

  it('ignores a resend naming another tenant\'s endpoint', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const otherTenant = newId('tenant') as TenantId;
    const foreign = endpointCreated(r.url);
    await h.producerAppend(record(h.topics.config, otherTenant, otherTenant, foreign.event));
    await new Promise((res) => setTimeout(res, 500));
    await h.appendMessage({
      type: 'message.resend_requested.v1',
      data: { message_id: newId('message') as MessageId, endpoint_id: foreign.endpointId, event_type: 'x', event_type_version: null, payload: {}, channels: [], published_at: new Date().toISOString() },
    });
    await new Promise((res) => setTimeout(res, 1000));
    expect(await h.parkedRows(foreign.endpointId)).toEqual([]);
    expect(r.requests).toHaveLength(0);
  });

  it('recover re-queues the endpoint\'s dead deliveries published in [since, until), and only those', async () => {
    let healthy = false;
    const r = await startReceiver((_req, res) => void res.writeHead(healthy ? 200 : 500).end());
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['recover.test'] });
    const before = await h.publish('recover.test', { n: 'before' });
    await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).length === 2); // deliveries + dead-letters topics
    await new Promise((res) => setTimeout(res, 50));
    const since = new Date();
    const inside = await h.publish('recover.test', { n: 'inside' });
    await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).length === 4);
    const until = new Date(Date.now() + 1);
    expect(await h.parkedRows(ep.endpointId)).toHaveLength(2);

    healthy = true;
    await h.appendMessage({ type: 'endpoint.recovery_requested.v1', data: { endpoint_id: ep.endpointId, since: since.toISOString(), until: until.toISOString() } });
    const recovered = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((e) => e.data.trigger === 'recover'));
    expect(recovered.data).toMatchObject({ message_id: inside, succeeded: true });
    await new Promise((res) => setTimeout(res, 500));
    const rows = await h.parkedRows(ep.endpointId);
    expect(rows.map((row) => row.message_id)).toEqual([before]);
  });

  /**
   * A receiver whose first request fails at once and whose second (the retry worker's attempt, on a leased row) is
   * held until `release`, then answered `heldStatus`; later ones succeed. It notes the most requests open at once.
   */
  async function heldRetryReceiver(heldStatus: number): Promise<{ r: TestReceiver; release: () => void; mostOpen: () => number }> {
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    let seen = 0;
    let open = 0;
    let most = 0;
    const r = await startReceiver(async (_req, res) => {
      seen += 1;
      open += 1;
      most = Math.max(most, open);
      const n = seen;
      if (n === 2) await released;
      open -= 1;
      res.writeHead(n === 1 ? 500 : n === 2 ? heldStatus : 200).end();
    });
    receivers.push(r);
    return { r, release, mostOpen: () => most };
  }

  it('recover while a retry is being sent: no request alongside it, and the new series starts when it ends', async () => {
    const { r, release, mostOpen } = await heldRetryReceiver(500);
    const ep = await h.createEndpoint(r.url, { event_types: ['recover.held'] });
    const since = new Date(Date.now() - 1000);
    const messageId = await h.publish('recover.held', { n: 1 });
    await r.waitForRequests(2); // the retry is being sent, on a row the retry worker leased
    await h.appendMessage({ type: 'endpoint.recovery_requested.v1', data: { endpoint_id: ep.endpointId, since: since.toISOString(), until: new Date(Date.now() + 1000).toISOString() } });
    await waitFor(async () => (await h.parkedRows(ep.endpointId))[0]?.restart_as === 'recover', 10_000, 'recover noted on the held row');
    await new Promise((res) => setTimeout(res, 400)); // 8 retry-worker polls: a row made due now would go in one
    expect(r.requests).toHaveLength(2);

    release(); // the retry fails, its last: without the recover it would be dead-lettered
    const [, , recovered] = await r.waitForRequests(3);
    expect(recovered.headers['webhook-id']).toBe(messageId);
    expect(recovered.headers['webhook-attempt']).toBe('1');
    expect(mostOpen()).toBe(1);
    const event = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((e) => e.data.trigger === 'recover'));
    expect(event.data).toMatchObject({ message_id: messageId, attempt: 1, succeeded: true });
    await waitFor(async () => (await h.parkedRows(ep.endpointId)).length === 0, 10_000, 'row removed after the recovered delivery');
  });

  it('resend while a retry is being sent: it still sends once more after that retry succeeds, never alongside it', async () => {
    const { r, release, mostOpen } = await heldRetryReceiver(200);
    const ep = await h.createEndpoint(r.url, { event_types: ['resend.held'] });
    const messageId = await h.publish('resend.held', { n: 1 });
    await r.waitForRequests(2);
    await h.appendMessage({
      type: 'message.resend_requested.v1',
      data: { message_id: messageId, endpoint_id: ep.endpointId, event_type: 'resend.held', event_type_version: null, payload: { n: 1 }, channels: [], published_at: new Date().toISOString() },
    });
    await waitFor(async () => (await h.parkedRows(ep.endpointId))[0]?.restart_as === 'resend', 10_000, 'resend noted on the held row');
    await new Promise((res) => setTimeout(res, 400));
    expect(r.requests).toHaveLength(2);

    release(); // the retry succeeds; the resend was asked for after it started, so it still goes
    const [, , resent] = await r.waitForRequests(3);
    expect(resent.headers['webhook-id']).toBe(messageId);
    expect(resent.headers['webhook-attempt']).toBe('1');
    expect(mostOpen()).toBe(1);
    const event = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((e) => e.data.trigger === 'resend'));
    expect(event.data).toMatchObject({ message_id: messageId, attempt: 1, succeeded: true });
    await waitFor(async () => (await h.parkedRows(ep.endpointId)).length === 0, 10_000, 'row removed after the resend');
    expect(r.requests).toHaveLength(3);
  });

  it('resend while the first attempt still runs on the fast path (no row yet): never alongside it, and it goes once that attempt ends', async () => {
    let release!: () => void;
    const released = new Promise<void>((res) => (release = res));
    let open = 0;
    let most = 0;
    const r = await startReceiver(async (req, res) => {
      open += 1;
      most = Math.max(most, open);
      if (req.headers['webhook-attempt'] === '1' && r.requests.length === 1) await released;
      open -= 1;
      res.writeHead(200).end();
    });
    receivers.push(r);
    const ep = await h.createEndpoint(r.url, { event_types: ['resend.first'] });
    const messageId = await h.publish('resend.first', { n: 1 });
    await r.waitForRequests(1); // the fast path's attempt, held by the receiver (the fast path parks it only after 1.5 s)
    const asked = Date.now();
    await h.appendMessage({
      type: 'message.resend_requested.v1',
      data: { message_id: messageId, endpoint_id: ep.endpointId, event_type: 'resend.first', event_type_version: null, payload: { n: 1 }, channels: [], published_at: new Date().toISOString() },
    });
    // The running attempt is handed over to the retry store (a row it holds), and the resend is noted on that row.
    await waitFor(async () => (await h.parkedRows(ep.endpointId))[0]?.restart_as === 'resend', 10_000, 'resend noted on the handed-over row');
    await new Promise((res) => setTimeout(res, 300)); // 6 retry-worker polls: a row made due now would go in one
    expect(Date.now() - asked).toBeLessThan(1500); // still before the fast path would have parked the attempt by itself
    expect(r.requests).toHaveLength(1);

    release(); // the first attempt succeeds; the resend was asked for while it ran, so it still goes
    const [, resent] = await r.waitForRequests(2);
    expect(resent.headers['webhook-id']).toBe(messageId);
    expect(resent.headers['webhook-attempt']).toBe('1');
    expect(most).toBe(1);
    const event = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((e) => e.data.trigger === 'resend'));
    expect(event.data).toMatchObject({ message_id: messageId, attempt: 1, succeeded: true });
    await waitFor(async () => (await h.parkedRows(ep.endpointId)).length === 0, 10_000, 'row removed after the resend');
    expect(r.requests).toHaveLength(2);
  });
});
