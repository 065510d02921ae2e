import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { topicNames } from '@hookline/contracts';
import { freePort } from '@hookline/testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');

// deploy/local is plain CommonJS shared with `npm start` and the e2e tests; loaded by path, not as a lib.
interface ServiceDef {
  name: string;
  entry: string;
}
interface ServiceHandle {
  name: string;
  child: { pid?: number };
  exited: Promise<unknown>;
  stop(graceMs?: number): Promise<void>;
}
interface ServicesModule {
  SERVICES: ServiceDef[];
  startService(service: ServiceDef, env: Record<string, string>, opts?: { out?: NodeJS.WritableStream; quiet?: boolean }): ServiceHandle;
  waitReady(handle: ServiceHandle, port: number, timeoutMs?: number): Promise<void>;
}
interface KafkaModule {
  ensureKafka(opts: { log?: (m: string) => void; env?: NodeJS.ProcessEnv }): Promise<{ brokers: string[]; started: boolean; pid?: number; stop(): Promise<void> }>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require(path.join(ROOT, 'deploy/local/services.js')) as ServicesModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkaScripts = require(path.join(ROOT, 'deploy/local/kafka.js')) as KafkaModule;

export const ADMIN_API_KEY = 'hk_bench_admin_key_for_local_benchmarks_only';

/** Dispatcher settings of a benchmark run: the production retry schedule compressed to seconds. */
export const DISPATCHER_BENCH_ENV: Record<string, string> = {
  RETRY_SCHEDULE_SECONDS: '0,1,2',
  MIN_DELAY_AFTER_THROTTLE_SECONDS: '1',
  BREAKER_OPEN_SECONDS: '1',
  RETRY_POLL_INTERVAL_MS: '200',
  PARKED_RECHECK_MS: '200',
  SHUTDOWN_TIMEOUT_MS: '5000',
  // The drain stops the dispatcher's process (SIGSTOP) for as long as its backlog is published (12 s in the full run):
  // its group membership must outlive that, or it would come back to a rebalance.
  KAFKA_SESSION_TIMEOUT_MS: '30000',
};

export interface RunningService {
  name: 'command-service' | 'query-service' | 'dispatcher';
  pid: number;
  port: number;
  url: string;
  handle: ServiceHandle;
}

export interface Stack {
  runId: string;
  brokers: string[];
  kafkaStartedByUs: boolean;
  kafkaPid?: number;
  databaseName: string;
  databaseUrl: string;
  topicPrefix: string;
  topics: ReturnType<typeof topicNames>;
  dispatcherGroup: string;
  projectorGroup: string;
  services: Record<RunningService['name'], RunningService>;
  /** With cpuProfile: the first call starts the services' profilers, the second writes <logDir>/<service>.cpuprofile. */
  toggleCpuProfiles(only?: RunningService['name']): void;
  /** The Postgres admin URL (database `postgres`). */
  adminUrl: string;
  /** Stops a service gracefully (SIGTERM, bounded wait); `startAgain` brings it back with the same settings. */
  stopService(name: RunningService['name']): Promise<void>;
  /** Starts a stopped service again (same port and environment) and waits until it is ready; its pid changes. */
  startAgain(name: RunningService['name']): Promise<void>;
  teardown(): Promise<void>;
}

function serverUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  c.on('error', () => undefined);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * Brings up a throwaway stack for one run: Kafka (reused, or started via deploy/local/kafka.js), a fresh database
 * `hookline_bench_<runId>`, topics under a run prefix, and the three services as child processes on free ports.
 * teardown() stops what it started and removes the database, topics and consumer groups.
 */
export interface StackOptions {
  /** Service logs go to <logDir>/<service>.log. */
  logDir: string;
  /** Preload the SIGUSR2-driven profiler (cpu-profiler.preload.js): see Stack.toggleCpuProfiles. */
  cpuProfile?: boolean;
  /** Export the services' spans over OTLP/HTTP to `endpoint`, a `sampleRatio` of the traces (else nothing is exported). */
  tracing?: { endpoint: string; sampleRatio: number };
}

/** Kafka for a run: the cluster on KAFKA_BROKERS or 127.0.0.1:9092 if it answers, else one started through deploy/local/kafka.js. */
export function ensureKafka(log: (m: string) => void, topicPrefix: string): ReturnType<KafkaModule['ensureKafka']> {
  return kafkaScripts.ensureKafka({ log, env: { ...process.env, KAFKA_TOPIC_PREFIX: topicPrefix } });
}

export async function startStack(runId: string, log: (m: string) => void, opts: StackOptions): Promise<Stack> {
  const serviceLogDir = opts.logDir;
  const topicPrefix = `bench-${runId}-`;
  mkdirSync(serviceLogDir, { recursive: true });
  const kafka = await ensureKafka(log, topicPrefix);
  const databaseName = `hookline_bench_${runId}`;
  const adminUrl = withDatabase(serverUrl(), 'postgres');
  const databaseUrl = withDatabase(serverUrl(), databaseName);
  await adminQuery(adminUrl, `CREATE DATABASE "${databaseName}"`);

  const dispatcherGroup = `bench-${runId}-dispatcher`;
  const projectorGroup = `bench-${runId}-projector`;
  const common: Record<string, string> = {
    KAFKA_BROKERS: kafka.brokers.join(','),
    KAFKA_TOPIC_PREFIX: topicPrefix,
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEY,
    HOOKLINE_DEV: 'true',
    ALLOW_HTTP_ENDPOINTS: 'true',
    SSRF_ALLOW_CIDRS: '127.0.0.1/32',
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: opts.tracing?.endpoint ?? '',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
    ...(opts.tracing ? {
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: String(opts.tracing.sampleRatio),
      // The SDK's batch default (5 s, at most 2,048 queued) drops spans at a few hundred messages a second.
      OTEL_BSP_SCHEDULE_DELAY: '500',
      OTEL_BSP_MAX_QUEUE_SIZE: '16384',
    } : {}),
  };
  const started: Partial<Record<RunningService['name'], RunningService>> = {};
  const launch: Partial<Record<RunningService['name'], () => RunningService>> = {};
  const teardown = async () => {
    await Promise.all(Object.values(started).map((s) => s.handle.stop(10_000)));
    await cleanupKafka(kafka.brokers, Object.values(topicNames(topicPrefix)), `bench-${runId}-`).catch((err) =>
      log(`could not remove the run's topics: ${(err as Error).message}`));
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`).catch((err) =>
      log(`could not drop ${databaseName}: ${(err as Error).message}`));
    if (kafka.started) await kafka.stop();
  };

  try {
    const plan: Array<[RunningService['name'], Record<string, string>]> = [
      ['command-service', { PORT: String(await freePort()), GRPC_PORT: String(await freePort()) }],
      ['query-service', { PORT: String(await freePort()), GRPC_PORT: String(await freePort()), PROJECTOR_GROUP_ID: projectorGroup }],
      ['dispatcher', { PORT: String(await freePort()), CONSUMER_GROUP_ID: dispatcherGroup, ...DISPATCHER_BENCH_ENV }],
    ];
    for (const [name, extra] of plan) {
      const def = services.SERVICES.find((s) => s.name === name);
      if (!def) throw new Error(`deploy/local/services.js does not know ${name}`);
      const out = createWriteStream(path.join(serviceLogDir, `${name}.log`));
      const profiling: Record<string, string> = opts.cpuProfile
        ? {
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(__dirname, 'cpu-profiler.preload.js')}`.trim(),
          HOOKLINE_CPU_PROFILE: path.join(serviceLogDir, `${name}.cpuprofile`),
        }
        : {};
      const port = Number(extra.PORT);
      launch[name] = () => {
        const handle = services.startService(def, { ...common, ...extra, ...profiling }, { out });
        return { name, pid: handle.child.pid as number, port, url: `http://127.0.0.1:${port}`, handle };
      };
      started[name] = launch[name]!();
    }
    await Promise.all(Object.values(started).map((s) => services.waitReady(s.handle, s.port, 120_000)));
  } catch (err) {
    await teardown();
    throw err;
  }
  return {
    runId,
    brokers: kafka.brokers,
    kafkaStartedByUs: kafka.started,
    kafkaPid: kafka.pid,
    databaseName,
    databaseUrl,
    topicPrefix,
    topics: topicNames(topicPrefix),
    dispatcherGroup,
    projectorGroup,
    services: started as Stack['services'],
    toggleCpuProfiles: (only) => {
      if (!opts.cpuProfile) return;
      for (const s of Object.values(started)) if (!only || s.name === only) process.kill(s.pid, 'SIGUSR2');
    },
    adminUrl,
    stopService: async (name) => {
      const s = started[name];
      if (s) await s.handle.stop(15_000);
    },
    startAgain: async (name) => {
      const again = launch[name]!();
      // The same object stays in `services`, so readers of `.pid` (the CPU tracker) follow the new process.
      Object.assign(started[name]!, again);
      await services.waitReady(again.handle, again.port, 120_000);
    },
    teardown,
  };
}

/** Deletes the run's topics and every consumer group named with the run's prefix (services', gate's, rebuild's). */
export async function cleanupKafka(brokers: string[], topics: string[], groupPrefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'hookline-bench-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const mine = groups.map((g) => g.groupId).filter((g) => g.startsWith(groupPrefix));
    if (mine.length) await admin.deleteGroups(mine).catch(() => undefined);
    const existing = new Set(await admin.listTopics());
    const ours = topics.filter((t) => existing.has(t));
    if (ours.length) await admin.deleteTopics({ topics: ours, timeout: 15_000 });
  } finally {
    await admin.disconnect();
  }
}
