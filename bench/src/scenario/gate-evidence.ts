import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { decodeEvent } from '@hookline/contracts';
import { deliveryKey } from '../gate/integrity-gate';
import { sleep, wallMs } from '../measure/clock';

export interface DispatcherEvidence {
  committedOffsets: Map<number, bigint>;
  parked: string[];
  deadRows: string[];
  deadLetterEvents: string[];
}

function kafkaClient(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'hookline-bench-gate', brokers, logLevel: logLevel.NOTHING });
}

/** The dispatcher group's committed offsets on the messages topic (absent partitions: nothing committed). */
export async function committedOffsets(brokers: string[], groupId: string, topic: string): Promise<Map<number, bigint>> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const out = new Map<number, bigint>();
    for (const p of entry?.partitions ?? []) if (BigInt(p.offset) >= 0n) out.set(p.partition, BigInt(p.offset));
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Rows of the dispatcher's retry store: scheduled (in flight) and dead (dead-lettered) delivery keys. */
export async function retryStoreRows(databaseUrl: string): Promise<{ parked: string[]; dead: string[] }> {
  const db = new Client({ connectionString: databaseUrl, application_name: 'bench-gate' });
  db.on('error', () => undefined);
  await db.connect();
  try {
    const { rows } = await db.query<{ endpoint_id: string; message_id: string; state: string }>(
      'SELECT endpoint_id, message_id, state FROM dispatcher.parked_deliveries');
    const parked: string[] = [];
    const dead: string[] = [];
    for (const r of rows) (r.state === 'dead' ? dead : parked).push(deliveryKey(r.endpoint_id, r.message_id));
    return { parked, dead };
  } finally {
    await db.end();
  }
}

/**
 * Reads every delivery on the dead-letter topic. Started before the cut-off, so the consumer group's join (the broker
 * holds a new group for group.initial.rebalance.delay.ms, 3 s by default) overlaps the final drain; readToEnd() then
 * waits until it has read up to the topic's end as of that call.
 */
export class DeadLetterReader {
  readonly keys: string[] = [];
  private readonly reached = new Map<number, bigint>();
  private readonly kafka: Kafka;
  private consumer: ReturnType<Kafka['consumer']> | undefined;

  constructor(private readonly brokers: string[], private readonly topic: string, private readonly groupId: string) {
    this.kafka = kafkaClient(brokers);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 200 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const e = decodeEvent(message.value);
        if (e.type === 'delivery.dead_lettered.v1') this.keys.push(deliveryKey(e.data.endpoint_id, e.data.message_id));
        this.reached.set(partition, BigInt(message.offset) + 1n);
      },
    });
  }

  /** The dead-lettered delivery keys up to the topic's end as of now. */
  async readToEnd(timeoutMs = 15_000): Promise<string[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = new Map<number, bigint>();
    try {
      for (const w of await admin.fetchTopicOffsets(this.topic)) if (BigInt(w.high) > BigInt(w.low)) ends.set(w.partition, BigInt(w.high));
    } finally {
      await admin.disconnect();
    }
    const deadline = wallMs() + timeoutMs;
    while ([...ends].some(([p, end]) => (this.reached.get(p) ?? 0n) < end)) {
      if (wallMs() > deadline) throw new Error(`could not read the dead-letter topic ${this.topic} to its end within ${timeoutMs} ms`);
      await sleep(50);
    }
    return [...this.keys];
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/**
 * Takes the gate's evidence in the order that can only over-count: in-flight evidence (committed offsets, then
 * retry rows) first, then dead letters; the caller pulls the receiver last.
 */
export async function dispatcherEvidence(opts: { brokers: string[]; groupId: string; messagesTopic: string; databaseUrl: string; deadLetters: DeadLetterReader }): Promise<DispatcherEvidence> {
  const offsets = await committedOffsets(opts.brokers, opts.groupId, opts.messagesTopic);
  const rows = await retryStoreRows(opts.databaseUrl);
  const events = await opts.deadLetters.readToEnd();
  return { committedOffsets: offsets, parked: rows.parked, deadRows: rows.dead, deadLetterEvents: events };
}
