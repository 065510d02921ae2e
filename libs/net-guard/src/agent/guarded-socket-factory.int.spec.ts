import net from 'node:net';
import { createAddressPolicy } from '../policy/address-policy';
import { fakeLookup } from '../testing/fake-lookup';
import { createGuardedSocketFactory } from './guarded-socket-factory';

const LOCAL_ONLY = createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] });

/** What kafkajs does with the socket its factory hands back: listen, and learn whether it connected or why not. */
function dial(factory: ReturnType<typeof createGuardedSocketFactory>, host: string, port: number): Promise<{ connected: true; remote: string } | { connected: false; code: string; message: string }> {
  return new Promise((resolve) => {
    const socket = factory({
      host, port, ssl: null,
      onConnect: () => {
        resolve({ connected: true, remote: `${socket.remoteAddress}:${socket.remotePort}` });
        socket.destroy();
      },
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ connected: false, code: error.code ?? '', message: error.message }));
  });
}

describe('guarded socket factory (kafkajs socketFactory; a TCP server on 127.0.0.1)', () => {
  let server: net.Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    connections = 0;
  });

  it('refuses an IP literal the policy refuses before any socket connects (SSRF_REFUSED)', async () => {
    const factory = createGuardedSocketFactory({ policy: createAddressPolicy() });
    expect(await dial(factory, '127.0.0.1', port)).toEqual({ connected: false, code: 'SSRF_REFUSED', message: expect.stringMatching(/refused to connect to 127\.0\.0\.1: .*loopback/) });
    expect(connections).toBe(0);
  });

  // A cluster's metadata names the brokers a client connects to next: a hostile one could name an internal host.
  it('resolves a name once and refuses it when any answer is refused, as an advertised broker would be', async () => {
    const { lookup, calls } = fakeLookup({ 'broker.internal.test': ['127.0.0.1'], 'mixed.test': ['127.0.0.1', '10.0.0.7'] });
    const factory = createGuardedSocketFactory({ policy: createAddressPolicy(), lookup });
    expect(await dial(factory, 'broker.internal.test', port)).toMatchObject({ connected: false, code: 'SSRF_REFUSED' });
    const lenient = createGuardedSocketFactory({ policy: LOCAL_ONLY, lookup });
    expect(await dial(lenient, 'mixed.test', port)).toMatchObject({ connected: false, code: 'SSRF_REFUSED', message: expect.stringMatching(/10\.0\.0\.7/) });
    expect(calls).toEqual(['broker.internal.test', 'mixed.test']);
    expect(connections).toBe(0);
  });

  it('connects to the vetted address of an allowed name, and reports a name that does not resolve (DNS_LOOKUP_FAILED)', async () => {
    const { lookup, calls } = fakeLookup({ 'broker.test': ['127.0.0.1'] });
    const factory = createGuardedSocketFactory({ policy: LOCAL_ONLY, lookup });
    expect(await dial(factory, 'broker.test', port)).toEqual({ connected: true, remote: `127.0.0.1:${port}` });
    expect(calls).toEqual(['broker.test']);
    expect(await dial(factory, 'nowhere.test', port)).toMatchObject({ connected: false, code: 'DNS_LOOKUP_FAILED' });
    expect(await dial(factory, '127.0.0.1', port)).toEqual({ connected: true, remote: `127.0.0.1:${port}` });
    await new Promise((r) => setTimeout(r, 50));
    expect(connections).toBe(2);
  });
});
