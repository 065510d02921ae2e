import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, Json, RestAnswer, startCommandServiceHarness } from '../../test/command-service.harness';
import { forgetExpiredPortalSessions } from './expired-portal-sessions';

jest.setTimeout(60_000);

const QUERY_URL = 'http://query.hookline.test:3001';

function expectProblem(r: RestAnswer, status: number, pointer?: string) {
  expect(r.status).toBe(status);
  expect(r.contentType).toMatch(/^application\/problem\+json/);
  if (pointer) expect(r.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
}

/**
 * Portal sessions: the link a platform hands its customer (a tenant's user) to manage that tenant's endpoints in the
 * portal page. The session's token is a key of the tenant that may only look after endpoints and resend their
 * messages, and that expires.
 */
describe('portal sessions (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let tenantKey: string;
  let other: { tenantId: string; key: string };

  beforeAll(async () => {
    h = await startCommandServiceHarness('portal', { PORTAL_QUERY_URL: QUERY_URL, PORTAL_SESSION_MAX_SECONDS: '86400' });
    ({ tenantId, key: tenantKey } = await h.tenantWithKey('Acme Billing', ['invoice.paid']));
    other = await h.tenantWithKey('Other tenant', ['invoice.paid']);
  });
  afterAll(async () => {
    await h?.close();
  });

  const openSession = async (body: Json = {}, key?: string) => h.rest('POST', `/v1/tenants/${tenantId}/portal-sessions`, { key, body });

  it('opens a session with a link to the portal page, its token only in the fragment and its hash only on the log', async () => {
    const before = Date.now();
    const res = await openSession({ name: 'jane@acme.example' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^key_/), token: expect.stringMatching(/^hk_live_/), tenant_id: tenantId, expires_at: expect.any(String),
      url: expect.any(String), position: expect.any(String), version: 1, read_only: false,
    });
    expect(res.body.url).toBe(`http://127.0.0.1:${h.env.PORT}/portal#token=${res.body.token}`);
    // The default: an hour.
    const lasts = Date.parse(res.body.expires_at) - before;
    expect(lasts).toBeGreaterThanOrEqual(3600_000);
    expect(lasts).toBeLessThan(3600_000 + 10_000);

    const created = (await h.events('config')).find((r) => r.event.type === 'api_key.created.v1' && (r.event.data as Json).key_id === res.body.id);
    expect(created?.event.data).toMatchObject({ scope: 'portal', tenant_id: tenantId, name: 'jane@acme.example', expires_at: res.body.expires_at,
      rate_limit_per_second: 20 });
    expect(created?.raw).not.toContain(res.body.token);
  });

  it("answers who the session is: its tenant, its expiry and where the page reads from", async () => {
    const { token, id, expires_at } = (await openSession()).body;
    const res = await h.rest('GET', '/v1/portal/session', { key: token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ key_id: id, scope: 'portal', tenant_id: tenantId, tenant_name: 'Acme Billing', expires_at, read_only: false, query_url: QUERY_URL });
  });

  it('opens a view-only session (read_only): it may ask who it is, and is refused every change (403, over gRPC too) with nothing appended', async () => {
    const opened = await openSession({ read_only: true });
    expect(opened.body.read_only).toBe(true);
    const created = (await h.events('config')).find((r) => r.event.type === 'api_key.created.v1' && (r.event.data as Json).key_id === opened.body.id);
    expect(created?.event.data).toMatchObject({ scope: 'portal', read_only: true });
    const { token } = opened.body;
    expect((await h.rest('GET', '/v1/portal/session', { key: token })).body).toMatchObject({ scope: 'portal', read_only: true });

    const endpoint = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key: tenantKey, body: { url: 'http://127.0.0.1:9/view-only', headers: { 'X-Team': 'a' } } });
    const base = `/v1/tenants/${tenantId}/endpoints/${endpoint.body.id as string}`;
    const eventsBefore = (await h.events()).length;
    const tries: Array<[string, string, Json | undefined]> = [
      ['POST', `/v1/tenants/${tenantId}/endpoints`, { url: 'http://127.0.0.1:9/more' }],
      ['PATCH', base, { description: 'changed' }],
      ['PATCH', `${base}/headers`, { headers: { 'X-Team': 'b' } }],
      ['DELETE', base, undefined],
      ['POST', `${base}/disable`, {}],
      ['POST', `${base}/rotate-secret`, {}],
      ['POST', `${base}/test`, { event_type: 'invoice.paid' }],
      ['POST', `/v1/tenants/${tenantId}/messages/msg_01JABCDEFGHJKMNPQRSTVWXYZ0/resend`, { endpoint_id: endpoint.body.id }],
    ];
    for (const [method, path, body] of tries) {
      const res = await h.rest(method, path, { key: token, body });
      expectProblem(res, 403);
      expect(res.body.detail).toBe('this portal session is view-only: it may look, not change anything');
    }
    await expect(h.grpc('EndpointService', 'UpdateEndpoint', { tenant_id: tenantId, endpoint_id: endpoint.body.id, description: 'x' }, token))
      .rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect((await h.events()).length).toBe(eventsBefore);
    // Only a portal session can be view-only.
    expectProblem(await h.rest('POST', '/v1/api-keys', { key: tenantKey, body: { name: 'x', scope: 'tenant', tenant_id: tenantId, read_only: true } }), 400);
  });

  it("lets the session manage its tenant's endpoints and resend their messages", async () => {
    const { token } = (await openSession()).body;
    const created = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key: token, body: { url: 'http://127.0.0.1:9/portal-hooks', event_types: ['invoice.paid'] } });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const endpointId = created.body.id as string;
    const base = `/v1/tenants/${tenantId}/endpoints/${endpointId}`;
    expect((await h.rest('PATCH', base, { key: token, body: { description: 'billing hooks' } })).status).toBe(200);
    expect((await h.rest('POST', `${base}/rotate-secret`, { key: token, body: {} })).body.secret).toMatch(/^whsec_/);
    expect((await h.rest('POST', `${base}/disable`, { key: token, body: {} })).status).toBe(200);
    expect((await h.rest('POST', `${base}/enable`, { key: token, body: {} })).status).toBe(200);

    // The platform publishes; the portal resends.
    const message = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key: tenantKey, body: { event_type: 'invoice.paid', payload: { n: 1 } } });
    expect(message.status).toBe(202);
    await h.followerCaughtUp();
    const resend = await h.rest('POST', `/v1/tenants/${tenantId}/messages/${message.body.id}/resend`, { key: token, body: { endpoint_id: endpointId } });
    expect(resend.status).toBe(202);
    expect((await h.rest('DELETE', base, { key: token })).status).toBe(200);
  });

  it('holds a session to its own rate limit (PORTAL_SESSION_RATE_LIMIT_PER_SECOND, 20/s), where the platform\'s keys have none', async () => {
    const { token } = (await openSession()).body;
    // The bucket refills while the burst is served, so what passes is bounded by the time the burst took (a loaded
    // machine serves 80 requests slower and lets more through), never by a fixed share.
    const started = performance.now();
    const burst = await Promise.all(Array.from({ length: 80 }, () => h.rest('GET', '/v1/portal/session', { key: token })));
    const seconds = (performance.now() - started) / 1000;
    const limited = burst.filter((r) => r.status === 429);
    const passed = burst.filter((r) => r.status === 200).length;
    expect(passed + limited.length).toBe(80);
    expect(passed).toBeGreaterThanOrEqual(20);
    expect(passed).toBeLessThanOrEqual(20 + Math.ceil(20 * seconds) + 1);
    expect(limited.length).toBeGreaterThan(0);
    expectProblem(limited[0], 429);
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const platform = await Promise.all(Array.from({ length: 40 }, () => h.rest('GET', '/v1/portal/session', { key: tenantKey })));
    expect(platform.every((r) => r.status === 200)).toBe(true);
  });

  it('refuses the session everything else (403), and changes nothing', async () => {
    const { token } = (await openSession()).body;
    const eventsBefore = (await h.events()).length;
    const tries: Array<[string, string, Json]> = [
      ['POST', `/v1/tenants/${tenantId}/messages`, { event_type: 'invoice.paid', payload: { forged: true } }],
      ['POST', '/v1/api-keys', { name: 'escalate', scope: 'tenant', tenant_id: tenantId }],
      ['POST', `/v1/tenants/${tenantId}/portal-sessions`, {}],
      ['POST', `/v1/tenants/${tenantId}/event-types`, { name: 'order.created' }],
      ['PATCH', `/v1/tenants/${tenantId}`, { name: 'renamed' }],
      ['DELETE', `/v1/tenants/${tenantId}`, undefined],
    ];
    for (const [method, path, body] of tries) {
      const res = await h.rest(method, path, { key: token, body });
      expectProblem(res, 403);
      expect(res.body.detail).toBe("a portal session may only manage its tenant's endpoints and resend their messages");
    }
    expect((await h.events()).length).toBe(eventsBefore);
  });

  it("answers 404 for another tenant's endpoints, as for any key of the tenant", async () => {
    const { token } = (await openSession()).body;
    const res = await h.rest('POST', `/v1/tenants/${other.tenantId}/endpoints`, { key: token, body: { url: 'http://127.0.0.1:9/x' } });
    expectProblem(res, 404);
  });

  it("is opened by the tenant's own key for its tenant only, and by admins", async () => {
    expect((await openSession({}, tenantKey)).status).toBe(201);
    const foreign = await h.rest('POST', `/v1/tenants/${other.tenantId}/portal-sessions`, { key: tenantKey, body: {} });
    expectProblem(foreign, 404);
    expectProblem(await h.rest('POST', '/v1/tenants/tnt_01J00000000000000000000000/portal-sessions', { body: {} }), 404);
  });

  it('refuses a lifetime under a minute or over PORTAL_SESSION_MAX_SECONDS, naming the field', async () => {
    expectProblem(await openSession({ expires_in_seconds: 30 }), 400, '/expires_in_seconds');
    const over = await openSession({ expires_in_seconds: 86401 });
    expectProblem(over, 400, '/expires_in_seconds');
    expect(over.body.errors[0].detail).toContain('PORTAL_SESSION_MAX_SECONDS');
    expectProblem(await openSession({ expires_in_seconds: 'soon' }), 400, '/expires_in_seconds');
    const week = await openSession({ expires_in_seconds: 86400 });
    expect(week.status).toBe(201);
  });

  it('ends at once when its key is revoked, and from its expiry on', async () => {
    const revoked = (await openSession()).body;
    expect((await h.rest('GET', '/v1/portal/session', { key: revoked.token })).status).toBe(200);
    expect((await h.rest('DELETE', `/v1/api-keys/${revoked.id}`)).status).toBe(200);
    expectProblem(await h.rest('GET', '/v1/portal/session', { key: revoked.token }), 401);

    // A session whose expiry has passed (moved into the past in the write model: no test waits a minute).
    const expired = (await openSession()).body;
    await h.sql(`UPDATE command.aggregates SET state = jsonb_set(state, '{expiresAt}', '"2026-01-01T00:00:00.000Z"') WHERE kind = 'api_key' AND aggregate_id = $1`, [expired.id]);
    const res = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key: expired.token, body: { url: 'http://127.0.0.1:9/late' } });
    expectProblem(res, 401);
    expect(res.body.detail).toBe('this portal session expired at 2026-01-01T00:00:00.000Z');
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('forgets the keys of sessions a day past their expiry, and only those', async () => {
    const [gone, lately, open] = [(await openSession()).body, (await openSession()).body, (await openSession()).body];
    const expire = (id: string, at: Date) => h.sql(
      `UPDATE command.aggregates SET state = jsonb_set(state, '{expiresAt}', to_jsonb($2::text)) WHERE kind = 'api_key' AND aggregate_id = $1`, [id, at.toISOString()]);
    await expire(gone.id, new Date(Date.now() - 25 * 3600_000));
    await expire(lately.id, new Date(Date.now() - 3600_000));
    const keys = async () => Number((await h.sql(`SELECT count(*) AS n FROM command.aggregates WHERE kind = 'api_key'`)).rows[0].n);
    const before = await keys();
    const forgotten = await forgetExpiredPortalSessions(h.running.infra.ds);
    expect(forgotten).toBeGreaterThanOrEqual(1); // this one, and any other test's long expired
    expect(await keys()).toBe(before - forgotten);
    const left = (await h.sql(`SELECT aggregate_id FROM command.aggregates WHERE aggregate_id = ANY($1)`, [[gone.id, lately.id, open.id]])).rows.map((r) => r.aggregate_id);
    expect(left.sort()).toEqual([lately.id, open.id].sort());
    const stale = await h.sql(`SELECT 1 FROM command.aggregates WHERE kind = 'api_key' AND (state->>'expiresAt')::timestamptz < now() - interval '1 day'`);
    expect(stale.rows).toEqual([]);
    expect(await forgetExpiredPortalSessions(h.running.infra.ds)).toBe(0);
    // The one just expired is still refused as expired, the forgotten one as unknown.
    expect((await h.rest('GET', '/v1/portal/session', { key: lately.token })).body.detail).toMatch(/^this portal session expired at /);
    expect((await h.rest('GET', '/v1/portal/session', { key: gone.token })).body.detail).toBe('unknown or revoked API key');
  });

  it('works over gRPC too: CreatePortalSession, then the session may create endpoints and may not publish', async () => {
    const reply = await h.grpc('ApiKeyService', 'CreatePortalSession', { tenant_id: tenantId, expires_in_seconds: 600 });
    expect(reply).toMatchObject({ id: expect.stringMatching(/^key_/), token: expect.stringMatching(/^hk_live_/), tenant_id: tenantId, read_only: false });
    const viewOnly = await h.grpc('ApiKeyService', 'CreatePortalSession', { tenant_id: tenantId, read_only: true });
    expect(viewOnly.read_only).toBe(true);
    await expect(h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/grpc-view-only' }, viewOnly.token))
      .rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    expect(Date.parse(reply.expires_at) - Date.now()).toBeGreaterThan(590_000);
    const endpoint = await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: tenantId, url: 'http://127.0.0.1:9/grpc-portal' }, reply.token);
    expect(endpoint.id).toMatch(/^ep_/);
    await expect(h.grpc('MessageService', 'PublishMessage', { tenant_id: tenantId, event_type: 'invoice.paid', payload_json: '{}' }, reply.token))
      .rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
    await expect(h.grpc('ApiKeyService', 'CreatePortalSession', { tenant_id: tenantId, expires_in_seconds: 10 }))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });

  it('serves the portal page without a key, locked down by its Content-Security-Policy, with the query service it reads from', async () => {
    const page = await h.rest('GET', '/portal', { key: null });
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain(`<meta name="hookline-query-url" content="${QUERY_URL}">`);
    expect(page.headers.get('content-security-policy')).toBe(
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ${QUERY_URL}; base-uri 'none'; form-action 'none'`,
    );
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const script = await h.rest('GET', '/portal/portal.js', { key: null });
    expect(script.status).toBe(200);
    expect(script.contentType).toMatch(/^text\/javascript/);
    expectProblem(await h.rest('GET', '/portal/secrets.txt', { key: null }), 404);
  });

  it("answers browsers' preflights, so pages elsewhere (the portal, a platform's own) may call the API with a key", async () => {
    const res = await fetch(`${h.baseUrl}/v1/tenants/${tenantId}/endpoints`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.platform.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
