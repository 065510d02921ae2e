import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommandServiceHarness, Json, startCommandServiceHarness } from './test/command-service.harness';

jest.setTimeout(60_000);

/**
 * Sending again in bulk. Replaying a time window to an endpoint: every message of the tenant it subscribes to now goes
 * to it again as a resend (the dispatcher's resend path delivers it with the same webhook-id), a page of
 * REPLAY_PAGE_MESSAGES at a time. Recovering a whole tenant: one recover per enabled endpoint.
 */
describe('replay to an endpoint, recover a tenant (real Kafka, real Postgres)', () => {
  let h: CommandServiceHarness;
  let tenantId: string;
  let key: string;
  const published: Array<{ id: string; type: string }> = [];
  let since: string;
  let until: string;

  beforeAll(async () => {
    h = await startCommandServiceHarness('replay', { REPLAY_PAGE_MESSAGES: '4' });
    ({ tenantId, key } = await h.tenantWithKey('replaying', ['invoice.paid', 'invoice.voided']));
    since = new Date().toISOString();
    // Published before the endpoint exists: a replay also brings a new endpoint the history it never had.
    for (const [i, type] of ['invoice.paid', 'invoice.voided', 'invoice.paid', 'invoice.paid', 'invoice.voided', 'invoice.paid'].entries()) {
      const res = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: type, payload: { i } } });
      expect(res.status).toBe(202);
      published.push({ id: res.body.id, type });
      await new Promise((r) => setTimeout(r, 3)); // distinct instants, so the page boundary falls between messages
    }
    until = new Date(Date.now() + 1).toISOString();
    await h.followerCaughtUp();
  });
  afterAll(async () => {
    await h?.close();
  });

  const createEndpoint = async (body: Json = {}) => {
    const res = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints`, { key, body: { url: 'http://127.0.0.1:9/hooks', ...body } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const replay = (endpointId: string, body: Json, headers: Record<string, string> = {}) =>
    h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/replay`, { key, body, headers });
  const resendsTo = async (endpointId: string) => (await h.events('messages'))
    .filter((r) => r.event.type === 'message.resend_requested.v1' && (r.event.data as Json).endpoint_id === endpointId)
    .map((r) => r.event.data as Json);

  it('sends again, page by page, each message of the window the endpoint subscribes to, and no other', async () => {
    const endpointId = await createEndpoint({ event_types: ['invoice.paid'] });
    const first = await replay(endpointId, { since, until });
    expect(first.status).toBe(202);
    // The first page: the first 4 messages, 3 of them invoice.paid; the next page starts at the 5th's instant.
    expect(first.body).toMatchObject({ endpoint_id: endpointId, scanned: 4, replayed: 3, next_since: expect.any(String), position: expect.any(String) });
    const second = await replay(endpointId, { since: first.body.next_since, until });
    expect(second.body).toMatchObject({ scanned: 2, replayed: 1, next_since: null });

    const paid = published.filter((m) => m.type === 'invoice.paid');
    const resent = await resendsTo(endpointId);
    expect(resent.map((d) => d.message_id)).toEqual(paid.map((m) => m.id));
    expect(resent[0]).toMatchObject({ event_type: 'invoice.paid', payload: { i: 0 }, channels: [] });
  });

  it('takes a whole instant into one page when more than a page of messages share it, and goes on after it', async () => {
    const other = await h.tenantWithKey('same-instant', ['tick']);
    const at = new Date(Date.now() - 60_000);
    const ids = Array.from({ length: 6 }, (_, i) => `msg_01M8QH0000000000000000000${i}`);
    for (const id of ids) {
      await h.sql(`INSERT INTO command.messages (tenant_id, message_id, event_type, payload, channels, published_at) VALUES ($1, $2, 'tick', '{}', '{}', $3)`,
        [other.tenantId, id, at.toISOString()]);
    }
    const ep = await h.rest('POST', `/v1/tenants/${other.tenantId}/endpoints`, { key: other.key, body: { url: 'http://127.0.0.1:9/hooks' } });
    const res = await h.rest('POST', `/v1/tenants/${other.tenantId}/endpoints/${ep.body.id}/replay`,
      { key: other.key, body: { since: new Date(at.getTime() - 1000).toISOString(), until: new Date(at.getTime() + 1000).toISOString() } });
    expect(res.body).toMatchObject({ scanned: 6, replayed: 6, next_since: new Date(at.getTime() + 1).toISOString() });
    expect((await resendsTo(ep.body.id)).map((d) => d.message_id)).toEqual(ids);
  });

  it('never replays a message aimed at other endpoints (endpoint_ids) to this one', async () => {
    const aimedAt = await createEndpoint({ event_types: ['invoice.paid'] });
    const bystander = await createEndpoint({ event_types: ['invoice.paid'] });
    const from = new Date().toISOString();
    const aimed = await h.rest('POST', `/v1/tenants/${tenantId}/messages`, { key, body: { event_type: 'invoice.paid', payload: { aimed: true }, endpoint_ids: [aimedAt] } });
    expect(aimed.status).toBe(202);
    await h.followerCaughtUp();
    const to = new Date(Date.now() + 1).toISOString();
    expect((await replay(bystander, { since: from, until: to })).body).toMatchObject({ scanned: 1, replayed: 0 });
    expect((await replay(aimedAt, { since: from, until: to })).body).toMatchObject({ scanned: 1, replayed: 1 });
    expect(await resendsTo(bystander)).toEqual([]);
    expect((await resendsTo(aimedAt)).map((d) => d.message_id)).toEqual([aimed.body.id]);
  });

  it('answers a retry under the same Idempotency-Key with the first answer, appending nothing twice', async () => {
    const endpointId = await createEndpoint({ event_types: ['invoice.voided'] });
    const first = await replay(endpointId, { since, until }, { 'idempotency-key': 'replay-once' });
    const again = await replay(endpointId, { since, until }, { 'idempotency-key': 'replay-once' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await resendsTo(endpointId)).map((d) => d.message_id)).toEqual([published[1].id]); // the first page's one
  });

  it('refuses what it cannot carry out with a problem naming the field, and appends nothing', async () => {
    const endpointId = await createEndpoint();
    const cases: Array<[Json, number, string | undefined]> = [
      [{ since: until, until: since }, 400, '/until'],
      [{ since: new Date(Date.now() - 15 * 24 * 3600_000).toISOString() }, 400, '/since'],
      [{ since: 'yesterday' }, 400, '/since'],
      [{}, 400, '/since'],
    ];
    for (const [body, status, pointer] of cases) {
      const res = await replay(endpointId, body);
      expect([JSON.stringify(body), res.status, res.body.errors?.[0]?.pointer]).toEqual([JSON.stringify(body), status, pointer]);
    }
    expect((await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/disable`, { key, body: {} })).status).toBe(200);
    const disabled = await replay(endpointId, { since, until });
    expect([disabled.status, disabled.body.detail]).toEqual([409, expect.stringContaining('enable it')]);
    // Another tenant's key does not reach this tenant's endpoint.
    const other = await h.tenantWithKey('elsewhere');
    const foreign = await h.rest('POST', `/v1/tenants/${tenantId}/endpoints/${endpointId}/replay`, { key: other.key, body: { since, until } });
    expect(foreign.status).toBe(404);
    expect(await resendsTo(endpointId)).toEqual([]);
  });

  it('recovers every enabled endpoint of the tenant for the window, and only those', async () => {
    const other = await h.tenantWithKey('recovering', ['tick']);
    const url = 'http://127.0.0.1:9/hooks';
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.rest('POST', `/v1/tenants/${other.tenantId}/endpoints`, { key: other.key, body: { url } })).body.id);
    expect((await h.rest('POST', `/v1/tenants/${other.tenantId}/endpoints/${ids[2]}/disable`, { key: other.key, body: {} })).status).toBe(200);
    const window = { since: new Date(Date.now() - 3600_000).toISOString(), until: new Date().toISOString() };
    const res = await h.rest('POST', `/v1/tenants/${other.tenantId}/recover`, { key: other.key, body: window, headers: { 'idempotency-key': 'recover-all' } });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ endpoints: 2, ...window, position: expect.any(String) });
    const again = await h.rest('POST', `/v1/tenants/${other.tenantId}/recover`, { key: other.key, body: window, headers: { 'idempotency-key': 'recover-all' } });
    expect(again.body).toEqual(res.body);
    const requests = (await h.events('messages')).filter((r) => r.event.type === 'endpoint.recovery_requested.v1' && r.event.tenant_id === other.tenantId);
    expect(requests.map((r) => (r.event.data as Json).endpoint_id).sort()).toEqual(ids.slice(0, 2).sort());
    expect(requests[0].event.data).toMatchObject(window);

    expect((await h.rest('POST', `/v1/tenants/${other.tenantId}/recover`, { key: other.key, body: { since: window.until, until: window.since } })).body.errors?.[0]?.pointer).toBe('/until');
    // Another tenant's key cannot recover this tenant.
    expect((await h.rest('POST', `/v1/tenants/${other.tenantId}/recover`, { key, body: window })).status).toBe(404);
    const viaGrpc = await h.grpc('TenantService', 'RecoverTenant', { tenant_id: other.tenantId, since: window.since, until: window.until }, other.key);
    expect(viaGrpc).toMatchObject({ endpoints: 2, position: { token: expect.any(String) } });
  });

  it('over gRPC: the same report, and INVALID_ARGUMENT for a window it cannot take', async () => {
    const endpointId = await createEndpoint({ event_types: ['invoice.paid'] });
    const report = await h.grpc('EndpointService', 'ReplayEndpoint', { tenant_id: tenantId, endpoint_id: endpointId, since, until }, key);
    expect(report).toMatchObject({ scanned: 4, replayed: 3, next_since: expect.stringMatching(/^20/), position: { token: expect.any(String) } });
    await expect(h.grpc('EndpointService', 'ReplayEndpoint', { tenant_id: tenantId, endpoint_id: endpointId, since: until, until: since }, key))
      .rejects.toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT });
  });
});
