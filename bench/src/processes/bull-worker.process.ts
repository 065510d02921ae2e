// The conventional Node design's delivery side, in its own process: a BullMQ worker on the local Redis that signs
// each job's payload (Standard Webhooks HMAC, like Hookline) and POSTs it with an undici pool — the same receiver,
// the same payload and the same number of requests in flight as the dispatcher's per-endpoint budget allows.
import { createHmac } from 'node:crypto';
import { Job, Worker } from 'bullmq';
import { Pool } from 'undici';
import { serveParent } from './ipc';

const SECRET = Buffer.from('bench-secret-bench-secret-bench-secret');

let worker: Worker | undefined;
let http: Pool | undefined;
let processed = 0;
let failed = 0;

interface StartArgs {
  redisUrl: string;
  queueName: string;
  concurrency: number;
  receiverUrl: string;
}

serveParent({
  start: async (raw) => {
    const a = raw as unknown as StartArgs;
    http = new Pool(a.receiverUrl, { connections: a.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
    const pool = http;
    worker = new Worker(
      a.queueName,
      async (job: Job<{ id: string; endpoint: number; payload: string }>) => {
        const timestamp = Math.floor(Date.now() / 1000);
        const body = `{"type":"order.created","timestamp":"${new Date().toISOString()}","data":${job.data.payload}}`;
        const signature = createHmac('sha256', SECRET).update(`${job.data.id}.${timestamp}.${body}`).digest('base64');
        const res = await pool.request({
          method: 'POST',
          path: `/bull/${job.data.endpoint}`,
          headers: {
            'content-type': 'application/json',
            'webhook-id': job.data.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': `v1,${signature}`,
          },
          body,
          headersTimeout: 15_000,
          bodyTimeout: 15_000,
        });
        await res.body.dump();
        if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`HTTP ${res.statusCode}`);
      },
      { connection: { url: a.redisUrl, maxRetriesPerRequest: null }, concurrency: a.concurrency },
    );
    worker.on('completed', () => processed++);
    worker.on('failed', () => failed++);
    await worker.waitUntilReady();
    return { ok: true };
  },
  stop: async () => {
    await worker?.close(true);
    await http?.close();
    return { processed, failed };
  },
});
