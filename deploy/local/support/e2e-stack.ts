import { topicNames } from '@hookline/contracts';
import { TestDatabase, testBrokers } from '@hookline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { SERVICES, ServiceHandle, startService, waitReady } from '../services';

// What the end-to-end specs of deploy/local share: the three services as separate processes (as `npm start` runs
// them), on ports, a database and topics of the spec's own, driven only through their public APIs.

export { SERVICES, startService, waitReady };
export type ServiceProcess = ServiceHandle;

export interface StackPorts {
  command: number;
  query: number;
  dispatcher: number;
  commandGrpc: number;
  queryGrpc: number;
}

/** Five ports from a random start within [from, from + 3000): specs running side by side rarely collide. */
export function stackPorts(from: number): StackPorts {
  const base = from + Math.floor(Math.random() * 3000);
  return { command: base, query: base + 1, dispatcher: base + 2, commandGrpc: base + 3, queryGrpc: base + 4 };
}

/**
 * The environment of every service of the stack: the spec's database and topics, webhooks to receivers on 127.0.0.1
 * allowed (SSRF protection stays on), a compressed retry schedule; and each service's own ports.
 */
export function stackEnv(db: TestDatabase, prefix: string, adminKey: string, ports: StackPorts) {
  const shared: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_TOPIC_PREFIX: prefix,
    ADMIN_API_KEY: adminKey,
    HOOKLINE_DEV: 'true',
    ALLOW_HTTP_ENDPOINTS: 'true',
    SSRF_ALLOW_CIDRS: '127.0.0.1/32',
    LOG_LEVEL: 'warn',
    RETRY_SCHEDULE_SECONDS: '0,1,1',
    PROJECTOR_GROUP_ID: `${prefix}query`,
    CONSUMER_GROUP_ID: `${prefix}dispatcher`,
  };
  const ownPorts: Record<string, Record<string, string>> = {
    'command-service': { PORT: String(ports.command), GRPC_PORT: String(ports.commandGrpc), PORTAL_QUERY_URL: `http://127.0.0.1:${ports.query}` },
    // HTTP sources' ingest_url as the query service shows it: this stack's command service, not the default port 3000.
    'query-service': { PORT: String(ports.query), GRPC_PORT: String(ports.queryGrpc), COMMAND_PUBLIC_URL: `http://127.0.0.1:${ports.command}` },
    // The stack shows what a failing expression does, not the deadline (transformations.int.spec.ts does): a worker's
    // first evaluation on a CI machine busy with another test file can take longer than the 250 ms default.
    dispatcher: { PORT: String(ports.dispatcher), TRANSFORMATION_TIMEOUT_MS: '5000' },
  };
  return { shared, of: (service: string) => ({ ...shared, ...ownPorts[service] }), port: (service: string) => Number(ownPorts[service].PORT) };
}
export type StackEnv = ReturnType<typeof stackEnv>;

/**
 * Starts the three services and waits for each to be ready: the command service first (it creates the topics), then
 * the others side by side. Each process goes into `children` as it starts, so the spec's afterAll stops it even when
 * another fails to come up. `commandEnv` adds to the command service's environment.
 */
export async function startStackServices(env: StackEnv, children: ServiceProcess[], commandEnv: Record<string, string> = {}): Promise<void> {
  const [command, ...rest] = SERVICES;
  const first = startService(command, { ...env.of(command.name), ...commandEnv });
  children.push(first);
  await waitReady(first, env.port(command.name));
  const others = rest.map((s) => startService(s, env.of(s.name)));
  children.push(...others);
  await Promise.all(others.map((h, i) => waitReady(h, env.port(rest[i].name))));
}

/** Deletes the spec's topics (the broker is shared with every other spec). */
export async function deleteStackTopics(prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'e2e-cleanup', brokers: testBrokers(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ours = (await admin.listTopics()).filter((t) => Object.values(topicNames(prefix)).includes(t));
    await admin.deleteTopics({ topics: ours }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
