import { BatchingProducer } from './batching-producer';
import { runBatchConsumer } from './batch-consumer';
import { intTestKafka } from './int-test-kafka';

function waitFor(condition: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

describe('runBatchConsumer (real Kafka)', () => {
  const env = intTestKafka('consumer');
  let producer: BatchingProducer;

  beforeAll(async () => {
    producer = new BatchingProducer(env.kafka);
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await producer.disconnect();
    await env.cleanup();
  }, 60_000);

  it('given a handler that made only part of a batch durable, a restarted group resumes at exactly the next offset', async () => {
    const topic = await env.topic('partial', 1);
    const groupId = env.groupId('partial');
    await producer.appendMany(Array.from({ length: 20 }, (_, i) => ({ topic, key: 'k', value: String(i) })));

    const durable: string[] = [];
    let firstRunDone = false;
    const first = await runBatchConsumer(env.kafka, {
      groupId,
      topics: [topic],
      fromBeginning: true,
      handleBatch: async ({ messages }) => {
        if (firstRunDone) return null; // "crashed" after the first five: nothing more becomes durable
        const kept = messages.slice(0, 5);
        durable.push(...kept.map((m) => m.value!.toString()));
        firstRunDone = true;
        return kept[kept.length - 1].offset;
      },
    });
    await waitFor(() => firstRunDone, 30_000, 'the first batch');
    await first.stop();

    const offsets = await env.kafka.admin();
    await offsets.connect();
    const committed = await offsets.fetchOffsets({ groupId, topics: [topic] });
    await offsets.disconnect();
    expect(committed[0].partitions).toEqual([expect.objectContaining({ partition: 0, offset: '5' })]);

    const firstOffsetsSeen: string[] = [];
    const second = await runBatchConsumer(env.kafka, {
      groupId,
      topics: [topic],
      fromBeginning: true,
      handleBatch: async ({ messages }) => {
        firstOffsetsSeen.push(messages[0].offset);
        durable.push(...messages.map((m) => m.value!.toString()));
        return messages[messages.length - 1].offset;
      },
    });
    await waitFor(() => durable.length >= 20, 30_000, 'the rest of the topic');
    await second.stop();

    expect(firstOffsetsSeen[0]).toBe('5');
    expect(durable).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  }, 90_000);

  it('given a handler that throws, commits nothing and hands it the same messages again', async () => {
    const topic = await env.topic('retry', 1);
    await producer.appendMany(Array.from({ length: 3 }, (_, i) => ({ topic, key: 'k', value: String(i) })));

    const attempts: string[][] = [];
    const consumer = await runBatchConsumer(env.kafka, {
      groupId: env.groupId('retry'),
      topics: [topic],
      fromBeginning: true,
      handleBatch: async ({ messages }) => {
        attempts.push(messages.map((m) => m.offset));
        if (attempts.length === 1) throw new Error('database unavailable (test)');
        return messages[messages.length - 1].offset;
      },
    });
    await waitFor(() => attempts.length >= 2, 30_000, 'the retried batch');
    await consumer.stop();

    expect(attempts[0]).toEqual(['0', '1', '2']);
    expect(attempts[1]).toEqual(['0', '1', '2']);
  }, 60_000);

  it('with a commit interval, commits far fewer times than it handles batches, and at stop everything handled', async () => {
    const topic = await env.topic('interval', 3);
    const groupId = env.groupId('interval');
    const commits: number[] = [];
    let handled = 0;
    let batches = 0;
    const consumer = await runBatchConsumer(env.kafka, {
      groupId,
      topics: [topic],
      fromBeginning: true,
      commitIntervalMs: 60_000,
      handleBatch: async ({ messages }) => {
        batches += 1;
        handled += messages.length;
        return messages[messages.length - 1].offset;
      },
    });
    consumer.consumer.on(consumer.consumer.events.COMMIT_OFFSETS, () => commits.push(Date.now()));
    // Trickled in, so that they arrive as many batches.
    for (let i = 0; i < 30; i++) {
      await producer.append({ topic, key: `k${i % 3}`, value: String(i) });
      await new Promise((r) => setTimeout(r, 10));
    }
    await waitFor(() => handled >= 30, 30_000, 'every message handled');
    const commitsBeforeStop = commits.length;
    await consumer.stop();

    expect(batches).toBeGreaterThan(5);
    expect(commitsBeforeStop).toBeLessThanOrEqual(1); // at most the first batch's, when nothing was committed yet
    const admin = env.kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const used = ends.filter((e) => e.high !== '0');
    expect(used.reduce((n, e) => n + Number(e.high), 0)).toBe(30);
    for (const end of used) expect(committed.partitions.find((p) => p.partition === end.partition)?.offset).toBe(end.high);
  }, 60_000);
});
