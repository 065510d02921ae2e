import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { createLogger } from '@hookline/observability';
import { waitFor } from '@hookline/testing';
import { ReadModels } from '../database/read-models';
import { ProjectionLag } from '../lag/projection-lag';
import { rebuildReadModels } from '../replay/replay-runner';
import { TestStack, getJson } from '../testing/harness';
import { dumpGeneration } from '../testing/dump-tables';
import { waitCaughtUp } from '../testing/wait-caught-up';
import { workload } from '../testing/workload';
import { PROJECTOR_NAME } from './projector-name';

const ROOT = join(__dirname, '..', '..', '..', '..');
const log = createLogger({ service: 'crash-test', level: 'warn' });

/** Counts that must come out exact: a doubled or lost event shows up in at least one of them. */
async function counts(ds: DataSource, generation: number) {
  const [row] = await ds.query(`SELECT
      (SELECT count(*) FROM query_g${generation}.messages)::int AS messages,
      (SELECT count(*) FROM query_g${generation}.attempts)::int AS attempts,
      (SELECT COALESCE(sum(attempts), 0) FROM query_g${generation}.endpoint_health)::int AS health_attempts,
      (SELECT COALESCE(sum(attempt_count), 0) FROM query_g${generation}.deliveries)::int AS delivery_attempts,
      (SELECT count(*) FROM query_g${generation}.audit_log)::int AS audit`);
  return row as Record<string, number>;
}

async function publishSlowly(stack: TestStack, events: Parameters<TestStack['publish']>[0], chunk: number, pauseMs: number) {
  for (let i = 0; i < events.length; i += chunk) {
    await stack.publish(events.slice(i, i + chunk));
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

describe('crash and outage recovery (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let models: ReadModels;
  let lag: ProjectionLag;

  beforeAll(async () => {
    stack = await TestStack.create('crash');
    models = await ReadModels.open({ url: stack.db.url, poolSize: 4 });
    lag = new ProjectionLag(stack.kafka, models, stack.topics, PROJECTOR_NAME);
  });
  afterAll(async () => {
    await lag?.close();
    await models?.close();
    await stack?.close();
  });

  function startChild(env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/query-service/src/main.ts'],
      { cwd: ROOT, env: { ...process.env, ...env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'ignore', 'inherit'] });
    return child;
  }

  it('SIGKILL of the projector mid-stream: after a restart no count is doubled and nothing is missing', async () => {
    const config = await stack.config();
    const env = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    const load = workload(6, 250);
    expect(load.events.length).toBeGreaterThan(2000);

    let child = startChild(env);
    // A third of the events at once; the rest only once the child projects, so the kill lands while events are still
    // flowing however long the child takes to start (a slow machine used to see the whole load projected first).
    const firstPart = Math.floor(load.events.length / 3);
    await publishSlowly(stack, load.events.slice(0, firstPart), 60, 15);
    await waitFor(async () => (await counts(models.dataSource, 1)).messages > 200, 60_000, 'projection to make progress', 20);
    const publishing = publishSlowly(stack, load.events.slice(firstPart), 60, 15);
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = await counts(models.dataSource, 1);
    expect(atKill.messages).toBeLessThan(load.messages);

    await publishing;
    child = startChild(env);
    try {
      await waitCaughtUp(lag, 90_000);
      const after = await counts(models.dataSource, 1);
      const configEvents = load.events.filter((e) => /^(tenant|api_key|event_type|endpoint)\.(created|disabled)/.test(e.type)).length;
      expect(after).toEqual({ messages: load.messages, attempts: load.attempts, health_attempts: load.attempts,
        delivery_attempts: load.attempts, audit: configEvents });
      const [{ n }] = await models.dataSource.query('SELECT count(*)::int AS n FROM query_g1.deliveries WHERE status = \'dead_lettered\'');
      expect(n).toBe(load.events.filter((e) => e.type === 'delivery.dead_lettered.v1').length);

      // Strongest check: the state that survived the crash equals a rebuild of the log from scratch.
      const survived = await dumpGeneration(models.dataSource, 1);
      await rebuildReadModels({ kafka: stack.kafka, models, topics: stack.topics, consumerName: PROJECTOR_NAME,
        groupIdPrefix: `${stack.prefix}rebuild`, log });
      expect(await dumpGeneration(models.dataSource, 2)).toEqual(survived);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('Postgres connections killed under load: the service recovers by itself and catches up exactly', async () => {
    const { service, baseUrl } = await stack.startService({ PROJECTOR_GROUP_ID: `${stack.prefix}outage` });
    try {
      await waitCaughtUp(service.lag);
      const generation = await service.models.activeGeneration();
      const before = await counts(service.models.dataSource, generation);
      const load = workload(3, 250);
      const publishing = publishSlowly(stack, load.events, 50, 10);
      const admin = new Client({ connectionString: stack.db.url });
      await admin.connect();
      let killed = 0;
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 150));
        const res = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        killed += res.rowCount ?? 0;
      }
      await admin.end();
      await publishing;
      expect(killed).toBeGreaterThan(0);

      await waitCaughtUp(service.lag, 90_000);
      const after = await counts(service.models.dataSource, generation);
      expect(after.messages - before.messages).toBe(load.messages);
      expect(after.attempts - before.attempts).toBe(load.attempts);
      expect(after.health_attempts - before.health_attempts).toBe(load.attempts);
      expect(after.delivery_attempts - before.delivery_attempts).toBe(load.attempts);
      await waitFor(async () => (await getJson(baseUrl, '/readyz')).status === 200, 20_000, 'ready again');
    } finally {
      await service.stop();
    }
  });
});
