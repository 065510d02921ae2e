// The floor of the command service's job (bench:floor, see bench/src/floor.ts), in its own process: a bare node:http
// server that takes the generator's publishes, checks the tenant's key, parses the JSON and appends one record per
// message to Kafka with the same producer settings as Hookline (BatchingProducer: idempotent, acks=-1, 2 ms linger),
// answering 202 with the message id and log position once Kafka acknowledged it. No framework, no validation beyond
// the JSON parse, no tracing, no metrics, no message index: what any Kafka-backed design must do at the least.
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { encodePosition, newId } from '@hookline/contracts';
import { BatchingProducer, createKafka } from '@hookline/kafka';
import { serveParent } from './ipc';

interface StartArgs {
  brokers: string[];
  topic: string;
  tenants: Array<{ tenantId: string; apiKey: string }>;
}

let server: http.Server | undefined;
let producer: BatchingProducer | undefined;

const PATH = /^\/v1\/tenants\/([^/]+)\/messages$/;

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

serveParent({
  start: async (raw) => {
    const a = raw as unknown as StartArgs;
    const keys = new Map(a.tenants.map((t) => [t.tenantId, `Bearer ${t.apiKey}`]));
    producer = new BatchingProducer(createKafka({ brokers: a.brokers, clientId: 'bench-bare-ingest', topicPrefix: '' }));
    await producer.connect();
    const out = producer;
    server = http.createServer((req, res) => {
      const tenantId = PATH.exec(req.url ?? '')?.[1];
      if (req.method !== 'POST' || !tenantId) return answer(res, 404, { title: 'not found' });
      if (keys.get(tenantId) !== req.headers.authorization) return answer(res, 401, { title: 'unauthorized' });
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let input: { event_type?: unknown; payload?: unknown };
        try {
          input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof input;
        } catch {
          return answer(res, 400, { title: 'not JSON' });
        }
        if (typeof input.event_type !== 'string' || typeof input.payload !== 'object' || input.payload === null) return answer(res, 422, { title: 'invalid' });
        const id = newId('message');
        const record = { id, tenant_id: tenantId, event_type: input.event_type, occurred_at: new Date().toISOString(), payload: input.payload };
        out.append({ topic: a.topic, key: tenantId, value: JSON.stringify(record) }).then(
          (r) => answer(res, 202, { id, position: encodePosition([{ topic: r.topic, partition: r.partition, offset: r.offset }]) }),
          (err: Error) => answer(res, 503, { title: err.message }),
        );
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  },
  stop: async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await producer?.disconnect();
    return {};
  },
});
