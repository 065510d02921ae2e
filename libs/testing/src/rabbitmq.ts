import amqp, { type Channel, type ChannelModel } from 'amqplib';

/** The RabbitMQ the AMQP tests use (npm test checks it answers before any test runs; see deploy/local/rabbitmq-check.js). */
export function testAmqpUrl(): string {
  return process.env.AMQP_TEST_URL || 'amqp://guest:guest@127.0.0.1:5672';
}

/**
 * A connection and channel to the test broker whose queues and exchanges are named for this run (`name('orders')`) and
 * deleted by `close()`, so runs never read each other's messages and leave nothing behind on the shared broker.
 */
export interface AmqpTestScope {
  url: string;
  channel: Channel;
  /** A queue or exchange name unique to this run. */
  name(label: string): string;
  /** Declares a queue (durable, unless options say otherwise) that close() deletes. */
  queue(label: string, options?: amqp.Options.AssertQueue): Promise<string>;
  /** Declares an exchange that close() deletes. */
  exchange(label: string, type?: 'direct' | 'topic' | 'fanout' | 'headers'): Promise<string>;
  /** Every message waiting in a queue, taken off it (acknowledged), oldest first. */
  drain(queue: string): Promise<amqp.GetMessage[]>;
  close(): Promise<void>;
}

export async function openAmqpTestScope(label = 't'): Promise<AmqpTestScope> {
  const url = testAmqpUrl();
  const connection: ChannelModel = await amqp.connect(url);
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  const prefix = `test-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}-`;
  const queues: string[] = [];
  const exchanges: string[] = [];
  return {
    url,
    channel,
    name: (l) => prefix + l,
    async queue(l, options) {
      const name = prefix + l;
      await channel.assertQueue(name, { durable: true, ...options });
      queues.push(name);
      return name;
    },
    async exchange(l, type = 'direct') {
      const name = prefix + l;
      await channel.assertExchange(name, type, { durable: true });
      exchanges.push(name);
      return name;
    },
    async drain(queue) {
      const got: amqp.GetMessage[] = [];
      for (;;) {
        const m = await channel.get(queue, { noAck: true });
        if (!m) return got;
        got.push(m);
      }
    },
    async close() {
      // On a channel of its own: a refused operation in the test may have closed the scope's.
      const cleanup = await connection.createChannel();
      for (const q of queues) await cleanup.deleteQueue(q).catch(() => undefined);
      for (const e of exchanges) await cleanup.deleteExchange(e).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}
