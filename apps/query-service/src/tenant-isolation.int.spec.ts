import { EndpointId, MessageId, SourceId, TenantId, newId } from '@hookline/contracts';
import { ADMIN_KEY, TestStack, getJson, positionOf } from './testing/harness';
import { fixtures } from './testing/event-fixtures';
import { RunningQueryService } from './query-service';

/** Everything tenant B owns, seen through tenant A's key: 404 for B's ids, and no B row in any list. */
describe('tenant isolation over REST (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const [tenantA, tenantB] = [newId('tenant') as TenantId, newId('tenant') as TenantId];
  const [endpointA, endpointB] = [newId('endpoint') as EndpointId, newId('endpoint') as EndpointId];
  const [messageA, messageB] = [newId('message') as MessageId, newId('message') as MessageId];
  const [sourceA, sourceB] = [newId('source') as SourceId, newId('source') as SourceId];
  const [keyA, keyB] = ['hk_isolation_key_of_tenant_a', 'hk_isolation_key_of_tenant_b'];

  beforeAll(async () => {
    stack = await TestStack.create('isolation');
    ({ service, baseUrl } = await stack.startService());
    const events = [];
    for (const [tenant, key, endpoint, message, source] of [[tenantA, keyA, endpointA, messageA, sourceA], [tenantB, keyB, endpointB, messageB, sourceB]] as const) {
      events.push(fixtures.tenantCreated(tenant), fixtures.apiKeyCreated(tenant, key), fixtures.endpointCreated(tenant, endpoint),
        fixtures.eventTypeCreated(tenant, `${tenant === tenantA ? 'a' : 'b'}.created`), fixtures.messagePublished(tenant, { messageId: message }),
        fixtures.attempted(tenant, message, endpoint, 1, 'retrying'), fixtures.deadLettered(tenant, message, endpoint, 1),
        fixtures.breakerChanged(tenant, endpoint, 'open'), fixtures.sourceCreated(tenant, source));
    }
    const appended = await stack.publish(events);
    expect((await getJson(baseUrl, `/v1/messages?position=${positionOf(appended)}`, keyA)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it('answers 404 for every id of another tenant', async () => {
    for (const path of [`/v1/messages/${messageB}`, `/v1/messages/${messageB}/attempts`, `/v1/endpoints/${endpointB}/attempts`,
      `/v1/endpoints/${endpointB}/health`, `/v1/messages?tenant_id=${tenantB}`, `/v1/dead-letters?tenant_id=${tenantB}`,
      `/v1/event-types?tenant_id=${tenantB}`, `/v1/audit-log?tenant_id=${tenantB}`, `/v1/tenants/${tenantB}/messages/${messageB}`,
      `/v1/tenants/${tenantB}/messages`, `/v1/tenants/${tenantA}/messages/${messageB}`, `/v1/tenants/${tenantA}/endpoints/${endpointB}/health`,
      `/v1/endpoints/${endpointB}`, `/v1/tenants/${tenantA}/endpoints/${endpointB}`, `/v1/endpoints?tenant_id=${tenantB}`, `/v1/tenants/${tenantB}/endpoints`,
      `/v1/sources/${sourceB}`, `/v1/tenants/${tenantA}/sources/${sourceB}`, `/v1/sources?tenant_id=${tenantB}`, `/v1/tenants/${tenantB}/sources`]) {
      const res = await getJson(baseUrl, path, keyA);
      expect([path, res.status]).toEqual([path, 404]);
      // Indistinguishable from an id that exists nowhere: the same answer, byte for byte, with the ids swapped.
      const unknown = { [tenantB]: newId('tenant'), [messageB]: newId('message'), [endpointB]: newId('endpoint'), [sourceB]: newId('source') };
      const swap = (text: string) => Object.entries(unknown).reduce((t, [from, to]) => t.split(from).join(to), text);
      const missing = await getJson(baseUrl, swap(path), keyA);
      expect(swap(JSON.stringify(res.body))).toEqual(JSON.stringify(missing.body));
    }
  });

  it('never lists a row of another tenant, whatever the filter', async () => {
    for (const path of ['/v1/messages', `/v1/messages?endpoint_id=${endpointB}`, '/v1/messages?status=dead_lettered', '/v1/dead-letters',
      `/v1/dead-letters?endpoint_id=${endpointB}`, '/v1/event-types?include_deleted=true', '/v1/audit-log', `/v1/audit-log?aggregate_id=${endpointB}`,
      '/v1/endpoints', '/v1/endpoints?status=enabled', '/v1/sources', '/v1/sources?enabled=true']) {
      const res = await getJson(baseUrl, path, keyA);
      expect([path, res.status]).toEqual([path, 200]);
      const text = JSON.stringify(res.body);
      for (const foreign of [tenantB, endpointB, messageB, sourceB, 'b.created']) expect([path, text.includes(foreign)]).toEqual([path, false]);
    }
    const own = await getJson(baseUrl, '/v1/messages', keyA);
    expect(own.body.data.map((m: { id: string }) => m.id)).toEqual([messageA]);
    expect((await getJson(baseUrl, '/v1/endpoints', keyA)).body.data.map((e: { id: string }) => e.id)).toEqual([endpointA]);
    expect((await getJson(baseUrl, '/v1/sources', keyA)).body.data.map((e: { id: string }) => e.id)).toEqual([sourceA]);
    const audit = await getJson(baseUrl, '/v1/audit-log', keyA);
    expect(audit.body.data.length).toBe(5);
    expect(JSON.stringify(audit.body)).not.toContain('key_hash');
    expect(JSON.stringify(audit.body)).not.toContain('enc:v1');
  });

  it('lets the admin key choose the tenant and requires it to', async () => {
    const b = await getJson(baseUrl, `/v1/messages?tenant_id=${tenantB}`, ADMIN_KEY);
    expect(b.body.data.map((m: { id: string }) => m.id)).toEqual([messageB]);
    const inPath = await getJson(baseUrl, `/v1/tenants/${tenantB}/messages/${messageB}`, ADMIN_KEY);
    expect(inPath.body).toMatchObject({ id: messageB });
    const missing = await getJson(baseUrl, '/v1/messages', ADMIN_KEY);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].pointer).toBe('/tenant_id');
  });

  it('refuses a request without a key, or with an unknown one', async () => {
    expect((await getJson(baseUrl, '/v1/messages')).status).toBe(401);
    expect((await getJson(baseUrl, '/v1/messages', 'hk_not_a_key')).status).toBe(401);
  });
});
