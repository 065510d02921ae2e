// Shared by the command service's *.int.spec.ts files (not a spec itself): runs the real service in-process on a
// fresh `hookline_test_…` database and a per-file topic prefix, talks to it over REST (fetch) and gRPC, records every
// event on its topics with a plain kafkajs consumer, and removes all of it afterwards.
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { loadConfig } from '@hookline/config';
import { EventOf, HooklineEvent, TopicKey, decodeEvent, topicNames } from '@hookline/contracts';
import { createKafka, deleteTopics } from '@hookline/kafka';
import { createLogger, createMetrics } from '@hookline/observability';
import { COMMAND_PACKAGE, COMMAND_PROTO, PROTO_ROOT } from '@hookline/proto';
import { TestDatabase, createTestDatabase, freePort, testBrokers, testTopicPrefix, waitFor } from '@hookline/testing';
import { Admin, Consumer, Kafka } from 'kafkajs';
import { Client, QueryResult, QueryResultRow } from 'pg';
import { COMMAND_ENV } from '../config';
import { RunningCommandService, runCommandService } from '../server';

export const ADMIN_KEY = `hk_test_admin_${randomBytes(16).toString('hex')}`;

// Integration tests wait on Kafka (consumer joins, the follower's commits, the 5 s key cache): jest's 5 s default is
// too tight for a test and leaves no room on a slow machine. Applies to every spec file that uses this harness.
jest.setTimeout(30_000);

/**
 * A decoded JSON answer. Tests read answers field by field and let the assertions say what they expect, so the
 * harness does not pretend to know their shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RestAnswer<T = Json> {
  status: number;
  headers: Headers;
  contentType: string;
  body: T;
  text: string;
}

export interface RestOptions {
  /** API key sent as `Authorization: Bearer …`; null sends no Authorization header. Defaults to the admin key. */
  key?: string | null;
  /** JSON-encoded unless `raw` is set. */
  body?: unknown;
  /** Sent as is (with its own content-type header, if any). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Another instance's base URL (see startPeer); defaults to the harness' service. */
  baseUrl?: string;
}

/** One event as a plain kafkajs consumer read it from a topic. */
export interface RecordedEvent {
  topic: string;
  topicKey: TopicKey;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  raw: string;
  event: EventOf<HooklineEvent>;
}

export interface GrpcError extends Error {
  code: grpc.status;
  details: string;
  metadata: grpc.Metadata;
}

type GrpcService = 'TenantService' | 'ApiKeyService' | 'EventTypeService' | 'EndpointService' | 'MessageService' | 'SealingKeyService' | 'SourceService';

export interface CommandServiceHarness {
  env: Record<string, string>;
  db: TestDatabase;
  prefix: string;
  topics: Record<TopicKey, string>;
  kafka: Kafka;
  running: RunningCommandService;
  baseUrl: string;
  rest<T = Json>(method: string, path: string, opts?: RestOptions): Promise<RestAnswer<T>>;
  /** Runs SQL on the service's test database (one connection of the harness' own, closed by close()). */
  sql<R extends QueryResultRow = Json>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** A new tenant with a key of its own and the named event types, as an integrating service sets itself up. */
  tenantWithKey(name: string, eventTypes?: string[]): Promise<{ tenantId: string; key: string }>;
  /** Calls a unary RPC with `extra` metadata; rejects with the gRPC error (code, details, metadata). */
  grpc<T = Json>(service: GrpcService, method: string, request: object, key?: string | null, extra?: Record<string, string>): Promise<T>;
  /** The same, resolving with the reply and the metadata the server sent with it. */
  grpcCall<T = Json>(service: GrpcService, method: string, request: object, key?: string | null, extra?: Record<string, string>): Promise<{ reply: T; metadata: grpc.Metadata }>;
  /** Every event on the service's topics so far (waits until the recorder has read up to the high watermarks); records that are not events are left out. */
  events(topic?: TopicKey): Promise<RecordedEvent[]>;
  /**
   * A second instance of the service on the same database and topics (as in a scaled deployment), on its own ports;
   * stopped by close() at the latest.
   */
  startPeer(): Promise<{ baseUrl: string; stop(): Promise<void> }>;
  /** Resolves once the service's log follower has committed everything on the messages and operational topics. */
  followerCaughtUp(): Promise<void>;
  /** Stops the service (the database and topics stay) and starts it again with the same configuration. */
  restart(): Promise<void>;
  stopService(): Promise<void>;
  startService(): Promise<void>;
  close(): Promise<void>;
}


const PORT_TAKEN = /EADDRINUSE|address already in use|No address added/i;

/**
 * Starts the command service for one spec file. `overrides` replace entries of the default test environment
 * (ADMIN_API_KEY, HOOKLINE_DEV=true, ALLOW_HTTP_ENDPOINTS=true, SSRF_ALLOW_CIDRS=127.0.0.1/32, LOG_LEVEL=warn).
 */
