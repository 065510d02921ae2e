import { createHash } from 'node:crypto';
import { ConsumedBatch, consumerLag, runBatchConsumer } from '@hookline/kafka';
import type { Logger, Metrics } from '@hookline/observability';
import { PeriodicJob } from '@hookline/service-kit';
import type { IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { PublishMessageHandler } from '../commands/publish-message/publish-message.handler';
import type { KafkaSource } from './kafka-sources';
import { sourceRecordsCounter } from './source-metrics';
import { finalRefusal, publishFromSource } from './publish-from-source';
import { lowerCaseHeaders, readSourceRecord } from './source-record';

export interface KafkaSourcesDeps {
  /** The Kafka client for a source: Hookline's own cluster, or one for the source's brokers. */
  kafkaFor(source: KafkaSource): Kafka;
  publisher: Pick<PublishMessageHandler, 'execute'>;
  topicPrefix: string;
  metrics: Metrics;
  log: Logger;
  /** How often each source's consumer lag is measured for /metrics (default 10 s). */
  lagIntervalMs?: number;
}

/**
 * Consumes every configured source (KAFKA_SOURCES) and publishes each record as a message of the source's tenant,
 * through the same rules as POST /messages (event type, JSON Schema, size). A record's idempotency key is its source,
 * partition, offset and a digest of its value, so a batch read again after a crash publishes nothing twice (for
 * IDEMPOTENCY_TTL_HOURS), while a recreated topic's new records at old offsets still go. Records with one key are
 * published in order (FIFO endpoints keep the source's per-key order); different keys go concurrently. The group's
 * offset moves only past records published or rejected.
 */
export async function startKafkaSources(sources: KafkaSource[], deps: KafkaSourcesDeps): Promise<{ stop(): Promise<void> }> {
  const records = sourceRecordsCounter(deps.metrics);
  // The name every Hookline consumer shares, so one alert rule on falling behind covers sources too.
  const lagGauge = deps.metrics.gauge('kafka_consumer_lag', 'Records a consumer group has not committed yet, per topic partition', ['group', 'topic', 'partition']);
  const consumers: Array<{ stop(): Promise<void> }> = [];
  const producers: Producer[] = [];
  const lags: Array<() => Promise<void>> = [];
  const lagJob = new PeriodicJob(async () => void (await Promise.all(lags.map((measure) => measure()))), deps.lagIntervalMs ?? 10_000);
  lagJob.start();
  const stop = async () => {
    await lagJob.stop();
    await Promise.all(consumers.map((c) => c.stop()));
    await Promise.all(producers.map((p) => p.disconnect()));
  };
  try {
    for (const source of sources) await startSource(source);
  } catch (err) {
    await stop().catch(() => undefined); // the sources started before the one that failed
    throw err;
  }
  return { stop };

  async function startSource(source: KafkaSource): Promise<void> {
    const kafka = deps.kafkaFor(source);
    const groupId = `${deps.topicPrefix}hookline-source-${source.name}`;
    const rejects = source.rejects_topic ? await rejectsProducer(kafka, source.rejects_topic, source.name) : null;
    if (rejects) producers.push(rejects);
    const ingest = async (batch: ConsumedBatch, record: KafkaMessage): Promise<void> => {
      const reject = async (reason: string, detail: string) => {
        records.inc({ source: source.name, outcome: 'rejected' });
        deps.log.warn({ source: source.name, partition: batch.partition, offset: record.offset, reason, detail }, 'source record rejected');
        // Acknowledged before the offset moves past the record: a crash before then rejects it again (at least once).
        if (rejects) await rejects.send({ topic: source.rejects_topic!, acks: -1, messages: [rejectedRecord(batch, record, reason, detail)] });
      };
      const read = readSourceRecord(source, record);
      if (!read.ok) return reject(read.reason, read.detail);
      const headers = lowerCaseHeaders(record.headers);
      const digest = createHash('sha256').update(record.value ?? Buffer.alloc(0)).digest('base64url').slice(0, 22);
      try {
        await publishFromSource(deps.publisher, {
          tenantId: source.tenant_id, callerId: `source:${source.name}`, headers, publish: read.publish,
          idempotencyKey: `kafka-source:${source.name}:${batch.partition}:${record.offset}:${digest}`,
        });
        records.inc({ source: source.name, outcome: 'published' });
      } catch (err) {
        // A refusal another try would not change rejects the record and the source moves on; anything else (Kafka or
        // Postgres unavailable) fails the batch, which is read again from the last commit.
        const refusal = finalRefusal(err);
        if (!refusal) throw err;
        await reject(refusal.reason, refusal.detail);
      }
    };
    const consumer = await runBatchConsumer(kafka, {
      groupId,
      topics: [source.topic],
      fromBeginning: source.from_beginning,
      handleBatch: async (batch, ctx) => {
        const byKey = new Map<string, KafkaMessage[]>();
        for (const record of batch.messages) {
          const key = record.key?.toString('base64') ?? '';
          const line = byKey.get(key);
          if (line) line.push(record);
          else byKey.set(key, [record]);
        }
        await Promise.all([...byKey.values()].map(async (line) => {
          for (const record of line) {
            await ingest(batch, record);
            await ctx.heartbeat();
          }
        }));
        return batch.messages[batch.messages.length - 1].offset;
      },
    });
    consumers.push(consumer);
    lags.push(async () => {
      try {
        for (const p of await consumerLag(kafka, groupId, [source.topic])) lagGauge.set({ group: groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
      } catch {
        // The source's cluster is unreachable: the gauge keeps its last values until it answers again.
      }
    });
    deps.log.info({ source: source.name, topic: source.topic, tenant_id: source.tenant_id }, 'consuming Kafka source');
  }
}

/** The producer of a source's rejects topic; a topic that does not exist stops the start (nothing rejected would land). */
async function rejectsProducer(kafka: Kafka, topic: string, source: string): Promise<Producer> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.fetchTopicMetadata({ topics: [topic] });
  } catch (err) {
    throw new Error(`KAFKA_SOURCES: the rejects topic ${topic} of source ${source} cannot be used (${(err as Error).message}); create it first`);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

/** The record as it came, with headers saying why it was rejected and where it was read. */
function rejectedRecord(batch: ConsumedBatch, record: KafkaMessage, reason: string, detail: string) {
  const headers: IHeaders = {
    ...(record.headers ?? {}),
    'hookline-rejected-reason': reason,
    'hookline-rejected-detail': detail.slice(0, 2000),
    'hookline-source-topic': batch.topic,
    'hookline-source-partition': String(batch.partition),
    'hookline-source-offset': record.offset,
  };
  return { key: record.key, value: record.value, headers, timestamp: record.timestamp };
}
