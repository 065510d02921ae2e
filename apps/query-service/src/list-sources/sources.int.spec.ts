import * as grpc from '@grpc/grpc-js';
import { Envelope, EventId, SourceId, TenantId, newId } from '@hookline/contracts';
import { RunningQueryService } from '../query-service';
import { fixtures } from '../testing/event-fixtures';
import { queryGrpcClient } from '../testing/grpc-client';
import { ADMIN_KEY, TestStack, getJson, positionOf } from '../testing/harness';

/**
 * HTTP sources as the API shows them: projected from source.created/updated/deleted.v1 on the config topic, read with
 * a tenant or admin key over REST and gRPC, each with the URL its provider posts to, and never a secret.
 */
describe('HTTP source queries over REST and gRPC (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let grpcAddress: string;
  const [tenant, other, gone] = Array.from({ length: 3 }, () => newId('tenant') as TenantId);
  const [key, otherKey, portalKey] = ['hk_source_queries_tenant_key', 'hk_source_queries_other_key', 'hk_source_queries_portal_session'];
  const [stripe, github, basic, plain, removed, foreign, ofGone] = Array.from({ length: 7 }, () => newId('source') as SourceId);
  // Every sealed value the events carry: none may ever appear in an answer.
  const SEALED = ['enc:v1:stripe-signing-secret', 'enc:v1:github-secret', 'enc:v1:basic-password', 'enc:v1:resealed-api-key',
    'enc:v1:removed-key', 'enc:v1:foreign-secret', 'enc:v1:meta-verify-token', 'enc:v1:slack-signing-secret'];
  const t0 = Date.now() - 60_000;
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  let configEvents: Envelope[];

  beforeAll(async () => {
    stack = await TestStack.create('sources');
    let config;
    // A trailing slash, as an operator may well write it: the ingest URL has one slash all the same.
    ({ service, config, baseUrl } = await stack.startService({ COMMAND_PUBLIC_URL: 'https://hooks.example.com/' }));
    grpcAddress = `127.0.0.1:${config.GRPC_PORT}`;
    configEvents = [
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key),
      fixtures.apiKeyCreated(tenant, portalKey, { portalUntil: new Date(Date.now() + 3600_000) }),
      fixtures.tenantCreated(other), fixtures.apiKeyCreated(other, otherKey), fixtures.tenantCreated(gone),
      fixtures.sourceCreated(tenant, stripe, { verification: { type: 'stripe', secret_sealed: SEALED[0], tolerance_seconds: 300 },
        event_type: { from: 'field', path: 'type' }, idempotency: { from: 'field', path: 'id' }, payload_field: 'data.object' }, at(0)),
      fixtures.sourceCreated(tenant, github, { name: 'github', description: 'Repository events',
        verification: { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', secret_sealed: SEALED[1] },
        event_type: { from: 'header', header: 'x-github-event' }, idempotency: { from: 'header', header: 'x-github-delivery' },
        channels: ['repos'], rate_limit: { per_second: 10, burst: 50 } }, at(1)),
      fixtures.sourceCreated(tenant, basic, { name: 'legacy', verification: { type: 'basic_auth', username: 'legacy-crm', password_sealed: SEALED[2] },
        event_type: { from: 'fixed', event_type: 'crm.updated' }, idempotency: null }, at(2)),
      fixtures.sourceCreated(tenant, plain, { name: 'internal', verification: { type: 'none' } }, at(3)),
      fixtures.sourceCreated(tenant, removed, { name: 'removed', verification: { type: 'api_key', header: 'x-api-key', key_sealed: SEALED[4] } }, at(4)),
      fixtures.sourceCreated(other, foreign, { name: 'foreign', verification: { type: 'standard_webhooks', secret_sealed: SEALED[5], tolerance_seconds: 300 } }, at(5)),
      fixtures.sourceCreated(gone, ofGone, { name: 'of a deleted tenant' }, at(6)),
      // Disabled, renamed and re-verified in one update (the new key sealed, as the sealing-key rotation writes it too).
      fixtures.sourceUpdated(tenant, basic, 2, { name: 'legacy-crm', enabled: false,
        verification: { type: 'api_key', header: 'x-crm-key', key_sealed: SEALED[3] }, rate_limit: { per_second: 1, burst: 1 } }, at(7)),
      // Meta's handshake (its verify token sealed) on a source of Meta's signature (the github preset's hmac), and the internal
      // one turned into a Slack source: Slack's v0 signature and url_verification handshake.
      fixtures.sourceUpdated(tenant, github, 2, { handshake: { type: 'meta', verify_token_sealed: SEALED[6] } }, at(8)),
      fixtures.sourceUpdated(tenant, plain, 2, { name: 'slack', verification: { type: 'v0_hmac', header: 'x-slack-signature',
        timestamp_header: 'x-slack-request-timestamp', secret_sealed: SEALED[7], tolerance_seconds: 300 }, handshake: { type: 'slack' } }, at(9)),
      fixtures.sourceDeleted(tenant, removed, 2),
      fixtures.tenantDeleted(gone, 2),
    ];
    const appended = await stack.publish(configEvents);
    expect((await getJson(baseUrl, `/v1/sources?position=${positionOf(appended)}`, key)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((s) => s.id);

  it("lists the tenant's sources newest first, with their rules, verification summary and ingest URL; a deleted one is gone", async () => {
    const res = await getJson(baseUrl, '/v1/sources', key);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([plain, basic, github, stripe]);
    expect(res.body.next_cursor).toBeNull();
    const [p, b, g, s] = res.body.data;
    expect(s).toEqual({
      id: stripe, name: 'stripe', description: 'Stripe billing events', ingest_url: `https://hooks.example.com/ingest/${stripe}`,
      verification: { type: 'stripe', tolerance_seconds: 300 }, event_type: { from: 'field', path: 'type' }, idempotency: { from: 'field', path: 'id' },
      payload_field: 'data.object', channels: null, enabled: true, handshake: null, rate_limit: null, version: 1, created_at: at(0).toISOString(),
      updated_at: at(0).toISOString(),
    });
    expect(g).toMatchObject({ verification: { type: 'hmac', header: 'x-hub-signature-256', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=' },
      event_type: { from: 'header', header: 'x-github-event' }, idempotency: { from: 'header', header: 'x-github-delivery' }, channels: ['repos'],
      handshake: { type: 'meta' }, rate_limit: { per_second: 10, burst: 50 }, version: 2 });
    expect(b).toMatchObject({ name: 'legacy-crm', enabled: false, version: 2, verification: { type: 'api_key', header: 'x-crm-key' }, rate_limit: { per_second: 1, burst: 1 },
      event_type: { from: 'fixed', event_type: 'crm.updated' }, idempotency: null, created_at: at(2).toISOString(), updated_at: at(7).toISOString() });
    expect(p).toMatchObject({ name: 'slack', ingest_url: `https://hooks.example.com/ingest/${plain}`, handshake: { type: 'slack' }, version: 2 });
    expect(p.verification).toEqual({ type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', tolerance_seconds: 300 });
    expect(g.handshake).toEqual({ type: 'meta' });
  });

  it('filters on enabled and pages with a cursor', async () => {
    expect(ids((await getJson(baseUrl, '/v1/sources?enabled=false', key)).body)).toEqual([basic]);
    expect(ids((await getJson(baseUrl, '/v1/sources?enabled=true', key)).body)).toEqual([plain, github, stripe]);
    const first = await getJson(baseUrl, '/v1/sources?limit=3', key);
    expect(ids(first.body)).toEqual([plain, basic, github]);
    const second = await getJson(baseUrl, `/v1/sources?limit=3&cursor=${first.body.next_cursor}`, key);
    expect(second.body).toMatchObject({ data: [expect.objectContaining({ id: stripe })], next_cursor: null });
    const bad = await getJson(baseUrl, '/v1/sources?enabled=maybe', key);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/enabled');
  });

  it('gets one source by id, with or without the tenant in the path; unknown, deleted and malformed ids are refused', async () => {
    expect((await getJson(baseUrl, `/v1/sources/${github}`, key)).body).toMatchObject({ id: github, name: 'github' });
    expect((await getJson(baseUrl, `/v1/tenants/${tenant}/sources/${stripe}`, key)).body).toMatchObject({ id: stripe });
    expect((await getJson(baseUrl, `/v1/tenants/${tenant}/sources/${stripe}`, ADMIN_KEY)).body).toMatchObject({ id: stripe });
    for (const id of [removed, newId('source')]) {
      const res = await getJson(baseUrl, `/v1/sources/${id}`, key);
      expect([id, res.status, res.headers.get('content-type')]).toEqual([id, 404, expect.stringMatching(/^application\/problem\+json/)]);
    }
    const bad = await getJson(baseUrl, '/v1/sources/ep_not_a_source', key);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/source_id');
  });

  it("keeps tenants apart: another tenant's source is 404 like an unknown one, and never listed", async () => {
    for (const path of [`/v1/sources/${foreign}`, `/v1/tenants/${tenant}/sources/${foreign}`, `/v1/tenants/${other}/sources/${foreign}`,
      `/v1/sources?tenant_id=${other}`, `/v1/tenants/${other}/sources`]) {
      const res = await getJson(baseUrl, path, key);
      expect([path, res.status]).toEqual([path, 404]);
      // Indistinguishable from ids that exist nowhere: the same answer with the ids swapped.
      const missing = await getJson(baseUrl, path.split(foreign).join(newId('source')).split(other).join(newId('tenant')), key);
      const anonymous = (body: unknown) => JSON.stringify(body).replace(/(src|tnt)_[0-9A-Z]{26}/g, '$1_…');
      expect(anonymous(res.body)).toEqual(anonymous(missing.body));
    }
    expect(JSON.stringify((await getJson(baseUrl, '/v1/sources?limit=250', key)).body)).not.toContain(foreign);
    expect(ids((await getJson(baseUrl, '/v1/sources', otherKey)).body)).toEqual([foreign]);
    expect((await getJson(baseUrl, `/v1/sources/${stripe}`, otherKey)).status).toBe(404);
  });

  it("removes a deleted tenant's sources", async () => {
    expect((await getJson(baseUrl, `/v1/sources?tenant_id=${gone}`, ADMIN_KEY)).body).toEqual({ data: [], next_cursor: null });
    expect((await getJson(baseUrl, `/v1/tenants/${gone}/sources/${ofGone}`, ADMIN_KEY)).status).toBe(404);
    const rows = await service.models.read((em) => em.query('SELECT source_id FROM sources WHERE tenant_id = $1', [gone]));
    expect(rows).toEqual([]);
  });

  it("refuses a portal session (403): a source's settings and ingest URL are the operator's, not its customer's", async () => {
    for (const path of ['/v1/sources', `/v1/sources/${stripe}`, `/v1/tenants/${tenant}/sources`, `/v1/sources/${foreign}`]) {
      const res = await getJson(baseUrl, path, portalKey);
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.body.detail).toMatch(/portal session/);
    }
    // Its endpoints it still reads, and the audit log, but without the sources' changes, which the tenant's key sees.
    expect((await getJson(baseUrl, '/v1/endpoints', portalKey)).status).toBe(200);
    const kinds = async (apiKey: string) => new Set((await getJson(baseUrl, '/v1/audit-log?limit=250', apiKey)).body.data
      .map((entry: { aggregate_kind: string }) => entry.aggregate_kind));
    expect(await kinds(portalKey)).toEqual(new Set(['tenant', 'api_key']));
    expect(await kinds(key)).toEqual(new Set(['tenant', 'api_key', 'source']));
  });

  const sourcesClient = (apiKey: string) => queryGrpcClient(grpcAddress, 'SourcesService', apiKey);

  it('answers ListSources and GetSource over gRPC with the same views, scoping and status codes', async () => {
    const { client, call } = sourcesClient(key);
    try {
      const page = await call('ListSources', { limit: 10 });
      expect(ids(page)).toEqual([plain, basic, github, stripe]);
      expect(ids(await call('ListSources', { enabled: false }))).toEqual([basic]);
      const two = await call('ListSources', { limit: 2 });
      expect(ids(two)).toEqual([plain, basic]);
      expect(ids(await call('ListSources', { limit: 2, cursor: two.next_cursor }))).toEqual([github, stripe]);
      const one = await call('GetSource', { source_id: stripe });
      expect(one).toMatchObject({ id: stripe, ingest_url: `https://hooks.example.com/ingest/${stripe}`, enabled: true, version: 1,
        verification: { type: 'stripe', tolerance_seconds: 300 }, event_type: { from: 'field', path: 'type' }, idempotency: { from: 'field', path: 'id' },
        payload_field: 'data.object', channels: [] });
      expect(await call('GetSource', { source_id: basic })).toMatchObject({ idempotency: null, payload_field: '', enabled: false,
        verification: { type: 'api_key', header: 'x-crm-key' } });
      expect(await call('GetSource', { source_id: plain })).toMatchObject({ handshake: { type: 'slack' },
        verification: { type: 'v0_hmac', header: 'x-slack-signature', timestamp_header: 'x-slack-request-timestamp', tolerance_seconds: 300 } });
      expect(await call('GetSource', { source_id: github })).toMatchObject({ handshake: { type: 'meta' }, rate_limit: { per_second: 10, burst: 50 } });
      expect(one.rate_limit ?? null).toBeNull();
      for (const id of [foreign, removed, newId('source')]) {
        await expect(call('GetSource', { source_id: id })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
      }
      await expect(call('ListSources', { tenant_id: other })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
      await expect(call('GetSource', { source_id: 'src_nope' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    } finally {
      client.close();
    }
    const portal = sourcesClient(portalKey);
    try {
      await expect(portal.call('ListSources', {})).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
      await expect(portal.call('GetSource', { source_id: stripe })).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    } finally {
      portal.client.close();
    }
  });

  it('never answers with a sealed value: not in a list, a get, gRPC nor the audit log', async () => {
    const answers = [
      await getJson(baseUrl, '/v1/sources?limit=250', key), await getJson(baseUrl, '/v1/sources', otherKey),
      ...await Promise.all([stripe, github, basic, plain].map((id) => getJson(baseUrl, `/v1/sources/${id}`, key))),
      await getJson(baseUrl, '/v1/audit-log?limit=250', key), await getJson(baseUrl, '/v1/audit-log?limit=250', otherKey),
    ].map((res) => JSON.stringify(res.body));
    const { client, call } = sourcesClient(key);
    try {
      answers.push(JSON.stringify(await call('ListSources', {})), JSON.stringify(await call('GetSource', { source_id: github })));
    } finally {
      client.close();
    }
    // The audit log does record the sources (so the check above looked where they are).
    expect(answers.join('\n')).toContain(`"aggregate_id":"${github}"`);
    for (const text of answers) {
      for (const secret of [...SEALED, 'enc:v1', '_sealed', 'verify_token']) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
  });

  it('changes nothing when the same events are projected again, or re-sent under new event ids (an outbox retry)', async () => {
    const snapshot = () => service.models.read(async (em) => ({
      sources: await em.query('SELECT row_to_json(s)::text AS row FROM sources s ORDER BY tenant_id, source_id'),
      states: await em.query(`SELECT aggregate_key, state::text FROM config_states WHERE aggregate_key LIKE 'source:%' ORDER BY 1`),
      audit: await em.query(`SELECT count(*)::int AS n FROM audit_log WHERE aggregate_kind = 'source'`),
    }));
    const before = await snapshot();
    expect(before.sources).toHaveLength(5);
    expect(before.audit).toEqual([{ n: 11 }]);
    const answer = (await getJson(baseUrl, '/v1/sources', key)).body;
    const sourceEvents = configEvents.filter((e) => e.type.startsWith('source.') || e.type === 'tenant.deleted.v1');
    const resent = sourceEvents.map((e) => ({ ...e, id: newId('event') as EventId }));
    const appended = await stack.publish([...sourceEvents, ...resent]);
    expect((await getJson(baseUrl, `/v1/sources?position=${positionOf(appended)}`, key)).body).toEqual(answer);
    expect(await snapshot()).toEqual(before);
  });
});
