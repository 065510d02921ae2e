import { ConnectProxy, startConnectProxy, startReceiver, waitFor } from '@hookline/testing';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(60_000);

describe('egress proxy: DELIVERY_PROXY_URL (real Kafka, real Postgres, receivers on 127.0.0.1)', () => {
  const h = new DispatcherHarness('egress-proxy');
  let proxy: ConnectProxy;

  beforeAll(async () => {
    proxy = await startConnectProxy();
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
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1);
      expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set([`127.0.0.1:${receiver.port}`]));
      await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).filter((a) => a.data.succeeded).length === 2);
    } finally {
      await receiver.close();
    }
  });
});
