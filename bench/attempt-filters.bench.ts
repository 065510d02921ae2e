// `npm run bench:attempt-filters`: what a page of an endpoint's attempts costs the query service with a filter, against
// the same page without one, on an endpoint with many attempts of which few failed (a healthy endpoint: the failures
// are what people filter for). The query is the service's own (attemptsPage, as GET /v1/endpoints/{id}/attempts runs
// it) on a read model migrated as the service migrates it; then once more without attempts_endpoint_failed (migration
// 0012), to show what that index is for. Medians of interleaved rounds, in ms; ratios to the unfiltered page.
import 'reflect-metadata';
import { Client } from 'pg';
// The benchmark measures the service's own query and read model: no lib exposes them, by design.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { ReadModels } from '../apps/query-service/src/database/read-models';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { attemptsPage } from '../apps/query-service/src/shared/attempts-page';
import { median } from './src/measure/stats';

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 400_000);
/** One attempt in this many failed: 0.01 %. */
const FAILURE_EVERY = 10_000;
const ROUNDS = 9;
const DATABASE = 'hookline_bench_attempt_filters_test';
const BASE_URL = process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const TENANT = 'tnt_01BENCH0000000000000000000';
const ENDPOINT = 'ep_01BENCH0000000000000000000';

type Filters = Parameters<typeof attemptsPage>[2]['filters'];
const PAGES: Array<[string, Filters]> = [
  ['no filter (baseline)', {}],
  ['outcome=failed', { outcome: 'failed' }],
  ['status_code_class=5xx', { status_code_class: '5xx' }],
  ['error_class=timeout', { error_class: 'timeout' }],
  ['outcome=succeeded', { outcome: 'succeeded' }],
];

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: `${BASE_URL}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** ATTEMPTS attempts of one endpoint, one a second back from now; every FAILURE_EVERY-th a 503 or a timeout. */
async function fill(models: ReadModels): Promise<void> {
  await models.write('active', async (em) => {
    await em.query(`
      INSERT INTO attempts (attempt_id, tenant_id, delivery_id, message_id, endpoint_id, event_type, attempt, trigger, url,
        request_headers, response_status, response_body_truncated, latency_ms, error_class, error_message, succeeded, status,
        started_at, created_at)
      SELECT 'att_' || lpad(i::text, 26, '0'), $1, 'dlv_' || i, 'msg_' || i, $2, 'order.created', 1, 'initial', 'https://example.com/hook',
        '{}'::jsonb,
        CASE WHEN i % $3 <> 0 THEN 200 WHEN i % (2 * $3) = 0 THEN NULL ELSE 503 END, false, 40,
        CASE WHEN i % $3 <> 0 THEN NULL WHEN i % (2 * $3) = 0 THEN 'timeout' ELSE 'http_status' END,
        CASE WHEN i % $3 <> 0 THEN NULL ELSE 'failed' END,
        i % $3 <> 0, CASE WHEN i % $3 <> 0 THEN 'succeeded' ELSE 'retrying' END,
        now() - make_interval(secs => i), now() - make_interval(secs => i)
      FROM generate_series(1, $4) AS i`, [TENANT, ENDPOINT, FAILURE_EVERY, ATTEMPTS]);
    await em.query('ANALYZE attempts');
  });
}

async function pageMs(models: ReadModels, filters: Filters): Promise<number> {
  const started = process.hrtime.bigint();
  const page = await models.read((em) => attemptsPage(em, { tenantId: TENANT, portal: false, cursor: null, limit: 50 }, { endpointId: ENDPOINT, filters }));
  if (page.data.length === 0) throw new Error(`no attempts for ${JSON.stringify(filters)}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function measure(models: ReadModels): Promise<Map<string, number>> {
  const runs = new Map<string, number[]>(PAGES.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, filters] of PAGES) {
      const ms = await pageMs(models, filters);
      // The first round warms the caches and the JIT and is not counted.
      if (round > 0) runs.get(name)!.push(ms);
    }
  }
  return new Map([...runs].map(([name, values]) => [name, median(values)]));
}

async function main(): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  const models = await ReadModels.open({ url: `${BASE_URL}/${DATABASE}` });
  try {
    await fill(models);
    const withIndex = await measure(models);
    await models.write('active', (em) => em.query('DROP INDEX attempts_endpoint_failed'));
    const without = await measure(models);
    const base = withIndex.get(PAGES[0][0])!;
    const baseWithout = without.get(PAGES[0][0])!;
    process.stdout.write([
      `${ATTEMPTS.toLocaleString('en')} attempts of one endpoint, ${(100 / FAILURE_EVERY).toFixed(2)} % failed; a page of 50, newest first.`,
      '',
      '| page | as shipped, ms (× unfiltered) | without attempts_endpoint_failed, ms (× unfiltered) |',
      '|---|---|---|',
      ...PAGES.map(([name]) => {
        const a = withIndex.get(name)!;
        const b = without.get(name)!;
        return `| ${name} | ${a.toFixed(2)} (${(a / base).toFixed(1)}×) | ${b.toFixed(2)} (${(b / baseWithout).toFixed(1)}×) |`;
      }),
      '',
    ].join('\n'));
  } finally {
    await models.close();
    await admin(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
