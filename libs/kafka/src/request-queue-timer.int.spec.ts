import { Partitioners } from 'kafkajs';
import { intTestKafka, readMessages } from './int-test-kafka';

// The class whose timer createKafka replaces; its calls are counted, the behaviour is kafkajs' own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as { prototype: { checkPendingRequests(): void } };

/** Counts every run of kafkajs' pending-request check, in all connections of this process. */
function countChecks(): { count(): number; restore(): void } {
  const original = RequestQueue.prototype.checkPendingRequests;
  let calls = 0;
  RequestQueue.prototype.checkPendingRequests = function (this: unknown) {
    calls++;
    return original.call(this);
  };
  return { count: () => calls, restore: () => void (RequestQueue.prototype.checkPendingRequests = original) };
}

describe('kafkajs request queues of a createKafka client (real Kafka)', () => {
  const env = intTestKafka('request-queue');
  const checks = countChecks();

  afterAll(async () => {
    checks.restore();
    await env.cleanup();
  }, 60_000);

  it('stay quiet while the client idles, and still send requests that had to wait for an in-flight slot', async () => {
    const topic = await env.topic('idle', 2);
    // Idempotent: one request in flight per connection, so concurrent sends queue up as pending requests.
    const producer = env.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = env.kafka.consumer({ groupId: env.groupId('idle') });
    await Promise.all([producer.connect(), consumer.connect()]);
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => producer.send({ topic, messages: [{ key: `k${i % 4}`, value: String(i) }] })));
      expect((await readMessages(env.kafka, topic, 40)).map((m) => Number(m.value)).sort((a, b) => a - b))
        .toEqual(Array.from({ length: 40 }, (_, i) => i));

      // A consumer that has caught up, long-polling for more, and a producer with nothing to send: kafkajs 2.2.4 ran
      // the check about 1,000 times a second on each of their connections.
      const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
      let consumed = 0;
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async () => void consumed++ });
      await joined;
      const deadline = Date.now() + 20_000;
      while (consumed < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(consumed).toBe(40);

      const before = checks.count();
      await new Promise((r) => setTimeout(r, 1000));
      expect(checks.count() - before).toBeLessThan(50);
    } finally {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
    }
  }, 60_000);
});
