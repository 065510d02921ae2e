import { startReceiver, waitFor } from '@hookline/testing';
import net from 'node:net';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(60_000);

/** The smallest CONNECT proxy: records each tunnel's target and pipes it to 127.0.0.1 (tests never go elsewhere). */
async function startEgressProxy() {
  const targets: string[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.once('data', (head: Buffer) => {
      const target = /^CONNECT (\S+) /.exec(head.toString('latin1'))?.[1] ?? '';
      targets.push(target);
      const upstream = net.connect({ host: '127.0.0.1', port: Number(target.split(':').at(-1)) }, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        client.pipe(upstream).pipe(client);
      });
      open.add(upstream);
      upstream.on('error', () => client.destroy());
    });
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    targets,
    close: () => new Promise<void>((resolve) => (open.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

describe('egress proxy: DELIVERY_PROXY_URL (real Kafka, real Postgres, receivers on 127.0.0.1)', () => {
  const h = new DispatcherHarness('egress-proxy');
  let proxy: Awaited<ReturnType<typeof startEgressProxy>>;

  beforeAll(async () => {
    proxy = await startEgressProxy();
    await h.setUp();
    await h.startDispatcher({ DELIVERY_PROXY_URL: proxy.url });
  });
  afterAll(async () => {
    await h.tearDown();
    await proxy.close();
  });

  // That the proxy is asked for the vetted address, never a name, is shown in net-guard's proxy-tunnel spec.
  it('every webhook leaves through the proxy, one tunnel per connection, and the receiver still gets it', async () => {
    const receiver = await startReceiver();
    try {
      const ep = await h.createEndpoint(receiver.url);
      const ids = [await h.publish('order.created', { via: 'proxy', n: 1 }), await h.publish('order.created', { via: 'proxy', n: 2 })];
      const reqs = await receiver.waitForRequests(2);
      expect(reqs.map((r) => r.headers['webhook-id']).sort()).toEqual([...ids].sort());
      expect(proxy.targets.length).toBeGreaterThanOrEqual(1);
      expect(new Set(proxy.targets)).toEqual(new Set([`127.0.0.1:${receiver.port}`]));
      await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).filter((a) => a.data.succeeded).length === 2);
    } finally {
      await receiver.close();
    }
  });
});
