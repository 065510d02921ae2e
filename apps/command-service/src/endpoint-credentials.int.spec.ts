import { status as GrpcStatus } from '@grpc/grpc-js';
import { OAuth2ClientCredentialsV1 } from '@hookline/contracts';
import { DEV_SECRETS_ENCRYPTION_KEY } from '@hookline/config';
import { openSecret, parseSealingKey } from '@hookline/signing';
import { CommandServiceHarness, GrpcError, startCommandServiceHarness } from './test/command-service.harness';

const CLIENT_SECRET = 'oauth-client-s3cret-value';
const oauth2 = (overrides: Record<string, unknown> = {}) => ({
  type: 'oauth2_client_credentials', token_url: 'http://127.0.0.1:9/oauth/token', client_id: 'hookline', client_secret: CLIENT_SECRET,
  scope: 'webhooks:write', ...overrides,
});

describe('endpoint OAuth 2.0 client credentials over REST and gRPC (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  const endpointEvents = async (id: string) => (await h.events('config')).filter((r) => r.event.aggregate_id === id);
  const authOf = (data: unknown) => (data as { auth?: OAuth2ClientCredentialsV1 | null }).auth;

  beforeAll(async () => {
    h = await startCommandServiceHarness('endpoint-auth');
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
});
