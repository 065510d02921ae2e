// Starts a real broker of its own (spare ports, temp data dir, cached jars), uses it, stops it, and checks that
// nothing of it is left running. Slow by nature: the JVM start alone takes several seconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@hookline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafka, portInUse } from './kafka';

/** PIDs of processes whose command line mentions `needle` (Linux /proc). */
function processesMentioning(needle: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('deploy/local ensureKafka (starts its own broker)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-kafka-it-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_TOPIC_PREFIX: 'it-', KAFKA_PARTITIONS: '2' };
  delete env.KAFKA_BROKERS;
  let kafka: Awaited<ReturnType<typeof ensureKafka>> | undefined;
  let port: number;

  afterAll(async () => {
    await kafka?.stop(); // no-op if the test already stopped it; never leave a broker behind on failure
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('starts a broker with the topics, serves produce/consume, is reused while up, and stop() leaves no java behind', async () => {
    port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();

    kafka = await ensureKafka({ log: () => {}, env, port, controllerPort, dataDir });
    expect(kafka.started).toBe(true);
    expect(kafka.brokers).toEqual([`127.0.0.1:${port}`]);
    expect(fs.readFileSync(path.join(dataDir, 'kafka.pid'), 'utf8').trim()).toBe(String(kafka.pid));

    const client = new Kafka({ clientId: 'deploy-local-it', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    const { topics } = await admin.fetchTopicMetadata({
      topics: ['it-hookline.config.v1', 'it-hookline.messages.v1', 'it-hookline.deliveries.v1'],
    });
    await admin.disconnect();
    expect(Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))).toEqual({
      'it-hookline.config.v1': 3,
      'it-hookline.messages.v1': 2,
      'it-hookline.deliveries.v1': 2,
    });

    const producer = client.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: 'it-hookline.messages.v1', acks: -1, messages: [{ key: 'tnt_1', value: 'hello' }] });
    await producer.disconnect();

    const consumer = client.consumer({ groupId: 'deploy-local-it' });
    await consumer.connect();
    await consumer.subscribe({ topics: ['it-hookline.messages.v1'], fromBeginning: true });
    const received = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message consumed within 30 s')), 30_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(message.value!.toString());
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(received).toBe('hello');

    const again = await ensureKafka({ log: () => {}, env, port, controllerPort, dataDir });
    expect(again.started).toBe(false);
    // The id npm start binds its database to: the same cluster whether this call started it or found it running.
    expect(kafka.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(again.clusterId).toBe(kafka.clusterId);

    await kafka.stop();
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'kafka.pid'))).toBe(false);
    expect(await portInUse('127.0.0.1', port)).toBe(false);
  }, 240_000);
});
