// The ingest benchmark's closed-loop load generator (bench/ingest.bench.ts forks this file): REST publishes, raw
// kafkajs sends, or the service's BatchingProducer on its own, `concurrency` at a time, reported back over IPC with
// this process's CPU time. Its own process, so the client's CPU is not the service's.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'undici';
import { HEADER, TenantId, encodeEvent, envelope, newId } from '@hookline/contracts';
import { BatchingProducer, createKafka } from '@hookline/kafka';
import { percentile } from '../measure/stats';

export const PAYLOAD_BYTES = 1024;

export const EVENT_TYPES = {
  plain: 'bench.plain',
  validated: 'bench.validated',
};

/** A 1 KB JSON payload (exactly, for sequence numbers up to 9 digits). */
function payload(seq: number): Record<string, unknown> {
  const head = {
    order_id: `ord_${String(seq).padStart(9, '0')}`,
    seq,
    amount: 9395,
    currency: 'EUR',
    customer: { id: 'cus_4fd1a0', email: 'buyer@example.com', country: 'DE' },
    lines: [
      { sku: 'sku_1001', qty: 2, unit_amount: 1250 },
      { sku: 'sku_2002', qty: 1, unit_amount: 4900 },
    ],
  };
  const base = JSON.stringify({ ...head, note: '' }).length;
  return { ...head, note: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - base)) };
}


export type LoadRequest =
  | { kind: 'rest'; baseUrl: string; tenantId: string; apiKey: string; eventType: string; concurrency: number; warmupMs: number; durationMs: number }
  /** A provider's webhooks to an HTTP source, each signed as GitHub signs (HMAC-SHA256 of the body, `x-hub-signature-256`). */
  | { kind: 'http-source'; baseUrl: string; tenantId: string; sourceId: string; secret: string; eventType: string; concurrency: number; warmupMs: number; durationMs: number }
  | { kind: 'raw' | 'batching'; brokers: string[]; topic: string; tenantId: string; concurrency: number; warmupMs: number; durationMs: number };

export interface PhaseFigures {
  /** CPU time of the load generator process over the whole phase (warm-up included), ms. */
  clientCpuMs?: number;
  completed: number;
  failed: number;
  statuses: Record<string, number>;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  firstError?: string;
}

/**
 * `concurrency` workers each run `op` back to back; only operations started after the warm-up and finished before the
 * end count, so the figure is a steady state, not a ramp.
 */
async function closedLoop(concurrency: number, warmupMs: number, durationMs: number, op: (seq: number) => Promise<string>): Promise<PhaseFigures> {
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let seq = 0;
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      let outcome: string;
      try {
        outcome = await op(seq++);
      } catch (err) {
        outcome = 'error';
        firstError ??= (err as Error).message;
      }
      const t1 = performance.now();
      if (t0 < measureFrom || t1 > end) continue;
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      if (outcome === 'ok') {
        completed++;
        latencies.push(t1 - t0);
      } else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const sorted = Float64Array.from(latencies).sort();
  const seconds = durationMs / 1000;
  return {
    completed,
    failed,
    statuses,
    seconds,
    perSecond: completed / seconds,
    latencyMs: { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted.length ? sorted[sorted.length - 1] : NaN },
    firstError,
  };
}

