import { OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { sealSecret } from '@hookline/signing';
import { ReceivedRequest, TestReceiver, startReceiver, waitFor } from '@hookline/testing';
import type { ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { DEV_KEY } from './support/config-events';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(90_000);

/** Receivers for these tests: an OAuth 2.0 token endpoint and webhook endpoints that want its tokens. */
describe('OAuth 2.0 client credentials to endpoints (real Kafka, real Postgres, token endpoint on 127.0.0.1)', () => {
  const h = new DispatcherHarness('endpoint-auth');
  const servers: TestReceiver[] = [];
  let issued = 0;
  let tokenStatus = 200;
  let token: TestReceiver;
  const valid = new Set<string>();

  const auth = (overrides: Partial<OAuth2ClientCredentialsV1> = {}): OAuth2ClientCredentialsV1 => ({
    type: 'oauth2_client_credentials', token_url: `${token.url}/oauth/token`, client_id: 'hookline-client',
    client_secret_sealed: sealSecret('client-s3cret', DEV_KEY), scope: 'webhooks:write', audience: null, client_auth: 'basic', ...overrides,
  });
  /** A webhook endpoint that answers 401 unless the request carries a token the token endpoint issued and did not revoke. */
  const protectedEndpoint = async () => {
    const r = await startReceiver((req: ReceivedRequest, res: ServerResponse) => {
      const ok = valid.has(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
      res.writeHead(ok ? 204 : 401).end();
    });
    servers.push(r);
    return r;
  };

  beforeAll(async () => {
    token = await startReceiver((req: ReceivedRequest, res: ServerResponse) => {
      const basic = `Basic ${Buffer.from('hookline-client:client-s3cret').toString('base64')}`;
      if (tokenStatus !== 200) return void res.writeHead(tokenStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'server_error' }));
      if (req.headers.authorization !== basic) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client' }));
      issued += 1;
      valid.add(`at-${issued}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `at-${issued}`, token_type: 'Bearer', expires_in: 3600 }));
    });
    servers.push(token);
    await h.setUp();
    await h.startDispatcher({ RETRY_SCHEDULE_SECONDS: '0,0.5,0.5,0.5', RETRY_JITTER: '0', PARK_AFTER_MS: '5000' });
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('sends every attempt with a bearer token from the token endpoint, asked for once, still signed, and logs the token masked', async () => {
    const endpoint = await protectedEndpoint();
    const ep = await h.createEndpoint(endpoint.url, { auth: auth() });
    const before = token.requests.length;
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(await h.publish('order.created', { n: i }));
    const reqs = await endpoint.waitForRequests(20);
    expect(new Set(reqs.map((r) => r.headers.authorization)).size).toBe(1);
    expect(reqs[0].headers.authorization).toMatch(/^Bearer at-\d+$/);
    expect(token.requests.length - before).toBe(1);
    expect(Object.fromEntries(new URLSearchParams(token.requests[before].body))).toEqual({ grant_type: 'client_credentials', scope: 'webhooks:write' });
    for (const r of reqs) expect(() => new Webhook(ep.secret).verify(r.body, r.headers)).not.toThrow();
    const attempts = await waitFor(() => {
      const found = h.events('delivery.attempted.v1', ep.endpointId);
      return found.length >= 20 ? found : undefined;
    });
    expect(attempts.every((a) => a.data.succeeded && a.data.response?.status === 204)).toBe(true);
    const token0 = reqs[0].headers.authorization.replace(/^Bearer /, '');
    expect(JSON.stringify(attempts.map((a) => a.data.request_headers))).not.toContain(token0);
    expect(attempts[0].data.request_headers?.authorization).toBeDefined();
  });

  it('a token endpoint that fails is a failed attempt classed auth_token with nothing sent; once it recovers, the retry delivers', async () => {
    const endpoint = await protectedEndpoint();
    tokenStatus = 503;
    // Retries 1.2 s apart: past the 1 s in which a failed token request answers for the endpoint's attempts.
    const ep = await h.createEndpoint(endpoint.url, { auth: auth({ scope: 'failing-first' }), retry_schedule_seconds: [1.2, 1.2, 1.2] });
    const messageId = await h.publish('order.created', { n: 'auth' });
    const failed = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0]);
    expect(failed.data).toMatchObject({ message_id: messageId, succeeded: false, status: 'retrying', response: null,
      error: { class: 'auth_token', message: 'token endpoint answered HTTP 503 server_error' } });
    expect(endpoint.requests).toHaveLength(0);
    tokenStatus = 200;
    const [delivered] = await endpoint.waitForRequests(1, 30_000);
    expect(delivered.headers['webhook-id']).toBe(messageId);
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).find((a) => a.data.succeeded));
  });

  it('after the endpoint answers 401 to a revoked token, the next attempt fetches a new token and delivers', async () => {
    const endpoint = await protectedEndpoint();
    const ep = await h.createEndpoint(endpoint.url, { auth: auth({ scope: 'revocable' }) });
    await h.publish('order.created', { n: 'first' });
    const [first] = await endpoint.waitForRequests(1);
    valid.delete(first.headers.authorization.replace(/^Bearer /, '')); // the provider revokes it
    const second = await h.publish('order.created', { n: 'second' });
    const reqs = await endpoint.waitForRequests(3, 30_000);
    expect(reqs[1].headers.authorization).toBe(first.headers.authorization);
    expect(reqs[2].headers.authorization).not.toBe(first.headers.authorization);
    expect(reqs[2].headers['webhook-id']).toBe(second);
    const attempts = await waitFor(() => {
      const found = h.events('delivery.attempted.v1', ep.endpointId).filter((a) => a.data.message_id === second);
      return found.length >= 2 ? found : undefined;
    });
    expect(attempts.map((a) => a.data.response?.status)).toEqual([401, 204]);
  });
});
