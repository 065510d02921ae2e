import { EndpointId } from '@hookline/contracts';
import { AmqpDestination, createAddressPolicy, createVettedAddressResolver, parseAmqpUrl } from '@hookline/net-guard';
import { AmqpTestScope, createTestPki, freePort, openAmqpTestScope } from '@hookline/testing';
import { X509Certificate } from 'node:crypto';
import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';
import { TLSSocket, createSecureContext, createServer as createTlsServer } from 'node:tls';
import { classifyAmqpError } from './amqp-attempt-error';
import { AmqpConnections } from './amqp-connections';
import { AmqpDestinationMessage } from './amqp-message';

jest.setTimeout(60_000);

const endpoint = (n: number) => `ep_01JABCDEFGHJKMNPQRSTVWXY${String(n).padStart(2, '0')}` as EndpointId;
const message = (n: number, routingKey = 'order.created'): AmqpDestinationMessage => ({
  routingKey, content: Buffer.from(`{"n":${n}}`), properties: { messageId: `msg_${n}`, mandatory: true, persistent: true },
});
const destination = (url: string): AmqpDestination => {
  const parsed = parseAmqpUrl(url);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.destination;
};

/** A TCP relay to the test broker that counts connections and can cut them all, as a network failure would. */
async function startRelay(target: URL): Promise<{ port: number; connections: () => number; open: () => number; cut: () => void; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    const upstream = connect(Number(target.port || 5672), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    open: () => sockets.size / 2,
    cut: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    }),
  };
}

