import { KafkaSaslMechanism, KafkaSaslV1, MessageId } from '@hookline/contracts';
import { sealSecret } from '@hookline/signing';
import { SaslKafkaBroker, startSaslKafkaBroker, waitFor } from '@hookline/testing';
import { Consumer, IHeaders, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { DEV_KEY } from './support/config-events';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(120_000);

const headersOf = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));

// Hookline's user on the customer's cluster, and the customer's own consumer.
const HOOKLINE = { username: 'hookline', password: 'hookline-sasl-s3cret' };
const READER = { username: 'reader', password: 'reader-sasl-s3cret' };
const WRONG_PASSWORD = 'not-the-sasl-password';

/**
 * Endpoints whose Kafka destination asks for SASL: a broker of this file's own (the shared one has no SASL listener)
 * with a SASL_PLAINTEXT listener, PLAIN and SCRAM users; the dispatcher and its topics run on the shared broker as
 * always. Attempts: at once, then 0.2 s and 0.4 s later.
 */
describe('Kafka destinations with SASL (PLAIN, SCRAM) on a SASL broker of their own (real Kafka, real Postgres)', () => {
  const h = new DispatcherHarness('kafka-sasl-destination');
  const topic = `${h.prefix}sasl-destination`;
  const logLines: string[] = [];
  const records: KafkaMessage[] = [];
  let broker: SaslKafkaBroker;
  let reader: Consumer;

  const sasl = (mechanism: KafkaSaslMechanism, password = HOOKLINE.password): KafkaSaslV1 => ({
    type: 'kafka_sasl', mechanism, username: HOOKLINE.username, password_sealed: sealSecret(password, DEV_KEY),
  });
  const url = () => `kafka://${broker.saslBrokers[0]}/${topic}`;
  const recordOf = (messageId: MessageId) => records.find((r) => headersOf(r.headers)['webhook-id'] === messageId);

  beforeAll(async () => {
    [broker] = await Promise.all([startSaslKafkaBroker({ users: [HOOKLINE, READER] }), h.setUp()]);
    const admin = new Kafka({ clientId: 'test-sasl-admin', brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    // The customer's consumer authenticates too, over the SASL listener.
    const customer = new Kafka({ clientId: 'test-sasl-reader', brokers: broker.saslBrokers, sasl: { mechanism: 'scram-sha-512', ...READER }, logLevel: logLevel.NOTHING });
    reader = customer.consumer({ groupId: `${h.prefix}sasl-reader`, sessionTimeout: 6000, heartbeatInterval: 500 });
    await reader.connect();
    await reader.subscribe({ topics: [topic], fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void records.push(message) });
    // debug: every line the dispatcher writes is looked through for the password below.
    await h.startDispatcher({ RETRY_SCHEDULE_SECONDS: '0,0.2,0.4', DELIVERY_TIMEOUT_MS: '5000', CONNECT_TIMEOUT_MS: '2000', LOG_LEVEL: 'debug' }, logLines);
  });
  afterAll(async () => {
    await reader?.disconnect().catch(() => undefined);
    await h.tearDown();
    await broker?.stop();
  });

  it('PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 endpoints get their records, which a SASL-authenticated consumer reads and standardwebhooks verifies', async () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      const eventType = `order.${mechanism}`;
      const ep = await h.createEndpoint(url(), { auth: sasl(mechanism), event_types: [eventType] });
      const messageId = await h.publish(eventType, { mechanism });
      const record = await waitFor(() => recordOf(messageId), 30_000, `the record of the ${mechanism} endpoint`);
      const value = record.value!.toString();
      expect(new Webhook(ep.secret).verify(value, headersOf(record.headers))).toEqual({ type: eventType, timestamp: expect.any(String), data: { mechanism } });
      const attempt = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0], 20_000);
      expect(attempt.data).toMatchObject({ succeeded: true, error: null, response: null, kafka_record: { topic, offset: record.offset } });
    }
  });

  it('a wrong password fails attempts with class broker_refused, saying SASL authentication failed, retried then dead-lettered; the right one delivers again', async () => {
    const ep = await h.createEndpoint(url(), { auth: sasl('scram-sha-256', WRONG_PASSWORD), event_types: ['order.wrong'] });
    const refused = await h.publish('order.wrong', { n: 1 });
    const dead = await waitFor(() => h.events('delivery.dead_lettered.v1', ep.endpointId).find((e) => e.topicKey === 'deadLetters'), 30_000);
    expect(dead.data).toMatchObject({ message_id: refused, attempts: 3, cause: 'exhausted', last_error: expect.stringMatching(/^broker_refused: .*SASL authentication failed/) });
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= 3);
    const attempts = h.events('delivery.attempted.v1', ep.endpointId);
    expect(attempts.map((a) => [a.data.trigger, a.data.status, a.data.error?.class])).toEqual([
      ['initial', 'retrying', 'broker_refused'], ['retry', 'retrying', 'broker_refused'], ['retry', 'dead_lettered', 'broker_refused'],
    ]);
    expect(attempts[0].data.error?.message).toMatch(new RegExp(`^Kafka topic ${topic} at 127\\.0\\.0\\.1:\\d+: SASL authentication failed \\(SCRAM SHA256\\): `));
    expect(recordOf(refused)).toBeUndefined();

    // The customer gives the right password: a producer of its own (new credentials), and the next message arrives.
    await h.appendConfig({ type: 'endpoint.updated.v1', data: { endpoint_id: ep.endpointId, auth: sasl('scram-sha-256') } });
    const record = await waitFor(async () => {
      const messageId = await h.publish('order.wrong', { n: 'fixed' });
      return waitFor(() => recordOf(messageId), 3000).catch(() => undefined);
    }, 30_000, 'a record once the password was fixed', 200);
    expect(new Webhook(ep.secret).verify(record.value!.toString(), headersOf(record.headers))).toMatchObject({ data: { n: 'fixed' } });
  });

  it('neither the password nor a wrong one appears in what the dispatcher appends or logs', async () => {
    expect(logLines.length).toBeGreaterThan(0);
    const appended = JSON.stringify(h.published);
    for (const secret of [HOOKLINE.password, WRONG_PASSWORD]) {
      expect([secret, appended.includes(secret)]).toEqual([secret, false]);
      expect([secret, logLines.some((line) => line.includes(secret))]).toEqual([secret, false]);
    }
  });
});
