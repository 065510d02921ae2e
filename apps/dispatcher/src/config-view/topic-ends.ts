import { Kafka } from 'kafkajs';

/** The end (high watermark) of one partition, as read by a single ListOffsets request. */
export interface PartitionEnd {
  partition: number;
  high: bigint;
}

// The parts of kafkajs' (internal) Cluster used here; kafkajs' admin is built on the same object.
interface ClusterLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }>;
  fetchTopicsOffset(
    topics: Array<{ topic: string; fromBeginning: boolean; partitions: Array<{ partition: number }> }>,
  ): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
}

type CreateCluster = (opts: { allowAutoTopicCreation: boolean; metadataMaxAge: number }) => ClusterLike;

// kafkajs' own default for clients. The private factory has none: left out, metadata expires at once and every
// freshness check cost a Metadata request before its ListOffsets. A moved leader still refreshes it (see highs()).
const METADATA_MAX_AGE_MS = 300_000;

/**
 * Reads a topic's high watermarks with one ListOffsets request per leader. kafkajs' `admin.fetchTopicOffsets` always
 * reads the low watermarks too, in a second, sequential request; the config view needs a freshness check per consumed
 * batch and the low ones only for partitions it holds no position in, so that doubled the round trips (and the broker
 * work) on the delivery path. kafkajs exposes no high-only call: this uses the cluster object its admin is made of,
 * found by its symbol; null when this kafkajs has none (then callers use the admin).
 */
export class TopicEnds {
  private connected: Promise<void> | null = null;

  private constructor(private readonly cluster: ClusterLike, private readonly topic: string) {}

  static create(kafka: Kafka, topic: string): TopicEnds | null {
    const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
    const createCluster = symbol ? ((kafka as unknown as Record<symbol, unknown>)[symbol] as CreateCluster | undefined) : undefined;
    if (typeof createCluster !== 'function') return null;
    const cluster = createCluster({ allowAutoTopicCreation: false, metadataMaxAge: METADATA_MAX_AGE_MS });
    const needed: Array<keyof ClusterLike> = ['connect', 'disconnect', 'addTargetTopic', 'refreshMetadata', 'refreshMetadataIfNecessary',
      'findTopicPartitionMetadata', 'fetchTopicsOffset'];
    if (!needed.every((name) => typeof (cluster as unknown as Record<string, unknown>)[name] === 'function')) return null;
    return new TopicEnds(cluster, topic);
  }

  async highs(): Promise<PartitionEnd[]> {
    this.connected ??= this.cluster.connect().catch((err) => {
      this.connected = null;
      throw err;
    });
    await this.connected;
    try {
      await this.cluster.addTargetTopic(this.topic);
      await this.cluster.refreshMetadataIfNecessary();
      const partitions = this.cluster.findTopicPartitionMetadata(this.topic).map((p) => ({ partition: p.partitionId }));
      const [result] = await this.cluster.fetchTopicsOffset([{ topic: this.topic, fromBeginning: false, partitions }]);
      return (result?.partitions ?? []).map((p) => ({ partition: p.partition, high: BigInt(p.offset) }));
    } catch (err) {
      // A moved leader or a changed topic: fresh metadata for the next try (the sync loop retries).
      await this.cluster.refreshMetadata().catch(() => undefined);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    await this.cluster.disconnect().catch(() => undefined);
  }
}
