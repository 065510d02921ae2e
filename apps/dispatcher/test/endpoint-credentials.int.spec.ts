import { EndpointClientCertificateV1, EndpointId, OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { sealSecret } from '@hookline/signing';
import { IssuedCertificate, ReceivedRequest, TestReceiver, createTestPki, startReceiver, waitFor } from '@hookline/testing';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { DEV_KEY } from './support/config-events';
import { DispatcherHarness } from './support/dispatcher-harness';

jest.setTimeout(90_000);

/**
 * Receivers for these tests: an OAuth 2.0 token endpoint, webhook endpoints that want its tokens, and https endpoints
 * that want a client certificate from the tests' own certificate authority.
 */
describe('endpoint credentials: OAuth 2.0 client credentials and mutual TLS (real Kafka, real Postgres, receivers on 127.0.0.1)', () => {
  const h = new DispatcherHarness('endpoint-credentials');
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

  const pki = createTestPki();
  const caDir = mkdtempSync(join(tmpdir(), 'hookline-ca-'));
  const certificate = (issued: IssuedCertificate): EndpointClientCertificateV1 => {
    const x509 = new X509Certificate(issued.cert);
    return { cert_pem: issued.cert, key_sealed: sealSecret(issued.key, DEV_KEY), fingerprint_sha256: x509.fingerprint256, not_after: new Date(x509.validTo).toISOString() };
  };
  /** TLS options of an https receiver on 127.0.0.1 that completes the handshake only with a client certificate from the tests' CA. */
  const wantsCertificate = () => ({ ...pki.server('127.0.0.1'), ca: pki.ca, requestCert: true, rejectUnauthorized: true });
  const mutualTlsEndpoint = async () => {
    const r = await startReceiver(undefined, { tls: wantsCertificate() });
    servers.push(r);
    return r;
  };
  /** Replaces the endpoint's client certificate and publishes until `endpoint` sees the new one presented. */
  const renewCertificate = async (endpointId: EndpointId, endpoint: TestReceiver, commonName: string) => {
    await h.appendConfig({ type: 'endpoint.updated.v1', data: { endpoint_id: endpointId, client_certificate: certificate(pki.client(commonName)) } });
    await waitFor(async () => {
      await h.publish('order.created', { n: 'after renewal' });
      await new Promise((r) => setTimeout(r, 200));
      return endpoint.requests.at(-1)?.clientCertificate === commonName;
    }, 20_000);
  };

  beforeAll(async () => {
    writeFileSync(join(caDir, 'ca.pem'), pki.ca);
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
    await h.startDispatcher({ RETRY_SCHEDULE_SECONDS: '0,0.5,0.5,0.5', RETRY_JITTER: '0', PARK_AFTER_MS: '5000', DELIVERY_EXTRA_CA_FILE: join(caDir, 'ca.pem') });
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all(servers.map((s) => s.close()));
    rmSync(caDir, { recursive: true, force: true });
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

  it('mutual TLS: presents the endpoint\'s client certificate, and a replaced certificate from the next attempt on', async () => {
    const endpoint = await mutualTlsEndpoint();
    const ep = await h.createEndpoint(endpoint.url, { client_certificate: certificate(pki.client('tenant-a-cert')) });
    const first = await h.publish('order.created', { n: 'mtls' });
    const [req] = await endpoint.waitForRequests(1);
    expect(req).toMatchObject({ clientCertificate: 'tenant-a-cert', headers: { 'webhook-id': first } });
    expect(() => new Webhook(ep.secret).verify(req.body, req.headers)).not.toThrow();

    await renewCertificate(ep.endpointId, endpoint, 'tenant-a-renewed');
  });

  it('OAuth 2.0 with mutual TLS: the token endpoint gets the client certificate too, so tokens bound to it work at the endpoint (RFC 8705)', async () => {
    let minted = 0;
    // Issues tokens bound to the certificate the client presented (its CN stands in for the certificate's thumbprint).
    const boundTokens = await startReceiver((req: ReceivedRequest, res: ServerResponse) => {
      minted += 1;
      res.writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: `bound-to-${req.clientCertificate}-${minted}`, token_type: 'Bearer', expires_in: 3600 }));
    }, { tls: wantsCertificate() });
    // Takes a token only when it is bound to the certificate presented on this very connection.
    const endpoint = await startReceiver((req: ReceivedRequest, res: ServerResponse) =>
      void res.writeHead(req.headers.authorization?.startsWith(`Bearer bound-to-${req.clientCertificate}-`) ? 204 : 401).end(), { tls: wantsCertificate() });
    servers.push(boundTokens, endpoint);
    const ep = await h.createEndpoint(endpoint.url, {
      auth: auth({ token_url: `${boundTokens.url}/oauth/token` }), client_certificate: certificate(pki.client('tenant-c')),
    });
    await h.publish('order.created', { n: 'certificate-bound token' });
    const first = await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId)[0]);
    expect(first.data).toMatchObject({ succeeded: true, response: { status: 204 } });
    expect(boundTokens.requests.map((r) => r.clientCertificate)).toEqual(['tenant-c']);

    // A renewed certificate gets a token of its own: the old one is bound to the old certificate.
    await renewCertificate(ep.endpointId, endpoint, 'tenant-c-renewed');
    expect(boundTokens.requests.map((r) => r.clientCertificate)).toEqual(['tenant-c', 'tenant-c-renewed']);
    await waitFor(() => h.events('delivery.attempted.v1', ep.endpointId).length >= endpoint.requests.length);
    expect(h.events('delivery.attempted.v1', ep.endpointId).map((a) => a.data.response?.status)).not.toContain(401);
  });

  it('mutual TLS: an endpoint that wants a client certificate and gets none is a failed attempt, and no other endpoint is offered the certificate', async () => {
    const endpoint = await mutualTlsEndpoint();
    const withCert = await h.createEndpoint(endpoint.url, { client_certificate: certificate(pki.client('only-for-this-endpoint')) });
    const without = await h.createEndpoint(endpoint.url);
    await h.publish('order.created', { n: 'two endpoints, one origin' });
    const failed = await waitFor(() => h.events('delivery.attempted.v1', without.endpointId)[0]);
    expect(failed.data).toMatchObject({ succeeded: false, response: null });
    // Under TLS 1.3 the server refuses a missing certificate with an alert after the handshake; the attempt still
    // says so, not "other side closed".
    expect(failed.data.error).toMatchObject({ class: 'tls', message: expect.stringContaining('alert certificate required') });
    await waitFor(() => h.events('delivery.attempted.v1', withCert.endpointId).find((a) => a.data.succeeded));
    expect(endpoint.requests.map((r) => r.clientCertificate)).toEqual(['only-for-this-endpoint']);
  });
});
