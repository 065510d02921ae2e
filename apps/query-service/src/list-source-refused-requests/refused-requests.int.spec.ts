import * as grpc from '@grpc/grpc-js';
import { SourceId, TenantId, newId } from '@hookline/contracts';
import { waitFor } from '@hookline/testing';
import { RunningQueryService } from '../query-service';
import { purgeExpired } from '../retention/retention.job';
import { fixtures } from '../testing/event-fixtures';
import { queryGrpcClient } from '../testing/grpc-client';
import { ADMIN_KEY, TestStack, getJson, positionOf } from '../testing/harness';

/**
 * The requests HTTP sources refused, as a tenant reads them: projected from source.request_refused.v1 on the
 * operational topic, listed per source over REST and gRPC, gone with their source, their tenant, and retention.
 */
describe('refused requests of HTTP sources (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let grpcAddress: string;
  const [tenant, other] = [newId('tenant') as TenantId, newId('tenant') as TenantId];
  const [key, otherKey, portalKey] = ['hk_refused_requests_tenant_key', 'hk_refused_requests_other_key', 'hk_refused_requests_portal'];
  const [github, stripe, removed, foreign] = Array.from({ length: 4 }, () => newId('source') as SourceId);
  const t0 = Date.now() - 60_000;
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  const refusals = [
    fixtures.requestRefused(tenant, github, at(1)),
    fixtures.requestRefused(tenant, github, at(2), { status: 415, outcome: 'not_json', reason: 'content_type', content_type: 'text/plain', not_recorded: 7 }),
    fixtures.requestRefused(tenant, github, at(3), { status: 400, outcome: 'rejected', reason: 'validation', detail: 'payload does not match push' }),
    fixtures.requestRefused(tenant, stripe, at(4)),
    fixtures.requestRefused(tenant, removed, at(5)),
    fixtures.requestRefused(other, foreign, at(6)),
  ];

  beforeAll(async () => {
    stack = await TestStack.create('refused');
    let config;
    ({ service, config, baseUrl } = await stack.startService());
    grpcAddress = `127.0.0.1:${config.GRPC_PORT}`;
    const appended = await stack.publish([
      fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), fixtures.tenantCreated(other), fixtures.apiKeyCreated(other, otherKey),
      fixtures.apiKeyCreated(tenant, portalKey, { portalUntil: new Date(Date.now() + 3600_000) }),
      ...[github, stripe, removed].map((id, i) => fixtures.sourceCreated(tenant, id, {}, at(0 + i / 10))),
      fixtures.sourceCreated(other, foreign, {}, at(0)),
      ...refusals,
    ]);
    await getJson(baseUrl, `/v1/sources?position=${positionOf(appended)}`, key);
    // The operational topic has no read position of its own here: wait for its last event's row.
    await waitFor(async () => (await service.models.read((em) => em.query('SELECT 1 FROM source_refused_requests WHERE event_id = $1', [refusals[5].id]))).length === 1,
      20_000, 'refusals projected');
    await stack.publish([fixtures.sourceDeleted(tenant, removed, 2)]);
    await waitFor(async () => (await getJson(baseUrl, `/v1/sources/${removed}`, key)).status === 404, 20_000, 'source deleted');
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((r) => r.id);

  it("lists a source's refused requests newest first, as recorded, and filters on the kind of refusal", async () => {
    const res = await getJson(baseUrl, `/v1/sources/${github}/refused-requests`, key);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([refusals[2].id, refusals[1].id, refusals[0].id]);
    expect(res.body.data[2]).toEqual({
      id: refusals[0].id, source_id: github, received_at: at(1).toISOString(), method: 'POST', status: 401, outcome: 'unauthenticated',
      reason: 'no_matching_signature', detail: 'signature did not verify',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00ff' }, query: {},
      content_type: 'application/json', body_bytes: 25, body_excerpt: '{"ref":"refs/heads/main"}', body_truncated: false, not_recorded: 0,
    });
    expect(res.body.data[1]).toMatchObject({ status: 415, outcome: 'not_json', content_type: 'text/plain', not_recorded: 7 });
    expect(ids((await getJson(baseUrl, `/v1/tenants/${tenant}/sources/${github}/refused-requests?outcome=not_json`, key)).body)).toEqual([refusals[1].id]);
    const first = await getJson(baseUrl, `/v1/sources/${github}/refused-requests?limit=2`, key);
    const second = await getJson(baseUrl, `/v1/sources/${github}/refused-requests?limit=2&cursor=${first.body.next_cursor}`, key);
    expect([...ids(first.body), ...ids(second.body)]).toEqual([refusals[2].id, refusals[1].id, refusals[0].id]);
    expect(ids((await getJson(baseUrl, `/v1/tenants/${tenant}/sources/${stripe}/refused-requests`, ADMIN_KEY)).body)).toEqual([refusals[3].id]);
  });

  it('refuses a bad filter with the field, and answers 404 for a source that is not there: unknown, deleted, or another tenant\'s', async () => {
    const bad = await getJson(baseUrl, `/v1/sources/${github}/refused-requests?outcome=maybe`, key);
    expect([bad.status, bad.body.errors[0].pointer]).toEqual([400, '/outcome']);
    const malformed = await getJson(baseUrl, '/v1/sources/ep_nope/refused-requests', key);
    expect([malformed.status, malformed.body.errors[0].pointer]).toEqual([400, '/source_id']);
    for (const id of [removed, foreign, newId('source')]) {
      expect([id, (await getJson(baseUrl, `/v1/sources/${id}/refused-requests`, key)).status]).toEqual([id, 404]);
    }
    expect(ids((await getJson(baseUrl, `/v1/sources/${foreign}/refused-requests`, otherKey)).body)).toEqual([refusals[5].id]);
    // The deleted source's refusals went with it.
    const left = await service.models.read((em) => em.query('SELECT event_id FROM source_refused_requests WHERE source_id = $1', [removed]));
    expect(left).toEqual([]);
  });

  it("refuses a portal session (403): a source's traffic is the operator's to read", async () => {
    const res = await getJson(baseUrl, `/v1/sources/${github}/refused-requests`, portalKey);
    expect(res.status).toBe(403);
  });

  it('answers ListRefusedRequests over gRPC with the same view and status codes', async () => {
    const { client, call } = queryGrpcClient(grpcAddress, 'SourcesService', key);
    try {
      const page = await call('ListRefusedRequests', { source_id: github, limit: 2 });
      expect(ids(page)).toEqual([refusals[2].id, refusals[1].id]);
      expect(page.data[1]).toMatchObject({ status: 415, outcome: 'not_json', content_type: 'text/plain', not_recorded: 7, headers: { 'x-github-event': 'push' } });
      expect(ids(await call('ListRefusedRequests', { source_id: github, cursor: page.next_cursor }))).toEqual([refusals[0].id]);
      await expect(call('ListRefusedRequests', { source_id: foreign })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
      await expect(call('ListRefusedRequests', { source_id: 'src_nope' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    } finally {
      client.close();
    }
  });

  it('projects a refusal read twice once, and lets retention take them with the attempts', async () => {
    await stack.publish([refusals[0]]);
    const marker = fixtures.requestRefused(tenant, stripe, at(7));
    await stack.publish([marker]);
    await waitFor(async () => (await service.models.read((em) => em.query('SELECT 1 FROM source_refused_requests WHERE event_id = $1', [marker.id]))).length === 1,
      20_000, 'marker projected');
    const count = async () => (await service.models.read((em) => em.query('SELECT count(*)::int AS n FROM source_refused_requests WHERE tenant_id = $1', [tenant])))[0].n;
    expect(await count()).toBe(5);
    // Nothing is older than a day here: a purge as of two days on takes every one of them (the default retention of 1 day).
    const result = await purgeExpired(service.models, 1, new Date(Date.now() + 2 * 86_400_000));
    expect(result.refusedRequestsDeleted).toBe(6);
    expect(await count()).toBe(0);
  });
});
