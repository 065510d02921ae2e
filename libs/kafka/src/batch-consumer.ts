import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { DeferredOffsetCommits } from './deferred-offset-commits';

/** A fetched run of messages from one partition, in offset order. */
export interface ConsumedBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

/** What a batch handler may do besides processing: keep its group membership alive and notice shutdown/seek. */
export interface BatchContext {
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface BatchConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /**
   * Processes a batch and returns the last offset whose effects are durable (null: none yet). Offsets up to it are
   * committed; later messages of the batch are fetched again.
   */
  handleBatch(batch: ConsumedBatch, ctx: BatchContext): Promise<string | null>;
  partitionsConsumedConcurrently?: number;
  maxBytesPerPartition?: number;
  /** How long an idle fetch waits on the broker for new records (default 1000 ms); stop() waits out one fetch. */
  maxWaitTimeInMs?: number;
  /**
   * Bytes a fetch waits for (up to maxWaitTimeInMs) before it returns (default 1: at once). More makes fewer, larger
   * batches under load, for handlers whose cost is per batch (a transaction), at the price of that wait when quiet.
   */
  minBytes?: number;
  /**
   * 0 (default): the offset is committed after every batch. More: at most once per this many ms (and at stop), for
   * handlers whose effects are idempotent, so a restart that handles a few batches again costs nothing while every
   * batch no longer costs Kafka a commit request.
   */
  commitIntervalMs?: number;
}

function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

// An offset outside the batch would commit past messages nobody handled (or rewind the group): refuse it loudly.
function assertWithinBatch(offset: string, messages: KafkaMessage[]): void {
  const first = BigInt(messages[0].offset);
  const last = BigInt(messages[messages.length - 1].offset);
  const value = BigInt(offset);
  if (value < first || value > last) {
    throw new Error(`handleBatch returned offset ${offset}, outside the batch it was given (${first}..${last})`);
  }
}

/**
 * Hand-committed batch consumption: kafkajs never resolves or commits on its own (eachBatchAutoResolve and
 * autoCommit are off); an offset moves only past what the handler reported durable.
 */
export async function runBatchConsumer(
  kafka: Kafka,
  opts: BatchConsumerOptions,
): Promise<{ consumer: Consumer; stop(): Promise<void> }> {
  const logger = kafka.logger().namespace('BatchConsumer');
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    allowAutoTopicCreation: false,
    maxBytesPerPartition: opts.maxBytesPerPartition,
    // kafkajs' 5 s default makes every stop() and rebalance wait up to 5 s for an idle fetch; records arriving during
    // a fetch are returned at once either way, so a shorter wait costs only one small request per second when idle.
    maxWaitTimeInMs: opts.maxWaitTimeInMs ?? 1000,
    minBytes: opts.minBytes ?? 1,
    retry: {
      // A handler that keeps failing makes kafkajs give up its retries and crash the consumer; restarting it rejoins
      // the group and refetches from the last committed offset, which is exactly "try the uncommitted work again".
      restartOnFailure: async (err) => {
        logger.error('batch consumer crashed; restarting from the last committed offset', {
          groupId: opts.groupId,
          error: err.message,
        });
        return true;
      },
    },
  });

  const deferred = opts.commitIntervalMs
    ? new DeferredOffsetCommits(consumer, opts.commitIntervalMs, (err) =>
      // Not fatal: the handler's effects are durable and idempotent; the next commit covers these.
      logger.warn('offset commit failed; will retry', { groupId: opts.groupId, error: err.message }))
    : null;

  await consumer.connect();
  try {
    await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
        const { topic, partition, messages } = batch;
        let durable: string | null;
        try {
          durable = await opts.handleBatch({ topic, partition, messages }, { heartbeat, isRunning, isStale });
        } catch (err) {
          // Nothing is committed: kafkajs retries from the last resolved offset, then restarts the consumer.
          logger.error('batch handler failed; the batch will be consumed again', {
            groupId: opts.groupId,
            topic,
            partition,
            firstOffset: batch.firstOffset(),
            error: (err as Error).message,
          });
          throw err;
        }
        if (durable === null) return;
        assertWithinBatch(durable, messages);
        resolveOffset(durable);
        // A committed offset names the next message to read, hence +1.
        if (deferred) deferred.note(topic, partition, nextOffset(durable));
        else await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: nextOffset(durable) }] }] });
      },
    });
  } catch (err) {
    await consumer.disconnect();
    throw err;
  }
  deferred?.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await deferred?.stop();
      await consumer.stop();
      await consumer.disconnect();
    })());
  return { consumer, stop };
}
