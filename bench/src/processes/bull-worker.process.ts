// The conventional Node design's delivery side, in its own process: a BullMQ worker on the local Redis that signs
// each job's payload (Standard Webhooks HMAC, like Hookline) and POSTs it with an undici pool — the same receiver,
// the same payload and the same number of requests in flight as the dispatcher's per-endpoint budget allows.
import { Job, Worker } from 'bullmq';
import { Pool } from 'undici';
import { serveParent } from './ipc';
import { postSigned } from './signed-post';

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
        const body = `{"type":"order.created","timestamp":"${new Date().toISOString()}","data":${job.data.payload}}`;
        const { status } = await postSigned(pool, `/bull/${job.data.endpoint}`, job.data.id, body);
        if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
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
