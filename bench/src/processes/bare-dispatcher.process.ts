// The floor of the dispatcher's job (bench:floor, see bench/src/floor.ts), in its own process: a Kafka consumer group
// on the bare ingest's topic that POSTs every message to each endpoint of its tenant, signed like Hookline (Standard
// Webhooks HMAC), through one keep-alive undici pool with 64 connections (the dispatcher's per-origin default), and
// commits a partition's offset once a batch's POSTs have answered (at least once, the committing of Hookline's
// consumers: runBatchConsumer, at most one commit a second). No fan-out rules, retries, breakers, rate limits, SSRF
// guard, tracing or metrics: what any Kafka-backed webhook sender must do at the least.
//
// Started with `attemptEventsTopic`, it also does the one thing Hookline's contract adds to every delivery: an attempt
// event (delivery.attempted.v1's fields and record headers, about 1.4 KB) appended to Kafka with Hookline's producer,
// and a batch's offset only moves on once Kafka acknowledged the events of its deliveries.
import { Pool } from 'undici';
import { HEADER, newId } from '@hookline/contracts';
import { BatchingProducer, createKafka, runBatchConsumer } from '@hookline/kafka';
import { serveParent } from './ipc';
import { SignedPostResult, postSigned } from './signed-post';

interface StartArgs {
  brokers: string[];
  topic: string;
  groupId: string;
  receiverUrl: string;
  /** The receiver paths of each tenant's endpoints. */
  tenants: Array<{ tenantId: string; paths: string[] }>;
  /** Where each delivery's attempt event goes; none are written without it. */
  attemptEventsTopic?: string;
}

interface BareMessage {
  id: string;
  tenant_id: string;
  event_type: string;
  occurred_at: string;
  payload: unknown;
}

let consumer: { stop(): Promise<void> } | undefined;
let producer: BatchingProducer | undefined;
let pool: Pool | undefined;
let delivered = 0;
let failed = 0;

async function post(http: Pool, path: string, m: BareMessage, events: { producer: BatchingProducer; topic: string } | null): Promise<void> {
  const body = JSON.stringify({ type: m.event_type, timestamp: m.occurred_at, data: m.payload });
  const startedAt = new Date();
  const result = await postSigned(http, path, m.id, body).catch(() => null);
  const succeeded = result !== null && result.status >= 200 && result.status < 300;
  if (succeeded) delivered++;
  else failed++;
  if (events) await events.producer.append(attemptEvent(events.topic, path, m, startedAt, result, succeeded));
}

/** The record Hookline appends for an attempt: the same envelope, fields and record headers, built without its code. */
function attemptEvent(topic: string, path: string, m: BareMessage, startedAt: Date, result: SignedPostResult | null, succeeded: boolean) {
  const id = newId('event');
  const requestHeaders = result ? { ...result.requestHeaders, 'webhook-signature': 'v1,…' } : {};
  const event = {
    id, type: 'delivery.attempted.v1', occurred_at: new Date().toISOString(), tenant_id: m.tenant_id, source: 'dispatcher',
    correlation_id: m.id, causation_id: m.id,
    data: {
      attempt_id: newId('attempt'), delivery_id: `dlv_${m.id}_${path}`, message_id: m.id, endpoint_id: path, event_type: m.event_type,
      attempt: 1, trigger: 'initial', url: path, request_headers: requestHeaders, started_at: startedAt.toISOString(),
      latency_ms: Date.now() - startedAt.getTime(),
      response: result ? { status: result.status, headers: result.responseHeaders, body: '', body_truncated: false } : null,
      error: succeeded ? null : { class: result ? 'http_status' : 'network', message: result ? `HTTP ${result.status}` : 'no response' },
      succeeded, status: succeeded ? 'succeeded' : 'retry_scheduled', next_attempt_at: null, trace_id: null, message_published_at: m.occurred_at,
    },
  };
  return {
    topic, key: path, value: Buffer.from(JSON.stringify(event)),
    headers: { [HEADER.eventType]: event.type, [HEADER.eventId]: id, [HEADER.tenantId]: m.tenant_id, [HEADER.contentType]: 'application/json' },
  };
}

serveParent({
  start: async (raw) => {
    const a = raw as unknown as StartArgs;
    const paths = new Map(a.tenants.map((t) => [t.tenantId, t.paths]));
    pool = new Pool(a.receiverUrl, { connections: 64, pipelining: 1, keepAliveTimeout: 60_000 });
    const http = pool;
    const kafka = createKafka({ brokers: a.brokers, clientId: 'bench-bare-dispatcher', topicPrefix: '' });
    let events: { producer: BatchingProducer; topic: string } | null = null;
    if (a.attemptEventsTopic) {
      producer = new BatchingProducer(kafka);
      await producer.connect();
      events = { producer, topic: a.attemptEventsTopic };
    }
    consumer = await runBatchConsumer(kafka, {
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
          for (const path of paths.get(m.tenant_id) ?? []) posts.push(post(http, path, m, events));
        }
        await Promise.all(posts);
        return batch.messages[batch.messages.length - 1].offset;
      },
    });
    return {};
  },
  stop: async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await pool?.close();
    producer = undefined;
    return { delivered, failed };
  },
});
