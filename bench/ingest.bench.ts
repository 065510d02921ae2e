/**
 * REST ingest vs a raw Kafka producer: `node -r @swc-node/register bench/ingest.bench.ts [--quick]`.
 *
 * Starts the command service in this process (fresh database `hookline_bench_<run>`, fresh topic prefix, both removed at
 * the end), creates a tenant, a tenant API key and two event types (no schema; a small JSON Schema), then measures, with
 * the same closed-loop load generator in a child process (`src/ingest/load-generator.ts`, so the client's CPU is not the service's):
 *
 *  - raw:  a kafkajs producer (idempotent, acks=-1), 64 concurrent send() calls of one record each: the same
 *          message.published.v1 envelope (1 KB JSON payload) the service would write, to the same topic and broker;
 *  - REST: POST /v1/tenants/:id/messages through an undici Pool (64 keep-alive connections, 64 requests in flight),
 *          same payload, answered 202 only once Kafka acknowledged the record — for each event type;
 *  - diagnostic: the service's BatchingProducer on its own (64 concurrent appends, no HTTP), the ceiling REST can reach.
 *
 * kafkajs' idempotent producer holds a lock per broker, so the raw baseline sends one one-record request at a time: it
 * measures the broker's round trip, and the service's micro-batching can beat it. REST / BatchingProducer says how much
 * of the real ceiling the HTTP layer keeps.
 *
 * Each phase warms up, then runs for a fixed time (10 s, 3 s with --quick); raw runs before and after the REST phases
 * and the ratio uses their mean, so drift of a shared machine shows. Every accepted REST request must be a record on the topic (checked
 * with the high watermarks). Prints a table and writes bench/results/ingest-<timestamp>.json. Target: REST/raw ≥ 0.6.
 *
 * `runIngestBench()` is exported for callers that want the figures without the printing.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchCommandService, benchApi, benchRunId, indexCaughtUp, startBenchCommandService, sumHighWatermarks } from './src/ingest/bench-command-service';
import { EVENT_TYPES, LoadRequest, PAYLOAD_BYTES, PhaseFigures, startLoadGenerator } from './src/ingest/load-generator';

const TARGET_RATIO = 0.6;
const PHASE = {
  raw: 'raw kafkajs producer',
  rest: 'REST, no schema',
  restValidated: 'REST, small schema',
  batching: 'BatchingProducer, no HTTP (diagnostic)',
  rawAgain: 'raw kafkajs producer (again)',
};
const CONCURRENCY = 64;
const RESULTS_DIR = path.join(__dirname, 'results');

const SMALL_SCHEMA = {
  type: 'object',
  required: ['order_id', 'seq', 'amount'],
  properties: {
    order_id: { type: 'string' },
    seq: { type: 'integer', minimum: 0 },
    amount: { type: 'integer' },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    customer: { type: 'object' },
    lines: { type: 'array' },
    note: { type: 'string' },
  },
};

export interface IngestBenchOptions {
  quick?: boolean;
  /** Default: KAFKA_BROKERS or 127.0.0.1:9092. */
  brokers?: string[];
  /** Postgres server (the run's database is created on it). Default: DATABASE_URL's server or 127.0.0.1:5432. */
  databaseServerUrl?: string;
  log?: (line: string) => void;
}

export interface IngestPhase extends PhaseFigures {
  name: string;
  /**
   * CPU time of this process (the command service) over the phase and, after REST phases, until its message index
   * caught up with the phase's records, ms. In raw phases it is the index catching up on the raw records.
   */
  serviceCpuMs: number;
  /** Service CPU per message accepted in the phase, µs (warm-up included in both: a cost, not a latency). */
  serviceCpuUsPerMessage: number;
  /** Records the phase added to the messages topic (REST: must equal the accepted requests started in it, at least). */
  recordsAppended: number;
}

