import { Admin, Kafka } from 'kafkajs';
import { ReadModels } from '../database/read-models';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Last offset applied to the active read models ('-1': none). */
  projected: string;
  /** Offset of the next record Kafka will write. */
  high: string;
  lag: number;
}

/**
 * Lag of the projection per partition: high watermark vs the offset stored WITH the read models. The consumer group's
 * commit is only advisory here, so the stored offset is the truth about what queries can see.
 */
export class ProjectionLag {
  private admin: Admin | null = null;

  constructor(private readonly kafka: Kafka, private readonly models: ReadModels, private readonly topics: string[],
    private readonly consumerName: string) {}

  async measure(): Promise<PartitionLag[]> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const stored: Array<{ topic: string; partition: number; offset: string }> = await this.models.read((em) =>
      em.query('SELECT topic, partition, "offset" FROM projection_offsets WHERE consumer = $1', [this.consumerName]));
    const byKey = new Map(stored.map((s) => [`${s.topic}:${s.partition}`, s.offset] as const));
    const result: PartitionLag[] = [];
    for (const topic of this.topics) {
      for (const w of await admin.fetchTopicOffsets(topic)) {
        const projected = byKey.get(`${topic}:${w.partition}`) ?? '-1';
        const next = projected === '-1' ? BigInt(w.low) : BigInt(projected) + 1n;
        const lag = BigInt(w.high) - next;
        result.push({ topic, partition: w.partition, projected, high: w.high, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
    return result.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
    this.admin = null;
  }
}
