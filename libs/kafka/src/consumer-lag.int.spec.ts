import { BatchingProducer } from './batching-producer';
import { runBatchConsumer } from './batch-consumer';
import { consumerLag } from './consumer-lag';
import { intTestKafka } from './int-test-kafka';

describe('consumerLag (real Kafka)', () => {
  const env = intTestKafka('lag');

  afterAll(() => env.cleanup(), 60_000);

  it('reports every record as lag before the group commits, and none once it has caught up', async () => {
    const topic = await env.topic('lag', 2);
    const groupId = env.groupId('lag');
    const producer = new BatchingProducer(env.kafka);
    await producer.connect();
    const appended = await producer.appendMany(Array.from({ length: 10 }, (_, i) => ({ topic, key: `k${i}`, value: 'v' })));
    await producer.disconnect();

    const before = await consumerLag(env.kafka, groupId, [topic]);
    expect(before.map((p) => p.partition)).toEqual([0, 1]);
    expect(before.every((p) => p.committed === '-1')).toBe(true);
    expect(before.reduce((sum, p) => sum + p.lag, 0)).toBe(10);
    for (const p of before) {
      expect(p.lag).toBe(appended.filter((a) => a.partition === p.partition).length);
    }

    let consumed = 0;
    const consumer = await runBatchConsumer(env.kafka, {
      groupId,
      topics: [topic],
      fromBeginning: true,
      handleBatch: async ({ messages }) => {
        consumed += messages.length;
        return messages[messages.length - 1].offset;
      },
    });
    const deadline = Date.now() + 30_000;
    while (consumed < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await consumer.stop();

    const after = await consumerLag(env.kafka, groupId, [topic]);
    expect(after.map((p) => p.lag)).toEqual([0, 0]);
    expect(after.map((p) => p.committed)).toEqual(after.map((p) => p.high));
  }, 90_000);
});