export async function startCommandServiceHarness(label: string, overrides: Record<string, string> = {}): Promise<CommandServiceHarness> {
  const db = await createTestDatabase(label);
  const prefix = testTopicPrefix(`cmd-${label}`);
  const topics = topicNames(prefix);
  const kafka = createKafka({ brokers: testBrokers(), clientId: `hookline-test-${label}`, topicPrefix: prefix }, quietKafkaLogger);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    HOST: '127.0.0.1',
    ADMIN_API_KEY: ADMIN_KEY,
    HOOKLINE_DEV: 'true',
    ALLOW_HTTP_ENDPOINTS: 'true',
    SSRF_ALLOW_CIDRS: '127.0.0.1/32',
    LOG_LEVEL: 'warn',
    ...overrides,
  };

  // Starts an instance on fresh ports of `instanceEnv`, retrying when a port was taken between choosing and binding.
  const startInstance = async (instanceEnv: Record<string, string>) => {
    for (let attempt = 1; ; attempt++) {
      instanceEnv.PORT = String(await freePort());
      instanceEnv.GRPC_PORT = String(await freePort());
      const config = loadConfig(COMMAND_ENV, instanceEnv);
      const logger = createLogger({ service: `command-service-test-${label}`, level: instanceEnv.LOG_LEVEL, env: instanceEnv });
      try {
        return await runCommandService(config, logger, createMetrics({ service: 'command-service', defaultMetrics: false }));
      } catch (err) {
        if (attempt >= 5 || !PORT_TAKEN.test(String((err as Error)?.message ?? err))) throw err;
      }
    }
  };
  let running: RunningCommandService | null = null;
  const peers: RunningCommandService[] = [];
  const startService = async () => {
    running = await startInstance(env);
  };
  const stopService = async () => {
    await running?.stop();
    running = null;
    grpcClients.forEach((c) => c.close());
    grpcClients.clear();
  };

  const grpcClients = new Map<GrpcService, grpc.Client>();
  const definition = protoLoader.loadSync(COMMAND_PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, includeDirs: [PROTO_ROOT] });
  const pkg = grpc.loadPackageDefinition(definition);
  const servicePkg = COMMAND_PACKAGE.split('.').reduce((o, part) => o[part] as grpc.GrpcObject, pkg) as Record<GrpcService, grpc.ServiceClientConstructor>;
  const clientOf = (service: GrpcService) => {
    let client = grpcClients.get(service);
    if (!client) {
      client = new servicePkg[service](`127.0.0.1:${env.GRPC_PORT}`, grpc.credentials.createInsecure()) as grpc.Client;
      grpcClients.set(service, client);
    }
    return client as grpc.Client & Record<string, (...args: unknown[]) => unknown>;
  };

  let recorder: Recorder;
  try {
    await startService();
    recorder = await startRecorder(kafka, topics, prefix);
  } catch (err) {
    // Nothing of a file whose set-up failed may outlive it: no test topics, no test database.
    await stopService().catch(() => undefined);
    await deleteTopics(kafka, Object.values(topics)).catch(() => undefined);
    await db.drop().catch(() => undefined);
    throw err;
  }

  let sqlClient: Promise<Client> | undefined;
  const harness: CommandServiceHarness = {
    env,
    db,
    prefix,
    topics,
    kafka,
    get running() {
      if (!running) throw new Error('the command service is stopped');
      return running;
    },
    get baseUrl() {
      return `http://127.0.0.1:${env.PORT}`;
    },
    async rest(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const key = opts.key === undefined ? ADMIN_KEY : opts.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let body: string | Buffer | undefined;
      if (opts.raw !== undefined) body = opts.raw;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${opts.baseUrl ?? harness.baseUrl}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: leave the text
      }
      return { status: res.status, headers: res.headers, contentType: res.headers.get('content-type') ?? '', body: parsed as Json, text };
    },
    async sql(text, params) {
      sqlClient ??= (async () => {
        const client = new Client({ connectionString: db.url });
        await client.connect();
        return client;
      })();
      return (await sqlClient).query(text, params);
    },
    async tenantWithKey(name, eventTypes = []) {
      const tenantId: string = (await harness.rest('POST', '/v1/tenants', { body: { name } })).body.id;
      const key: string = (await harness.rest('POST', '/v1/api-keys', { body: { name: `${name} key`, scope: 'tenant', tenant_id: tenantId } })).body.key;
      for (const eventType of eventTypes) {
        const created = await harness.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: eventType } });
        if (created.status !== 201) throw new Error(`event type ${eventType}: ${created.status} ${created.text}`);
      }
      return { tenantId, key };
    },
    async grpc(service, method, request, key = ADMIN_KEY, extra = {}) {
      return (await harness.grpcCall(service, method, request, key, extra)).reply;
    },
    grpcCall(service, method, request, key = ADMIN_KEY, extra = {}) {
      const client = clientOf(service);
      const metadata = new grpc.Metadata();
      if (key !== null) metadata.set('authorization', `Bearer ${key}`);
      for (const [name, value] of Object.entries(extra)) metadata.set(name, value);
      let received = new grpc.Metadata();
      return new Promise((resolve, reject) => {
        const call = client[method](request, metadata, { deadline: Date.now() + 15_000 }, (err: GrpcError | null, reply: Json) =>
          err ? reject(err) : resolve({ reply, metadata: received }),
        );
        (call as grpc.ClientUnaryCall).on('metadata', (m: grpc.Metadata) => (received = m));
      });
    },
    async events(topic) {
      await recorder.catchUp();
      return topic ? recorder.events.filter((e) => e.topicKey === topic) : [...recorder.events];
    },
    async followerCaughtUp() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const followed = [topics.messages, topics.operational];
        const ends = await Promise.all(followed.map(async (topic) => ({ topic, offsets: await topicOffsets(admin, topic) })));
        await waitFor(
          async () => {
            const committed = await admin.fetchOffsets({ groupId: `${prefix}hookline-command-service`, topics: followed });
            return ends.every(({ topic, offsets }) =>
              offsets.every((p) => {
                const c = committed.find((t) => t.topic === topic)?.partitions.find((q) => q.partition === p.partition);
                return BigInt(p.high) === BigInt(p.low) || (c !== undefined && c.offset !== '-1' && BigInt(c.offset) >= BigInt(p.high));
              }),
            );
          },
          20_000,
          'the log follower to commit up to the high watermarks',
        );
      } finally {
        await admin.disconnect();
      }
    },
    async startPeer() {
      const peerEnv = { ...env };
      const peer = await startInstance(peerEnv);
      peers.push(peer);
      return { baseUrl: `http://127.0.0.1:${peerEnv.PORT}`, stop: () => peer.stop() };
    },
    async restart() {
      await stopService();
      await startService();
    },
    stopService,
    startService,
    async close() {
      if (sqlClient) await (await sqlClient).end().catch(() => undefined);
      for (const peer of peers) await peer.stop().catch(() => undefined);
      await stopService().catch(() => undefined);
      await recorder.stop().catch(() => undefined);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { groups } = await admin.listGroups();
        const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
        if (ours.length) await admin.deleteGroups(ours).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
      await deleteTopics(kafka, Object.values(topics));
      await db.drop();
    },
  };
  return harness;
}

