import { EndpointClientCertificateV1, EndpointId } from '@hookline/contracts';
import type { Dispatcher } from 'undici';
import { ClientCertificateUnavailableError, EndpointAgents } from './endpoint-agents';

interface FakeAgent {
  cert: string;
  key: string;
  closed: boolean;
  close(): Promise<void>;
  destroy(): Promise<void>;
}

function setUp() {
  const made: FakeAgent[] = [];
  const shared = { name: 'shared' } as unknown as Dispatcher;
  const agents = new EndpointAgents({
    shared,
    open: (sealed) => {
      if (!sealed.startsWith('sealed:')) throw new Error('sealed under another key');
      return sealed.slice('sealed:'.length);
    },
    withClientCertificate: ({ cert, key }) => {
      const agent: FakeAgent = { cert, key, closed: false, close: async () => void (agent.closed = true), destroy: async () => void (agent.closed = true) };
      made.push(agent);
      return agent as unknown as Dispatcher;
    },
  });
  return { agents, made, shared };
}

const cert = (n: number, sealed = `sealed:key-${n}`): EndpointClientCertificateV1 =>
  ({ cert_pem: `cert-${n}`, key_sealed: sealed, fingerprint_sha256: `fp-${n}`, not_after: '2030-01-01T00:00:00.000Z' });
const a = 'ep_a' as EndpointId;
const b = 'ep_b' as EndpointId;

describe('endpoint agents', () => {
  it('gives endpoints without a client certificate the shared agent', () => {
    const { agents, shared } = setUp();
    expect(agents.for(a, null)).toBe(shared);
    expect(agents.for(a, undefined)).toBe(shared);
    expect(agents.size).toBe(0);
  });

  it('gives each endpoint with a certificate an agent of its own, with the opened key, made once', () => {
    const { agents, made } = setUp();
    const first = agents.for(a, cert(1));
    expect(agents.for(a, cert(1))).toBe(first);
    expect(agents.for(b, cert(1))).not.toBe(first);
    expect(made.map((m) => [m.cert, m.key])).toEqual([['cert-1', 'key-1'], ['cert-1', 'key-1']]);
  });

  it('closes the old agent when the certificate is replaced or removed', () => {
    const { agents, made, shared } = setUp();
    agents.for(a, cert(1));
    agents.for(a, cert(2));
    expect(made.map((m) => m.closed)).toEqual([true, false]);
    expect(agents.for(a, null)).toBe(shared);
    expect(made.map((m) => m.closed)).toEqual([true, true]);
    expect(agents.size).toBe(0);
  });

  it('refuses a key it cannot open, and destroys every agent at shutdown', async () => {
    const { agents, made } = setUp();
    expect(() => agents.for(a, cert(1, 'enc:v1:other-key'))).toThrow(new ClientCertificateUnavailableError("cannot open the client certificate's key: sealed under another key"));
    agents.for(b, cert(2));
    await agents.destroy();
    expect(made.map((m) => m.closed)).toEqual([true]);
    expect(agents.size).toBe(0);
  });
});
