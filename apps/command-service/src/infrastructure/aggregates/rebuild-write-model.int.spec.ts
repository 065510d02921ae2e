import { CommandServiceHarness, startCommandServiceHarness } from '../../test/command-service.harness';

interface AggregateRow {
  kind: string;
  tenant_id: string;
  aggregate_id: string;
  version: number;
  state: unknown;
}

describe('write model rebuild from the config topic (real Kafka + Postgres)', () => {
  let h: CommandServiceHarness;

  beforeAll(async () => {
    h = await startCommandServiceHarness('rebuild');
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 60_000);

  const aggregates = async (): Promise<AggregateRow[]> =>
    (await h.sql<AggregateRow>('SELECT kind, tenant_id, aggregate_id, version, state FROM command.aggregates ORDER BY kind, tenant_id, aggregate_id')).rows;

  it('a service started on an empty aggregates table rebuilds exactly the rows it had, and keeps working on them', async () => {
    const ok = (status: number) => expect([200, 201, 202]).toContain(status);
    // Aggregates of every kind, with histories longer than their creation.
    const acme = (await h.rest('POST', '/v1/tenants', { body: { name: 'Acme', metadata: { region: 'eu' } } })).body.id;
    const globex = (await h.rest('POST', '/v1/tenants', { body: { name: 'Globex' } })).body.id;
    const gone = (await h.rest('POST', '/v1/tenants', { body: { name: 'Gone' } })).body.id;
    ok((await h.rest('PATCH', `/v1/tenants/${acme}`, { body: { name: 'Acme Corp', retention_days: 7 } })).status);
    ok((await h.rest('DELETE', `/v1/tenants/${gone}`)).status);

    const acmeKey = (await h.rest('POST', '/v1/api-keys', { body: { name: 'acme', scope: 'tenant', tenant_id: acme, ip_allowlist: ['127.0.0.1'], rate_limit_per_second: 1000 } })).body;
    const oldKey = (await h.rest('POST', '/v1/api-keys', { body: { name: 'old', scope: 'tenant', tenant_id: globex } })).body;
    ok((await h.rest('DELETE', `/v1/api-keys/${oldKey.id}`)).status);
    const opsKey = (await h.rest('POST', '/v1/api-keys', { body: { name: 'ops', scope: 'admin' } })).body;

    const typeUrl = `/v1/tenants/${acme}/event-types`;
    ok((await h.rest('POST', typeUrl, { key: acmeKey.key, body: { name: 'invoice.paid', schema: { type: 'object', properties: { amount: { type: 'integer' } } } } })).status);
    ok((await h.rest('POST', `${typeUrl}/invoice.paid/schemas`, { key: acmeKey.key, body: { schema: { type: 'object', properties: { amount: { type: 'number' } } } } })).status);
    ok((await h.rest('POST', typeUrl, { key: acmeKey.key, body: { name: 'invoice.voided', requires_approval: true } })).status);
    // An action answers 200 with the new state: nothing is created.
    expect((await h.rest('POST', `${typeUrl}/invoice.voided/deprecate`, { key: acmeKey.key, body: { sunset_at: '2099-01-01T00:00:00.000Z' } })).status).toBe(200);
    ok((await h.rest('POST', typeUrl, { key: acmeKey.key, body: { name: 'scratch' } })).status);
    ok((await h.rest('DELETE', `${typeUrl}/scratch`, { key: acmeKey.key })).status);

    const epUrl = `/v1/tenants/${acme}/endpoints`;
    const ep1 = (await h.rest('POST', epUrl, { key: acmeKey.key, body: { url: 'http://127.0.0.1:9/one', event_types: ['invoice.paid'], headers: { 'x-team': 'billing' } } })).body.id;
    ok((await h.rest('PATCH', `${epUrl}/${ep1}`, { key: acmeKey.key, body: { description: 'primary', retry_schedule_seconds: [1, 5] } })).status);
    expect((await h.rest('POST', `${epUrl}/${ep1}/rotate-secret`, { key: acmeKey.key, body: {} })).status).toBe(200);
    expect((await h.rest('POST', `${epUrl}/${ep1}/disable`, { key: acmeKey.key, body: { detail: 'maintenance' } })).status).toBe(200);
    const ep2 = (await h.rest('POST', epUrl, { key: acmeKey.key, body: { url: 'http://127.0.0.1:9/two', event_types: ['invoice.voided'], signing: 'ed25519' } })).body.id;
    expect((await h.rest('POST', `${epUrl}/${ep2}/approve`, { key: acmeKey.key, body: {} })).status).toBe(200);
    const ep3 = (await h.rest('POST', epUrl, { key: acmeKey.key, body: { url: 'http://127.0.0.1:9/three' } })).body.id;
    ok((await h.rest('DELETE', `${epUrl}/${ep3}`, { key: acmeKey.key })).status);
    await h.grpc('EndpointService', 'CreateEndpoint', { tenant_id: globex, url: 'http://127.0.0.1:9/globex', fifo: true });

    const before = await aggregates();
    expect(before.length).toBe(3 + 3 + 3 + 4);
    expect(new Set(before.map((r) => r.kind))).toEqual(new Set(['tenant', 'api_key', 'event_type', 'endpoint']));

    await h.stopService();
    await h.sql('DELETE FROM command.aggregates');
    expect(await aggregates()).toEqual([]);
    await h.startService();

    expect(await aggregates()).toEqual(before);

    // The rebuilt model is the one commands decide on: keys, versions and lifecycles carry on where they were.
    expect((await h.rest('PATCH', `${epUrl}/${ep2}`, { key: acmeKey.key, body: { description: 'after rebuild' }, headers: { 'if-match': '2' } })).status).toBe(200);
    expect((await h.rest('POST', `${epUrl}/${ep1}/enable`, { key: acmeKey.key, body: {} })).body).toMatchObject({ status: 'enabled', version: 5 });
    expect((await h.rest('PATCH', `${epUrl}/${ep3}`, { key: acmeKey.key, body: { description: 'x' } })).status).toBe(404);
    expect((await h.rest('POST', `/v1/tenants/${globex}/messages`, { key: oldKey.key, body: { event_type: 'x', payload: {} } })).status).toBe(401);
    expect((await h.rest('POST', '/v1/tenants', { key: opsKey.key, body: { name: 'Made by ops' } })).status).toBe(201);
    expect((await h.rest('POST', `/v1/tenants/${gone}/event-types`, { body: { name: 'a.b' } })).status).toBe(404);
    expect((await h.rest('POST', typeUrl, { key: acmeKey.key, body: { name: 'invoice.paid' } })).status).toBe(409);
  }, 60_000);
});
