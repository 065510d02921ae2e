import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, GrpcError, RestAnswer, eventually, startCommandServiceHarness } from '../test/command-service.harness';

const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'errors'];

function expectProblem(r: RestAnswer, status: number) {
  expect(r.status).toBe(status);
  expect(r.contentType).toMatch(/^application\/problem\+json/);
  expect(r.body.status).toBe(status);
}

describe('authentication and authorization (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  const a = { tenantId: '', key: '', keyId: '' };
  const b = { tenantId: '', key: '', keyId: '', endpointId: '', messageId: '' };

  const newTenantWithKey = async (name: string, keyOptions: Record<string, unknown> = {}) => {
    const tenantId = (await h.rest('POST', '/v1/tenants', { body: { name } })).body.id as string;
    const key = await h.rest('POST', '/v1/api-keys', { body: { name: `${name}-key`, scope: 'tenant', tenant_id: tenantId, ...keyOptions } });
    expect(key.status).toBe(201);
    await h.rest('POST', `/v1/tenants/${tenantId}/event-types`, { body: { name: 'ping' } });
    return { tenantId, key: key.body.key as string, keyId: key.body.id as string };
  };
  const ping = (tenantId: string, key: string | null, baseUrl?: string) =>
    h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, baseUrl, body: { event_type: 'ping', payload: {} } });

  beforeAll(async () => {
    // A second instance joins and leaves the log follower's group here: the rebalance warnings that causes are expected.
    h = await startCommandServiceHarness('auth', { LOG_LEVEL: 'error' });
    Object.assign(a, await newTenantWithKey('tenant-a'));
    Object.assign(b, await newTenantWithKey('tenant-b'));
    await h.rest('POST', `/v1/tenants/${b.tenantId}/event-types`, { key: b.key, body: { name: 'b.private', schema: { type: 'object' } } });
    b.endpointId = (await h.rest('POST', `/v1/tenants/${b.tenantId}/endpoints`, { key: b.key, body: { url: 'http://127.0.0.1:9/b-private-hook' } })).body.id;
    b.messageId = (await h.rest('POST', `/v1/tenants/${b.tenantId}/messages`, { key: b.key, body: { event_type: 'b.private', payload: { card: 'b-secret-payload' } } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  describe('401 without a valid key', () => {
    it.each([
      ['no Authorization header', {} as Record<string, string>],
      ['a non-Bearer scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['an empty Bearer token', { authorization: 'Bearer ' }],
      ['an unknown key', { authorization: 'Bearer hk_not_a_real_key_at_all_000000' }],
    ])('%s is 401 with WWW-Authenticate: Bearer', async (_label, headers) => {
      const r = await h.rest('POST', '/v1/tenants', { key: null, headers, body: { name: 'nope' } });
      expectProblem(r, 401);
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('gRPC without a key is UNAUTHENTICATED', async () => {
      await expect(h.grpc('TenantService', 'CreateTenant', { name: 'nope' }, null)).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
      await expect(h.grpc('TenantService', 'CreateTenant', { name: 'nope' }, 'hk_wrong')).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
    });
  });

  it('a tenant key on an admin operation is 403 (PERMISSION_DENIED over gRPC) and changes nothing', async () => {
    const before = (await h.events('config')).length;
    expectProblem(await h.rest('POST', '/v1/tenants', { key: a.key, body: { name: 'sneaky' } }), 403);
    expectProblem(await h.rest('DELETE', `/v1/tenants/${a.tenantId}`, { key: a.key }), 403);
    expectProblem(await h.rest('POST', '/v1/api-keys', { key: a.key, body: { name: 'root', scope: 'admin' } }), 403);
    await expect(h.grpc('TenantService', 'CreateTenant', { name: 'sneaky' }, a.key)).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    await expect(h.grpc('TenantService', 'DeleteTenant', { tenant_id: a.tenantId }, a.key)).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect((await h.events('config')).length).toBe(before);
  });

  describe("another tenant's resources", () => {
    const neverExisted = 'ep_01ARZ3NDEKTSV4RRFFQ69G5FAV';

    it("tenant A's key on tenant B's endpoint, event type, message and key is 404 and reveals nothing", async () => {
      // B's message is in the message index (B itself can resend it), so a 404 for A is tenant scoping, not timing.
      await eventually(
        async () => (await h.rest('POST', `/v1/tenants/${b.tenantId}/messages/${b.messageId}/resend`, { key: b.key, body: { endpoint_id: b.endpointId } })).status === 202,
        "B's message in the index",
      );
      const before = await h.events();
      const attempts: Array<[string, string, unknown?]> = [
        ['PATCH', `/v1/tenants/${b.tenantId}/endpoints/${b.endpointId}`, { description: 'hijacked' }],
        ['PATCH', `/v1/tenants/${a.tenantId}/endpoints/${b.endpointId}`, { description: 'hijacked' }],
        ['POST', `/v1/tenants/${a.tenantId}/endpoints/${b.endpointId}/disable`, {}],
        ['POST', `/v1/tenants/${a.tenantId}/endpoints/${b.endpointId}/rotate-secret`, {}],
        ['DELETE', `/v1/tenants/${b.tenantId}/endpoints/${b.endpointId}`],
        ['POST', `/v1/tenants/${b.tenantId}/endpoints`, { url: 'http://127.0.0.1:9/planted' }],
        ['PATCH', `/v1/tenants/${b.tenantId}/event-types/b.private`, { description: 'x' }],
        ['PATCH', `/v1/tenants/${a.tenantId}/event-types/b.private`, { description: 'x' }],
        ['POST', `/v1/tenants/${a.tenantId}/event-types/b.private/schemas`, { schema: { type: 'object' }, force: true }],
        ['DELETE', `/v1/tenants/${b.tenantId}/event-types/b.private`],
        ['POST', `/v1/tenants/${b.tenantId}/messages`, { event_type: 'b.private', payload: {} }],
        ['POST', `/v1/tenants/${b.tenantId}/messages/${b.messageId}/resend`, { endpoint_id: b.endpointId }],
        ['POST', `/v1/tenants/${a.tenantId}/messages/${b.messageId}/resend`, { endpoint_id: b.endpointId }],
        ['PATCH', `/v1/tenants/${b.tenantId}`, { name: 'mine now' }],
        ['DELETE', `/v1/api-keys/${b.keyId}`],
        ['POST', '/v1/api-keys', { name: 'foothold', scope: 'tenant', tenant_id: b.tenantId }],
      ];
      for (const [method, path, body] of attempts) {
        const r = await h.rest(method, path, { key: a.key, body });
        expect({ method, path, status: r.status }).toEqual({ method, path, status: 404 });
        expect(r.contentType).toMatch(/^application\/problem\+json/);
        expect(PROBLEM_FIELDS).toEqual(expect.arrayContaining(Object.keys(r.body)));
        for (const secret of ['b-private-hook', 'b-secret-payload', 'tenant-b', '"version"']) expect(r.text).not.toContain(secret);
      }
      // Exactly the answer an id that never existed gets: no existence oracle across tenants.
      const foreign = await h.rest('PATCH', `/v1/tenants/${a.tenantId}/endpoints/${b.endpointId}`, { key: a.key, body: { description: 'x' } });
      const missing = await h.rest('PATCH', `/v1/tenants/${a.tenantId}/endpoints/${neverExisted}`, { key: a.key, body: { description: 'x' } });
      expect({ ...foreign.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });

      await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: a.tenantId, endpoint_id: b.endpointId, description: 'x' }, a.key)).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
      await expect(h.grpc('MessageService', 'PublishMessage', { tenant_id: b.tenantId, event_type: 'b.private', payload_json: '{}' }, a.key)).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });

      const after = await h.events();
      expect(after.length).toBe(before.length);
      // B's endpoint is untouched: still version 1 for B.
      const own = await h.rest('PATCH', `/v1/tenants/${b.tenantId}/endpoints/${b.endpointId}`, { key: b.key, body: { description: 'mine' }, headers: { 'if-match': '1' } });
      expect(own.status).toBe(200);
    });
  });

  it('a revoked key is refused at once by the instance that revoked it and within the 5 s cache TTL by another', async () => {
    const c = await newTenantWithKey('tenant-c');
    const peer = await h.startPeer();
    try {
      expect((await ping(c.tenantId, c.key)).status).toBe(202);
      expect((await ping(c.tenantId, c.key, peer.baseUrl)).status).toBe(202); // now cached by the peer

      const revoked = await h.rest('DELETE', `/v1/api-keys/${c.keyId}`);
      expect(revoked.status).toBe(200);
      const revokedAt = Date.now();
      const here = await ping(c.tenantId, c.key);
      expectProblem(here, 401);
      expect(here.body.detail).toMatch(/unknown or revoked/);
      await expect(h.grpc('MessageService', 'PublishMessage', { tenant_id: c.tenantId, event_type: 'ping', payload_json: '{}' }, c.key)).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
      });

      await eventually(async () => (await ping(c.tenantId, c.key, peer.baseUrl)).status === 401, 'the peer to refuse the revoked key', 8000);
      expect(Date.now() - revokedAt).toBeLessThan(5000 + 1000);
      const revokedEvents = (await h.events('config')).filter((r) => r.event.type === 'api_key.revoked.v1' && r.event.aggregate_id === c.keyId);
      expect(revokedEvents).toHaveLength(1);
    } finally {
      await peer.stop();
    }
  });

  it("deleting a tenant stops its keys: 401 everywhere, including on the endpoints it still had", async () => {
    const d = await newTenantWithKey('tenant-deleted');
    const endpointId = (await h.rest('POST', `/v1/tenants/${d.tenantId}/endpoints`, { key: d.key, body: { url: 'http://127.0.0.1:9/d' } })).body.id;
    expect((await h.rest('DELETE', `/v1/tenants/${d.tenantId}`)).status).toBe(200);
    const before = (await h.events('config')).length;
    expectProblem(await h.rest('PATCH', `/v1/tenants/${d.tenantId}/endpoints/${endpointId}`, { key: d.key, body: { description: 'still mine?' } }), 401);
    expectProblem(await h.rest('POST', `/v1/tenants/${d.tenantId}/endpoints/${endpointId}/rotate-secret`, { key: d.key, body: {} }), 401);
    expectProblem(await ping(d.tenantId, d.key), 401);
    await expect(h.grpc('EndpointService', 'RotateSecret', { tenant_id: d.tenantId, endpoint_id: endpointId }, d.key)).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
    expect((await h.events('config')).length).toBe(before);
  });

  it('a key whose IP allowlist does not contain 127.0.0.1 is 403 (PERMISSION_DENIED); one that does works', async () => {
    const elsewhere = await newTenantWithKey('tenant-ip', { ip_allowlist: ['10.0.0.0/8', '2001:db8::/32'] });
    const r = await ping(elsewhere.tenantId, elsewhere.key);
    expectProblem(r, 403);
    expect(r.body.detail).toMatch(/127\.0\.0\.1 .*not in this API key's IP allowlist/);
    await expect(h.grpc('MessageService', 'PublishMessage', { tenant_id: elsewhere.tenantId, event_type: 'ping', payload_json: '{}' }, elsewhere.key)).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });

    const local = await h.rest('POST', '/v1/api-keys', { body: { name: 'local', scope: 'tenant', tenant_id: elsewhere.tenantId, ip_allowlist: ['127.0.0.0/8'] } });
    expect((await ping(elsewhere.tenantId, local.body.key)).status).toBe(202);
    expect(await h.grpc('MessageService', 'PublishMessage', { tenant_id: elsewhere.tenantId, event_type: 'ping', payload_json: '{}' }, local.body.key)).toMatchObject({
      id: expect.stringMatching(/^msg_/),
    });
  });

  it('a key limited to 2 requests/s gets 429 with Retry-After (RESOURCE_EXHAUSTED over gRPC), then works again', async () => {
    const limited = await newTenantWithKey('tenant-rate', { rate_limit_per_second: 2 });
    const answers: RestAnswer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await ping(limited.tenantId, limited.key));
    expect(answers.slice(0, 2).map((r) => r.status)).toEqual([202, 202]);
    const refused = answers.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    for (const r of refused) {
      expectProblem(r, 429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(r.body.retry_after_seconds).toBe(Number(r.headers.get('retry-after')));
    }
    const err: GrpcError = await h.grpc('MessageService', 'PublishMessage', { tenant_id: limited.tenantId, event_type: 'ping', payload_json: '{}' }, limited.key).catch((e: GrpcError) => e);
    expect(err.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(err.metadata.get('retry-after')).toEqual(['1']);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await ping(limited.tenantId, limited.key)).status).toBe(202);
  });

  it('gRPC maps refusals to their status codes (INVALID_ARGUMENT for a bad field, with the pointer)', async () => {
    const err: GrpcError = await h.grpc('TenantService', 'CreateTenant', { name: '' }).catch((e: GrpcError) => e);
    expect(err.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(JSON.parse(String(err.metadata.get('problem-errors')[0]))).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/name' })]));
    await expect(h.grpc('EndpointService', 'DisableEndpoint', { tenant_id: a.tenantId, endpoint_id: 'ep_nope' }, a.key)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
  });
});
