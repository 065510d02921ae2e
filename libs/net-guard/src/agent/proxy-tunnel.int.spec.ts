import { ConnectProxy, startConnectProxy } from '@hookline/testing';
import { Agent } from 'undici';
import { postWebhook } from '../delivery/post-webhook';
import { createAddressPolicy } from '../policy/address-policy';
import { fakeLookup } from '../testing/fake-lookup';
import { Receiver, closedPort, startReceiver } from '../testing/recording-receiver';
import { selfSignedCert } from '../testing/self-signed-cert';
import { createGuardedAgent } from './guarded-agent';

const LOCAL_ONLY = createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] });

describe('guarded agent through an egress proxy (CONNECT tunnels on 127.0.0.1)', () => {
  let receiver: Receiver;
  let proxy: ConnectProxy;
  const agents: Agent[] = [];
  const agent = (options: Partial<Parameters<typeof createGuardedAgent>[0]> = {}) => {
    const { lookup } = fakeLookup({ 'hooks.test': ['127.0.0.1'], 'private.hooks.test': ['10.1.2.3'] });
    const a = createGuardedAgent({ policy: LOCAL_ONLY, lookup, proxyUrl: proxy.url, connectTimeoutMs: 2_000, ...options });
    agents.push(a);
    return a;
  };
  const post = (a: Agent, url: string) => postWebhook(a, { url, headers: { 'content-type': 'application/json' }, body: '{"type":"t"}', timeoutMs: 3_000 });

  beforeEach(async () => {
    receiver = await startReceiver();
    proxy = await startConnectProxy();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.destroy()));
    await Promise.all([receiver.close(), proxy.close()]);
  });

  it('sends the webhook through a tunnel to the vetted address, never the name, keeping the Host header and the connection', async () => {
    const a = agent();
    await expect(post(a, `http://hooks.test:${receiver.port}/in`)).resolves.toMatchObject({ status: 200 });
    await expect(post(a, `http://hooks.test:${receiver.port}/in`)).resolves.toMatchObject({ status: 200 });
    expect(proxy.tunnels).toEqual([{ target: `127.0.0.1:${receiver.port}`, authorization: '' }]);
    expect(receiver.requests.map((r) => r.headers.host)).toEqual([`hooks.test:${receiver.port}`, `hooks.test:${receiver.port}`]);
    expect(receiver.connections()).toBe(1);
  });

  it('still refuses a name that resolves to a refused address before asking the proxy for anything', async () => {
    await expect(post(agent(), `http://private.hooks.test:${receiver.port}/in`)).rejects.toMatchObject({ class: 'ssrf_refused' });
    expect(proxy.tunnels).toEqual([]);
  });

  it('runs TLS to the receiver inside the tunnel, with its host name for SNI and the certificate check', async () => {
    const cert = selfSignedCert('hooks.test');
    if (!cert) throw new Error('openssl is needed for this test');
    const secure = await startReceiver(undefined, cert);
    try {
      await expect(post(agent({ ca: cert.cert }), `https://hooks.test:${secure.port}/in`)).resolves.toMatchObject({ status: 200 });
      expect(secure.requests[0]).toMatchObject({ servername: 'hooks.test' });
      await expect(post(agent(), `https://hooks.test:${secure.port}/in`)).rejects.toMatchObject({ class: 'tls' });
      expect(proxy.tunnels.map((t) => t.target)).toEqual([`127.0.0.1:${secure.port}`, `127.0.0.1:${secure.port}`]);
    } finally {
      await secure.close();
    }
  });

  it('sends the proxy credentials from its URL, and a refused tunnel is a connect failure naming the proxy\'s answer', async () => {
    await proxy.close();
    proxy = await startConnectProxy({ basicAuth: 'egress:pa ss' });
    const port = proxy.url.split(':').at(-1);
    await expect(post(agent({ proxyUrl: `http://egress:wrong@127.0.0.1:${port}` }), `http://hooks.test:${receiver.port}/in`))
      .rejects.toMatchObject({ class: 'connect', message: expect.stringContaining('refused the tunnel to 127.0.0.1') });
    await expect(post(agent({ proxyUrl: `http://egress:pa%20ss@127.0.0.1:${port}` }), `http://hooks.test:${receiver.port}/in`)).resolves.toMatchObject({ status: 200 });
    expect(proxy.tunnels.map((t) => t.authorization)).toEqual([`Basic ${Buffer.from('egress:wrong').toString('base64')}`, `Basic ${Buffer.from('egress:pa ss').toString('base64')}`]);
    expect(receiver.requests).toHaveLength(1);
  });

  it('a proxy that is down is a connect failure', async () => {
    await expect(post(agent({ proxyUrl: `http://127.0.0.1:${await closedPort()}` }), `http://hooks.test:${receiver.port}/in`)).rejects.toMatchObject({ class: 'connect' });
    expect(receiver.requests).toHaveLength(0);
  });
});
