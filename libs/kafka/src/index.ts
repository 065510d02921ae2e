/**
 * @hookline/kafka — Hookline's only way onto the Kafka log: settings from the environment, topic provisioning,
 * the micro-batching idempotent producer for the append path, hand-committed batch consumers, and consumer lag.
 */

/** Broker list, client id and topic prefix of one process; see kafkaSettingsFromEnv. */
export type { KafkaSettings } from './kafka-settings';
/**
 * Reads KAFKA_BROKERS (comma-separated host:port, default 127.0.0.1:9092) and KAFKA_TOPIC_PREFIX (default '');
 * `clientId` names the service in broker logs. Throws on a malformed broker entry.
 */
export { kafkaSettingsFromEnv } from './kafka-settings';

/** The pino-shaped sink kafkajs' own log lines are routed to. */
export type { KafkaLogger } from './create-kafka';
/**
 * A kafkajs client for the settings: log level WARN routed to `logger` (default: JSON lines on stderr), 3 s connect
 * timeout, about a minute of exponential-backoff retries per operation, TCP_NODELAY, and kafkajs' request-queue timers
 * tamed: the pending-request check armed only while requests wait (kafkajs 2.2.4 otherwise wakes the process every
 * millisecond per connection) and the request-timeout sweep every second rather than every 100 ms.
 */
export { createKafka } from './create-kafka';

/**
 * Creates the topics of `specs` (TopicSpec from @hookline/contracts) that do not exist yet, with their partitions and
 * retention.ms (-1 = forever), replicated as `TopicReplication` says (by default as the cluster's
 * default.replication.factor). Idempotent and safe to run from several instances at once; existing topics are not changed.
 */
export { ensureTopics, clusterReplicationFactor, topicReplication } from './topics-admin';
export type { TopicReplication } from './topics-admin';
/** Deletes the named topics that exist (unknown names are ignored); meant for test cleanup. */
export { deleteTopics } from './topics-admin';
/** The kafkajs createTopics entries for topic specs (what ensureTopics sends), for tools that create topics themselves. */
export { topicConfigs } from './topics-admin';

/** A record to append: topic, partition key, value and optional string headers (e.g. W3C trace context). */
export type { OutgoingEvent } from './batching-producer';
/** Partition and offset Kafka acknowledged for one appended record. */
export type { AppendResult } from './batching-producer';
/** Tuning of BatchingProducer: linger, records and bytes per sendBatch, compression. */
export type { BatchingProducerOptions } from './batching-producer';
/**
 * Micro-batching producer: concurrent append() calls made within a short window (lingerMs, default 2 ms, or until
 * maxBatch records / maxBatchBytes) are sent with ONE producer.sendBatch() (idempotent producer, acks=-1, one request
 * in flight). Each append resolves only after Kafka acknowledged its record, with its own partition and offset; a
 * failed send rejects every append in it. Sends are serialized, so appends made in order land in that order per
 * partition; whatever arrives during a send goes out in the next one. Partitions are the Java client's (murmur2 of the
 * key, computed as kafkajs' DefaultPartitioner does but without its BigInt arithmetic), so keys map to the same
 * partitions as with Java clients and kafkajs.
 * disconnect() sends what is pending first.
 */
export { BatchingProducer } from './batching-producer';

/** A consumer's durable offsets committed once per interval and at stop, for idempotent (or externally positioned) consumers. */
export { DeferredOffsetCommits } from './deferred-offset-commits';
/** Groups concurrent calls into batches for one async send at a time; the engine under BatchingProducer. */
export { MicroBatcher } from './micro-batcher';
/** Linger time, item count and byte limits of a MicroBatcher. */
export type { MicroBatchLimits } from './micro-batcher';

/** What runBatchConsumer needs: group, topics, start position, the batch handler and fetch tuning. */
export type { BatchConsumerOptions } from './batch-consumer';
/** One partition's fetched messages, in offset order, as handed to handleBatch. */
export type { ConsumedBatch } from './batch-consumer';
/** heartbeat / isRunning / isStale, for long batch handlers. */
export type { BatchContext } from './batch-consumer';
/**
 * Runs a consumer group with eachBatch, autoCommit and auto-resolve off. When handleBatch returns offset X, X is
 * resolved and X+1 committed, so the group only moves past work whose effects are durable; the rest of the batch is
 * fetched again. A throwing handler commits nothing: kafkajs retries, then restarts the consumer from the last commit.
 * stop() stops the consumer, then disconnects it.
 */
export { runBatchConsumer } from './batch-consumer';

/** Lag of a consumer group on one partition: committed offset, high watermark and the difference. */
export type { PartitionLag } from './consumer-lag';
/**
 * Per-partition lag of `groupId` on `topics` (committed offset vs high watermark). Partitions the group has not
 * committed on report committed '-1' and count from the low watermark.
 */
export { consumerLag } from './consumer-lag';
/** Waits (bounded) until the cluster answers; the one clear start-up error when it doesn't. */
export { waitForKafka } from './wait-for-kafka';
