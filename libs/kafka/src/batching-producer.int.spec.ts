import { Kafka, Producer } from 'kafkajs';
import { BatchingProducer } from './batching-producer';
import { intTestKafka, readMessages } from './int-test-kafka';

/** Counts sendBatch calls on the real producer that BatchingProducer creates (a spy around it, not a stand-in). */
function countSendBatches(kafka: Kafka): { calls: number[] } {
  const stats = { calls: [] as number[] };
  const makeProducer = kafka.producer.bind(kafka);
  jest.spyOn(kafka, 'producer').mockImplementation((config) => {
    const producer: Producer = makeProducer(config);
    const sendBatch = producer.sendBatch.bind(producer);
    producer.sendBatch = async (batch) => {
      stats.calls.push(batch.topicMessages?.reduce((n, t) => n + t.messages.length, 0) ?? 0);
      return sendBatch(batch);
    };
    return producer;
  });
  return stats;
}

describe('BatchingProducer (real Kafka)', () => {
  const env = intTestKafka('producer');
  let topic: string;
  let producer: BatchingProducer;
  let stats: { calls: number[] };

  beforeAll(async () => {
    topic = await env.topic('appends', 4);
    stats = countSendBatches(env.kafka);
    producer = new BatchingProducer(env.kafka);
    await producer.connect();
  }, 60_000);

  afterAll(async () => {
    await producer.disconnect();
    await env.cleanup();
  }, 60_000);

  it('sends 500 concurrent appends in a handful of sendBatch calls, each acknowledged with its own offset', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `tnt_${i}`);
    const events = Array.from({ length: 500 }, (_, i) => ({
      topic,
      key: keys[i % keys.length],
      value: JSON.stringify({ seq: i }),
      headers: { 'x-seq': String(i) },
    }));

    const results = await Promise.all(events.map((e) => producer.append(e)));

    expect(stats.calls.length).toBeGreaterThanOrEqual(1);
    expect(stats.calls.length).toBeLessThanOrEqual(5);
    expect(stats.calls.reduce((a, b) => a + b, 0)).toBe(500);
    const positions = results.map((r) => `${r.partition}/${r.offset}`);
    expect(new Set(positions).size).toBe(500);

    const read = await readMessages(env.kafka, topic, 500);
    const readAt = new Map(read.map((m) => [`${m.partition}/${m.offset}`, m]));
    results.forEach((r, i) => {
      // The offset each append reported is where exactly that record is.
      const record = readAt.get(`${r.partition}/${r.offset}`);
      expect(record?.headers?.['x-seq']?.toString()).toBe(String(i));
      expect(record?.key?.toString()).toBe(events[i].key);
    });
    for (const key of keys) {
      const seqs = read.filter((m) => m.key?.toString() === key).map((m) => JSON.parse(m.value!.toString()).seq);
      const inAppendOrder = events.map((e, i) => (e.key === key ? i : -1)).filter((i) => i >= 0);
      const partitions = new Set(read.filter((m) => m.key?.toString() === key).map((m) => m.partition));
      expect(partitions.size).toBe(1);
      expect([...seqs].sort((a, b) => a - b)).toEqual(inAppendOrder);
      // Within its partition a key's records come back in the order they were appended.
      const byOffset = read
        .filter((m) => m.key?.toString() === key)
        .sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)))
        .map((m) => JSON.parse(m.value!.toString()).seq);
      expect(byOffset).toEqual(inAppendOrder);
    }
  }, 60_000);

  it('appendMany resolves in the order given, one result per event', async () => {
    const results = await producer.appendMany([
      { topic, key: 'same', value: 'a' },
      { topic, key: 'same', value: 'b' },
      { topic, key: 'same', value: Buffer.from('c') },
    ]);
    expect(results.map((r) => r.partition)).toEqual([results[0].partition, results[0].partition, results[0].partition]);
    const offsets = results.map((r) => BigInt(r.offset));
    expect(offsets[1] - offsets[0]).toBe(1n);
    expect(offsets[2] - offsets[1]).toBe(1n);
  }, 30_000);

  it('rejects every append of a send Kafka refuses, and keeps working afterwards', async () => {
    // One record above the broker's message.max.bytes (1 MiB) fails its whole send, and the append made with it.
    const lenient = new BatchingProducer(env.kafka, { maxBatchBytes: 8 * 1024 * 1024 });
    await lenient.connect();
    try {
      const tooLarge = Buffer.alloc(2 * 1024 * 1024, 1);
      const refused = await Promise.allSettled([
        lenient.append({ topic, key: 'k', value: tooLarge }),
        lenient.append({ topic, key: 'k', value: 'sent with it' }),
      ]);
      expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      await expect(lenient.append({ topic, key: 'k', value: 'still fine' })).resolves.toMatchObject({ topic });
    } finally {
      await lenient.disconnect();
    }
  }, 60_000);

  it('tells onAcknowledged about the records of acknowledged sends only, and a throwing observer fails no append', async () => {
    const seen: string[] = [];
    const observed = new BatchingProducer(env.kafka, {
      maxBatchBytes: 8 * 1024 * 1024,
      onAcknowledged: (events) => {
        seen.push(...events.map((e) => String(e.value).slice(0, 20)));
        throw new Error('observer bug');
      },
    });
    await observed.connect();
    try {
      await observed.appendMany([{ topic, key: 'k', value: 'one' }, { topic, key: 'k', value: 'two' }]);
      await Promise.allSettled([observed.append({ topic, key: 'k', value: Buffer.alloc(2 * 1024 * 1024, 1) })]);
      expect(seen).toEqual(['one', 'two']);
    } finally {
      await observed.disconnect();
    }
  }, 60_000);
});
