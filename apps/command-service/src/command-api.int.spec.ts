import { status as GrpcStatus } from '@grpc/grpc-js';
import { decodePosition } from '@hookline/contracts';
import { CommandServiceHarness, RecordedEvent, startCommandServiceHarness } from './test/command-service.harness';

const INVOICE_SCHEMA = {
  type: 'object',
  properties: { invoice_id: { type: 'string' }, amount: { type: 'integer' } },
  required: ['invoice_id', 'amount'],
};
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The documented envelope, as any reader of the topics relies on it. */
function expectEnvelope(r: RecordedEvent, expected: { type: string; tenantId: string; correlationId?: string; aggregateId?: string; aggregateVersion?: number }) {
  const e = r.event;
  expect(e.id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(e.type).toBe(expected.type);
  expect(e.type).toMatch(/\.v1$/);
  expect(e.occurred_at).toMatch(ISO_INSTANT);
  expect(Math.abs(Date.parse(e.occurred_at) - Date.now())).toBeLessThan(60_000);
  expect(e.tenant_id).toBe(expected.tenantId);
  expect(e.source).toBe('command-service');
  expect(typeof e.correlation_id).toBe('string');
  if (expected.correlationId) expect(e.correlation_id).toBe(expected.correlationId);
  expect(e.data).toEqual(expect.any(Object));
  if (expected.aggregateId !== undefined) {
    expect(e.aggregate_id).toBe(expected.aggregateId);
    expect(e.aggregate_version).toBe(expected.aggregateVersion ?? 1);
  }
  // Consumers route on headers without parsing the body.
  expect(r.headers).toMatchObject({ 'hookline-event-type': e.type, 'hookline-event-id': e.id, 'content-type': 'application/json' });
}

/** The write answer's position token names exactly where the event landed. */
function expectPositionOf(token: string, r: RecordedEvent) {
  expect(decodePosition(token)).toEqual([{ topic: r.topic, partition: r.partition, offset: r.offset }]);
}

describe('command API over REST and gRPC (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;

  beforeAll(async () => {
    h = await startCommandServiceHarness('api');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const find = (events: RecordedEvent[], type: string, aggregateId: string) => events.filter((r) => r.event.type === type && r.event.aggregate_id === aggregateId);

  it('REST: tenant, key, event type, endpoint and message land on the topics as documented JSON, secrets sealed', async () => {
    const correlation = { 'x-correlation-id': 'rest-flow-1' };
    const tenant = await h.rest('POST', '/v1/tenants', { body: { name: 'Acme REST', metadata: { plan: 'pro' } }, headers: correlation });
    expect(tenant.status).toBe(201);
    expect(tenant.body).toEqual({ id: expect.stringMatching(/^tnt_/), version: 1, position: expect.any(String) });
    const tenantId: string = tenant.body.id;

    const key = await h.rest('POST', '/v1/api-keys', { body: { name: 'billing', scope: 'tenant', tenant_id: tenantId }, headers: correlation });
    expect(key.status).toBe(201);
    expect(key.body).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^hk_/), scope: 'tenant', tenant_id: tenantId, version: 1 });
    const tenantKey: string = key.body.key;

    // Everything below is done with the tenant's own key, as an integrating service would.
    const eventType = await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, {
      key: tenantKey,
      body: { name: 'invoice.paid', description: 'An invoice was paid', schema: INVOICE_SCHEMA },
      headers: correlation,
    });
    expect(eventType.status).toBe(201);
    expect(eventType.body).toMatchObject({ name: 'invoice.paid', schema_version: 1, version: 1 });

    const endpoint = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, {
      key: tenantKey,
      body: { url: 'http://127.0.0.1:9/webhooks', event_types: ['invoice.paid'], description: 'billing hooks' },
      headers: correlation,
    });
    expect(endpoint.status).toBe(201);
    expect(endpoint.body).toMatchObject({ id: expect.stringMatching(/^ep_/), status: 'enabled', url: 'http://127.0.0.1:9/webhooks', version: 1 });
    expect(endpoint.body.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32,}$/);
    const endpointId: string = endpoint.body.id;

    const payload = { invoice_id: 'in_1', amount: 4200 };
    const message = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key: tenantKey, body: { event_type: 'invoice.paid', payload, channels: ['eu'] }, headers: correlation });
    expect(message.status).toBe(202);
    expect(message.body).toEqual({ id: expect.stringMatching(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/), event_type: 'invoice.paid', timestamp: expect.stringMatching(ISO_INSTANT), position: expect.any(String) });

    const events = await h.events();
    const [tenantCreated] = find(events, 'tenant.created.v1', tenantId);
    expectEnvelope(tenantCreated, { type: 'tenant.created.v1', tenantId, correlationId: 'rest-flow-1', aggregateId: tenantId });
    expect(tenantCreated.topicKey).toBe('config');
    expect(tenantCreated.key).toBe(tenantId);
    expect(tenantCreated.event.data).toEqual({ tenant_id: tenantId, name: 'Acme REST', retention_days: 30, metadata: { plan: 'pro' } });
    expect(tenantCreated.event.actor).toEqual({ kind: 'admin', id: expect.any(String) });
    expectPositionOf(tenant.body.position, tenantCreated);

    const [keyCreated] = find(events, 'api_key.created.v1', key.body.id);
    expectEnvelope(keyCreated, { type: 'api_key.created.v1', tenantId, correlationId: 'rest-flow-1', aggregateId: key.body.id });
    expect(keyCreated.event.data).toMatchObject({ key_id: key.body.id, scope: 'tenant', tenant_id: tenantId, key_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const [typeCreated] = find(events, 'event_type.created.v1', 'invoice.paid');
    expectEnvelope(typeCreated, { type: 'event_type.created.v1', tenantId, correlationId: 'rest-flow-1', aggregateId: 'invoice.paid' });
    expect(typeCreated.event.data).toEqual({ name: 'invoice.paid', description: 'An invoice was paid', schema: INVOICE_SCHEMA, requires_approval: false });
    expect(typeCreated.event.actor).toEqual({ kind: 'api_key', id: key.body.id });

    const [endpointCreated] = find(events, 'endpoint.created.v1', endpointId);
    expectEnvelope(endpointCreated, { type: 'endpoint.created.v1', tenantId, correlationId: 'rest-flow-1', aggregateId: endpointId });
    expect(endpointCreated.event.data).toMatchObject({ endpoint_id: endpointId, url: 'http://127.0.0.1:9/webhooks', event_types: ['invoice.paid'], status: 'enabled' });
    const secrets = (endpointCreated.event.data as { secrets: Array<{ sealed: string; kind: string }> }).secrets;
    expect(secrets).toEqual([expect.objectContaining({ kind: 'hmac', sealed: expect.stringMatching(/^enc:v1:/) })]);
    expectPositionOf(endpoint.body.position, endpointCreated);

    const published = events.filter((r) => r.event.type === 'message.published.v1' && (r.event.data as { message_id: string }).message_id === message.body.id);
    expect(published).toHaveLength(1);
    expectEnvelope(published[0], { type: 'message.published.v1', tenantId, correlationId: 'rest-flow-1' });
    expect(published[0].topicKey).toBe('messages');
    expect(published[0].event.data).toEqual({
      message_id: message.body.id,
      event_type: 'invoice.paid',
      event_type_version: 1,
      payload,
      channels: ['eu'],
      idempotency_key: null,
      ordering_key: null,
    });
    expectPositionOf(message.body.position, published[0]);

    // Secrets are shown once in the answers and never travel in plaintext on any topic.
    for (const r of events) {
      expect(r.raw).not.toContain(endpoint.body.secret);
      expect(r.raw).not.toContain(endpoint.body.secret.slice('whsec_'.length));
      expect(r.raw).not.toContain(tenantKey);
    }
  });

  it('gRPC: the same flow, with the same events on the topics', async () => {
    const tenant = await h.grpc('TenantService', 'CreateTenant', { name: 'Acme gRPC' });
    expect(tenant).toMatchObject({ id: expect.stringMatching(/^tnt_/), version: 1, position: { token: expect.any(String) } });
    const tenantId: string = tenant.id;

    const key = await h.grpc('ApiKeyService', 'CreateApiKey', { name: 'grpc-client', scope: 'tenant', tenant_id: tenantId });
    expect(key).toMatchObject({ id: expect.stringMatching(/^key_/), key: expect.stringMatching(/^hk_/) });

    const eventType = await h.grpc('EventTypeService', 'CreateEventType', { tenant_id: tenantId, name: 'order.shipped', schema_json: JSON.stringify(INVOICE_SCHEMA) }, key.key);
    expect(eventType).toMatchObject({ name: 'order.shipped', version: 1, schema_version: 1 });

    const endpoint = await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/grpc-hooks', event_types: ['order.shipped'] }, key.key);
    expect(endpoint).toMatchObject({ id: expect.stringMatching(/^ep_/), version: 1, status: 'enabled', secret: expect.stringMatching(/^whsec_/) });

    const payload = { invoice_id: 'in_grpc', amount: 7 };
    const message = await h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'order.shipped', payload_json: JSON.stringify(payload) }, key.key);
    expect(message).toMatchObject({ id: expect.stringMatching(/^msg_/), position: { token: expect.any(String) } });

    const events = await h.events();
    expectEnvelope(find(events, 'tenant.created.v1', tenantId)[0], { type: 'tenant.created.v1', tenantId, aggregateId: tenantId });
    expectEnvelope(find(events, 'api_key.created.v1', key.id)[0], { type: 'api_key.created.v1', tenantId, aggregateId: key.id });
    const [typeCreated] = find(events, 'event_type.created.v1', 'order.shipped').filter((r) => r.event.tenant_id === tenantId);
    expectEnvelope(typeCreated, { type: 'event_type.created.v1', tenantId, aggregateId: 'order.shipped' });
    expect(typeCreated.event.data).toMatchObject({ schema: INVOICE_SCHEMA });
    const [endpointCreated] = find(events, 'endpoint.created.v1', endpoint.id);
    expectEnvelope(endpointCreated, { type: 'endpoint.created.v1', tenantId, aggregateId: endpoint.id });
    expect(JSON.stringify(endpointCreated.event.data)).toMatch(/"sealed":"enc:v1:/);
    expect(endpointCreated.event.actor).toEqual({ kind: 'api_key', id: key.id });

    const published = events.filter((r) => r.event.type === 'message.published.v1' && (r.event.data as { message_id: string }).message_id === message.id);
    expect(published).toHaveLength(1);
    expectEnvelope(published[0], { type: 'message.published.v1', tenantId });
    expect(published[0].event.data).toMatchObject({ event_type: 'order.shipped', payload, event_type_version: 1 });
    expectPositionOf(message.position.token, published[0]);

    for (const r of events) {
      expect(r.raw).not.toContain(endpoint.secret);
      expect(r.raw).not.toContain(key.key);
    }

    // The gRPC calls are counted by method and status code (the interceptor sits on the gRPC controllers only).
    const scrape = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(scrape).toMatch(/hookline_grpc_requests_total\{method="\/hookline\.command\.v1\.MessageService\/PublishMessage",code="OK",[^}]*\} [1-9]/);
    expect(scrape).toMatch(/hookline_grpc_requests_total\{method="\/hookline\.command\.v1\.EndpointService\/CreateEndpoint",code="OK",[^}]*\} [1-9]/);
  });

  it('concurrent config writes are each answered once Kafka has them, without waiting out the outbox idle interval', async () => {
    // The relay sleeps 1 s when idle; a commit made while it was draining used to wait for that sleep to end.
    const slowest: number[] = [];
    for (let round = 0; round < 3; round++) {
      const latencies = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * 5));
          const started = Date.now();
          const r = await h.rest('POST', '/v1/tenants', { body: { name: `burst-${round}-${i}` } });
          expect(r.status).toBe(201);
          return Date.now() - started;
        }),
      );
      slowest.push(Math.max(...latencies));
    }
    expect(slowest.filter((ms) => ms >= 1000)).toEqual([]);
  });

  describe('optimistic concurrency', () => {
    let tenantId: string;
    let endpointId: string;
    beforeAll(async () => {
      tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'Concurrency' } })).body.id;
      endpointId = (await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/a' } })).body.id;
    });
    const updatesOf = async (id: string) => (await h.events('config')).filter((r) => r.event.aggregate_id === id && r.event.type === 'endpoint.updated.v1');

    it('If-Match: the current version is applied and answers version+1; a stale one is 409 and appends nothing', async () => {
      const ok = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${endpointId}`, { body: { description: 'first' }, headers: { 'if-match': '"1"' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: endpointId, version: 2 });
      expect(await updatesOf(endpointId)).toHaveLength(1);

      const stale = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${endpointId}`, { body: { description: 'lost update' }, headers: { 'if-match': '"1"' } });
      expect(stale.status).toBe(409);
      expect(stale.contentType).toMatch(/^application\/problem\+json/);
      expect(stale.body.detail).toMatch(/expected version 1 but the resource is at version 2/);
      expect(stale.body.errors).toEqual([expect.objectContaining({ pointer: 'If-Match' })]);
      const updates = await updatesOf(endpointId);
      expect(updates).toHaveLength(1);
      expect(updates[0].event.data).toMatchObject({ description: 'first' });
      expect(updates[0].event.aggregate_version).toBe(2);

      const weak = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${endpointId}`, { body: { description: 'second' }, headers: { 'if-match': 'W/"2"' } });
      expect(weak.status).toBe(200);
      expect(weak.body.version).toBe(3);
    });

    it('If-Match on a tenant: stale is 409, current is 200 with version+1', async () => {
      const stale = await h.rest('PATCH', `/v1/tenants/${tenantId}`, { body: { name: 'Renamed' }, headers: { 'if-match': '7' } });
      expect(stale.status).toBe(409);
      const ok = await h.rest('PATCH', `/v1/tenants/${tenantId}`, { body: { name: 'Renamed' }, headers: { 'if-match': '1' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: tenantId, version: 2 });
      const renames = (await h.events('config')).filter((r) => r.event.type === 'tenant.updated.v1' && r.event.tenant_id === tenantId);
      expect(renames.map((r) => r.event.data)).toEqual([{ tenant_id: tenantId, name: 'Renamed' }]);
    });

    it('gRPC expected_version: stale is FAILED_PRECONDITION and appends nothing; current answers version+1', async () => {
      const before = (await updatesOf(endpointId)).length;
      const current = 3;
      await expect(
        h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: endpointId, expected_version: current - 1, description: 'stale' }),
      ).rejects.toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION, details: expect.stringMatching(/expected version 2 but the resource is at version 3/) });
      expect(await updatesOf(endpointId)).toHaveLength(before);

      const ok = await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: endpointId, expected_version: current, description: 'via grpc' });
      expect(ok).toMatchObject({ id: endpointId, version: current + 1, status: 'enabled' });
      const updates = await updatesOf(endpointId);
      expect(updates).toHaveLength(before + 1);
      expect(updates[updates.length - 1].event.data).toMatchObject({ description: 'via grpc' });
    });
  });

  it("an endpoint's own auto-disable threshold: set on create and update (REST, gRPC), back to the deployment's, refused out of range", async () => {
    const tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'Thresholds' } })).body.id as string;
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/a', auto_disable_after_hours: 0 } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ofEndpoint = async () => (await h.events('config')).filter((r) => r.event.aggregate_id === id).map((r) => r.event.data as Record<string, unknown>);
    expect((await ofEndpoint())[0]).toMatchObject({ auto_disable_after_hours: 0 });

    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { auto_disable_after_hours: 2.5 } })).status).toBe(200);
    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { auto_disable_after_hours: null } })).status).toBe(200);
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, auto_disable_after_hours: 48 });
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, default_auto_disable: true });
    expect((await ofEndpoint()).slice(1).map((d) => d.auto_disable_after_hours)).toEqual([2.5, null, 48, null]);
    const viaGrpc = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/b', auto_disable_after_hours: 1 });
    expect((await h.events('config')).find((r) => r.event.aggregate_id === viaGrpc.id)?.event.data).toMatchObject({ auto_disable_after_hours: 1 });

    for (const value of [-1, 8761, 'soon']) {
      const res = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { auto_disable_after_hours: value } });
      expect([value, res.status, res.body.errors?.[0]?.pointer]).toEqual([value, 400, '/auto_disable_after_hours']);
    }
    await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, auto_disable_after_hours: 3, default_auto_disable: true }))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect(await ofEndpoint()).toHaveLength(5);
  });

  it('event types: null on update (REST) or all_event_types (gRPC) means every type again, [] none; every type needs approval where some type does', async () => {
    const { tenantId, key } = await h.tenantWithKey('Subscriptions', ['order.created', 'order.shipped']);
    const base = `/v1/tenants/${tenantId}/endpoints`;
    const created = await h.rest('POST', base, { key, body: { url: 'http://127.0.0.1:9/a', event_types: ['order.created'] } });
    const id = created.body.id as string;
    const settings = async () => (await h.events('config')).filter((r) => r.event.aggregate_id === id).map((r) => (r.event.data as Record<string, unknown>).event_types);
    expect((await h.rest('PATCH', `${base}/${id}`, { key, body: { event_types: null } })).body.status).toBe('enabled');
    expect((await h.rest('PATCH', `${base}/${id}`, { key, body: { event_types: [] } })).status).toBe(200);
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, all_event_types: true }, key);
    expect(await settings()).toEqual([['order.created'], null, [], null]);
    await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, event_types: ['order.shipped'], all_event_types: true }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });

    // A type that needs approval: an endpoint asking for every type gets it only once approved.
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { key, body: { name: 'payout.sent', requires_approval: true } })).status).toBe(201);
    const narrow = await h.rest('POST', base, { key, body: { url: 'http://127.0.0.1:9/b', event_types: ['order.shipped'] } });
    expect(narrow.body.status).toBe('enabled');
    expect((await h.rest('PATCH', `${base}/${narrow.body.id}`, { key, body: { event_types: null } })).body.status).toBe('pending_approval');
    expect((await h.rest('POST', base, { key, body: { url: 'http://127.0.0.1:9/c' } })).body.status).toBe('pending_approval');
    // One that had every type already keeps it without asking again.
    expect((await h.rest('PATCH', `${base}/${id}`, { key, body: { description: 'still all', event_types: null } })).body.status).toBe('enabled');
  });

  it("an endpoint's own circuit-breaker thresholds: set on create and update (REST, gRPC), replaced whole, back to the deployment's, refused out of bounds", async () => {
    const tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'Breakers' } })).body.id as string;
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/a', circuit_breaker: { minimum_attempts: 3, open_seconds: 10 } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ofEndpoint = async () => (await h.events('config')).filter((r) => r.event.aggregate_id === id).map((r) => r.event.data as Record<string, unknown>);
    expect((await ofEndpoint())[0]).toMatchObject({ circuit_breaker: { minimum_attempts: 3, open_seconds: 10 } });

    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { circuit_breaker: { failure_ratio: 0.25 } } })).status).toBe(200);
    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { circuit_breaker: null } })).status).toBe(200);
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, circuit_breaker: { window_seconds: 30, minimum_attempts: 5 } });
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, default_circuit_breaker: true });
    expect((await ofEndpoint()).slice(1).map((d) => d.circuit_breaker)).toEqual([{ failure_ratio: 0.25 }, null, { window_seconds: 30, minimum_attempts: 5 }, null]);
    const viaGrpc = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/b', circuit_breaker: { failure_ratio: 0.5 } });
    expect((await h.events('config')).find((r) => r.event.aggregate_id === viaGrpc.id)?.event.data).toMatchObject({ circuit_breaker: { failure_ratio: 0.5 } });

    for (const [value, pointer] of [[{ failure_ratio: 0 }, '/circuit_breaker/failure_ratio'], [{ minimum_attempts: 1.5 }, '/circuit_breaker/minimum_attempts'],
      [{ open_seconds: '60' }, '/circuit_breaker/open_seconds'], [{ probes: 1 }, '/circuit_breaker/probes'], ['strict', '/circuit_breaker']] as const) {
      const res = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { circuit_breaker: value } });
      expect([value, res.status, res.contentType, res.body.errors?.[0]?.pointer]).toEqual([value, 400, expect.stringContaining('application/problem+json'), pointer]);
    }
    await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, circuit_breaker: { window_seconds: 0 } }))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, circuit_breaker: { failure_ratio: 0.5 }, default_circuit_breaker: true }))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect(await ofEndpoint()).toHaveLength(5);
  });

  it("an endpoint's transformation: set on create and update (REST, gRPC) exactly as sent, removed, refused when it is not a JSONata expression", async () => {
    const tenantId = (await h.rest('POST', '/v1/tenants', { body: { name: 'Transformations' } })).body.id as string;
    const slack = '{ "text": "Invoice " & data.id & " paid" }';
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/a', transformation: slack } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ofEndpoint = async () => (await h.events('config')).filter((r) => r.event.aggregate_id === id).map((r) => r.event.data as Record<string, unknown>);
    expect((await ofEndpoint())[0]).toMatchObject({ transformation: slack });

    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { transformation: '$merge([$, { "source": "hookline" }])' } })).status).toBe(200);
    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { description: 'left as is' } })).status).toBe(200);
    expect((await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { transformation: null } })).status).toBe(200);
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, transformation: 'data' });
    await h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, remove_transformation: true });
    expect((await ofEndpoint()).slice(1).map((d) => ('transformation' in d ? d.transformation : 'absent')))
      .toEqual(['$merge([$, { "source": "hookline" }])', 'absent', null, 'data', null]);
    const viaGrpc = await h.grpc<{ id: string }>('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/b', transformation: slack });
    expect((await h.events('config')).find((r) => r.event.aggregate_id === viaGrpc.id)?.event.data).toMatchObject({ transformation: slack });

    const before = (await h.events('config')).length;
    const refused = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { body: { url: 'http://127.0.0.1:9/c', transformation: '{ "text": data.id &' } });
    expect([refused.status, refused.contentType, refused.body.errors]).toEqual([400, expect.stringContaining('application/problem+json'),
      [{ pointer: '/transformation', detail: expect.stringMatching(/^is not a JSONata expression at character \d+: /) }]]);
    for (const value of ['  ', 'x'.repeat(16_385), 42]) {
      const res = await h.rest('PATCH', `/v1/tenants/${tenantId}/endpoints/${id}`, { body: { transformation: value } });
      expect([String(value).slice(0, 8), res.status, res.contentType, res.body.errors?.[0]?.pointer])
        .toEqual([String(value).slice(0, 8), 400, expect.stringContaining('application/problem+json'), '/transformation']);
    }
    await expect(h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/d', transformation: '$$$(' }))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, details: expect.stringContaining('/transformation') });
    await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: id, transformation: 'data', remove_transformation: true }))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
    expect((await h.events('config')).length).toBe(before);
  });
});
