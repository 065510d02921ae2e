import {
  DeliveryEvent, EndpointId, EndpointSettingsV1, EventOf, HooklineEvent, MessageId, OperationalEvent, TenantId, TopicKey,
  decodeEvent, messageKey, newId, topicNames, topicSpecs,
} from '@hookline/contracts';
import { BatchingProducer, OutgoingEvent, createKafka, deleteTopics, ensureTopics } from '@hookline/kafka';
import { Metrics, createLogger, createMetrics } from '@hookline/observability';
import { TestDatabase, createTestDatabase, testBrokers, testTopicPrefix, waitFor } from '@hookline/testing';
import { Consumer, Kafka } from 'kafkajs';
import { Client } from 'pg';
import { DispatcherRuntime, startDispatcher } from '../../src/app/dispatcher-runtime';
import { loadDispatcherConfig } from '../../src/config';
import { endpointCreated, record } from './config-events';

export type Published = EventOf<DeliveryEvent | OperationalEvent> & { topicKey: TopicKey; key: string };

/** Env for a fast, compressed-schedule dispatcher in tests. */
export const FAST_ENV: Record<string, string> = {
  HOOKLINE_DEV: 'true', SSRF_ALLOW_CIDRS: '127.0.0.1/32', RETRY_SCHEDULE_SECONDS: '0,0.2,0.4', RETRY_JITTER: '0',
  MIN_DELAY_AFTER_THROTTLE_SECONDS: '0.5', DELIVERY_TIMEOUT_MS: '2000', RETRY_POLL_INTERVAL_MS: '50', PARK_AFTER_MS: '1500',
  PARKED_RECHECK_MS: '100', COMMIT_INTERVAL_MS: '50', KAFKA_SESSION_TIMEOUT_MS: '6000', LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '5000',
};

/**
 * One test file's world: a fresh database, per-run topics, producers for config and messages, a collector of what the
 * dispatcher appends, and the dispatcher itself running in-process against real Kafka and Postgres.
 */
export class DispatcherHarness {
  readonly tenantId = newId('tenant') as TenantId;
  readonly published: Published[] = [];
  readonly topics: Record<TopicKey, string>;
  readonly kafka: Kafka;
  db!: TestDatabase;
  pg!: Client;
  runtime: DispatcherRuntime | null = null;
  /** The running dispatcher's metrics (what its /metrics would show). */
  metrics: Metrics | null = null;
  env: Record<string, string> = {};
  private readonly peers: DispatcherRuntime[] = [];
  private producer!: BatchingProducer;
  private collector!: Consumer;

  constructor(private readonly label: string, readonly prefix = testTopicPrefix(label)) {
    this.topics = topicNames(prefix);
    this.kafka = createKafka({ brokers: testBrokers(), clientId: `test-${label}`, topicPrefix: prefix });
  }

  async setUp(): Promise<void> {
    this.db = await createTestDatabase(this.label);
    await ensureTopics(this.kafka, topicSpecs({ prefix: this.prefix, partitions: 3 }));
    this.producer = new BatchingProducer(this.kafka);
    await this.producer.connect();
    this.collector = this.kafka.consumer({ groupId: `${this.prefix}collector`, sessionTimeout: 6000, heartbeatInterval: 500 });
    await this.collector.connect();
    await this.collector.subscribe({ topics: [this.topics.deliveries, this.topics.operational, this.topics.deadLetters], fromBeginning: true });
    const keyOf: Record<string, TopicKey> = { [this.topics.deliveries]: 'deliveries', [this.topics.operational]: 'operational', [this.topics.deadLetters]: 'deadLetters' };
    await this.collector.run({
      eachMessage: async ({ topic, message }) => {
        const event = decodeEvent(message.value) as Published;
        this.published.push({ ...event, topicKey: keyOf[topic], key: message.key?.toString() ?? '' });
      },
    });
    this.pg = new Client({ connectionString: this.db.url });
    await this.pg.connect();
  }

