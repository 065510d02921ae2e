/**
 * HTTP sources against POST /messages: `npm run bench:http-source [-- --quick]`.
 *
 * Starts the command service in this process (fresh database and topic prefix, both removed at the end), creates a
 * tenant, its key, an event type (no schema) and an HTTP source with GitHub's verification (an HMAC-SHA256 of the body
 * in `x-hub-signature-256`, event type from `x-github-event`), then measures with the ingest benchmark's closed-loop
 * load generator in a child process (64 requests in flight over keep-alive connections, 1 KB JSON payloads):
 *
 *  - REST:   POST /v1/tenants/:id/messages with an API key, answered 202 once Kafka acknowledged the message;
 *  - source: POST /ingest/:source_id, each webhook signed by the generator as a provider would, checked by the service
 *            (source lookup, signature over the raw body, JSON parse, event type from the header) and published through
 *            the same handler, answered 202 once Kafka acknowledged it.
 *
 * REST and source phases alternate twice after a warm-up; the ratio is source/REST of their means, as
 * validation.bench.ts gives its ratios. Every accepted request must be a record on the topic (high watermarks).
 */
import os from 'node:os';
import { benchApi, benchRunId, indexCaughtUp, startBenchCommandService, sumHighWatermarks } from './src/ingest/bench-command-service';
import { LoadRequest, startLoadGenerator } from './src/ingest/load-generator';

const CONCURRENCY = 64;
const EVENT_TYPE = 'bench.push';
const SECRET = 'bench-github-s3cret';

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--quick');
  if (unknown.length) {
    process.stderr.write(`usage: npm run bench:http-source [-- --quick] (got "${argv.join(' ')}")\n`);
    return 2;
  }
  const quick = argv.includes('--quick');
  const [warmupMs, durationMs] = quick ? [1000, 3000] : [2000, 10_000];
  const log = (line: string) => process.stdout.write(`[http-source] ${line}\n`);
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  const loadAtStart = os.loadavg()[0];
  const bench = await startBenchCommandService(
    'http-source', benchRunId(new Date()), brokers, process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', log,
  );
  const generator = startLoadGenerator();
  try {
    const { baseUrl, adminKey, prefix, topics, kafka } = bench;
    const tenant = await benchApi<{ id: string }>(baseUrl, 'POST', '/v1/tenants', adminKey, { name: 'HTTP source bench' });
    const key = await benchApi<{ key: string }>(baseUrl, 'POST', '/v1/api-keys', adminKey, { name: 'bench', scope: 'tenant', tenant_id: tenant.id });
    await benchApi(baseUrl, 'POST', `/v1/tenants/${tenant.id}/event-types`, key.key, { name: EVENT_TYPE });
    const source = await benchApi<{ id: string }>(baseUrl, 'POST', `/v1/tenants/${tenant.id}/sources`, key.key, {
      name: 'GitHub', verification: { type: 'github', secret: SECRET }, event_type: { from: 'header', header: 'x-github-event' },
    });

    const common = { baseUrl, tenantId: tenant.id, eventType: EVENT_TYPE, concurrency: CONCURRENCY, warmupMs, durationMs };
    const rest: LoadRequest = { kind: 'rest', apiKey: key.key, ...common };
    const ingest: LoadRequest = { kind: 'http-source', sourceId: source.id, secret: SECRET, ...common };
    const plan: Array<[string, LoadRequest]> = [['warm-up', { ...rest, warmupMs: 0, durationMs: warmupMs * 2 }], ['REST', rest], ['source', ingest], ['REST', rest], ['source', ingest]];
    const rates: Record<string, number[]> = { REST: [], source: [] };
    const rows: string[] = [];
    for (const [name, req] of plan) {
      const before = await sumHighWatermarks(kafka, topics.messages);
      const figures = await generator.run(req);
      // The service indexes every message it appends: each phase starts with that work done, not left to the next.
      await indexCaughtUp(kafka, `${prefix}hookline-command-service`, topics.messages);
      const appended = (await sumHighWatermarks(kafka, topics.messages)) - before;
      if (appended < figures.completed) throw new Error(`${name}: ${figures.completed} requests were accepted but only ${appended} records reached the topic`);
      if (figures.failed) throw new Error(`${name}: ${figures.failed} requests failed (${JSON.stringify(figures.statuses)}; ${figures.firstError ?? ''})`);
      if (name === 'warm-up') continue;
      rates[name].push(figures.perSecond);
      rows.push(`| ${name} | ${figures.perSecond.toFixed(0)} | ${figures.latencyMs.p50.toFixed(1)} | ${figures.latencyMs.p99.toFixed(1)} |`);
      log(`${name}: ${figures.perSecond.toFixed(0)} accepted/s`);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    process.stdout.write([
      '',
      '| phase | accepted/s | p50 ms | p99 ms |',
      '|---|---|---|---|',
      ...rows,
      '',
      `source/REST = ${(mean(rates.source) / mean(rates.REST)).toFixed(2)} (${CONCURRENCY} in flight, ${durationMs / 1000} s phases; `
        + `load average ${loadAtStart.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`,
      '',
    ].join('\n'));
    return 0;
  } finally {
    generator.stop();
    await bench.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[http-source] failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
