import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freePort, startReceiver, waitFor, TestDatabase, TestReceiver } from '@hookline/testing';
import { ensureKafka, portInUse } from './kafka';

// The three services as separate processes on a Kafka broker of this test's own, which it kills (SIGKILL) and starts
// again in the middle of the traffic: what a broker crash, an OOM kill or a node restart does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SERVICES, startService, waitReady } = require('./services') as {
  SERVICES: Array<{ name: string; entry: string }>;
  startService(s: unknown, env: Record<string, string>, o?: { quiet?: boolean }): { name: string; stop(): Promise<void>; exited: Promise<unknown> };
  waitReady(h: unknown, port: number, timeoutMs?: number): Promise<void>;
};

const ADMIN_KEY = `hk_e2e_admin_${randomBytes(12).toString('hex')}`;

type Outcome = { accepted: true; id: string } | { accepted: false; status: number | 'no answer' };

describe('a Kafka broker crash under the three services (own broker, service processes)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-broker-crash-'));
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_TOPIC_PREFIX: '' };
  delete env.KAFKA_BROKERS;
  let kafkaPorts: { port: number; controllerPort: number };
  let broker: Awaited<ReturnType<typeof ensureKafka>> | undefined;
  let db: TestDatabase;
  let receiver: TestReceiver;
  const services: Array<ReturnType<typeof startService>> = [];
  const ports = { command: 0, commandGrpc: 0, dispatcher: 0, query: 0, queryGrpc: 0 };

  const startBroker = async () => {
    broker = await ensureKafka({ log: () => {}, env, ...kafkaPorts, dataDir });
  };

  beforeAll(async () => {
    // Seven ports, all different: the OS may hand out a port again once it was released.
    const taken = new Set<number>();
    const distinctPort = async () => {
      let port = await freePort();
      while (taken.has(port)) port = await freePort();
      taken.add(port);
      return port;
    };
    kafkaPorts = { port: await distinctPort(), controllerPort: await distinctPort() };
    for (const name of Object.keys(ports) as Array<keyof typeof ports>) ports[name] = await distinctPort();
    await startBroker();
    db = await createTestDatabase('brokercrash');
    receiver = await startReceiver();
    const common = {
      DATABASE_URL: db.url, KAFKA_BROKERS: broker!.brokers.join(','), ADMIN_API_KEY: ADMIN_KEY, HOOKLINE_DEV: 'true',
      ALLOW_HTTP_ENDPOINTS: 'true', SSRF_ALLOW_CIDRS: '127.0.0.1/32', LOG_LEVEL: 'error', RETRY_SCHEDULE_SECONDS: '0,1,1,2,5',
    };
    const [command, dispatcher, query] = ['command-service', 'dispatcher', 'query-service'].map((name) => SERVICES.find((s) => s.name === name)!);
    const c = startService(command, { ...common, PORT: String(ports.command), GRPC_PORT: String(ports.commandGrpc) }, { quiet: true });
    services.push(c);
    await waitReady(c, ports.command);
    const d = startService(dispatcher, { ...common, PORT: String(ports.dispatcher) }, { quiet: true });
    const q = startService(query, { ...common, PORT: String(ports.query), GRPC_PORT: String(ports.queryGrpc) }, { quiet: true });
    services.push(d, q);
    await Promise.all([waitReady(d, ports.dispatcher), waitReady(q, ports.query)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop(5000)));
    await broker?.stop();
    await receiver?.close();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  async function api(method: string, url: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; json: Record<string, unknown> }> {
    const base = url.startsWith('q:') ? `http://127.0.0.1:${ports.query}` : `http://127.0.0.1:${ports.command}`;
    const res = await fetch(`${base}${url.replace(/^q:/, '')}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  async function publish(tenant: string, n: number, timeoutMs?: number): Promise<Outcome> {
    try {
      const res = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'order.created', payload: { n } }, timeoutMs);
      return res.status === 202 ? { accepted: true, id: res.json.id as string } : { accepted: false, status: res.status };
    } catch {
      return { accepted: false, status: 'no answer' };
    }
  }

  it('delivers every message it acknowledged, before, during and after the crash, the read model shows them, and every service stays up', async () => {
    const tenant = (await api('POST', '/v1/tenants', { name: 'broker crash' })).json.id as string;
    expect((await api('POST', `/v1/tenants/${tenant}/event-types`, { name: 'order.created' })).status).toBe(201);
    expect((await api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiver.url}/hook` })).status).toBe(201);
    const outcomes: Outcome[] = [];
    for (let n = 0; n < 20; n++) outcomes.push(await publish(tenant, n));
    expect(outcomes.filter((o) => !o.accepted)).toEqual([]);
    await receiver.waitForRequests(20, 30_000);

    process.kill(broker!.pid!, 'SIGKILL');
    await waitFor(async () => !(await portInUse('127.0.0.1', kafkaPorts.port)), 10_000, 'the broker gone');
    // While it is down nothing can be made durable, so nothing may be acknowledged: the command service answers 503
    // once its producer gives up (about a minute), and these clients give up before that.
    const during = await Promise.all(Array.from({ length: 5 }, (_, i) => publish(tenant, 100 + i, 8_000)));
    expect(during.filter((o) => o.accepted)).toEqual([]);

    await startBroker();
    // Once the services have reconnected, publishing works again.
    await waitFor(async () => {
      const o = await publish(tenant, 200, 10_000);
      outcomes.push(o);
      return o.accepted;
    }, 90_000, 'a publish accepted after the restart');
    for (let n = 201; n < 220; n++) outcomes.push(await publish(tenant, n));

    const acknowledged = outcomes.filter((o): o is Extract<Outcome, { accepted: true }> => o.accepted).map((o) => o.id);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    const delivered = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    await waitFor(() => acknowledged.every((id) => delivered().has(id)), 90_000, 'every acknowledged message delivered');
    // The read model caught up too: every acknowledged message shows its delivery succeeded.
    await waitFor(async () => {
      const page = await api('GET', `q:/v1/messages?tenant_id=${tenant}&status=succeeded&limit=250`);
      const ids = new Set(((page.json.data ?? []) as Array<{ id: string }>).map((m) => m.id));
      return acknowledged.every((id) => ids.has(id));
    }, 60_000, 'every acknowledged message succeeded in the read model');

    const stillRunning = await Promise.all(services.map((s) => Promise.race([s.exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 100))])));
    expect(stillRunning).toEqual([true, true, true]);
  }, 300_000);
});
