import { EndpointId, OAuth2ClientCredentialsV1, newId } from '@hookline/contracts';
import { createAddressPolicy, createGuardedAgent } from '@hookline/net-guard';
import { ReceivedRequest, TestReceiver, startReceiver } from '@hookline/testing';
import type { ServerResponse } from 'node:http';
import { EndpointTokens, TokenUnavailableError } from './endpoint-tokens';

/** A token endpoint on 127.0.0.1 that hands out tok-1, tok-2, … and can be told to fail. */
async function tokenServer(expiresIn = 3600) {
  let issued = 0;
  let failWith: number | null = null;
  const server = await startReceiver((_req: ReceivedRequest, res: ServerResponse) => {
    if (failWith) return void res.writeHead(failWith, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'temporarily_unavailable' }));
    issued += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: expiresIn }));
  });
  return { server, fail: (status: number | null) => (failWith = status) };
}

const authFor = (server: TestReceiver, overrides: Partial<OAuth2ClientCredentialsV1> = {}): OAuth2ClientCredentialsV1 => ({
  type: 'oauth2_client_credentials', token_url: `${server.url}/oauth/token`, client_id: 'hookline', client_secret_sealed: 'sealed:s3cret',
  scope: 'webhooks', audience: null, client_auth: 'basic', ...overrides,
});

describe('endpoint OAuth 2.0 tokens (real HTTP on 127.0.0.1, SSRF-guarded agent)', () => {
  const agent = createGuardedAgent({ policy: createAddressPolicy({ allowCidrs: ['127.0.0.1/32'] }) });
  const servers: TestReceiver[] = [];
  let clock = 1_000_000;
  const tokens = (options: { failureBackoffMs?: number } = {}) => new EndpointTokens({
    agent, open: (sealed) => sealed.replace(/^sealed:/, ''), timeoutMs: 2_000, userAgent: 'Hookline/test', now: () => clock, ...options,
  });
  const start = async (expiresIn?: number) => {
    const t = await tokenServer(expiresIn);
    servers.push(t.server);
    return t;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await agent.close();
  });

  it('asks once for many attempts at the same moment, with the opened secret, and reuses the token until near expiry', async () => {
    const { server } = await start(100);
    const t = tokens();
    const ep = newId('endpoint') as EndpointId;
    const auth = authFor(server);
    const headers = await Promise.all(Array.from({ length: 20 }, () => t.authorization(ep, auth)));
    expect(new Set(headers)).toEqual(new Set(['Bearer tok-1']));
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req.path).toBe('/oauth/token');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('hookline:s3cret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ grant_type: 'client_credentials', scope: 'webhooks' });

    clock += 89_000; // 100 s token: refreshed from 90 s on
    expect(await t.authorization(ep, auth)).toBe('Bearer tok-1');
    clock += 2_000;
    expect(await t.authorization(ep, auth)).toBe('Bearer tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it('keeps one token per endpoint and starts over when the endpoint\'s auth settings change', async () => {
    const { server } = await start();
    const t = tokens();
    const [a, b] = [newId('endpoint') as EndpointId, newId('endpoint') as EndpointId];
    expect(await t.authorization(a, authFor(server))).toBe('Bearer tok-1');
    expect(await t.authorization(b, authFor(server))).toBe('Bearer tok-2');
    expect(await t.authorization(a, authFor(server, { scope: 'other' }))).toBe('Bearer tok-3');
    expect(server.requests).toHaveLength(3);
  });

  it('drops a token the endpoint answered 401 to, so the next attempt gets a new one', async () => {
    const { server } = await start();
    const t = tokens();
    const ep = newId('endpoint') as EndpointId;
    const first = await t.authorization(ep, authFor(server));
    t.rejected(ep, 'Bearer some-older-token'); // not the one held: nothing happens
    expect(await t.authorization(ep, authFor(server))).toBe(first);
    t.rejected(ep, first);
    expect(await t.authorization(ep, authFor(server))).toBe('Bearer tok-2');
  });

  it('after a failed token request, fails attempts at once for the back-off instead of asking again for each', async () => {
    const { server, fail } = await start();
    const t = tokens({ failureBackoffMs: 5_000 });
    const ep = newId('endpoint') as EndpointId;
    fail(503);
    await expect(t.authorization(ep, authFor(server))).rejects.toThrow(new TokenUnavailableError('token endpoint answered HTTP 503 temporarily_unavailable'));
    await expect(Promise.all(Array.from({ length: 10 }, () => t.authorization(ep, authFor(server))))).rejects.toThrow(TokenUnavailableError);
    expect(server.requests).toHaveLength(1);
    fail(null);
    clock += 5_001;
    expect(await t.authorization(ep, authFor(server))).toBe('Bearer tok-1');
    expect(server.requests).toHaveLength(2);
  });

  it('keeps sending a still-valid token while its refresh fails', async () => {
    const { server, fail } = await start(100);
    const t = tokens();
    const ep = newId('endpoint') as EndpointId;
    expect(await t.authorization(ep, authFor(server))).toBe('Bearer tok-1');
    clock += 95_000; // due for refresh, not expired
    fail(500);
    expect(await t.authorization(ep, authFor(server))).toBe('Bearer tok-1');
    clock += 6_000; // now expired
    await expect(t.authorization(ep, authFor(server))).rejects.toThrow('HTTP 500');
  });

  it('refuses a token URL the address policy does not allow, without any request', async () => {
    const { server } = await start();
    const strictAgent = createGuardedAgent({ policy: createAddressPolicy() });
    const strict = new EndpointTokens({ agent: strictAgent, open: (s) => s, timeoutMs: 2_000, userAgent: 'ua', now: () => clock });
    await expect(strict.authorization(newId('endpoint') as EndpointId, authFor(server))).rejects.toThrow(/token endpoint not reached \(ssrf_refused: /);
    expect(server.requests).toHaveLength(0);
    await strictAgent.close();
  });

  it('fails with a clear error when the client secret cannot be opened, without any request', async () => {
    const { server } = await start();
    const t = new EndpointTokens({ agent, open: () => { throw new Error('sealed under another key'); }, timeoutMs: 2_000, userAgent: 'ua', now: () => clock });
    await expect(t.authorization(newId('endpoint') as EndpointId, authFor(server))).rejects.toThrow('cannot open the OAuth 2.0 client secret: sealed under another key');
    expect(server.requests).toHaveLength(0);
  });
});
