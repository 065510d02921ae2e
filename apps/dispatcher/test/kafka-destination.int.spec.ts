import { MessageId } from '@hookline/contracts';
import { freePort, testBrokers, waitFor } from '@hookline/testing';
import { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { CountingListener, startCountingListener } from './support/counting-listener';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(90_000);

const headersOf = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

/**
 * Endpoints whose URL is a Kafka topic: the dispatcher produces each attempt as a record to the topic, on the tests' own
 * broker (the destination topic is made and removed here). Attempts: at once, then 0.2 s and 0.4 s later.
 */
describe('Kafka destinations: kafka://host:port/topic endpoints (real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('kafka-destination');
  const topic = `${h.prefix}destination`;
  const broker = testBrokers()[0];
  const dispatcherEnv = { RETRY_SCHEDULE_SECONDS: '0,0.2,0.4', DELIVERY_TIMEOUT_MS: '3000', CONNECT_TIMEOUT_MS: '1000' };
  const records: KafkaMessage[] = [];
  let reader: Consumer;
  let fakeBroker: CountingListener | undefined;

  beforeAll(async () => {
    await h.setUp();
    const admin = h.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    reader = h.kafka.consumer({ groupId: `${h.prefix}destination-reader`, sessionTimeout: 6000, heartbeatInterval: 500 });
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void records.push(message) });
    await h.startDispatcher(dispatcherEnv);
  });
  afterAll(async () => {
    await reader?.disconnect().catch(() => undefined);
    await fakeBroker?.close();
    const admin = h.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await h.tearDown();
  });

  const recordOf = (messageId: MessageId) => records.find((r) => headersOf(r.headers)['webhook-id'] === messageId);

  it('produces one record per attempt: the webhook body as value, its headers, keyed by ordering key or message id, verifiable with standardwebhooks', async () => {
    const ep = await h.createEndpoint(`kafka://${broker}/${topic}`, { headers: { 'X-Team': 'billing' } });
    const plain = await h.publish('order.created', { n: 1 });
    const ordered = await h.publish('order.created', { n: 2 }, [], 'customer-42');

    const first = await waitFor(() => recordOf(plain), 20_000);
    const second = await waitFor(() => recordOf(ordered), 20_000);
    expect(first.key?.toString()).toBe(plain);
    expect(second.key?.toString()).toBe('customer-42');
    const value = first.value!.toString();
    expect(JSON.parse(value)).toEqual({ type: 'order.created', timestamp: expect.any(String), data: { n: 1 } });
    const headers = headersOf(first.headers);
    // No traceparent: these messages were published without one and no tracing SDK runs here (kafka-record.spec.ts shows it carried).
    expect(headers).toEqual({
      'webhook-id': plain, 'webhook-timestamp': expect.stringMatching(/^\d+$/), 'webhook-signature': expect.stringMatching(/^v1,/),
      'webhook-attempt': '1', 'content-type': 'application/json', 'hookline-tenant-id': h.tenantId, 'hookline-event-type': 'order.created',
      'x-team': 'billing',
    });
    expect(new Webhook(ep.secret).verify(value, headers)).toEqual(JSON.parse(value));
    expect(new Webhook(ep.secret).verify(second.value!.toString(), headersOf(second.headers))).toEqual(JSON.parse(second.value!.toString()));

    // The attempt succeeded on the broker's acknowledgement: no HTTP response is made up, and it says where the record went.
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((a) => a.data.message_id === plain), 20_000);
    expect(attempt.data).toMatchObject({
      succeeded: true, status: 'succeeded', response: null, error: null, url: `kafka://${broker}/${topic}`,
      kafka_record: { topic, partition: expect.any(Number), offset: first.offset },
    });
    expect(attempt.data.request_headers).toMatchObject({ 'webhook-id': plain, 'x-team': 'billing' });
    expect(attempt.data.request_headers['user-agent']).toBeUndefined();

    // A resend (as the command service asks for one) goes to the topic too, under the ordering key the message had.
    const resends = records.length;
    await h.appendMessage({
      type: 'message.resend_requested.v1',
      data: { message_id: ordered, endpoint_id: ep.endpointId, event_type: 'order.created', event_type_version: null, payload: { n: 2 }, channels: [],
        published_at: new Date().toISOString(), ordering_key: 'customer-42' },
    }, `${h.tenantId}:customer-42`);
    const resent = await waitFor(() => records.slice(resends).find((r) => headersOf(r.headers)['webhook-id'] === ordered), 20_000);
    expect(resent.key?.toString()).toBe('customer-42');
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).some((a) => a.data.trigger === 'resend' && a.data.succeeded));
  });

  it('an unreachable broker fails attempts (class connect), retried on the schedule and then dead-lettered', async () => {
    const closedPort = await freePort();
    const ep = await h.createEndpoint(`kafka://127.0.0.1:${closedPort}/${topic}`);
    const messageId = await h.publish('order.created', { n: 'unreachable' });
    const dead = await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).find((e) => e.topicKey === 'deadLetters'), 30_000);
    expect(dead.data).toMatchObject({ message_id: messageId, attempts: 3, cause: 'exhausted', last_error: expect.stringMatching(new RegExp(`^connect: could not connect to Kafka broker 127\\.0\\.0\\.1:${closedPort}`)) });
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 3);
    const attempts = h.events('delivery.attempted.v1', ep.endpointId);
    expect(attempts.map((a) => [a.data.trigger, a.data.status, a.data.error?.class, a.data.response])).toEqual([
      ['initial', 'retrying', 'connect', null], ['retry', 'retrying', 'connect', null], ['retry', 'dead_lettered', 'connect', null],
    ]);
    // On the compressed schedule: 0.2 s and 0.4 s apart (no jitter), plus the retry worker's polling.
    const gaps = attempts.slice(1).map((a, i) => Date.parse(a.data.started_at) - Date.parse(attempts[i].data.started_at));
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    expect(gaps[1]).toBeGreaterThanOrEqual(350);
    expect(attempts.every((a) => a.data.kafka_record === undefined)).toBe(true);
  });

  it("a topic the cluster does not have fails the attempt with class broker_refused, naming Kafka's error", async () => {
    const ep = await h.createEndpoint(`kafka://${broker}/${h.prefix}no-such-topic`, { retry_schedule_seconds: [] });
    await h.publish('order.created', { n: 'no topic' });
    const attempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0], 30_000);
    expect(attempt.data).toMatchObject({ succeeded: false, response: null, error: { class: 'broker_refused', message: expect.stringContaining('UNKNOWN_TOPIC_OR_PARTITION') } });
  });

  it('without the loopback allowance, a broker on 127.0.0.1 is refused as ssrf_refused and never connected to', async () => {
    await h.stopDispatcher();
    await h.startDispatcher({ ...dispatcherEnv, SSRF_ALLOW_CIDRS: '' });
    fakeBroker = await startCountingListener();
    const { port } = fakeBroker;
    // An IP literal (judged before any socket exists) and a name (refused once resolved, through the socket's lookup).
    const byAddress = await h.createEndpoint(`kafka://127.0.0.1:${port}/${topic}`, { retry_schedule_seconds: [0.2] });
    const byName = await h.createEndpoint(`kafka://localhost:${port}/${topic}`, { retry_schedule_seconds: [0.2] });
    await h.publish('order.created', { n: 'ssrf' });
    for (const ep of [byAddress, byName]) {
      await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).length > 0, 30_000);
      await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 2);
      const attempts = h.events('delivery.attempted.v1', ep.endpointId);
      expect(attempts.map((a) => a.data.error?.class)).toEqual(['ssrf_refused', 'ssrf_refused']);
      expect(attempts[0].data.error?.message).toMatch(/refused to connect to .*loopback/);
    }
    expect(fakeBroker.connections()).toBe(0);
  });
});