describe('AMQP destination connections: one per broker and login, reused, reopened, closed (real RabbitMQ)', () => {
  let scope: AmqpTestScope;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let exchange: string;
  let queue: string;
  const brokerUrl = () => new URL(scope.url);
  const login = () => ({ type: 'amqp_plain' as const, username: decodeURIComponent(brokerUrl().username), password_sealed: decodeURIComponent(brokerUrl().password) });
  const resolve = createVettedAddressResolver({ policy: createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }) });
  const pool = (options: Partial<ConstructorParameters<typeof AmqpConnections>[0]> = {}) =>
    new AmqpConnections({ resolve, clientName: 'hookline-test', connectTimeoutMs: 1000, idleMs: 60_000, maxConnections: 10, open: (sealed) => sealed, ...options });
  const viaRelay = (query = `exchange=${exchange}`) => destination(`amqp://127.0.0.1:${relay.port}?${query}`);

  beforeAll(async () => {
    scope = await openAmqpTestScope('amqp-connections');
    exchange = await scope.exchange('orders', 'topic');
    queue = await scope.queue('orders');
    await scope.channel.bindQueue(queue, exchange, 'order.*');
    relay = await startRelay(brokerUrl());
  });
  afterAll(async () => {
    await relay?.close();
    await scope?.close();
  });

  it('publishes every message of one broker and login through one connection, confirmed; another login is another connection', async () => {
    const connections = pool();
    try {
      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(1), 5000);
      await Promise.all([2, 3, 4].map((n) => connections.publish(endpoint(n), viaRelay(), { login: login() }, message(n), 5000)));
      expect([connections.size, relay.connections()]).toEqual([1, 1]);
      // The same user without an explicit login (guest) is another identity: never shared with the first.
      await connections.publish(endpoint(5), viaRelay(), {}, message(5), 5000);
      expect([connections.size, relay.connections()]).toEqual([2, 2]);
      const got = await scope.drain(queue);
      expect(got.map((m) => m.properties.messageId).sort()).toEqual(['msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5']);
    } finally {
      await connections.destroy();
    }
  });

  it('reconnects after the connection was cut, and reopens a channel the broker closed on the same connection', async () => {
    const connections = pool();
    try {
      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(6), 5000);
      const before = relay.connections();
      relay.cut();
      await new Promise((r) => setTimeout(r, 100));
      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(7), 5000);
      expect(relay.connections()).toBe(before + 1);
      // A missing exchange closes the channel (404), not the connection: the next publish goes on a new channel.
      const missing = await connections.publish(endpoint(2), viaRelay(`exchange=${scope.name('missing')}`), { login: login() }, message(8), 5000).catch((e: unknown) => e);
      expect(classifyAmqpError(missing, 'here')).toMatchObject({ class: 'broker_refused', message: expect.stringContaining('404 NOT_FOUND') });
      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(9), 5000);
      expect(relay.connections()).toBe(before + 1);
      expect((await scope.drain(queue)).map((m) => m.properties.messageId)).toEqual(['msg_6', 'msg_7', 'msg_9']);
    } finally {
      await connections.destroy();
    }
  });

  it('tells a returned (unroutable) message from a routed one published alongside it', async () => {
    const connections = pool();
    try {
      const results = await Promise.all([
        connections.publish(endpoint(1), viaRelay(), { login: login() }, message(10, 'order.created'), 5000).then(() => 'routed', (e: unknown) => classifyAmqpError(e, 'here').class),
        connections.publish(endpoint(1), viaRelay(), { login: login() }, message(11, 'nobody.binds.this'), 5000).then(() => 'routed', (e: unknown) => classifyAmqpError(e, 'here').class),
        connections.publish(endpoint(1), viaRelay(), { login: login() }, message(12, 'order.paid'), 5000).then(() => 'routed', (e: unknown) => classifyAmqpError(e, 'here').class),
      ]);
      expect(results).toEqual(['routed', 'unroutable', 'routed']);
      expect((await scope.drain(queue)).map((m) => m.properties.messageId)).toEqual(['msg_10', 'msg_12']);
    } finally {
      await connections.destroy();
    }
  });

  it('closes a connection left idle, one no endpoint uses any more, and the idlest one when the pool is full', async () => {
    const connections = pool({ maxConnections: 2 });
    try {
      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(13), 5000);
      connections.closeIdle(Date.now() + 60_000);
      expect(connections.size).toBe(0);
      await waitUntil(() => relay.open() === 0);

      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(14), 5000);
      await connections.publish(endpoint(2), viaRelay(), { login: login() }, message(15), 5000);
      connections.forget(endpoint(1));
      expect(connections.size).toBe(1); // endpoint 2 still publishes through it
      connections.forget(endpoint(2));
      expect(connections.size).toBe(0);
      await waitUntil(() => relay.open() === 0);

      await connections.publish(endpoint(1), viaRelay(), { login: login() }, message(16), 5000);
      await connections.publish(endpoint(2), viaRelay(), {}, message(17), 5000);
      expect(connections.size).toBe(2);
      // A third destination (the same broker by another name) on a full pool: the idlest connection, endpoint 1's, makes room.
      await connections.publish(endpoint(3), destination(`amqp://localhost:${relay.port}?exchange=${exchange}`), { login: login() }, message(18), 5000);
      expect(connections.size).toBe(2);
      await waitUntil(() => relay.open() === 2);
      // Endpoint 2's connection stayed: publishing there opens nothing new.
      const opened = relay.connections();
      await connections.publish(endpoint(2), viaRelay(), {}, message(19), 5000);
      expect(relay.connections()).toBe(opened);
      await scope.drain(queue);
    } finally {
      await connections.destroy();
    }
  });

  it("a broker that never answers holds up only its own attempts, which end at the deadline (timeout)", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const connections = pool({ connectTimeoutMs: 5000 });
    try {
      const stuck = connections.publish(endpoint(1), destination(`amqp://127.0.0.1:${(silent.address() as AddressInfo).port}?exchange=x`), {}, message(20), 800)
        .catch((e: unknown) => e);
      const started = Date.now();
      await connections.publish(endpoint(2), viaRelay(), { login: login() }, message(21), 5000);
      expect(Date.now() - started).toBeLessThan(800);
      expect(classifyAmqpError(await stuck, 'here').class).toBe('timeout');
      const refused = await connections.publish(endpoint(3), destination(`amqp://127.0.0.1:${await freePort()}?exchange=x`), {}, message(22), 2000).catch((e: unknown) => e);
      expect(classifyAmqpError(refused, 'here').class).toBe('connect');
      await scope.drain(queue);
    } finally {
      await connections.destroy();
      silent.close();
    }
  });

  it('refuses an address the policy refuses without connecting', async () => {
    let accepted = 0;
    const server = createServer((s) => {
      accepted += 1;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const strict = pool({ resolve: createVettedAddressResolver({ policy: createAddressPolicy() }) });
    try {
      const port = (server.address() as AddressInfo).port;
      for (const host of ['127.0.0.1', 'localhost', '10.0.0.1', '169.254.169.254']) {
        const error = await strict.publish(endpoint(1), destination(`amqp://${host}:${port}?exchange=x`), {}, message(23), 2000).catch((e: unknown) => e);
        expect(classifyAmqpError(error, 'here').class).toBe('ssrf_refused');
      }
      expect(accepted).toBe(0);
    } finally {
      await strict.destroy();
      server.close();
    }
  });

  // The test broker has no TLS listener: a TLS server stands in for one, to see what the handshake offers and checks.
  it('amqps:// sends the host name (SNI), verifies the broker against the trusted CAs and presents the client certificate; an untrusted one is a tls failure', async () => {
    const pki = createTestPki();
    const client = pki.client('acme-hookline');
    const presented: string[] = [];
    const servernames: string[] = [];
    const serverCert = pki.server('127.0.0.1');
    const broker = createTlsServer({
      ...serverCert, ca: pki.ca, requestCert: true, rejectUnauthorized: true,
      SNICallback: (servername, callback) => {
        servernames.push(servername);
        callback(null, createSecureContext({ ...serverCert, ca: pki.ca }));
      },
    }, (socket: TLSSocket) => {
      presented.push(String((socket.getPeerCertificate() as { subject?: { CN?: string } }).subject?.CN));
    });
    await new Promise<void>((r) => broker.listen(0, '127.0.0.1', r));
    const port = (broker.address() as AddressInfo).port;
    const certificate = { cert_pem: client.cert, key_sealed: client.key, fingerprint_sha256: new X509Certificate(client.cert).fingerprint256, not_after: '2099-01-01T00:00:00.000Z' };
    const trusting = pool({ ca: [pki.ca] });
    const untrusting = pool();
    try {
      // The stand-in never answers AMQP's protocol header: the handshake is what is looked at.
      await trusting.publish(endpoint(1), destination(`amqps://127.0.0.1:${port}?exchange=x`), { certificate }, message(24), 500).catch(() => undefined);
      expect(presented).toEqual(['acme-hookline']);
      // By name: dialled at the vetted address, with the name as SNI (and as the name the certificate must carry).
      const error = await untrusting.publish(endpoint(1), destination(`amqps://localhost:${port}?exchange=x`), {}, message(25), 2000).catch((e: unknown) => e);
      expect(servernames).toContain('localhost');
      expect(classifyAmqpError(error, 'here')).toMatchObject({ class: 'tls', message: expect.stringMatching(/^TLS with the broker failed: /) });
    } finally {
      await Promise.all([trusting.destroy(), untrusting.destroy()]);
      broker.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
