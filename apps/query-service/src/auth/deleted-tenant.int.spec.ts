import { EndpointId, TenantId, newId } from '@hookline/contracts';
import { RunningQueryService } from '../query-service';
import { fixtures } from '../testing/event-fixtures';
import { TestStack, getJson, positionOf } from '../testing/harness';

/**
 * Deleting a tenant stops its keys in the query service as it does in the command service: its endpoints, messages and
 * attempts are no longer readable with a key someone kept. Other tenants' keys, and the admin, read on.
 */
describe('a deleted tenant in the query service (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  const [gone, kept] = [newId('tenant') as TenantId, newId('tenant') as TenantId];
  const [goneKey, goneSession, keptKey] = ['hk_live_key_of_a_tenant_to_delete', 'hk_live_portal_of_a_tenant_to_delete', 'hk_live_key_of_a_tenant_that_stays'];
  const admin = 'hk_admin_deleted_tenant_spec_key';

  beforeAll(async () => {
    stack = await TestStack.create('deltenant');
    ({ service, baseUrl } = await stack.startService({ ADMIN_API_KEY: admin }));
    const appended = await stack.publish([
      fixtures.tenantCreated(gone), fixtures.tenantCreated(kept),
      fixtures.apiKeyCreated(gone, goneKey), fixtures.apiKeyCreated(gone, goneSession, { portalUntil: new Date(Date.now() + 3600_000) }),
      fixtures.apiKeyCreated(kept, keptKey),
      fixtures.endpointCreated(gone, newId('endpoint') as EndpointId), fixtures.endpointCreated(kept, newId('endpoint') as EndpointId),
    ]);
    // Read once before the deletion, so the keys sit in the authenticator's cache as they would in a running service.
    expect((await getJson(baseUrl, `/v1/endpoints?position=${positionOf(appended)}`, goneKey)).body.data).toHaveLength(1);
    expect((await getJson(baseUrl, '/v1/endpoints', goneSession)).status).toBe(200);
    const deleted = await stack.publish([fixtures.tenantDeleted(gone, 2)]);
    expect((await getJson(baseUrl, `/v1/endpoints?position=${positionOf(deleted)}`, keptKey)).status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  it("refuses the deleted tenant's keys and portal sessions (once the 2 s key cache lapses), and reads on for the others", async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    for (const key of [goneKey, goneSession]) {
      const res = await getJson(baseUrl, '/v1/endpoints', key);
      expect(res.status).toBe(401);
      expect(res.body.detail).toBe('unknown or revoked API key (or its tenant was deleted)');
    }
    expect((await getJson(baseUrl, '/v1/endpoints', keptKey)).body.data).toHaveLength(1);
    expect((await getJson(baseUrl, `/v1/endpoints?tenant_id=${gone}`, admin)).status).toBe(200);
  });
});
