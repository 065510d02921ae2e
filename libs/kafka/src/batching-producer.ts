import { CompressionTypes, ICustomPartitioner, Kafka, Message, Partitioners, Producer, RecordMetadata } from 'kafkajs';
import { kafkaErrorTypes } from './kafka-error-types';
import { keyPartition } from './murmur2';
import { MicroBatcher } from './micro-batcher';

/** One record to append: `key` decides the partition (and so the ordering scope). */
export interface OutgoingEvent {
  topic: string;
  key: string;
  value: Buffer | string;
  headers?: Record<string, string>;
}

/** Where Kafka put a record. Offsets are strings: they are 64-bit and outgrow a JS number. */
export interface AppendResult {
  topic: string;
  partition: number;
  offset: string;
}

export interface BatchingProducerOptions {
  /** How long the first append of a batch waits for others (default 2 ms). */
  lingerMs?: number;
  /** Wait only while appends come closer together than `lingerMs` (see MicroBatchLimits.lingerWhenBusy). */
  lingerWhenBusy?: boolean;
  /** Most records in one sendBatch (default 500). */
  maxBatch?: number;
  /**
   * Most payload bytes in one sendBatch (default 512 KiB). Kafka rejects a partition's record batch above the
   * broker's message.max.bytes (1 MiB by default), so a batch is cut well before that.
   */
  maxBatchBytes?: number;
  compression?: CompressionTypes;
  /** Called with the records of every batch Kafka acknowledged (e.g. to count events appended by type). */
  onAcknowledged?: (events: readonly OutgoingEvent[]) => void;
}

const DEFAULTS = { lingerMs: 2, maxBatch: 500, maxBatchBytes: 512 * 1024 };

/**
 * Answers after which an idempotent producer can never send again under its producer id: the broker no longer has (or
 * never had) the sequence numbers it expects, e.g. after a broker crash lost the tail of its log, or a fenced epoch.
 * kafkajs does not start over with a new id by itself, so every later append would fail the same way.
 */
const LOST_PRODUCER_STATE = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);

/** Whether an append failed because the producer's idempotence state is gone (see LOST_PRODUCER_STATE). */
export function lostProducerState(err: unknown): boolean {
  for (const type of kafkaErrorTypes(err)) if (LOST_PRODUCER_STATE.has(type)) return true;
  return false;
}

// kafkajs would retry an idempotent producer forever; a bound (about a minute of backoff, see createKafka) lets an
// append fail while the caller is still waiting for it. Its records may still have landed: callers dedupe by event id.
const APPEND_RETRIES = 8;

function approximateSize(e: OutgoingEvent): number {
  let size = Buffer.byteLength(e.key) + (typeof e.value === 'string' ? Buffer.byteLength(e.value) : e.value.length);
  for (const [name, value] of Object.entries(e.headers ?? {})) size += name.length + Buffer.byteLength(value);
  return size;
}

/**
 * The Java client's default partitioning (murmur2 of the key; see murmur2.ts), noting which partition each message
 * went to: the produce response only gives one base offset per partition, and a record's own offset is that base plus
 * its rank among the batch's records for the same partition. A record without a key (none of ours) or with a partition
 * of its own is left to kafkajs' DefaultPartitioner.
 */
export function recordingPartitioner(assigned: WeakMap<Message, number>): ICustomPartitioner {
  return () => {
    const fallback = Partitioners.DefaultPartitioner();
    return (args) => {
      const { message, partitionMetadata } = args;
      const chosen = message.key != null && message.partition == null ? keyPartition(message.key, partitionMetadata.length) : fallback(args);
      assigned.set(message, chosen);
      return chosen;
    };
  };
}

/**
 * An idempotent producer (acks=all) that turns concurrent appends into few sendBatch calls; see index.ts.
 */
export class BatchingProducer {
  private producer: Producer;
  /** Whether `producer` is connected: a producer made to replace one whose state was lost connects on first use. */
  private connected = false;
  private connecting: Promise<void> | null = null;
  private readonly batcher: MicroBatcher<OutgoingEvent, AppendResult>;
  private readonly assigned = new WeakMap<Message, number>();
  private readonly compression: CompressionTypes | undefined;
  private readonly onAcknowledged: ((events: readonly OutgoingEvent[]) => void) | undefined;
  private closing = false;