/** A topic's offsets; retried while a just-created topic's leaders are still being announced (NOT_LEADER_FOR_PARTITION). */
function topicOffsets(admin: Admin, topic: string) {
  return waitFor(() => admin.fetchTopicOffsets(topic), 15_000, `the offsets of ${topic}`, 200);
}

interface Recorder {
  events: RecordedEvent[];
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

/** A plain kafkajs consumer on every topic, from the beginning: what any downstream reader of the topics sees. */
async function startRecorder(kafka: Kafka, topics: Record<TopicKey, string>, prefix: string): Promise<Recorder> {
  const keyOf = new Map(Object.entries(topics).map(([k, name]) => [name, k as TopicKey]));
  const events: RecordedEvent[] = [];
  const seen = new Map<string, bigint>(); // topic/partition → next offset to read
  const consumer: Consumer = kafka.consumer({ groupId: `${prefix}recorder-${randomBytes(3).toString('hex')}`, maxWaitTimeInMs: 100 });
  const admin: Admin = kafka.admin();
  await admin.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: Object.values(topics), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      seen.set(`${topic}/${partition}`, BigInt(message.offset) + 1n);
      const raw = message.value?.toString('utf8') ?? '';
      let event: EventOf<HooklineEvent>;
      try {
        event = decodeEvent(raw);
      } catch {
        return; // garbage a test wrote on purpose: not an event
      }
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      events.push({ topic, topicKey: keyOf.get(topic)!, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, headers, raw, event });
    },
  });
  return {
    events,
    async catchUp() {
      const ends = await Promise.all(Object.values(topics).map(async (t) => ({ t, offsets: await topicOffsets(admin, t) })));
      await waitFor(
        () => ends.every(({ t, offsets }) => offsets.every((p) => BigInt(p.high) <= (seen.get(`${t}/${p.partition}`) ?? BigInt(p.low)))),
        20_000,
        'the topic recorder to reach the high watermarks',
        20,
      );
    },
    async stop() {
      await consumer.disconnect();
      await admin.disconnect();
    },
  };
}

// The harness' own clients only report errors; the service under test logs through its own client.
const quietKafkaLogger = {
  error: (obj: object, msg: string) => process.stderr.write(`test kafka client: ${msg} ${JSON.stringify(obj)}\n`),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/** Polls until `probe` is truthy (a shorter default timeout than @hookline/testing's, for in-process checks). */
export const eventually = <T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000) => waitFor(probe, timeoutMs, what, 50);
