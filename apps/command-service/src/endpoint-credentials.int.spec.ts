import { status as GrpcStatus } from '@grpc/grpc-js';
import { OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { DEV_SECRETS_ENCRYPTION_KEY } from '@hookline/config';
import { openSecret, parseSealingKey } from '@hookline/signing';
import { createTestPki } from '@hookline/testing';
import { X509Certificate } from 'node:crypto';
import { CommandServiceHarness, GrpcError, startCommandServiceHarness } from './test/command-service.harness';

const CLIENT_SECRET = 'oauth-client-s3cret-value';
const oauth2 = (overrides: Record<string, unknown> = {}) => ({
  type: 'oauth2_client_credentials', token_url: 'http://127.0.0.1:9/oauth/token', client_id: 'hookline', client_secret: CLIENT_SECRET,
  scope: 'webhooks:write', ...overrides,
});

describe('endpoint credentials (OAuth 2.0 client credentials, mutual TLS) over REST and gRPC (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  const endpointEvents = async (id: string) => (await h.events('config')).filter((r) => r.event.aggregate_id === id);
  const authOf = (data: unknown) => (data as { auth?: OAuth2ClientCredentialsV1 | null }).auth;

  beforeAll(async () => {
    h = await startCommandServiceHarness('endpoint-credentials');
    tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'OAuth' } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  it('REST: the endpoint is created with its auth, the client secret sealed on the log and never in the clear', async () => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/hooks', auth: oauth2({ audience: 'https://api.example.com' }) } });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(CLIENT_SECRET);
    const [event] = await endpointEvents(created.body.id);
    expect(event.event.type).toBe('endpoint.created.v1');
    const auth = authOf(event.event.data)!;
    expect(auth).toEqual({ type: 'oauth2_client_credentials', token_url: 'http://127.0.0.1:9/oauth/token', client_id: 'hookline',
      client_secret_sealed: expect.stringMatching(/^enc:v1:/), scope: 'webhooks:write', audience: 'https://api.example.com', client_auth: 'basic' });
    expect(openSecret(auth.client_secret_sealed, parseSealingKey(DEV_SECRETS_ENCRYPTION_KEY))).toBe(CLIENT_SECRET);
    for (const r of await h.events()) expect(r.raw).not.toContain(CLIENT_SECRET);
  });

  it('REST: an endpoint without auth carries no auth field, so its events match the schema from before auth existed', async () => {
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/plain' } });
    const [event] = await endpointEvents(created.body.id);
    expect(event.event.data).not.toHaveProperty('auth');
  });

  it('REST: bad auth is a 400 problem naming each offending field, and appends nothing', async () => {
    const before = (await h.events('config')).length;
    const bad = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, {
      body: { url: 'http://127.0.0.1:9/hooks', auth: { type: 'oauth2_client_credentials', token_url: 'http://10.0.0.8/token', client_id: '', clientSecret: 'x', client_auth: 'header' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual(expect.arrayContaining([
      { pointer: '/auth/clientSecret', detail: 'is not a field of auth' },
      { pointer: '/auth/token_url', detail: expect.stringMatching(/^token URL host 10\.0\.0\.8 is not allowed/) },
      { pointer: '/auth/client_id', detail: expect.stringContaining('1 to 256') },
      { pointer: '/auth/client_secret', detail: 'is required' },
      { pointer: '/auth/client_auth', detail: 'must be "basic" or "body"' },
    ]));
    const conflict = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/hooks', auth: oauth2(), headers: { Authorization: 'Basic x' } } });
    expect(conflict.status).toBe(400);
    expect(conflict.body.errors).toEqual([expect.objectContaining({ pointer: '/headers/Authorization' })]);
    expect((await h.events('config')).length).toBe(before);
  });

  it('REST: an update replaces the auth (sealed again) or removes it with null; a custom Authorization next to kept auth is refused', async () => {
    const id = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/hooks', auth: oauth2() } })).body.id;
    const conflict = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { headers: { authorization: 'Bearer static' } } });
    expect(conflict.status).toBe(400);
    expect(conflict.body.errors).toEqual([expect.objectContaining({ pointer: '/headers/authorization' })]);

    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { auth: oauth2({ client_id: 'rotated', client_auth: 'body' }) } })).status).toBe(200);
    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { auth: null, headers: { authorization: 'Bearer static' } } })).status).toBe(200);
    const updates = (await endpointEvents(id)).filter((r) => r.event.type === 'endpoint.updated.v1');
    expect(updates).toHaveLength(2);
    expect(authOf(updates[0].event.data)).toMatchObject({ client_id: 'rotated', client_auth: 'body', client_secret_sealed: expect.stringMatching(/^enc:v1:/) });
    expect(updates[1].event.data).toMatchObject({ auth: null, headers: { authorization: 'Bearer static' } });
  });

  it('gRPC: CreateEndpoint takes oauth2, UpdateEndpoint replaces or removes it, and bad auth is INVALID_ARGUMENT', async () => {
    const key = await h.grpc('ApiKeyService', 'CreateApiKey', { name: 'grpc-oauth', scope: 'tenant', tenant_id: tenantId });
    const created = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/grpc', oauth2: oauth2({ type: undefined }) }, key.key);
    const [event] = await endpointEvents(created.id);
    expect(authOf(event.event.data)).toMatchObject({ client_id: 'hookline', scope: 'webhooks:write', audience: null, client_auth: 'basic' });

    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: created.id, remove_auth: true }, key.key);
    const updates = (await endpointEvents(created.id)).filter((r) => r.event.type === 'endpoint.updated.v1');
    expect(updates.map((u) => authOf(u.event.data))).toEqual([null]);

    const err = (await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/grpc', oauth2: { token_url: 'not a url', client_id: 'x' } }, key.key)
      .catch((e: GrpcError) => e)) as GrpcError;
    expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(err.details).toMatch(/invalid fields/);
  });

  describe('client certificates', () => {
    const pki = createTestPki();
    const cert = pki.client('acme-hookline');
    const certOf = (data: unknown) => (data as { client_certificate?: Record<string, string> | null }).client_certificate;

    it('REST: an https endpoint takes a client certificate; the key is sealed on the log, the fingerprint and expiry kept', async () => {
      const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'https://hooks.acme.example/in', client_certificate: cert } });
      expect(created.status).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain('PRIVATE KEY');
      const [event] = await endpointEvents(created.body.id);
      const x509 = new X509Certificate(cert.cert);
      expect(certOf(event.event.data)).toEqual({ cert_pem: cert.cert, key_sealed: expect.stringMatching(/^enc:v1:/), fingerprint_sha256: x509.fingerprint256,
        not_after: new Date(x509.validTo).toISOString() });
      expect(openSecret(certOf(event.event.data)!.key_sealed, parseSealingKey(DEV_SECRETS_ENCRYPTION_KEY))).toBe(cert.key);
      for (const r of await h.events()) expect(r.raw).not.toContain(cert.key.split('\n')[1]);
    });

    it('REST: a key of another certificate, or a certificate on a plain-http endpoint, is a 400 naming the field; nothing is appended', async () => {
      const before = (await h.events('config')).length;
      const mismatch = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'https://hooks.acme.example/in', client_certificate: { cert: cert.cert, key: pki.client('x').key } } });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.errors).toEqual([{ pointer: '/client_certificate/key', detail: 'does not belong to the certificate' }]);
      const plain = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/in', client_certificate: cert } });
      expect(plain.status).toBe(400);
      expect(plain.body.errors).toEqual([{ pointer: '/client_certificate', detail: 'mutual TLS needs an https, kafka+tls:// or amqps:// endpoint URL' }]);
      const id = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'https://hooks.acme.example/in', client_certificate: cert } })).body.id;
      const toHttp = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { url: 'http://127.0.0.1:9/in' } });
      expect(toHttp.status).toBe(400);
      expect((await h.events('config')).length).toBe(before + 1);
      expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { url: 'http://127.0.0.1:9/in', client_certificate: null } })).status).toBe(200);
      const [update] = (await endpointEvents(id)).filter((r) => r.event.type === 'endpoint.updated.v1');
      expect(update.event.data).toMatchObject({ url: 'http://127.0.0.1:9/in', client_certificate: null });
    });

    it('gRPC: CreateEndpoint takes client_certificate, UpdateEndpoint removes it with remove_client_certificate', async () => {
      const key = await h.grpc('ApiKeyService', 'CreateApiKey', { name: 'grpc-mtls', scope: 'tenant', tenant_id: tenantId });
      const created = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'https://hooks.acme.example/grpc', client_certificate: cert }, key.key);
      const [event] = await endpointEvents(created.id);
      expect(certOf(event.event.data)).toMatchObject({ fingerprint_sha256: new X509Certificate(cert.cert).fingerprint256 });
      await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: created.id, remove_client_certificate: true }, key.key);
      const updates = (await endpointEvents(created.id)).filter((r) => r.event.type === 'endpoint.updated.v1');
      expect(updates.map((u) => certOf(u.event.data))).toEqual([null]);
      const bad = (await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'https://hooks.acme.example/grpc', client_certificate: { cert: 'x', key: 'y' } }, key.key)
        .catch((e: GrpcError) => e)) as GrpcError;
      expect(bad.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    });
  });
});
