import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, GrpcError, RestOptions, startCommandServiceHarness } from './test/command-service.harness';

const JSON_HEADERS = { 'content-type': 'application/json' };

interface Case {
  name: string;
  method: string;
  path: string;
  opts: RestOptions;
  status: number;
}

/** Every malformed request is refused with a 4xx problem document that says what is wrong; never a 5xx, never an event. */
describe('malformed requests (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;
  let t: string;
  let ep: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('malformed');
    t = (await h.rest('POST', '/v1/tenants', { body: { name: 'Target' } })).body.id;
    await h.rest('POST', `/v1/tenants/${t}/event-types`, { body: { name: 'invoice.paid', schema: { type: 'object', properties: { amount: { type: 'integer' } } } } });
    ep = (await h.rest('POST', `/v1/tenants/${t}/endpoints`, { body: { url: 'http://127.0.0.1:9/ok' } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const deeplyNested = `{"event_type":"invoice.paid","payload":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;

  const corpus = (): Case[] => {
    const msg = (body: unknown, extra: Partial<RestOptions> = {}): Omit<Case, 'name' | 'status'> => ({ method: 'POST', path: `/v1/tenants/${t}/messages`, opts: { body, ...extra } });
    const endpoint = (body: unknown): Omit<Case, 'name' | 'status'> => ({ method: 'POST', path: `/v1/tenants/${t}/endpoints`, opts: { body } });
    const tenant = (opts: RestOptions): Omit<Case, 'name' | 'status'> => ({ method: 'POST', path: '/v1/tenants', opts });
    const cases: Array<[string, Omit<Case, 'name' | 'status'>, number]> = [
      // bad JSON
      ['truncated JSON', tenant({ raw: '{"name": ', headers: JSON_HEADERS }), 400],
      ['JSON with a trailing comma', tenant({ raw: '{"name":"x",}', headers: JSON_HEADERS }), 400],
      ['a bare JSON string', tenant({ raw: '"Acme"', headers: JSON_HEADERS }), 400],
      ['JSON null body', tenant({ raw: 'null', headers: JSON_HEADERS }), 400],
      ['not JSON at all', msg(undefined, { raw: '<xml/>', headers: JSON_HEADERS }), 400],
      // empty bodies
      ['an empty body with a JSON content type', tenant({ raw: '', headers: JSON_HEADERS }), 400],
      ['no body at all', tenant({}), 400],
      ['an empty object', msg({}), 400],
      // arrays instead of objects
      ['an array body', tenant({ raw: '[]', headers: JSON_HEADERS }), 400],
      ['an array of the right object', tenant({ raw: '[{"name":"x"}]', headers: JSON_HEADERS }), 400],
      ['metadata as an array', tenant({ body: { name: 'x', metadata: ['a'] } }), 400],
      ['payload as an array', msg({ event_type: 'invoice.paid', payload: [1, 2] }), 400],
      // null payload, wrong types
      ['a null payload', msg({ event_type: 'invoice.paid', payload: null }), 400],
      ['a string payload', msg({ event_type: 'invoice.paid', payload: '{"amount":1}' }), 400],
      ['a number as the tenant name', tenant({ body: { name: 42 } }), 400],
      ['a string where an integer belongs', tenant({ body: { name: 'x', retention_days: '30' } }), 400],
      ['a float where an integer belongs', endpoint({ url: 'https://example.com/', max_in_flight: 1.5 }), 400],
      ['a boolean as event_type', msg({ event_type: true, payload: {} }), 400],
      ['channels as a string', msg({ event_type: 'invoice.paid', payload: {}, channels: 'eu' }), 400],
      ['a non-string metadata value', tenant({ body: { name: 'x', metadata: { tier: 3 } } }), 400],
      ['a non-string custom header value', endpoint({ url: 'https://example.com/', headers: { 'x-team': 7 } }), 400],
      ['a payload that breaks the schema', msg({ event_type: 'invoice.paid', payload: { amount: 'lots' } }), 400],
      ['a payload nested 5000 levels deep', msg(undefined, { raw: deeplyNested, headers: JSON_HEADERS }), 400],
      ['a NUL character in a name', tenant({ body: { name: 'Acme\u0000Corp' } }), 400],
      ['a NUL character in a payload', msg({ event_type: 'invoice.paid', payload: { note: 'a\u0000b' } }), 400],
      // A lone UTF-16 surrogate parses as JSON, but Postgres' jsonb refuses it: it would stop every store it reaches.
      ['a lone surrogate in a payload', msg(undefined, { raw: '{"event_type":"invoice.paid","payload":{"note":"a\\ud800b"}}', headers: JSON_HEADERS }), 400],
      ['a lone surrogate in a payload key', msg(undefined, { raw: '{"event_type":"invoice.paid","payload":{"\\udc00":1}}', headers: JSON_HEADERS }), 400],
      ['a lone surrogate in a name', tenant({ raw: '{"name":"Acme\\udbff"}', headers: JSON_HEADERS }), 400],
      // unknown fields
      ['an unknown top-level field', tenant({ body: { name: 'x', is_admin: true } }), 400],
      ['an unknown field on a message', msg({ event_type: 'invoice.paid', payload: {}, priority: 'high' }), 400],
      ['an unknown field on an endpoint', endpoint({ url: 'https://example.com/', secret_key: 'x' }), 400],
      // huge strings
      ['a 100 kB tenant name', tenant({ body: { name: 'x'.repeat(100_000) } }), 400],
      ['a 10 kB event type name', msg({ event_type: 'x'.repeat(10_000), payload: {} }), 400],
      ['a 5000-character URL', endpoint({ url: `https://example.com/${'a'.repeat(5000)}` }), 400],
      ['a 300-character Idempotency-Key', msg({ event_type: 'invoice.paid', payload: {} }, { headers: { 'idempotency-key': 'k'.repeat(300) } }), 400],
      ['a 2 MB body', tenant({ body: { name: 'x', metadata: { blob: 'x'.repeat(2 * 1024 * 1024) } } }), 413],
      // invalid ids in paths
      ['a malformed endpoint id', { method: 'PATCH', path: `/v1/tenants/${t}/endpoints/not-an-id`, opts: { body: { description: 'x' } } }, 404],
      ['an endpoint id of the wrong kind', { method: 'POST', path: `/v1/tenants/${t}/endpoints/msg_01ARZ3NDEKTSV4RRFFQ69G5FAV/disable`, opts: { body: {} } }, 404],
      ['a malformed tenant id', { method: 'PATCH', path: '/v1/tenants/acme', opts: { body: { name: 'x' } } }, 404],
      ['a tenant id that does not exist', { method: 'POST', path: '/v1/tenants/tnt_01ARZ3NDEKTSV4RRFFQ69G5FAV/event-types', opts: { body: { name: 'a.b' } } }, 404],
      ['a malformed message id', { method: 'POST', path: `/v1/tenants/${t}/messages/12345/resend`, opts: { body: { endpoint_id: ep } } }, 404],
      ['a malformed API key id', { method: 'DELETE', path: '/v1/api-keys/%27%20OR%201=1--', opts: {} }, 404],
      ['a broken percent-encoding in the path', { method: 'PATCH', path: `/v1/tenants/${t}/endpoints/%E0%A4%A`, opts: { body: {} } }, 400],
      ['a NUL in a path segment', { method: 'PATCH', path: `/v1/tenants/${t}/event-types/%00`, opts: { body: { description: 'x' } } }, 400],
      ['an unknown route', { method: 'POST', path: '/v1/tenants/messages/everything', opts: { body: {} } }, 404],
      ['a method the route does not have', { method: 'PUT', path: `/v1/tenants/${t}`, opts: { body: { name: 'x' } } }, 404],
      ['a malformed If-Match', { method: 'PATCH', path: `/v1/tenants/${t}/endpoints/${ep}`, opts: { body: { description: 'x' }, headers: { 'if-match': '"v1"' } } }, 400],
      // invalid URLs
      ['a URL that does not parse', endpoint({ url: 'not a url' }), 400],
      ['a relative URL', endpoint({ url: '/webhooks' }), 400],
      ['an ftp URL', endpoint({ url: 'ftp://example.com/hooks' }), 400],
      ['a javascript: URL', endpoint({ url: 'javascript:alert(1)' }), 400],
      ['a URL with credentials', endpoint({ url: 'https://user:pass@example.com/' }), 400],
      ['the cloud metadata address', endpoint({ url: 'http://169.254.169.254/latest/meta-data/' }), 400],
      ['a private 10.x address', endpoint({ url: 'http://10.0.0.7/hooks' }), 400],
      ['IPv6 loopback', endpoint({ url: 'http://[::1]:8080/' }), 400],
      ['loopback spelled in hex', endpoint({ url: 'http://0x7f.0.0.2/' }), 400],
      ['an update to a private address', { method: 'PATCH', path: `/v1/tenants/${t}/endpoints/${ep}`, opts: { body: { url: 'https://192.168.1.1/' } } }, 400],
      // non-JSON content types
      ['a JSON body sent as text/plain', tenant({ raw: '{"name":"x"}', headers: { 'content-type': 'text/plain' } }), 415],
      ['a form-encoded body', tenant({ raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
      ['a multipart body', tenant({ raw: '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--', headers: { 'content-type': 'multipart/form-data; boundary=b' } }), 415],
      ['a body without a content type', tenant({ raw: Buffer.from('{"name":"x"}') }), 415],
    ];
    return cases.map(([name, c, status]) => ({ name, ...c, status }));
  };

  it('answers every case of the corpus with a 4xx problem document naming what is wrong, and appends nothing', async () => {
    const before = await h.events();
    const outcomes = [];
    for (const c of corpus()) {
      const r = await h.rest(c.method, c.path, c.opts);
      outcomes.push({
        case: c.name,
        status: r.status,
        problemJson: /^application\/problem\+json/.test(r.contentType),
        explained: typeof r.body?.detail === 'string' && r.body.detail.length > 0 && (r.body.errors === undefined || r.body.errors.length > 0),
      });
    }
    expect(outcomes).toEqual(corpus().map((c) => ({ case: c.name, status: c.status, problemJson: true, explained: true })));
    expect((await h.events()).length).toBe(before.length);
  });

  it('field errors carry JSON pointers to each offending field', async () => {
    const r = await h.rest('POST', `/v1/tenants/${t}/endpoints`, {
      body: { url: 'https://example.com/', rate_limit_per_second: -1, retry_schedule_seconds: [5, 'soon'], metadata: { 'a/b': 1 }, bogus: 1 },
    });
    expect(r.status).toBe(400);
    const pointers = (r.body.errors as Array<{ pointer: string }>).map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/rate_limit_per_second', '/retry_schedule_seconds', '/bogus']));
  });

  it('malformed gRPC requests are INVALID_ARGUMENT or NOT_FOUND, never INTERNAL', async () => {
    const calls: Array<[string, string, object, GrpcStatus]> = [
      ['MessageService', 'PublishMessage', { tenant_id: t, event_type: 'invoice.paid', payload_json: '{"amount": ' }, GrpcStatus.INVALID_ARGUMENT],
      ['MessageService', 'PublishMessage', { tenant_id: t, event_type: 'invoice.paid', payload_json: 'null' }, GrpcStatus.INVALID_ARGUMENT],
      ['MessageService', 'PublishMessage', { tenant_id: t, event_type: 'invoice.paid', payload_json: '[1]' }, GrpcStatus.INVALID_ARGUMENT],
      ['MessageService', 'PublishMessage', { tenant_id: t, event_type: 'invoice.paid', payload_json: '{"note":"\\u0000"}' }, GrpcStatus.INVALID_ARGUMENT],
      ['MessageService', 'PublishMessage', { tenant_id: t, event_type: 'invoice.paid', payload_json: '{"note":"\\ud800"}' }, GrpcStatus.INVALID_ARGUMENT],
      ['MessageService', 'PublishMessage', { tenant_id: t, event_type: 'invoice.paid', payload_json: `${'{"a":'.repeat(200)}1${'}'.repeat(200)}` }, GrpcStatus.INVALID_ARGUMENT],
      ['MessageService', 'PublishMessage', { tenant_id: 'nope', event_type: 'invoice.paid', payload_json: '{}' }, GrpcStatus.NOT_FOUND],
      ['TenantService', 'CreateTenant', { name: 'x'.repeat(1000) }, GrpcStatus.INVALID_ARGUMENT],
      ['TenantService', 'CreateTenant', { name: 'Acme\u0000' }, GrpcStatus.INVALID_ARGUMENT],
      ['EventTypeService', 'CreateEventType', { tenant_id: t, name: 'x.y', schema_json: '{"type": "banana"}' }, GrpcStatus.INVALID_ARGUMENT],
      ['EventTypeService', 'PublishSchema', { tenant_id: t, name: '\u0000', schema_json: '{}' }, GrpcStatus.INVALID_ARGUMENT],
      ['EndpointService', 'CreateEndpoint', { tenant_id: t, url: 'http://169.254.169.254/' }, GrpcStatus.INVALID_ARGUMENT],
      ['EndpointService', 'CreateEndpoint', { tenant_id: t, url: 'https://example.com/', filter_json: '{"$where": "1"}' }, GrpcStatus.INVALID_ARGUMENT],
      ['EndpointService', 'UpdateEndpoint', { tenant_id: t, endpoint_id: 'ep_bad', description: 'x' }, GrpcStatus.NOT_FOUND],
      ['ApiKeyService', 'CreateApiKey', { name: 'k', scope: 'root' }, GrpcStatus.INVALID_ARGUMENT],
      ['ApiKeyService', 'RevokeApiKey', { key_id: "'; DROP TABLE aggregates; --" }, GrpcStatus.NOT_FOUND],
    ];
    const codes = [];
    for (const [service, method, request] of calls) {
      const err: GrpcError | null = await h.grpc(service as 'TenantService', method, request).then(
        () => null,
        (e: GrpcError) => e,
      );
      codes.push({ method, request: JSON.stringify(request).slice(0, 60), code: err?.code, hasMessage: (err?.details ?? '').length > 0 });
    }
    expect(codes).toEqual(calls.map(([, method, request, code]) => ({ method, request: JSON.stringify(request).slice(0, 60), code, hasMessage: true })));
  });
});

describe('https-only endpoints (ALLOW_HTTP_ENDPOINTS=false)', () => {
  let strict: CommandServiceHarness;
  let t: string;
  beforeAll(async () => {
    strict = await startCommandServiceHarness('httpsonly', { ALLOW_HTTP_ENDPOINTS: 'false', SSRF_ALLOW_CIDRS: '' });
    t = (await strict.rest('POST', '/v1/tenants', { body: { name: 'Strict' } })).body.id;
  }, 60_000);
  afterAll(async () => {
    await strict?.close();
  }, 60_000);

  it('refuses http:// URLs with a message that says how to allow them, and accepts https://', async () => {
    const refused = await strict.rest('POST', `/v1/tenants/${t}/endpoints`, { body: { url: 'http://hooks.example.com/in' } });
    expect(refused.status).toBe(400);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors).toEqual([{ pointer: '/url', detail: 'endpoint URL must use https (set ALLOW_HTTP_ENDPOINTS=true for local development)' }]);
    await expect(strict.grpc('EndpointService', 'CreateEndpoint', { tenant_id: t, url: 'http://hooks.example.com/in' })).rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });

    // Without SSRF_ALLOW_CIDRS, loopback is refused even over https.
    expect((await strict.rest('POST', `/v1/tenants/${t}/endpoints`, { body: { url: 'https://127.0.0.1/in' } })).status).toBe(400);

    const accepted = await strict.rest('POST', `/v1/tenants/${t}/endpoints`, { body: { url: 'https://hooks.example.com/in' } });
    expect(accepted.status).toBe(201);
    const endpointEvents = (await strict.events('config')).filter((r) => r.event.type === 'endpoint.created.v1');
    expect(endpointEvents.map((r) => (r.event.data as { url: string }).url)).toEqual(['https://hooks.example.com/in']);
  });
});
