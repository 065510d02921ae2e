import { type Logger, injectTraceHeaders, withConsumerSpan } from '@hookline/observability';
import { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { InFlightLimit } from './in-flight-limit';
import { MessageHandler } from './message-handler';
import { OffsetTracker } from './offset-tracker';

export interface MessageConsumerOptions {
  kafka: Kafka;
  topic: string;
  groupId: string;
  sessionTimeoutMs: number;
  commitIntervalMs: number;
  handler: MessageHandler;
  inFlight: InFlightLimit;
  /** Resolves once the config view has applied everything appended before `timestamp` (false: timed out). */
  configFreshAt: (timestamp: number, timeoutMs: number) => Promise<boolean>;
  log: Logger;
}

/** How long a batch waits for the config view before it is fanned out with what the view has. */
const CONFIG_WAIT_LIMIT_MS = 30_000;

/**
 * The messages-topic loop (kafkajs eachBatch, auto-commit and auto-resolve off). Each message is registered with the
 * offset tracker and handed out; the handler returns without waiting for attempts, the global in-flight limit is the
 * only thing that makes it wait. A timer commits, per partition, the contiguous prefix of messages whose deliveries
 * are all finished or durably parked. A rebalance starts a fresh tracker: uncommitted messages are fetched again and
 * at worst delivered twice, with the same webhook-id.
 */
export class MessageConsumer {
  private tracker = new OffsetTracker();
  private consumer: Consumer | null = null;
  private commitTimer: NodeJS.Timeout | null = null;
  private committing: Promise<void> = Promise.resolve();
  private stopping = false;
  private stuck: unknown = null;
  private batchesRunning = 0;

  constructor(private readonly options: MessageConsumerOptions) {}

  get outstanding(): number {
    return this.tracker.outstanding;
  }

  async start(): Promise<void> {
    const { kafka, topic, groupId, sessionTimeoutMs, log } = this.options;
    const consumer = kafka.consumer({
      groupId, sessionTimeout: sessionTimeoutMs, heartbeatInterval: Math.min(3000, Math.floor(sessionTimeoutMs / 5)),
      allowAutoTopicCreation: false, retry: { retries: 3, initialRetryTime: 300 },
      // A stop waits for the fetch in progress: a short long-poll keeps SIGTERM quick.
      maxWaitTimeInMs: 1000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      // A new generation: offsets resume from the last commit, so the old holds must not commit anything any more.
      this.tracker = new OffsetTracker();
      this.stuck = null;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        this.batchesRunning += 1;
        try {
          await this.consumeBatch(payload);
        } finally {
          this.batchesRunning -= 1;
        }
      },
    });
    this.commitTimer = setInterval(() => void this.commit(), this.options.commitIntervalMs);
    log.info({ topic, groupId }, 'consuming messages');
  }

  /**
   * A delivery could be neither finished nor parked: its offset stays held, and the consumer restarts from the last
   * commit (the next batch fails, and kafkajs rejoins the group). The held messages are fetched again at once, so
   * there is a next batch even when nothing new is published: a quiet topic otherwise left such deliveries waiting
   * for traffic that might not come for hours.
   */
  markStuck(err: unknown): void {
    this.options.log.error({ err: (err as Error)?.message }, 'a delivery could not be finished or parked; consumer will restart from the last commit');
    this.stuck = err;
    for (const { topic, partition, offset } of this.tracker.firstOutstanding()) {
      try {
        this.consumer?.seek({ topic, partition, offset });
      } catch (seekErr) {
        // Not running (stopping, or between a crash and its restart): the restart reads from the last commit anyway.
        this.options.log.warn({ err: (seekErr as Error).message, partition }, 'could not fetch a held message again');
      }
    }
  }

  /** Graceful stop: no new messages, in-flight work finished or parked by `drain`, final commit, leave the group. */
  async stop(drain: () => Promise<void>): Promise<void> {
    this.stopping = true;
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.pause([{ topic: this.options.topic }]);
    while (this.batchesRunning > 0) await new Promise((r) => setTimeout(r, 10));
    await drain();
    if (this.commitTimer) clearInterval(this.commitTimer);
    await this.commit();
    await consumer.disconnect();
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.stuck) throw new Error('restarting after a delivery could not be finished or parked');
    const tracker = this.tracker;
    const partition = tracker.partition(batch.topic, batch.partition);
    const shouldStop = () => this.stopping || !isRunning() || isStale();

    let newest = 0;
    for (const m of batch.messages) newest = Math.max(newest, Number(m.timestamp));
    const waitStarted = Date.now();
    while (!(await this.options.configFreshAt(newest, 1000))) {
      if (shouldStop()) return;
      await heartbeat();
      if (Date.now() - waitStarted > CONFIG_WAIT_LIMIT_MS) {
        this.options.log.warn({ partition: batch.partition }, 'config view lags; fanning out with the endpoints known now');
        break;
      }
    }

    for (const message of batch.messages) {
      await this.options.inFlight.waitForRoom(heartbeat, shouldStop);
      if (shouldStop() || tracker !== this.tracker) return;
      const hold = partition.register(message.offset);
      // One CONSUMER span per message, a child of the producer span in its headers: the deliveries, attempts and events
      // it leads to (parked ones too, later, from the retry store) continue that trace.
      const attrs = { topic: batch.topic, partition: batch.partition, offset: message.offset, key: message.key, consumerGroup: this.options.groupId };
      await withConsumerSpan(`process ${batch.topic}`, message.headers, attrs, (_span, ctx) =>
        this.options.handler.handle(message, hold, injectTraceHeaders({}, ctx)));
      resolveOffset(message.offset);
    }
    await heartbeat();
  }

  private commit(): Promise<void> {
    // One commit at a time: a slow one must not be overtaken by an older offset set.
    this.committing = this.committing.then(async () => {
      const tracker = this.tracker;
      const commits = tracker.pendingCommits();
      if (commits.length === 0 || !this.consumer) return;
      try {
        await this.consumer.commitOffsets(commits);
        tracker.markCommitted(commits);
      } catch (err) {
        this.options.log.warn({ err: (err as Error).message }, 'offset commit failed; will retry');
      }
    });
    return this.committing;
  }
}
