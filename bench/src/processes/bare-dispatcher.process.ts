// The floor of the dispatcher's job (bench:floor, see bench/src/floor.ts), in its own process: a Kafka consumer group
// on the bare ingest's topic that POSTs every message to each endpoint of its tenant, signed like Hookline (Standard
// Webhooks HMAC), through one keep-alive undici pool with 64 connections (the dispatcher's per-origin default), and
// commits a partition's offset once a batch's POSTs have answered (at least once, the committing of Hookline's
// consumers: runBatchConsumer, at most one commit a second). No fan-out rules, retries, attempt events, breakers, rate
// limits, SSRF guard, tracing or metrics: what any Kafka-backed webhook sender must do at the least.
import { Pool } from 'undici';
import { createKafka, runBatchConsumer } from '@hookline/kafka';
import { serveParent } from './ipc';
import { postSigned } from './signed-post';

interface StartArgs {
  brokers: string[];
  topic: string;
  groupId: string;
  receiverUrl: string;
  /** The receiver paths of each tenant's endpoints. */
  tenants: Array<{ tenantId: string; paths: string[] }>;
}

interface BareMessage {
  id: string;
  tenant_id: string;
  event_type: string;
  occurred_at: string;
  payload: unknown;
}

let consumer: { stop(): Promise<void> } | undefined;
let pool: Pool | undefined;
let delivered = 0;
let failed = 0;

async function post(http: Pool, path: string, m: BareMessage): Promise<void> {
  const body = JSON.stringify({ type: m.event_type, timestamp: m.occurred_at, data: m.payload });
  const status = await postSigned(http, path, m.id, body).catch(() => 0);
  if (status >= 200 && status < 300) delivered++;
  else failed++;
}

serveParent({
  start: async (raw) => {
    const a = raw as unknown as StartArgs;
    const paths = new Map(a.tenants.map((t) => [t.tenantId, t.paths]));
    pool = new Pool(a.receiverUrl, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
    const http = pool;
    consumer = await runBatchConsumer(createKafka({ brokers: a.brokers, clientId: 'bench-bare-dispatcher', topicPrefix: '' }), {
      groupId: a.groupId,
      topics: [a.topic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 12,
      maxWaitTimeInMs: 1000,
      commitIntervalMs: 1000,
      handleBatch: async (batch) => {
        const posts: Array<Promise<void>> = [];
        for (const message of batch.messages) {
          if (!message.value) continue;
          const m = JSON.parse(message.value.toString('utf8')) as BareMessage;
          for (const path of paths.get(m.tenant_id) ?? []) posts.push(post(http, path, m));
        }
        await Promise.all(posts);
        return batch.messages[batch.messages.length - 1].offset;
      },
    });
    return {};
  },
  stop: async () => {
    await consumer?.stop();
    await pool?.close();
    return { delivered, failed };
  },
});
