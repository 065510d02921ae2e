import { ConfigResourceTypes, Kafka, ITopicConfig } from 'kafkajs';
import type { TopicSpec } from '@hookline/contracts';
import { kafkaErrorTypes } from './kafka-error-types';

async function withAdmin<T>(kafka: Kafka, fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** How the topics a service creates are replicated. */
export interface TopicReplication {
  /** Copies of each partition; absent: the cluster's own `default.replication.factor`. */
  replicationFactor?: number;
  /** Copies that must have a record before an acks=all write is acknowledged; absent: the cluster's default. */
  minInsyncReplicas?: number;
}

/**
 * The replication a service's KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS ask for (0: the cluster's default).
 * Throws when more copies must be in sync than there are: every acks=all write would be refused.
 */
export function topicReplication(config: { KAFKA_REPLICATION_FACTOR: number; KAFKA_MIN_INSYNC_REPLICAS: number }): TopicReplication {
  const { KAFKA_REPLICATION_FACTOR: factor, KAFKA_MIN_INSYNC_REPLICAS: inSync } = config;
  if (factor > 0 && inSync > factor) {
    throw new Error(`KAFKA_MIN_INSYNC_REPLICAS (${inSync}) is more than KAFKA_REPLICATION_FACTOR (${factor}): no write could ever be acknowledged`);
  }
  return { ...(factor > 0 ? { replicationFactor: factor } : {}), ...(inSync > 0 ? { minInsyncReplicas: inSync } : {}) };
}

/** createTopics entries for specs; retention -1 means "keep forever" to Kafka as well. */
export function topicConfigs(specs: TopicSpec[], replicationFactor = 1, minInsyncReplicas?: number): ITopicConfig[] {
  return specs.map((spec) => ({
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor,
    configEntries: [
      { name: 'retention.ms', value: String(spec.retentionMs) },
      ...(minInsyncReplicas ? [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }] : []),
    ],
  }));
}

/**
 * The replication factor the cluster gives topics created without one: its brokers' `default.replication.factor`
 * (read from the controller). kafkajs speaks a CreateTopics version older than the "-1: the broker's default" of
 * KIP-464, so the value is asked for and sent. A cluster that will not say (an ACL on broker configs): as many copies
 * as there are brokers, up to 3.
 */
export async function clusterReplicationFactor(admin: ReturnType<Kafka['admin']>): Promise<number> {
  const { brokers, controller } = await admin.describeCluster();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(controller ?? brokers[0].nodeId), configNames: ['default.replication.factor'] }],
    });
    const value = Number(resources[0]?.configEntries.find((e) => e.configName === 'default.replication.factor')?.configValue);
    if (Number.isInteger(value) && value > 0) return value;
  } catch {
    // not allowed to read broker configs: fall through
  }
  return Math.min(3, brokers.length);
}

// Existing topics are left exactly as they are: changing the partition count would move keys to other partitions
// and break per-key ordering, so that is an operator's decision, never a side effect of a service starting. (Their
// replication too: reassigning replicas is kafka-reassign-partitions' job.)
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], replication: TopicReplication = {}): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const absent = specs.filter((s) => !existing.has(s.name));
    if (absent.length === 0) return;
    const factor = replication.replicationFactor ?? (await clusterReplicationFactor(admin));
    const missing = topicConfigs(absent, factor, replication.minInsyncReplicas);
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (err) {
      // Another instance starting at the same time may have created some of them in between; that is success. And on a
      // KRaft cluster a topic just created can be unknown to the broker's metadata for a moment, which kafkajs' wait for
      // leaders does not retry (it waits out LEADER_NOT_AVAILABLE only): then the topics show up shortly.
      const waitMs = isMetadataLag(err) ? METADATA_LAG_WAIT_MS : 0;
      if (!(await topicsAppear(admin, missing.map((t) => t.topic), waitMs))) {
        const { brokers } = await admin.describeCluster().catch(() => ({ brokers: [] as unknown[] }));
        throw new Error(`could not create the topics ${missing.map((t) => t.topic).join(', ')} with replication factor ${factor}`
          + `${replication.minInsyncReplicas ? ` and min.insync.replicas ${replication.minInsyncReplicas}` : ''} on a cluster of `
          + `${brokers.length} broker${brokers.length === 1 ? '' : 's'} (KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS): ${(err as Error).message}`);
      }
    }
  });
}

const METADATA_LAG_WAIT_MS = 15_000;
const METADATA_LAG_ERRORS = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** An error of kafkajs (or one it wraps) saying the broker's metadata lags behind its controller. */
export function isMetadataLag(err: unknown): boolean {
  if ((err as { name?: string } | null)?.name === 'KafkaJSTimeout') return true;
  return [...kafkaErrorTypes(err)].some((type) => METADATA_LAG_ERRORS.has(type));
}

/** Whether every named topic is listed, looking again every 200 ms for up to `waitMs`. */
async function topicsAppear(admin: ReturnType<Kafka['admin']>, names: string[], waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const now = new Set(await admin.listTopics());
    if (names.every((name) => now.has(name))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function deleteTopics(kafka: Kafka, names: string[]): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = names.filter((name) => existing.has(name));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  });
}