  env_(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...FAST_ENV, DATABASE_URL: this.db.url, KAFKA_BROKERS: testBrokers().join(','), KAFKA_TOPIC_PREFIX: this.prefix,
      CONSUMER_GROUP_ID: `${this.prefix}dispatcher`, ...overrides };
  }

  /** `logLines`: where the dispatcher's log lines go (one JSON line each) instead of stdout, for tests that read them. */
  async startDispatcher(overrides: Record<string, string> = {}, logLines?: string[]): Promise<DispatcherRuntime> {
    this.env = this.env_(overrides);
    const { runtime, metrics } = await launch(this.env, 'dispatcher-test', logLines);
    [this.runtime, this.metrics] = [runtime, metrics];
    return runtime;
  }

  async stopDispatcher(): Promise<void> {
    await this.runtime?.stop();
    this.runtime = null;
  }

  /** Another dispatcher instance in the same consumer group and retry store (scale-out), stopped at tear-down. */
  async startPeer(instanceId: string, overrides: Record<string, string> = {}): Promise<{ runtime: DispatcherRuntime; metrics: Metrics }> {
    const peer = await launch({ ...this.env_(overrides), INSTANCE_ID: instanceId }, `dispatcher-test-${instanceId}`);
    this.peers.push(peer.runtime);
    return peer;
  }

  /** Resolves once the dispatcher group has `count` members and is stable, so each owns some partitions. */
  async groupMembers(count: number, timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await waitFor(async () => {
        const { groups } = await admin.describeGroups([`${this.prefix}dispatcher`]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === count;
      }, timeoutMs, `dispatcher group with ${count} members`, 200);
    } finally {
      await admin.disconnect();
    }
  }

  async createEndpoint(url: string, settings: Partial<EndpointSettingsV1> = {}, status: 'enabled' | 'disabled' = 'enabled') {
    const created = endpointCreated(url, settings, status);
    await this.appendConfig(created.event);
    return created;
  }

  /** The dispatcher's /metrics text after a scrape-time refresh (at most one per 5 s; an earlier scrape reuses the last). */
  async scrape(): Promise<string> {
    await this.runtime!.refreshMetrics();
    return this.metrics!.registry.metrics();
  }

  producerAppend(event: OutgoingEvent): Promise<unknown> {
    return this.producer.append(event);
  }

  appendConfig(event: HooklineEvent): Promise<unknown> {
    return this.producer.append(record(this.topics.config, this.tenantId, this.tenantId, event));
  }

  /** Publishes a message straight to the messages topic (as the command-service does) and returns its id. */
  async publish(eventType: string, payload: unknown, channels: string[] = [], orderingKey: string | null = null): Promise<MessageId> {
    const messageId = newId('message') as MessageId;
    await this.appendMessage({
      type: 'message.published.v1',
      data: { message_id: messageId, event_type: eventType, event_type_version: null, payload, channels, idempotency_key: null, ordering_key: orderingKey },
    }, messageKey(this.tenantId, orderingKey));
    return messageId;
  }

  /** Appends to the messages topic keyed like the command service: by tenant, or by the message's ordering key. */
  appendMessage(event: HooklineEvent, key: string = this.tenantId): Promise<unknown> {
    return this.producer.append(record(this.topics.messages, key, this.tenantId, event));
  }

  events<T extends Published['type']>(type: T, endpointId?: EndpointId): Array<Extract<Published, { type: T }>> {
    return this.published.filter((e) => e.type === type && (!endpointId || (e.data as { endpoint_id?: string }).endpoint_id === endpointId)) as never;
  }

  async parkedRows(endpointId?: EndpointId): Promise<Array<Record<string, unknown>>> {
    const { rows } = await this.pg.query(
      `SELECT * FROM dispatcher.parked_deliveries ${endpointId ? 'WHERE endpoint_id = $1' : ''} ORDER BY created_at`,
      endpointId ? [endpointId] : [],
    );
    return rows;
  }

  /** The committed offsets of the dispatcher's group on the messages topic, summed over partitions. */
  async committedMessages(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [topic] = await admin.fetchOffsets({ groupId: `${this.prefix}dispatcher`, topics: [this.topics.messages] });
      return topic.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.peers.map((peer) => peer.stop().catch(() => undefined)));
    await this.stopDispatcher().catch(() => undefined);
    await this.collector?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.pg?.end().catch(() => undefined);
    await deleteTopics(this.kafka, Object.values(this.topics)).catch(() => undefined);
    await this.db?.drop();
  }
}

/** A dispatcher in this process with `env` (logging into `logLines` when given), and the metrics its /metrics would show. */
async function launch(env: Record<string, string>, service: string, logLines?: string[]): Promise<{ runtime: DispatcherRuntime; metrics: Metrics }> {
  const metrics = createMetrics({ service: 'dispatcher', defaultMetrics: false });
  const destination = logLines ? { write: (line: string) => void logLines.push(line) } : undefined;
  const runtime = await startDispatcher(loadDispatcherConfig(env), createLogger({ service, level: env.LOG_LEVEL, destination }), metrics);
  return { runtime, metrics };
}
