import { Agent, request } from 'undici';
import { postWebhook } from '../delivery/post-webhook';
import { createAddressPolicy } from '../policy/address-policy';
import { fakeLookup } from '../testing/fake-lookup';
import { LoopbackGuard, installLoopbackGuard } from '../testing/loopback-guard';
import { Receiver, closedPort, startReceiver } from '../testing/recording-receiver';
import { selfSignedCert } from '../testing/self-signed-cert';
import { createGuardedAgent } from './guarded-agent';
import { SsrfRefusedError } from './ssrf-refused.error';

// A public address that must never be contacted: the loopback guard turns any attempt into ECONNREFUSED on 127.0.0.1.
const PUBLIC_ADDRESS = '93.184.215.14';
const LOCAL_ONLY = createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] });

describe('guarded agent', () => {
  let receiver: Receiver;
  let guard: LoopbackGuard;
  const agents: Agent[] = [];
  const track = (agent: Agent): Agent => {
    agents.push(agent);
    return agent;
  };
  const post = (agent: Agent, url: string) =>
    postWebhook(agent, { url, headers: { 'content-type': 'application/json' }, body: '{"type":"t"}', timeoutMs: 2_000 });

  beforeEach(async () => {
    receiver = await startReceiver();
    guard = installLoopbackGuard(await closedPort());
  });

  afterEach(async () => {
    guard.restore();
    await Promise.all(agents.splice(0).map((agent) => agent.destroy()));
    await receiver.close();
  });

  describe('given the default policy (127.0.0.1 not allowed), the SSRF corpus', () => {
    const { lookup, calls } = fakeLookup({
      'loopback.hooks.test': ['127.0.0.1'],
      'mixed.hooks.test': [PUBLIC_ADDRESS, '127.0.0.1'],
      'mixed-private.hooks.test': [PUBLIC_ADDRESS, '10.0.0.7'],
      'mapped.hooks.test': ['::ffff:127.0.0.1'],
      'metadata.google.internal': [PUBLIC_ADDRESS],
    });

    beforeEach(() => calls.splice(0));

    it.each([
      ['http://127.0.0.1:PORT/', /127\.0\.0\.1: loopback/],
      ['http://10.0.0.1:PORT/', /private/],
      ['http://172.16.0.1:PORT/', /private/],
      ['http://192.168.1.1:PORT/', /private/],
      ['http://169.254.169.254:PORT/latest/meta-data/', /metadata/],
      ['http://[::1]:PORT/', /loopback/],
      ['http://[::ffff:127.0.0.1]:PORT/', /IPv4-mapped form of 127\.0\.0\.1/],
      ['http://[::ffff:10.0.0.1]:PORT/', /IPv4-mapped form of 10\.0\.0\.1/],
      ['http://[64:ff9b::127.0.0.1]:PORT/', /NAT64/],
      ['http://[2002:7f00:1::]:PORT/', /6to4/],
      ['http://[fe80::1]:PORT/', /link-local/],
      ['http://0.0.0.0:PORT/', /unspecified/],
      ['http://2130706433:PORT/', /loopback/],
      ['http://0177.0.0.1:PORT/', /loopback/],
      ['http://0x7f.1:PORT/', /loopback/],
      ['http://127.1:PORT/', /loopback/],
      ['http://localhost:PORT/', /localhost/],
      ['http://app.localhost:PORT/', /localhost/],
      ['http://metadata.google.internal:PORT/computeMetadata/v1/', /metadata/],
      ['http://loopback.hooks.test:PORT/', /loopback\.hooks\.test \(resolved to 127\.0\.0\.1\): loopback/],
      ['http://mapped.hooks.test:PORT/', /IPv4-mapped form of 127\.0\.0\.1/],
      ['http://mixed.hooks.test:PORT/', /mixed\.hooks\.test \(resolved to 127\.0\.0\.1\)/],
      ['http://mixed-private.hooks.test:PORT/', /resolved to 10\.0\.0\.7/],
    ])('%s is refused before any connection', async (template, reason) => {
      const agent = track(createGuardedAgent({ policy: createAddressPolicy(), lookup }));
      const url = template.replace('PORT', String(receiver.port));

      const failure = await post(agent, url).catch((error: unknown) => error);

      expect(failure).toMatchObject({ name: 'DeliveryError', class: 'ssrf_refused' });
      expect((failure as Error).message).toMatch(reason);
      expect((failure as Error).cause).toBeInstanceOf(SsrfRefusedError);
      expect(receiver.requests).toHaveLength(0);
      expect(receiver.connections()).toBe(0);
      expect(guard.attempts).toEqual([]);
    });

    it('refuses metadata and localhost names without asking the resolver', async () => {
      const agent = track(createGuardedAgent({ policy: createAddressPolicy(), lookup }));
      await expect(post(agent, `http://metadata.google.internal:${receiver.port}/`)).rejects.toMatchObject({
        class: 'ssrf_refused',
      });
      await expect(post(agent, `http://localhost:${receiver.port}/`)).rejects.toMatchObject({ class: 'ssrf_refused' });
      expect(calls).toEqual([]);
    });

    it('fails a plain undici request with a typed SsrfRefusedError instead of crashing', async () => {
      const agent = track(createGuardedAgent({ policy: createAddressPolicy(), lookup }));
      const failure = await request(`http://loopback.hooks.test:${receiver.port}/`, { dispatcher: agent }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(SsrfRefusedError);
      expect(failure).toMatchObject({
        name: 'SsrfRefusedError',
        code: 'SSRF_REFUSED',
        host: 'loopback.hooks.test',
        address: '127.0.0.1',
        reason: 'loopback address (127.0.0.0/8)',
        message:
          'refused to connect to loopback.hooks.test (resolved to 127.0.0.1): loopback address (127.0.0.0/8); ' +
          'webhook endpoints must be publicly reachable',
      });
      expect(receiver.connections()).toBe(0);
    });
  });

  describe('given 127.0.0.1 allowed', () => {
    it('resolves once per connection, connects to the vetted address and keeps the host name in Host', async () => {
      const { lookup, calls } = fakeLookup({ 'hooks.test': ['127.0.0.1'] });
      const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup }));

      for (let i = 0; i < 20; i += 1) {
        await expect(post(agent, `http://hooks.test:${receiver.port}/in`)).resolves.toMatchObject({ status: 200 });
      }

      expect(receiver.requests).toHaveLength(20);
      expect(receiver.connections()).toBe(1);
      expect(calls).toEqual(['hooks.test']);
      expect(guard.attempts).toEqual(['127.0.0.1']);
      expect(receiver.requests[0].headers.host).toBe(`hooks.test:${receiver.port}`);
    });

    it('answers localhost names with loopback itself, without the resolver', async () => {
      const { lookup, calls } = fakeLookup({});
      const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup }));
      await expect(post(agent, `http://localhost:${receiver.port}/`)).resolves.toMatchObject({ status: 200 });
      expect(calls).toEqual([]);
      expect(guard.attempts).toEqual(['127.0.0.1']);
    });
  });

  describe('DNS rebinding', () => {
    it('connects only to the address that was checked, even when the name later resolves to 127.0.0.1', async () => {
      // The attacker's name answers a public address for the check and 127.0.0.1 for any later lookup; 127.0.0.1 is
      // even allowed here, so a second lookup at connect time would reach the receiver.
      const { lookup, calls } = fakeLookup({
        'rebind.hooks.test': (previous) => (previous === 0 ? [PUBLIC_ADDRESS] : ['127.0.0.1']),
      });
      const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup }));

      const failure = await post(agent, `http://rebind.hooks.test:${receiver.port}/`).catch((error: unknown) => error);

      // The loopback guard refused the public address on the test's behalf, hence a connect failure.
      expect(failure).toMatchObject({ class: 'connect' });
      expect(guard.attempts).toEqual([PUBLIC_ADDRESS]);
      expect(calls).toEqual(['rebind.hooks.test']);
      expect(receiver.connections()).toBe(0);
      expect(receiver.requests).toHaveLength(0);
    });

    it('re-checks every new connection, so a name that turns internal is refused from then on', async () => {
      const closing = await startReceiver((_request, response) => response.setHeader('connection', 'close').end('ok'));
      try {
        const { lookup, calls } = fakeLookup({
          'flip.hooks.test': (previous) => (previous === 0 ? ['127.0.0.1'] : ['10.0.0.1']),
        });
        const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup }));
        const url = `http://flip.hooks.test:${closing.port}/`;

        await expect(post(agent, url)).resolves.toMatchObject({ status: 200 });
        await expect(post(agent, url)).rejects.toMatchObject({ class: 'ssrf_refused' });

        expect(calls).toEqual(['flip.hooks.test', 'flip.hooks.test']);
        expect(closing.connections()).toBe(1);
        expect(guard.attempts).toEqual(['127.0.0.1']);
      } finally {
        await closing.close();
      }
    });
  });

  describe('DNS failures', () => {
    it('reports an unknown name as a dns failure', async () => {
      const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup: fakeLookup({}).lookup }));
      await expect(post(agent, `http://nowhere.hooks.test:${receiver.port}/`)).rejects.toMatchObject({
        class: 'dns',
        message: 'could not resolve nowhere.hooks.test: ENOTFOUND',
      });
    });

    it('gives up on a resolver that never answers after the connect timeout', async () => {
      const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup: () => undefined, connectTimeoutMs: 100 }));
      await expect(post(agent, `http://hang.hooks.test:${receiver.port}/`)).rejects.toMatchObject({
        class: 'dns',
        message: 'could not resolve hang.hooks.test: no answer within 100 ms',
      });
    });

    it('refuses a resolver answer that is not a canonical IP address', async () => {
      const lookup = fakeLookup({ 'odd.hooks.test': ['0x7f.1'] }).lookup;
      const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup }));
      await expect(post(agent, `http://odd.hooks.test:${receiver.port}/`)).rejects.toMatchObject({ class: 'dns' });
      expect(guard.attempts).toEqual([]);
    });
  });

  describe('over TLS', () => {
    const cert = selfSignedCert('hooks.test');
    const withOpenssl = cert ? it : it.skip;

    withOpenssl('presents and verifies the host name while connecting to the vetted address', async () => {
      const secure = await startReceiver(undefined, cert);
      try {
        const { lookup } = fakeLookup({ 'hooks.test': ['127.0.0.1'] });
        const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup, ca: cert?.cert }));

        await expect(post(agent, `https://hooks.test:${secure.port}/in`)).resolves.toMatchObject({ status: 200 });

        expect(secure.requests[0]).toMatchObject({ servername: 'hooks.test', headers: { host: `hooks.test:${secure.port}` } });
        expect(guard.attempts).toEqual(['127.0.0.1']);
      } finally {
        await secure.close();
      }
    });

    withOpenssl('classifies an untrusted certificate as a tls failure', async () => {
      const secure = await startReceiver(undefined, cert);
      try {
        const { lookup } = fakeLookup({ 'hooks.test': ['127.0.0.1'] });
        const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup }));
        await expect(post(agent, `https://hooks.test:${secure.port}/in`)).rejects.toMatchObject({ class: 'tls' });
        expect(secure.requests).toHaveLength(0);
      } finally {
        await secure.close();
      }
    });

    withOpenssl('classifies a receiver refusing to go on without a client certificate as a tls failure, with its reason', async () => {
      // TLS 1.3 (the default): the server refuses only after the client finished its side of the handshake, with an alert.
      const secure = await startReceiver(undefined, { ...cert!, ca: cert!.cert, requestCert: true, rejectUnauthorized: true });
      try {
        const { lookup } = fakeLookup({ 'hooks.test': ['127.0.0.1'] });
        const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup, ca: cert?.cert }));
        const failure = await post(agent, `https://hooks.test:${secure.port}/in`).catch((err: unknown) => err);
        expect(failure).toMatchObject({ class: 'tls', message: `TLS with https://hooks.test:${secure.port} failed: tlsv13 alert certificate required` });
        expect(secure.requests).toHaveLength(0);
      } finally {
        await secure.close();
      }
    });

    withOpenssl('classifies a certificate for another name as a tls failure', async () => {
      const secure = await startReceiver(undefined, cert);
      try {
        const { lookup } = fakeLookup({ 'other.test': ['127.0.0.1'] });
        const agent = track(createGuardedAgent({ policy: LOCAL_ONLY, lookup, ca: cert?.cert }));
        await expect(post(agent, `https://other.test:${secure.port}/in`)).rejects.toMatchObject({ class: 'tls' });
        expect(secure.requests).toHaveLength(0);
      } finally {
        await secure.close();
      }
    });
  });
});
