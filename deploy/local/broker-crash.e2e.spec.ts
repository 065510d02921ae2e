import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freePort, startReceiver, waitFor, TestDatabase, TestReceiver } from '@hookline/testing';
import { ensureKafka, portInUse } from './kafka';
import { SERVICES, startService, waitReady } from './services';

// The three services as separate processes on a Kafka broker of this test's own, which it kills (SIGKILL) and starts
// again in the middle of the traffic: what a broker crash, an OOM kill or a node restart does.

const ADMIN_KEY = `hk_e2e_admin_${randomBytes(12).toString('hex')}`;

type Outcome = { accepted: true; id: string } | { accepted: false; status: number | 'no answer'; retryAfter?: string | null };

// The command service answers 503 when Kafka has not acknowledged a command by then (APPEND_TIMEOUT_MS).
const APPEND_TIMEOUT_MS = 2_000;

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
      APPEND_TIMEOUT_MS: String(APPEND_TIMEOUT_MS),
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

  async function api(method: string, url: string, body?: unknown, timeoutMs = 30_000, headers: Record<string, string> = {}) {
    const base = url.startsWith('q:') ? `http://127.0.0.1:${ports.query}` : `http://127.0.0.1:${ports.command}`;
    const res = await fetch(`${base}${url.replace(/^q:/, '')}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs),
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json', ...headers },
    });
    return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
  }

  async function publish(tenant: string, n: number, timeoutMs?: number, idempotencyKey?: string): Promise<Outcome> {
    try {
      const res = await api('POST', `/v1/tenants/${tenant}/messages`, { event_type: 'order.created', payload: { n } }, timeoutMs, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
      return res.status === 202 ? { accepted: true, id: res.json.id as string } : { accepted: false, status: res.status, retryAfter: res.headers.get('retry-after') };
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
    // with Retry-After at its append deadline (its producer keeps trying for about a minute), config commands too.
    const startedDuring = Date.now();
    const during = await Promise.all(Array.from({ length: 5 }, (_, i) => publish(tenant, 100 + i, 8_000, `during-${100 + i}`)));
    expect(during).toEqual(Array(5).fill({ accepted: false, status: 503, retryAfter: '1' }));
    expect(Date.now() - startedDuring).toBeLessThan(APPEND_TIMEOUT_MS + 4_000);
    const endpointDuring = () => api('POST', `/v1/tenants/${tenant}/endpoints`, { url: `${receiver.url}/during` }, 8_000, { 'idempotency-key': 'endpoint-during' });
    expect((await endpointDuring()).status).toBe(503);

    await startBroker();
    // Once the services have reconnected, publishing works again.
    await waitFor(async () => {
      const o = await publish(tenant, 200, 10_000);
      outcomes.push(o);
      return o.accepted;
    }, 90_000, 'a publish accepted after the restart');
    for (let n = 201; n < 220; n++) outcomes.push(await publish(tenant, n));
    // The clients answered 503 retry with their keys: each gets its message accepted, under one id (the first
    // attempt's, which may have landed after all), and the endpoint is created once, its first attempt's.
    for (let n = 100; n < 105; n++) {
      let retried: Outcome = { accepted: false, status: 'no answer' };
      await waitFor(async () => (retried = await publish(tenant, n, 10_000, `during-${n}`)).accepted, 60_000, `message ${n} accepted on retry`);
      outcomes.push(retried);
    }
    // Its change was committed before the 503; the retry answers 201 with it once the outbox relay has sent it.
    let endpoint = await endpointDuring();
    await waitFor(async () => (endpoint = await endpointDuring()).status === 201, 60_000, 'the endpoint creation accepted on retry');
    expect((await endpointDuring()).json.id).toBe(endpoint.json.id);

    const acknowledged = outcomes.filter((o): o is Extract<Outcome, { accepted: true }> => o.accepted).map((o) => o.id);
    expect(acknowledged.length).toBeGreaterThanOrEqual(45);
    const delivered = () => new Set(receiver.requests.map((r) => String(r.headers['webhook-id'])));
    await waitFor(() => acknowledged.every((id) => delivered().has(id)), 90_000, 'every acknowledged message delivered');
    for (let n = 100; n < 105; n++) {
      const ids = new Set(receiver.requests.filter((r) => r.path === '/hook' && (JSON.parse(r.body) as { data: { n: number } }).data.n === n).map((r) => String(r.headers['webhook-id'])));
      expect({ n, ids: ids.size }).toEqual({ n, ids: 1 });
    }
    const endpointsDuring = async () =>
      ((await api('GET', `q:/v1/tenants/${tenant}/endpoints?limit=100`)).json.data as Array<{ id: string; url: string }> | undefined ?? []).filter((e) => e.url === `${receiver.url}/during`);
    await waitFor(async () => (await endpointsDuring()).length > 0, 30_000, 'the endpoint in the read model');
    expect((await endpointsDuring()).map((e) => e.id)).toEqual([endpoint.json.id]);
    // The read model caught up too: every acknowledged message shows its delivery succeeded.
    await waitFor(async () => {
      const page = await api('GET', `q:/v1/messages?tenant_id=${tenant}&status=succeeded&limit=250`);
      const ids = new Set(((page.json.data ?? []) as Array<{ id: string }>).map((m) => m.id));
      return acknowledged.every((id) => ids.has(id));
    }, 60_000, 'every acknowledged message succeeded in the read model').catch((err: Error) => {
      throw new Error(`${err.message}\n${services.map((s) => `--- the end of ${s.name}'s output:\n${s.outputTail()}`).join('\n')}`);
    });

    const stillRunning = await Promise.all(services.map((s) => Promise.race([s.exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 100))])));
    expect(stillRunning).toEqual([true, true, true]);
  }, 300_000);
});