export interface IngestBenchResult {
  runId: string;
  startedAt: string;
  config: { quick: boolean; concurrency: number; payloadBytes: number; warmupMs: number; durationMs: number; brokers: string[] };
  /** loadAverage: the 1-minute load at the start and the end, since a busy shared machine skews every figure. */
  environment: { node: string; cpus: number; cpuModel: string; platform: string; loadAverage: { start: number; end: number } };
  phases: IngestPhase[];
  rawProducerPerSecond: number;
  restAcceptedPerSecond: number;
  restValidatedPerSecond: number;
  /** The service's own producer without HTTP in front (diagnostic). */
  batchingProducerPerSecond: number;
  ratio: number;
  ratioValidated: number;
  /** REST / BatchingProducer: the share of the bare append path REST keeps. */
  ratioToBatching: number;
  targetRatio: number;
  met: boolean;
}

export async function runIngestBench(opts: IngestBenchOptions = {}): Promise<IngestBenchResult> {
  const quick = opts.quick ?? false;
  const log = opts.log ?? ((line: string) => process.stdout.write(`[ingest] ${line}\n`));
  const brokers = opts.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  const warmupMs = quick ? 1000 : 2000;
  const durationMs = quick ? 3000 : 10_000;
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0];
  const runId = benchRunId(startedAt);
  const bench: BenchCommandService = await startBenchCommandService(
    'ingest', runId, brokers, opts.databaseServerUrl ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', log,
  );
  const { baseUrl, adminKey: ADMIN_KEY, prefix, topics, kafka } = bench;
  let generator: ReturnType<typeof startLoadGenerator> | null = null;
  try {
    const tenant = await benchApi<{ id: string }>(baseUrl, 'POST', '/v1/tenants', ADMIN_KEY, { name: 'Ingest bench' });
    const key = await benchApi<{ key: string }>(baseUrl, 'POST', '/v1/api-keys', ADMIN_KEY, { name: 'ingest', scope: 'tenant', tenant_id: tenant.id });
    await benchApi(baseUrl, 'POST', `/v1/tenants/${tenant.id}/event-types`, key.key, { name: EVENT_TYPES.plain });
    await benchApi(baseUrl, 'POST', `/v1/tenants/${tenant.id}/event-types`, key.key, { name: EVENT_TYPES.validated, schema: SMALL_SCHEMA });

    generator = startLoadGenerator();
    const load = generator.run;

    const phases: IngestPhase[] = [];
    const common = { tenantId: tenant.id, concurrency: CONCURRENCY, warmupMs, durationMs };
    // The service indexes every record of the messages topic (for resend), whoever wrote it. Before a REST phase the
    // index catches up on the raw phase's records, and the REST phase's CPU includes indexing its own records.
    // The service's first seconds under load are slower (JIT, heap growth): a REST warm-up phase, not reported, takes
    // them, so the first measured REST phase is not penalised for its position.
    const plan: Array<[string, LoadRequest, { catchUp: boolean; report: boolean }]> = [
      [PHASE.raw, { kind: 'raw', brokers, topic: topics.messages, ...common }, { catchUp: true, report: true }],
      ['REST warm-up', { kind: 'rest', baseUrl, apiKey: key.key, eventType: EVENT_TYPES.validated, ...common, warmupMs: 0, durationMs: warmupMs * 2 }, { catchUp: true, report: false }],
      [PHASE.rest, { kind: 'rest', baseUrl, apiKey: key.key, eventType: EVENT_TYPES.plain, ...common }, { catchUp: true, report: true }],
      [PHASE.restValidated, { kind: 'rest', baseUrl, apiKey: key.key, eventType: EVENT_TYPES.validated, ...common }, { catchUp: true, report: true }],
      [PHASE.rawAgain, { kind: 'raw', brokers, topic: topics.messages, ...common }, { catchUp: false, report: true }],
      [PHASE.batching, { kind: 'batching', brokers, topic: topics.messages, ...common }, { catchUp: false, report: true }],
    ];
    for (const [name, req, { catchUp, report }] of plan) {
      log(`${name}: ${req.warmupMs / 1000} s warm-up + ${req.durationMs / 1000} s, ${CONCURRENCY} in flight`);
      const before = await sumHighWatermarks(kafka, topics.messages);
      const cpuBefore = process.cpuUsage();
      const figures = await load(req);
      if (catchUp) await indexCaughtUp(kafka, `${prefix}hookline-command-service`, topics.messages);
      const cpu = process.cpuUsage(cpuBefore);
      const recordsAppended = (await sumHighWatermarks(kafka, topics.messages)) - before;
      if (recordsAppended < figures.completed) {
        throw new Error(`${name}: ${figures.completed} requests were acknowledged but only ${recordsAppended} records reached the topic`);
      }
      const serviceCpuMs = (cpu.user + cpu.system) / 1000;
      if (report) phases.push({ name, ...figures, recordsAppended, serviceCpuMs, serviceCpuUsPerMessage: (serviceCpuMs * 1000) / Math.max(1, recordsAppended) });
    }

    const rate = (name: string) => phases.find((p) => p.name === name)!.perSecond;
    const raw = (rate(PHASE.raw) + rate(PHASE.rawAgain)) / 2;
    const result: IngestBenchResult = {
      runId,
      startedAt: startedAt.toISOString(),
      config: { quick, concurrency: CONCURRENCY, payloadBytes: PAYLOAD_BYTES, warmupMs, durationMs, brokers },
      environment: {
        node: process.version,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        platform: `${os.platform()} ${os.release()}`,
        loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
      },
      phases,
      rawProducerPerSecond: raw,
      restAcceptedPerSecond: rate(PHASE.rest),
      restValidatedPerSecond: rate(PHASE.restValidated),
      batchingProducerPerSecond: rate(PHASE.batching),
      ratio: rate(PHASE.rest) / raw,
      ratioValidated: rate(PHASE.restValidated) / raw,
      ratioToBatching: rate(PHASE.rest) / rate(PHASE.batching),
      targetRatio: TARGET_RATIO,
      met: rate(PHASE.rest) / raw >= TARGET_RATIO,
    };
    return result;
  } finally {
    generator?.stop();
    await bench.stop();
  }
}

