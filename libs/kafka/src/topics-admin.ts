import { Kafka, ITopicConfig } from 'kafkajs';
import type { TopicSpec } from '@hookline/contracts';

async function withAdmin<T>(kafka: Kafka, fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** createTopics entries for specs; retention -1 means "keep forever" to Kafka as well. */
export function topicConfigs(specs: TopicSpec[], replicationFactor = 1): ITopicConfig[] {
  return specs.map((spec) => ({
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor,
    configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
  }));
}

// Existing topics are left exactly as they are: changing the partition count would move keys to other partitions
// and break per-key ordering, so that is an operator's decision, never a side effect of a service starting.
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], replicationFactor = 1): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const missing = topicConfigs(specs, replicationFactor).filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (err) {
      // Another instance starting at the same time may have created some of them in between; that is success.
      const now = new Set(await admin.listTopics());
      if (!missing.every((t) => now.has(t.topic))) throw err;
    }
  });
}

export async function deleteTopics(kafka: Kafka, names: string[]): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const present = names.filter((name) => existing.has(name));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  });
}
