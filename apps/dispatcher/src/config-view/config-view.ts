import { ConfigEvent, EventOf, decodeEvent } from '@hookline/contracts';
import type { Logger } from '@hookline/observability';
import { Admin, Consumer, Kafka } from 'kafkajs';
import { WakeableSleep } from '../shared/wakeable-sleep';
import { EndpointDirectory } from './endpoint-directory';
import { TopicEnds } from './topic-ends';

export interface ConfigViewOptions {
  kafka: Kafka;
  topic: string;
  /** Unique per process start: the view is rebuilt from the beginning every time (config is small and kept forever). */
  groupId: string;
  /** How often the view compares its position with the topic's end. */
  syncIntervalMs: number;
  sessionTimeoutMs: number;
  log: Logger;
}

interface Waiter {
  at: number;
  resolve(fresh: boolean): void;
}

/**
 * The dispatcher's restart-safe view of endpoints: the config topic replayed from offset 0 at every start and then
 * followed. `syncedAt` is the latest wall-clock time T such that everything appended to the config topic before T
 * has been applied (the topic's end offsets were read at T and reached since). A message produced at time t is
 * fanned out only once syncedAt >= t, so an endpoint created just before a message is never missed.
 */
export class ConfigView {
  readonly endpoints = new EndpointDirectory();
  private readonly positions = new Map<number, bigint>();
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private topicEnds: TopicEnds | null = null;
  private syncedAt = 0;
  private waiters: Waiter[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly pause = new WakeableSleep();
  /** Woken whenever a config event is applied, so a sync waiting for the view to reach the ends goes on at once. */
  private readonly applied = new WakeableSleep();

  constructor(private readonly options: ConfigViewOptions) {}

  /** Ready: the view reached the end offsets the topic had when the process started. */
  get ready(): boolean {
    return this.syncedAt > 0;
  }

  /** Starts following the topic; resolves once caught up with its end at start, rejects after `timeoutMs`. */
  async start(timeoutMs: number): Promise<void> {
    const { kafka, topic, groupId, sessionTimeoutMs } = this.options;
    this.admin = kafka.admin();
    await this.admin.connect();
    this.topicEnds = TopicEnds.create(kafka, topic);
    this.consumer = kafka.consumer({
      groupId, sessionTimeout: sessionTimeoutMs, heartbeatInterval: 1000, allowAutoTopicCreation: false, maxWaitTimeInMs: 1000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.apply(message.value, batch.partition, message.offset);
        this.advance(batch.partition, BigInt(batch.lastOffset()) + 1n);
      },
    });
    this.running = true;
    this.loop = this.syncLoop();
    if (!(await this.awaitFreshness(Date.now() - 1, timeoutMs))) {
      throw new Error(`config topic ${topic} not caught up within ${timeoutMs} ms (is Kafka reachable?)`);
    }
  }

  /** Resolves true once every config event appended before `timestamp` is applied; false after `timeoutMs`. */
  awaitFreshness(timestamp: number, timeoutMs: number): Promise<boolean> {
    if (this.syncedAt >= timestamp) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      // Cleared once the view is fresh: every batch waits here, so timers left to run out would pile up, a timeout's
      // worth of them (hundreds under load), each holding its settled waiter.
      const timer = setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
      const waiter: Waiter = {
        at: timestamp,
        resolve: (fresh) => {
          clearTimeout(timer);
          resolve(fresh);
        },
      };
      this.waiters.push(waiter);
      this.pause.wakeUp();
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.pause.wakeUp();
    await this.loop?.catch(() => undefined);
    await this.consumer?.disconnect();
    await this.admin?.disconnect();
    await this.topicEnds?.disconnect();
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }

  private apply(value: Buffer | null, partition: number, offset: string): void {
    let event: EventOf<ConfigEvent>;
    try {
      event = decodeEvent(value) as EventOf<ConfigEvent>;
    } catch (err) {
      this.options.log.warn({ partition, offset, err: (err as Error).message }, 'skipping undecodable config event');
      return;
    }
    this.endpoints.apply(event);
    this.advance(partition, BigInt(offset) + 1n);
  }

  private advance(partition: number, next: bigint): void {
    if (next > (this.positions.get(partition) ?? -1n)) this.positions.set(partition, next);
    this.applied.wakeUp();
  }

  private async syncLoop(): Promise<void> {
    while (this.running) {
      try {
        const startedAt = Date.now();
        const ends = await this.readEnds();
        while (this.running && !ends.every((e) => (this.positions.get(e.partition) ?? e.low) >= e.high)) {
          await this.applied.sleep(5);
        }
        if (!this.running) return;
        this.syncedAt = startedAt;
        const due = this.waiters.filter((w) => w.at <= startedAt);
        this.waiters = this.waiters.filter((w) => w.at > startedAt);
        for (const w of due) w.resolve(true);
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message }, 'cannot read config topic end offsets; retrying');
      }
      // Idle, the view re-syncs now and then; with messages waiting on it, at once.
      // (Batches that arrive while a sync runs share the next one; a timer here would only add its delay to each.)
      if (this.waiters.length === 0) await this.pause.sleep(this.options.syncIntervalMs);
      else await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * The topic's ends, read after the call started. The low watermarks matter only for partitions with records the
   * view holds no position in (nothing fetched yet); otherwise one high-watermark request is enough.
   */
  private async readEnds(): Promise<Array<{ partition: number; high: bigint; low: bigint }>> {
    const highs = await this.topicEnds?.highs();
    if (highs && highs.length > 0 && highs.every((h) => h.high === 0n || this.positions.has(h.partition))) {
      return highs.map((h) => ({ partition: h.partition, high: h.high, low: 0n }));
    }
    const ends = await this.admin!.fetchTopicOffsets(this.options.topic);
    return ends.map((e) => ({ partition: e.partition, high: BigInt(e.high), low: BigInt(e.low) }));
  }
}

