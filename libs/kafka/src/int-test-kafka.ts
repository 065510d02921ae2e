// Shared by this lib's *.int.spec.ts files (not exported): a client for the broker named by KAFKA_BROKERS, a topic
// prefix unique to the test file so parallel runs never share topics, and cleanup of what the file created.
import { randomBytes } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';
import type { TopicSpec } from '@hookline/contracts';
import { createKafka } from './create-kafka';
import { kafkaSettingsFromEnv } from './kafka-settings';
import { deleteTopics, ensureTopics } from './topics-admin';

export interface IntTestKafka {
  kafka: Kafka;
  prefix: string;
  /** Creates a test topic named prefix+name and remembers it for cleanup. */
  topic(name: string, partitions: number): Promise<string>;
  /** A consumer group id unique to this test file. */
  groupId(name: string): string;
  cleanup(): Promise<void>;
}

export function intTestKafka(label: string): IntTestKafka {
  const prefix = `test-${label}-${randomBytes(4).toString('hex')}-`;
  const kafka = createKafka(kafkaSettingsFromEnv(process.env, `hookline-test-${label}`));
  const created: string[] = [];
  return {
    kafka,
    prefix,
    async topic(name, partitions) {
      const spec: TopicSpec = {
        key: 'messages',
        name: `${prefix}${name}`,
        partitions,
        keyedBy: 'test key',
        retentionMs: 60 * 60 * 1000,
        description: `int test topic of ${label}`,
      };
      await ensureTopics(kafka, [spec]);
      created.push(spec.name);
      return spec.name;
    },
    groupId: (name) => `${prefix}${name}`,
    cleanup: () => deleteTopics(kafka, created),
  };
}

/** Reads `count` messages of `topic` from the beginning with a throwaway group (plain eachMessage, auto-commit). */
export async function readMessages(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<Array<KafkaMessage & { partition: number }>> {
  const consumer = kafka.consumer({ groupId: `${topic}-reader-${randomBytes(4).toString('hex')}` });
  const seen: Array<KafkaMessage & { partition: number }> = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${seen.length} of ${count} messages from ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            seen.push({ ...message, partition });
            if (seen.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}