/** POSTs `concurrency` at a time over keep-alive connections; a 202 is an accepted one. */
async function postPhase(
  req: { baseUrl: string; concurrency: number; warmupMs: number; durationMs: number },
  post: (seq: number) => { path: string; headers: Record<string, string>; body: string },
): Promise<PhaseFigures> {
  const pool = new Pool(req.baseUrl, { connections: req.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  try {
    return await closedLoop(req.concurrency, req.warmupMs, req.durationMs, async (seq) => {
      const res = await pool.request({ method: 'POST', ...post(seq) });
      await res.body.dump();
      return res.statusCode === 202 ? 'ok' : String(res.statusCode);
    });
  } finally {
    await pool.close();
  }
}

function restPhase(req: Extract<LoadRequest, { kind: 'rest' }>): Promise<PhaseFigures> {
  const headers = { authorization: `Bearer ${req.apiKey}`, 'content-type': 'application/json' };
  const path = `/v1/tenants/${req.tenantId}/messages`;
  return postPhase(req, (seq) => ({ path, headers, body: JSON.stringify({ event_type: req.eventType, payload: payload(seq) }) }));
}

/** The provider signs each webhook (in this process, as a provider's own CPU would). */
function httpSourcePhase(req: Extract<LoadRequest, { kind: 'http-source' }>): Promise<PhaseFigures> {
  const path = `/ingest/${req.sourceId}`;
  return postPhase(req, (seq) => {
    const body = JSON.stringify(payload(seq));
    const signature = `sha256=${createHmac('sha256', req.secret).update(body).digest('hex')}`;
    return { path, headers: { 'content-type': 'application/json', 'x-github-event': req.eventType, 'x-hub-signature-256': signature }, body };
  });
}

/** What the service writes for one accepted message: the envelope (1 KB payload), its headers, keyed by tenant. */
function publishedRecord(tenantId: TenantId, seq: number) {
  const event = envelope(
    {
      type: 'message.published.v1',
      data: { message_id: newId('message'), event_type: EVENT_TYPES.plain, event_type_version: null, payload: payload(seq), channels: [], idempotency_key: null, ordering_key: null },
    },
    { tenantId, source: 'command-service', correlationId: `bench-${seq}` },
  );
  return {
    key: tenantId as string,
    value: encodeEvent(event),
    headers: { [HEADER.eventType]: event.type, [HEADER.eventId]: event.id, [HEADER.tenantId]: tenantId as string, [HEADER.contentType]: 'application/json' },
  };
}

/** The baseline the target is set against: a plain kafkajs idempotent producer, one record per send(). */
async function rawPhase(req: Extract<LoadRequest, { kind: 'raw' | 'batching' }>): Promise<PhaseFigures> {
  const kafka = new Kafka({ clientId: 'hookline-bench-raw', brokers: req.brokers, logLevel: logLevel.ERROR });
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    return await closedLoop(req.concurrency, req.warmupMs, req.durationMs, async (seq) => {
      await producer.send({ topic: req.topic, acks: -1, messages: [publishedRecord(req.tenantId as TenantId, seq)] });
      return 'ok';
    });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Diagnostic: the service's own Kafka path without the service (@hookline/kafka's BatchingProducer, same settings),
 * so REST / this is what HTTP, auth, validation and Nest cost on top of the append.
 */
async function batchingPhase(req: Extract<LoadRequest, { kind: 'raw' | 'batching' }>): Promise<PhaseFigures> {
  const kafka = createKafka({ brokers: req.brokers, clientId: 'hookline-bench-batching', topicPrefix: '' }, quietKafkaLog);
  const producer = new BatchingProducer(kafka);
  await producer.connect();
  try {
    return await closedLoop(req.concurrency, req.warmupMs, req.durationMs, async (seq) => {
      await producer.append({ topic: req.topic, ...publishedRecord(req.tenantId as TenantId, seq) });
      return 'ok';
    });
  } finally {
    await producer.disconnect();
  }
}

const quietKafkaLog = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** The load generator in a process of its own; `run` carries out one phase there, `stop` ends the process. */
export function startLoadGenerator(): { run(req: LoadRequest): Promise<PhaseFigures>; stop(): void } {
  const generator = fork(__filename, [], { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const run = (req: LoadRequest) =>
    new Promise<PhaseFigures>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code}) during a phase`));
      generator.once('exit', onExit);
      generator.once('message', (reply: { ok: boolean; figures?: PhaseFigures; error?: string }) => {
        generator.off('exit', onExit);
        if (reply.ok) resolve(reply.figures!);
        else reject(new Error(`load generator: ${reply.error}`));
      });
      generator.send(req);
    });
  return { run, stop: () => void generator.kill() };
}

function runLoadGenerator(): void {
  process.on('message', (req: LoadRequest) => {
    const cpuBefore = process.cpuUsage();
    const phase = req.kind === 'rest' ? restPhase(req) : req.kind === 'http-source' ? httpSourcePhase(req) : req.kind === 'raw' ? rawPhase(req) : batchingPhase(req);
    phase.then(
      (figures) => {
        const cpu = process.cpuUsage(cpuBefore);
        process.send!({ ok: true, figures: { ...figures, clientCpuMs: (cpu.user + cpu.system) / 1000 } });
      },
      (err: Error) => process.send!({ ok: false, error: err.stack ?? err.message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) runLoadGenerator();
