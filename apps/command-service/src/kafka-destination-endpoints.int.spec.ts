import { status as GrpcStatus } from '@grpc/grpc-js';
import { createTestPki } from '@hookline/testing';
import { CommandServiceHarness, GrpcError, startCommandServiceHarness } from './test/command-service.harness';

const oauth2 = { type: 'oauth2_client_credentials', token_url: 'http://127.0.0.1:9/oauth/token', client_id: 'hookline', client_secret: 'oauth-client-s3cret' };

/** Endpoints whose URL is a Kafka topic: what is accepted, normalised and refused, over REST and gRPC (ALLOW_HTTP_ENDPOINTS=true here). */
describe('Kafka destination endpoints over REST and gRPC (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  const cert = createTestPki().client('acme-hookline');
  const create = (body: Record<string, unknown>) => h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body });

  beforeAll(async () => {
    h = await startCommandServiceHarness('kafka-destinations');
    tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'Kafka' } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  it('REST: a kafka+tls:// URL, with a client certificate, and a plaintext kafka:// URL are taken, normalised', async () => {
    const tls = await create({ url: 'KAFKA+TLS://B-1.Kafka.example.com:9094,b-2.kafka.example.com:9094/orders', client_certificate: cert });
    expect(tls.status).toBe(201);
    expect(tls.body.url).toBe('kafka+tls://b-1.kafka.example.com:9094,b-2.kafka.example.com:9094/orders');
    const plain = await create({ url: 'kafka://127.1:9092/orders.v1' });
    expect(plain.status).toBe(201);
    const [event] = (await h.events('config')).filter((r) => r.event.aggregate_id === plain.body.id);
    expect(event.event.data).toMatchObject({ url: 'kafka://127.0.0.1:9092/orders.v1' });
  });

  it('REST: a Kafka URL that cannot be used is a 400 problem naming /url with every reason, and appends nothing', async () => {
    const before = (await h.events('config')).length;
    const bad = await create({ url: 'kafka://user:pw@10.0.0.8:9092,b.example.com/a b' });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([
      { pointer: '/url', detail: "Kafka destination URL must not contain a user name or password (give SASL credentials as the endpoint's auth, type kafka_sasl)" },
      { pointer: '/url', detail: expect.stringMatching(/^Kafka destination URL must end with \/<topic>/) },
    ]);
    const internal = await create({ url: 'kafka+tls://169.254.169.254:9093,b.example.com:9093/orders' });
    expect(internal.body.errors).toEqual([{ pointer: '/url', detail: expect.stringMatching(/^Kafka broker host 169\.254\.169\.254 is not allowed/) }]);
    expect((await h.events('config')).length).toBe(before);
  });

  it('REST: OAuth 2.0 auth next to a Kafka URL is a 400 naming /auth, on create and on an update that makes it so', async () => {
    const withAuth = await create({ url: 'kafka+tls://b.example.com:9093/orders', auth: oauth2 });
    expect(withAuth.status).toBe(400);
    expect(withAuth.body.errors).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^OAuth 2\.0 auth needs an https endpoint URL; a Kafka destination gets records/) }]);
    const http = await create({ url: 'http://127.0.0.1:9/hooks', auth: oauth2 });
    expect(http.status).toBe(201);
    const toKafka = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${http.body.id}`, { body: { url: 'kafka+tls://b.example.com:9093/orders' } });
    expect(toKafka.status).toBe(400);
    expect(toKafka.body.errors).toEqual([expect.objectContaining({ pointer: '/auth' })]);
    const both = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${http.body.id}`, { body: { url: 'kafka+tls://b.example.com:9093/orders', auth: null } });
    expect(both.status).toBe(200);
  });

  it('REST: a client certificate next to a plaintext kafka:// URL is a 400 naming /client_certificate', async () => {
    const plain = await create({ url: 'kafka://127.0.0.1:9092/orders', client_certificate: cert });
    expect(plain.status).toBe(400);
    expect(plain.body.errors).toEqual([{ pointer: '/client_certificate', detail: 'mutual TLS needs an https, kafka+tls:// or amqps:// endpoint URL' }]);
  });

  it('REST: kafka_sasl auth is taken next to a Kafka URL, its password sealed at once and never in the events or the answer', async () => {
    const sasl = { type: 'kafka_sasl', mechanism: 'scram-sha-256', username: 'hookline', password: 'sasl-pa55word' };
    const created = await create({ url: 'kafka+tls://b-1.kafka.example.com:9094/orders', auth: sasl });
    expect(created.status).toBe(201);
    const [event] = (await h.events('config')).filter((r) => r.event.aggregate_id === created.body.id);
    expect(event.event.data).toMatchObject({
      auth: { type: 'kafka_sasl', mechanism: 'scram-sha-256', username: 'hookline', password_sealed: expect.stringMatching(/^enc:v1:/) },
    });
    expect(JSON.stringify(event.event)).not.toContain('sasl-pa55word');
    expect(JSON.stringify(created.body)).not.toContain('sasl-pa55word');
    // Plaintext kafka:// takes it here only because ALLOW_HTTP_ENDPOINTS=true (local development).
    expect((await create({ url: 'kafka://127.0.0.1:9092/orders', auth: { ...sasl, mechanism: 'plain' } })).status).toBe(201);
    // A new password replaces the sealed one; null removes the auth.
    const path = `/v1/tenants/${tenantId}/endpoints/${created.body.id}`;
    expect((await h.rest('PATCH', path, { body: { auth: { ...sasl, password: 'rotated-pa55word' } } })).status).toBe(200);
    expect((await h.rest('PATCH', path, { body: { auth: null } })).status).toBe(200);
    const updates = (await h.events('config')).filter((r) => r.event.aggregate_id === created.body.id && r.event.type === 'endpoint.updated.v1');
    expect(updates.map((r) => (r.event.data as { auth?: { password_sealed?: string } | null }).auth?.password_sealed ?? null))
      .toEqual([expect.stringMatching(/^enc:v1:/), null]);
    expect(JSON.stringify(updates)).not.toContain('rotated-pa55word');
  });

  it('REST: kafka_sasl auth next to an https URL, or with a wrong mechanism or no password, is a 400 naming the field', async () => {
    const sasl = { type: 'kafka_sasl', mechanism: 'plain', username: 'hookline', password: 'pw' };
    const https = await create({ url: 'https://api.example.com/hooks', auth: sasl });
    expect(https.status).toBe(400);
    expect(https.contentType).toMatch(/^application\/problem\+json/);
    expect(https.body.errors).toEqual([{ pointer: '/auth', detail: expect.stringMatching(/^kafka_sasl auth needs a Kafka endpoint URL/) }]);
    const wrong = await create({ url: 'kafka+tls://b.example.com:9093/orders', auth: { type: 'kafka_sasl', mechanism: 'gssapi', username: 'hookline' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/auth/mechanism', '/auth/password']);
    // An update that would leave SASL next to an https URL is refused too.
    const kafka = await create({ url: 'kafka+tls://b.example.com:9093/orders', auth: sasl });
    const toHttps = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${kafka.body.id}`, { body: { url: 'https://api.example.com/hooks' } });
    expect(toHttps.status).toBe(400);
    expect(toHttps.body.errors).toEqual([expect.objectContaining({ pointer: '/auth' })]);
  });

  it('gRPC: CreateEndpoint takes kafka_sasl, sealed like REST; oauth2 and kafka_sasl together are INVALID_ARGUMENT', async () => {
    const key = await h.grpc('ApiKeyService', 'CreateApiKey', { name: 'grpc-kafka-sasl', scope: 'tenant', tenant_id: tenantId });
    const kafkaSasl = { mechanism: 'scram-sha-512', username: 'hookline', password: 'grpc-sasl-pa55word' };
    const created = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'kafka+tls://b.example.com:9093/grpc-sasl', kafka_sasl: kafkaSasl }, key.key);
    const [event] = (await h.events('config')).filter((r) => r.event.aggregate_id === created.id);
    expect(event.event.data).toMatchObject({ auth: { type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline', password_sealed: expect.stringMatching(/^enc:v1:/) } });
    expect(JSON.stringify(event.event)).not.toContain('grpc-sasl-pa55word');
    const both = (await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'kafka+tls://b.example.com:9093/orders', kafka_sasl: kafkaSasl, oauth2: { ...oauth2, type: undefined } }, key.key)
      .catch((e: GrpcError) => e)) as GrpcError;
    expect(both.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    const onHttps = (await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'https://api.example.com/hooks', kafka_sasl: kafkaSasl }, key.key)
      .catch((e: GrpcError) => e)) as GrpcError;
    expect(onHttps.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    // UpdateEndpoint: remove_auth takes SASL away as it does OAuth.
    const removed = await h.grpc<{ version: number }>('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: created.id, remove_auth: true }, key.key);
    expect(removed.version).toBe(2);
  });

  it('gRPC: CreateEndpoint takes a Kafka URL, and refuses one with oauth2 (INVALID_ARGUMENT)', async () => {
    const key = await h.grpc('ApiKeyService', 'CreateApiKey', { name: 'grpc-kafka', scope: 'tenant', tenant_id: tenantId });
    const created = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'kafka+tls://b.example.com:9093/grpc-orders' }, key.key);
    expect(created.id).toMatch(/^ep_/);
    const err = (await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'kafka+tls://b.example.com:9093/orders', oauth2: { ...oauth2, type: undefined } }, key.key)
      .catch((e: GrpcError) => e)) as GrpcError;
    expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(err.details).toMatch(/invalid fields/);
  });
});
