import { Kafka } from 'kafkajs';
import { Envelope, OPERATIONAL_EVENT_TYPES, encodeEvent, encodePosition, topicNames, topicSpecs } from '@hookline/contracts';
import { AppendResult, BatchingProducer, createKafka, deleteTopics, ensureTopics } from '@hookline/kafka';
import { createLogger } from '@hookline/observability';
import { TestDatabase, createTestDatabase, freePort, testBrokers, testTopicPrefix } from '@hookline/testing';
import { QueryConfig, loadQueryConfig } from '../config/query-config';
import { RunningQueryService, startQueryService } from '../query-service';
import { keyOf } from './event-fixtures';

export const ADMIN_KEY = 'hk_admin_integration_test_key';


const OPERATIONAL_TYPES: readonly string[] = OPERATIONAL_EVENT_TYPES;

/** The topic an event goes to, as the command service and dispatcher publish them. */
export function topicOf(event: Envelope, prefix: string): string {
  const names = topicNames(prefix);
  if (event.type.startsWith('message.') || event.type === 'endpoint.recovery_requested.v1') return names.messages;
  if (OPERATIONAL_TYPES.includes(event.type)) return names.operational;
  if (event.type.startsWith('delivery.')) return names.deliveries;
  return names.config;
}

/** Real Kafka topics (unique prefix) and a fresh test database, with a producer; torn down by `close()`. */
export class TestStack {
  private constructor(readonly db: TestDatabase, readonly prefix: string, readonly kafka: Kafka, readonly producer: BatchingProducer) {}

  static async create(label: string): Promise<TestStack> {
    const db = await createTestDatabase(label);
    const prefix = testTopicPrefix(label);
    const kafka = createKafka({ brokers: testBrokers(), clientId: `test-${label}`, topicPrefix: prefix });
    await ensureTopics(kafka, topicSpecs({ prefix, partitions: 3 }));
    const producer = new BatchingProducer(kafka);
    await producer.connect();
    return new TestStack(db, prefix, kafka, producer);
  }

  get topics(): string[] {
    return Object.values(topicNames(this.prefix));
  }

  async config(overrides: Record<string, string> = {}): Promise<QueryConfig> {
    return loadQueryConfig({ DATABASE_URL: this.db.url, KAFKA_BROKERS: testBrokers().join(','), KAFKA_TOPIC_PREFIX: this.prefix,
      ADMIN_API_KEY: ADMIN_KEY, PORT: String(await freePort()), GRPC_PORT: String(await freePort()), PROJECTOR_GROUP_ID: `${this.prefix}projector`,
      READ_WAIT_MAX_MS: '3000', LOG_LEVEL: 'warn', ...overrides });
  }

  async startService(overrides: Record<string, string> = {}): Promise<{ service: RunningQueryService; config: QueryConfig; baseUrl: string }> {
    const config = await this.config(overrides);
    const service = await startQueryService(config, createLogger({ service: 'query-service-test', level: 'warn' }));
    return { service, config, baseUrl: `http://127.0.0.1:${config.PORT}` };
  }

  /** Appends events to their topics (keyed like the real producers) and returns where each landed. */
  publish(events: Envelope[]): Promise<AppendResult[]> {
    return this.producer.appendMany(events.map((e) => ({ topic: topicOf(e, this.prefix), key: keyOf(e), value: encodeEvent(e) })));
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await deleteTopics(this.kafka, this.topics).catch(() => undefined);
    await this.db.drop();
  }
}

/** The position token of a set of appends: only the highest offset per partition matters. */
export function positionOf(appended: AppendResult[]): string {
  const highest = new Map<string, AppendResult>();
  for (const a of appended) {
    const k = `${a.topic}:${a.partition}`;
    const seen = highest.get(k);
    if (!seen || BigInt(a.offset) > BigInt(seen.offset)) highest.set(k, a);
  }
  return encodePosition([...highest.values()]);
}

/** GET with an API key; returns status, headers and parsed JSON body (untyped: tests assert its shape). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function getJson(baseUrl: string, path: string, key?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}
