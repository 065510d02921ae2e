import { TenantId, TopicKey, newId, topicNames, topicSpecs } from '@hookline/contracts';
import { BatchingProducer, createKafka, deleteTopics, ensureTopics } from '@hookline/kafka';
import { TestDatabase, TestReceiver, createTestDatabase, testBrokers, testTopicPrefix } from '@hookline/testing';
import { Kafka } from 'kafkajs';
import { DispatcherProcess } from './dispatcher-process';

/** What a describe block of dispatcher-process tests works with; `db` and `producer` are there once its beforeAll ran. */
export interface ProcessSuite {
  readonly prefix: string;
  readonly topics: Record<TopicKey, string>;
  readonly kafka: Kafka;
  readonly tenantId: TenantId;
  /** Receivers the tests start: closed after the block. */
  readonly receivers: TestReceiver[];
  db: TestDatabase;
  producer: BatchingProducer;
  /** A dispatcher process on the block's topics and database (not started yet), `env` over those; killed after the block. */
  dispatcher(env: Record<string, string>): DispatcherProcess;
}

/**
 * For tests of the dispatcher as a separate process: per-run topics with `partitions` each, a fresh database and a
 * producer, set up before the block's tests and removed after them with every dispatcher and receiver they started.
 */
export function processSuite(name: string, { partitions, maxBatch }: { partitions: number; maxBatch?: number }): ProcessSuite {
  const prefix = testTopicPrefix(name);
  const kafka = createKafka({ brokers: testBrokers(), clientId: `test-${name}`, topicPrefix: prefix });
  const started: DispatcherProcess[] = [];
  const suite: ProcessSuite = {
    prefix,
    topics: topicNames(prefix),
    kafka,
    tenantId: newId('tenant') as TenantId,
    receivers: [],
    db: undefined as unknown as TestDatabase,
    producer: undefined as unknown as BatchingProducer,
    dispatcher(env) {
      const dispatcher = new DispatcherProcess({
        HOOKLINE_DEV: 'true', SSRF_ALLOW_CIDRS: '127.0.0.1/32', DATABASE_URL: suite.db.url, KAFKA_BROKERS: testBrokers().join(','),
        KAFKA_TOPIC_PREFIX: prefix, CONSUMER_GROUP_ID: `${prefix}dispatcher`, PORT: String(20000 + Math.floor(Math.random() * 20000)),
        ...env,
      }, `/tmp/${prefix}dispatcher.log`);
      started.push(dispatcher);
      return dispatcher;
    },
  };

  beforeAll(async () => {
    suite.db = await createTestDatabase(name);
    await ensureTopics(kafka, topicSpecs({ prefix, partitions }));
    suite.producer = new BatchingProducer(kafka, maxBatch === undefined ? {} : { maxBatch });
    await suite.producer.connect();
  });
  afterAll(async () => {
    await Promise.all(started.map((d) => d.kill().catch(() => undefined)));
    await suite.producer?.disconnect();
    await Promise.all(suite.receivers.map((r) => r.close()));
    await deleteTopics(kafka, Object.values(suite.topics));
    await suite.db?.drop();
  });
  return suite;
}
