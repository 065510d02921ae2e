import { Kafka } from 'kafkajs';

/** How far a consumer group is behind on one partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the group will read; '-1' when it has committed nothing on this partition. */
  committed: string;
  /** The partition's high watermark (offset of the next record to be written). */
  high: string;
  /** Records between the group's position and the high watermark. */
  lag: number;
}

export async function consumerLag(kafka: Kafka, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics });
    const result: PartitionLag[] = [];
    for (const topic of topics) {
      const watermarks = await admin.fetchTopicOffsets(topic);
      const groupOffsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const w of [...watermarks].sort((a, b) => a.partition - b.partition)) {
        const offset = groupOffsets.find((p) => p.partition === w.partition)?.offset ?? '-1';
        // A group that has committed nothing may have all that is retained still ahead of it (fromBeginning): count from
        // the low watermark, the upper bound, rather than report a lag of 0 that hides a stuck consumer.
        const position = BigInt(offset) >= 0n ? BigInt(offset) : BigInt(w.low);
        const lag = BigInt(w.high) - position;
        result.push({ topic, partition: w.partition, committed: offset, high: w.high, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
    return result;
  } finally {
    await admin.disconnect();
  }
}
