// The command service run in the benchmark's own process, on a database and a topic prefix of the run's own, both
// removed by stop(): what bench/ingest.bench.ts and bench/http-source.bench.ts measure against.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { loadConfig } from '@hookline/config';
import { TopicKey, topicNames } from '@hookline/contracts';
import { createLogger, createMetrics } from '@hookline/observability';
import { freePort } from '@hookline/testing';
// The benchmark measures the service itself, in process: there is no lib that exposes an app, by design.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { COMMAND_ENV } from '../../../apps/command-service/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { runCommandService } from '../../../apps/command-service/src/server';
import { cleanupKafka } from '../stack/stack';

export interface BenchCommandService {
  baseUrl: string;
  adminKey: string;
  databaseName: string;
  prefix: string;
  topics: Record<TopicKey, string>;
  /** An admin client of the run's broker (no prefix). */
  kafka: Kafka;
  /** Stops the service and removes the run's database, topics and consumer groups (each failure logged, not thrown). */
  stop(): Promise<void>;
}

/**
 * Starts the command service for one run `runId` (named `<label>`): database `hookline_bench_<runId>` on the Postgres
 * server of `databaseServerUrl`, topics `bench-<label>-<runId>-*` on `brokers`.
 */
export async function startBenchCommandService(
  label: string, runId: string, brokers: string[], databaseServerUrl: string, log: (line: string) => void,
): Promise<BenchCommandService> {
  const prefix = `bench-${label}-${runId}-`;
  const topics = topicNames(prefix);
  const adminKey = `hk_bench_admin_${randomBytes(16).toString('hex')}`;
  const server = new URL(databaseServerUrl);
  server.pathname = '/postgres';
  const databaseName = `hookline_bench_${runId}`;
  const databaseUrl = new URL(server);
  databaseUrl.pathname = `/${databaseName}`;
  const pg = new Client({ connectionString: server.toString() });
  await pg.connect();
  await pg.query(`CREATE DATABASE "${databaseName}"`);
  const kafka = new Kafka({ clientId: 'hookline-bench-admin', brokers, logLevel: logLevel.ERROR });

  let stopService = async (): Promise<void> => undefined;
  const stop = async () => {
    await stopService().catch((err) => log(`stopping the service failed: ${(err as Error).message}`));
    // The database first: when the broker is why the run failed, the Kafka clean-up below fails too, and it used to
    // leave the run's database behind.
    await pg.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch((err) => log(`dropping ${databaseName} failed: ${(err as Error).message}`));
    await pg.end();
    await cleanupKafka(brokers, Object.values(topics), prefix).catch((err) => log(`removing the run's topics and groups failed: ${(err as Error).message}`));
  };
  try {
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl.toString(),
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      GRPC_PORT: String(await freePort()),
      ADMIN_API_KEY: adminKey,
      HOOKLINE_DEV: 'true',
      ALLOW_HTTP_ENDPOINTS: 'true',
      LOG_LEVEL: 'warn',
    };
    const logger = createLogger({ service: `command-service-bench-${label}`, level: 'warn', env });
    const service = await runCommandService(loadConfig(COMMAND_ENV, env), logger, createMetrics({ service: 'command-service', defaultMetrics: false }));
    stopService = () => service.stop();
    const baseUrl = `http://127.0.0.1:${env.PORT}`;
    log(`command service on ${baseUrl}, database ${databaseName}, topics ${prefix}*`);
    return { baseUrl, adminKey, databaseName, prefix, topics, kafka, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One REST call of the benchmark's set-up; anything but 2xx stops the run. */
export async function benchApi<T>(baseUrl: string, method: string, urlPath: string, key: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}${urlPath}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${urlPath} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Records on a topic so far (the sum of its partitions' high watermarks). */
export async function sumHighWatermarks(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the service's log follower has committed every record of `topic` (its message index is complete). */
export async function indexCaughtUp(kafka: Kafka, groupId: string, topic: string, timeoutMs = 120_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = ends.filter((p) => {
        const c = committed?.partitions.find((q) => q.partition === p.partition)?.offset ?? '-1';
        return BigInt(p.high) > BigInt(p.low) && (c === '-1' || BigInt(c) < BigInt(p.high));
      });
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`the message index did not catch up with ${topic} within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

/** A run id: the start time and a random suffix (`20261202t044500z_a1b2c3`). */
export function benchRunId(startedAt: Date): string {
  return `${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}_${randomBytes(3).toString('hex')}`;
}