function formatTable(r: IngestBenchResult): string {
  const rows = r.phases.map((p) => [
    p.name,
    p.perSecond.toFixed(0),
    (p.perSecond / r.rawProducerPerSecond).toFixed(2),
    p.latencyMs.p50.toFixed(1),
    p.latencyMs.p99.toFixed(1),
    String(p.failed),
    p.name.startsWith('REST') ? p.serviceCpuUsPerMessage.toFixed(0) : '-',
    ((p.clientCpuMs ?? 0) * 1000 / Math.max(1, p.recordsAppended)).toFixed(0),
  ]);
  const header = ['phase', 'msg/s', 'vs raw', 'p50 ms', 'p99 ms', 'failed', 'service µs/msg', 'client µs/msg'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `REST/raw = ${r.ratio.toFixed(2)} (small schema: ${r.ratioValidated.toFixed(2)}); target >= ${r.targetRatio}: ${r.met ? 'met' : 'NOT met'}`,
    `REST/BatchingProducer = ${r.ratioToBatching.toFixed(2)} (what HTTP, auth, validation and Nest leave of the bare append path)`,
    `load average ${r.environment.loadAverage.start.toFixed(1)} → ${r.environment.loadAverage.end.toFixed(1)} on ${r.environment.cpus} CPUs`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--quick');
  if (unknown.length) {
    process.stderr.write(`usage: node -r @swc-node/register bench/ingest.bench.ts [--quick] (got "${argv.join(' ')}")\n`);
    return 2;
  }
  const result = await runIngestBench({ quick: argv.includes('--quick') });
  process.stdout.write(`\n${formatTable(result)}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `ingest-${result.runId.split('_')[0]}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 1)}\n`);
  process.stdout.write(`results: ${path.relative(process.cwd(), file)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`[ingest] failed: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
