import { status as GrpcStatus } from '@grpc/grpc-js';
import { createTestPki } from '@hookline/testing';
import { CommandServiceHarness, GrpcError, startCommandServiceHarness } from './test/command-service.harness';

const oauth2 = { type: 'oauth2_client_credentials', token_url: 'http://127.0.0.1:9/oauth/token', client_id: 'hookline', client_secret: 'oauth-client-s3cret' };
const login = { type: 'amqp_plain', username: 'hookline', password: 'amqp-pa55word' };

/** Endpoints whose URL is an AMQP exchange: what is accepted, normalised and refused, over REST and gRPC (ALLOW_HTTP_ENDPOINTS=true here). */
describe('AMQP destination endpoints over REST and gRPC (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  const cert = createTestPki().client('acme-hookline');
  const create = (body: Record<string, unknown>) => h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body });
  const update = (id: string, body: Record<string, unknown>) => h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body });
  const eventsOf = async (id: string) => (await h.events('config')).filter((r) => r.event.aggregate_id === id);

  beforeAll(async () => {
    h = await startCommandServiceHarness('amqp-destinations');
    tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'AMQP' } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  it('REST: amqps:// with a login and a client certificate, and plaintext amqp://, are taken, normalised; the password sealed at once', async () => {
    const tls = await create({ url: 'AMQPS://Rabbit.Example.com/billing?exchange=webhooks&routing_key=all', auth: login, client_certificate: cert });
    expect(tls.status).toBe(201);
    expect(tls.body.url).toBe('amqps://rabbit.example.com/billing?exchange=webhooks&routing_key=all');
    const [event] = await eventsOf(tls.body.id);
    expect(event.event.data).toMatchObject({
      url: 'amqps://rabbit.example.com/billing?exchange=webhooks&routing_key=all',
      auth: { type: 'amqp_plain', username: 'hookline', password_sealed: expect.stringMatching(/^enc:v1:/) },
    });
    expect(JSON.stringify(event.event)).not.toContain('amqp-pa55word');
    expect(JSON.stringify(tls.body)).not.toContain('amqp-pa55word');
    const plain = await create({ url: 'amqp://127.1:5672?exchange=amq.topic', auth: login });
    expect(plain.status).toBe(201);
    expect((await eventsOf(plain.body.id))[0].event.data).toMatchObject({ url: 'amqp://127.0.0.1:5672?exchange=amq.topic' });
  });

  it('REST: credentials in the URL, no exchange, a bad vhost or a private broker are a 400 problem naming /url, appending nothing', async () => {
    const before = (await h.events('config')).length;
    const withCredentials = await create({ url: 'amqps://guest:guest@rabbit.example.com?exchange=webhooks' });
    expect(withCredentials.status).toBe(400);
    expect(withCredentials.contentType).toMatch(/^application\/problem\+json/);
    expect(withCredentials.body.errors).toEqual([
      { pointer: '/url', detail: "AMQP destination URL must not contain a user name or password (give them as the endpoint's auth, type amqp_plain)" },
    ]);
    const noExchange = await create({ url: 'amqps://rabbit.example.com/billing' });
    expect(noExchange.body.errors).toEqual([{ pointer: '/url', detail: expect.stringMatching(/^AMQP destination URL must name the exchange to publish to/) }]);
    const badExchange = await create({ url: 'amqps://rabbit.example.com?exchange=a%20b&colour=red' });
    expect(badExchange.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/url', '/url']);
    const badVhost = await create({ url: 'amqps://rabbit.example.com/a/b?exchange=x' });
    expect(badVhost.body.errors).toEqual([{ pointer: '/url', detail: 'AMQP destination URL has one path segment, the virtual host (encode a "/" in its name as %2F)' }]);
    const internal = await create({ url: 'amqps://10.0.0.8?exchange=x' });
    expect(internal.body.errors).toEqual([{ pointer: '/url', detail: expect.stringMatching(/^AMQP broker host 10\.0\.0\.8 is not allowed/) }]);
    expect((await h.events('config')).length).toBe(before);
  });

  it('REST: OAuth 2.0 or kafka_sasl next to an AMQP URL, and amqp_plain next to any other, are a 400 naming /auth, on create and update', async () => {
    const withOAuth = await create({ url: 'amqps://rabbit.example.com?exchange=x', auth: oauth2 });
    expect(withOAuth.status).toBe(400);
    expect(withOAuth.body.errors).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^OAuth 2\.0 auth needs an https endpoint URL; an AMQP destination gets messages/) }]);
    const withSasl = await create({ url: 'amqps://rabbit.example.com?exchange=x', auth: { type: 'kafka_sasl', mechanism: 'plain', username: 'u', password: 'p' } });
    expect(withSasl.body.errors).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^kafka_sasl auth needs a Kafka endpoint URL/) }]);
    const onHttps = await create({ url: 'https://api.example.com/hooks', auth: login });
    expect(onHttps.status).toBe(400);
    expect(onHttps.body.errors).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^amqp_plain auth needs an AMQP endpoint URL/) }]);
    const misspelt = await create({ url: 'amqps://rabbit.example.com?exchange=x', auth: { type: 'amqp_plain', username: 'u', pasword: 'p' } });
    expect(misspelt.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/auth/pasword', '/auth/password']);

    // An update that would leave the login next to an https URL, or OAuth next to an AMQP one, is refused too.
    const amqp = await create({ url: 'amqps://rabbit.example.com?exchange=x', auth: login });
    const toHttps = await update(amqp.body.id, { url: 'https://api.example.com/hooks' });
    expect(toHttps.status).toBe(400);
    expect(toHttps.body.errors).toEqual([expect.objectContaining({ pointer: '/auth' })]);
    const http = await create({ url: 'http://127.0.0.1:9/hooks', auth: oauth2 });
    const toAmqp = await update(http.body.id, { url: 'amqps://rabbit.example.com?exchange=x' });
    expect(toAmqp.body.errors).toEqual([expect.objectContaining({ pointer: '/auth' })]);
    expect((await update(http.body.id, { url: 'amqps://rabbit.example.com?exchange=x', auth: login })).status).toBe(200);

    // A new password replaces the sealed one; null removes the login.
    expect((await update(amqp.body.id, { auth: { ...login, password: 'rotated-pa55word' } })).status).toBe(200);
    expect((await update(amqp.body.id, { auth: null })).status).toBe(200);
    const updates = (await eventsOf(amqp.body.id)).filter((r) => r.event.type === 'endpoint.updated.v1');
    expect(updates.map((r) => (r.event.data as { auth?: { password_sealed?: string } | null }).auth?.password_sealed ?? null)).toEqual([expect.stringMatching(/^enc:v1:/), null]);
    expect(JSON.stringify(updates)).not.toContain('rotated-pa55word');
  });

  it('REST: a client certificate next to a plaintext amqp:// URL is a 400 naming /client_certificate', async () => {
    const plain = await create({ url: 'amqp://127.0.0.1?exchange=x', client_certificate: cert });
    expect(plain.status).toBe(400);
    expect(plain.body.errors).toEqual([{ pointer: '/client_certificate', detail: 'mutual TLS needs an https, kafka+tls:// or amqps:// endpoint URL' }]);
  });

  it('gRPC: CreateEndpoint takes amqp_plain, sealed like REST; refused shapes are INVALID_ARGUMENT; remove_auth takes the login away', async () => {
    const key = await h.grpc('ApiKeyService', 'CreateApiKey', { name: 'grpc-amqp', scope: 'tenant', tenant_id: tenantId });
    const amqpPlain = { username: 'hookline', password: 'grpc-amqp-pa55word' };
    const created = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'amqps://rabbit.example.com/grpc?exchange=x', amqp_plain: amqpPlain }, key.key);
    const [event] = await eventsOf(created.id);
    expect(event.event.data).toMatchObject({ auth: { type: 'amqp_plain', username: 'hookline', password_sealed: expect.stringMatching(/^enc:v1:/) } });
    expect(JSON.stringify(event.event)).not.toContain('grpc-amqp-pa55word');
    const refusals = [
      { url: 'amqps://u:p@rabbit.example.com?exchange=x' },
      { url: 'amqps://rabbit.example.com' },
      { url: 'https://api.example.com/hooks', amqp_plain: amqpPlain },
      { url: 'amqps://rabbit.example.com?exchange=x', amqp_plain: amqpPlain, kafka_sasl: { mechanism: 'plain', username: 'u', password: 'p' } },
    ];
    for (const refused of refusals) {
      const err = (await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, ...refused }, key.key).catch((e: GrpcError) => e)) as GrpcError;
      expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    }
    const removed = await h.grpc<{ version: number }>('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: created.id, remove_auth: true }, key.key);
    expect(removed.version).toBe(2);
    const replaced = await h.grpc<{ version: number }>('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: created.id, expected_version: 2, amqp_plain: amqpPlain }, key.key);
    expect(replaced.version).toBe(3);
  });
});
