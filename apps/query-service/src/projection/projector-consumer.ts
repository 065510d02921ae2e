import { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { SpanStatusCode } from '@opentelemetry/api';
import { type Logger, startLinkedSpan } from '@hookline/observability';
import { ReadModels } from '../database/read-models';
import { DeferredOffsetCommits, MicroBatcher } from '@hookline/kafka';
import { BatchItem, BatchOutcome, projectBatch, projectBatches } from './project-batch';

export interface ProjectorOptions {
  groupId: string;
  topics: string[];
  /** Name the offsets are stored under in projection_offsets. */
  consumerName: string;
  /** 'active' for the live projector; a number for a rebuild writing that generation. */
  generation: number | 'active';
  log: Logger;
  /**
   * Partitions kafkajs hands over at the same time (default 32). Their batches share one transaction (see
   * projectBatches), so this also bounds how many partitions one transaction covers.
   */
  concurrency?: number;
  /**
   * A fetch waits up to `batchWaitMs` for `batchMinBytes` of records: under load, fewer and larger transactions (each one
   * costs Postgres a commit and the projector a round trip per statement); when quiet, the read models lag by that much more.
   */
  batchWaitMs?: number;
  batchMinBytes?: number;
  /** A batch was committed; `seconds` is how long its transaction(s) took. */
  onBatch?(outcome: BatchOutcome, topic: string, partition: number, seconds: number): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAX_BACKOFF_MS = 5000;
const MAX_SEEKS_TO_SAME_OFFSET = 3;
/**
 * The group commit is advisory (Postgres holds the position), so one commit of every partition per interval is plenty:
 * committing after every batch cost Kafka a request and a write to __consumer_offsets per transaction.
 */
const ADVISORY_COMMIT_INTERVAL_MS = 1000;

/**
 * Runs the projection from Kafka: kafkajs eachBatch, the batches of the partitions consumed together projected in one
 * Postgres transaction (projectBatches).
 * Postgres, not Kafka, owns the position: on every partition assignment the consumer seeks to the stored offset + 1,
 * and the group commit that follows each batch is advisory (it only shortens the fetch after a restart).
 * A failing transaction (Postgres restarting, connections killed) is retried in place with backoff while the
 * consumer keeps heart-beating, so a database outage pauses the projection instead of crashing it.
 */
export class ProjectorConsumer {
  private consumer: Consumer | null = null;
  /** Where we last sought per partition, and how often in a row. */
  private readonly sought = new Map<string, { offset: string; times: number }>();
  private admin: Admin | null = null;
  /** Gathers the batches of concurrently consumed partitions into one transaction, one transaction at a time. */
  private readonly transactions: MicroBatcher<BatchItem, BatchOutcome>;
  /** The offsets' owner and the generation every transaction of this projector writes. */
  private readonly target: { consumer: string; generation: ProjectorOptions['generation'] };
  /** Offsets projected but not yet committed to the group (see ADVISORY_COMMIT_INTERVAL_MS). */
  private commits: DeferredOffsetCommits | null = null;

  constructor(private readonly kafka: Kafka, private readonly models: ReadModels, private readonly options: ProjectorOptions) {
    this.target = { consumer: options.consumerName, generation: options.generation };
    // kafkajs starts the batches of one fetch together: a zero linger is enough to gather them, and while a transaction
    // runs, what arrives meanwhile goes into the next one. Sized by records, so one transaction stays bounded.
    this.transactions = new MicroBatcher((items) => projectBatches(models, items, this.target), { lingerMs: 0, maxBatch: 64, maxBytes: 20_000 },
      (item) => item.batch.records.length);
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.options.batchWaitMs ?? 500,
      minBytes: this.options.batchMinBytes ?? 1,
      retry: { restartOnFailure: async () => true },
    });
    this.consumer = consumer;
    this.commits = new DeferredOffsetCommits(consumer, ADVISORY_COMMIT_INTERVAL_MS, (err) =>
      this.options.log.warn({ err: err.message }, 'advisory offset commit failed'));
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.seekToStored(e.payload.memberAssignment).catch((err: Error) =>
        this.options.log.warn({ err: err.message }, 'could not seek to stored offsets after joining; batches are filtered anyway'));
    });
    consumer.on(consumer.events.CRASH, (e) => this.options.log.error({ err: e.payload.error?.message }, 'projector consumer crashed; restarting'));
    await consumer.connect();
    await consumer.subscribe({ topics: this.options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrency ?? 32,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.commits.start();
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
    if (!consumer) return;
    await this.commits?.stop();
    await consumer.stop();
    await consumer.disconnect();
  }

  /**
   * Where to seek when a batch starts at `first`, after the `expected` offset; null when the records in between no
   * longer exist and the batch may be applied: deleted by retention (`first` is at or below the log start), or control
   * records of transactional producers (several seeks to the same offset still land later). A batch fetched before our
   * seek took effect is never applied over a gap: it is sought again (to the log start if `expected` was deleted).
   */
  private async gapSeekTarget(topic: string, partition: number, expected: string, first: string, key: string): Promise<string | null> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const low = BigInt((await this.admin.fetchTopicOffsets(topic)).find((w) => w.partition === partition)?.low ?? '0');
    if (BigInt(first) <= low) return null;
    const target = (low > BigInt(expected) ? low : BigInt(expected)).toString();
    const last = this.sought.get(key);
    return last?.offset === target && last.times >= MAX_SEEKS_TO_SAME_OFFSET ? null : target;
  }

  private async seekToStored(assignment: Record<string, number[]>): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const stored: Array<{ topic: string; partition: number; offset: string }> = await this.models.write(this.options.generation, (em) =>
      em.query('SELECT topic, partition, "offset" FROM projection_offsets WHERE consumer = $1', [this.options.consumerName]));
    const byKey = new Map(stored.map((s) => [`${s.topic}:${s.partition}`, s.offset] as const));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const offset = byKey.get(`${topic}:${partition}`);
        // Nothing stored: from the start of the log (kafkajs resets an offset below the log start to the earliest one).
        const next = offset === undefined ? '0' : (BigInt(offset) + 1n).toString();
        this.sought.set(`${topic}:${partition}`, { offset: next, times: 1 });
        consumer.seek({ topic, partition, offset: next });
      }
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    if (messages.length === 0) return;
    const key = `${topic}:${partition}`;
    // One CONSUMER span per record, child of its producer's span: a message's trace runs on into its projection.
    const spans = startLinkedSpan('project', messages.map((m) => m.headers), (i) => ({ topic, partition, offset: messages[i].offset,
      key: messages[i].key, consumerGroup: this.options.groupId }));
    try {
      await this.projectWithRetry(payload, key);
    } catch (err) {
      for (const s of spans) s.span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      for (const s of spans) s.span.end();
    }
  }

  private async projectWithRetry(
    { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload, key: string): Promise<void> {
    const { topic, partition, messages } = batch;
    let backoff = 100;
    let alone = false;
    while (isRunning() && !isStale()) {
      const started = performance.now();
      try {
        // After a failure the batch is retried in a transaction of its own: one partition's poison must not hold back the others.
        const input = { topic, partition, records: messages };
        let outcome = alone
          ? await projectBatch(this.models, input, this.target)
          : await this.transactions.add({ batch: input });
        if (outcome.seekTo !== null) {
          const target = await this.gapSeekTarget(topic, partition, outcome.seekTo, messages[0].offset, key);
          if (target !== null) {
            const last = this.sought.get(key);
            this.sought.set(key, { offset: target, times: last?.offset === target ? last.times + 1 : 1 });
            this.consumer?.seek({ topic, partition, offset: target });
            return; // the rest of this batch is discarded by kafkajs; the next fetch starts at the target
          }
          this.options.log.warn({ topic, partition, from: outcome.seekTo, to: messages[0].offset }, 'offsets missing from the log; continuing');
          outcome = await projectBatch(this.models, { topic, partition, records: messages },
            { ...this.target, acceptGap: true });
        }
        this.sought.delete(key);
        for (const bad of outcome.undecodable) this.options.log.error({ topic, partition, ...bad }, 'skipped a record that is not a Hookline event');
        this.options.onBatch?.(outcome, topic, partition, (performance.now() - started) / 1000);
        const last = messages[messages.length - 1].offset;
        resolveOffset(last);
        this.commits?.note(topic, partition, (BigInt(last) + 1n).toString());
        return;
      } catch (err) {
        this.options.log.warn({ topic, partition, err: (err as Error).message, retryInMs: backoff }, 'projection transaction failed; retrying');
        alone = true;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        await heartbeat().catch(() => undefined);
      }
    }
  }
}