  constructor(private readonly kafka: Kafka, opts: BatchingProducerOptions = {}) {
    this.compression = opts.compression;
    this.onAcknowledged = opts.onAcknowledged;
    this.producer = this.newProducer();
    this.batcher = new MicroBatcher(
      (events) => this.send(events),
      {
        lingerMs: opts.lingerMs ?? DEFAULTS.lingerMs,
        lingerWhenBusy: opts.lingerWhenBusy,
        maxBatch: opts.maxBatch ?? DEFAULTS.maxBatch,
        maxBytes: opts.maxBatchBytes ?? DEFAULTS.maxBatchBytes,
      },
      approximateSize,
    );
  }

  async connect(): Promise<void> {
    await this.ensureConnected();
  }

  append(e: OutgoingEvent): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new Error(`BatchingProducer is disconnecting; cannot append to ${e.topic}`));
    return this.batcher.add(e);
  }

  appendMany(es: OutgoingEvent[]): Promise<AppendResult[]> {
    return Promise.all(es.map((e) => this.append(e)));
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    try {
      await this.batcher.flush();
    } finally {
      await this.producer.disconnect();
    }
  }

  private async send(events: OutgoingEvent[]): Promise<AppendResult[]> {
    const messages = events.map((e): Message => ({ key: e.key, value: e.value, headers: e.headers }));
    const byTopic = new Map<string, Message[]>();
    events.forEach((e, i) => {
      const list = byTopic.get(e.topic) ?? [];
      list.push(messages[i]);
      byTopic.set(e.topic, list);
    });

    await this.ensureConnected();
    let metadata: RecordMetadata[];
    try {
      metadata = await this.producer.sendBatch({
        acks: -1,
        compression: this.compression,
        topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })),
      });
    } catch (err) {
      // This batch fails (its callers retry; what of it landed is deduped by event id), the next goes out under a new
      // producer id instead of failing forever.
      if (lostProducerState(err)) await this.renewProducer();
      throw err;
    }
    const results = this.offsetsOf(events, messages, metadata);
    try {
      this.onAcknowledged?.(events);
    } catch {
      // An observer's failure must not turn an acknowledged append into a failed one.
    }
    return results;
  }

  private newProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      // One request in flight per broker keeps retries from reordering records; sends are serialized anyway.
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: APPEND_RETRIES },
      createPartitioner: recordingPartitioner(this.assigned),
    });
  }

  private ensureConnected(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.producer.connect().then(
      () => {
        this.connected = true;
        this.connecting = null;
      },
      (err: unknown) => {
        this.connecting = null;
        throw err;
      },
    );
    return this.connecting;
  }

  /** Drops a producer whose idempotence state the broker lost for a new one (a new producer id on its first send). */
  private async renewProducer(): Promise<void> {
    const stale = this.producer;
    this.producer = this.newProducer();
    this.connected = false;
    this.connecting = null;
    await stale.disconnect().catch(() => undefined);
  }

  private offsetsOf(events: OutgoingEvent[], messages: Message[], metadata: RecordMetadata[]): AppendResult[] {
    const base = new Map<string, bigint>();
    for (const m of metadata) {
      if (m.baseOffset === undefined) throw new Error(`Kafka returned no base offset for ${m.topicName}/${m.partition}`);
      base.set(`${m.topicName}\u0000${m.partition}`, BigInt(m.baseOffset));
    }
    // kafkajs keeps the given message order within each partition, so ranks follow the order of `events`.
    const rank = new Map<string, bigint>();
    return events.map((e, i) => {
      const partition = this.assigned.get(messages[i]);
      if (partition === undefined) throw new Error(`kafkajs did not partition a record for ${e.topic}`);
      const slot = `${e.topic}\u0000${partition}`;
      const start = base.get(slot);
      if (start === undefined) throw new Error(`Kafka acknowledged no records for ${e.topic}/${partition}`);
      const n = rank.get(slot) ?? 0n;
      rank.set(slot, n + 1n);
      return { topic: e.topic, partition, offset: (start + n).toString() };
    });
  }
}
