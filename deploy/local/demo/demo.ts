import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { decodePosition, decodeEvent } from '@hookline/contracts';
import { verifyWebhook } from '@hookline/signing';
import { Kafka, logLevel } from 'kafkajs';

interface Delivered {
  webhookId: string;
  attempt: string | undefined;
  verified: boolean;
  body: string;
  traceparent: string | undefined;
}

export interface DemoReceiver {
  url: string;
  /** The endpoint secret the receiver verifies signatures with. */
  secret: string;
  next(): Promise<Delivered>;
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 that verifies every request's Standard Webhooks signature. */
export async function startDemoReceiver(): Promise<DemoReceiver> {
  const waiting: Array<(d: Delivered) => void> = [];
  const received: Delivered[] = [];
  const receiver = { secret: '' } as DemoReceiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        verifyWebhook({ headers: req.headers as Record<string, string>, body, secrets: [receiver.secret] });
        verified = true;
      } catch {
        verified = false;
      }
      res.writeHead(verified ? 200 : 401).end();
      const d: Delivered = {
        webhookId: String(req.headers['webhook-id']),
        attempt: req.headers['webhook-attempt'] as string | undefined,
        verified,
        body,
        traceparent: req.headers['traceparent'] as string | undefined,
      };
      const w = waiting.shift();
      if (w) w(d);
      else received.push(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  receiver.next = () => {
    const d = received.shift();
    return d ? Promise.resolve(d) : new Promise((resolve) => waiting.push(resolve));
  };
  receiver.close = () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r())));
  return receiver;
}

async function call(url: string, key: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Reads the record at a log position back from Kafka with a plain consumer, to show it is in the log. */
async function readFromLog(brokers: string[], token: string): Promise<{ partition: number; offset: string; type: string }> {
  const [pos] = decodePosition(token) ?? [];
  const kafka = new Kafka({ clientId: 'hookline-demo', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `hookline-demo-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: pos.topic, fromBeginning: true });
  const found = new Promise<{ partition: number; offset: string; type: string }>((resolve) => {
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (partition === pos.partition && message.offset === pos.offset) resolve({ partition, offset: message.offset, type: decodeEvent(message.value).type });
      },
    });
  });
  consumer.seek({ topic: pos.topic, partition: pos.partition, offset: pos.offset });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('message not found in the log within 15 s')), 15000));
  try {
    return await Promise.race([found, timeout]);
  } finally {
    await consumer.disconnect();
  }
}

export interface DemoOptions {
  receiver: DemoReceiver;
  adminKey: string;
  commandUrl: string;
  queryUrl: string;
  brokers: string[];
  say(msg: string): void;
}

/** Sends one webhook through the whole system and says where it went at each step. */
export async function runDemo({ receiver, adminKey, commandUrl, queryUrl, brokers, say }: DemoOptions): Promise<void> {
  const tenant = await call(`${commandUrl}/v1/tenants`, adminKey, 'POST', { name: 'Demo tenant' });
  const t = tenant.id as string;
  await call(`${commandUrl}/v1/tenants/${t}/event-types`, adminKey, 'POST', {
    name: 'invoice.paid',
    description: 'An invoice was paid',
    schema: { type: 'object', required: ['invoice_id', 'amount'], properties: { invoice_id: { type: 'string' }, amount: { type: 'integer' } } },
  });
  const endpoint = await call(`${commandUrl}/v1/tenants/${t}/endpoints`, adminKey, 'POST', { url: receiver.url, event_types: ['invoice.paid'] });
  receiver.secret = endpoint.secret as string;
  say(`Demo tenant ${t} with event type invoice.paid and endpoint ${endpoint.id as string} → ${receiver.url}`);

  const started = Date.now();
  const msg = await call(`${commandUrl}/v1/tenants/${t}/messages`, adminKey, 'POST', { event_type: 'invoice.paid', payload: { invoice_id: 'in_demo_1', amount: 4200 } });
  say(`1. accepted   POST /messages → 202, message ${msg.id as string} (Kafka acknowledged before the answer)`);

  const inLog = await readFromLog(brokers, msg.position as string);
  say(`2. in Kafka   ${inLog.type} at partition ${inLog.partition}, offset ${inLog.offset} (read back with a plain consumer)`);

  const delivered = await Promise.race([receiver.next(), new Promise<never>((_, r) => setTimeout(() => r(new Error('the demo webhook did not arrive within 30 s')), 30000))]);
  say(`3. delivered  webhook-id ${delivered.webhookId}, attempt ${delivered.attempt ?? 1}, signature ${delivered.verified ? 'verified ✔' : 'INVALID ✖'}, ${Date.now() - started} ms after the API call`);
  say(`              body ${delivered.body}`);

  const view = await waitForReadModel(queryUrl, adminKey, t, msg.id as string);
  say(`4. read model GET ${queryUrl}/v1/tenants/${t}/messages/${msg.id as string} → ${view}`);

  // What the tenant's own users get: the consumer portal, opened with a session link (valid for a day here).
  const session = await call(`${commandUrl}/v1/tenants/${t}/portal-sessions`, adminKey, 'POST', { name: 'demo', expires_in_seconds: 86400 });
  say(`5. portal     the demo tenant's webhook portal (its endpoint, the attempt, resend): ${session.url as string}`);
}

async function waitForReadModel(queryUrl: string, key: string, tenantId: string, messageId: string): Promise<string> {
  const deadline = Date.now() + 30000;
  for (;;) {
    const res = await fetch(`${queryUrl}/v1/tenants/${tenantId}/messages/${messageId}`, { headers: { authorization: `Bearer ${key}` } });
    if (res.ok) {
      const body = (await res.json()) as { deliveries?: Array<{ endpoint_id: string; status: string; attempts?: number }> };
      const done = (body.deliveries ?? []).filter((d) => d.status === 'succeeded');
      if (done.length) return done.map((d) => `delivery to ${d.endpoint_id}: ${d.status}`).join(', ');
    }
    if (Date.now() > deadline) throw new Error(`the read model did not show the delivery within 30 s (last status ${res.status})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
