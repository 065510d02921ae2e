import { createKafka, deleteTopics } from '@hookline/kafka';
import { KafkaDestination, createAddressPolicy, createGuardedSocketFactory, parseKafkaUrl } from '@hookline/net-guard';
import { createTestPki, freePort, testBrokers, testTopicPrefix } from '@hookline/testing';
import { X509Certificate } from 'node:crypto';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import { AddressInfo, createServer } from 'node:net';
import { classifyKafkaError } from './kafka-attempt-error';
import { KafkaProducers } from './kafka-producers';

jest.setTimeout(60_000);

const record = (n: number) => ({ key: `k${n}`, value: Buffer.from(`{"n":${n}}`), headers: { 'webhook-id': `msg_${n}` } });

describe('Kafka destination producers: one per cluster, reused, closed when idle and at shutdown (real Kafka)', () => {
  const topic = `${testTopicPrefix('kafka-producers')}destination`;
  const kafka = createKafka({ brokers: testBrokers(), clientId: 'test-kafka-producers', topicPrefix: '' });
  const [host, port] = testBrokers()[0].split(':');
  const destination = (brokers: string): KafkaDestination => {
    const parsed = parseKafkaUrl(`kafka://${brokers}/${topic}`);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    return parsed.destination;
  };
  let sockets = 0;
  const guarded = createGuardedSocketFactory({ policy: createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }) });
  const producers = new KafkaProducers({
    socketFactory: (args) => {
      sockets += 1;
      return guarded(args);
    },
    clientId: 'hookline-test', connectTimeoutMs: 1000, idleMs: 60_000, open: (sealed) => sealed,
  });

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });
  afterAll(async () => {
    await producers.destroy();
    await deleteTopics(kafka, [topic]);
  });

  it('sends every record of one cluster through one producer, connected once; another broker list is another cluster', async () => {
    const first = await producers.send(destination(`${host}:${port}`), {}, record(1), 5000);
    const socketsAfterFirst = sockets;
    const rest = await Promise.all([2, 3, 4].map((n) => producers.send(destination(`${host}:${port}`), {}, record(n), 5000)));
    expect(producers.size).toBe(1);
    expect(sockets).toBe(socketsAfterFirst);
    // Sent concurrently, so in any order: four records, one after the other.
    expect([first, ...rest].map((r) => Number(r.baseOffset)).sort((a, b) => a - b)).toEqual([0, 1, 2, 3].map((i) => Number(first.baseOffset) + i));
    await producers.send(destination(`localhost:${port}`), {}, record(5), 5000);
    expect(producers.size).toBe(2);
  });

  it('disconnects producers left idle, and connects anew when one is needed again', async () => {
    producers.closeIdle(Date.now() + 60_000);
    expect(producers.size).toBe(0);
    const before = sockets;
    await producers.send(destination(`${host}:${port}`), {}, record(6), 5000);
    expect(sockets).toBeGreaterThan(before);
    expect(producers.size).toBe(1);
  });

  it('takes a producer whose cluster cannot be reached out of the pool, and gives up at the deadline', async () => {
    const closed = destination(`127.0.0.1:${await freePort()}`);
    await expect(producers.send(closed, {}, record(7), 5000)).rejects.toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded' });
    expect(producers.size).toBe(1);
    // A "broker" that takes the connection and never answers: the attempt ends at its deadline, classed timeout.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const error = await producers.send(destination(`127.0.0.1:${(silent.address() as AddressInfo).port}`), {}, record(8), 300).catch((e: unknown) => e);
      expect(classifyKafkaError(error, 'here').class).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  // No TLS broker here: a TLS server stands in for one, to see what the producer's handshake offers and checks.
  it('kafka+tls:// verifies the broker against the trusted CAs and presents the client certificate; an untrusted broker is a tls failure', async () => {
    const pki = createTestPki();
    const client = pki.client('acme-hookline');
    const presented: string[] = [];
    const broker = createTlsServer({ ...pki.server('127.0.0.1'), ca: pki.ca, requestCert: true, rejectUnauthorized: true }, (socket: TLSSocket) => {
      presented.push(String((socket.getPeerCertificate() as { subject?: { CN?: string } }).subject?.CN));
    });
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    const tls = parseKafkaUrl(`kafka+tls://127.0.0.1:${(broker.address() as AddressInfo).port}/${topic}`);
    if (!tls.ok) throw new Error(tls.errors.join('; '));
    const certificate = { cert_pem: client.cert, key_sealed: client.key, fingerprint_sha256: new X509Certificate(client.cert).fingerprint256, not_after: '2099-01-01T00:00:00.000Z' };
    const trusting = new KafkaProducers({ socketFactory: guarded, clientId: 'hookline-test', connectTimeoutMs: 1000, idleMs: 60_000, open: (sealed) => sealed, ca: [pki.ca] });
    try {
      // The stand-in never answers Kafka's first request: the handshake is what is looked at.
      await trusting.send(tls.destination, { certificate }, record(9), 500).catch(() => undefined);
      expect(presented[0]).toBe('acme-hookline');
      const error = await producers.send(tls.destination, {}, record(10), 2000).catch((e: unknown) => e);
      expect(classifyKafkaError(error, 'here')).toMatchObject({ class: 'tls', message: expect.stringMatching(/^TLS with Kafka broker 127\.0\.0\.1:\d+ failed: /) });
    } finally {
      await trusting.destroy();
      broker.close();
    }
  });

  it('holds at most maxProducers: the idlest one makes room, and while every one is busy the attempt fails (connect)', async () => {
    const capped = new KafkaProducers({ socketFactory: guarded, clientId: 'hookline-test', connectTimeoutMs: 1000, idleMs: 60_000, maxProducers: 1, open: (sealed) => sealed });
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      await capped.send(destination(`${host}:${port}`), {}, record(11), 5000);
      // The same cluster by another name: another producer, for which the first one is disconnected.
      await capped.send(destination(`localhost:${port}`), {}, record(12), 5000);
      expect(capped.size).toBe(1);
      // A producer still connecting (to a "broker" that never answers) is busy: no room for another one.
      const stuck = capped.send(destination(`127.0.0.1:${(silent.address() as AddressInfo).port}`), {}, record(13), 300).catch((e: unknown) => e);
      const error = await capped.send(destination(`${host}:${port}`), {}, record(14), 5000).catch((e: unknown) => e);
      expect(classifyKafkaError(error, 'here')).toMatchObject({ class: 'connect', message: expect.stringContaining('KAFKA_DESTINATION_MAX_PRODUCERS') });
      expect(classifyKafkaError(await stuck, 'here').class).toBe('timeout');
    } finally {
      await capped.destroy();
      silent.close();
    }
  });

  it('disconnects every producer at shutdown', async () => {
    await producers.destroy();
    expect(producers.size).toBe(0);
  });
});
