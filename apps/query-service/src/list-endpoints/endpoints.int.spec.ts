import * as grpc from '@grpc/grpc-js';
import { EndpointId, TenantId, newId } from '@hookline/contracts';
import { RunningQueryService } from '../query-service';
import { fixtures } from '../testing/event-fixtures';
import { queryGrpcClient } from '../testing/grpc-client';
import { TestStack, getJson, positionOf } from '../testing/harness';

/** Endpoints as the API shows them: their settings from the log, with nothing sealed in the answer. */
describe('endpoint queries over REST and gRPC (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let grpcAddress: string;
  const tenant = newId('tenant') as TenantId;
  const key = 'hk_endpoint_queries_tenant_key';
  const [oauth, mtls, plain, removed, awaiting] = Array.from({ length: 5 }, () => newId('endpoint') as EndpointId);
  const t0 = Date.now() - 60_000;

  beforeAll(async () => {
    stack = await TestStack.create('endpoints');
    let config;
    ({ service, config, baseUrl } = await stack.startService());
    grpcAddress = `127.0.0.1:${config.GRPC_PORT}`;
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key),
      fixtures.endpointCreated(tenant, oauth, {
        url: 'https://api.acme.example/hooks', event_types: ['invoice.paid'], headers: { 'X-Api-Key': 'customer-secret-key', 'X-Team': 'billing' },
        metadata: { team: 'billing' },
        auth: { type: 'oauth2_client_credentials', token_url: 'https://auth.acme.example/token', client_id: 'hookline', client_secret_sealed: 'enc:v1:client-secret',
          scope: 'hooks', audience: null, client_auth: 'basic' },
      }, new Date(t0)),
      fixtures.endpointCreated(tenant, mtls, {
        url: 'https://mtls.acme.example/hooks', rate_limit_per_second: 50, circuit_breaker: { minimum_attempts: 3, open_seconds: 10 },
        transformation: '{ "text": "Invoice " & data.id & " paid" }',
        client_certificate: { cert_pem: '-----BEGIN CERTIFICATE-----\n…', key_sealed: 'enc:v1:client-key', fingerprint_sha256: 'AA:BB', not_after: '2027-06-01T00:00:00.000Z' },
      }, new Date(t0 + 1_000)),
      fixtures.endpointCreated(tenant, plain, {}, new Date(t0 + 2_000)),
      fixtures.endpointCreated(tenant, removed, {}, new Date(t0 + 3_000)),
      // An endpoint of every type approved for none, then a type needing approval: it awaits that type; `plain` (from before
      // approvals were kept per type) and the others await nothing.
      fixtures.endpointCreated(tenant, awaiting, { approved_event_types: [] }, new Date(t0 - 1_000)),
      fixtures.eventTypeCreated(tenant, 'payout.sent', { requiresApproval: true }),
      fixtures.endpointUpdated(tenant, plain, 2, { description: 'renamed', fifo: true }),
      fixtures.endpointDeleted(tenant, removed, 2),
    ]);
    expect((await getJson(baseUrl, `/v1/endpoints?position=${positionOf(appended)}`, key)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('lists the tenant\'s endpoints newest first with their settings; credentials never leave sealed, nor in the clear', async () => {
    const res = await getJson(baseUrl, '/v1/endpoints', key);
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: { id: string }) => e.id)).toEqual([plain, mtls, oauth, awaiting]);
    const [p, m, o] = res.body.data;
    expect(p).toMatchObject({ description: 'renamed', fifo: true, version: 2, status: 'enabled', auth: null, client_certificate: null, circuit_breaker: null, transformation: null });
    expect(m).toMatchObject({ rate_limit_per_second: 50, circuit_breaker: { minimum_attempts: 3, open_seconds: 10 },
      transformation: '{ "text": "Invoice " & data.id & " paid" }', client_certificate: { fingerprint_sha256: 'AA:BB', not_after: '2027-06-01T00:00:00.000Z' } });
    expect(o).toMatchObject({
      url: 'https://api.acme.example/hooks', event_types: ['invoice.paid'], headers: { 'X-Api-Key': '****', 'X-Team': 'billing' }, metadata: { team: 'billing' },
      auth: { type: 'oauth2_client_credentials', token_url: 'https://auth.acme.example/token', client_id: 'hookline', scope: 'hooks', client_auth: 'basic' },
      secrets: [{ secret_id: expect.stringMatching(/^sec_/), kind: 'hmac', public_key: null, created_at: expect.any(String), expires_at: null }],
    });
    const text = JSON.stringify(res.body);
    for (const sealedOrSecret of ['enc:v1', 'customer-secret-key', 'BEGIN CERTIFICATE', 'client_secret']) expect([sealedOrSecret, text.includes(sealedOrSecret)]).toEqual([sealedOrSecret, false]);
  });

  it('filters by status (deleted ones only when asked for) and pages with a cursor', async () => {
    expect((await getJson(baseUrl, '/v1/endpoints?status=deleted', key)).body.data.map((e: { id: string }) => e.id)).toEqual([removed]);
    const first = await getJson(baseUrl, '/v1/endpoints?limit=2', key);
    expect(first.body.data.map((e: { id: string }) => e.id)).toEqual([plain, mtls]);
    const second = await getJson(baseUrl, `/v1/endpoints?limit=2&cursor=${first.body.next_cursor}`, key);
    expect(second.body).toMatchObject({ data: [expect.objectContaining({ id: oauth }), expect.objectContaining({ id: awaiting })], next_cursor: null });
    const awaitingOnly = (await getJson(baseUrl, '/v1/endpoints?awaiting_approval=true', key)).body.data;
    expect(awaitingOnly).toEqual([expect.objectContaining({ id: awaiting, event_types: null, event_types_awaiting_approval: ['payout.sent'] })]);
    expect((await getJson(baseUrl, '/v1/endpoints?awaiting_approval=false&limit=10', key)).body.data.map((e: { id: string }) => e.id))
      .toEqual([plain, mtls, oauth]);
    expect((await getJson(baseUrl, '/v1/endpoints?awaiting_approval=maybe', key)).body.errors[0]).toMatchObject({ pointer: '/awaiting_approval' });
    const bad = await getJson(baseUrl, '/v1/endpoints?status=sleeping', key);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/status');
  });

  it('gets one endpoint by id, in the path with or without the tenant; an unknown id is 404', async () => {
    const one = await getJson(baseUrl, `/v1/endpoints/${oauth}`, key);
    expect(one.body).toMatchObject({ id: oauth, auth: { client_id: 'hookline' } });
    expect((await getJson(baseUrl, `/v1/tenants/${tenant}/endpoints/${mtls}`, key)).body).toMatchObject({ id: mtls });
    expect((await getJson(baseUrl, `/v1/endpoints/${newId('endpoint')}`, key)).status).toBe(404);
  });

  const endpointsClient = (apiKey: string) => queryGrpcClient(grpcAddress, 'EndpointsService', apiKey);

  it('answers ListEndpoints and GetEndpoint over gRPC with the same views', async () => {
    const { client, call } = endpointsClient(key);
    try {
      const page = await call('ListEndpoints', { limit: 10 });
      expect(page.data.map((e: { id: string }) => e.id)).toEqual([plain, mtls, oauth, awaiting]);
      const awaitingOnly = await call('ListEndpoints', { awaiting_approval: true });
      expect(awaitingOnly.data).toEqual([expect.objectContaining({ id: awaiting, event_types_awaiting_approval: ['payout.sent'] })]);
      expect((await call('ListEndpoints', { awaiting_approval: false })).data.map((e: { id: string }) => e.id)).toEqual([plain, mtls, oauth]);
      expect(page.data[0]).toMatchObject({ all_event_types: true, event_types: [], fifo: true });
      const one = await call('GetEndpoint', { endpoint_id: oauth });
      expect(one).toMatchObject({ id: oauth, all_event_types: false, event_types: ['invoice.paid'], headers: { 'X-Api-Key': '****' }, metadata: { team: 'billing' } });
      expect(JSON.parse(one.auth_json)).toMatchObject({ client_id: 'hookline' });
      expect(one.circuit_breaker).toBeNull(); // the deployment's thresholds
      expect(one.transformation).toBe(''); // the body as is
      const withOwn = await call('GetEndpoint', { endpoint_id: mtls });
      expect(withOwn.circuit_breaker).toEqual({ minimum_attempts: 3, open_seconds: 10 });
      expect(withOwn.transformation).toBe('{ "text": "Invoice " & data.id & " paid" }');
      expect(JSON.stringify(one)).not.toContain('enc:v1');
      await expect(call('GetEndpoint', { endpoint_id: newId('endpoint') })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      client.close();
    }
  });

  it("shows a Kafka destination's SASL auth by mechanism and user name, never its password, over REST and gRPC", async () => {
    // A tenant of its own, so the listings above keep their endpoints.
    const [saslTenant, saslKey, sasl] = [newId('tenant') as TenantId, 'hk_endpoint_queries_sasl_key', newId('endpoint') as EndpointId];
    const appended = await stack.publish([
      fixtures.tenantCreated(saslTenant), fixtures.apiKeyCreated(saslTenant, saslKey),
      fixtures.endpointCreated(saslTenant, sasl, {
        url: 'kafka+tls://b-1.kafka.acme.example:9094/hookline-events',
        auth: { type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline', password_sealed: 'enc:v1:sasl-password' },
      }),
    ]);
    const listed = await getJson(baseUrl, `/v1/endpoints?position=${positionOf(appended)}`, saslKey);
    expect(listed.body.data).toEqual([expect.objectContaining({ id: sasl, auth: { type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline' } })]);
    const one = await getJson(baseUrl, `/v1/endpoints/${sasl}`, saslKey);
    expect(one.status).toBe(200);
    expect(one.body.auth).toEqual({ type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline' });
    for (const text of [JSON.stringify(one.body), JSON.stringify(listed.body)]) expect(text).not.toMatch(/enc:v1|sasl-password|password/);

    const { client, call } = endpointsClient(saslKey);
    try {
      const viaGrpc = await call('GetEndpoint', { endpoint_id: sasl });
      expect(JSON.parse(viaGrpc.auth_json)).toEqual({ type: 'kafka_sasl', mechanism: 'scram-sha-512', username: 'hookline' });
      expect(JSON.stringify(viaGrpc)).not.toMatch(/enc:v1|sasl-password/);
    } finally {
      client.close();
    }
  });
});
