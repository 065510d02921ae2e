import { AmqpPlainV1, MessageId } from '@hookline/contracts';
import { sealSecret } from '@hookline/signing';
import { AmqpTestScope, openAmqpTestScope, waitFor } from '@hookline/testing';
import type { GetMessage } from 'amqplib';
import { Webhook } from 'standardwebhooks';
import { DEV_KEY } from './support/config-events';
import { CountingListener, startCountingListener } from './support/counting-listener';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(90_000);

const headersOf = (m: GetMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(m.properties.headers ?? {}).map(([name, value]) => [name, String(value)]));

/**
 * Endpoints whose URL is an AMQP exchange: the dispatcher publishes each attempt as a message to the test RabbitMQ
 * (exchanges and queues are made for this run and deleted after it). Attempts: at once, then 0.2 s and 0.4 s later,
 * unless an endpoint has its own schedule.
 */
describe('AMQP destinations: amqp://host/vhost?exchange=… endpoints (real RabbitMQ, real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('amqp-destination');
  const dispatcherEnv = { RETRY_SCHEDULE_SECONDS: '0,0.2,0.4', DELIVERY_TIMEOUT_MS: '3000', CONNECT_TIMEOUT_MS: '1000' };
  let scope: AmqpTestScope;
  let broker: string;
  let fakeBroker: CountingListener | undefined;
  const received: GetMessage[] = [];

  const login = (password?: string): AmqpPlainV1 => {
    const url = new URL(scope.url);
    return { type: 'amqp_plain', username: decodeURIComponent(url.username), password_sealed: sealSecret(password ?? decodeURIComponent(url.password), DEV_KEY) };
  };
  /** What reached `queue` so far with this webhook-id (drained messages are kept, so one poll never hides another's). */
  const receivedIn = async (queue: string, messageId: MessageId) => {
    for (const m of await scope.drain(queue)) received.push(Object.assign(m, { queue }));
    return received.find((m) => (m as GetMessage & { queue: string }).queue === queue && m.properties.messageId === messageId);
  };

  beforeAll(async () => {
    [scope] = await Promise.all([openAmqpTestScope('amqp-destination'), h.setUp()]);
    const url = new URL(scope.url);
    broker = `${url.hostname}:${url.port || 5672}`;
    await h.startDispatcher(dispatcherEnv);
  });
  afterAll(async () => {
    await fakeBroker?.close();
    await scope?.close();
    await h.tearDown();
  });

  it('publishes each attempt to a topic exchange, routed by event type, with the webhook properties and headers, verifiable with standardwebhooks', async () => {
    const exchange = await scope.exchange('orders', 'topic');
    const queue = await scope.queue('orders-created');
    await scope.channel.bindQueue(queue, exchange, 'order.created');
    const url = `amqp://${broker}?exchange=${exchange}`;
    const ep = await h.createEndpoint(url, { auth: login(), event_types: ['order.created'], headers: { 'X-Team': 'billing', 'Webhook-Signature': 'forged' } });
    const messageId = await h.publish('order.created', { n: 1 });

    const got = await waitFor(() => receivedIn(queue, messageId), 20_000);
    const body = got.content.toString();
    expect(JSON.parse(body)).toEqual({ type: 'order.created', timestamp: expect.any(String), data: { n: 1 } });
    expect(got.fields).toMatchObject({ exchange, routingKey: 'order.created' });
    const headers = headersOf(got);
    expect(got.properties).toMatchObject({
      contentType: 'application/json', messageId, type: 'order.created', appId: 'hookline', deliveryMode: 2, timestamp: Number(headers['webhook-timestamp']),
    });
    // No traceparent: published without one and no tracing SDK runs here (amqp-message.spec.ts shows it carried).
    expect(headers).toEqual({
      'webhook-id': messageId, 'webhook-timestamp': expect.stringMatching(/^\d+$/), 'webhook-signature': expect.stringMatching(/^v1,/),
      'webhook-attempt': '1', 'content-type': 'application/json', 'hookline-tenant-id': h.tenantId, 'hookline-event-type': 'order.created',
      'x-team': 'billing',
    });
    expect(new Webhook(ep.secret).verify(body, headers)).toEqual(JSON.parse(body));

    // Succeeded on the broker's confirm: no HTTP response is made up, the URL is as given, the signature masked in the
    // log, and it says where the message went (routed by its event type: the URL has no routing_key).
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((a) => a.data.message_id === messageId), 20_000);
    expect(attempt.data).toMatchObject({
      succeeded: true, status: 'succeeded', response: null, error: null, url, amqp_publish: { exchange, routing_key: 'order.created' },
    });
    expect(attempt.data.request_headers).toMatchObject({ 'webhook-id': messageId, 'x-team': 'billing' });
    expect(attempt.data.request_headers['webhook-signature']).not.toBe(headers['webhook-signature']);
    expect(attempt.data.request_headers['user-agent']).toBeUndefined();
  });

  it("applies the endpoint's transformation, signed as sent, and routes by the URL's routing_key", async () => {
    const exchange = await scope.exchange('chat', 'direct');
    const queue = await scope.queue('chat');
    await scope.channel.bindQueue(queue, exchange, 'chat-messages');
    const ep = await h.createEndpoint(`amqp://${broker}/%2F?exchange=${exchange}&routing_key=chat-messages`, {
      auth: login(), transformation: '{ "text": "Order " & $string(data.n) & " created" }', event_types: ['order.transformed'],
    });
    const messageId = await h.publish('order.transformed', { n: 7 });
    const got = await waitFor(() => receivedIn(queue, messageId), 20_000);
    expect(got.content.toString()).toBe('{"text":"Order 7 created"}');
    expect(got.fields.routingKey).toBe('chat-messages');
    expect(new Webhook(ep.secret).verify(got.content.toString(), headersOf(got))).toEqual({ text: 'Order 7 created' });
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((a) => a.data.message_id === messageId), 20_000);
    expect(attempt.data.amqp_publish).toEqual({ exchange, routing_key: 'chat-messages' });
  });

  it('a message no queue takes fails the attempt (unroutable) and is retried; delivered once a queue is bound', async () => {
    const exchange = await scope.exchange('unrouted', 'topic');
    const ep = await h.createEndpoint(`amqp://${broker}?exchange=${exchange}`, { auth: login(), event_types: ['order.unrouted'], retry_schedule_seconds: [1, 1, 1, 1, 1] });
    const messageId = await h.publish('order.unrouted', { n: 'unrouted' });
    const first = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0], 20_000);
    expect(first.data).toMatchObject({
      succeeded: false, status: 'retrying', response: null,
      error: { class: 'unroutable', message: expect.stringContaining(`bind a queue to exchange ${exchange} for routing key order.unrouted`) },
    });

    const queue = await scope.queue('unrouted');
    await scope.channel.bindQueue(queue, exchange, '#');
    const got = await waitFor(() => receivedIn(queue, messageId), 30_000);
    expect(headersOf(got)['webhook-attempt']).not.toBe('1');
    const attempts = await waitFor(() => {
      const all = h.events('delivery.attempted.v1', ep.endpointId);
      return all.some((a) => a.data.succeeded) ? all : undefined;
    }, 20_000);
    expect(attempts.map((a) => a.data.error?.class ?? 'ok').slice(-1)).toEqual(['ok']);
    expect(attempts.slice(0, -1).every((a) => a.data.error?.class === 'unroutable')).toBe(true);
    // Only the attempt the broker confirmed and routed says where the message went.
    expect(attempts.map((a) => a.data.amqp_publish)).toEqual([...attempts.slice(0, -1).map(() => undefined), { exchange, routing_key: 'order.unrouted' }]);
    // Delivered once: every failed attempt's message went nowhere.
    expect(received.filter((m) => m.properties.messageId === messageId)).toHaveLength(1);
  });

  it('a wrong password and a missing exchange fail attempts with class broker_refused, naming why; then dead-lettered', async () => {
    const exchange = await scope.exchange('refusals', 'topic');
    const wrong = await h.createEndpoint(`amqp://${broker}?exchange=${exchange}`, { auth: login('not-the-password'), event_types: ['order.refused'] });
    const missing = await h.createEndpoint(`amqp://${broker}?exchange=${scope.name('no-such-exchange')}`, { auth: login(), event_types: ['order.refused'] });
    const messageId = await h.publish('order.refused', { n: 'refused' });
    for (const [ep, reason] of [[wrong, /login refused: 403 ACCESS_REFUSED/], [missing, /404 NOT_FOUND - no exchange/]] as const) {
      const dead = await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).find((e) => e.topicKey === 'deadLetters'), 30_000);
      expect(dead.data).toMatchObject({ message_id: messageId, attempts: 3, cause: 'exhausted', last_error: expect.stringMatching(/^broker_refused: /) });
      await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 3);
      const attempts = h.events('delivery.attempted.v1', ep.endpointId);
      expect(attempts.map((a) => a.data.error?.class)).toEqual(['broker_refused', 'broker_refused', 'broker_refused']);
      expect(attempts[0].data.error?.message).toMatch(reason);
    }
  });

  it('a private address and, without the loopback allowance, the test broker itself are refused as ssrf_refused and never connected to', async () => {
    const privateEp = await h.createEndpoint('amqp://10.0.0.1?exchange=x', { auth: login(), event_types: ['order.ssrf'], retry_schedule_seconds: [] });
    await h.publish('order.ssrf', { n: 'private' });
    const refused = await waitFor(() => h.events('delivery.attempted.v1', privateEp.endpointId)[0], 20_000);
    expect(refused.data).toMatchObject({ succeeded: false, error: { class: 'ssrf_refused', message: expect.stringMatching(/refused to connect to 10\.0\.0\.1/) } });
    // Refused before any socket: nowhere near the connect timeout.
    expect(refused.data.latency_ms).toBeLessThan(500);

    await h.stopDispatcher();
    await h.startDispatcher({ ...dispatcherEnv, SSRF_ALLOW_CIDRS: '' });
    fakeBroker = await startCountingListener();
    const { port } = fakeBroker;
    const byAddress = await h.createEndpoint(`amqp://127.0.0.1:${port}?exchange=x`, { auth: login(), event_types: ['order.loopback'], retry_schedule_seconds: [0.2] });
    const byName = await h.createEndpoint(`amqp://localhost:${port}?exchange=x`, { auth: login(), event_types: ['order.loopback'], retry_schedule_seconds: [0.2] });
    const realBroker = await h.createEndpoint(`amqp://${broker}?exchange=amq.topic`, { auth: login(), event_types: ['order.loopback'], retry_schedule_seconds: [0.2] });
    await h.publish('order.loopback', { n: 'loopback' });
    for (const ep of [byAddress, byName, realBroker]) {
      await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).length > 0, 30_000);
      await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 2);
      const attempts = h.events('delivery.attempted.v1', ep.endpointId);
      expect(attempts.map((a) => a.data.error?.class)).toEqual(['ssrf_refused', 'ssrf_refused']);
      expect(attempts[0].data.error?.message).toMatch(/refused to connect to .*loopback/);
    }
    expect(fakeBroker.connections()).toBe(0);
  });
});
